#ifndef RINGFENCE_RECONCILE_TABLE_H_
#define RINGFENCE_RECONCILE_TABLE_H_

// A report as a table, rendered for people (aligned text), for spreadsheets
// (RFC 4180 CSV) or for programs (JSON: a list of objects keyed by column
// id). Pure: returns strings.

#include <nlohmann/json.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace rf {

struct TableColumn {
  std::string id;        // JSON key and CSV header: "funded"
  std::string heading;   // text heading: "Funded"
  bool numeric = false;  // right-aligned; JSON keeps it a string (amounts are decimal strings)
};

struct Table {
  std::string title;
  std::vector<TableColumn> columns;
  std::vector<std::vector<std::string>> rows;  // each rows[i].size() == columns.size()
  std::vector<std::string> total;              // optional totals row (empty: none)
  std::vector<std::string> notes;              // shown under the text table
};

// A count for people: 30000 -> "30,000" (the text and HTML reports).
std::string GroupedCount(uint64_t n);

std::string RenderText(const Table& table);
// RFC 4180, CRLF. Every cell that begins =, +, -, @, tab or CR and is not a
// plain decimal number (-?digits(.digits)?) is written with a leading
// single quote (CSV injection); amounts such as -12.34 are kept as they are.
// The one CSV writer: every command's --format csv goes through it.
std::string RenderCsv(const Table& table);
nlohmann::json RenderJson(const Table& table);

}  // namespace rf

#endif  // RINGFENCE_RECONCILE_TABLE_H_
