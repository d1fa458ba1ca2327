#ifndef RINGFENCE_RECONCILE_MONTH_END_VIEWS_H_
#define RINGFENCE_RECONCILE_MONTH_END_VIEWS_H_

// The views a month's flags read, as they stood at the month's last day,
// served from the live views without replaying the journal (issue 17's
// target: a national month in seconds, memory bounded by what the month
// reads, not by the journal's length).
//
// What differs from the live views, and how it is served:
//   bal/<account>  for dp:, spent: and pot: accounts only: the live balance
//                  less the account's movements dated after `as_of`, read
//                  from its day deltas (kept in the bal/ value itself for
//                  exactly these types and the other ring-fenced ones:
//                  StoredBalance and MovementAfter, ledger/core/views.h). Zero balances are absent, as in
//                  the views. Other balances are not served (Get and
//                  ForEach refuse them with InvalidInput: nothing the flags
//                  read needs them).
//   config/<key>   the value the setting had on `as_of` (SettingAsOf over
//                  the confighist/ keys, records.h): the highest-seq
//                  config.set dated on or before that day.
// Everything else (records, flag records) is the live views' own: the flag
// evaluator reads records as of their dates (reconcile/flags.h), so a
// record written by a later-dated entry reads as not yet happened.
//
// Equal, for everything EvaluateMonthFlags reads, to RebuildViews(journal,
// as_of) (tests/month_end_views_test.cc checks it over random ledgers),
// except where an entry dated after `as_of` rewrote a record's earlier
// state (a payment unsettled after month end by `reconcile unmatch` reads
// as pending): such rewrites are rare and named in the README.
//
// Cost: one pass over the live bal/ keys (O(accounts); only values holding
// day deltas are parsed past their balance), then a read of the live bal/
// keys. Memory: one Pence per dp:, spent: or pot: account that moved after
// as_of (a ForEach over bal/ streams, merging the two in key order).

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "crypto/status.h"
#include "ledger/core/date.h"
#include "ledger/core/money.h"
#include "ledger/storage/ledger.h"

namespace rf {

class MonthEndViews : public ViewSource {
 public:
  // `live` must outlive this. Errors: Tampered naming a bal/ key that does
  // not parse.
  static Result<std::unique_ptr<MonthEndViews>> Make(const ViewSource& live, Date as_of);

  Result<std::optional<std::string>> Get(std::string_view key) const override;
  Status ForEach(std::string_view prefix,
                 const std::function<Status(std::string_view, std::string_view)>& fn) const override;
  Status ForEachFrom(std::string_view prefix, std::string_view from,
                     const std::function<Result<bool>(std::string_view, std::string_view)>& fn) const override;
  // The live views' own, zero-copy, except for bal/ and config/ keys
  // (served as Get serves them).
  Status Read(std::string_view key, const std::function<Status(std::optional<std::string_view>)>& fn) const override;
  Status ReadSorted(const std::vector<std::string>& keys,
                    const std::function<Status(size_t, std::optional<std::string_view>)>& fn) const override;

 private:
  MonthEndViews(const ViewSource& live, Date as_of) : live_(live), as_of_(as_of) {}
  // Calls fn(key, balance) -> Status for each bal/ key served under
  // `prefix` whose balance as of as_of is not zero, in key order, streamed.
  template <typename Fn>
  Status ForEachBalance(std::string_view prefix, Fn&& fn) const;

  const ViewSource& live_;
  Date as_of_;
  std::map<std::string, Pence, std::less<>> later_;  // account text -> movement dated after as_of
};

}  // namespace rf

#endif  // RINGFENCE_RECONCILE_MONTH_END_VIEWS_H_
