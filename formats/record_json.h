// The JSON Lines form of records (SPEC.md §4, ledger/FORMAT.md "JSON Lines"): one object per line,
// read strictly and written so that reading it back gives the same Record.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ledger/record.h"
#include "util/status.h"

namespace jifen::formats {

using ledger::Record;
using ledger::RecordType;

inline constexpr size_t kLineBytesMax = size_t{1} << 20;

// Parses one line. Refuses, with Status::InvalidInput naming the field, anything that is not
// exactly the import form: not a JSON object, duplicate, unknown or missing fields, wrong JSON
// types, bad dates (`field "date": not a date: 2022-02-30`), bad timestamps, qty outside
// 1..kQtyMax, shares outside 0..kSharesMax, codes empty, over kCodeBytesMax bytes or holding
// control characters, and every other ValidateRecord failure. Absent optional fields take their
// defaults (qty 1, shares 0, resident "villager"); `recorded_given` says whether "recorded" was
// there (its absence leaves recorded at the epoch for the importer to stamp). Lines over
// kLineBytesMax are refused. Exceptions never leave it.
Result<Record> RecordFromJson(std::string_view line);
// The same into `*record` (whose strings' storage is reused); on failure *record is unspecified.
Status RecordFromJson(std::string_view line, Record* record);

// The import form of a record, "recorded" always present in its own offset, no line break.
// RecordFromJson(RecordToJson(r)) == r for every record that passes ValidateRecord (sequence
// aside, which the import form does not carry).
std::string RecordToJson(const Record& record);

// A field as read from a JSON value or a CSV cell; shared with the CSV reader.
struct InputValue {
  enum class Kind : uint8_t { kString, kInteger, kNumber, kBool, kNull, kArray, kObject };
  Kind kind = Kind::kNull;
  std::string text;                // kString
  int64_t integer = 0;             // kInteger
  bool integer_fits = true;        // kInteger: false above INT64_MAX
  std::vector<std::string> items;  // kArray
  bool items_all_strings = true;   // kArray
};
using InputFields = std::vector<std::pair<std::string, InputValue>>;

// Builds and validates a record from named fields. With `from_text` (CSV) every value is a
// kString: qty and shares are read from decimal text and evidence is split on ';' or '|'.
Result<Record> RecordFromFields(InputFields fields, bool from_text);

}  // namespace jifen::formats
