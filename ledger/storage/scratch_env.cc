#include "ledger/storage/scratch_env.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <vector>

namespace rf {

Result<std::unique_ptr<ScratchEnv>> ScratchEnv::Create(const std::string& purpose) {
  std::error_code ec;
  const std::filesystem::path tmp = std::filesystem::temp_directory_path(ec);
  if (ec) {
    const char* set = std::getenv("TMPDIR");
    return Status::Io("the replay needs a scratch folder, and " +
                      (set != nullptr ? "TMPDIR=" + std::string(set) : std::string("the temporary directory")) +
                      " is not one (" + ec.message() + "); set TMPDIR to a writable folder. Nothing was written");
  }
  std::string pattern = (tmp / ("ringfence-" + purpose + "-XXXXXX")).string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  if (::mkdtemp(name.data()) == nullptr) {
    return Status::Io("the replay needs a scratch folder and cannot make one in " + tmp.string() + " (" +
                      std::strerror(errno) + "); set TMPDIR to a writable folder. Nothing was written");
  }
  std::string dir(name.data());
  // Removed on every path out.
  struct Remove {
    std::string* dir;
    ~Remove() {
      if (dir != nullptr) {
        std::error_code ignored;
        std::filesystem::remove_all(*dir, ignored);
      }
    }
  } remove{&dir};
  auto env = LmdbEnv::Open(dir, /*read_only=*/false, /*sync=*/false);
  if (!env.ok()) return env.status().WithContext("the replay's scratch database: ");
  Journal::Dbs dbs;
  {
    auto txn = LmdbTxn::Begin(**env, /*read_only=*/false);
    if (!txn.ok()) return txn.status();
    auto views = txn->OpenDb("views", /*create=*/true);
    if (!views.ok()) return views.status();
    RF_RETURN_IF_ERROR(txn->Commit());
    dbs.views = dbs.invoice_views = *views;
  }
  // The folder goes now: the open environment keeps its files (Linux keeps
  // an unlinked file while it is open or mapped), and a process killed
  // mid-replay (verify's checking process on a damaged ledger) leaves
  // nothing behind; the space returns when the environment closes.
  std::unique_ptr<ScratchEnv> out(new ScratchEnv(std::move(*env), dbs));
  return out;
}

ScratchEnv::~ScratchEnv() = default;

}  // namespace rf
