#include "reconcile/disclosure.h"

#include <algorithm>
#include <boost/multiprecision/cpp_int.hpp>
#include <cassert>
#include <limits>
#include <map>
#include <numeric>
#include <optional>

namespace rf {
namespace {

using BigInt = boost::multiprecision::cpp_int;
using Cells = std::vector<uint32_t>;

// Suppression candidates tested one by one ("does hiding this alone make
// the target underivable?") before the first in preference order is taken.
constexpr size_t kCandidateTestsMax = 32;

// Fraction-free Gaussian elimination over the integers: rows kept with a
// leading (pivot) column each, every row divided by the gcd of its entries.
// Int is int64_t (checked: any overflow makes the result nullopt and the
// caller redoes it with BigInt) or BigInt (exact, never overflows).
template <typename Int>
class Echelon {
 public:
  explicit Echelon(size_t columns) : columns_(columns) {}

  // Reduces `row` against the rows so far (ascending pivot column, so a
  // zeroed column stays zero). Every column is scaled, not only those from
  // the pivot on: `row` may hold entries left of it (in non-pivot columns).
  // False on overflow.
  bool Reduce(std::vector<Int>& row) const {
    assert(row.size() == columns_);
    for (const auto& [pivot, basis] : rows_) {
      if (row[pivot] == 0) continue;
      const Int a = basis[pivot], f = row[pivot];
      for (size_t c = 0; c < columns_; ++c) {
        if (row[c] == 0 && basis[c] == 0) continue;
        if constexpr (std::is_same_v<Int, int64_t>) {
          int64_t x = 0, y = 0, z = 0;
          if (__builtin_mul_overflow(row[c], a, &x) || __builtin_mul_overflow(basis[c], f, &y) ||
              __builtin_sub_overflow(x, y, &z)) {
            return false;
          }
          row[c] = z;
        } else {
          row[c] = row[c] * a - basis[c] * f;
        }
      }
      assert(row[pivot] == 0);
      Normalise(row);
    }
    return true;
  }

  // Adds `row` to the span. False on overflow.
  bool Add(std::vector<Int> row) {
    if (!Reduce(row)) return false;
    for (size_t c = 0; c < columns_; ++c) {
      if (row[c] != 0) {
        assert(!rows_.contains(c));
        rows_.emplace(c, std::move(row));
        return true;
      }
    }
    return true;  // dependent: already in the span
  }

  size_t rank() const { return rows_.size(); }

 private:
  static void Normalise(std::vector<Int>& row) {
    Int g = 0;
    for (const Int& v : row) {
      if (v == 0) continue;
      if constexpr (std::is_same_v<Int, int64_t>) {
        if (v == std::numeric_limits<int64_t>::min()) return;  // leave it; the next step overflows cleanly
        g = std::gcd(g, v < 0 ? -v : v);
      } else {
        g = boost::multiprecision::gcd(g, v < 0 ? Int(-v) : v);
      }
      if (g == 1) return;
    }
    if (g <= 1) return;
    for (Int& v : row) v /= g;
  }

  size_t columns_;
  std::map<size_t, std::vector<Int>> rows_;  // pivot column -> row
};

template <typename Int>
std::vector<Int> Dense(size_t columns, const Cells& cells) {
  std::vector<Int> row(columns, Int(0));
  for (const uint32_t c : cells) row[c] = 1;
  return row;
}

// For each target, whether it lies in the span of `published`; nullopt on
// an int64 overflow.
template <typename Int>
std::optional<std::vector<bool>> SpanTestWith(size_t columns, const std::vector<const Cells*>& published,
                                              const std::vector<const Cells*>& targets) {
  Echelon<Int> echelon(columns);
  for (const Cells* p : published) {
    if (!echelon.Add(Dense<Int>(columns, *p))) return std::nullopt;
  }
  assert(echelon.rank() <= std::min(columns, published.size()));
  std::vector<bool> out;
  out.reserve(targets.size());
  for (const Cells* t : targets) {
    std::vector<Int> row = Dense<Int>(columns, *t);
    if (!echelon.Reduce(row)) return std::nullopt;
    out.push_back(std::all_of(row.begin(), row.end(), [](const Int& v) { return v == 0; }));
  }
  return out;
}

std::vector<bool> SpanTest(size_t columns, const std::vector<const Cells*>& published,
                           const std::vector<const Cells*>& targets) {
  if (auto fast = SpanTestWith<int64_t>(columns, published, targets)) return *fast;
  auto exact = SpanTestWith<BigInt>(columns, published, targets);
  assert(exact.has_value());
  return *exact;
}

bool Includes(const Cells& outer_sorted, const Cells& inner_sorted) {
  return std::includes(outer_sorted.begin(), outer_sorted.end(), inner_sorted.begin(), inner_sorted.end());
}

struct Candidate {
  size_t figure = 0;
  size_t tightest_cells = 0;  // cells of the smallest shown figure holding candidate and target
  bool total = false;         // more than one cell
  bool narrow = false;        // below 2 * threshold - 1: next to a 1..threshold-1 cell it may pin both
  uint64_t value = 0;
};

bool operator<(const Candidate& a, const Candidate& b) {
  return std::tie(a.tightest_cells, a.total, a.narrow, a.value, a.figure) <
         std::tie(b.tightest_cells, b.total, b.narrow, b.value, b.figure);
}

Status CheckDisclosureProblem(const DisclosureProblem& p) {
  if (p.threshold == 0) return Status::InvalidInput("disclosure: the threshold must be at least 1");
  if (p.cell_counts.size() > kDisclosureCellsMax) {
    return Status::InvalidInput("disclosure: " + std::to_string(p.cell_counts.size()) + " cells, more than " +
                                std::to_string(kDisclosureCellsMax) + " (report fewer breakdowns at once)");
  }
  if (p.figures.size() > kDisclosureFiguresMax) {
    return Status::InvalidInput("disclosure: " + std::to_string(p.figures.size()) + " figures, more than " +
                                std::to_string(kDisclosureFiguresMax));
  }
  for (size_t f = 0; f < p.figures.size(); ++f) {
    std::vector<bool> seen(p.cell_counts.size(), false);
    for (const uint32_t c : p.figures[f].cells) {
      if (c >= p.cell_counts.size() || seen[c]) {
        return Status::InvalidInput("disclosure: figure " + std::to_string(f) + " names cell " + std::to_string(c) +
                                    " out of range or twice");
      }
      seen[c] = true;
    }
  }
  return Status::Ok();
}

}  // namespace

bool InRowSpace(size_t cells, const std::vector<std::vector<uint32_t>>& published,
                const std::vector<uint32_t>& target) {
  std::vector<const Cells*> p;
  for (const auto& row : published) p.push_back(&row);
  return SpanTest(cells, p, {&target})[0];
}

std::string SuppressedText(FigureStatus status, uint64_t threshold) {
  assert(status == FigureStatus::kPrimary || status == FigureStatus::kSecondary);
  return status == FigureStatus::kPrimary ? "<" + std::to_string(threshold) : "[c]";
}

Result<DisclosureResult> SuppressFigures(const DisclosureProblem& problem) {
  RF_RETURN_IF_ERROR(CheckDisclosureProblem(problem));
  const size_t n = problem.cell_counts.size(), figures = problem.figures.size();
  DisclosureResult out;
  std::vector<Cells> sorted(figures);
  for (size_t f = 0; f < figures; ++f) {
    sorted[f] = problem.figures[f].cells;
    std::sort(sorted[f].begin(), sorted[f].end());
    uint64_t value = 0;
    for (const uint32_t c : sorted[f]) value += problem.cell_counts[c];
    out.values.push_back(value);
    const bool small = value >= 1 && value < problem.threshold;
    if (!problem.figures[f].shown) {
      out.status.push_back(FigureStatus::kNotShown);
    } else {
      out.status.push_back(small ? FigureStatus::kPrimary : FigureStatus::kShown);
      if (small) ++out.primary;
    }
  }
  // The reader knows every zero cell (a zero figure shows its cells are zero).
  std::vector<Cells> zero_cells;
  for (size_t c = 0; c < n; ++c) {
    if (problem.cell_counts[c] == 0) zero_cells.push_back({static_cast<uint32_t>(c)});
  }
  auto is_protected = [&](size_t f) {
    const FigureStatus s = out.status[f];
    if (s == FigureStatus::kPrimary || s == FigureStatus::kSecondary) return true;
    return s == FigureStatus::kNotShown && out.values[f] >= 1 && out.values[f] < problem.threshold;
  };
  auto published_without = [&](size_t skip) {
    std::vector<const Cells*> p;
    for (const auto& z : zero_cells) p.push_back(&z);
    for (size_t f = 0; f < figures; ++f) {
      if (f != skip && out.status[f] == FigureStatus::kShown) p.push_back(&sorted[f]);
    }
    return p;
  };
  // Each step suppresses one more figure, so at most `figures` steps.
  for (size_t step = 0; step <= figures; ++step) {
    std::vector<size_t> targets;
    std::vector<const Cells*> target_cells;
    for (size_t f = 0; f < figures; ++f) {
      if (is_protected(f)) {
        targets.push_back(f);
        target_cells.push_back(&sorted[f]);
      }
    }
    const std::vector<bool> derivable = SpanTest(n, published_without(figures), target_cells);
    const auto first = std::find(derivable.begin(), derivable.end(), true);
    if (first == derivable.end()) return out;
    const size_t target = targets[static_cast<size_t>(first - derivable.begin())];
    std::vector<Candidate> candidates;
    for (size_t f = 0; f < figures; ++f) {
      if (out.status[f] != FigureStatus::kShown || out.values[f] == 0) continue;
      Cells both;
      std::set_union(sorted[f].begin(), sorted[f].end(), sorted[target].begin(), sorted[target].end(),
                     std::back_inserter(both));
      size_t tightest = std::numeric_limits<size_t>::max();
      for (size_t g = 0; g < figures; ++g) {
        if (problem.figures[g].shown && sorted[g].size() < tightest && Includes(sorted[g], both)) {
          tightest = sorted[g].size();
        }
      }
      candidates.push_back({.figure = f,
                            .tightest_cells = tightest,
                            .total = sorted[f].size() > 1,
                            .narrow = out.values[f] < 2 * problem.threshold - 1,
                            .value = out.values[f]});
    }
    // A derivable target with a positive count needs a shown positive figure.
    assert(!candidates.empty());
    std::sort(candidates.begin(), candidates.end());
    size_t chosen = candidates.front().figure;
    for (size_t i = 0; i < candidates.size() && i < kCandidateTestsMax; ++i) {
      if (!SpanTest(n, published_without(candidates[i].figure), {&sorted[target]})[0]) {
        chosen = candidates[i].figure;
        break;
      }
    }
    assert(out.status[chosen] == FigureStatus::kShown);
    out.status[chosen] = FigureStatus::kSecondary;
    ++out.secondary;
  }
  assert(false && "every step suppresses a figure");
  return out;
}

}  // namespace rf
