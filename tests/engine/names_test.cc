// Names in place of codes (engine/names.h, docs/IMPORT.md "Names for codes").
#include "engine/names.h"

#include <gtest/gtest.h>

#include "tests/engine/fixture.h"

namespace jifen::engine::testing {
namespace {

const char* kRules = R"(village SYS "双杨树村" {
  period month
}
category C1 "爱党爱国" {
  item C1.01 "参加升国旗仪式" +2 per person
  item C1.02 "门前三包" +2 per household
  item C1.03 "重名项目" +1 per person
}
category C2 "其他" {
  item C2.01 "重名项目" +1 per person
}
reward R01 "毛巾" cost 10
)";

class Names : public LedgerTest {
 protected:
  void SetUp() override {
    LedgerTest::SetUp();
    ASSERT_EQ(Adopt(kRules, "2022-01-01"), "");
    const char* r = R"(,"since":"2022-01-01","recorded":"2022-01-01T08:00:00+08:00"})";
    auto errors = Import({
        std::string(R"({"type":"household","village":"SYS","household":"H01","name":"张建国")") + r,
        std::string(R"({"type":"household","village":"SYS","household":"H03","name":"王芳")") + r,
        std::string(
            R"({"type":"person","village":"SYS","person":"P0101","name":"张建国","household":"H01")") +
            r,
        std::string(
            R"({"type":"person","village":"SYS","person":"P0102","name":"王芳","household":"H01")") +
            r,
        std::string(
            R"({"type":"person","village":"SYS","person":"P0301","name":"王芳","household":"H03")") +
            r,
        R"({"type":"scorer","village":"SYS","scorer":"S1","name":"李网格","role":"网格员","recorded":"2022-01-01T08:00:00+08:00"})",
    });
    ASSERT_TRUE(errors.empty()) << errors[0];
    auto reader = ledger_->Snapshot();
    ASSERT_TRUE(reader.ok());
    ASSERT_TRUE(index_.Load(**reader, {"双杨树村"}).ok());
  }
  std::string Code(NameKind kind, const std::string& value, const std::string& item = "") {
    auto l = index_.Resolve("SYS", kind, value, Date::Parse("2022-03-05"), item);
    if (l.candidates.empty()) return l.code;
    std::string all = "ambiguous:";
    for (const auto& c : l.candidates) all += " " + c.code + "(" + c.detail + ")";
    return all;
  }
  NameIndex index_;
};

TEST_F(Names, UniqueNamesGiveTheirCodesAndCodesStayCodes) {
  EXPECT_EQ(index_.Resolve("", NameKind::kVillage, "双杨树村").code, "SYS");
  EXPECT_EQ(index_.Resolve("", NameKind::kVillage, "SYS").code, "SYS");
  EXPECT_EQ(Code(NameKind::kItem, "参加升国旗仪式"), "C1.01");
  EXPECT_EQ(Code(NameKind::kItem, "C1.02"), "C1.02");
  EXPECT_EQ(Code(NameKind::kReward, "毛巾"), "R01");
  EXPECT_EQ(Code(NameKind::kScorer, "李网格"), "S1");
  EXPECT_EQ(Code(NameKind::kHousehold, "张建国"), "H01");
  EXPECT_EQ(Code(NameKind::kPerson, "张建国"), "P0101");
  EXPECT_EQ(Code(NameKind::kPerson, "P0102"), "P0102");
  // A name that names nothing is left for admission to refuse as an unknown code.
  EXPECT_EQ(Code(NameKind::kScorer, "无此人"), "无此人");
  // Items are named by the rules in force on the row's date: none before the adoption.
  EXPECT_EQ(
      index_.Resolve("SYS", NameKind::kItem, "参加升国旗仪式", Date::Parse("2021-06-01")).code,
      "参加升国旗仪式");
}

TEST_F(Names, AmbiguousNamesListTheirCandidates) {
  EXPECT_EQ(Code(NameKind::kPerson, "王芳"), "ambiguous: P0102(H01 张建国) P0301(H03 王芳)");
  EXPECT_EQ(Code(NameKind::kItem, "重名项目"), "ambiguous: C1.03(C1) C2.01(C2)");
}

TEST_F(Names, ASubjectNamedLikeAHouseholdAndAPersonFollowsTheItem) {
  // 张建国 is household H01 and person P0101: a per-household item means the household.
  EXPECT_EQ(Code(NameKind::kSubject, "张建国", "C1.02"), "H01");
  EXPECT_EQ(Code(NameKind::kSubject, "张建国", "C1.01"), "P0101");
  // 王芳 is household H03 and two persons: per household it is H03, per person ambiguous.
  EXPECT_EQ(Code(NameKind::kSubject, "王芳", "C1.02"), "H03");
  EXPECT_EQ(Code(NameKind::kSubject, "王芳", "C1.01"),
            "ambiguous: P0102(H01 张建国) P0301(H03 王芳) H03()");
  EXPECT_EQ(Code(NameKind::kSubject, "P0301", "C1.01"), "P0301");
}

TEST_F(Names, WhatNamesNothingIsToldApart) {
  auto date = Date::Parse("2022-03-05");
  EXPECT_TRUE(index_.Resolve("SYS", NameKind::kScorer, "无此人", date).unknown);
  EXPECT_TRUE(index_.Resolve("SYS", NameKind::kItem, "C9.99", date).unknown);
  EXPECT_TRUE(index_.Resolve("SYS", NameKind::kSubject, "P9999", date, "C1.01").unknown);
  EXPECT_FALSE(index_.Resolve("SYS", NameKind::kScorer, "S1", date).unknown);
  EXPECT_FALSE(index_.Resolve("SYS", NameKind::kSubject, "王芳", date, "C1.01")
                   .unknown);  // ambiguous, not unknown
  EXPECT_TRUE(index_.InLedger("SYS"));
  EXPECT_FALSE(index_.InLedger("XYZ"));
  EXPECT_FALSE(
      index_.Resolve("XYZ", NameKind::kScorer, "S1", date).unknown);  // a village it does not know
}

TEST_F(Names, TheImportsOwnRegistrationsCount) {
  index_.AddRegistration(ledger::RecordType::kHousehold, "SYS", "H09", "新户");
  index_.AddRegistration(ledger::RecordType::kPerson, "SYS", "P0901", "新人", "H09");
  index_.AddRegistration(ledger::RecordType::kScorer, "SYS", "S9", "新采集人");
  EXPECT_EQ(Code(NameKind::kHousehold, "新户"), "H09");
  EXPECT_EQ(Code(NameKind::kSubject, "新人", "C1.01"), "P0901");
  EXPECT_EQ(Code(NameKind::kScorer, "新采集人"), "S9");
}

}  // namespace
}  // namespace jifen::engine::testing
