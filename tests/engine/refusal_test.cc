// Refusal codes (SPEC.md §4 "Refusal codes"): every code has a name, a field and a text in both
// languages; admission refuses with the code, and the English text is the one `jifen import`
// prints.
#include <gmock/gmock.h>

#include <regex>
#include <set>

#include "engine/refusal.h"
#include "tests/engine/fixture.h"

namespace jifen::engine::testing {
namespace {

using grammar::Language;

// The argument numbers a template uses: "{0} … {2}" -> {0, 2}.
std::set<int> Placeholders(std::string_view text) {
  std::set<int> out;
  for (size_t i = 0; i + 2 < text.size(); ++i) {
    if (text[i] == '{' && text[i + 2] == '}' && text[i + 1] >= '0' && text[i + 1] <= '9')
      out.insert(text[i + 1] - '0');
  }
  return out;
}

TEST(RefusalTable, EveryCodeHasANameAFieldAndBothTextsWithTheSameArguments) {
  std::set<std::string> names;
  const std::set<std::string> fields = {"general", "id",       "code",     "subject", "item",
                                        "qty",     "date",     "photos",   "target",  "household",
                                        "person",  "shares",   "scorer",   "period",  "head",
                                        "reward",  "recorded", "effective"};
  for (size_t n = 1; n <= kRefusalCodes; ++n) {
    auto code = static_cast<RefusalCode>(n);
    std::string name(RefusalName(code));
    SCOPED_TRACE(name);
    EXPECT_TRUE(std::regex_match(name, std::regex("[a-z]+(_[a-z]+)*"))) << n;
    EXPECT_TRUE(names.insert(name).second) << "a second code named " << name;
    EXPECT_TRUE(fields.count(std::string(RefusalFieldName(RefusalFieldOf(code)))));
    std::string_view english = RefusalTemplate(code, Language::kEnglish);
    std::string_view chinese = RefusalTemplate(code, Language::kChinese);
    std::set<int> used = Placeholders(english);
    EXPECT_EQ(Placeholders(chinese), used);
    // Arguments are numbered 0, 1, … with none skipped: Refusal::args holds them in that order.
    EXPECT_EQ(used.size(), RefusalArity(code));
    if (!used.empty()) {
      EXPECT_EQ(*used.rbegin(), static_cast<int>(used.size()) - 1);
    }
    if (english == "{0}") continue;  // a parser's message, passed on as it came
    EXPECT_NE(chinese, english);
    EXPECT_TRUE(std::any_of(chinese.begin(), chinese.end(), [](char c) { return c & 0x80; }))
        << chinese;
  }
  EXPECT_EQ(names.size(), kRefusalCodes);
}

TEST(RefusalTable, TextFillsTheArgumentsInEachLanguagesOrder) {
  Refusal r{RefusalCode::kBalanceShort, {"x1", "H2", "0", "2022-03-21", "R1", "1", "5"}};
  EXPECT_EQ(r.English(), "redemption x1: household H2 has 0 points on 2022-03-21, R1 x 1 costs 5");
  EXPECT_EQ(r.Text(Language::kChinese),
            "兑换 x1：户 H2 在 2022-03-21 有 0 分，R1 × 1 要 5 分，积分不够兑换这么多");
  EXPECT_EQ(r.Name(), "balance_short");
  EXPECT_EQ(r.FieldName(), "qty");
  EXPECT_EQ(r.Number(), 66);
  Refusal locked{RefusalCode::kDatedInLocked, {"2022-03", "2022-04-01", "2022-04-04"}};
  EXPECT_EQ(locked.English(),
            "dated in 2022-03: period 2022-03 was posted on 2022-04-01 and its notice window "
            "ended on 2022-04-04; it takes no more records that change it");
}

// Numbers are part of the contract (SPEC.md §4): a renumbering fails here.
TEST(RefusalTable, NumbersAreStable) {
  EXPECT_EQ(static_cast<int>(RefusalCode::kLineUnparsed), 1);
  EXPECT_EQ(static_cast<int>(RefusalCode::kSelfDeny), 36);
  EXPECT_EQ(static_cast<int>(RefusalCode::kIdTaken), 3);
  EXPECT_EQ(static_cast<int>(RefusalCode::kLaterAdoptionInside), 73);
  EXPECT_EQ(static_cast<int>(RefusalCode::kCitedObjectionTooLate), 79);
  EXPECT_EQ(kRefusalCodes, 79u);
}

const char* kRules = R"(village T "测试村" {
  late 5 days
  self deny
}
category A "好事" {
  item A1 "升旗" +2 per person, cap 4
  item A2 "表彰" +10 per household, evidence
  item U1 "志愿服务" +1 per person, unit "小时", by "村两委"
}
reward R1 "毛巾" cost 5
)";

class RefusalCodes : public LedgerTest {
 protected:
  void SetUp() override {
    LedgerTest::SetUp();
    ASSERT_EQ(Adopt(kRules, "2022-01-01"), "");
    MustImport({HouseholdLine("T", "H1"), HouseholdLine("T", "H2"), PersonLine("T", "P1", "H1"),
                PersonLine("T", "P2", "H2"), ScorerLine("T", "S1", "网格员", "P1"),
                ScorerLine("T", "S2", "村两委"), HouseholdLine("T", "H3", "2022-03-10")});
  }
  // The one refusal of importing `line`.
  Refusal RefusalOf(const std::string& line) {
    auto refusals = Refusals({line});
    EXPECT_EQ(refusals.size(), 1u) << line;
    if (refusals.empty()) return Refusal{RefusalCode::kCheckFailed, {"written"}};
    EXPECT_EQ(refusals[0].file, "batch");
    EXPECT_EQ(refusals[0].line, 1);
    EXPECT_EQ(refusals[0].rules_language, Language::kEnglish);  // kRules' keywords are English
    return refusals[0].refusal;
  }
};

TEST_F(RefusalCodes, AwardsAreRefusedWithTheirCodeAndField) {
  struct Case {
    std::string line;
    RefusalCode code;
    std::string field, english;
  };
  const std::string evidence = R"("evidence":["doc:表彰决定"],)";
  std::vector<Case> cases{
      {AwardLine("T", "a1", "2022-03-11", "P9", "A1"), RefusalCode::kSubjectNotRegistered,
       "subject", "subject P9: not registered"},
      {AwardLine("T", "a2", "2022-03-11", "P1", "A1"), RefusalCode::kSelfDeny, "subject",
       "scorer S1: may not score own household H1 (self deny)"},
      {AwardLine("T", "a3", "2022-03-11", "P2", "A2", "", evidence), RefusalCode::kItemPerHousehold,
       "subject", "item A2 is per household: subject P2 is a person"},
      {AwardLine("T", "a4", "2022-03-11", "H2", "A2"), RefusalCode::kEvidenceMissing, "photos",
       "item A2: needs evidence"},
      {AwardLine("T", "a5", "2022-03-11", "P2", "ZZ"), RefusalCode::kItemNotInRules, "item",
       "item ZZ: not in the rules in force for 2022-03"},
      {AwardLine("T", "a6", "2022-03-09", "H3", "A2", "2022-03-11T20:00:00+08:00", evidence),
       RefusalCode::kHouseholdNotYet, "date", "household H3: not registered on 2022-03-09"},
      {AwardLine("T", "a7", "2022-02-20", "P2", "A1", "2022-03-11T20:00:00+08:00"),
       RefusalCode::kTooLate, "date",
       "recorded 2022-03-11, 11 days after period 2022-02 ended (late limit 5 days)"},
      {AwardLine("T", "a8", "2022-03-11", "P2", "A1", "", R"("qty":2,)"),
       RefusalCode::kQtyWithoutUnit, "qty", "qty 2: item A1 has no unit"},
      {AwardLine("T", "a9", "2022-03-11", "P2", "A1", "", "", "S9"),
       RefusalCode::kScorerNotRegistered, "scorer", "scorer S9: not registered"},
  };
  for (const Case& c : cases) {
    Refusal r = RefusalOf(c.line);
    EXPECT_EQ(r.code, c.code) << c.english;
    EXPECT_EQ(r.FieldName(), c.field) << c.english;
    EXPECT_EQ(r.English(), c.english);
  }
}

TEST_F(RefusalCodes, RedemptionsIdsAndLockedPeriodsHaveTheirCodes) {
  Refusal short_of = RefusalOf(RedeemLine("T", "x1", "2022-03-21", "H2", "R1"));
  EXPECT_EQ(short_of.code, RefusalCode::kBalanceShort);
  EXPECT_EQ(short_of.FieldName(), "qty");
  MustImport({AwardLine("T", "a1", "2022-03-22", "P2", "A1")});
  Refusal taken = RefusalOf(AwardLine("T", "a1", "2022-03-23", "P2", "A1"));
  EXPECT_EQ(taken.code, RefusalCode::kIdTaken);
  EXPECT_EQ(taken.English(), "id a1: already in the ledger with other content (sequence 9)");
  // Posted with no notice window: locked from the next day.
  MustImport({PostLine("T", "T-P2022-03", "2022-03", "S2", "2022-04-01T09:00:00+08:00")});
  Refusal locked =
      RefusalOf(AwardLine("T", "a2", "2022-03-15", "P2", "A1", "2022-04-03T09:00:00+08:00"));
  EXPECT_EQ(locked.code, RefusalCode::kDatedInLockedNoNotice);
  EXPECT_EQ(locked.FieldName(), "date");
  Refusal objection =
      RefusalOf(ObjectionLine("T", "T-O1", "2022-Q1", "", "H2", "2022-04-03T10:00:00+08:00"));
  EXPECT_EQ(objection.code, RefusalCode::kPeriodNotMonth);
  EXPECT_EQ(objection.English(), "period 2022-Q1: village T counts by month");
  EXPECT_EQ(objection.FieldName(), "period");
}

TEST_F(RefusalCodes, AnAdoptionIsRefusedWithItsCodeBesideTheEffectiveDate) {
  AdoptRequest request{"t.rules", kRules, *Date::Parse("2022-03-15"), "村民代表大会",
                       Timestamp::Parse("2022-03-01T09:00:00+08:00")};
  auto report = AdoptRules(*ledger_, request, Now());
  ASSERT_TRUE(report.ok()) << report.status().message();
  ASSERT_TRUE(report->refusal);
  EXPECT_EQ(report->refusal->code, RefusalCode::kEffectiveNotMonthStart);
  EXPECT_EQ(report->refusal->FieldName(), "effective");
  EXPECT_EQ(report->refusal->Text(Language::kChinese), "生效日期 2022-03-15 不是一个月的第一天");
  EXPECT_EQ(report->sequence, 0u);
}

}  // namespace
}  // namespace jifen::engine::testing
