// reviews: review_id, budget_id, reviewed_on, outcome, reviewed_by.
#include "ingest/identifiers.h"
#include "ingest/ingest_kinds.h"
#include "ledger/core/entry_kinds.h"
#include "ledger/core/views.h"

namespace rf {
namespace {

enum Column : size_t { kReviewId, kBudgetId, kReviewedOn, kOutcome, kReviewedBy };
constexpr CsvColumnSpec kColumns[] = {{"review_id"}, {"budget_id"}, {"reviewed_on"}, {"outcome"}, {"reviewed_by"}};

void ParseReview(RowFields& row, const RowContext& context, ParsedRow* out) {
  ReviewFields f;
  f.review_id = row.Id(kReviewId);
  f.budget_id = row.Id(kBudgetId);
  f.reviewed_on = EventDay(row, kReviewedOn, context);
  f.outcome = row.Choice(kOutcome, kReviewOutcomeNames);
  f.reviewed_by = row.Text(kReviewedBy, true);
  if (!row.ok()) return;
  out->key = RecordKey(RecordKind::kReview, f.review_id);
  out->label = "review " + f.review_id;
  out->references = {{RecordKey(RecordKind::kBudget, f.budget_id), kBudgetId, "budget"}};
  out->draft = ReviewDraft(f, {context.actor, ""});
}

}  // namespace

const CsvKind& ReviewsKind() {
  static const CsvKind kind{"reviews", kColumns, &ParseReview};
  return kind;
}

}  // namespace rf
