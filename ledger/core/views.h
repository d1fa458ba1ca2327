#ifndef RINGFENCE_LEDGER_CORE_VIEWS_H_
#define RINGFENCE_LEDGER_CORE_VIEWS_H_

// Views: everything derived from the journal that commands look up, as one
// ordered key-value space (PRODUCT.md: "balances and lookup tables are views
// derived from it and can be rebuilt").
//
//   bal/<account>            balance, canonical decimal ("-12.30"); for
//                            ring-fenced and spent: accounts followed by
//                            the account's net movement per day (rule 1 at
//                            every date; see StoredBalance below)
//   potnet/<pot>             net movement per account type of the entries
//   budnet/<budget>          scoped to this pot / budget (canonical JSON)
//   pot|person|provider|budget|invoice|payment|review/<id>
//   bankline/<statement id>/<line id>
//                            the record, canonical JSON (with the seq of the
//                            entry that created it and its state)
//   run/<run id>             a payment run: its payments (count, total, the
//                            last payment's id; each payment names the one
//                            before it, run_prev) and its state
//   provsum/<provider>       invoice totals per provider (canonical JSON)
//   xid/<external id>        seq of the entry that loaded it
//   reversed/<seq12>         seq of the entry that reversed it
//   flag/overspend/<seq12>   an override let a ring-fenced account go negative
//   flag/diversion/<seq12>   ring-fenced money moved to external:*
//   flagstate/<flag id>      a reconciliation flag's lifecycle (raised,
//                            carried over, explained, resolved, reopened)
//   config/<key>             a reconciliation threshold
//   signoff/<YYYY-MM>        the month's reconciliation sign-off
//   closed                   the last closed month, "YYYY-MM"
//   org                      the funding organisation's account id
//   linemonth/<YYYY-MM>/<line id>, paypending/<payment id>,
//   paysettled/<YYYY-MM-DD>/<payment id>, viewform
//                            the month indexes (records.h): the only views
//                            an entry removes (DeleteText)
//   provpay/<YYYY-MM-DD>/<payment id>
//                            the invoice payments neither returned nor
//                            cancelled, by run date (records.h): removed
//                            by DeleteText too
//
// This class is the cache in front of that space: values are read lazily
// from a backing (the LMDB write transaction, or nothing when rebuilding),
// changed in memory in typed form, and written back by ForEachDirty. The same
// code therefore produces the live views (posting) and the rebuilt ones
// (verify), which must serialise to identical bytes.
//
// After a commit the cache may be kept for the next one (MarkWritten): its
// values are then exactly what LMDB holds, so the next commit reads nothing
// twice. The Ledger keeps it only while no other process has appended.
//
// Memory: one cache slot per key touched. A 10,000-entry batch touches at
// most ~6 keys per entry, so ~60,000 slots (~10 MB); a kept cache is cleared
// beyond kViewsCacheSlotsMax; a rebuild of the whole journal holds every key
// (~20,000 budgets and their invoices: tens of MB).

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ledger/core/account.h"
#include "ledger/core/date.h"
#include "ledger/core/money.h"
#include "crypto/status.h"

namespace rf {

inline constexpr size_t kAccountTypes = 8;

// Net movement per account type (indexed by AccountType).
struct TypeTotals {
  std::array<Pence, kAccountTypes> net{};
  Pence& operator[](AccountType t) { return net[static_cast<size_t>(t)]; }
  const Pence& operator[](AccountType t) const { return net[static_cast<size_t>(t)]; }
};

// The account types whose movement per day is kept in their balance's
// value: the ring-fenced ones (rule 1 at every date, rules.h) and spent:
// (what a direct-payment holder reported spending, by day), so a month's
// flags can read dp:, spent: and pot: balances as at the month's last day
// without a replay (reconcile/month_end_views.h).
inline bool KeepsDayDeltas(AccountType type) { return IsRingFenced(type) || type == AccountType::kSpent; }

// An account's net movement per day: days ascending, no zero movement.
struct DayDeltas {
  std::vector<std::pair<Date, Pence>> days;
};

// A bal/ value: the balance and, for KeepsDayDeltas accounts, the net
// movement per day of every day the account moved (balance is their sum
// in a ledger written since they were kept). Stored as the balance's canonical decimal followed, per day, by
// ";YYYY-MM-DD=<decimal>": "82.50;2026-05-01=100.00;2026-05-14=-17.50".
// One key per account: the day deltas cost no key, lookup or write of
// their own (bench/README.md, "Rule 1 at every date in the balance").
// Size: ~20 bytes a day the account moved.
struct StoredBalance {
  Pence balance;
  DayDeltas days;
};

// The movement of `days` dated after `after` (what a balance as at the end
// of `after` lacks of the balance now).
Pence MovementAfter(const DayDeltas& days, Date after);

// The lowest end-of-day balance an account has from a date on, and the first
// day it has it.
struct LowestBalance {
  Pence balance;
  Date on;
};

enum class RecordKind {
  kPot,
  kPerson,
  kProvider,
  kBudget,
  kInvoice,
  kPayment,
  kProviderTotals,
  kSignOff,
  kFlag,
  kReview,
  kBankLine,
  kRun,
  kFlagLife,
  kAmendment
};

// Where cached values come from. Get returns nullopt for an absent key.
class ViewBacking {
 public:
  virtual ~ViewBacking() = default;
  virtual Result<std::optional<std::string>> Get(std::string_view key) const = 0;
};

// "000000000042": sequence numbers in keys sort numerically.
std::string SeqKey(uint64_t seq);
std::string RecordKey(RecordKind kind, std::string_view id);
std::string BalanceKey(const Account& account);

// A cache kept between commits is cleared when it holds more slots.
inline constexpr size_t kViewsCacheSlotsMax = 65'536;

class Views {
 public:
  // `backing` may be null (start empty). It must outlive the Views (or
  // its use, until set_backing replaces it).
  explicit Views(const ViewBacking* backing) : backing_(backing) {}
  // REQUIRES: the new backing holds what this cache does for every key it
  // has written (a later transaction of the same ledger, nothing between).
  void set_backing(const ViewBacking* backing) { backing_ = backing; }

  // Loads into the cache; afterwards PeekBalance may be used.
  Status LoadBalance(const Account& account);

  // REQUIRES: loaded (LoadBalance, Record).
  const Pence& PeekBalance(const std::string& balance_key) const;
  const nlohmann::json* PeekRecord(RecordKind kind, const std::string& id) const;

  Result<Pence> Balance(const Account& account);

  // Moves the balance by `delta` on day `on` (kept as a day delta for
  // KeepsDayDeltas accounts).
  Status AddToBalance(const Account& account, Date on, const Pence& delta);
  // The lowest end-of-day balance `account` has on `from` or on any later
  // day it moved, from its balance and its day deltas: walks back from the
  // latest day to from's, so an entry dated on or after the account's last
  // movement reads nothing more.
  Result<LowestBalance> LowestBalanceFrom(const Account& account, Date from);

  Status AddPotNet(const std::string& pot, AccountType type, const Pence& delta);
  Status AddBudgetNet(const std::string& budget, AccountType type, const Pence& delta);

  // nullptr when absent. The pointer is valid until the next call.
  Result<const nlohmann::json*> Record(RecordKind kind, const std::string& id);
  void PutRecord(RecordKind kind, const std::string& id, nlohmann::json record);
  // The record to change in place (marked changed); nullptr when absent.
  // The pointer is valid until the next call.
  Result<nlohmann::json*> RecordToChange(RecordKind kind, const std::string& id);
  // A record given as its canonical JSON text, built by hand where one kind
  // writes many (invoice.received: no DOM built, serialised and freed per
  // row). It is parsed only if read again. REQUIRES: `canonical` is a JSON
  // object in the form Canonicalize gives.
  void PutRecordText(RecordKind kind, const std::string& id, std::string canonical);
  // A record's canonical text, for a typed decode (DecodeRecordText)
  // without a DOM; nullopt when absent. The view is valid until the next
  // call. A record changed through a DOM in this batch is canonicalised.
  Result<std::optional<std::string_view>> RecordText(RecordKind kind, const std::string& id);

  // What postings read of a budget or pot record (its pot or funder, and
  // the day it was approved or funded), decoded once per record and kept
  // until the record is put again or handed out to change (RecordToChange),
  // or the cache is cleared. nullptr when not cached.
  struct RecordLink {
    std::string id;
    Date on;
  };
  const RecordLink* CachedLink(const std::string& record_key) const;
  const RecordLink* CacheLink(const std::string& record_key, RecordLink link);

  // Plain text values (xid/, reversed/, config/, closed, org).
  Result<std::optional<std::string>> Text(const std::string& key);
  void PutText(const std::string& key, std::string value);
  // Removes a plain text value (an index entry, records.h "Month indexes").
  // With no backing (a replay) the key is simply gone; otherwise it is kept
  // as a deletion for ForEachDeleted, and reads as absent.
  void DeleteText(const std::string& key);

  // Every value changed since construction or the last MarkWritten,
  // serialised, in key order.
  Status ForEachDirty(const std::function<Status(std::string_view key, std::string_view value)>& fn) const;
  // The same values, collected: (key, value) in key order, the values
  // viewing this cache or *serialised. Valid until the cache next changes.
  using DirtyValue = std::pair<std::string_view, std::string_view>;
  Status CollectDirty(std::vector<DirtyValue>* out, std::deque<std::string>* serialised) const;
  size_t dirty_count() const;
  // The keys removed (DeleteText) since construction or the last
  // MarkWritten, in key order: the backing must delete them (a key it does
  // not hold is no error: a ledger made before the index had none).
  // ForEachDirty and CollectDirty never list them.
  Status ForEachDeleted(const std::function<Status(std::string_view key)>& fn) const;
  // The dirty values have been written to the backing: they are clean now
  // (dirty records are dropped: they are reread if needed).
  void MarkWritten();
  size_t slot_count() const {
    return balances_.size() + totals_.size() + records_.size() + texts_.size() + links_.size();
  }
  // The slots MarkWritten keeps whatever is dirty (all but the records):
  // a lower bound of slot_count() after it.
  size_t slot_count_kept_min() const { return slot_count() - records_.size(); }
  void Clear();

 private:
  template <typename T>
  struct Slot {
    T value{};
    bool present = false;
    bool dirty = false;
  };
  // A record as a DOM, or as canonical text not yet parsed (doc null).
  struct RecordValue {
    nlohmann::json doc;
    std::string text;  // set only by PutRecordText; cleared by PutRecord
  };
  Result<Slot<TypeTotals>*> Totals(const std::string& key);
  Status AddToTotals(const std::string& key, AccountType type, const Pence& delta);
  Result<Slot<StoredBalance>*> BalanceSlot(const std::string& key);
  Result<Slot<RecordValue>*> RecordSlot(const std::string& key);

  const ViewBacking* backing_;
  std::unordered_map<std::string, Slot<StoredBalance>> balances_;
  std::unordered_map<std::string, Slot<TypeTotals>> totals_;
  std::unordered_map<std::string, Slot<RecordValue>> records_;
  std::unordered_map<std::string, Slot<std::string>> texts_;
  std::unordered_map<std::string, RecordLink> links_;
};

// Serialisation shared by ForEachDirty and tests.
std::string SerializeTotals(const TypeTotals& totals);
Result<TypeTotals> ParseTotals(std::string_view text, std::string_view key);
// bal/ values (StoredBalance). ParseStoredBalance accepts exactly what
// SerializeBalance writes (anything else is a damaged view, Tampered naming
// the key); ParseBalanceAmount reads only the balance, for readers that
// need no days.
std::string SerializeBalance(const StoredBalance& balance);
Result<StoredBalance> ParseStoredBalance(std::string_view text, std::string_view key);
Result<Pence> ParseBalanceAmount(std::string_view text, std::string_view key);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_CORE_VIEWS_H_
