#include "engine/household_events.h"

#include <algorithm>
#include <cassert>

namespace jifen::engine {

void HouseholdEvents::Add(const Filed& e) {
  assert(e.type == ledger::RecordType::kAward || e.type == ledger::RecordType::kRedeem);
  if (e.date < from_) return;
  int64_t qty = e.qty.hundredths();
  assert(qty >= 0);
  assert(qty < kPendingBit);
  bool award = e.type == ledger::RecordType::kAward;
  uint32_t code = codes_.Intern(award ? e.subject : e.household);
  uint32_t what = codes_.Intern(award ? e.item : e.reward);
  uint32_t flags = (e.revoked ? kRevokedBit : 0u) | (e.pending ? kPendingBit : 0u);
  Stored event{e.sequence, e.date.days(), static_cast<uint32_t>(qty) | flags, code, what};
  pending_.push_back({event, !award});
  ++events_;
}

void HouseholdEvents::Insert(std::vector<Stored>& list, const Stored& event) {
  // Lists are sized exactly when loaded, and most get a few appends: grow by a quarter, not double.
  if (list.size() == list.capacity()) list.reserve(list.size() + list.size() / 4 + 4);
  // The ledger's events come in order; a batch's appends carry the largest sequence so far but any
  // date.
  if (list.empty() || list.back() < event) {
    list.push_back(event);
  } else {
    list.insert(std::upper_bound(list.begin(), list.end(), event), event);
  }
}

void HouseholdEvents::File() {
  if (pending_.empty()) return;
  for (Lists* lists : {&awards_by_subject_, &redemptions_by_household_, &redemptions_by_reward_}) {
    if (lists->size() < codes_.size()) lists->resize(codes_.size());
  }
  // A load files many events at once: count first so that each list grows once.
  if (pending_.size() > 256) {
    std::vector<uint32_t> awards(codes_.size()), by_household(codes_.size()),
        by_reward(codes_.size());
    for (const Pending& p : pending_) {
      if (p.redemption) {
        ++by_household[p.event.code];
        ++by_reward[p.event.what];
      } else {
        ++awards[p.event.code];
      }
    }
    auto reserve = [](Lists& lists, const std::vector<uint32_t>& counts) {
      for (size_t code = 0; code < counts.size(); ++code) {
        if (counts[code] != 0) lists[code].reserve(lists[code].size() + counts[code]);
      }
    };
    reserve(awards_by_subject_, awards);
    reserve(redemptions_by_household_, by_household);
    reserve(redemptions_by_reward_, by_reward);
  }
  for (const Pending& p : pending_) {
    if (p.redemption) {
      Insert(redemptions_by_household_[p.event.code], p.event);
      Insert(redemptions_by_reward_[p.event.what], p.event);
    } else {
      Insert(awards_by_subject_[p.event.code], p.event);
    }
  }
  pending_.clear();
  if (pending_.capacity() > 4096) std::vector<Pending>().swap(pending_);
}

void HouseholdEvents::Mark(Lists& lists, std::optional<uint32_t> code, uint64_t sequence,
                           uint32_t set, uint32_t clear) {
  if (!code || *code >= lists.size()) return;
  for (Stored& e : lists[*code]) {
    if (e.sequence == sequence) e.qty_flags = (e.qty_flags | set) & ~clear;
  }
}

void HouseholdEvents::Approve(const ledger::Record& award) {
  if (award.date < from_ || award.type != ledger::RecordType::kAward) return;
  File();
  Mark(awards_by_subject_, codes_.Find(award.subject), award.sequence, 0, kPendingBit);
}

void HouseholdEvents::Revoke(const ledger::Record& record) {
  if (record.date < from_) return;
  File();
  if (record.type == ledger::RecordType::kAward) {
    Mark(awards_by_subject_, codes_.Find(record.subject), record.sequence, kRevokedBit, 0);
  } else {
    Mark(redemptions_by_household_, codes_.Find(record.household), record.sequence, kRevokedBit, 0);
    Mark(redemptions_by_reward_, codes_.Find(record.reward), record.sequence, kRevokedBit, 0);
  }
}

void HouseholdEvents::Collect(const std::vector<std::string_view>& subjects,
                              std::string_view household, std::vector<Event>* out) {
  assert(out != nullptr);
  File();
  merged_.clear();
  // Each list is in (date, sequence) order; merge them one at a time (a household has few).
  auto merge_in = [&](const Lists& lists, std::string_view code, bool redemption) {
    auto id = codes_.Find(code);
    if (!id || *id >= lists.size() || lists[*id].empty()) return;
    const std::vector<Stored>& list = lists[*id];
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
  for (std::string_view subject : subjects) merge_in(awards_by_subject_, subject, false);
  merge_in(redemptions_by_household_, household, true);
  size_t n = 0;
  for (const Tagged& t : merged_) n += t.event->counts();
  out->resize(n);
  size_t i = 0;
  for (const Tagged& t : merged_) {
    const Stored& s = *t.event;
    if (!s.counts()) continue;
    Event& e = (*out)[i++];
    e.sequence = s.sequence;
    e.date = Date::FromDays(s.day);
    e.type = t.redemption ? ledger::RecordType::kRedeem : ledger::RecordType::kAward;
    e.qty = Quantity::FromHundredths(s.qty());
    e.id.clear();
    e.scorer = Code();
    if (t.redemption) {
      e.household = codes_.Handle(s.code);
      e.reward = codes_.Handle(s.what);
      e.subject = e.item = Code();
    } else {
      e.subject = codes_.Handle(s.code);
      e.item = codes_.Handle(s.what);
      e.household = e.reward = Code();
    }
  }
}

int64_t HouseholdEvents::Redeemed(std::string_view reward, const std::optional<Period>& period) {
  File();
  auto id = codes_.Find(reward);
  if (!id || *id >= redemptions_by_reward_.size()) return 0;
  int64_t taken = 0;
  for (const Stored& e : redemptions_by_reward_[*id]) {
    if (e.revoked()) continue;
    if (!period || Period::Containing(Date::FromDays(e.day), period->kind) == *period)
      taken += e.qty() / 100;
  }
  return taken;
}

size_t HouseholdEvents::MemoryBytes() const {
  size_t bytes = sizeof(*this) + events_ * sizeof(Stored) + pending_.capacity() * sizeof(Pending);
  bytes += codes_.size() *
           (sizeof(std::string) + 3 * sizeof(std::vector<Stored>) + 2 * sizeof(uint32_t) + 32);
  return bytes;
}

}  // namespace jifen::engine
