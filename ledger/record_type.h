// The record-type table: one row per RecordType with what the rest of jifen needs to know of a
// type (ledger/FORMAT.md "Records", "Keys"): its JSON word, its words for a clerk in both
// languages, how its key is formed, whether it is an event, and which of its code fields may be
// given as a name. Code that treats types differently reads this row instead of a switch of its
// own; the switches over RecordType that remain have no `default:` (-Werror=switch), so a new
// type that is not handled everywhere does not compile.
#pragma once

#include <array>
#include <cstdint>

#include "ledger/record.h"

namespace jifen::ledger {

// How a record's key is formed (ledger/FORMAT.md "Keys").
enum class KeyKind : uint8_t {
  kNone,       // no key (a rule text)
  kId,         // the record's own id (award, redeem, post, objection, ruling)
  kCode,       // "TYPE:CODE": one registration a code
  kTarget,     // "TYPE:TARGET": a record is revoked, or approved, at most once
  kPersonDay,  // "move:PERSON:DATE": one move a person a day
};

// What a code names (engine/names.h reads these names in place of codes).
enum class NameKind : uint8_t { kVillage, kItem, kReward, kHousehold, kPerson, kScorer, kSubject };

struct NamedField {
  const char* field = nullptr;  // the JSON name of a code field; nullptr ends the list
  NameKind names = NameKind::kVillage;
};

struct RecordTypeRow {
  RecordType type;
  const char* name;  // the JSON "type" word ("household", "award", …; "rules")
  const char* en;    // the word of a sheet's type column and of reports, in English
  const char* zh;    // … and in Chinese
  KeyKind key;
  bool event;  // an award or redemption (the events index), else structural
  std::array<NamedField, 3> name_fields;
};

// The row of `type`; a value outside the enum (a corrupt byte) gets a row named "unknown".
const RecordTypeRow& RecordTypeInfo(RecordType type);

// Every type, in enum order (kRules … kLastRecordType).
std::array<RecordType, static_cast<size_t>(kLastRecordType)> AllRecordTypes();

}  // namespace jifen::ledger
