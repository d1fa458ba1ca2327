#ifndef RINGFENCE_RECONCILE_HTML_REPORT_H_
#define RINGFENCE_RECONCILE_HTML_REPORT_H_

// `reconcile --month M --format html`: the month as one self-contained HTML
// page a commissioner opens or prints (issue 18 item 1). Pure: it is given
// figures already computed and returns the page; nothing here reads the
// ledger (reconcile/month_end_figures.h gathers the pot and balance figures).
//
// The page needs nothing else: inline CSS (with an A4 print sheet), inline
// SVG charts, no script, no image, font or link fetched from anywhere. Every
// text that came from data (names, ids, sentences, table cells) is escaped.
// Tables are accessible: a caption, header cells with scope, amounts right-
// aligned in pounds.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/core/date.h"
#include "ledger/core/money.h"
#include "reconcile/provenance.h"
#include "reconcile/table.h"

namespace rf {

// A pot's position at a date (reports.h says what each figure is).
struct HtmlPotPosition {
  std::string pot_id, name, financial_year;
  Pence funded, allocated, committed, paid, spent, unallocated, diverted, forecast;
};

// A pot at one month end of the financial year, for the chart.
struct HtmlPotMonth {
  Month month;
  Pence funded, allocated, spent;
};

struct HtmlPotChart {
  std::string pot_id, name;
  std::vector<HtmlPotMonth> months;  // in month order, April first
};

struct HtmlFlag {
  std::string id, code, severity;  // severity: "critical", "warning" or "info"
  std::string entity, sentence, status;  // status: "new", "carried over from 2026-04, 1 month", ...
  Pence at_stake;
};

struct HtmlReportInput {
  std::string org;    // the organisation (ICB)
  Month month;
  Date as_of;         // the month's last day
  std::vector<HtmlPotPosition> pots;  // at as_of
  std::vector<HtmlPotChart> charts;   // one per pot, same order
  Table matching;                     // the month's matching summary (month_tally.h)
  std::optional<uint32_t> auto_match_permille;
  std::vector<HtmlFlag> flags;        // critical first
  Table aged_invoices;                // reports.h aged-invoices at as_of
  Table dp_balances;                  // month_end_figures.h DpBalancesTable
  // The equality and provider diversity tables (reconcile/equality.h);
  // nullopt: not available in this build, said so on the page.
  std::optional<std::vector<Table>> equality;
  std::string result_sha256;          // the month's result hash ("" when not hashed, e.g. a dry run)
  Provenance provenance;
};

// & < > " ' as entities.
std::string HtmlEscape(std::string_view text);

// One <table> with <caption> (the table's title, "" none), <th scope="col">
// headings, the first cell of each row a <th scope="row">, numeric columns
// right-aligned; a numeric cell that is an amount ("-1234.50") is shown in
// pounds ("-£1,234.50"); a totals row in <tfoot>; notes in a <p> after it.
// An empty table says "None.".
std::string RenderHtmlTable(const Table& table);

// The whole page (UTF-8, <!DOCTYPE html>).
std::string RenderHtmlReport(const HtmlReportInput& in);

}  // namespace rf

#endif  // RINGFENCE_RECONCILE_HTML_REPORT_H_
