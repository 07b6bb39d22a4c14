// `jifen cards`: a card per household whose link (and QR code) opens that household's page on
// `jifen serve`, signed with the server's secret; refusals write nothing.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/common/run_binary.h"
#include "accounts/accounts.h"

namespace jifen {
namespace {

class Cards : public tests::ScratchTest {
 protected:
  Cards() : ScratchTest("jifen-cards") {}
  void SetUp() override {
    std::string rules = Write(
        "w.rules",
        "village W \"卡片村\" {\n}\ncategory A \"好事\" {\n  item A1 \"升旗\" +2 per person\n}\n");
    std::string r = R"(,"recorded":"2024-01-01T08:00:00+08:00"})";
    std::string records = Write(
        "r.jsonl",
        R"({"type":"household","village":"W","household":"H1","name":"<script>alert(1)</script>","since":"2024-01-01","shares":1)" +
            r + "\n" +
            R"({"type":"household","village":"W","household":"H2","name":"李家","since":"2024-01-01","shares":1)" +
            r + "\n");
    ASSERT_EQ(Run("rules adopt " + rules +
                  " --effective 2024-01-01 --approved-by 村民 --recorded 2023-12-31T09:00:00+08:00")
                  .rc,
              0);
    ASSERT_EQ(Run("import " + records).rc, 0);
  }
  tests::Outcome Run(const std::string& args) {
    return Shell(std::string(JIFEN_BINARY) + " --ledger " + Path("ledger") + " " + args);
  }
};

TEST_F(Cards, EachHouseholdGetsACardWithItsOwnSignedLinkAndAQrCode) {
  auto r =
      Run("cards --village W --out " + Path("cards.html") + " --base-url http://10.0.0.5:8080/");
  ASSERT_EQ(r.rc, 0) << r.err;
  std::string html = Read(Path("cards.html"));
  auto store = accounts::AccountStore::Open(Path("ledger") + "/accounts", false);
  ASSERT_TRUE(store.ok());
  for (std::string h : {"H1", "H2"}) {
    std::string link =
        "http://10.0.0.5:8080/h/W/" + h + "/" + accounts::HmacHex((*store)->secret(), "W|" + h);
    EXPECT_NE(html.find("href=\"" + link + "\""), std::string::npos) << h;
  }
  size_t qr_codes = 0;
  for (size_t at = html.find("<svg "); at != std::string::npos; at = html.find("<svg ", at + 1))
    ++qr_codes;
  EXPECT_EQ(qr_codes, 2u);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
}

TEST_F(Cards, AnUnknownVillageAnUnwritablePathOrABadAddressIsRefusedAndWritesNothing) {
  auto unknown = Run("cards --village NOPE --out " + Path("a.html"));
  EXPECT_EQ(unknown.rc, 1);
  EXPECT_NE(unknown.err.find("village NOPE"), std::string::npos) << unknown.err;
  auto unwritable = Run("cards --village W --out " + Path("no/such/dir/a.html"));
  EXPECT_EQ(unwritable.rc, 1);
  EXPECT_NE(unwritable.err.find("cannot write"), std::string::npos) << unwritable.err;
  auto address = Run("cards --village W --out " + Path("a.html") + " --base-url 10.0.0.5:8080");
  EXPECT_EQ(address.rc, 2);
  EXPECT_NE(address.err.find("--base-url"), std::string::npos) << address.err;
  EXPECT_FALSE(std::filesystem::exists(Path("a.html")));
}

// The ledger's verifier key is on every card once the ledger has one; none is made for printing.
TEST_F(Cards, EveryCardCarriesTheLedgersVerifierKeyWhenItHasOne) {
  auto r = Run("cards --village W --out " + Path("no-key.html"));
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(Read(Path("no-key.html")).find("验证公钥"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(Path("ledger/log.key")));
  auto key = Run("key --origin township.example/jifen");
  ASSERT_EQ(key.rc, 0) << key.err;
  std::string vkey = key.out.substr(0, key.out.find('\n'));
  r = Run("cards --village W --out " + Path("cards.html"));
  ASSERT_EQ(r.rc, 0) << r.err;
  std::string html = Read(Path("cards.html"));
  std::string line = "<p class=\"key\">账本验证公钥（核对证明用）：" + vkey + "</p></div></div>";
  size_t cards = 0;
  for (size_t at = html.find(line); at != std::string::npos; at = html.find(line, at + 1)) ++cards;
  EXPECT_EQ(cards, 2u) << html;
}

}  // namespace
}  // namespace jifen
