// Tables that client input keys, each of a fixed size: the sign-in limits, the objection slots.
// A key is a 32-byte digest of what the client sent (an account name of any length, an address),
// so neither the number of entries nor their size grows with what a stranger sends; when a table
// is full, the entry used longest ago is forgotten. docs/WEB.md "Sign-in" states the policy.
#pragma once

#include <array>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace jifen::web {

using LimitKey = std::array<uint8_t, 32>;

// SHA-256 of the parts, each preceded by its length: a fixed-size key for any input.
LimitKey KeyOf(std::string_view kind, std::string_view a, std::string_view b = {});

struct LimitKeyHash {
  size_t operator()(const LimitKey& key) const;
};

// A map of at most `capacity` entries, evicting the least recently used.
template <typename Value>
class LruTable {
 public:
  explicit LruTable(size_t capacity) : capacity_(capacity) {}

  // The entry of `key`, made (from Value{}) when absent; it becomes the most recently used.
  Value& Touch(const LimitKey& key) {
    auto it = index_.find(key);
    if (it != index_.end()) {
      order_.splice(order_.begin(), order_, it->second);
      return it->second->second;
    }
    if (index_.size() >= capacity_) {
      index_.erase(order_.back().first);
      order_.pop_back();
    }
    order_.emplace_front(key, Value{});
    index_.emplace(key, order_.begin());
    return order_.front().second;
  }
  Value* Find(const LimitKey& key) {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &it->second->second;
  }
  void Erase(const LimitKey& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return;
    order_.erase(it->second);
    index_.erase(it);
  }
  size_t size() const { return index_.size(); }

 private:
  size_t capacity_;
  std::list<std::pair<LimitKey, Value>> order_;
  std::unordered_map<LimitKey, typename std::list<std::pair<LimitKey, Value>>::iterator,
                     LimitKeyHash>
      index_;
};

// The sign-in policy (docs/WEB.md "Sign-in"):
//  - per (account, address): the first `free_failures` failures cost nothing; after that, each
//    further attempt must wait `delay_seconds_min` doubled for every failure past them, up to
//    `delay_seconds_max`. A success clears the pair. Another address is not slowed at all, so
//    nobody can lock the clerk out from elsewhere;
//  - per address, across accounts: at most `address_failures_max` failures in `address_window`
//    (a password spray from one address);
//  - an attempt takes its failure before the password is checked, and gives it back when the
//    password was right: simultaneous attempts cannot all pass the check.
struct SignInPolicy {
  int free_failures = 5;
  int64_t delay_seconds_min = 60;
  int64_t delay_seconds_max = 3600;
  int address_failures_max = 30;
  int64_t address_window_seconds = 600;
  size_t table_entries_max = 65536;
};

class SignInLimiter {
 public:
  explicit SignInLimiter(SignInPolicy policy)
      : policy_(policy), pairs_(policy.table_entries_max), addresses_(policy.table_entries_max) {}

  // Takes an attempt for `account` from `address` at `now`: returns 0 and counts it as a failure,
  // or the seconds the client must wait (nothing counted).
  int64_t Take(std::string_view account, std::string_view address, int64_t now);
  // The attempt succeeded: its failure is given back, and the pair starts afresh.
  void Succeeded(std::string_view account, std::string_view address);
  size_t entries() const;

 private:
  struct Pair {
    int failures = 0;
    int64_t last = 0;
  };
  struct Address {
    int failures = 0;
    int64_t window_start = 0;
  };
  SignInPolicy policy_;
  mutable std::mutex mutex_;
  LruTable<Pair> pairs_;
  LruTable<Address> addresses_;
};

// A fixed number of slots per key within a sliding window (the villagers' objections from one
// address), in a table of fixed size.
class SlotLimiter {
 public:
  explicit SlotLimiter(size_t entries_max) : table_(entries_max) {}
  // Takes one of `max` slots of the last `window_seconds`; false when all are taken.
  bool Take(std::string_view key, int max, int64_t window_seconds, int64_t now);
  // Gives back the slot taken at `taken_at` (its action was refused).
  void Return(std::string_view key, int64_t taken_at);

 private:
  struct Slots {
    std::array<int64_t, 32> times{};  // at most 32 slots a key
    int count = 0;
  };
  std::mutex mutex_;
  LruTable<Slots> table_;
};

}  // namespace jifen::web
