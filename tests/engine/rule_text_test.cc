// A rule file's line endings do not change its fingerprint (SPEC.md §3 "Rules in force").
#include "tests/engine/fixture.h"

namespace jifen::engine::testing {
namespace {

TEST(RuleText, LineEndingsBecomeLineFeedsAndNothingElseChanges) {
  EXPECT_EQ(RuleText("a\r\nb\rc\n\r\n"), "a\nb\nc\n\n");
  EXPECT_EQ(RuleText("村 \"测试\"\r\n"), "村 \"测试\"\n");
  EXPECT_EQ(RuleText("no endings"), "no endings");
  EXPECT_EQ(RuleText("\r"), "\n");
  EXPECT_EQ(RuleText(""), "");
}

class AdoptedText : public LedgerTest {};

const char* kLf = "village T \"测试村\" {\n  late 5 days\n}\ncategory A \"好事\" {\n"
                  "  item A1 \"升旗\" +2 per person\n}\n";

TEST_F(AdoptedText, ACrLfCopyOfARuleFileHasTheSameFingerprintAndIsKeptWithLineFeeds) {
  std::string crlf;
  for (char ch : std::string(kLf)) crlf += ch == '\n' ? std::string("\r\n") : std::string(1, ch);
  AdoptRequest lf_request{"lf.rules", kLf, *Date::Parse("2022-01-01"), "", std::nullopt};
  AdoptRequest crlf_request{"crlf.rules", crlf, *Date::Parse("2022-02-01"), "", std::nullopt};
  auto a = AdoptRules(*ledger_, lf_request, Now());
  auto b = AdoptRules(*ledger_, crlf_request, Now());
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_TRUE(b.ok()) << b.status().message();
  ASSERT_FALSE(a->refusal) << a->refusal->English();
  ASSERT_FALSE(b->refusal) << b->refusal->English();
  EXPECT_EQ(a->sha256, b->sha256);
  EXPECT_EQ(b->sha256, ledger::Sha256Hex(kLf));
  auto reader = ledger_->Snapshot();
  ASSERT_TRUE(reader.ok());
  auto record = (*reader)->Get(b->sequence);
  ASSERT_TRUE(record.ok()) << record.status().message();
  EXPECT_EQ(record->text, kLf);
  EXPECT_EQ(record->sha256, b->sha256);
}

}  // namespace
}  // namespace jifen::engine::testing
