#include "engine/codes.h"

// Inlined: interning hashes a few short codes per event, and a call into the shared library
// costs as much as the hash.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>

namespace jifen::engine {
uint64_t CodeTable::HashOf(std::string_view code) { return XXH3_64bits(code.data(), code.size()); }

void CodeTable::Rehash(size_t slots) {
  slots_.assign(slots, Slot{});
  for (uint32_t number = 0; number < by_number_.size(); ++number) {
    uint64_t hash = HashOf(by_number_[number]->text);
    size_t i = hash & (slots - 1);
    while (slots_[i].number_plus_1 != 0) i = (i + 1) & (slots - 1);
    slots_[i] = Slot{number + 1, static_cast<uint32_t>(hash >> 32)};
  }
}

size_t CodeTable::InternEntry(std::string_view code) {
  if ((by_number_.size() + 1) * 2 > slots_.size()) Rehash(std::max<size_t>(64, slots_.size() * 2));
  uint64_t hash = HashOf(code);
  uint32_t tag = static_cast<uint32_t>(hash >> 32);
  size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (slot.number_plus_1 == 0) {
      uint32_t number = static_cast<uint32_t>(by_number_.size());
      by_number_.push_back(&entries_.emplace_back(Code::Entry{std::string(code), number, this}));
      slot = Slot{number + 1, tag};
      return number;
    }
    if (slot.tag == tag && SameText(by_number_[slot.number_plus_1 - 1]->text, code))
      return slot.number_plus_1 - 1;
  }
}

std::optional<uint32_t> CodeTable::Find(std::string_view code) const {
  if (slots_.empty()) return std::nullopt;
  uint64_t hash = HashOf(code);
  uint32_t tag = static_cast<uint32_t>(hash >> 32);
  size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask; slots_[i].number_plus_1 != 0; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.tag == tag && SameText(by_number_[slot.number_plus_1 - 1]->text, code))
      return slot.number_plus_1 - 1;
  }
  return std::nullopt;
}

}  // namespace jifen::engine
