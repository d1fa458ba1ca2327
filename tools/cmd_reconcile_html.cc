// reconcile --format html: see tools/reconcile_html.h.
#include <cassert>

#include "reconcile/html_report.h"
#include "reconcile/month_end_figures.h"
#include "reconcile/provenance.h"
#include "tools/cli_output.h"
#include "tools/reconcile_html.h"

namespace rf::cli {
namespace {

Table MatchingTable(const MonthTally& t, const std::vector<MonthFlag>& flags) {
  const MonthFlagCounts counts = CountMonthFlags(flags);
  const std::optional<uint32_t> rate = t.auto_match_permille();
  Table out;
  out.title = "Bank lines booked in the month and how each was matched";
  out.columns = {{"item", "What", false}, {"value", "Lines or amount", true}};
  auto n = [](uint64_t v) { return std::to_string(v); };
  out.rows = {{"Bank lines in the month", n(t.lines_in_month)},
              {"Money out (lines)", n(t.lines_out)},
              {"Money in (lines)", n(t.lines_in)},
              {"Matched by end-to-end id", n(t.matched_end_to_end_id)},
              {"Matched by batch (a whole payment run)", n(t.matched_batch)},
              {"Matched by amount, payee and date", n(t.matched_amount_payee_date)},
              {"Matched by a person", n(t.matched_by_person)},
              {"Auto-match rate (of money-out lines)", rate ? PercentText(*rate) + "%" : "no money-out lines"},
              {"Left for review", n(t.left_for_review)},
              {"Unmatched (no payment at all)", n(t.unmatched)},
              {"Money in not explained", n(t.lines_in_unmatched)},
              {"Returned payments", n(t.lines_returned)},
              {"Payments settled", n(t.payments_settled)},
              {"Payments still unsettled", n(t.payments_unsettled)},
              {"Money in", t.money_in.ToDecimal()},
              {"Money out", t.money_out.ToDecimal()},
              {"Flags (critical, warning, info)",
               n(counts.critical) + ", " + n(counts.warning) + ", " + n(counts.info)}};
  return out;
}

std::vector<HtmlFlag> Flags(const std::vector<MonthFlag>& flags, const FlagLifecycle& life) {
  assert(life.statuses.size() == flags.size());
  std::vector<HtmlFlag> out;
  for (size_t i = 0; i < flags.size(); ++i) {
    const MonthFlag& f = flags[i];
    const FlagStatus& s = life.statuses[i];
    out.push_back({.id = FlagId(f),
                   .code = std::string(ToString(f.code)),
                   .severity = std::string(ToString(f.severity)),
                   .entity = f.entity,
                   .sentence = SentenceOf(f),
                   .status = s.section == FlagSection::kNew && !s.reopened ? "new this month" : FlagStatusText(s),
                   .at_stake = f.amount_at_stake_pence});
  }
  return out;
}

}  // namespace

Status WriteReconcileHtml(const Ledger& ledger, const Month& month, const ReconcileHtmlInputs& in,
                          NewOutputFile& out) {
  // From the live views served as of the month end (no replay), in one
  // snapshot at the size the rest of the page states; if another process
  // has appended since that size was read, the replay to it instead.
  const uint64_t tree_size = in.provenance.tree_size;
  Result<MonthEndFigures> figures = Status::InvalidInput("no figures");
  auto read_at = ReadViewsAtSize(ledger, [&](const ViewSource& views) -> Status {
    figures = Status::InvalidInput("no figures");
    RF_ASSIGN(size, ledger.journal().Size());
    if (size != tree_size) return Status::Ok();  // not the page's size: the replay below
    figures = MonthEndFiguresFromViews(ledger.journal(), views, month, tree_size);
    return figures.status();
  });
  if (!read_at.ok()) return read_at.status();
  if (*read_at != tree_size) {
    figures = MonthEndFiguresAt(ledger.journal(), month, tree_size, [](uint64_t done, uint64_t total) {
      Progress("replaying the journal to the month end", done, total);
    });
    ProgressDone();
  }
  if (!figures.ok()) return figures.status();
  HtmlReportInput page{.org = ledger.journal().org(),
                       .month = month,
                       .as_of = month.last_day(),
                       .pots = std::move(figures->pots),
                       .charts = std::move(figures->charts),
                       .matching = MatchingTable(in.tally, in.flags),
                       .auto_match_permille = in.tally.auto_match_permille(),
                       .flags = Flags(in.flags, in.life),
                       .aged_invoices = std::move(figures->aged_invoices),
                       .dp_balances = std::move(figures->dp_balances),
                       .equality = in.equality,
                       .result_sha256 = in.result_sha256,
                       .provenance = in.provenance};
  return out.Publish(RenderHtmlReport(page));
}

}  // namespace rf::cli
