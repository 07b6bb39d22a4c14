// One ledger record (SPEC.md §4). A flat struct: each type uses the fields listed beside it and
// leaves the others empty. The binary encoding of this struct is the record's canonical bytes
// (ledger/FORMAT.md); the JSON Lines import form maps onto it field by field.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/date.h"
#include "util/points.h"
#include "util/status.h"

namespace jifen::ledger {

enum class RecordType : uint8_t {
  kRules = 1,      // village, date (effective), text, sha256, approved_by
  kHousehold = 2,  // village, code, name, date (since), shares
  kPerson = 3,     // village, code, name, household, date (since), resident
  kMove = 4,       // village, code (person), household (to), date
  kScorer = 5,     // village, code, name, role, person (optional link)
  kAward = 6,      // village, id, date, subject, item, qty, scorer, place, reason, evidence
  kRevoke = 7,     // village, target, scorer, reason
  kRedeem = 8,     // village, id, household, reward, qty, date, scorer
  // The village's workflow (SPEC.md §3 "Review", "Posting"):
  kApprove = 9,     // village, target (an award's id), scorer
  kPost = 10,       // village, id, period, scorer, sha256 (the chain head the board showed)
  kObjection = 11,  // village, id, period, target or household, reason, name (filed by), scorer?
  kRuling = 12,     // village, id, target (an objection's id), outcome, reason, scorer
};
inline constexpr RecordType kLastRecordType = RecordType::kRuling;

// The JSON "type" word of a record type ("household", "award", …; kRules is "rules").
const char* RecordTypeName(RecordType type);

struct Record {
  RecordType type = RecordType::kAward;
  uint64_t sequence = 0;  // assigned by Ledger::Append, 1-based
  Timestamp recorded;     // stamped by the importer when the input had none
  std::string village;
  std::string id;         // award/redeem (optional in input); empty otherwise
  std::string code;       // household/person/scorer code; the moving person of a move
  std::string name;       // objection: who filed it
  std::string household;  // person: household; move: destination; redeem: household; objection
  Date date;              // since / move date / award date / redeem date / rules effective date
  int64_t shares = 0;     // household
  std::string resident;   // person: "villager" or "non-villager" …
  std::string role;       // scorer
  std::string person;     // scorer: linked person code, may be empty
  std::string subject;    // award: person or household code
  std::string item;       // award
  Quantity qty;           // award (decimal) / redeem (whole); 1 otherwise
  std::string scorer;     // award/revoke/redeem
  std::string place;      // award
  std::string reason;     // award/revoke
  std::vector<std::string> evidence;  // award
  std::string target;  // revoke/approve/objection: an award or redemption id; ruling: objection
  std::string reward;  // redeem
  std::string text;    // rules: the whole rule file
  std::string sha256;  // rules: hex SHA-256 of text; post: the chain head before it
  std::string approved_by;  // rules, may be empty
  std::string period;       // post/objection: "2022-03", "2022-Q1"
  std::string outcome;      // ruling: "upheld" or "dismissed"
  // Whether the input named its "recorded" time (the importer stamps the clock otherwise). Input
  // metadata only: not part of the canonical bytes, the hash or operator==. Records read back
  // from the ledger have it set.
  bool recorded_given = false;

  // Every field except recorded_given; timestamps compare instant and offset.
  bool operator==(const Record& other) const;
};

// Same content as far as idempotent re-import is concerned: every field except sequence,
// recorded and recorded_given (SPEC.md §4: "the same id ... with the same content").
bool SameContent(const Record& a, const Record& b);

// Checks a record against the field table of its type (ledger/FORMAT.md "Fields"): required
// fields present, codes non-empty without control characters and at most kCodeBytesMax bytes,
// names at most kNameBytesMax, well-formed UTF-8, qty and shares in range, fields the type does
// not use left empty. Status::InvalidInput naming the field otherwise. Append runs it before
// writing and every read runs it after decoding.
Status ValidateRecord(const Record& record);

// Whether a recorded time is one ValidateRecord accepts: within the years 1 to 9999 (a day's
// margin either side) and an offset of at most 14:59.
bool RecordedInRange(const Timestamp& recorded);

// The key prefix `id` starts with ("household:", "person:", "scorer:", "revoke:", "move:"; see
// KeyOf), or nullptr. Such ids are refused: they would collide with registration keys.
const char* ReservedKeyPrefix(std::string_view id);

inline constexpr size_t kCodeBytesMax = 64;
inline constexpr size_t kNameBytesMax = 1000;
inline constexpr size_t kTextBytesMax = 1 << 20;  // a rule file
inline constexpr size_t kEvidenceCountMax = 100;
inline constexpr int64_t kQtyMax = 1'000'000;  // whole units; a decimal qty's bound too
inline constexpr int64_t kSharesMax = 1'000'000;

using Hash = std::array<uint8_t, 32>;

}  // namespace jifen::ledger
