// libFuzzer target: `ringfence verify` over a damaged data.mdb (issue 20
// defect 3). The input is the whole file; the seeds are a small valid
// ledger's data.mdb (corpus/verify_damaged/), so mutations are damage to a
// real ledger. The check is damaged_ledger_check.h: every outcome is OK or
// Tampered (exit 0 or 1), never exit 2, an assert or a sanitizer report.
//
// What this calls, and why not `ringfence verify` itself: the program reads
// the ledger in a forked child and reports a child killed by a signal as
// damage, because LMDB keeps no checksums and can fault reading a damaged
// file. Forking here would hide everything from the fuzzer (a child's
// coverage never reaches this process) and fork libFuzzer's own state. So
// the target calls, in this process, what the child runs; and a fault that
// the child design covers (the faulting instruction inside liblmdb, or a
// read of the ledger's map: SIGSEGV, SIGBUS or SIGFPE on the main thread) is caught
// here and counted as the damage the program reports, the map and files of
// the abandoned open released. Any other fault goes on to the sanitizer and
// is a crash, as in every target. Leaks are not checked (run.sh reads
// verify_damaged.options): an abandoned open leaves LMDB's and our
// allocations behind by design.
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "tests/fuzz/damaged_ledger_check.cc"  // NOLINT(bugprone-suspicious-include)
#include "tests/fuzz/fuzz_checks.h"

namespace {

sigjmp_buf fault_jump;
volatile sig_atomic_t fault_armed = 0;
const void* volatile map_address = nullptr;
volatile size_t map_bytes = 0;
pid_t main_thread = 0;
struct sigaction previous_segv = {};
struct sigaction previous_bus = {};
struct sigaction previous_fpe = {};

bool InLmdb(const void* pc) {
  Dl_info info{};
  return ::dladdr(pc, &info) != 0 && info.dli_fname != nullptr && std::strstr(info.dli_fname, "liblmdb") != nullptr;
}

bool InMap(const void* address) {
  const auto* base = static_cast<const char*>(map_address);
  const auto* at = static_cast<const char*>(address);
  return base != nullptr && at >= base && at < base + map_bytes;
}

void OnFault(int signal_number, siginfo_t* info, void* context) {
  const void* pc = nullptr;
#if defined(__x86_64__)
  pc = reinterpret_cast<const void*>(static_cast<ucontext_t*>(context)->uc_mcontext.gregs[REG_RIP]);
#else
  (void)context;
#endif
  const bool on_main = ::syscall(SYS_gettid) == main_thread;
  if (fault_armed && on_main && (InMap(info->si_addr) || (pc != nullptr && InLmdb(pc)))) {
    fault_armed = 0;
    ::siglongjmp(fault_jump, 1);
  }
  // Not damage the program's child process covers: the sanitizer's handler
  // takes it (the instruction faults again on return).
  ::sigaction(signal_number,
              signal_number == SIGSEGV ? &previous_segv : signal_number == SIGBUS ? &previous_bus : &previous_fpe,
              nullptr);
}

// After an abandoned open: unmap the ledger's map and close the files
// LMDB held under `dir`, so thousands of damaged inputs do not exhaust the
// address space (64 GiB a map) or the descriptors.
void ReleaseAbandoned(const std::string& dir) {
  if (map_address != nullptr) ::munmap(const_cast<void*>(map_address), map_bytes);
  map_address = nullptr;
  map_bytes = 0;
  DIR* fds = ::opendir("/proc/self/fd");
  if (fds == nullptr) return;
  const int own = ::dirfd(fds);
  while (const dirent* d = ::readdir(fds)) {
    const int fd = std::atoi(d->d_name);
    if (d->d_name[0] == '.' || fd == own) continue;
    char target[4096];
    const ssize_t n = ::readlink(("/proc/self/fd/" + std::string(d->d_name)).c_str(), target, sizeof(target) - 1);
    if (n <= 0) continue;
    target[n] = '\0';
    if (std::strncmp(target, dir.c_str(), dir.size()) == 0) ::close(fd);
  }
  ::closedir(fds);
}

// The ledger's map: the mapping of DIR/data.mdb in /proc/self/maps (LMDB
// does not say where it mapped the file; mdb_env_info's address is the
// one asked for with MDB_FIXEDMAP, not the map's).
void FindMap(const std::string& dir) {
  map_address = nullptr;
  map_bytes = 0;
  std::FILE* maps = std::fopen("/proc/self/maps", "r");
  if (maps == nullptr) return;
  const std::string file = dir + "/data.mdb";
  char line[4096];
  while (std::fgets(line, sizeof(line), maps) != nullptr) {
    std::string_view text(line);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
    if (!text.ends_with(file)) continue;
    unsigned long long start = 0, end = 0;
    if (std::sscanf(line, "%llx-%llx", &start, &end) != 2 || end <= start) continue;
    map_address = reinterpret_cast<const void*>(start);
    map_bytes = static_cast<size_t>(end - start);
    break;
  }
  std::fclose(maps);
}

std::string ScratchRoot() { return "/dev/shm/rf-verify-damaged-" + std::to_string(::getpid()); }

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  main_thread = static_cast<pid_t>(::syscall(SYS_gettid));
  struct sigaction on_fault {};
  on_fault.sa_sigaction = OnFault;
  on_fault.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigemptyset(&on_fault.sa_mask);
  ::sigaction(SIGSEGV, &on_fault, &previous_segv);
  ::sigaction(SIGBUS, &on_fault, &previous_bus);
  // A damaged page size can make liblmdb divide by zero: the child dies of
  // SIGFPE and the program reports damage, so the target counts it so too.
  ::sigaction(SIGFPE, &on_fault, &previous_fpe);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static uint64_t abandoned = 0;
  // A fresh directory after each abandoned open (its lock file still
  // names a reader that never ended).
  const std::string dir = ScratchRoot() + "-" + std::to_string(abandoned);
  std::string failure;
  if (sigsetjmp(fault_jump, 1) == 0) {
    fault_armed = 1;
    failure = rf::fuzz::CheckDamagedLedger(dir, rf::fuzz::AsText(data, size), [&dir](bool open) {
      if (open) {
        FindMap(dir);
      } else {
        map_address = nullptr;
        map_bytes = 0;
      }
    });
    fault_armed = 0;
  } else {
    // The damage the program reports as "data.mdb is damaged", exit 1.
    ReleaseAbandoned(dir);
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    ++abandoned;
    return 0;
  }
  if (!failure.empty()) {
    std::fprintf(stderr, "verify_damaged: %s\n", failure.c_str());
    std::abort();
  }
  return 0;
}
