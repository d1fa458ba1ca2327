#ifndef RINGFENCE_CRYPTO_STATUS_H_
#define RINGFENCE_CRYPTO_STATUS_H_

// Errors are values (STYLE.md). A Status carries a code that decides the exit
// code, and a sentence a finance manager understands, naming file, line and
// field where there is one. Nothing in this header does I/O; every layer,
// crypto/ included, may use it.

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace rf {

class Status {
 public:
  enum class Code {
    kOk,
    kInvalidInput,  // a file, a field or an argument is wrong (exit 2)
    kRefused,       // a rule refused the change (exit 2)
    kNotFound,      // a named thing does not exist (exit 2)
    kIo,            // the disk or the OS failed us (exit 2)
    kTampered,      // verification found the journal or pack altered (exit 1)
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidInput(std::string message) { return Status(Code::kInvalidInput, std::move(message)); }
  static Status Refused(std::string message) { return Status(Code::kRefused, std::move(message)); }
  // A refusal with a stable code ("CLOSED_MONTH") a program can test for;
  // the sentence is for people and may change, the code does not.
  // REQUIRES: refusal_code is non-empty and has static storage duration (one
  // of the refusal::k* constants in ledger/core/rules.h); it is not copied.
  static Status RefusedWithCode(std::string_view refusal_code, std::string message) {
    assert(!refusal_code.empty());
    Status status(Code::kRefused, std::move(message));
    status.refusal_code_ = refusal_code;
    return status;
  }
  static Status NotFound(std::string message) { return Status(Code::kNotFound, std::move(message)); }
  static Status Io(std::string message) { return Status(Code::kIo, std::move(message)); }
  static Status Tampered(std::string message) { return Status(Code::kTampered, std::move(message)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // The stable code of a refusal made by RefusedWithCode; empty otherwise
  // (every other status, and refusals not yet given a code).
  std::string_view refusal_code() const { return refusal_code_; }

  // The process exit code the CLI contract gives this status.
  int exit_code() const {
    if (ok()) return 0;
    return code_ == Code::kTampered ? 1 : 2;
  }

  // Prefixes context ("journal.jsonl line 4: ") to the message.
  Status WithContext(const std::string& context) const {
    if (ok()) return *this;
    Status status(code_, context + message_);
    status.refusal_code_ = refusal_code_;
    return status;
  }

 private:
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {
    assert(code_ != Code::kOk);
  }
  Code code_ = Code::kOk;
  std::string message_;
  std::string_view refusal_code_;  // static storage; set only when code_ == kRefused
};

// Either a value or a non-ok Status.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(v_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  // REQUIRES: ok()
  T& value() & {
    assert(ok());
    return std::get<T>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<T>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace rf

#define RF_RETURN_IF_ERROR(expr)              \
  do {                                        \
    ::rf::Status rf_status_ = (expr);         \
    if (!rf_status_.ok()) return rf_status_;  \
  } while (0)

// `auto lhs = *expr` when expr (a Result) is ok; otherwise returns its status.
#define RF_ASSIGN(lhs, expr)                            \
  auto lhs##_result = (expr);                           \
  if (!lhs##_result.ok()) return lhs##_result.status(); \
  auto lhs = std::move(*lhs##_result)

#endif  // RINGFENCE_CRYPTO_STATUS_H_
