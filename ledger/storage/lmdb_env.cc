#include "ledger/storage/lmdb_env.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <optional>
#include <utility>

namespace rf {
namespace {

// The fault-injection test hook (see lmdb_env.h). Read once, before main.
struct FaultHook {
  FaultHook() {
    const char* at = std::getenv("RF_FAULT_LMDB_AT");
    const char* count = std::getenv("RF_FAULT_LMDB_COUNT");
    if (at != nullptr) fail_at = std::strtoull(at, nullptr, 10);
    report = count != nullptr && std::strcmp(count, "1") == 0;
    armed = fail_at != 0 || report;
  }
  ~FaultHook() {
    if (report) std::fprintf(stderr, "RF_FAULT_LMDB calls: %llu\n", static_cast<unsigned long long>(calls.load()));
  }
  bool armed = false;
  bool report = false;
  uint64_t fail_at = 0;  // 0: never
  std::atomic<uint64_t> calls{0};
};

FaultHook g_fault;

// Counts one call that may change the ledger; true if it is the one to fail.
bool InjectFault() {
  if (!g_fault.armed) [[likely]]
    return false;
  return ++g_fault.calls == g_fault.fail_at;
}

Status InjectedError(const std::string& what) {
  return Status::Io("LMDB " + what + ": injected fault (test): " + std::strerror(EIO) + "; nothing was written");
}

}  // namespace

U64Key::U64Key(uint64_t v) {
  for (int i = 7; i >= 0; --i) {
    bytes[i] = static_cast<unsigned char>(v & 0xFF);
    v >>= 8;
  }
}

uint64_t U64Key::value() const {
  uint64_t v = 0;
  for (const unsigned char b : bytes) v = (v << 8) | b;
  return v;
}

MDB_val U64Key::val() { return MDB_val{sizeof(bytes), bytes}; }

uint64_t DecodeU64Key(const MDB_val& v) {
  assert(v.mv_size == 8);
  const auto* p = static_cast<const unsigned char*>(v.mv_data);
  uint64_t out = 0;
  for (size_t i = 0; i < 8; ++i) out = (out << 8) | p[i];
  return out;
}

Status DamagedFileError(const std::string& what, int rc) {
  return Status::Tampered("LMDB " + what + ": " + mdb_strerror(rc) +
                          " (the ledger file data.mdb is damaged; restore it from a backup)");
}

Status LmdbError(const std::string& what, int rc) {
  std::string hint;
  if (rc == ENOSPC) hint = " (the disk is full; nothing was written)";
  if (rc == EDQUOT) hint = " (the disk quota is used up; nothing was written)";
  if (rc == EFBIG) hint = " (the file size limit was reached: see `ulimit -f`; nothing was written)";
  if (rc == EIO) hint = " (the disk reported an error; check it, then run `ringfence verify`)";
  if (rc == EACCES || rc == EROFS) hint = " (the ledger directory is not writable; nothing was written)";
  if (rc == MDB_MAP_FULL) hint = " (the ledger reached its size limit; nothing was written)";
  if (rc == ENOENT) hint = " (no ledger here; run `ringfence init --org NAME` first)";
  if (rc == MDB_CORRUPTED || rc == MDB_PAGE_NOTFOUND || rc == MDB_INVALID || rc == MDB_BAD_DBI ||
      rc == MDB_VERSION_MISMATCH) {
    // LMDB noticed its own file is damaged: a finding, like tampering.
    return DamagedFileError(what, rc);
  }
  return Status::Io("LMDB " + what + ": " + mdb_strerror(rc) + hint);
}

Status CheckLedgerWritable(const std::string& dir) {
  // The folder itself (LMDB writes no new file to commit, but a folder its
  // owner made read-only says "do not change this"), then the two files.
  for (const char* name : {"", "/data.mdb", "/lock.mdb"}) {
    const std::string path = dir + name;
    if (*name != '\0' && ::access(path.c_str(), F_OK) != 0) continue;  // created on first open
    // AT_EACCESS: as this process's effective user, the one LMDB writes as.
    if (::faccessat(AT_FDCWD, path.c_str(), W_OK, AT_EACCESS) == 0) continue;
    const int error = errno;
    if (error != EACCES && error != EROFS && error != EPERM) return LmdbError("open " + path, error);
    return Status::Io(dir + ": the ledger directory is not writable (" + path + ": " + std::strerror(error) +
                      "); nothing was written. Reading commands (verify, report, audit, export) still work");
  }
  return Status::Ok();
}

namespace {

// mdb_env_open's code; `*out` is the open environment when it is 0.
int OpenEnvWithFlags(const std::string& dir, unsigned flags, MDB_env** out) {
  MDB_env* env = nullptr;
  int rc = mdb_env_create(&env);
  if (rc != 0) return rc;
  rc = mdb_env_set_mapsize(env, kLmdbMapBytes);
  if (rc == 0) rc = mdb_env_set_maxdbs(env, kLmdbMaxDbs);
  if (rc == 0) rc = mdb_env_open(env, dir.c_str(), flags, 0600);
  if (rc != 0) {
    mdb_env_close(env);
    return rc;
  }
  *out = env;
  return 0;
}

}  // namespace

Result<std::unique_ptr<LmdbEnv>> LmdbEnv::Open(const std::string& dir, bool read_only, bool sync) {
  unsigned flags = MDB_NOTLS;
  if (read_only) flags |= MDB_RDONLY;
  if (!sync) flags |= MDB_NOSYNC;  // tests only: still atomic against a killed process
  if (!read_only) {
    // Refused before LMDB is asked for anything, so a write is never half
    // attempted on a ledger its owner made read-only.
    RF_RETURN_IF_ERROR(CheckLedgerWritable(dir));
    if (InjectFault()) return InjectedError("open " + dir + " for writing");
  }
  MDB_env* env = nullptr;
  int rc = OpenEnvWithFlags(dir, flags, &env);
  if (read_only && (rc == EACCES || rc == EROFS)) {
    // A reader needs LMDB's lock file writable, to register in its reader
    // table. A ledger whose lock file is read-only too (a copy, a read-only
    // mount) is read without one: nobody who can write it is expected.
    rc = OpenEnvWithFlags(dir, flags | MDB_NOLOCK, &env);
  }
  if (read_only && (rc == EBADF || rc == EINVAL || rc == ENOENT) && ::access((dir + "/data.mdb").c_str(), F_OK) == 0) {
    // data.mdb is there but LMDB finds no meta page it can read (an empty
    // or cut file reads as "no file", EBADF or EINVAL): damage, exit 1,
    // never "no ledger here".
    return DamagedFileError("open " + dir, rc);
  }
  if (rc != 0) return LmdbError("open " + dir, rc);
  assert(env != nullptr);
  return std::unique_ptr<LmdbEnv>(new LmdbEnv(env, dir, read_only));
}

LmdbEnv::LmdbEnv(MDB_env* env, std::string dir, bool read_only)
    : env_(env),
      dir_(std::move(dir)),
      read_only_(read_only),
      statm_fd_(::open("/proc/self/statm", O_RDONLY | O_CLOEXEC)),
      statm_pid_(::getpid()) {}

LmdbEnv::~LmdbEnv() {
  mdb_env_close(env_);
  if (statm_fd_ >= 0) ::close(statm_fd_);
}

int LmdbEnv::statm_fd_for_test() const { return statm_fd_; }

void LmdbEnv::NoteRead() const {
  if (reads_.fetch_add(1, std::memory_order_relaxed) % kMappedCheckReads == kMappedCheckReads - 1) ReleaseIfOver();
}

void LmdbEnv::set_mapped_resident_max_bytes(size_t bytes) {
  assert(bytes >= 4096);
  mapped_resident_max_bytes_.store(bytes, std::memory_order_relaxed);
}

namespace {

// The process's resident file-backed pages (statm's third field: shared
// resident pages, the map's and the program's own) read from `fd`, an open
// /proc/self/statm of process `fd_pid`; nullopt when /proc cannot be read.
// A forked child (`fd_pid` is not its pid) opens its own for the look.
std::optional<uint64_t> ResidentSharedPages(int fd, pid_t fd_pid) {
  int own_fd = -1;
  if (fd < 0 || fd_pid != ::getpid()) {
    own_fd = ::open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    if (own_fd < 0) return std::nullopt;
    fd = own_fd;
  }
  char text[128];
  // At offset 0 the kernel writes the figures afresh (a seq_file read
  // starting at 0 starts over), so one descriptor serves every look.
  const ssize_t n = ::pread(fd, text, sizeof(text) - 1, 0);
  if (own_fd >= 0) ::close(own_fd);
  if (n <= 0) return std::nullopt;
  text[n] = '\0';
  unsigned long long size = 0, resident = 0, shared = 0;
  if (std::sscanf(text, "%llu %llu %llu", &size, &resident, &shared) != 3) return std::nullopt;
  return uint64_t{shared};
}

}  // namespace

namespace {

// The range the process maps data.mdb of `env` at, found in
// /proc/self/maps by the file's device and inode (LMDB does not say where
// it mapped the file: mdb_env_info's me_mapaddr is only the MDB_FIXEDMAP
// address). nullopt when it cannot be found.
std::optional<std::pair<uintptr_t, uintptr_t>> FindMapRange(MDB_env* env) {
  mdb_filehandle_t fd = -1;
  struct stat st {};
  if (mdb_env_get_fd(env, &fd) != 0 || ::fstat(fd, &st) != 0) return std::nullopt;
  std::FILE* maps = std::fopen("/proc/self/maps", "re");
  if (maps == nullptr) return std::nullopt;
  std::optional<std::pair<uintptr_t, uintptr_t>> found;
  char line[512];
  while (!found && std::fgets(line, sizeof(line), maps) != nullptr) {
    unsigned long long from = 0, to = 0, offset = 0, inode = 0;
    unsigned dev_major = 0, dev_minor = 0;
    char perms[8] = {};
    if (std::sscanf(line, "%llx-%llx %7s %llx %x:%x %llu", &from, &to, perms, &offset, &dev_major, &dev_minor,
                    &inode) == 7 &&
        inode == st.st_ino && dev_major == major(st.st_dev) && dev_minor == minor(st.st_dev) && offset == 0) {
      found.emplace(static_cast<uintptr_t>(from), static_cast<uintptr_t>(to));
    }
  }
  std::fclose(maps);
  return found;
}

}  // namespace

void LmdbEnv::ReleaseIfOver() const {
  const long page_bytes = ::sysconf(_SC_PAGESIZE);
  const std::optional<uint64_t> shared = ResidentSharedPages(statm_fd_, statm_pid_);
  // Unknown (no /proc) counts as over: releasing is always safe.
  const size_t bound = mapped_resident_max_bytes_.load(std::memory_order_relaxed);
  if (page_bytes > 0 && shared && *shared * static_cast<uint64_t>(page_bytes) <= bound) return;
  std::lock_guard<std::mutex> lock(map_mutex_);
  if (!map_range_) map_range_ = FindMapRange(env_);
  MDB_envinfo info{};
  MDB_stat stat{};
  if (!map_range_ || mdb_env_info(env_, &info) != 0 || mdb_env_stat(env_, &stat) != 0) return;
  // The pages in use so far (the file's length in pages); the map beyond
  // them was never touched.
  const uintptr_t length = map_range_->second - map_range_->first;
  const size_t used = std::min<size_t>(length, (size_t{info.me_last_pgno} + 1) * stat.ms_psize);
  if (::madvise(reinterpret_cast<void*>(map_range_->first), used, MADV_DONTNEED) == 0) {
    releases_.fetch_add(1, std::memory_order_relaxed);
  }
}

Result<LmdbTxn> LmdbTxn::Begin(const LmdbEnv& env, bool read_only) {
  assert(read_only || !env.read_only());
  if (!read_only && InjectFault()) return InjectedError("begin write");
  MDB_txn* txn = nullptr;
  const int rc = mdb_txn_begin(env.env(), nullptr, read_only ? MDB_RDONLY : 0, &txn);
  if (read_only && rc == MDB_MAP_RESIZED) {
    // Every ringfence maps kLmdbMapBytes and never resizes: a file whose
    // meta page records a larger map has a damaged meta page (a bit flip
    // there gave exit 2 before).
    return DamagedFileError("begin read", rc);
  }
  if (rc != 0) return LmdbError(read_only ? "begin read" : "begin write", rc);
  return LmdbTxn(&env, txn, !read_only);
}

LmdbTxn::LmdbTxn(LmdbTxn&& other) noexcept
    : env_(other.env_), txn_(other.txn_), write_(other.write_), failed_(other.failed_) {
  other.txn_ = nullptr;
}

LmdbTxn::~LmdbTxn() {
  if (txn_ != nullptr) mdb_txn_abort(txn_);
}

Result<MDB_dbi> LmdbTxn::OpenDb(const char* name, bool create) {
  assert(txn_ != nullptr);
  if (write_ && InjectFault()) return InjectedError(std::string("open database ") + name);
  MDB_dbi dbi = 0;
  const int rc = mdb_dbi_open(txn_, name, create ? MDB_CREATE : 0, &dbi);
  if (rc == MDB_NOTFOUND) return Status::NotFound(std::string("no ledger here (database ") + name + " missing)");
  if (rc != 0) return LmdbError(std::string("open database ") + name, rc);
  return dbi;
}

Status LmdbTxn::Put(MDB_dbi dbi, MDB_val key, MDB_val value, unsigned flags) {
  assert(txn_ != nullptr && write_);
  if (InjectFault()) {
    failed_ = true;
    return InjectedError("put");
  }
  const int rc = mdb_put(txn_, dbi, &key, &value, flags);
  if (rc == MDB_KEYEXIST) return Status::Io("LMDB put: key exists or is out of order (journal corrupt?)");
  if (rc != 0) return LmdbError("put", rc);
  return Status::Ok();
}

Status LmdbTxn::Del(MDB_dbi dbi, MDB_val key) {
  assert(txn_ != nullptr && write_);
  if (InjectFault()) {
    failed_ = true;
    return InjectedError("delete");
  }
  const int rc = mdb_del(txn_, dbi, &key, nullptr);
  if (rc == MDB_NOTFOUND) return Status::NotFound("LMDB delete: no such key");
  if (rc != 0) return LmdbError("delete", rc);
  return Status::Ok();
}

Result<std::optional<std::string_view>> LmdbTxn::Get(MDB_dbi dbi, MDB_val key) {
  assert(txn_ != nullptr);
  MDB_val value{};
  const int rc = mdb_get(txn_, dbi, &key, &value);
  env_->NoteRead();
  if (rc == MDB_NOTFOUND) return std::optional<std::string_view>();
  if (rc == MDB_BAD_TXN && !write_) return DamagedFileError("get", rc);
  if (rc != 0) return LmdbError("get", rc);
  return std::optional<std::string_view>(std::string_view(static_cast<const char*>(value.mv_data), value.mv_size));
}

Result<uint64_t> LmdbTxn::Entries(MDB_dbi dbi) const {
  assert(txn_ != nullptr);
  MDB_stat stat{};
  const int rc = mdb_stat(txn_, dbi, &stat);
  if (rc != 0) return LmdbError("stat", rc);
  return uint64_t{stat.ms_entries};
}

Status LmdbTxn::Commit() {
  assert(txn_ != nullptr);
  if (failed_ || (write_ && InjectFault())) {
    mdb_txn_abort(txn_);
    txn_ = nullptr;
    return failed_ ? LmdbError("commit", MDB_BAD_TXN) : InjectedError("commit");
  }
  const int rc = mdb_txn_commit(txn_);
  txn_ = nullptr;  // committed or aborted by LMDB either way
  if (rc != 0) return LmdbError("commit", rc);
  return Status::Ok();
}

Result<LmdbCursor> LmdbCursor::Open(const LmdbTxn& txn, MDB_dbi dbi, bool text_keys) {
  MDB_cursor* cursor = nullptr;
  const int rc = mdb_cursor_open(txn.txn(), dbi, &cursor);
  if (rc == MDB_BAD_TXN && !txn.writes()) return DamagedFileError("open cursor", rc);
  if (rc != 0) return LmdbError("open cursor", rc);
  return LmdbCursor(&txn.env(), cursor, text_keys, !txn.writes());
}

LmdbCursor::LmdbCursor(LmdbCursor&& other) noexcept
    : env_(other.env_),
      cursor_(other.cursor_),
      text_keys_(other.text_keys_),
      reads_only_(other.reads_only_),
      key_(other.key_),
      value_(other.value_) {
  other.cursor_ = nullptr;
}

LmdbCursor::~LmdbCursor() {
  if (cursor_ != nullptr) mdb_cursor_close(cursor_);
}

Result<bool> LmdbCursor::Move(MDB_cursor_op op) {
  assert(cursor_ != nullptr);
  const int rc = mdb_cursor_get(cursor_, &key_, &value_, op);
  env_->NoteRead();
  if (rc == MDB_NOTFOUND) return false;
  // A read-only transaction fails (MDB_BAD_TXN) only after LMDB met a
  // damaged page in it: damage, not an I/O error.
  if (rc == MDB_BAD_TXN && reads_only_) return DamagedFileError("cursor", rc);
  if (rc != 0) return LmdbError("cursor", rc);
  if (!text_keys_ && key_.mv_size != 8) return Status::Tampered("LMDB: a key is not 8 bytes (ledger corrupt)");
  return true;
}

Result<bool> LmdbCursor::Seek(std::optional<uint64_t> key) {
  if (!key) return Move(MDB_FIRST);
  U64Key k(*key);
  key_ = k.val();
  return Move(MDB_SET_RANGE);
}

Result<bool> LmdbCursor::SeekText(std::string_view key) {
  assert(text_keys_);
  if (key.empty()) return Move(MDB_FIRST);
  key_ = MDB_val{key.size(), const_cast<char*>(key.data())};
  return Move(MDB_SET_RANGE);
}

Result<bool> LmdbCursor::Next() { return Move(MDB_NEXT); }
Result<bool> LmdbCursor::Last() { return Move(MDB_LAST); }

}  // namespace rf
