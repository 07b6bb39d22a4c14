// Codes (households, people, items, rewards, scorers) interned once per village: an event holds
// a handle instead of its own copy of each code, and replay and compare resolve a code by its
// number in a vector instead of hashing its text for every event.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace jifen::engine {

class CodeTable;

// a == b, inline for the short texts codes are (up to 16 bytes: two overlapping loads a side)
// rather than a call to memcmp, which is most of the cost of comparing two codes.
inline bool SameText(std::string_view a, std::string_view b) {
  size_t n = a.size();
  if (n != b.size()) return false;
  const char* x = a.data();
  const char* y = b.data();
  auto load8 = [](const char* p) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
  };
  auto load4 = [](const char* p) {
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
  };
  if (n >= 8 && n <= 16) return load8(x) == load8(y) && load8(x + n - 8) == load8(y + n - 8);
  if (n >= 4 && n < 8) return load4(x) == load4(y) && load4(x + n - 4) == load4(y + n - 4);
  if (n < 4) {
    for (size_t i = 0; i < n; ++i) {
      if (x[i] != y[i]) return false;
    }
    return true;
  }
  return std::memcmp(x, y, n) == 0;
}

// A handle to a code in a CodeTable, or the empty code (a field the record doesn't have). Reads
// as the code's text; valid as long as its table (VillageModel::codes is shared by the model's
// copies, so its events' handles stay valid with any copy of the model).
class Code {
 public:
  Code() = default;

  const std::string& str() const { return entry_ ? entry_->text : Empty(); }
  operator const std::string&() const { return str(); }
  operator std::string_view() const { return str(); }
  bool empty() const { return str().empty(); }
  size_t size() const { return str().size(); }

  // The table this code belongs to (nullptr for the empty code) and its number there.
  const CodeTable* table() const { return entry_ ? entry_->table : nullptr; }
  uint32_t number() const { return entry_ ? entry_->number : 0; }

  friend bool operator==(const Code& a, const Code& b) {
    return a.entry_ == b.entry_ || a.str() == b.str();
  }
  friend bool operator==(const Code& a, std::string_view b) { return a.str() == b; }
  friend std::ostream& operator<<(std::ostream& out, const Code& code) { return out << code.str(); }

 private:
  friend class CodeTable;
  struct Entry {
    std::string text;
    uint32_t number;
    const CodeTable* table;
  };
  explicit Code(const Entry* entry) : entry_(entry) {}
  static const std::string& Empty() {
    static const std::string empty;
    return empty;
  }

  const Entry* entry_ = nullptr;
};

// Codes numbered 0, 1, 2, … in the order first seen (open addressing over XXH3: a village's
// events are read by the hundred thousand, and std::unordered_map spends most of that time).
// Entries never move, so handles and references stay valid as the table grows.
class CodeTable {
 public:
  CodeTable() = default;
  CodeTable(const CodeTable&) = delete;
  CodeTable& operator=(const CodeTable&) = delete;

  uint32_t Intern(std::string_view code) { return static_cast<uint32_t>(InternEntry(code)); }
  // The empty text gives the empty code (it is not numbered).
  Code Handle(std::string_view code) {
    return code.empty() ? Code() : Code(by_number_[InternEntry(code)]);
  }
  Code Handle(uint32_t number) const { return Code(by_number_[number]); }
  std::optional<uint32_t> Find(std::string_view code) const;
  const std::string& operator[](uint32_t number) const { return by_number_[number]->text; }
  size_t size() const { return by_number_.size(); }

 private:
  struct Slot {
    uint32_t number_plus_1 = 0;  // 0: empty
    uint32_t tag = 0;            // the hash's upper half: most mismatches never read the text
  };
  static uint64_t HashOf(std::string_view code);
  size_t InternEntry(std::string_view code);
  void Rehash(size_t slots);

  std::deque<Code::Entry> entries_;  // never moves an entry
  std::vector<const Code::Entry*> by_number_;
  std::vector<Slot> slots_;  // a power of two long
};

// A set of ids (the targets of revoke and approve records) that answers "is this id in it"
// without building a std::string: replay asks it of every event, and a std::string key costs an
// allocation for a long id and a second hash. Open addressing over XXH3; the set holds its own
// copy of each id's text (so a copy of the set is valid on its own), and a probe reads the text
// only when the hash's upper half matches.
class IdSet {
 public:
  // Adds `id`; false when it was already there.
  bool Insert(std::string_view id) {
    bool added = false;
    Emplace(id, &added);
    return added;
  }
  // The number of `id` (ids are numbered 0, 1, ... in the order they were first added), adding
  // it if it is not there; `*added` says which.
  uint32_t Emplace(std::string_view id, bool* added);
  // The number of `id`, or nullopt.
  std::optional<uint32_t> Find(std::string_view id) const;
  bool Contains(std::string_view id) const { return Find(id).has_value(); }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  struct Slot {
    uint32_t tag = 0;     // the hash's upper half
    uint32_t offset = 0;  // where the id's text starts in text_, plus 1 (0: empty)
    uint32_t number = 0;  // the order it was added in
  };
  std::string_view TextAt(uint32_t offset_plus_1) const;
  void Rehash(size_t slots);

  std::vector<Slot> slots_;  // a power of two long, at most half full
  std::string text_;         // each id as a 4-byte length and its bytes
  size_t size_ = 0;
};

// Values by id (the approvals of a village by award id): an IdSet numbers the ids and the values
// lie in a vector in that order, so that a village's 131k approvals are one array and one table
// of slots instead of a node each, and a lookup builds no std::string. Copies share the ids and
// values until one of them is changed (copy on write): `jifen serve` copies a kept village's
// structure for every page (web/server.h App::Structure), and the approvals are most of it.
template <typename T>
class IdMap {
 public:
  // Sets the value of `id`, replacing one it had.
  void Set(std::string_view id, T value) {
    Data& data = Mutable();
    bool added = false;
    uint32_t number = data.ids.Emplace(id, &added);
    if (added) {
      data.values.push_back(std::move(value));
    } else {
      data.values[number] = std::move(value);
    }
  }
  // The value of `id`, or nullptr. Valid until the next Set.
  const T* Find(std::string_view id) const {
    if (id.empty() || !data_ || data_->ids.empty()) return nullptr;
    std::optional<uint32_t> number = data_->ids.Find(id);
    return number ? &data_->values[*number] : nullptr;
  }
  bool Contains(std::string_view id) const { return Find(id) != nullptr; }
  size_t size() const { return data_ ? data_->values.size() : 0; }
  bool empty() const { return size() == 0; }

 private:
  struct Data {
    IdSet ids;
    std::vector<T> values;  // by the id's number
  };
  // This map's own data: shared data is copied first. A copy that another thread is reading
  // is never changed: only the copy being changed is, and it then holds data of its own. When
  // this map is the last holder, the fence orders this thread's writes after the reads the other
  // holders made before they let go (their release of the count; use_count reads it relaxed).
  Data& Mutable() {
    if (!data_) {
      data_ = std::make_shared<Data>();
    } else if (data_.use_count() > 1) {
      data_ = std::make_shared<Data>(*data_);
    } else {
      std::atomic_thread_fence(std::memory_order_acquire);
    }
    return *data_;
  }
  std::shared_ptr<Data> data_;
};

// What a lookup by text gave for each code of one table, kept by the code's number, so that each
// code is looked up once however many events carry it. Codes of another table (events built
// elsewhere, such as admission's household lists) and the empty code are looked up each time.
template <typename T>
class ByCode {
 public:
  explicit ByCode(const CodeTable* table) : table_(table) {}

  // `lookup(std::string_view)` gives the T of a code's text.
  template <typename Lookup>
  T Get(const Code& code, Lookup&& lookup) {
    if (table_ == nullptr || code.table() != table_) return lookup(code.str());
    if (code.number() >= values_.size()) values_.resize(table_->size());
    std::optional<T>& value = values_[code.number()];
    if (!value) value = lookup(code.str());
    return *value;
  }
  // Forgets every value (what the lookup gives has changed).
  void Clear() { values_.clear(); }

 private:
  const CodeTable* table_;
  std::vector<std::optional<T>> values_;
};

}  // namespace jifen::engine
