// rf_lmdb_floor ROWS LINE_BYTES RECORD_BYTES: the memory floor of loading a
// file in one LMDB write transaction, with nothing of ringfence but the
// layout of an invoices load: per row one journal line (8-byte key,
// MDB_APPEND), two tree nodes (32 bytes, MDB_APPEND) and one view record
// ("invoice/INV-nnnnnnnn", among other keys that sort after it).
//
// LMDB keeps every page a write transaction dirties in malloc'd memory until
// commit, spilling only past MDB_IDL_UM_MAX pages (512 MiB), and keeps the
// spilled pages for reuse; so the peak anonymous memory of a one-transaction
// load is min(bytes written, ~512 MiB) plus the program. Prints that peak.
//   rf_lmdb_floor 1000000 480 270   (today's invoice rows)
#include <lmdb.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

long RssAnonKib() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("RssAnon:", 0) == 0) return std::atol(line.c_str() + 8);
  }
  return -1;
}

void Check(int rc, const char* what) {
  if (rc == MDB_SUCCESS) return;
  std::fprintf(stderr, "rf_lmdb_floor: %s: %s\n", what, mdb_strerror(rc));
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: rf_lmdb_floor ROWS LINE_BYTES RECORD_BYTES\n");
    return 2;
  }
  const long rows = std::atol(argv[1]);
  const std::string line(std::strtoul(argv[2], nullptr, 10), 'l');
  const std::string record(std::strtoul(argv[3], nullptr, 10), 'r');
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "rf-lmdb-floor";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directory(dir);

  MDB_env* env = nullptr;
  Check(mdb_env_create(&env), "env");
  Check(mdb_env_set_mapsize(env, size_t{64} << 30), "mapsize");
  Check(mdb_env_set_maxdbs(env, 4), "maxdbs");
  Check(mdb_env_open(env, dir.c_str(), MDB_NOSYNC, 0600), "open");
  MDB_txn* txn = nullptr;
  Check(mdb_txn_begin(env, nullptr, 0, &txn), "begin");
  MDB_dbi entries, tree, views;
  Check(mdb_dbi_open(txn, "entries", MDB_CREATE, &entries), "entries");
  Check(mdb_dbi_open(txn, "tree", MDB_CREATE, &tree), "tree");
  Check(mdb_dbi_open(txn, "views", MDB_CREATE, &views), "views");
  MDB_val later_key{6, const_cast<char*>("person")}, later_value{1, const_cast<char*>("x")};
  Check(mdb_put(txn, views, &later_key, &later_value, 0), "put");

  const char hash[32] = {};
  uint64_t node = 0;
  long peak_kib = 0;
  for (long i = 1; i <= rows; ++i) {
    uint64_t key = __builtin_bswap64(static_cast<uint64_t>(i));
    MDB_val k{sizeof key, &key}, v{line.size(), const_cast<char*>(line.data())};
    Check(mdb_put(txn, entries, &k, &v, MDB_APPEND), "put");
    for (int n = 0; n < 2; ++n) {
      uint64_t node_key = __builtin_bswap64(++node);
      MDB_val nk{sizeof node_key, &node_key}, nv{sizeof hash, const_cast<char*>(hash)};
      Check(mdb_put(txn, tree, &nk, &nv, MDB_APPEND), "put");
    }
    char id[32];
    const int id_bytes = std::snprintf(id, sizeof id, "invoice/INV-%08ld", i);
    MDB_val rk{static_cast<size_t>(id_bytes), id}, rv{record.size(), const_cast<char*>(record.data())};
    Check(mdb_put(txn, views, &rk, &rv, 0), "put");
    if (i % 10'000 == 0) peak_kib = std::max(peak_kib, RssAnonKib());
  }
  Check(mdb_txn_commit(txn), "commit");
  mdb_env_close(env);
  std::error_code ec;
  const auto file_bytes = std::filesystem::file_size(dir / "data.mdb", ec);
  std::printf("%ld rows, line %zu B, record %zu B: data file %.0f MiB, peak anonymous memory %.0f MiB\n", rows,
              line.size(), record.size(), static_cast<double>(file_bytes) / (1 << 20),
              static_cast<double>(peak_kib) / 1024);
  std::filesystem::remove_all(dir);
  return 0;
}
