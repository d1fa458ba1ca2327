#include "reconcile/flag_sentence.h"

#include <algorithm>
#include <cassert>
#include <cstring>

namespace rf {
namespace {

std::string Days(int64_t days) { return std::to_string(days) + (days == 1 ? " day" : " days"); }
std::string Percent(int64_t pct) { return std::to_string(pct) + "%"; }

std::string InvoiceDelay(const FlagFacts& f, bool paid) {
  const int64_t days = f.numbers[0].value(), limit_days = f.numbers[1].value();
  std::string sentence = "Invoice " + std::string(f.TextAt(0)) + " from " + std::string(f.TextAt(1)) + " for " +
                         f.pence[0].ToPounds() + " was received on " + f.dates[0].ToIso();
  const std::string limit =
      " (the limit is " + Days(limit_days) + (f.detail ? " for a micro or small VCSE provider)" : ")");
  if (paid) {
    sentence += " and paid by run " + std::string(f.TextAt(2)) + " on " + f.dates[1].ToIso() + ", " + Days(days) +
                " later" + limit +
                ". It is paid now; find where it waited (approval or the payment run) so the provider's next "
                "invoice is paid on time.";
  } else {
    sentence += " and is still unpaid on " + f.dates[1].ToIso() + ", " + Days(days) + " later" + limit +
                ". Approve it and include it in the next payment run, or reject it with a reason.";
  }
  return sentence;
}

std::string FirstPaymentDelay(const FlagFacts& f, bool paid) {
  const int64_t days = f.numbers[0].value();
  std::string sentence =
      "Budget " + std::string(f.TextAt(0)) + " (" + f.pence[0].ToPounds() + ") was approved on " + f.dates[0].ToIso();
  const std::string limit = " (the limit is " + Days(f.numbers[1].value()) + ")";
  if (paid) {
    sentence += " and first paid on " + f.dates[1].ToIso() + ", " + Days(days) + " later" + limit +
                ". It is paid now; find what held up the first payment so the next person is paid sooner.";
  } else {
    sentence += " and nothing has been paid from it by " + f.dates[1].ToIso() + ", " + Days(days) + " later" + limit +
                ". Make its first payment in the next payment run (an instalment, or the first invoice "
                "for its care), or record why it has not started.";
  }
  return sentence;
}

std::string InstalmentPaidLate(const FlagFacts& f) {
  return "The instalment of " + f.pence[0].ToPounds() + " for budget " + std::string(f.TextAt(0)) + " due on " +
         f.dates[0].ToIso() + " was paid by run " + std::string(f.TextAt(1)) + " (payment " + std::string(f.TextAt(2)) +
         ") on " + f.dates[1].ToIso() + ", " + Days(f.numbers[0].value()) + " late (the limit is " +
         Days(f.numbers[1].value()) +
         "). Check the holder could pay for their support meanwhile, and run payments "
         "on or before due dates.";
}

std::string InstalmentUnpaid(const FlagFacts& f) {
  return "The instalment of " + f.pence[0].ToPounds() + " for budget " + std::string(f.TextAt(0)) + " due on " +
         f.dates[0].ToIso() + " has not been paid by " + f.dates[1].ToIso() + ", " + Days(f.numbers[0].value()) +
         " late (the limit is " + Days(f.numbers[1].value()) +
         "). Pay it in the next payment run and check the holder could pay for their "
         "support meanwhile.";
}

std::string UnsettledPayment(const FlagFacts& f) {
  return "Payment " + std::string(f.TextAt(0)) + " of " + f.pence[0].ToPounds() + " (run " + std::string(f.TextAt(1)) +
         ", budget " + std::string(f.TextAt(2)) + ") was issued on " + f.dates[0].ToIso() +
         " and is not on a bank statement by " + f.dates[1].ToIso() + ", more than " +
         std::to_string(f.numbers[0].value()) +
         " business days later. Ask the bank whether it left the account: if it did, load the "
         "statement that shows it; if not, cancel it (payment cancel) and pay it again.";
}

std::string Underspend(const FlagFacts& f) {
  return "Budget " + std::string(f.TextAt(0)) + " has been active for " + std::to_string(f.numbers[0].value()) +
         " days to " + f.dates[0].ToIso() + " and has spent " + f.pence[0].ToPounds() +
         " (paid invoices and reported direct-payment spending), under " + Percent(f.numbers[1].value()) +
         " of its pro-rata allocation of " + f.pence[1].ToPounds() + " (" + f.pence[2].ToPounds() + " over " +
         std::to_string(f.numbers[2].value()) +
         " days). Ask the person and their care coordinator whether the support is reaching "
         "them; review the plan, or reduce the budget and return the money to the pot.";
}

std::string DpSurplus(const FlagFacts& f) {
  const Pence balance = f.pence[0].ToPence();
  const Pence allowance = f.pence[1].ToPence();
  const Pence contingency = f.pence[3].ToPence();
  const std::string budget_id(f.TextAt(0));
  std::string sentence = "The direct-payment account of budget " + budget_id + " holds " + balance.ToPounds() + " on " +
                         f.dates[0].ToIso() + ", more than " + std::to_string(f.numbers[0].value()) +
                         " weeks of funding (" + allowance.ToPounds() + " at " + f.pence[2].ToPounds() + " a week)";
  if (!contingency.is_zero()) sentence += " and the contingency of " + contingency.ToPounds();
  const Pence reclaimable = balance - allowance - contingency;
  sentence += ". " + reclaimable.ToPounds() +
              " can be reclaimed, as the NHS (Direct Payments) Regulations 2013 allow: agree it with the holder, "
              "then record the recovery as a transfer from dp:" +
              budget_id + " (reconcile --recovery-out proposes it).";
  return sentence;
}

std::string ReviewOverdue(const FlagFacts& f, bool reviewed) {
  const Date due = f.dates[1], month_end = f.dates[2];
  std::string sentence = "Direct-payment budget " + std::string(f.TextAt(0)) + " ";
  if (reviewed) {
    sentence += "was last reviewed on " + f.dates[0].ToIso() + "; its next review was due by " + due.ToIso() +
                " (every " + std::to_string(f.numbers[0].value()) + " months)";
  } else {
    sentence += "was first paid on " + f.dates[0].ToIso() + " and has not been reviewed since; its first review " +
                "was due by " + due.ToIso() + " (within " + std::to_string(f.numbers[0].value()) + " months)";
  }
  const int32_t days_overdue = DaysBetween(due, month_end);
  assert(days_overdue > 0);
  sentence += ". On " + month_end.ToIso() + " it is " + std::to_string(days_overdue) +
              (days_overdue == 1 ? " day" : " days") +
              " overdue. Book a review with the person and record it (reviews file).";
  return sentence;
}

std::string ProviderProblem(const FlagFacts& f, std::string_view provider_id) {
  return f.detail ? "provider " + std::string(provider_id) + ", who is not approved"
                  : "provider " + std::string(provider_id) + ", who is not on the provider list";
}

std::string UnapprovedInvoice(const FlagFacts& f) {
  return "Invoice " + std::string(f.TextAt(0)) + " for " + f.pence[0].ToPounds() + " (budget " +
         std::string(f.TextAt(1)) + ") is from " + ProviderProblem(f, f.TextAt(2)) +
         ". Do not pay it until the provider is checked and approved (amend provider); "
         "otherwise reject it with a reason.";
}

std::string UnapprovedPayment(const FlagFacts& f) {
  return "Payment " + std::string(f.TextAt(0)) + " of " + f.pence[0].ToPounds() + " (run " + std::string(f.TextAt(1)) +
         ", invoice " + std::string(f.TextAt(2)) + ") on " + f.dates[0].ToIso() + " is to " +
         ProviderProblem(f, f.TextAt(3)) +
         ". If it has not reached the bank, cancel it (payment cancel); if it has, confirm the "
         "provider's checks now and record why it was paid.";
}

std::string PotUnallocated(const FlagFacts& f) {
  const std::string name(f.TextAt(1));
  return "Pot " + std::string(f.TextAt(0)) + (name.empty() ? "" : " (" + name + ")") + " still holds " +
         f.pence[0].ToPounds() + " unallocated of its " + f.pence[1].ToPounds() + " on " + f.dates[0].ToIso() + ", " +
         std::to_string(f.numbers[0].value()) + " of the " + std::to_string(f.numbers[1].value()) +
         " days of financial year " + std::string(f.TextAt(2)) + " (limit: " + Percent(f.numbers[2].value()) +
         " unallocated after " + Percent(f.numbers[3].value()) +
         " of the year). Allocate it to people waiting for a budget, or plan its return "
         "to the funder with a reason.";
}

std::string ProhibitedSpend(const FlagFacts& f) {
  return "The direct-payment returns of budget " + std::string(f.TextAt(0)) + " report " + f.pence[0].ToPounds() +
         " spent on " + std::string(f.TextAt(1)) + " (" + std::string(f.TextAt(2)) + ") by " + f.dates[0].ToIso() +
         ", a category PHB money cannot buy (prohibited.categories). Ask the holder what was bought; if the "
         "return is right, recover " +
         f.pence[0].ToPounds() + " and review whether the direct payment should continue; if it is wrong, correct it.";
}

std::string DuplicateInvoice(const FlagFacts& f) {
  return "Invoice " + std::string(f.TextAt(0)) + " from provider " + std::string(f.TextAt(1)) + " for " +
         f.pence[0].ToPounds() + " (budget " + std::string(f.TextAt(2)) + ", service " + f.dates[0].ToIso() + " to " +
         f.dates[1].ToIso() + "), received " + f.dates[2].ToIso() + ", repeats invoice " + std::string(f.TextAt(3)) +
         " received " + f.dates[3].ToIso() +
         " for the same provider, budget, amount and period. Check with the provider whether "
         "it is a copy; if it is, do not pay it (or ask for the money back if it was paid).";
}

}  // namespace

FlagPence::FlagPence(const Pence& amount) {
  const auto& v = amount.pence();
  pence_ = (v > kFlagPenceMax || v < -kFlagPenceMax) ? kUnfit : v.convert_to<int64_t>();
}

Pence FlagPence::ToPence() const {
  assert(fits());
  return Pence::FromPence(pence_);
}

bool FlagFacts::PenceFit() const {
  return std::all_of(pence.begin(), pence.end(), [](const FlagPence& p) { return p.fits(); });
}

int64_t FlagCount::value() const {
  assert(fits());
  return count_;
}

bool FlagFacts::CountsFit() const {
  return std::all_of(numbers.begin(), numbers.end(), [](const FlagCount& c) { return c.fits(); });
}

FlagFacts& FlagFacts::Text(std::string_view text) {
  assert(text.size() <= UINT32_MAX);
  const auto n = static_cast<uint32_t>(text.size());
  const char length[4] = {static_cast<char>(n & 0xff), static_cast<char>((n >> 8) & 0xff),
                          static_cast<char>((n >> 16) & 0xff), static_cast<char>((n >> 24) & 0xff)};
  packed_texts.append(length, 4);
  packed_texts.append(text);
  return *this;
}

std::string_view FlagFacts::TextAt(size_t i) const {
  size_t at = 0;
  for (;;) {
    assert(at + 4 <= packed_texts.size());
    const auto byte = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(packed_texts[at + k])); };
    const uint32_t n = byte(0) | byte(1) << 8 | byte(2) << 16 | byte(3) << 24;
    if (i == 0) return std::string_view(packed_texts).substr(at + 4, n);
    at += 4 + n;
    --i;
  }
}

std::string FlagSentence(const FlagFacts& f) {
  switch (f.form) {
    case FlagForm::kInvoiceUnpaid:
      return InvoiceDelay(f, /*paid=*/false);
    case FlagForm::kInvoicePaid:
      return InvoiceDelay(f, /*paid=*/true);
    case FlagForm::kFirstPaymentUnpaid:
      return FirstPaymentDelay(f, /*paid=*/false);
    case FlagForm::kFirstPaymentPaid:
      return FirstPaymentDelay(f, /*paid=*/true);
    case FlagForm::kInstalmentPaidLate:
      return InstalmentPaidLate(f);
    case FlagForm::kInstalmentUnpaid:
      return InstalmentUnpaid(f);
    case FlagForm::kUnsettledPayment:
      return UnsettledPayment(f);
    case FlagForm::kUnderspend:
      return Underspend(f);
    case FlagForm::kDpSurplus:
      return DpSurplus(f);
    case FlagForm::kReviewNeverDone:
      return ReviewOverdue(f, /*reviewed=*/false);
    case FlagForm::kReviewDoneBefore:
      return ReviewOverdue(f, /*reviewed=*/true);
    case FlagForm::kUnapprovedInvoice:
      return UnapprovedInvoice(f);
    case FlagForm::kUnapprovedPayment:
      return UnapprovedPayment(f);
    case FlagForm::kPotUnallocated:
      return PotUnallocated(f);
    case FlagForm::kProhibitedSpend:
      return ProhibitedSpend(f);
    case FlagForm::kDuplicateInvoice:
      return DuplicateInvoice(f);
  }
  assert(false);
  return "";
}

}  // namespace rf
