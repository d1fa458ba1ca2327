// LmdbEnv's bound on the map's resident pages (lmdb_env.h, "Mapped pages"):
// reads over a file far larger than the bound keep the process's mapped
// pages of it near the bound, every value read is what was written, and
// with no bound every page read stays mapped (so the test can fail); the
// /proc/self/statm descriptor the environment keeps reads fresh figures.

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "ledger/storage/lmdb_env.h"
#include "tests/test_util.h"

namespace {

constexpr uint64_t kMappedTestValues = 16384;
constexpr size_t kMappedTestValueBytes = 4000;  // one overflow page each: 64 MiB in all

std::string MappedTestValue(uint64_t key) {
  std::string v(kMappedTestValueBytes, static_cast<char>('a' + key % 26));
  const std::string head = std::to_string(key) + ":";
  v.replace(0, head.size(), head);
  return v;
}

// The resident bytes of the mapping that holds `address` (/proc/self/smaps).
uint64_t MappedTestResidentBytes(const void* address) {
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  const auto at = reinterpret_cast<uintptr_t>(address);
  while (std::getline(smaps, line)) {
    uintptr_t from = 0, to = 0;
    char dash = 0;
    std::istringstream range(line);
    if (line.find('-') != std::string::npos && (range >> std::hex >> from >> dash >> to) && dash == '-' &&
        line.find(':') > line.find(' ')) {
      inside = from <= at && at < to;
      continue;
    }
    if (inside && line.rfind("Rss:", 0) == 0) return std::stoull(line.substr(4)) * 1024;
  }
  return 0;
}

void MappedTestFill(const rf::LmdbEnv& env) {
  auto txn = rf::LmdbTxn::Begin(env, /*read_only=*/false);
  REQUIRE(txn.ok());
  auto dbi = txn->OpenDb("values", /*create=*/true);
  REQUIRE(dbi.ok());
  for (uint64_t k = 0; k < kMappedTestValues; ++k) {
    rf::U64Key key(k);
    std::string v = MappedTestValue(k);
    REQUIRE(txn->Put(*dbi, key.val(), MDB_val{v.size(), v.data()}, MDB_APPEND).ok());
  }
  REQUIRE(txn->Commit().ok());
}

struct MappedTestPeak {
  uint64_t peak_bytes = 0, last_bytes = 0;
};

// Reads every value by point reads, then by a cursor, checking each, and
// samples the map's resident bytes every 64 reads.
MappedTestPeak MappedTestReadAll(const rf::LmdbEnv& env) {
  MappedTestPeak peak;
  // A value read in a read transaction lies in the map (mdb_env_info's
  // me_mapaddr is only an MDB_FIXEDMAP address).
  auto sample = [&](uint64_t n, const char* in_map) {
    if (n % 64 != 0) return;
    peak.last_bytes = MappedTestResidentBytes(in_map);
    peak.peak_bytes = std::max(peak.peak_bytes, peak.last_bytes);
  };
  auto txn = rf::LmdbTxn::Begin(env, /*read_only=*/true);
  REQUIRE(txn.ok());
  auto dbi = txn->OpenDb("values", /*create=*/false);
  REQUIRE(dbi.ok());
  for (uint64_t k = 0; k < kMappedTestValues; ++k) {
    rf::U64Key key(k);
    auto got = txn->Get(*dbi, key.val());
    REQUIRE(got.ok());
    REQUIRE(got->has_value());
    REQUIRE(**got == MappedTestValue(k));
    sample(k + 1, (*got)->data());
  }
  auto cursor = rf::LmdbCursor::Open(*txn, *dbi);
  REQUIRE(cursor.ok());
  uint64_t k = 0;
  for (auto more = cursor->Seek(std::nullopt); more.ok() && *more; more = cursor->Next(), ++k) {
    REQUIRE(cursor->key() == k);
    REQUIRE(cursor->value() == MappedTestValue(k));
    sample(k + 1, cursor->value().data());
  }
  REQUIRE(k == kMappedTestValues);
  return peak;
}

}  // namespace

TEST_CASE("mapped pages: reads over a file 64 times the bound keep its mapped pages near the bound, values intact") {
  rf::test::TempDir dir;
  auto env = rf::LmdbEnv::Open(dir.path(), /*read_only=*/false, /*sync=*/false);
  REQUIRE(env.ok());
  MappedTestFill(**env);
  (*env)->set_mapped_resident_max_bytes(size_t{1} << 20);
  const MappedTestPeak peak = MappedTestReadAll(**env);
  CHECK((*env)->mapped_releases() > 0);
  // The bound is checked every kMappedCheckReads reads, each mapping its
  // value's page and a few neighbours the kernel maps with it.
  INFO("peak mapped bytes " << peak.peak_bytes);
  CHECK(peak.peak_bytes < (size_t{1} << 20) + rf::kMappedCheckReads * 20 * 4096);
  CHECK(peak.peak_bytes < (size_t{24} << 20));
  CHECK(peak.peak_bytes > 0);  // the map was found
}

TEST_CASE("mapped pages: without the bound every page read stays mapped") {
  rf::test::TempDir dir;
  auto env = rf::LmdbEnv::Open(dir.path(), /*read_only=*/false, /*sync=*/false);
  REQUIRE(env.ok());
  MappedTestFill(**env);
  (*env)->set_mapped_resident_max_bytes(size_t{1} << 40);
  const MappedTestPeak peak = MappedTestReadAll(**env);
  CHECK((*env)->mapped_releases() == 0);
  INFO("last mapped bytes " << peak.last_bytes);
  CHECK(peak.last_bytes > (size_t{48} << 20));  // the 64 MiB of values, all touched
}

namespace {

// statm's third field (resident file-backed pages) read from `fd` at offset 0.
uint64_t MappedTestStatmShared(int fd) {
  char text[128];
  const ssize_t n = ::pread(fd, text, sizeof(text) - 1, 0);
  REQUIRE(n > 0);
  text[n] = '\0';
  unsigned long long size = 0, resident = 0, shared = 0;
  REQUIRE(std::sscanf(text, "%llu %llu %llu", &size, &resident, &shared) == 3);
  return shared;
}

}  // namespace

TEST_CASE("mapped pages: the statm descriptor kept with the environment reads fresh figures at each look") {
  rf::test::TempDir dir;
  auto env = rf::LmdbEnv::Open(dir.path(), /*read_only=*/false, /*sync=*/false);
  REQUIRE(env.ok());
  const int fd = (*env)->statm_fd_for_test();
  REQUIRE(fd >= 0);
  // A 16 MiB file mapped shared and read through: its pages become resident
  // file pages, which the kept descriptor must show (a descriptor that
  // returned its first figures again would not, and the bound would never
  // release anything).
  const std::string path = dir.path() + "/pages.bin";
  rf::test::WriteFile(path, std::string(size_t{16} << 20, 'x'));
  const int file = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(file >= 0);
  const size_t bytes = size_t{16} << 20;
  void* map = ::mmap(nullptr, bytes, PROT_READ, MAP_SHARED, file, 0);
  REQUIRE(map != MAP_FAILED);
  const uint64_t before = MappedTestStatmShared(fd);
  const long page_bytes = ::sysconf(_SC_PAGESIZE);
  unsigned sum = 0;
  for (size_t at = 0; at < bytes; at += static_cast<size_t>(page_bytes))
    sum += static_cast<const unsigned char*>(map)[at];
  CHECK(sum == static_cast<unsigned>('x') * (bytes / static_cast<size_t>(page_bytes)));
  const uint64_t after = MappedTestStatmShared(fd);
  INFO("shared pages before " << before << ", after " << after);
  CHECK(after >= before + (bytes / static_cast<size_t>(page_bytes)) / 2);
  ::munmap(map, bytes);
  ::close(file);
  CHECK(MappedTestStatmShared(fd) < after);  // and fresh again once unmapped
}
