// The values of the `events` and `structural` index entries (ledger/FORMAT.md "Indexes").
// An events entry holds the fields of an award or redemption that replay reads; a structural
// entry holds the record's canonical bytes. So a village's records for a report are sequential
// cursor scans of its index ranges, not a B-tree descent into `records` per record, and reading
// one village costs the same however many other villages share the ledger. An XXH3-64 checksum
// over each entry's key and value catches a damaged entry on every read; the SHA-256 chain over
// the records stays the authority, and `verify` checks every entry against its record.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/record.h"
#include "util/status.h"

namespace jifen::ledger {

// An award or redemption as the events index holds it. The views point into the ledger's memory
// map and are valid only during the callback that receives them.
struct EventView {
  uint64_t sequence = 0;
  Date date;
  RecordType type = RecordType::kAward;
  Timestamp recorded;
  Quantity qty;
  std::string_view id, subject, item, reward, household, scorer;
};

// The events index value for `record` (an award or redemption), given its index key.
void EncodeEventEntry(std::string_view key, const Record& record, std::string* out);

// Checks the checksum and decodes `value`; `sequence` and `date` come from the key.
// Status::Corruption when the entry is damaged.
Status DecodeEventEntry(std::string_view key, std::string_view value, uint64_t sequence, Date date,
                        EventView* view);

// The structural index value for `record`: checksum, then its canonical bytes (`canonical`).
void EncodeStructuralEntry(std::string_view key, std::string_view canonical, std::string* out);

// Checks the checksum and decodes the record, which must hold `sequence`, be of `village` and
// not be an award or redemption. Status::Corruption otherwise.
Status DecodeStructuralEntry(std::string_view key, std::string_view value, uint64_t sequence,
                             std::string_view village, Record* record);

// A revocation or an approval as the structural index holds it: what replay and the reports
// file of a record that names another by its id. The views point into the ledger's memory map
// and are valid only during the callback that receives them.
struct TargetView {
  uint64_t sequence = 0;
  RecordType type = RecordType::kApprove;  // kRevoke or kApprove
  Timestamp recorded;
  std::string_view target, scorer;
  std::string_view reason;  // a revocation's; empty for an approval
};

// The view of a revoke or approve record (`record.type` must be one of them).
TargetView TargetViewOf(const Record& record);

// The fast path of DecodeStructuralEntry for revocations and approvals, which a village under
// review has one of for nearly every award: reads the target, scorer, reason and recorded time
// straight from the entry's bytes, without building a Record. Returns true only for an entry
// that DecodeStructuralEntry would accept as a revoke or approve record, with the same fields.
// False for any other entry, damaged or not: the caller then decodes it in full, which says what
// is wrong with it.
bool DecodeTargetEntry(std::string_view key, std::string_view value, uint64_t sequence,
                       std::string_view village, TargetView* view);

// The checksum an entry stores first in its value, and whether it matches the rest (verify).
uint64_t StoredEntryChecksum(std::string_view value);
bool EntryChecksumMatches(std::string_view key, std::string_view value);

}  // namespace jifen::ledger
