#include "reconcile/table.h"

#include <algorithm>
#include <cassert>
#include <string_view>

namespace rf {
namespace {

// Display width: UTF-8 continuation bytes take no column.
size_t Width(const std::string& s) {
  size_t n = 0;
  for (const unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

void Cell(std::string* out, const std::string& text, size_t width, bool right) {
  const size_t pad = width - std::min(width, Width(text));
  if (right) out->append(pad, ' ');
  *out += text;
  if (!right) out->append(pad, ' ');
}

// "1234567.50" -> "1,234,567.50" for people; anything else unchanged.
std::string Grouped(const std::string& s) {
  const size_t start = !s.empty() && s[0] == '-' ? 1 : 0;
  const size_t point = s.find('.');
  if (point == std::string::npos || point <= start || point + 3 != s.size()) return s;
  for (size_t i = start; i < s.size(); ++i) {
    if (i != point && (s[i] < '0' || s[i] > '9')) return s;
  }
  std::string out = s.substr(0, start);
  for (size_t i = start; i < point; ++i) {
    out += s[i];
    const size_t left = point - i - 1;
    if (left > 0 && left % 3 == 0) out += ',';
  }
  return out + s.substr(point);
}

}  // namespace

std::string GroupedCount(uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

namespace {

// A plain decimal number: -?digits(.digits)? ("-12.34", "0", "1500").
bool IsPlainNumber(const std::string& s) {
  size_t i = s[0] == '-' ? 1 : 0;
  const size_t digits_from = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == digits_from) return false;
  if (i == s.size()) return true;
  if (s[i] != '.' || ++i == s.size()) return false;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  return i == s.size();
}

// CSV injection (OWASP): a spreadsheet runs a cell beginning =, +, -, @,
// tab or CR as a formula. Such a cell gets a leading single quote, which
// spreadsheets show as text; a plain number ("-12.34", an amount) is data
// and kept as it is, so amounts still sum.
std::string Neutralised(const std::string& s) {
  if (s.empty() || std::string_view("=+-@\t\r").find(s[0]) == std::string_view::npos) return s;
  if (IsPlainNumber(s)) return s;
  return "'" + s;
}

std::string CsvField(const std::string& cell) {
  const std::string s = Neutralised(cell);
  assert(s.empty() || s[0] != '=');
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string RenderText(const Table& table) {
  const size_t n = table.columns.size();
  // Amounts are grouped in thousands for people (CSV and JSON keep them plain).
  auto shown = [&](std::vector<std::string> row) {
    for (size_t i = 0; i < n && i < row.size(); ++i) {
      if (table.columns[i].numeric) row[i] = Grouped(row[i]);
    }
    return row;
  };
  std::vector<std::vector<std::string>> rows;
  for (const auto& row : table.rows) rows.push_back(shown(row));
  const std::vector<std::string> total = table.total.empty() ? table.total : shown(table.total);
  std::vector<size_t> widths(n);
  for (size_t i = 0; i < n; ++i) widths[i] = Width(table.columns[i].heading);
  auto widen = [&](const std::vector<std::string>& row) {
    assert(row.size() == n);
    for (size_t i = 0; i < n; ++i) widths[i] = std::max(widths[i], Width(row[i]));
  };
  for (const auto& row : rows) widen(row);
  if (!total.empty()) widen(total);
  std::string out;
  if (!table.title.empty()) out += table.title + "\n\n";
  auto line = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < n; ++i) {
      if (i > 0) out += "  ";
      Cell(&out, row[i], widths[i], table.columns[i].numeric);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += "\n";
  };
  std::vector<std::string> headings;
  for (const auto& c : table.columns) headings.push_back(c.heading);
  line(headings);
  std::vector<std::string> rule;
  for (size_t i = 0; i < n; ++i) rule.push_back(std::string(widths[i], '-'));
  line(rule);
  for (const auto& row : rows) line(row);
  if (rows.empty()) out += "(none)\n";
  if (!total.empty()) {
    line(rule);
    line(total);
  }
  for (const auto& note : table.notes) out += "\n" + note;
  if (!table.notes.empty()) out += "\n";
  return out;
}

std::string RenderCsv(const Table& table) {
  std::string out;
  for (size_t i = 0; i < table.columns.size(); ++i) out += (i ? "," : "") + CsvField(table.columns[i].id);
  out += "\r\n";
  auto emit = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size(); ++i) out += (i ? "," : "") + CsvField(row[i]);
    out += "\r\n";
  };
  for (const auto& row : table.rows) emit(row);
  if (!table.total.empty()) emit(table.total);
  return out;
}

nlohmann::json RenderJson(const Table& table) {
  auto object = [&](const std::vector<std::string>& row) {
    nlohmann::json o = nlohmann::json::object();
    for (size_t i = 0; i < row.size(); ++i) o[table.columns[i].id] = row[i];
    return o;
  };
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : table.rows) rows.push_back(object(row));
  nlohmann::json out = {{"title", table.title}, {"rows", rows}};
  if (!table.total.empty()) out["total"] = object(table.total);
  if (!table.notes.empty()) out["notes"] = table.notes;
  return out;
}

}  // namespace rf
