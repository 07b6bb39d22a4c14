#include "engine/household_events.h"

#include <algorithm>
#include <cassert>

namespace jifen::engine {

uint32_t HouseholdEvents::Intern(std::string_view code) {
  if (auto it = ids_.find(code); it != ids_.end()) return it->second;
  uint32_t id = static_cast<uint32_t>(codes_.size());
  codes_.emplace_back(code);
  ids_.emplace(codes_.back(), id);
  return id;
}

std::optional<uint32_t> HouseholdEvents::Find(std::string_view code) const {
  auto it = ids_.find(code);
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

void HouseholdEvents::Insert(std::vector<Stored>& list, const Stored& event) {
  // Loading appends in order; a batch's appends carry the largest sequence so far but any date.
  if (list.empty() || list.back() < event) {
    list.push_back(event);
  } else {
    list.insert(std::upper_bound(list.begin(), list.end(), event), event);
  }
}

void HouseholdEvents::Add(uint64_t sequence, Date date, ledger::RecordType type, int64_t qty,
                          std::string_view subject, std::string_view item, std::string_view household,
                          std::string_view reward, bool revoked) {
  if (date < from_) return;
  assert(qty >= 0);
  assert(qty < kRevokedBit);
  bool award = type == ledger::RecordType::kAward;
  Stored event{sequence, date.days(), static_cast<uint32_t>(qty) | (revoked ? kRevokedBit : 0u),
               Intern(award ? subject : household), Intern(award ? item : reward)};
  auto list = [&](std::vector<std::vector<Stored>>& lists, uint32_t id) -> std::vector<Stored>& {
    if (lists.size() <= id) lists.resize(codes_.size());
    return lists[id];
  };
  if (award) {
    Insert(list(awards_by_subject_, event.code), event);
  } else {
    Insert(list(redemptions_by_household_, event.code), event);
    Insert(list(redemptions_by_reward_, event.what), event);
  }
  ++events_;
}

bool HouseholdEvents::MarkRevoked(std::vector<Stored>& list, uint64_t sequence) {
  for (Stored& e : list) {
    if (e.sequence == sequence) {
      e.qty_revoked |= kRevokedBit;
      return true;
    }
  }
  return false;
}

void HouseholdEvents::Revoke(const ledger::Record& record) {
  if (record.date < from_) return;
  auto mark = [&](std::vector<std::vector<Stored>>& lists, std::string_view code) {
    auto id = Find(code);
    if (id && *id < lists.size()) MarkRevoked(lists[*id], record.sequence);
  };
  if (record.type == ledger::RecordType::kAward) {
    mark(awards_by_subject_, record.subject);
  } else {
    mark(redemptions_by_household_, record.household);
    mark(redemptions_by_reward_, record.reward);
  }
}

void HouseholdEvents::Collect(const std::vector<std::string_view>& subjects, std::string_view household,
                              std::vector<Event>* out) {
  merged_.clear();
  // Each list is in (date, sequence) order; merge them one at a time (a household has few).
  auto merge_in = [&](const std::vector<Stored>& list, bool redemption) {
    if (list.empty()) return;
    merging_.clear();
    auto a = merged_.begin();
    auto b = list.begin();
    while (a != merged_.end() || b != list.end()) {
      if (b == list.end() || (a != merged_.end() && *a->event < *b)) {
        merging_.push_back(*a++);
      } else {
        merging_.push_back({&*b++, redemption});
      }
    }
    merged_.swap(merging_);
  };
  for (std::string_view subject : subjects) {
    if (auto id = Find(subject); id && *id < awards_by_subject_.size()) merge_in(awards_by_subject_[*id], false);
  }
  if (auto id = Find(household); id && *id < redemptions_by_household_.size()) {
    merge_in(redemptions_by_household_[*id], true);
  }
  size_t n = 0;
  for (const Tagged& t : merged_) n += !t.event->revoked();
  if (out->size() < n) out->resize(n);
  out->resize(n);  // keeps the strings of the events reused
  size_t i = 0;
  for (const Tagged& t : merged_) {
    const Stored& s = *t.event;
    if (s.revoked()) continue;
    Event& e = (*out)[i++];
    e.sequence = s.sequence;
    e.date = Date::FromDays(s.day);
    e.type = t.redemption ? ledger::RecordType::kRedeem : ledger::RecordType::kAward;
    e.qty = s.qty();
    e.id.clear();
    e.scorer.clear();
    if (t.redemption) {
      e.household = codes_[s.code];
      e.reward = codes_[s.what];
      e.subject.clear();
      e.item.clear();
    } else {
      e.subject = codes_[s.code];
      e.item = codes_[s.what];
      e.household.clear();
      e.reward.clear();
    }
  }
}

int64_t HouseholdEvents::Redeemed(std::string_view reward, const std::optional<Period>& period) const {
  auto id = Find(reward);
  if (!id || *id >= redemptions_by_reward_.size()) return 0;
  int64_t taken = 0;
  for (const Stored& e : redemptions_by_reward_[*id]) {
    if (e.revoked()) continue;
    if (!period || Period::Containing(Date::FromDays(e.day), period->kind) == *period) taken += e.qty();
  }
  return taken;
}

size_t HouseholdEvents::MemoryBytes() const {
  size_t bytes = sizeof(*this) + events_ * sizeof(Stored) * 5 / 4;
  bytes += codes_.size() * (sizeof(std::string) + 64 + 3 * sizeof(std::vector<Stored>));
  return bytes;
}

}  // namespace jifen::engine
