#ifndef RINGFENCE_TOOLS_SIM_SIM_TRUTH_H_
#define RINGFENCE_TOOLS_SIM_SIM_TRUTH_H_

// What the simulator planted (DIR/truth.json): every anomaly with the flag
// code it must raise, the entity the flag names and the month it first
// appears; every near miss (a condition one day or one penny inside a
// threshold) that must not raise its code on its entity; the flags a
// planted anomaly brings with it on the same entity (allowed, not required);
// and every planted match (bank line id -> payment id, or -> run id for a
// batch line; returns: inflow line -> the payment it brings back).
//
// Entities are as the flags name them ("budget:B-000012", "invoice:I-..",
// "payment:PAY-..", "bankline:<statement>/<line>", "pot:..",
// "spent:<budget>:<category>", "instalment:<budget>/<due>"), except a
// DIVERSION_TRANSFER, whose flag names the journal entry: its truth entity is
// "transfer:<transfer_id>", scored by code and month.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace rf::sim {

struct TruthFlag {
  std::string code, entity, month, note;
};
struct TruthMatch {
  std::string line_id;     // BankLineId(statement, line)
  std::string payment_id;  // or a run id for a batch line
  std::string kind;        // "payment", "run" or "return"
};

struct SimTruth {
  std::vector<TruthFlag> anomalies, near_misses, consequences;
  std::vector<TruthMatch> matches;
};

nlohmann::json TruthJson(const SimTruth& truth);
SimTruth TruthFromJson(const nlohmann::json& j);

}  // namespace rf::sim

#endif  // RINGFENCE_TOOLS_SIM_SIM_TRUTH_H_
