// Status and Result<T>: how operating errors travel (leveldb's Status, by value).
// Programmer errors are asserts; bad input, corrupt files and full disks are Status values.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace jifen {

class [[nodiscard]] Status {
 public:
  // Each code maps to one exit code of the CLI (SPEC.md §5).
  enum class Code { kOk, kInvalidInput, kUsage, kCorruption, kIOError };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidInput(std::string message) {
    return {Code::kInvalidInput, std::move(message)};
  }
  static Status Usage(std::string message) { return {Code::kUsage, std::move(message)}; }
  static Status Corruption(std::string message) { return {Code::kCorruption, std::move(message)}; }
  static Status IOError(std::string message) { return {Code::kIOError, std::move(message)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}  // NOLINT: implicit on purpose.
  Result(Status status) : data_(std::move(status)) { assert(!std::get<Status>(data_).ok()); }

  bool ok() const { return std::holds_alternative<T>(data_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(data_);
  }
  T& value() & {
    assert(ok());
    return std::get<T>(data_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<T>(data_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(data_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace jifen
