#ifndef RINGFENCE_TESTS_FLAG_INPUTS_H_
#define RINGFENCE_TESTS_FLAG_INPUTS_H_

// The records and facts the flag evaluator reads (reconcile/flags.h
// FlagInputs), built for the flag tests. Each kind has its own seq (provider
// 10, budget 20, invoice 30, payment 40), so a flag's evidence names the
// input it came from.

#include <cstdint>
#include <string>
#include <utility>

#include "reconcile/flags.h"

namespace rf::test {

inline Date FlagDay(const char* iso) { return *Date::Parse(iso, "test"); }
inline Pence FlagPence(int64_t pence) { return Pence::FromPence(pence); }

inline ProviderRecord FlagProvider(std::string id, std::string name, std::string kind, std::string size,
                                   bool approved) {
  ProviderRecord p;
  p.seq = 10;
  p.provider_id = std::move(id);
  p.name = std::move(name);
  p.kind = std::move(kind);
  p.size = std::move(size);
  p.approved = approved;
  return p;
}

// Budget `id`: the members the flags read (BudgetFlagFacts).
inline BudgetFlagFacts FlagBudget(std::string id, Management management, int64_t amount_pence, const char* start,
                                  const char* end, const char* approved) {
  BudgetFlagFacts b;
  b.seq = 20;
  b.budget_id = std::move(id);
  b.management = management;
  b.amount = FlagPence(amount_pence);
  b.start_date = FlagDay(start);
  b.end_date = FlagDay(end);
  b.approved_on = FlagDay(approved);
  return b;
}

// An invoice received (unpaid) for a service on the day it was received.
inline InvoiceFlagFacts FlagInvoice(std::string id, std::string provider, const char* received,
                                    int64_t amount_pence = 12'000, std::string budget = "B-1") {
  InvoiceFlagFacts i;
  i.seq = 30;
  i.invoice_id = std::move(id);
  i.provider_id = std::move(provider);
  i.budget_id = std::move(budget);
  i.amount = FlagPence(amount_pence);
  i.received_on = FlagDay(received);
  i.service_from = i.service_to = i.received_on;
  return i;
}

// A pending instalment in run RUN-<run_date>.
inline PaymentFlagFacts FlagPayment(std::string id, const char* run_date, int64_t amount_pence,
                                    std::string budget = "B-1") {
  PaymentFlagFacts p;
  p.seq = 40;
  p.payment_id = std::move(id);
  p.run_id = "RUN-" + std::string(run_date);
  p.run_date = FlagDay(run_date);
  p.amount = FlagPence(amount_pence);
  p.budget_id = std::move(budget);
  p.purpose = PaymentPurpose::kInstalment;
  return p;
}

}  // namespace rf::test

#endif  // RINGFENCE_TESTS_FLAG_INPUTS_H_
