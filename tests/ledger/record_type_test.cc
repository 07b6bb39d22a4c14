#include "ledger/record_type.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "ledger/fields.h"
#include "ledger/ledger.h"

namespace jifen::ledger {
namespace {

// Every type has its own row: a JSON word that reads back as the type, words in both languages,
// and a key kind that tells its records apart (ledger/FORMAT.md "Keys").
TEST(RecordTypeTable, EveryTypeHasItsOwnRowAndItsWordReadsBack) {
  std::set<std::string> names, english, chinese;
  for (RecordType type : AllRecordTypes()) {
    const RecordTypeRow& row = RecordTypeInfo(type);
    EXPECT_EQ(row.type, type);
    EXPECT_EQ(RecordTypeFromName(row.name), type) << row.name;
    EXPECT_TRUE(names.insert(row.name).second) << row.name;
    EXPECT_TRUE(english.insert(row.en).second) << row.en;
    EXPECT_TRUE(chinese.insert(row.zh).second) << row.zh;
    EXPECT_EQ(row.key == KeyKind::kNone, type == RecordType::kRules) << row.name;
  }
  EXPECT_EQ(names.size(), static_cast<size_t>(kLastRecordType));
}

TEST(RecordTypeTable, EventsAreAwardsAndRedemptionsAndKeysAreAsTheFormatSays) {
  for (RecordType type : AllRecordTypes()) {
    EXPECT_EQ(RecordTypeInfo(type).event, type == RecordType::kAward || type == RecordType::kRedeem)
        << RecordTypeName(type);
  }
  Record move;
  move.type = RecordType::kMove;
  move.code = "P1";
  move.date = *Date::Parse("2022-03-05");
  EXPECT_EQ(KeyOf(move), "move:P1:2022-03-05");
  Record household;
  household.type = RecordType::kHousehold;
  household.code = "H1";
  EXPECT_EQ(KeyOf(household), "household:H1");
  Record revoke;
  revoke.type = RecordType::kRevoke;
  revoke.target = "A-1";
  EXPECT_EQ(KeyOf(revoke), "revoke:A-1");
  Record award;
  award.type = RecordType::kAward;
  award.id = "A-1";
  EXPECT_EQ(KeyOf(award), "A-1");
  EXPECT_STREQ(RecordTypeName(static_cast<RecordType>(200)), "unknown");
}

// A name field names a field the type has.
TEST(RecordTypeTable, NameFieldsAreFieldsOfTheirType) {
  for (RecordType type : AllRecordTypes()) {
    for (const NamedField& named : RecordTypeInfo(type).name_fields) {
      if (named.field == nullptr) continue;
      bool found = false;
      for (const FieldSpec& spec : FieldsOf(type))
        found |= std::string(spec.json_name) == named.field;
      EXPECT_TRUE(found) << RecordTypeName(type) << " " << named.field;
    }
  }
}

}  // namespace
}  // namespace jifen::ledger
