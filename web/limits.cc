#include "web/limits.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstring>

namespace jifen::web {

LimitKey KeyOf(std::string_view kind, std::string_view a, std::string_view b) {
  std::string framed;
  for (std::string_view part : {kind, a, b}) {
    uint64_t size = part.size();
    framed.append(reinterpret_cast<const char*>(&size), sizeof size);
    framed.append(part);
  }
  LimitKey key;
  EVP_Digest(framed.data(), framed.size(), key.data(), nullptr, EVP_sha256(), nullptr);
  return key;
}

size_t LimitKeyHash::operator()(const LimitKey& key) const {
  size_t out;
  std::memcpy(&out, key.data(), sizeof out);  // already a digest
  return out;
}

int64_t SignInLimiter::Take(std::string_view account, std::string_view address, int64_t now) {
  std::lock_guard lock(mutex_);
  Address& from = addresses_.Touch(KeyOf("address", address));
  if (now - from.window_start >= policy_.address_window_seconds) from = Address{0, now};
  if (from.failures >= policy_.address_failures_max) {
    return from.window_start + policy_.address_window_seconds - now;
  }
  Pair& pair = pairs_.Touch(KeyOf("pair", account, address));
  if (pair.failures >= policy_.free_failures) {
    int doublings = std::min(pair.failures - policy_.free_failures, 20);
    int64_t delay = std::min(policy_.delay_seconds_min << doublings, policy_.delay_seconds_max);
    if (now - pair.last < delay) return delay - (now - pair.last);
  }
  ++pair.failures;
  pair.last = now;
  ++from.failures;
  return 0;
}

void SignInLimiter::Succeeded(std::string_view account, std::string_view address) {
  std::lock_guard lock(mutex_);
  pairs_.Erase(KeyOf("pair", account, address));
  if (Address* from = addresses_.Find(KeyOf("address", address)); from && from->failures > 0) {
    --from->failures;
  }
}

size_t SignInLimiter::entries() const {
  std::lock_guard lock(mutex_);
  return pairs_.size() + addresses_.size();
}

bool SlotLimiter::Take(std::string_view key, int max, int64_t window_seconds, int64_t now) {
  std::lock_guard lock(mutex_);
  Slots& slots = table_.Touch(KeyOf("slots", key));
  int kept = 0;
  for (int i = 0; i < slots.count; ++i) {
    if (slots.times[i] > now - window_seconds) slots.times[kept++] = slots.times[i];
  }
  slots.count = kept;
  if (slots.count >= std::min<int>(max, slots.times.size())) return false;
  slots.times[slots.count++] = now;
  return true;
}

void SlotLimiter::Return(std::string_view key, int64_t taken_at) {
  std::lock_guard lock(mutex_);
  Slots* slots = table_.Find(KeyOf("slots", key));
  if (!slots) return;
  for (int i = 0; i < slots->count; ++i) {
    if (slots->times[i] == taken_at) {
      slots->times[i] = slots->times[--slots->count];
      return;
    }
  }
}

}  // namespace jifen::web
