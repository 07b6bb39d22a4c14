// A village's awards and redemptions from some day on, filed by subject and by household, for
// import admission's redemption checks (SPEC.md §4): a redemption is checked against its
// household's balance, and replaying just that household needs only its own awards, the awards of
// every person who ever belonged to it (caps follow the person) and its redemptions. Stock checks
// need the village's redemptions of one reward. Each event takes 24 bytes here instead of a whole
// Event, and its codes are kept once per village.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/codes.h"
#include "engine/model.h"

namespace jifen::engine {

class HouseholdEvents {
 public:
  // Holds the events dated `from` or later; `expected` events are about to be added.
  HouseholdEvents(Date from, size_t expected) : from_(from) { pending_.reserve(expected); }

  Date from() const { return from_; }

  // One award or redemption to file.
  struct Filed {
    uint64_t sequence = 0;
    Date date;
    ledger::RecordType type = ledger::RecordType::kAward;  // kAward or kRedeem
    Quantity qty;
    std::string_view subject, item;      // an award's
    std::string_view household, reward;  // a redemption's
    bool revoked = false;
    bool pending = false;  // an award waiting for review: it counts nowhere until Approve
  };
  // Files one award or redemption: those read from the ledger in (date, sequence) order, then
  // those the batch appends (whose sequences only grow, at any date). Events dated before from()
  // are ignored: a wider window is read from the ledger again.
  void Add(const Filed& event);
  // Marks an event filed here as revoked (a revoke record appended after it was filed). `record`
  // is the revoked award or redemption.
  void Revoke(const ledger::Record& record);
  // Marks a pending award filed here as approved (an approve record appended after it was filed).
  void Approve(const ledger::Record& award);

  // The events replay needs for `household`, whose possible award subjects are `subjects` (the
  // household and every person who ever belonged to it): their awards and the household's
  // redemptions, in (date, sequence) order. Revoked and pending events are left out, since they
  // count nowhere.
  // Only sequence, date, type, qty, subject, item, household and reward are set. `out` is reused.
  void Collect(const std::vector<std::string_view>& subjects, std::string_view household,
               std::vector<Event>* out);

  // Units of `reward` redeemed and not revoked: in `period` (counted by the period kind of it), or
  // ever when `period` is unset.
  int64_t Redeemed(std::string_view reward, const std::optional<Period>& period);

  // Events filed, and memory held, roughly, in bytes (for the admission's budget).
  size_t size() const { return events_; }
  size_t MemoryBytes() const;

 private:
  struct Stored {
    uint64_t sequence;
    int32_t day;
    uint32_t qty_flags;  // qty in hundredths, with kRevokedBit and kPendingBit
    uint32_t code;       // award: subject; redemption: household
    uint32_t what;       // award: item; redemption: reward
    int64_t qty() const { return qty_flags & ~(kRevokedBit | kPendingBit); }
    bool revoked() const { return (qty_flags & kRevokedBit) != 0; }
    bool counts() const { return (qty_flags & (kRevokedBit | kPendingBit)) == 0; }
    bool operator<(const Stored& o) const {
      return day != o.day ? day < o.day : sequence < o.sequence;
    }
  };
  static_assert(sizeof(Stored) == 24);
  static constexpr uint32_t kRevokedBit = 1u << 31;
  static constexpr uint32_t kPendingBit = 1u << 30;  // above any qty: 10^8 hundredths < 2^30
  struct Pending {
    Stored event;
    bool redemption;
  };
  // A filed event with the list it came from, while merging lists.
  struct Tagged {
    const Stored* event;
    bool redemption;
  };
  using Lists = std::vector<std::vector<Stored>>;  // indexed by code number

  // Files the pending events into the lists, each list grown once.
  void File();
  static void Insert(std::vector<Stored>& list, const Stored& event);
  static void Mark(Lists& lists, std::optional<uint32_t> code, uint64_t sequence, uint32_t set,
                   uint32_t clear);

  Date from_;
  CodeTable codes_;
  Lists awards_by_subject_;
  Lists redemptions_by_household_;
  Lists redemptions_by_reward_;
  std::vector<Pending> pending_;  // added, not yet filed
  size_t events_ = 0;
  std::vector<Tagged> merged_;  // scratch for Collect
  std::vector<Tagged> merging_;
};

}  // namespace jifen::engine
