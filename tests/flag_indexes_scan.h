#ifndef RINGFENCE_TESTS_FLAG_INDEXES_SCAN_H_
#define RINGFENCE_TESTS_FLAG_INDEXES_SCAN_H_

// The flag indexes (ledger/core/records.h, "Flag indexes") as a full scan
// of the payment/ and invoice/ records says they must be, and as stored:
// tests compare the two after every commit.

#include <catch2/catch.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ledger/core/records.h"
#include "ledger/storage/ledger.h"

namespace rf::test {

using FlagIndexMap = std::map<std::string, std::string>;

inline FlagIndexMap FlagIndexesStored(const ViewSource& views) {
  FlagIndexMap out;
  for (const std::string& family :
       {PaymentRunFamily(), PaymentReturnedFamily(), InvoiceReceivedFamily(), InvoiceOpenFamily(),
        InvoiceRejectedFamily(), InvoiceFailedPayerFamily(), BudgetPaidFamily(), BudgetPaidMonthFamily(),
        InstalmentsPaidFamily(), DuplicateKeyFamily(), DuplicateGroupFamily()}) {
    REQUIRE(views
                .ForEach(family,
                         [&](std::string_view k, std::string_view v) {
                           out.emplace(std::string(k), std::string(v));
                           return Status::Ok();
                         })
                .ok());
  }
  return out;
}

inline FlagIndexMap FlagIndexesFromScan(const ViewSource& views) {
  std::map<std::string, PaymentRecord> payments;
  std::vector<InvoiceRecord> invoices;
  REQUIRE(ForEachRecord<PaymentRecord>(views, [&](const PaymentRecord& p) {
            payments.emplace(p.payment_id, p);
            return Status::Ok();
          }).ok());
  REQUIRE(ForEachRecord<InvoiceRecord>(views, [&](const InvoiceRecord& i) {
            invoices.push_back(i);
            return Status::Ok();
          }).ok());
  FlagIndexMap out;
  std::map<std::string, std::optional<FailedPayer>> failed;  // by invoice
  std::map<std::string, std::vector<Date>> instalments;      // by budget
  for (const auto& [id, p] : payments) {
    out[PaymentRunKey(p.run_date, id)] = p.run_date.ToIso();
    if (p.state == PaymentState::kReturned) {
      REQUIRE(p.returned_on.has_value());
      out[PaymentReturnedKey(*p.returned_on, id)] = p.return_line_id;
    }
    const bool gone = p.state == PaymentState::kCancelled || p.state == PaymentState::kReturned;
    if (p.purpose == PaymentPurpose::kInvoice && gone) {
      const FailedPayer f{.run_date = p.run_date, .payment_id = id};
      auto& slot = failed[p.invoice_id];
      if (!slot || f < *slot) slot = f;
    }
    if (p.purpose == PaymentPurpose::kInstalment && p.due_on && p.state != PaymentState::kCancelled) {
      instalments[p.budget_id].push_back(*p.due_on);
    }
  }
  for (auto& [budget, dates] : instalments) {
    std::sort(dates.begin(), dates.end());
    out[InstalmentsPaidKey(budget)] = InstalmentsPaidText(dates);
  }
  std::map<std::string, Pence> paid;
  std::map<std::string, Pence> paid_month;
  std::map<std::string, std::vector<const InvoiceRecord*>> by_hash;
  for (const InvoiceRecord& i : invoices) {
    out[InvoiceReceivedKey(i.received_on, i.invoice_id)] = i.received_on.ToIso();
    if (i.state == InvoiceState::kReceived || i.state == InvoiceState::kApproved) {
      out[InvoiceOpenKey(i.invoice_id)] = i.received_on.ToIso();
    }
    if (i.state == InvoiceState::kRejected) out[InvoiceRejectedKey(i.invoice_id)] = i.provider_id;
    const auto f = failed.find(i.invoice_id);
    if (f != failed.end()) out[InvoiceFailedPayerKey(i.invoice_id)] = FailedPayerText(*f->second);
    std::optional<Date> payer_run;
    if (auto named = payments.find(i.payment_id); !i.payment_id.empty() && named != payments.end()) {
      payer_run = named->second.run_date;
    } else if (f != failed.end()) {
      payer_run = f->second->run_date;
    }
    if (payer_run) {
      paid[BudgetPaidKey(i.budget_id)] += i.amount;
      paid_month[BudgetPaidMonthKey(Month{payer_run->year(), payer_run->month()}, i.budget_id)] += i.amount;
    }
    by_hash[DuplicateKeyHashText(i.provider_id, i.budget_id, i.amount, i.service_from, i.service_to)].push_back(&i);
  }
  for (const auto* sums : {&paid, &paid_month}) {
    for (const auto& [key, amount] : *sums) {
      if (!amount.is_zero()) out[key] = amount.ToDecimal();
    }
  }
  for (const auto& [hash, group] : by_hash) {
    const InvoiceRecord* first = group.front();
    for (const InvoiceRecord* i : group) {
      if (i->seq < first->seq) first = i;
    }
    out[DuplicateKeyKey(hash)] = first->invoice_id;
    if (group.size() < 2) continue;
    for (const InvoiceRecord* i : group) out[DuplicateGroupKey(hash, i->invoice_id)] = std::string(kDuplicateGroupMark);
  }
  return out;
}

}  // namespace rf::test

#endif  // RINGFENCE_TESTS_FLAG_INDEXES_SCAN_H_
