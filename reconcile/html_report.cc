#include "reconcile/html_report.h"

#include <algorithm>
#include <array>
#include <cassert>

namespace rf {
namespace {

// "1234567.50" -> "£1,234,567.50" (via Pence); anything else unchanged.
std::string AmountCell(const std::string& cell) {
  const size_t point = cell.find('.');
  if (point == std::string::npos || point + 3 != cell.size()) return cell;
  auto amount = Pence::Parse(cell, "cell");
  return amount.ok() ? amount->ToPounds() : cell;
}

// Pence as a number for drawing (never for arithmetic on money); 0 when out
// of range, so a chart is wrong rather than the page missing.
int64_t Drawn(const Pence& p) {
  auto v = p.ToInt64();
  return v.ok() ? *v : 0;
}

// v of max as a length of `full` (0..full), rounded down.
int64_t Scaled(int64_t v, int64_t max, int64_t full) {
  if (max <= 0 || v <= 0) return 0;
  if (v >= max) return full;
  // Halve both until v * full cannot overflow (full is a few hundred).
  while (max > (int64_t{1} << 40)) {
    v >>= 1;
    max >>= 1;
  }
  return v * full / max;
}

constexpr std::string_view kStyle = R"css(
:root { --ink:#1d1d1b; --muted:#555; --rule:#c8c8c8; --spent:#1f4e79; --alloc:#6fa8dc; --free:#e3e3e3;
        --crit:#a4161a; --warn:#9c5700; --info:#2f5f8a; }
* { box-sizing: border-box; }
body { font-family: Arial, Helvetica, sans-serif; color: var(--ink); margin: 0 auto; max-width: 1100px;
       padding: 16px 24px; line-height: 1.4; font-size: 15px; }
h1 { font-size: 1.6em; margin: 0 0 4px; } h2 { font-size: 1.3em; margin: 28px 0 8px; border-bottom: 2px solid var(--ink); }
h3 { font-size: 1.05em; margin: 16px 0 6px; }
p.sub { color: var(--muted); margin: 0 0 12px; }
table { border-collapse: collapse; margin: 6px 0 14px; width: 100%; font-size: 0.92em; }
caption { text-align: left; font-weight: bold; padding: 4px 0; }
td.nowrap { white-space: nowrap; }
th, td { border-bottom: 1px solid var(--rule); padding: 4px 6px; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid var(--ink); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tfoot th, tfoot td { border-top: 2px solid var(--ink); font-weight: bold; }
.glance { display: grid; grid-template-columns: 2fr 1fr; gap: 16px; border: 2px solid var(--ink); padding: 12px; }
.counts { display: flex; gap: 12px; flex-wrap: wrap; align-content: flex-start; }
.count { border: 1px solid var(--rule); padding: 8px 12px; min-width: 120px; }
.count b { display: block; font-size: 1.8em; }
.count.critical b { color: var(--crit); } .count.warning b { color: var(--warn); }
.potbar { margin: 0 0 10px; } .potbar .label { font-weight: bold; }
.legend span { display: inline-block; margin-right: 12px; font-size: 0.85em; }
.sw { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: middle; }
.flag { border-left: 6px solid var(--info); padding: 6px 10px; margin: 8px 0; background: #f6f6f6; }
.flag.critical { border-color: var(--crit); } .flag.warning { border-color: var(--warn); }
.flag .code { font-weight: bold; font-family: monospace; }
.flag .meta { color: var(--muted); font-size: 0.9em; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
figure { margin: 0; } figcaption { font-weight: bold; margin-bottom: 4px; }
footer { margin-top: 28px; border-top: 1px solid var(--rule); padding-top: 8px; font-size: 0.85em; color: var(--muted);
         overflow-wrap: anywhere; }
code { font-family: monospace; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  .glance, .flag, figure, tr { break-inside: avoid; }
  h2, h3, caption { break-after: avoid; }
  thead { display: table-header-group; }
  .charts { grid-template-columns: 1fr 1fr; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
)css";

std::string Permille(uint32_t permille) {
  return std::to_string(permille / 10) + "." + std::to_string(permille % 10) + "%";
}

// A pot's position as one bar: spent, allocated not yet spent, unallocated,
// out of funded.
std::string PotBar(const HtmlPotPosition& pot) {
  constexpr int64_t kWidth = 600, kHeight = 22;
  const int64_t funded = std::max<int64_t>(Drawn(pot.funded), 1);
  const int64_t spent = Scaled(Drawn(pot.spent), funded, kWidth);
  const int64_t allocated = std::max(spent, Scaled(Drawn(pot.allocated), funded, kWidth));
  const std::string label = HtmlEscape(pot.pot_id + " " + pot.name);
  std::string desc = "Funded " + pot.funded.ToPounds() + "; allocated " + pot.allocated.ToPounds() + "; spent " +
                     pot.spent.ToPounds() + "; unallocated " + pot.unallocated.ToPounds() + ".";
  std::string out = "<div class=\"potbar\"><div class=\"label\">" + label + "</div>";
  out += "<svg role=\"img\" width=\"100%\" viewBox=\"0 0 " + std::to_string(kWidth) + " " + std::to_string(kHeight) +
         "\" preserveAspectRatio=\"none\" height=\"" + std::to_string(kHeight) + "\"><title>" + label + ": " +
         HtmlEscape(desc) + "</title>";
  out += "<rect x=\"0\" y=\"0\" width=\"" + std::to_string(kWidth) + "\" height=\"" + std::to_string(kHeight) +
         "\" fill=\"#e3e3e3\"/>";
  out += "<rect x=\"0\" y=\"0\" width=\"" + std::to_string(allocated) + "\" height=\"" + std::to_string(kHeight) +
         "\" fill=\"#6fa8dc\"/>";
  out += "<rect x=\"0\" y=\"0\" width=\"" + std::to_string(spent) + "\" height=\"" + std::to_string(kHeight) +
         "\" fill=\"#1f4e79\"/></svg>";
  out += "<div>" + HtmlEscape(desc) + "</div></div>\n";
  return out;
}

std::string Legend(bool unallocated) {
  return std::string("<div class=\"legend\"><span><i class=\"sw\" style=\"background:#1f4e79\"></i>Spent</span>"
                     "<span><i class=\"sw\" style=\"background:#6fa8dc\"></i>Allocated</span>") +
         (unallocated ? "<span><i class=\"sw\" style=\"background:#e3e3e3\"></i>Unallocated (of funded)</span>" : "") +
         "</div>\n";
}

// Month ends of the year so far: allocated and spent as bars on one scale
// (the larger of them at the top, so spending stays visible in a pot funded
// far beyond it; funded is in the table and the bar at a glance); the
// figures again in a small table (for screen readers and for print).
std::string PotChart(const HtmlPotChart& chart) {
  constexpr int64_t kLeft = 8, kTop = 18, kPlotW = 480, kPlotH = 130, kBottom = 22;
  int64_t max = 1;
  Pence top;
  for (const HtmlPotMonth& m : chart.months) {
    max = std::max({max, Drawn(m.allocated), Drawn(m.spent)});
    top = std::max({top, m.allocated, m.spent});
  }
  const std::string name = HtmlEscape(chart.pot_id + " " + chart.name);
  std::string out = "<figure><figcaption>" + name + ": allocated and spent at each month end</figcaption>";
  out += "<svg role=\"img\" viewBox=\"0 0 " + std::to_string(kLeft + kPlotW + 8) + " " +
         std::to_string(kTop + kPlotH + kBottom) + "\" width=\"100%\"><title>" + name +
         ": cumulative allocated and spent at each month end of the financial year so far</title>";
  out += "<line x1=\"" + std::to_string(kLeft) + "\" y1=\"" + std::to_string(kTop + kPlotH) + "\" x2=\"" +
         std::to_string(kLeft + kPlotW) + "\" y2=\"" + std::to_string(kTop + kPlotH) + "\" stroke=\"#1d1d1b\"/>";
  const int64_t n = std::max<int64_t>(static_cast<int64_t>(chart.months.size()), 1);
  out += "<text x=\"" + std::to_string(kLeft) + "\" y=\"12\" font-size=\"11\">scale: top = " + top.ToPounds() +
         "</text>";
  out += "<line x1=\"" + std::to_string(kLeft) + "\" y1=\"" + std::to_string(kTop) + "\" x2=\"" +
         std::to_string(kLeft + kPlotW) + "\" y2=\"" + std::to_string(kTop) +
         "\" stroke=\"#c8c8c8\" stroke-dasharray=\"4 3\"/>";
  const int64_t slot = kPlotW / std::max<int64_t>(n, 6);  // a few months do not make bars too wide
  for (size_t i = 0; i < chart.months.size(); ++i) {
    const HtmlPotMonth& m = chart.months[i];
    const int64_t x = kLeft + static_cast<int64_t>(i) * slot;
    const int64_t bar = std::max<int64_t>(slot / 3, 2);
    const int64_t alloc_h = Scaled(Drawn(m.allocated), max, kPlotH);
    const int64_t spent_h = Scaled(Drawn(m.spent), max, kPlotH);
    out += "<rect x=\"" + std::to_string(x + slot / 6) + "\" y=\"" + std::to_string(kTop + kPlotH - alloc_h) +
           "\" width=\"" + std::to_string(bar) + "\" height=\"" + std::to_string(alloc_h) +
           "\" fill=\"#6fa8dc\"><title>" + m.month.ToString() + " allocated " + m.allocated.ToPounds() +
           "</title></rect>";
    out += "<rect x=\"" + std::to_string(x + slot / 6 + bar) + "\" y=\"" + std::to_string(kTop + kPlotH - spent_h) +
           "\" width=\"" + std::to_string(bar) + "\" height=\"" + std::to_string(spent_h) +
           "\" fill=\"#1f4e79\"><title>" + m.month.ToString() + " spent " + m.spent.ToPounds() + "</title></rect>";
    out += "<text x=\"" + std::to_string(x + slot / 2) + "\" y=\"" + std::to_string(kTop + kPlotH + 15) +
           "\" font-size=\"11\" text-anchor=\"middle\">" + m.month.ToString().substr(2) + "</text>";
  }
  out += "</svg>";
  Table t;
  t.title = chart.pot_id + " by month end (GBP)";
  t.columns = {{"month", "Month end", false},
               {"funded", "Funded", true},
               {"allocated", "Allocated", true},
               {"spent", "Spent", true}};
  for (const HtmlPotMonth& m : chart.months) {
    t.rows.push_back({m.month.last_day().ToIso(), m.funded.ToDecimal(), m.allocated.ToDecimal(), m.spent.ToDecimal()});
  }
  out += RenderHtmlTable(t) + "</figure>\n";
  return out;
}

Table PotTable(const std::vector<HtmlPotPosition>& pots, Date as_of) {
  Table t;
  t.title = "Ring-fenced pots on " + as_of.ToIso();
  t.columns = {{"pot_id", "Pot", false},         {"name", "Name", false},         {"year", "Year", false},
               {"funded", "Funded", true},       {"allocated", "Allocated", true}, {"committed", "Committed", true},
               {"paid", "Paid", true},           {"spent", "Spent", true},         {"unallocated", "Unallocated", true},
               {"diverted", "Diverted", true},   {"forecast", "Forecast spend", true}};
  for (const HtmlPotPosition& p : pots) {
    t.rows.push_back({p.pot_id, p.name, p.financial_year, p.funded.ToDecimal(), p.allocated.ToDecimal(),
                      p.committed.ToDecimal(), p.paid.ToDecimal(), p.spent.ToDecimal(), p.unallocated.ToDecimal(),
                      p.diverted.ToDecimal(), p.forecast.ToDecimal()});
  }
  t.notes = {"Funded = unallocated + allocated + diverted. Committed: approved invoices not yet paid. Paid: to "
             "providers and into direct-payment accounts. Spent: paid to providers plus spend reported on direct "
             "payments. Forecast: spend so far carried straight on to 31 March."};
  return t;
}

// At most this many flags of one code are written out on the page.
constexpr size_t kHtmlFlagsShownPerCode = 25;

constexpr std::array<std::string_view, 3> kSeverities = {"critical", "warning", "info"};

std::string FlagsSection(const std::vector<HtmlFlag>& flags, const Month& month) {
  std::string out = "<section id=\"flags\" aria-labelledby=\"h-flags\"><h2 id=\"h-flags\">Flags</h2>\n";
  if (flags.empty()) return out + "<p>No flags this month.</p></section>\n";
  for (const std::string_view severity : kSeverities) {
    // The flags of this severity by code, in the order they come (critical
    // first, then by code): a table of counts, then the first
    // kHtmlFlagsShownPerCode of each code, so a page stays readable (and
    // printable) when a month raises thousands.
    std::vector<std::pair<std::string, std::vector<const HtmlFlag*>>> by_code;
    size_t total = 0;
    for (const HtmlFlag& f : flags) {
      if (f.severity != severity) continue;
      auto it = std::find_if(by_code.begin(), by_code.end(), [&](const auto& c) { return c.first == f.code; });
      if (it == by_code.end()) it = by_code.emplace(by_code.end(), f.code, std::vector<const HtmlFlag*>{});
      it->second.push_back(&f);
      ++total;
    }
    if (by_code.empty()) continue;
    std::string title(severity);
    title[0] = static_cast<char>(title[0] - 'a' + 'A');
    out += "<h3>" + title + " (" + GroupedCount(total) + ")</h3>\n";
    Table counts{.title = title + " flags by code",
                 .columns = {{.id = "code", .heading = "Code", .numeric = false},
                             {.id = "flags", .heading = "Flags", .numeric = true},
                             {.id = "at_stake", .heading = "At stake", .numeric = true}},
                 .rows = {},
                 .total = {},
                 .notes = {}};
    for (const auto& [code, these] : by_code) {
      Pence at_stake;
      for (const HtmlFlag* f : these) at_stake += f->at_stake;
      counts.rows.push_back({code, GroupedCount(these.size()), at_stake.ToDecimal()});
    }
    out += RenderHtmlTable(counts);
    for (const auto& [code, these] : by_code) {
      const size_t shown = std::min(these.size(), kHtmlFlagsShownPerCode);
      for (size_t i = 0; i < shown; ++i) {
        const HtmlFlag* f = these[i];
        out += "<div class=\"flag " + std::string(severity) + "\"><span class=\"code\">" + HtmlEscape(f->code) +
               "</span> " + HtmlEscape(f->entity) + " &mdash; " + f->at_stake.ToPounds() + " at stake" +
               "<p>" + HtmlEscape(f->sentence) + "</p><div class=\"meta\">" + HtmlEscape(f->status) +
               " &middot; id " + HtmlEscape(f->id) + "</div></div>\n";
      }
      if (these.size() > shown) {
        out += "<p class=\"more\">And " + GroupedCount(these.size() - shown) + " more " + HtmlEscape(code) +
               " flags: <code>ringfence flags --month " + month.ToString() +
               "</code> or <code>ringfence reconcile --month " + month.ToString() +
               " --format csv</code> lists every one.</p>\n";
      }
    }
  }
  out += "<p>Explain a flag with <code>ringfence flags explain ID --note ...</code>, or resolve it with "
         "<code>ringfence flags resolve ID --reason ...</code>; an open flag is carried over to next month with "
         "its age.</p>";
  return out + "</section>\n";
}

std::string Glance(const HtmlReportInput& in) {
  uint64_t critical = 0, warning = 0, info = 0;
  for (const HtmlFlag& f : in.flags) {
    critical += f.severity == "critical" ? 1 : 0;
    warning += f.severity == "warning" ? 1 : 0;
    info += f.severity == "info" ? 1 : 0;
  }
  std::string out = "<section id=\"glance\" aria-labelledby=\"h-glance\"><h2 id=\"h-glance\">At a glance</h2>"
                    "<div class=\"glance\"><div>";
  if (in.pots.empty()) out += "<p>No pots.</p>";
  for (const HtmlPotPosition& p : in.pots) out += PotBar(p);
  out += Legend(true) + "</div><div class=\"counts\">";
  out += "<div class=\"count critical\"><b>" + GroupedCount(critical) + "</b>critical flags</div>";
  out += "<div class=\"count warning\"><b>" + GroupedCount(warning) + "</b>warning flags</div>";
  out += "<div class=\"count\"><b>" + GroupedCount(info) + "</b>info flags</div>";
  out += "<div class=\"count\"><b>" +
         (in.auto_match_permille ? Permille(*in.auto_match_permille) : std::string("n/a")) +
         "</b>of money-out bank lines matched automatically</div>";
  return out + "</div></div></section>\n";
}

std::string Section(const std::string& id, const std::string& heading, const std::string& body) {
  return "<section id=\"" + id + "\" aria-labelledby=\"h-" + id + "\"><h2 id=\"h-" + id + "\">" +
         HtmlEscape(heading) + "</h2>\n" + body + "</section>\n";
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string RenderHtmlTable(const Table& table) {
  const size_t n = table.columns.size();
  std::string out = "<table>";
  if (!table.title.empty()) {
    // Titles written for text output may begin with a blank line.
    const size_t from = table.title.find_first_not_of('\n');
    out += "<caption>" + HtmlEscape(from == std::string::npos ? "" : table.title.substr(from)) + "</caption>";
  }
  out += "<thead><tr>";
  for (const TableColumn& c : table.columns) {
    out += std::string("<th scope=\"col\"") + (c.numeric ? " class=\"num\"" : "") + ">" + HtmlEscape(c.heading) +
           "</th>";
  }
  out += "</tr></thead>";
  auto row = [&](const std::vector<std::string>& cells) {
    assert(cells.size() == n);
    std::string r = "<tr>";
    for (size_t i = 0; i < n && i < cells.size(); ++i) {
      const bool numeric = table.columns[i].numeric;
      const std::string text = HtmlEscape(numeric ? AmountCell(cells[i]) : cells[i]);
      const char* tag = i == 0 ? "th" : "td";
      r += std::string("<") + tag + (i == 0 ? " scope=\"row\"" : "") + (numeric ? " class=\"num\"" : "") + ">" +
           text + "</" + tag + ">";
    }
    return r + "</tr>";
  };
  if (!table.total.empty()) out += "<tfoot>" + row(table.total) + "</tfoot>";
  out += "<tbody>";
  for (const auto& cells : table.rows) out += row(cells);
  if (table.rows.empty()) {
    out += "<tr><td colspan=\"" + std::to_string(std::max<size_t>(n, 1)) + "\">None.</td></tr>";
  }
  out += "</tbody></table>\n";
  for (const std::string& note : table.notes) out += "<p class=\"sub\">" + HtmlEscape(note) + "</p>\n";
  return out;
}

std::string RenderHtmlReport(const HtmlReportInput& in) {
  const std::string month = in.month.ToString();
  std::string out = "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                    "<title>" + HtmlEscape(in.org + ": personal health budgets, " + month) + "</title><style>" +
                    std::string(kStyle) + "</style></head><body>\n";
  out += "<header><h1>Personal health budgets: " + HtmlEscape(month) + "</h1><p class=\"sub\">" +
         HtmlEscape(in.org) + " &middot; the ring-fenced money, the month's reconciliation and its flags, as of " +
         in.as_of.ToIso() + ".</p></header>\n<main>\n";
  out += Glance(in);

  std::string pots = RenderHtmlTable(PotTable(in.pots, in.as_of)) + Legend(false) + "<div class=\"charts\">";
  for (const HtmlPotChart& c : in.charts) pots += PotChart(c);
  pots += "</div>";
  out += Section("pots", "Pot position", pots);

  std::string matching = RenderHtmlTable(in.matching);
  out += Section("matching", "Matching summary", matching);
  out += FlagsSection(in.flags, in.month);
  out += Section("aged", "Aged invoices", RenderHtmlTable(in.aged_invoices));
  out += Section("dp", "Direct-payment balances", RenderHtmlTable(in.dp_balances));

  std::string equality;
  if (!in.equality) {
    equality = "<p>Not available: the equality and provider diversity tables are not built in this version.</p>";
  } else if (in.equality->empty()) {
    equality = "<p>No people or providers to report.</p>";
  } else {
    for (const Table& t : *in.equality) equality += RenderHtmlTable(t);
  }
  out += Section("equality", "Equality and provider diversity", equality);
  out += "</main>\n<footer id=\"provenance\"><h2>What this report reflects</h2><p>";
  for (const char c : ProvenanceText(in.provenance)) {
    if (c == '\n') {
      out += "<br>";
    } else {
      out += HtmlEscape(std::string_view(&c, 1));
    }
  }
  if (!in.result_sha256.empty()) {
    out += "The month's reconciliation result: sha256 " + HtmlEscape(in.result_sha256) +
           " (<code>ringfence reconcile --month " + HtmlEscape(month) + " --check</code> recomputes a signed-off one).";
  }
  out += "</p></footer>\n</body></html>\n";
  return out;
}

}  // namespace rf
