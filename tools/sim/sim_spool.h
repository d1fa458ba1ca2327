#ifndef RINGFENCE_TOOLS_SIM_SIM_SPOOL_H_
#define RINGFENCE_TOOLS_SIM_SIM_SPOOL_H_

// The simulator's bounded writing (README "simulate"): every file is written
// row by row through a SimFileWriter whose buffer never holds more than
// kSimWriteBufferBytes, and what must wait (a bank line booked days after
// its run, a payment a later run makes) waits on disk in a spool file under
// DIR/.work, not in memory. With these, `simulate --stream` holds a constant
// amount whatever the number of people; the live counters let a test check
// that (they count objects alive now and the most ever alive at once).

#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/status.h"
#include "ledger/core/date.h"

namespace rf::sim {

// A writer's buffer bound: 64 KiB, so a few dozen open writers stay under
// a few MiB while each write(2) moves a useful amount.
inline constexpr size_t kSimWriteBufferBytes = 64 * 1024;
// Spool writers open at once (one per booked date or run date still to
// come): a run's lines are booked within 3 business days, a planted line
// the month after; more than this is a programming error.
inline constexpr size_t kSimSpoolOpenMax = 64;

// Counts the live objects of a type T that holds a SimLive<T> member.
template <typename T>
struct SimLive {
  static inline int64_t live = 0, peak = 0;
  SimLive() { Up(); }
  SimLive(const SimLive&) { Up(); }
  SimLive& operator=(const SimLive&) = default;
  ~SimLive() { --live; }
  static void ResetPeak() { peak = live; }

 private:
  static void Up() {
    if (++live > peak) peak = live;
  }
};

class SimFileWriter {
 public:
  SimFileWriter() = default;
  SimFileWriter(const SimFileWriter&) = delete;
  SimFileWriter& operator=(const SimFileWriter&) = delete;
  ~SimFileWriter();

  Status Open(const std::string& path, bool append = false);
  // Buffered; the first failure sticks and Close reports it.
  void Write(std::string_view text);
  Status Close();
  bool is_open() const { return file_ != nullptr; }

  // The most bytes any writer's buffer has held (for the bounded-memory test).
  static inline size_t buffer_peak_bytes = 0;

 private:
  void Flush();
  std::FILE* file_ = nullptr;
  std::string path_, buffer_;
  Status status_ = Status::Ok();
};

// Records keyed by a date, in order of arrival per date, one spool file per
// date (DIR/.work/<prefix><date>.tsv). Take reads the dates up to a bound
// in date order and removes their files.
class DateSpool {
 public:
  DateSpool(std::string dir, std::string prefix) : dir_(std::move(dir)), prefix_(std::move(prefix)) {}
  // REQUIRES: record holds no '\n'.
  void Add(Date on, std::string_view record);
  // Every record of every date <= last, dates in order, then forgets them.
  Status Take(Date last, const std::function<Status(Date, const std::string&)>& fn);
  Status status() const { return status_; }
  static inline size_t open_peak = 0;  // most spool writers open at once

 private:
  std::string Path(Date on) const;
  std::string dir_, prefix_;
  std::map<Date, std::unique_ptr<SimFileWriter>> open_;
  Status status_ = Status::Ok();
};

// A line split at tabs (spool records).
std::vector<std::string> SplitTabs(const std::string& line);

}  // namespace rf::sim

#endif  // RINGFENCE_TOOLS_SIM_SIM_SPOOL_H_
