#ifndef RINGFENCE_RECONCILE_MATCH_TEXT_H_
#define RINGFENCE_RECONCILE_MATCH_TEXT_H_

// The sentences of match.h's unmatched reasons, in words a finance manager
// can act on; amounts in pounds ("£1,234.50"), dates ISO. Pure.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/core/date.h"
#include "ledger/core/money.h"
#include "reconcile/match.h"

namespace rf::match_internal::text {

// "A, B and 3 more" of `count` ids of which `ids` are the first listed.
std::string IdList(const std::vector<std::string>& ids, size_t count);

std::string Inflow(const Pence& amount);
std::string UnknownEndToEndId(std::string_view id);
std::string ClosedEndToEndId(const ClosedPaymentIn& payment, int64_t line_out_pence, std::string_view line_payee,
                             bool payee_differs);
std::string EndToEndIdOnPayments(std::string_view id, const std::vector<std::string>& payment_ids);
std::string EndToEndAmountDiffers(std::string_view payment_id, int64_t line_out_pence, int64_t payment_pence);
std::string PaymentNamedAmountDiffers(std::string_view line_id, int64_t line_out_pence, int64_t payment_pence);
std::string EndToEndNoPayee(std::string_view payment_id);
std::string EndToEndPayeeDiffers(std::string_view payment_id, std::string_view line_payee, std::string_view payee);
std::string PaymentNamedPayeeDiffers(std::string_view line_id, std::string_view line_payee);
std::string BeforeRunDate(std::string_view what, Date run_date, Date booked_on);
std::string LineRepeated(std::string_view what, const std::vector<std::string>& line_ids);
std::string ConfirmedByLines(std::string_view by_what, const std::vector<std::string>& line_ids);
std::string BatchRunNotOpen(std::string_view run_id);
std::string BatchTotalDiffers(std::string_view run_id, size_t payments, int64_t line_out_pence, int64_t total_pence);
std::string AmbiguousRuns(const std::vector<std::string>& run_ids, size_t count, size_t group_lines);
std::string AmbiguousRunLines(const std::vector<std::string>& line_ids, size_t count);
std::string AmbiguousPayments(const std::vector<std::string>& payment_ids, size_t count, size_t group_lines,
                              size_t group_payments);
std::string AmbiguousLines(const std::vector<std::string>& line_ids, size_t count, size_t group_lines,
                           size_t group_payments);

// Leftovers (match_explain.cc).
std::string LineOutsideWindow(std::string_view payment_id, Date run_date, Date window_end, Date booked_on);
std::string LineCandidateHeld(std::string_view payment_id);
std::string LineAmountDiffers(std::string_view payment_id, Date run_date, int64_t line_out_pence,
                              int64_t payment_pence);
std::string LineOtherPayee(std::string_view payment_id, std::string_view payee, std::string_view line_payee);
std::string LineNoPayment(int64_t line_out_pence, std::string_view line_payee, uint32_t window_business_days);
std::string LineNoPayeeNoRun(int64_t line_out_pence, uint32_t window_business_days);
std::string PaymentLineOutsideWindow(std::string_view line_id, Date booked_on, Date run_date, Date window_end);
std::string PaymentNoLine(int64_t payment_pence, std::string_view payee, Date run_date, Date window_end);
std::string PaymentNotPositive(int64_t payment_pence);

}  // namespace rf::match_internal::text

#endif  // RINGFENCE_RECONCILE_MATCH_TEXT_H_
