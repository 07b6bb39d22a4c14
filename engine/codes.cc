#include "engine/codes.h"

// Inlined: interning hashes a few short codes per event, and a call into the shared library
// costs as much as the hash.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <cstring>

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

std::string_view IdSet::TextAt(uint32_t offset_plus_1) const {
  uint32_t length;
  std::memcpy(&length, text_.data() + offset_plus_1 - 1, 4);
  return std::string_view(text_.data() + offset_plus_1 - 1 + 4, length);
}

void IdSet::Rehash(size_t slots) {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(slots, Slot{});
  for (const Slot& from : old) {
    if (from.offset == 0) continue;
    std::string_view text = TextAt(from.offset);
    uint64_t hash = XXH3_64bits(text.data(), text.size());
    size_t i = hash & (slots - 1);
    while (slots_[i].offset != 0) i = (i + 1) & (slots - 1);
    slots_[i] = from;
  }
}

uint32_t IdSet::Emplace(std::string_view id, bool* added) {
  if ((size_ + 1) * 2 > slots_.size()) Rehash(std::max<size_t>(64, slots_.size() * 2));
  uint64_t hash = XXH3_64bits(id.data(), id.size());
  uint32_t tag = static_cast<uint32_t>(hash >> 32);
  size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (slot.offset == 0) {
      uint32_t length = static_cast<uint32_t>(id.size());
      slot = Slot{tag, static_cast<uint32_t>(text_.size() + 1), static_cast<uint32_t>(size_)};
      text_.append(reinterpret_cast<const char*>(&length), 4);
      text_.append(id);
      ++size_;
      *added = true;
      return slot.number;
    }
    if (slot.tag == tag && SameText(TextAt(slot.offset), id)) {
      *added = false;
      return slot.number;
    }
  }
}

std::optional<uint32_t> IdSet::Find(std::string_view id) const {
  if (size_ == 0) return std::nullopt;
  uint64_t hash = XXH3_64bits(id.data(), id.size());
  uint32_t tag = static_cast<uint32_t>(hash >> 32);
  size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask; slots_[i].offset != 0; i = (i + 1) & mask) {
    if (slots_[i].tag == tag && SameText(TextAt(slots_[i].offset), id)) return slots_[i].number;
  }
  return std::nullopt;
}

}  // namespace jifen::engine
