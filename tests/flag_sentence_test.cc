// A threshold flag's sentence is made from its facts when it is printed
// (reconcile/flag_sentence.h), no longer when it is raised: known answers,
// for every flag code the evaluator raises and every form of its sentence,
// the sentences the evaluator built before (62f653c), word for word.

#include "reconcile/flag_sentence.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "reconcile/flags.h"
#include "reconcile/month_flags.h"
#include "tests/flag_inputs.h"

namespace rf::flag_sentence_test {
namespace {

using test::FlagBudget;
using test::FlagDay;
using test::FlagInvoice;
using test::FlagPayment;
using test::FlagPence;
using test::FlagProvider;

// Every code the evaluator raises, each form of its sentence at least once
// (paid and unpaid, a named and an unnamed provider, a small VCSE, with and
// without a review, an unknown and an unapproved provider, a pot with and
// without a name).
FlagInputs EveryForm() {
  FlagInputs in;
  in.month_end = FlagDay("2026-03-31");
  in.providers = {FlagProvider("PR-1", "Small Care CIC", "vcse", "micro", true),
                  FlagProvider("PR-2", "", "private", "large", false),
                  FlagProvider("PR-3", "Big Care Ltd", "private", "large", true)};
  in.budgets = {FlagBudget("B-1", Management::kDirectPayment, 3'650'000, "2025-01-01", "2026-12-31", "2024-12-01"),
                FlagBudget("B-2", Management::kNotional, 2'000'000, "2025-10-01", "2026-09-30", "2025-09-01"),
                FlagBudget("B-3", Management::kDirectPayment, 500'000, "2026-02-01", "2027-01-31", "2026-01-10"),
                FlagBudget("B-4", Management::kDirectPayment, 1'200'000, "2025-06-01", "2026-05-31", "2025-05-01"),
                FlagBudget("B-5", Management::kThirdParty, 900'000, "2026-01-01", "2026-12-31", "2026-01-01")};
  in.budgets[0].first_payment_on = FlagDay("2025-01-03");
  in.budgets[0].first_payment_seq = 21;
  in.budgets[2].first_payment_on = FlagDay("2026-03-05");
  in.budgets[2].first_payment_seq = 22;
  in.budgets[3].first_payment_on = FlagDay("2025-06-02");
  ReviewRecord review;
  review.seq = 50;
  review.budget_id = "B-1";
  review.reviewed_on = FlagDay("2025-03-30");
  review.outcome = ReviewOutcome::kContinue;
  in.reviews = {review};
  in.invoices = {FlagInvoice("INV-1", "PR-1", "2026-03-01", 5'000, "B-2"),   // small VCSE, unpaid
                 FlagInvoice("INV-2", "PR-3", "2026-01-15", 7'000, "B-2"),   // named, unpaid
                 FlagInvoice("INV-3", "PR-2", "2026-01-20", 9'000, "B-2"),   // unnamed, unapproved
                 FlagInvoice("INV-4", "PR-9", "2026-03-30", 1'000, "B-2"),   // unknown provider
                 FlagInvoice("INV-5", "PR-3", "2026-01-02", 11'000, "B-2"),  // paid late in the month
                 FlagInvoice("INV-6", "PR-3", "2026-03-10", 4'000, "B-4"),   // duplicated by INV-7
                 FlagInvoice("INV-7", "PR-3", "2026-03-12", 4'000, "B-4")};
  in.invoices[6].service_from = in.invoices[6].service_to = in.invoices[5].service_from;
  in.invoices[6].seq = 31;
  PaymentFlagFacts pays_inv5 = FlagPayment("PAY-5", "2026-03-20", 11'000, "B-2");
  pays_inv5.purpose = PaymentPurpose::kInvoice;
  pays_inv5.invoice_id = "INV-5";
  pays_inv5.provider_id = "PR-3";
  pays_inv5.state = PaymentState::kSettled;
  pays_inv5.settled_on = FlagDay("2026-03-21");
  PaymentFlagFacts to_unapproved = FlagPayment("PAY-6", "2026-03-25", 3'000, "B-2");
  to_unapproved.purpose = PaymentPurpose::kInvoice;
  to_unapproved.invoice_id = "INV-X";
  to_unapproved.provider_id = "PR-2";
  PaymentFlagFacts late_instalment = FlagPayment("PAY-7", "2026-03-12", 75'000, "B-5");
  late_instalment.due_on = FlagDay("2026-03-01");
  late_instalment.state = PaymentState::kSettled;
  late_instalment.settled_on = FlagDay("2026-03-13");
  in.payments = {FlagPayment("PAY-1", "2026-03-02", 10'000, "B-1"), pays_inv5, to_unapproved, late_instalment};
  in.dp_balances = {{"B-1", FlagPence(900'000)}, {"B-4", FlagPence(400'000)}};
  in.dp_spent = {{"B-1", FlagPence(1'000)}};
  in.spent_by_category = {{.budget_id = "B-1", .category = "alcohol", .amount_pence = FlagPence(600)}};
  PotRecord named;
  named.seq = 60;
  named.pot_id = "POT-1";
  named.name = "Adults 2025";
  named.financial_year = "2025-26";
  named.amount = FlagPence(10'000'000);
  PotRecord unnamed = named;
  unnamed.pot_id = "POT-2";
  unnamed.name = "";
  in.pots = {named, unnamed};
  in.pot_unallocated = {{"POT-1", FlagPence(5'000'000)}, {"POT-2", FlagPence(3'000'000)}};
  in.due_instalments = {{"B-3", FlagDay("2026-02-01"), FlagPence(40'000)},
                        {"B-3", FlagDay("2026-03-01"), FlagPence(40'000)}};
  return in;
}

// The thresholds at their tightest: one-day limits ("1 day"), and a DP
// contingency (the sentence names it).
FlagThresholds Tight() {
  FlagThresholds t;
  t.delay_invoice_days = 0;
  t.delay_invoice_small_vcse_days = 0;
  t.delay_first_payment_days = 0;
  t.delay_dp_missed_days = 1;
  t.dp_surplus_contingency_pence = FlagPence(1'500);
  t.review_interval_months = 1;
  return t;
}

// EvaluateFlags over EveryForm() at 62f653c, with the default thresholds,
// then "--", then with Tight(): each flag's id and, indented, its sentence.
const char* const kExpected = R"golden(PROHIBITED_SPEND/spent:B-1:alcohol
  The direct-payment returns of budget B-1 report £6.00 spent on alcohol (spent:B-1:alcohol) by 2026-03-31, a category PHB money cannot buy (prohibited.categories). Ask the holder what was bought; if the return is right, recover £6.00 and review whether the direct payment should continue; if it is wrong, correct it.
UNAPPROVED_PROVIDER/invoice:INV-3
  Invoice INV-3 for £90.00 (budget B-2) is from provider PR-2, who is not approved. Do not pay it until the provider is checked and approved (amend provider); otherwise reject it with a reason.
UNAPPROVED_PROVIDER/invoice:INV-4
  Invoice INV-4 for £10.00 (budget B-2) is from provider PR-9, who is not on the provider list. Do not pay it until the provider is checked and approved (amend provider); otherwise reject it with a reason.
UNAPPROVED_PROVIDER/payment:PAY-6
  Payment PAY-6 of £30.00 (run RUN-2026-03-25, invoice INV-X) on 2026-03-25 is to provider PR-2, who is not approved. If it has not reached the bank, cancel it (payment cancel); if it has, confirm the provider's checks now and record why it was paid.
DELAY_DP_MISSED/instalment:B-3/2026-02-01
  The instalment of £400.00 for budget B-3 due on 2026-02-01 has not been paid by 2026-03-31, 58 days late (the limit is 3 days). Pay it in the next payment run and check the holder could pay for their support meanwhile.
DELAY_DP_MISSED/instalment:B-3/2026-03-01
  The instalment of £400.00 for budget B-3 due on 2026-03-01 has not been paid by 2026-03-31, 30 days late (the limit is 3 days). Pay it in the next payment run and check the holder could pay for their support meanwhile.
DELAY_DP_MISSED/instalment:B-5/2026-03-01
  The instalment of £750.00 for budget B-5 due on 2026-03-01 was paid by run RUN-2026-03-12 (payment PAY-7) on 2026-03-12, 11 days late (the limit is 3 days). Check the holder could pay for their support meanwhile, and run payments on or before due dates.
DELAY_FIRST_PAYMENT/budget:B-2
  Budget B-2 (£20,000.00) was approved on 2025-09-01 and nothing has been paid from it by 2026-03-31, 211 days later (the limit is 14 days). Make its first payment in the next payment run (an instalment, or the first invoice for its care), or record why it has not started.
DELAY_FIRST_PAYMENT/budget:B-3
  Budget B-3 (£5,000.00) was approved on 2026-01-10 and first paid on 2026-03-05, 54 days later (the limit is 14 days). It is paid now; find what held up the first payment so the next person is paid sooner.
DELAY_FIRST_PAYMENT/budget:B-5
  Budget B-5 (£9,000.00) was approved on 2026-01-01 and nothing has been paid from it by 2026-03-31, 89 days later (the limit is 14 days). Make its first payment in the next payment run (an instalment, or the first invoice for its care), or record why it has not started.
DELAY_INVOICE/invoice:INV-1
  Invoice INV-1 from Small Care CIC (PR-1) for £50.00 was received on 2026-03-01 and is still unpaid on 2026-03-31, 30 days later (the limit is 10 days for a micro or small VCSE provider). Approve it and include it in the next payment run, or reject it with a reason.
DELAY_INVOICE/invoice:INV-2
  Invoice INV-2 from Big Care Ltd (PR-3) for £70.00 was received on 2026-01-15 and is still unpaid on 2026-03-31, 75 days later (the limit is 30 days). Approve it and include it in the next payment run, or reject it with a reason.
DELAY_INVOICE/invoice:INV-3
  Invoice INV-3 from PR-2 for £90.00 was received on 2026-01-20 and is still unpaid on 2026-03-31, 70 days later (the limit is 30 days). Approve it and include it in the next payment run, or reject it with a reason.
DELAY_INVOICE/invoice:INV-5
  Invoice INV-5 from Big Care Ltd (PR-3) for £110.00 was received on 2026-01-02 and paid by run RUN-2026-03-20 on 2026-03-20, 77 days later (the limit is 30 days). It is paid now; find where it waited (approval or the payment run) so the provider's next invoice is paid on time.
DP_SURPLUS/budget:B-1
  The direct-payment account of budget B-1 holds £9,000.00 on 2026-03-31, more than 8 weeks of funding (£2,800.00 at £350.00 a week). £6,200.00 can be reclaimed, as the NHS (Direct Payments) Regulations 2013 allow: agree it with the holder, then record the recovery as a transfer from dp:B-1 (reconcile --recovery-out proposes it).
DP_SURPLUS/budget:B-4
  The direct-payment account of budget B-4 holds £4,000.00 on 2026-03-31, more than 8 weeks of funding (£1,841.10 at £230.14 a week). £2,158.90 can be reclaimed, as the NHS (Direct Payments) Regulations 2013 allow: agree it with the holder, then record the recovery as a transfer from dp:B-4 (reconcile --recovery-out proposes it).
DUPLICATE_INVOICE/invoice:INV-7
  Invoice INV-7 from provider PR-3 for £40.00 (budget B-4, service 2026-03-10 to 2026-03-10), received 2026-03-12, repeats invoice INV-6 received 2026-03-10 for the same provider, budget, amount and period. Check with the provider whether it is a copy; if it is, do not pay it (or ask for the money back if it was paid).
REVIEW_OVERDUE/budget:B-1
  Direct-payment budget B-1 was last reviewed on 2025-03-30; its next review was due by 2026-03-30 (every 12 months). On 2026-03-31 it is 1 day overdue. Book a review with the person and record it (reviews file).
REVIEW_OVERDUE/budget:B-4
  Direct-payment budget B-4 was first paid on 2025-06-02 and has not been reviewed since; its first review was due by 2025-09-02 (within 3 months). On 2026-03-31 it is 210 days overdue. Book a review with the person and record it (reviews file).
UNSETTLED_PAYMENT/payment:PAY-1
  Payment PAY-1 of £100.00 (run RUN-2026-03-02, budget B-1) was issued on 2026-03-02 and is not on a bank statement by 2026-03-31, more than 5 business days later. Ask the bank whether it left the account: if it did, load the statement that shows it; if not, cancel it (payment cancel) and pay it again.
POT_UNALLOCATED/pot:POT-1
  Pot POT-1 (Adults 2025) still holds £50,000.00 unallocated of its £100,000.00 on 2026-03-31, 365 of the 365 days of financial year 2025-26 (limit: 20% unallocated after 50% of the year). Allocate it to people waiting for a budget, or plan its return to the funder with a reason.
POT_UNALLOCATED/pot:POT-2
  Pot POT-2 still holds £30,000.00 unallocated of its £100,000.00 on 2026-03-31, 365 of the 365 days of financial year 2025-26 (limit: 20% unallocated after 50% of the year). Allocate it to people waiting for a budget, or plan its return to the funder with a reason.
UNDERSPEND_BUDGET/budget:B-1
  Budget B-1 has been active for 455 days to 2026-03-31 and has spent £10.00 (paid invoices and reported direct-payment spending), under 50% of its pro-rata allocation of £22,750.00 (£36,500.00 over 730 days). Ask the person and their care coordinator whether the support is reaching them; review the plan, or reduce the budget and return the money to the pot.
UNDERSPEND_BUDGET/budget:B-2
  Budget B-2 has been active for 182 days to 2026-03-31 and has spent £110.00 (paid invoices and reported direct-payment spending), under 50% of its pro-rata allocation of £9,972.60 (£20,000.00 over 365 days). Ask the person and their care coordinator whether the support is reaching them; review the plan, or reduce the budget and return the money to the pot.
UNDERSPEND_BUDGET/budget:B-4
  Budget B-4 has been active for 304 days to 2026-03-31 and has spent £0.00 (paid invoices and reported direct-payment spending), under 50% of its pro-rata allocation of £9,994.52 (£12,000.00 over 365 days). Ask the person and their care coordinator whether the support is reaching them; review the plan, or reduce the budget and return the money to the pot.
UNDERSPEND_BUDGET/budget:B-5
  Budget B-5 has been active for 90 days to 2026-03-31 and has spent £0.00 (paid invoices and reported direct-payment spending), under 50% of its pro-rata allocation of £2,219.18 (£9,000.00 over 365 days). Ask the person and their care coordinator whether the support is reaching them; review the plan, or reduce the budget and return the money to the pot.
--
PROHIBITED_SPEND/spent:B-1:alcohol
  The direct-payment returns of budget B-1 report £6.00 spent on alcohol (spent:B-1:alcohol) by 2026-03-31, a category PHB money cannot buy (prohibited.categories). Ask the holder what was bought; if the return is right, recover £6.00 and review whether the direct payment should continue; if it is wrong, correct it.
UNAPPROVED_PROVIDER/invoice:INV-3
  Invoice INV-3 for £90.00 (budget B-2) is from provider PR-2, who is not approved. Do not pay it until the provider is checked and approved (amend provider); otherwise reject it with a reason.
UNAPPROVED_PROVIDER/invoice:INV-4
  Invoice INV-4 for £10.00 (budget B-2) is from provider PR-9, who is not on the provider list. Do not pay it until the provider is checked and approved (amend provider); otherwise reject it with a reason.
UNAPPROVED_PROVIDER/payment:PAY-6
  Payment PAY-6 of £30.00 (run RUN-2026-03-25, invoice INV-X) on 2026-03-25 is to provider PR-2, who is not approved. If it has not reached the bank, cancel it (payment cancel); if it has, confirm the provider's checks now and record why it was paid.
DELAY_DP_MISSED/instalment:B-3/2026-02-01
  The instalment of £400.00 for budget B-3 due on 2026-02-01 has not been paid by 2026-03-31, 58 days late (the limit is 1 day). Pay it in the next payment run and check the holder could pay for their support meanwhile.
DELAY_DP_MISSED/instalment:B-3/2026-03-01
  The instalment of £400.00 for budget B-3 due on 2026-03-01 has not been paid by 2026-03-31, 30 days late (the limit is 1 day). Pay it in the next payment run and check the holder could pay for their support meanwhile.
DELAY_DP_MISSED/instalment:B-5/2026-03-01
  The instalment of £750.00 for budget B-5 due on 2026-03-01 was paid by run RUN-2026-03-12 (payment PAY-7) on 2026-03-12, 11 days late (the limit is 1 day). Check the holder could pay for their support meanwhile, and run payments on or before due dates.
DELAY_FIRST_PAYMENT/budget:B-2
  Budget B-2 (£20,000.00) was approved on 2025-09-01 and nothing has been paid from it by 2026-03-31, 211 days later (the limit is 0 days). Make its first payment in the next payment run (an instalment, or the first invoice for its care), or record why it has not started.
DELAY_FIRST_PAYMENT/budget:B-3
  Budget B-3 (£5,000.00) was approved on 2026-01-10 and first paid on 2026-03-05, 54 days later (the limit is 0 days). It is paid now; find what held up the first payment so the next person is paid sooner.
DELAY_FIRST_PAYMENT/budget:B-5
  Budget B-5 (£9,000.00) was approved on 2026-01-01 and nothing has been paid from it by 2026-03-31, 89 days later (the limit is 0 days). Make its first payment in the next payment run (an instalment, or the first invoice for its care), or record why it has not started.
DELAY_INVOICE/invoice:INV-1
  Invoice INV-1 from Small Care CIC (PR-1) for £50.00 was received on 2026-03-01 and is still unpaid on 2026-03-31, 30 days later (the limit is 0 days for a micro or small VCSE provider). Approve it and include it in the next payment run, or reject it with a reason.
DELAY_INVOICE/invoice:INV-2
  Invoice INV-2 from Big Care Ltd (PR-3) for £70.00 was received on 2026-01-15 and is still unpaid on 2026-03-31, 75 days later (the limit is 0 days). Approve it and include it in the next payment run, or reject it with a reason.
DELAY_INVOICE/invoice:INV-3
  Invoice INV-3 from PR-2 for £90.00 was received on 2026-01-20 and is still unpaid on 2026-03-31, 70 days later (the limit is 0 days). Approve it and include it in the next payment run, or reject it with a reason.
DELAY_INVOICE/invoice:INV-4
  Invoice INV-4 from PR-9 for £10.00 was received on 2026-03-30 and is still unpaid on 2026-03-31, 1 day later (the limit is 0 days). Approve it and include it in the next payment run, or reject it with a reason.
DELAY_INVOICE/invoice:INV-5
  Invoice INV-5 from Big Care Ltd (PR-3) for £110.00 was received on 2026-01-02 and paid by run RUN-2026-03-20 on 2026-03-20, 77 days later (the limit is 0 days). It is paid now; find where it waited (approval or the payment run) so the provider's next invoice is paid on time.
DELAY_INVOICE/invoice:INV-6
  Invoice INV-6 from Big Care Ltd (PR-3) for £40.00 was received on 2026-03-10 and is still unpaid on 2026-03-31, 21 days later (the limit is 0 days). Approve it and include it in the next payment run, or reject it with a reason.
DELAY_INVOICE/invoice:INV-7
  Invoice INV-7 from Big Care Ltd (PR-3) for £40.00 was received on 2026-03-12 and is still unpaid on 2026-03-31, 19 days later (the limit is 0 days). Approve it and include it in the next payment run, or reject it with a reason.
DP_SURPLUS/budget:B-1
  The direct-payment account of budget B-1 holds £9,000.00 on 2026-03-31, more than 8 weeks of funding (£2,800.00 at £350.00 a week) and the contingency of £15.00. £6,185.00 can be reclaimed, as the NHS (Direct Payments) Regulations 2013 allow: agree it with the holder, then record the recovery as a transfer from dp:B-1 (reconcile --recovery-out proposes it).
DP_SURPLUS/budget:B-4
  The direct-payment account of budget B-4 holds £4,000.00 on 2026-03-31, more than 8 weeks of funding (£1,841.10 at £230.14 a week) and the contingency of £15.00. £2,143.90 can be reclaimed, as the NHS (Direct Payments) Regulations 2013 allow: agree it with the holder, then record the recovery as a transfer from dp:B-4 (reconcile --recovery-out proposes it).
DUPLICATE_INVOICE/invoice:INV-7
  Invoice INV-7 from provider PR-3 for £40.00 (budget B-4, service 2026-03-10 to 2026-03-10), received 2026-03-12, repeats invoice INV-6 received 2026-03-10 for the same provider, budget, amount and period. Check with the provider whether it is a copy; if it is, do not pay it (or ask for the money back if it was paid).
REVIEW_OVERDUE/budget:B-1
  Direct-payment budget B-1 was last reviewed on 2025-03-30; its next review was due by 2025-04-30 (every 1 months). On 2026-03-31 it is 335 days overdue. Book a review with the person and record it (reviews file).
REVIEW_OVERDUE/budget:B-4
  Direct-payment budget B-4 was first paid on 2025-06-02 and has not been reviewed since; its first review was due by 2025-09-02 (within 3 months). On 2026-03-31 it is 210 days overdue. Book a review with the person and record it (reviews file).
UNSETTLED_PAYMENT/payment:PAY-1
  Payment PAY-1 of £100.00 (run RUN-2026-03-02, budget B-1) was issued on 2026-03-02 and is not on a bank statement by 2026-03-31, more than 5 business days later. Ask the bank whether it left the account: if it did, load the statement that shows it; if not, cancel it (payment cancel) and pay it again.
POT_UNALLOCATED/pot:POT-1
  Pot POT-1 (Adults 2025) still holds £50,000.00 unallocated of its £100,000.00 on 2026-03-31, 365 of the 365 days of financial year 2025-26 (limit: 20% unallocated after 50% of the year). Allocate it to people waiting for a budget, or plan its return to the funder with a reason.
POT_UNALLOCATED/pot:POT-2
  Pot POT-2 still holds £30,000.00 unallocated of its £100,000.00 on 2026-03-31, 365 of the 365 days of financial year 2025-26 (limit: 20% unallocated after 50% of the year). Allocate it to people waiting for a budget, or plan its return to the funder with a reason.
UNDERSPEND_BUDGET/budget:B-1
  Budget B-1 has been active for 455 days to 2026-03-31 and has spent £10.00 (paid invoices and reported direct-payment spending), under 50% of its pro-rata allocation of £22,750.00 (£36,500.00 over 730 days). Ask the person and their care coordinator whether the support is reaching them; review the plan, or reduce the budget and return the money to the pot.
UNDERSPEND_BUDGET/budget:B-2
  Budget B-2 has been active for 182 days to 2026-03-31 and has spent £110.00 (paid invoices and reported direct-payment spending), under 50% of its pro-rata allocation of £9,972.60 (£20,000.00 over 365 days). Ask the person and their care coordinator whether the support is reaching them; review the plan, or reduce the budget and return the money to the pot.
UNDERSPEND_BUDGET/budget:B-4
  Budget B-4 has been active for 304 days to 2026-03-31 and has spent £0.00 (paid invoices and reported direct-payment spending), under 50% of its pro-rata allocation of £9,994.52 (£12,000.00 over 365 days). Ask the person and their care coordinator whether the support is reaching them; review the plan, or reduce the budget and return the money to the pot.
UNDERSPEND_BUDGET/budget:B-5
  Budget B-5 has been active for 90 days to 2026-03-31 and has spent £0.00 (paid invoices and reported direct-payment spending), under 50% of its pro-rata allocation of £2,219.18 (£9,000.00 over 365 days). Ask the person and their care coordinator whether the support is reaching them; review the plan, or reduce the budget and return the money to the pot.
)golden";

std::string SentenceLines(const std::vector<Flag>& flags) {
  std::string s;
  for (const Flag& f : flags) s += f.id + "\n  " + f.sentence + "\n";
  return s;
}

}  // namespace
}  // namespace rf::flag_sentence_test

namespace rf {

TEST_CASE("every threshold flag's sentence reads as the evaluator wrote it before (62f653c)", "[flags]") {
  using namespace flag_sentence_test;
  const auto defaults = EvaluateFlags(EveryForm(), FlagThresholds{});
  const auto tight = EvaluateFlags(EveryForm(), Tight());
  REQUIRE(defaults.ok());
  REQUIRE(tight.ok());
  const std::string got = SentenceLines(*defaults) + "--\n" + SentenceLines(*tight);
  CHECK(got == kExpected);
}

TEST_CASE("a month's flags keep their facts and write the same sentences when shown", "[flags]") {
  using namespace flag_sentence_test;
  for (const FlagThresholds& t : {FlagThresholds{}, Tight()}) {
    const auto written = EvaluateFlags(EveryForm(), t);
    const auto facts = EvaluateFlagFacts(EveryForm(), t);
    const auto month = EvaluateMonthFlagInputs(EveryForm(), t);
    REQUIRE(written.ok());
    REQUIRE(facts.ok());
    REQUIRE(month.ok());
    REQUIRE(written->size() == facts->size());
    REQUIRE(written->size() == month->size());
    for (size_t i = 0; i < written->size(); ++i) {
      CAPTURE((*written)[i].id);
      CHECK((*facts)[i].id == (*written)[i].id);
      CHECK((*facts)[i].sentence.empty());  // not written until shown
      CHECK(FlagSentence((*facts)[i].facts) == (*written)[i].sentence);
      CHECK(rf::FlagId((*month)[i]) == (*written)[i].id);
      CHECK(!(*month)[i].words);  // an evaluator's flag holds no words
      REQUIRE(!(*month)[i].facts.none());
      CHECK(SentenceOf((*month)[i]) == (*written)[i].sentence);
    }
  }
}

// A layout fact (not a measure): ~500,000 MonthFlags a national month. The
// words of matching, rule and record flags are held by one pointer, and
// facts say "none" by holding no text (no std::optional).
static_assert(sizeof(rf::HeldFlagWords) == sizeof(void*));
// 224 on a 64-bit build (240 with int64 counts in the facts, 288 with the
// words inline and std::optional facts); 16 of it is padding: Pence is
// 16-aligned.
static_assert(sizeof(void*) != 8 || sizeof(rf::MonthFlag) == 224);

TEST_CASE("a flag's words and facts: none for a default flag, copied deeply", "[flags]") {
  const rf::MonthFlag none{};
  CHECK(!none.words);
  CHECK(none.facts.none());
  CHECK(rf::SentenceOf(none).empty());
  CHECK(rf::BankLinesOf(none).empty());
  rf::MonthFlag held{.code = rf::FlagCode::kUnmatchedBankLine,
                     .severity = rf::FlagSeverity::kWarning,
                     .entity = "bankline:S/1",
                     .amount_at_stake_pence = Pence(),
                     .evidence_seqs = {},
                     .words = rf::FlagWords{.evidence_bank_lines = {"S/1"}, .sentence = "Money in."},
                     .facts = FlagFacts()};
  rf::MonthFlag copy = held;
  held.words->sentence = "changed";
  CHECK(rf::SentenceOf(copy) == "Money in.");
  CHECK(rf::BankLinesOf(copy) == std::vector<std::string>{"S/1"});
  copy = held;
  CHECK(rf::SentenceOf(copy) == "changed");
  FlagFacts one;
  one.Text("B-1");
  CHECK(!one.none());
}

TEST_CASE("a flag's facts hold any texts, empty or long, in the order given", "[flags]") {
  FlagFacts facts;
  const std::string long_text(70'000, 'x');
  facts.Text("").Text("B-1").Text(long_text).Text(std::string("a\0b", 3));
  CHECK(facts.TextAt(0).empty());
  CHECK(facts.TextAt(1) == "B-1");
  CHECK(facts.TextAt(2) == long_text);
  CHECK(facts.TextAt(3) == std::string("a\0b", 3));
}

}  // namespace rf
