// Statistical disclosure control (reconcile/disclosure.h): small counts are
// shown as "<5", and no suppressed figure can be worked out from what is
// shown. The attacker here is independent of the suppressor: it computes the
// null space of the published system with rational arithmetic (reduced row
// echelon form over cpp_rational), and a figure is derivable iff every
// null-space vector is orthogonal to it.

#include "reconcile/disclosure.h"

#include <boost/multiprecision/cpp_int.hpp>
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

namespace rf::disclosure_test {

using Rational = boost::multiprecision::cpp_rational;
using Matrix = std::vector<std::vector<Rational>>;

// The null space of `rows` (n columns): vectors x with row . x == 0 for every row.
std::vector<std::vector<Rational>> DisclosureNullSpace(Matrix rows, size_t n) {
  std::vector<size_t> pivot_columns;
  size_t r = 0;
  for (size_t c = 0; c < n && r < rows.size(); ++c) {
    size_t p = r;
    while (p < rows.size() && rows[p][c] == 0) ++p;
    if (p == rows.size()) continue;
    std::swap(rows[p], rows[r]);
    const Rational lead = rows[r][c];
    for (auto& v : rows[r]) v /= lead;
    for (size_t i = 0; i < rows.size(); ++i) {
      if (i == r || rows[i][c] == 0) continue;
      const Rational f = rows[i][c];
      for (size_t k = 0; k < n; ++k) rows[i][k] -= f * rows[r][k];
    }
    pivot_columns.push_back(c);
    ++r;
  }
  std::vector<bool> is_pivot(n, false);
  for (const size_t c : pivot_columns) is_pivot[c] = true;
  std::vector<std::vector<Rational>> basis;
  for (size_t free = 0; free < n; ++free) {
    if (is_pivot[free]) continue;
    std::vector<Rational> x(n, Rational(0));
    x[free] = 1;
    for (size_t i = 0; i < pivot_columns.size(); ++i) x[pivot_columns[i]] = -rows[i][free];
    basis.push_back(std::move(x));
  }
  return basis;
}

// Whether the attacker can compute the sum of `cells` from the shown
// figures and the zero cells.
struct DisclosureAttacker {
  std::vector<std::vector<Rational>> null_space;

  DisclosureAttacker(const DisclosureProblem& p, const DisclosureResult& r) {
    const size_t n = p.cell_counts.size();
    Matrix rows;
    for (size_t f = 0; f < p.figures.size(); ++f) {
      if (r.status[f] != FigureStatus::kShown) continue;
      std::vector<Rational> row(n, Rational(0));
      for (const uint32_t c : p.figures[f].cells) row[c] = 1;
      rows.push_back(std::move(row));
    }
    for (size_t c = 0; c < n; ++c) {
      if (p.cell_counts[c] != 0) continue;
      std::vector<Rational> row(n, Rational(0));
      row[c] = 1;
      rows.push_back(std::move(row));
    }
    null_space = DisclosureNullSpace(std::move(rows), n);
  }

  bool Derives(const std::vector<uint32_t>& cells) const {
    for (const auto& x : null_space) {
      Rational dot = 0;
      for (const uint32_t c : cells) dot += x[c];
      if (dot != 0) return false;
    }
    return true;
  }
};

// A 3-way population (rows x columns x layers) published as two tables
// sharing the grand total: rows x columns with its margins, and rows x
// layers with its margins; plus the hidden complement "all but column 0"
// of each row (as a share would reveal).
DisclosureProblem DisclosureRandomProblem(std::mt19937& rng) {
  std::uniform_int_distribution<int> size(1, 4), layers_size(1, 3), kind(0, 9), small(0, 6), big(5, 60);
  const uint32_t rows = size(rng), cols = size(rng), layers = layers_size(rng);
  DisclosureProblem p;
  auto cell = [&](uint32_t i, uint32_t j, uint32_t k) { return (i * cols + j) * layers + k; };
  for (uint32_t c = 0; c < rows * cols * layers; ++c) {
    p.cell_counts.push_back(kind(rng) < 6 ? static_cast<uint64_t>(small(rng)) : static_cast<uint64_t>(big(rng)));
  }
  auto add = [&](auto pick, bool shown) {
    DisclosureFigure f{.cells = {}, .shown = shown};
    for (uint32_t i = 0; i < rows; ++i)
      for (uint32_t j = 0; j < cols; ++j)
        for (uint32_t k = 0; k < layers; ++k)
          if (pick(i, j, k)) f.cells.push_back(cell(i, j, k));
    p.figures.push_back(std::move(f));
  };
  for (uint32_t i = 0; i < rows; ++i) {
    for (uint32_t j = 0; j < cols; ++j) add([&](uint32_t a, uint32_t b, uint32_t) { return a == i && b == j; }, true);
    for (uint32_t k = 0; k < layers; ++k) add([&](uint32_t a, uint32_t, uint32_t c) { return a == i && c == k; }, true);
    add([&](uint32_t a, uint32_t, uint32_t) { return a == i; }, true);
    add([&](uint32_t a, uint32_t b, uint32_t) { return a == i && b != 0; }, false);
  }
  for (uint32_t j = 0; j < cols; ++j) add([&](uint32_t, uint32_t b, uint32_t) { return b == j; }, true);
  for (uint32_t k = 0; k < layers; ++k) add([&](uint32_t, uint32_t, uint32_t c) { return c == k; }, true);
  add([](uint32_t, uint32_t, uint32_t) { return true; }, true);
  return p;
}

TEST_CASE("disclosure: on random tables no suppressed figure can be derived from the shown ones") {
  std::mt19937 rng(20261206);
  size_t suppressed_total = 0, secondary_total = 0;
  for (int round = 0; round < 1000; ++round) {
    const DisclosureProblem p = DisclosureRandomProblem(rng);
    auto r = SuppressFigures(p);
    REQUIRE(r.ok());
    REQUIRE(r->status.size() == p.figures.size());
    const DisclosureAttacker attacker(p, *r);
    for (size_t f = 0; f < p.figures.size(); ++f) {
      const uint64_t v = r->values[f];
      const bool small = v >= 1 && v < p.threshold;
      INFO("round " << round << " figure " << f << " value " << v);
      if (p.figures[f].shown) {
        // Every shown small count is suppressed; nothing else is primary.
        CHECK((r->status[f] == FigureStatus::kPrimary) == small);
      }
      const bool must_hide = r->status[f] == FigureStatus::kPrimary || r->status[f] == FigureStatus::kSecondary ||
                             (r->status[f] == FigureStatus::kNotShown && small);
      if (!must_hide) continue;
      ++suppressed_total;
      if (r->status[f] == FigureStatus::kSecondary) ++secondary_total;
      CHECK_FALSE(attacker.Derives(p.figures[f].cells));
    }
  }
  CHECK(suppressed_total > 1000);  // the rounds did exercise suppression
  CHECK(secondary_total > 300);
}

TEST_CASE("disclosure: one small cell in a row with a shown total forces a second suppression in that row") {
  // cells a=2, b=10, c=20; figures a, b, c, total.
  DisclosureProblem p{.cell_counts = {2, 10, 20},
                      .figures = {{.cells = {0}, .shown = true},
                                  {.cells = {1}, .shown = true},
                                  {.cells = {2}, .shown = true},
                                  {.cells = {0, 1, 2}, .shown = true}},
                      .threshold = 5};
  auto r = SuppressFigures(p);
  REQUIRE(r.ok());
  CHECK(r->status[0] == FigureStatus::kPrimary);
  CHECK(r->status[1] == FigureStatus::kSecondary);  // the smallest other cell in the row
  CHECK(r->status[2] == FigureStatus::kShown);
  CHECK(r->status[3] == FigureStatus::kShown);
  CHECK(r->primary == 1);
  CHECK(r->secondary == 1);
  CHECK_FALSE(InRowSpace(3, {{2}, {0, 1, 2}}, {0}));
  CHECK(InRowSpace(3, {{1}, {2}, {0, 1, 2}}, {0}));
}

TEST_CASE("disclosure: a count of 1 is shown as <5") {
  DisclosureProblem p{.cell_counts = {1}, .figures = {{.cells = {0}, .shown = true}}, .threshold = 5};
  auto r = SuppressFigures(p);
  REQUIRE(r.ok());
  CHECK(r->status[0] == FigureStatus::kPrimary);
  CHECK(SuppressedText(r->status[0], p.threshold) == "<5");
  CHECK(SuppressedText(FigureStatus::kSecondary, p.threshold) == "[c]");
}

TEST_CASE("disclosure: with threshold 5 a count of 4 is suppressed and 5 is shown, zero is shown") {
  DisclosureProblem p{.cell_counts = {4, 5, 0},
                      .figures = {{.cells = {0}, .shown = true},
                                  {.cells = {1}, .shown = true},
                                  {.cells = {2}, .shown = true}},
                      .threshold = 5};
  auto r = SuppressFigures(p);
  REQUIRE(r.ok());
  CHECK(r->status[0] == FigureStatus::kPrimary);
  CHECK(r->status[1] == FigureStatus::kShown);
  CHECK(r->status[2] == FigureStatus::kShown);
  p.threshold = 6;  // configurable: 5 is now small
  r = SuppressFigures(p);
  REQUIRE(r.ok());
  CHECK(r->status[1] == FigureStatus::kPrimary);
  CHECK(SuppressedText(r->status[1], 6) == "<6");
}

TEST_CASE("disclosure: a small hidden complement (people minus on DP) hides the share's count") {
  // cells: on DP 36, not on DP 1. Shown: people (both), on DP; hidden: not on DP.
  DisclosureProblem p{.cell_counts = {36, 1},
                      .figures = {{.cells = {0, 1}, .shown = true},
                                  {.cells = {0}, .shown = true},
                                  {.cells = {1}, .shown = false}},
                      .threshold = 5};
  auto r = SuppressFigures(p);
  REQUIRE(r.ok());
  CHECK(r->status[2] == FigureStatus::kNotShown);
  CHECK(r->status[1] == FigureStatus::kSecondary);  // the on-DP count (and so its share) goes
  CHECK(r->status[0] == FigureStatus::kShown);
}

TEST_CASE("disclosure: a zero cell the reader knows does not let a suppressed cell through") {
  // a=3 (small), z=0, b=9 in one row with total 12: hiding b alone leaves
  // a+b = 12 - z, which is not a; the zero is known and stays shown.
  DisclosureProblem p{.cell_counts = {3, 0, 9},
                      .figures = {{.cells = {0}, .shown = true},
                                  {.cells = {1}, .shown = true},
                                  {.cells = {2}, .shown = true},
                                  {.cells = {0, 1, 2}, .shown = true}},
                      .threshold = 5};
  auto r = SuppressFigures(p);
  REQUIRE(r.ok());
  CHECK(r->status[1] == FigureStatus::kShown);
  CHECK(r->status[2] == FigureStatus::kSecondary);
  const DisclosureAttacker attacker(p, *r);
  CHECK_FALSE(attacker.Derives({0}));
  CHECK_FALSE(attacker.Derives({2}));
}

TEST_CASE("disclosure: bad problems are refused") {
  DisclosureProblem p{.cell_counts = {1, 2}, .figures = {{.cells = {0, 0}, .shown = true}}, .threshold = 5};
  CHECK_FALSE(SuppressFigures(p).ok());
  p.figures = {{.cells = {2}, .shown = true}};
  CHECK_FALSE(SuppressFigures(p).ok());
  p.figures = {};
  p.threshold = 0;
  CHECK_FALSE(SuppressFigures(p).ok());
  p.threshold = 5;
  p.cell_counts.assign(kDisclosureCellsMax + 1, 1);
  CHECK_FALSE(SuppressFigures(p).ok());
}

}  // namespace rf::disclosure_test

namespace rf::disclosure_test {

TEST_CASE("disclosure: the span test finds a column total = grand total - the other columns, in any order") {
  // Found by the random test: the elimination scaled a row only from the
  // pivot on, so an entry left of it kept the wrong sign.
  const std::vector<std::vector<uint32_t>> published = {
      {0}, {3, 4, 5}, {3, 4, 5}, {8}, {0, 1, 2, 3, 4, 5, 6, 7, 8}, {0, 3, 6}, {1, 4, 7}, {0}, {8}};
  CHECK(InRowSpace(9, published, {2, 5, 8}));
  CHECK(InRowSpace(9, published, {2, 5}));
  CHECK_FALSE(InRowSpace(9, published, {2}));
}

}  // namespace rf::disclosure_test

namespace rf::disclosure_test {

// The equality report's shape (reconcile/equality.cc): groups x levels x
// {on DP, flagged}; shown people, on DP and flagged for every group, level,
// group x level and the grand total; hidden complements (not on DP, not
// flagged) and interior cells; a random threshold.
DisclosureProblem DisclosureEqualityShape(std::mt19937& rng) {
  std::uniform_int_distribution<int> groups_size(2, 6), levels_size(1, 4), kind(0, 9), small(0, 4), big(5, 40),
      threshold(2, 7);
  const uint32_t groups = groups_size(rng), levels = levels_size(rng);
  DisclosureProblem p{.cell_counts = {}, .figures = {}, .threshold = static_cast<uint64_t>(threshold(rng))};
  for (uint32_t c = 0; c < groups * levels * 4; ++c) {
    p.cell_counts.push_back(kind(rng) < 5 ? static_cast<uint64_t>(small(rng)) : static_cast<uint64_t>(big(rng)));
  }
  const std::vector<std::pair<std::vector<uint32_t>, bool>> measures = {
      {{0, 1, 2, 3}, true}, {{2, 3}, true}, {{1, 3}, true}, {{0, 1}, false}, {{0, 2}, false}};
  auto add_set = [&](auto in_set) {
    for (const auto& [kinds, shown] : measures) {
      DisclosureFigure f{.cells = {}, .shown = shown};
      for (uint32_t g = 0; g < groups; ++g)
        for (uint32_t l = 0; l < levels; ++l)
          if (in_set(g, l))
            for (const uint32_t k : kinds) f.cells.push_back((g * levels + l) * 4 + k);
      p.figures.push_back(std::move(f));
    }
  };
  for (uint32_t g = 0; g < groups; ++g) add_set([&](uint32_t a, uint32_t) { return a == g; });
  for (uint32_t l = 0; l < levels; ++l) add_set([&](uint32_t, uint32_t b) { return b == l; });
  for (uint32_t g = 0; g < groups; ++g)
    for (uint32_t l = 0; l < levels; ++l) add_set([&](uint32_t a, uint32_t b) { return a == g && b == l; });
  add_set([](uint32_t, uint32_t) { return true; });
  for (uint32_t c = 0; c < groups * levels * 4; ++c) p.figures.push_back({.cells = {c}, .shown = false});
  return p;
}

TEST_CASE("disclosure: on random tables shaped like the equality report nothing hidden can be derived") {
  std::mt19937 rng(18);
  size_t secondary_total = 0;
  for (int round = 0; round < 120; ++round) {
    const DisclosureProblem p = DisclosureEqualityShape(rng);
    auto r = SuppressFigures(p);
    REQUIRE(r.ok());
    const DisclosureAttacker attacker(p, *r);
    secondary_total += r->secondary;
    for (size_t f = 0; f < p.figures.size(); ++f) {
      const uint64_t v = r->values[f];
      const bool small = v >= 1 && v < p.threshold;
      const bool must_hide = r->status[f] == FigureStatus::kPrimary || r->status[f] == FigureStatus::kSecondary ||
                             (r->status[f] == FigureStatus::kNotShown && small);
      if (!must_hide) continue;
      INFO("round " << round << " figure " << f << " value " << v << " threshold " << p.threshold);
      CHECK_FALSE(attacker.Derives(p.figures[f].cells));
    }
  }
  CHECK(secondary_total > 50);
}

}  // namespace rf::disclosure_test

namespace rf::disclosure_test {

TEST_CASE("disclosure: the partner of a small cell is large enough that the labels do not pin either") {
  // a=1, b=5, c=20, total 26. Hiding b would publish a+b = 6 with a "<5"
  // (1..4) and b "[c]" (at least 5): a=1, b=5. Hiding c leaves a+c = 21.
  DisclosureProblem p{.cell_counts = {1, 5, 20},
                      .figures = {{.cells = {0}, .shown = true},
                                  {.cells = {1}, .shown = true},
                                  {.cells = {2}, .shown = true},
                                  {.cells = {0, 1, 2}, .shown = true}},
                      .threshold = 5};
  auto r = SuppressFigures(p);
  REQUIRE(r.ok());
  CHECK(r->status[0] == FigureStatus::kPrimary);
  CHECK(r->status[1] == FigureStatus::kShown);
  CHECK(r->status[2] == FigureStatus::kSecondary);
  // 9 = 2 * 5 - 1 is wide enough: a+b = 10 leaves a anywhere in 1..4.
  p.cell_counts = {1, 9, 20};
  r = SuppressFigures(p);
  REQUIRE(r.ok());
  CHECK(r->status[1] == FigureStatus::kSecondary);
}

}  // namespace rf::disclosure_test
