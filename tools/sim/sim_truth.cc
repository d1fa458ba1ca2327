#include "tools/sim/sim_truth.h"

namespace rf::sim {
namespace {

nlohmann::json Flags(const std::vector<TruthFlag>& flags) {
  nlohmann::json out = nlohmann::json::array();
  for (const TruthFlag& f : flags) {
    out.push_back({{"code", f.code}, {"entity", f.entity}, {"month", f.month}, {"note", f.note}});
  }
  return out;
}

std::vector<TruthFlag> FlagsOf(const nlohmann::json& j) {
  std::vector<TruthFlag> out;
  for (const auto& f : j) {
    out.push_back({f.at("code").get<std::string>(), f.at("entity").get<std::string>(), f.at("month").get<std::string>(),
                   f.at("note").get<std::string>()});
  }
  return out;
}

}  // namespace

nlohmann::json TruthJson(const SimTruth& truth) {
  nlohmann::json matches = nlohmann::json::array();
  for (const TruthMatch& m : truth.matches) {
    matches.push_back({{"bank_line", m.line_id}, {"payment", m.payment_id}, {"kind", m.kind}});
  }
  return {{"anomalies", Flags(truth.anomalies)},
          {"near_misses", Flags(truth.near_misses)},
          {"consequences", Flags(truth.consequences)},
          {"matches", matches}};
}

SimTruth TruthFromJson(const nlohmann::json& j) {
  SimTruth t;
  t.anomalies = FlagsOf(j.at("anomalies"));
  t.near_misses = FlagsOf(j.at("near_misses"));
  t.consequences = FlagsOf(j.at("consequences"));
  for (const auto& m : j.at("matches")) {
    t.matches.push_back(
        {m.at("bank_line").get<std::string>(), m.at("payment").get<std::string>(), m.at("kind").get<std::string>()});
  }
  return t;
}

}  // namespace rf::sim
