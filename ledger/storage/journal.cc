#include "ledger/storage/journal.h"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cassert>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>

#include "crypto/checkpoint.h"
#include "crypto/merkle.h"
#include "ledger/core/account.h"
#include "ledger/core/canonical_writer.h"
#include "ledger/core/date.h"
#include "ledger/storage/entries_written.h"
#include "ledger/storage/key_file.h"
#include "ledger/storage/stored_form.h"

namespace rf {
namespace {

std::atomic<uint64_t> entries_written_by_this_process{0};

void CountEntriesWritten(uint64_t entries) { entries_written_by_this_process.fetch_add(entries); }

constexpr char kFormat[] = "ringfence-journal/1";

// Reads perfect nodes from the tree database inside one transaction.
class TxnNodeReader : public crypto::NodeReader {
 public:
  TxnNodeReader(LmdbTxn* txn, MDB_dbi tree) : txn_(txn), tree_(tree) {}
  Result<crypto::Hash> PerfectNode(uint32_t level, uint64_t index) override {
    U64Key key(TreeNodeKey(level, index));
    auto value = txn_->Get(tree_, key.val());
    if (!value.ok()) return value.status();
    if (!value->has_value()) {
      return Status::Tampered("tree node (level " + std::to_string(level) + ", index " + std::to_string(index) +
                              ") is missing from the ledger");
    }
    if ((*value)->size() != 32) return Status::Tampered("a stored tree node is not 32 bytes");
    crypto::Hash hash;
    std::memcpy(hash.data(), (*value)->data(), hash.size());
    return hash;
  }

 private:
  LmdbTxn* txn_;
  MDB_dbi tree_;
};

Result<uint64_t> SizeInTxn(const LmdbTxn& txn, MDB_dbi entries) {
  auto cursor = LmdbCursor::Open(txn, entries);
  if (!cursor.ok()) return cursor.status();
  auto found = cursor->Last();
  if (!found.ok()) return found.status();
  return *found ? cursor->key() : uint64_t{0};
}

MDB_val StringVal(std::string_view s) { return MDB_val{s.size(), const_cast<char*>(s.data())}; }

Result<std::string> GetMeta(LmdbTxn& txn, MDB_dbi meta, const char* key) {
  auto value = txn.Get(meta, StringVal(key));
  if (!value.ok()) return value.status();
  if (!value->has_value()) return Status::Tampered(std::string("ledger metadata \"") + key + "\" is missing");
  return std::string(**value);
}

}  // namespace

Result<Journal::Dbs> OpenJournalDbs(LmdbTxn& txn, bool create) {
  Journal::Dbs dbs;
  auto meta = txn.OpenDb("meta", create);
  if (!meta.ok()) return meta.status();
  auto entries = txn.OpenDb("entries", create);
  if (!entries.ok()) return entries.status();
  auto tree = txn.OpenDb("tree", create);
  if (!tree.ok()) return tree.status();
  auto checkpoints = txn.OpenDb("checkpoints", create);
  if (!checkpoints.ok()) return checkpoints.status();
  auto views = txn.OpenDb("views", create);
  if (!views.ok()) return views.status();
  dbs.meta = *meta, dbs.entries = *entries, dbs.tree = *tree, dbs.checkpoints = *checkpoints, dbs.views = *views;
  auto invoice_views = txn.OpenDb("views.invoice", create);
  if (invoice_views.ok()) {
    dbs.invoice_views = *invoice_views;
  } else if (!create && invoice_views.status().code() == Status::Code::kNotFound) {
    dbs.invoice_views = dbs.views;  // created before the split: one database
  } else {
    return invoice_views.status();
  }
  return dbs;
}

namespace {

// Appends entries inside an open write transaction, in one or more chunks,
// then signs the checkpoint for the new size. The chain (prev) and the tree
// frontier are carried between chunks, so a streamed file is one commit.
class TxnAppend {
 public:
  static Result<TxnAppend> Start(LmdbTxn& txn, const Journal::Dbs& dbs) {
    auto size = SizeInTxn(txn, dbs.entries);
    if (!size.ok()) return size.status();
    TxnNodeReader reader(&txn, dbs.tree);
    auto appender = crypto::MerkleAppender::Restore(reader, *size);
    if (!appender.ok()) return appender.status();
    crypto::Hash prev = kGenesisPrev;
    if (*size > 0) {
      auto last = reader.PerfectNode(0, *size - 1);
      if (!last.ok()) return last.status();
      prev = *last;
    }
    return TxnAppend(txn, dbs, *size, std::move(*appender), prev);
  }

  uint64_t size() const { return size_; }
  // The leaf hash of the last line: the next line's prev.
  const crypto::Hash& prev() const { return prev_; }

  // The time written into every entry of this transaction.
  const std::string& recorded() const { return recorded_; }

  // Appends the drafts' lines, as `lines` (built over `drafts`, every one
  // final) gives them.
  // REQUIRES: 1 <= size() - start size + drafts.size() <= kAppendEntriesMax.
  Status Add(size_t count, LineBuilder& lines) {
    Status node_status;
    const auto store_node = [&](uint32_t level, uint64_t index, const crypto::Hash& hash) {
      if (!node_status.ok()) return;
      U64Key node_key(TreeNodeKey(level, index));
      node_status =
          txn_->Put(dbs_.tree, node_key.val(), MDB_val{hash.size(), const_cast<uint8_t*>(hash.data())}, MDB_APPEND);
    };
    for (size_t i = 0; i < count; ++i) {
      const uint64_t seq = size_ + 1;
      auto built = lines.Line(i);
      if (!built.ok()) {
        return built.status().WithContext(
            count == 1 ? std::string() : "entry " + std::to_string(i + 1) + " of " + std::to_string(count) + ": ");
      }
      U64Key entry_key(seq);
      RF_RETURN_IF_ERROR(txn_->Put(dbs_.entries, entry_key.val(), StringVal(built->stored), MDB_APPEND));
      appender_.Append(built->leaf, store_node);
      RF_RETURN_IF_ERROR(node_status);
      prev_ = built->leaf;
      size_ = seq;
    }
    if (size_ - first_size_ > kAppendEntriesMax) {
      return Status::InvalidInput("more than " + std::to_string(kAppendEntriesMax) + " entries in one transaction");
    }
    return Status::Ok();
  }

  Result<AppendResult> Finish(const std::string& origin, const crypto::SigningKey& key) {
    if (size_ == first_size_) return Status::InvalidInput("nothing to append");
    assert(appender_.size() == size_);
    AppendResult result;
    result.first_seq = first_size_ + 1;
    result.last_seq = size_;
    result.root = appender_.Root();
    const std::string note =
        crypto::SignNote(crypto::CheckpointText({origin, result.last_seq, result.root}), origin, key);
    U64Key checkpoint_key(result.last_seq);
    RF_RETURN_IF_ERROR(txn_->Put(dbs_.checkpoints, checkpoint_key.val(), StringVal(note), MDB_APPEND));
    return result;
  }

 private:
  TxnAppend(LmdbTxn& txn, const Journal::Dbs& dbs, uint64_t size, crypto::MerkleAppender appender,
            const crypto::Hash& prev)
      : txn_(&txn),
        dbs_(dbs),
        first_size_(size),
        size_(size),
        appender_(std::move(appender)),
        prev_(prev),
        recorded_(UtcTimestamp(std::chrono::system_clock::now())) {}
  LmdbTxn* txn_;
  Journal::Dbs dbs_;
  uint64_t first_size_, size_;
  crypto::MerkleAppender appender_;
  crypto::Hash prev_;
  std::string recorded_;
};

Result<AppendResult> AppendInTxn(LmdbTxn& txn, const Journal::Dbs& dbs, const std::vector<EntryDraft>& drafts,
                                 const std::string& origin, const crypto::SigningKey& key) {
  assert(!drafts.empty() && drafts.size() <= kAppendEntriesMax);
  auto append = TxnAppend::Start(txn, dbs);
  if (!append.ok()) return append.status();
  LineBuilder lines(drafts, append->size() + 1, append->recorded(), append->prev());
  lines.Final(drafts.size());
  RF_RETURN_IF_ERROR(append->Add(drafts.size(), lines));
  return append->Finish(origin, key);
}

Status MakeLedgerDirectory(const std::string& dir) {
  std::error_code ec;
  if (std::filesystem::exists(dir, ec)) {
    if (!std::filesystem::is_directory(dir, ec) || !std::filesystem::is_empty(dir, ec)) {
      return Status::Refused(dir + ": already exists and is not an empty directory; a ledger is never overwritten");
    }
  } else if (::mkdir(dir.c_str(), 0700) != 0) {
    return Status::Io(dir + ": cannot create the ledger directory: " + std::strerror(errno));
  }
  if (::chmod(dir.c_str(), 0700) != 0) return Status::Io(dir + ": chmod 700 failed: " + std::strerror(errno));
  return Status::Ok();
}

}  // namespace

uint64_t TreeNodeKey(uint32_t level, uint64_t index) {
  assert(level < 64);
  const uint64_t last_leaf = ((index + 1) << level) - 1;
  return 2 * last_leaf - static_cast<uint64_t>(std::popcount(last_leaf)) + level;
}

std::string DefaultOrigin(const std::string& org) {
  const std::string slug = NameSlug(org);
  return "ringfence.invalid/" + (slug.empty() ? std::string("ledger") : slug);
}

Result<std::unique_ptr<Journal>> Journal::Create(const std::string& dir, const std::string& org,
                                                 const std::string& origin, const std::string& actor,
                                                 JournalOptions options, AppendHook* hook) {
  if (org.empty() || org.size() > 200 || !IsValidUtf8(org)) {
    return Status::InvalidInput("--org: the organisation's name is required (1 to 200 bytes)");
  }
  for (const char c : origin) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == '+' || static_cast<unsigned char>(c) >= 0x7F) {
      return Status::InvalidInput("--origin: \"" + origin + "\" must be printable ASCII without spaces or '+'");
    }
  }
  if (origin.empty()) return Status::InvalidInput("--origin: must not be empty");
  RF_RETURN_IF_ERROR(MakeLedgerDirectory(dir));
  auto created = CreateInEmptyDirectory(dir, org, origin, actor, options, hook);
  if (!created.ok()) {
    // A failed init (a full disk, say) leaves an empty directory, so it can
    // simply be run again. The environment is closed by now.
    std::error_code ec;
    for (const char* name : {kKeyFileName, "data.mdb", "lock.mdb"}) std::filesystem::remove(dir + "/" + name, ec);
  }
  return created;
}

Result<std::unique_ptr<Journal>> Journal::CreateInEmptyDirectory(const std::string& dir, const std::string& org,
                                                                 const std::string& origin, const std::string& actor,
                                                                 JournalOptions options, AppendHook* hook) {
  auto key = crypto::SigningKey::Generate();
  if (!key.ok()) return key.status();
  RF_RETURN_IF_ERROR(WriteNewKeyFile(dir + "/" + kKeyFileName, *key));

  auto env = LmdbEnv::Open(dir, /*read_only=*/false, options.sync);
  if (!env.ok()) return env.status();
  auto txn = LmdbTxn::Begin(**env, /*read_only=*/false);
  if (!txn.ok()) return txn.status();
  auto dbs = OpenJournalDbs(*txn, /*create=*/true);
  if (!dbs.ok()) return dbs.status();
  const std::string verifier_key = crypto::VerifierKey(origin, key->public_key());
  for (const auto& [name, value] : {std::pair<const char*, std::string>{"format", kFormat},
                                    {"org", org},
                                    {"origin", origin},
                                    {"verifier_key", verifier_key}}) {
    RF_RETURN_IF_ERROR(txn->Put(dbs->meta, StringVal(name), StringVal(value), MDB_NOOVERWRITE));
  }
  EntryDraft init;
  init.kind = "ledger.init";
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  init.effective = Date::FromDays(static_cast<int32_t>(today.time_since_epoch().count()));
  init.actor = actor;
  init.source = "init";
  init.body_json = CanonicalObject()
                       .Text("format", kFormat)
                       .Text("org", org)
                       .Text("origin", origin)
                       .Text("verifier_key", verifier_key)
                       .Finish();
  std::vector<EntryDraft> drafts = {init};
  {
    auto append = TxnAppend::Start(*txn, *dbs);
    if (!append.ok()) return append.status();
    LineBuilder lines(drafts, 1, append->recorded(), append->prev());
    if (hook != nullptr) {
      RF_RETURN_IF_ERROR(hook->Prepare(*txn, 1, drafts, lines));
    } else {
      lines.Final(drafts.size());
    }
    RF_RETURN_IF_ERROR(append->Add(drafts.size(), lines));
    auto appended = append->Finish(origin, *key);
    if (!appended.ok()) return appended.status();
  }
  if (hook != nullptr) RF_RETURN_IF_ERROR(hook->Finish(*txn));
  RF_RETURN_IF_ERROR(txn->Commit());
  CountEntriesWritten(drafts.size());

  std::unique_ptr<Journal> journal(new Journal());
  journal->dir_ = dir;
  journal->env_ = std::move(*env);
  journal->dbs_ = *dbs;
  RF_RETURN_IF_ERROR(journal->LoadMeta());
  journal->signing_key_.emplace(std::move(*key));
  return journal;
}

Result<std::unique_ptr<Journal>> Journal::Open(const std::string& dir, bool writable, JournalOptions options) {
  std::error_code ec;
  if (!std::filesystem::exists(dir + "/data.mdb", ec)) {
    return Status::NotFound(dir + ": no ledger here; run `ringfence init --org NAME` first (or pass --ledger DIR)");
  }
  auto env = LmdbEnv::Open(dir, !writable, options.sync);
  if (!env.ok()) return env.status();
  std::unique_ptr<Journal> journal(new Journal());
  journal->dir_ = dir;
  journal->env_ = std::move(*env);
  {
    auto txn = LmdbTxn::Begin(*journal->env_, /*read_only=*/true);
    if (!txn.ok()) return txn.status();
    auto dbs = OpenJournalDbs(*txn, /*create=*/false);
    if (!dbs.ok() && dbs.status().code() == Status::Code::kNotFound) {
      // data.mdb is there (checked above) but lacks a database: damaged.
      return Status::Tampered(dir + "/data.mdb is damaged: " + dbs.status().message());
    }
    if (!dbs.ok()) return dbs.status();
    journal->dbs_ = *dbs;
    // Handles opened in a read transaction stay valid once it commits.
    RF_RETURN_IF_ERROR(txn->Commit());
  }
  RF_RETURN_IF_ERROR(journal->LoadMeta());
  if (writable) {
    auto key = ReadKeyFile(dir + "/" + kKeyFileName);
    if (!key.ok()) return key.status();
    if (key->public_key() != journal->verifier_key_.key) {
      return Status::Refused(dir + "/" + kKeyFileName + ": this signing key is not the ledger's key (" +
                             crypto::VerifierKey(journal->origin_, journal->verifier_key_.key) + ")");
    }
    journal->signing_key_.emplace(std::move(*key));
  }
  return journal;
}

Status Journal::LoadMeta() {
  auto txn = LmdbTxn::Begin(*env_, /*read_only=*/true);
  if (!txn.ok()) return txn.status();
  auto format = GetMeta(*txn, dbs_.meta, "format");
  if (!format.ok()) return format.status();
  if (*format != kFormat) {
    // Another version names itself "ringfence-journal/<digits>"; anything
    // else in that place is a damaged file, and is not echoed.
    const std::string_view family = "ringfence-journal/";
    const bool other_version =
        format->size() > family.size() && format->size() <= family.size() + 9 && format->starts_with(family) &&
        std::all_of(format->begin() + family.size(), format->end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!other_version) return Status::Tampered("ledger metadata \"format\" is damaged (data.mdb is damaged)");
    return Status::InvalidInput("ledger format \"" + *format + "\" is not " + kFormat);
  }
  auto org = GetMeta(*txn, dbs_.meta, "org");
  if (!org.ok()) return org.status();
  auto origin = GetMeta(*txn, dbs_.meta, "origin");
  if (!origin.ok()) return origin.status();
  auto vkey_text = GetMeta(*txn, dbs_.meta, "verifier_key");
  if (!vkey_text.ok()) return vkey_text.status();
  auto vkey = crypto::ParseVerifierKey(*vkey_text);
  if (!vkey.ok()) return Status::Tampered("ledger metadata verifier_key: " + vkey.status().message());
  org_ = *org;
  origin_ = *origin;
  verifier_key_ = *vkey;
  return Status::Ok();
}

Result<AppendResult> Journal::Append(std::vector<EntryDraft> drafts, AppendHook* hook, bool commit) {
  assert(signing_key_.has_value() && hook != nullptr);
  if (drafts.empty()) return Status::InvalidInput("nothing to append");
  if (drafts.size() > kAppendEntriesMax) {
    return Status::InvalidInput("more than " + std::to_string(kAppendEntriesMax) + " entries in one transaction");
  }
  // One chunk: the streamed path with the whole batch.
  bool given = false;
  return AppendStream(
      [&](LmdbTxn&, std::vector<EntryDraft>* chunk) -> Result<bool> {
        assert(!given);
        given = true;
        *chunk = std::move(drafts);
        return false;
      },
      hook, commit);
}

Result<AppendResult> Journal::AppendStream(const DraftSource& next, AppendHook* hook, bool commit) {
  assert(signing_key_.has_value() && hook != nullptr);
  auto txn = LmdbTxn::Begin(*env_, /*read_only=*/false);
  if (!txn.ok()) return txn.status();
  auto append = TxnAppend::Start(*txn, dbs_);
  if (!append.ok()) return append.status();
  const uint64_t start_size = append->size();
  std::vector<EntryDraft> chunk;
  for (;;) {
    chunk.clear();
    auto more = next(*txn, &chunk);
    if (!more.ok()) return more.status();  // the transaction aborts: nothing written
    if (!chunk.empty()) {
      // The lines are built on a second thread as the hook applies the
      // drafts; the builder is gone (joined) before the chunk is reused.
      LineBuilder lines(chunk, append->size() + 1, append->recorded(), append->prev());
      RF_RETURN_IF_ERROR(hook->Prepare(*txn, append->size() + 1, chunk, lines));
      RF_RETURN_IF_ERROR(append->Add(chunk.size(), lines));
      RF_RETURN_IF_ERROR(hook->Finish(*txn));
    }
    if (!*more) break;
  }
  if (append->size() == start_size) return AppendResult{start_size + 1, start_size, {}};
  auto result = append->Finish(origin_, *signing_key_);
  if (!result.ok()) return result.status();
  if (commit) {
    RF_RETURN_IF_ERROR(txn->Commit());
    CountEntriesWritten(result->last_seq - start_size);
  }
  return result;
}

Result<AppendResult> Journal::Append(const std::vector<EntryDraft>& drafts) {
  assert(signing_key_.has_value());
  if (drafts.empty()) return Status::InvalidInput("nothing to append");
  if (drafts.size() > kAppendEntriesMax) {
    return Status::InvalidInput("more than " + std::to_string(kAppendEntriesMax) + " entries in one transaction");
  }
  auto txn = LmdbTxn::Begin(*env_, /*read_only=*/false);
  if (!txn.ok()) return txn.status();
  auto result = AppendInTxn(*txn, dbs_, drafts, origin_, *signing_key_);
  if (!result.ok()) return result.status();  // the transaction aborts: nothing written
  RF_RETURN_IF_ERROR(txn->Commit());
  CountEntriesWritten(drafts.size());
  return result;
}

uint64_t EntriesWrittenByThisProcess() { return entries_written_by_this_process.load(); }

Result<uint64_t> Journal::Size() const {
  auto txn = LmdbTxn::Begin(*env_, /*read_only=*/true);
  if (!txn.ok()) return txn.status();
  return SizeInTxn(*txn, dbs_.entries);
}

namespace {
// Copies the value at `key` out of a fresh read snapshot; nullopt if absent.
Result<std::optional<std::string>> GetCopy(const LmdbEnv& env, MDB_dbi dbi, uint64_t key) {
  auto txn = LmdbTxn::Begin(env, /*read_only=*/true);
  if (!txn.ok()) return txn.status();
  U64Key k(key);
  auto value = txn->Get(dbi, k.val());
  if (!value.ok()) return value.status();
  if (!value->has_value()) return std::optional<std::string>();
  return std::optional<std::string>(std::string(**value));
}
}  // namespace

Result<std::string> Journal::Line(uint64_t seq) const {
  auto stored = GetCopy(*env_, dbs_.entries, seq);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return Status::NotFound("entry " + std::to_string(seq) + " does not exist");
  // A decoder's context costs more to make than a line to decode: one per
  // thread (ingest reads an entry per row it loaded before).
  static thread_local StoredDecoder decoder;
  std::string out;
  auto line = decoder.Decode(**stored, &out);
  if (!line.ok()) return line.status().WithContext("entry " + std::to_string(seq) + ": ");
  if (line->data() != out.data()) out.assign(*line);  // stored plain
  return out;
}

Result<std::string> Journal::CheckpointNote(uint64_t tree_size) const {
  auto note = GetCopy(*env_, dbs_.checkpoints, tree_size);
  if (!note.ok()) return note.status();
  if (!note->has_value()) {
    return Status::NotFound("no checkpoint at tree size " + std::to_string(tree_size) +
                            " (checkpoints are signed at each commit; `ringfence audit export` lists them)");
  }
  return std::move(**note);
}

namespace {
Status ForEachIn(const LmdbEnv& env, MDB_dbi dbi, std::optional<uint64_t> from,
                 const std::function<Status(uint64_t, std::string_view)>& fn) {
  auto txn = LmdbTxn::Begin(env, /*read_only=*/true);
  if (!txn.ok()) return txn.status();
  auto cursor = LmdbCursor::Open(*txn, dbi);
  if (!cursor.ok()) return cursor.status();
  for (auto more = cursor->Seek(from);; more = cursor->Next()) {
    if (!more.ok()) return more.status();
    if (!*more) return Status::Ok();
    RF_RETURN_IF_ERROR(fn(cursor->key(), cursor->value()));
  }
}
}  // namespace

Status Journal::ForEachLine(uint64_t from_seq, const std::function<Status(uint64_t, std::string_view)>& fn) const {
  StoredDecoder decoder;
  return ForEachIn(*env_, dbs_.entries, from_seq, [&](uint64_t seq, std::string_view stored) {
    auto line = decoder.Decode(stored);
    if (!line.ok()) return line.status().WithContext("entry " + std::to_string(seq) + ": ");
    return fn(seq, *line);
  });
}

Status Journal::ForEachCheckpoint(const std::function<Status(uint64_t, std::string_view)>& fn) const {
  return ForEachIn(*env_, dbs_.checkpoints, std::nullopt, fn);
}

Result<Journal::Inclusion> Journal::ProveInclusion(uint64_t seq, std::optional<uint64_t> tree_size) const {
  auto txn = LmdbTxn::Begin(*env_, /*read_only=*/true);
  if (!txn.ok()) return txn.status();
  auto size = SizeInTxn(*txn, dbs_.entries);
  if (!size.ok()) return size.status();
  const uint64_t at = tree_size.value_or(*size);
  if (at == 0 || at > *size) {
    return Status::InvalidInput("--size: " + std::to_string(at) + " is not between 1 and the journal's size " +
                                std::to_string(*size));
  }
  if (seq == 0 || seq > at) {
    return Status::InvalidInput("--seq: " + std::to_string(seq) + " is not an entry of the tree of size " +
                                std::to_string(at) + " (entries are numbered from 1)");
  }
  U64Key key(at);
  auto note = txn->Get(dbs_.checkpoints, key.val());
  if (!note.ok()) return note.status();
  if (!note->has_value()) {
    return Status::NotFound("--size: no signed checkpoint at size " + std::to_string(at) +
                            "; prove against a size that a commit signed (the latest is the default)");
  }
  TxnNodeReader reader(&*txn, dbs_.tree);
  Inclusion out;
  out.leaf_index = seq - 1;
  out.tree_size = at;
  out.checkpoint = std::string(**note);
  auto leaf = reader.PerfectNode(0, seq - 1);
  if (!leaf.ok()) return leaf.status();
  out.leaf_hash = *leaf;
  auto path = crypto::InclusionProof(reader, seq - 1, at);
  if (!path.ok()) return path.status();
  out.path = std::move(*path);
  return out;
}

Result<Journal::Consistency> Journal::ProveConsistency(uint64_t first, uint64_t second) const {
  auto txn = LmdbTxn::Begin(*env_, /*read_only=*/true);
  if (!txn.ok()) return txn.status();
  auto size = SizeInTxn(*txn, dbs_.entries);
  if (!size.ok()) return size.status();
  if (first == 0 || first > second || second > *size) {
    return Status::InvalidInput("--from/--to: need 1 <= from <= to <= " + std::to_string(*size) + ", got " +
                                std::to_string(first) + " and " + std::to_string(second));
  }
  Consistency out;
  out.first = first;
  out.second = second;
  for (auto [at, dest] : {std::pair{first, &out.first_checkpoint}, std::pair{second, &out.second_checkpoint}}) {
    U64Key key(at);
    auto note = txn->Get(dbs_.checkpoints, key.val());
    if (!note.ok()) return note.status();
    if (note->has_value()) *dest = std::string(**note);
  }
  TxnNodeReader reader(&*txn, dbs_.tree);
  auto path = crypto::ConsistencyProof(reader, first, second);
  if (!path.ok()) return path.status();
  out.path = std::move(*path);
  return out;
}

}  // namespace rf
