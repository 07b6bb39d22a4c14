// Evidence files beside the ledger: stored by content, judged by content, and checked by verify.
#include <gtest/gtest.h>

#include "engine/admission.h"
#include "ledger/evidence.h"
#include "formats/record_json.h"
#include "ledger/sha256.h"
#include "tests/common/files.h"
#include "tests/common/run_binary.h"

namespace jifen::ledger {
namespace {

const std::string kJpeg = std::string("\xFF\xD8\xFF\xE0", 4) + "jpeg body";
const std::string kPng = std::string("\x89PNG\r\n\x1A\n", 8) + "png body";
const std::string kWebp = std::string("RIFF\x10\x00\x00\x00WEBPVP8 ", 16);

TEST(Evidence, ImagesAreJudgedByTheirBytes) {
  EXPECT_EQ(ImageKindOf(kJpeg), ImageKind::kJpeg);
  EXPECT_EQ(ImageKindOf(kPng), ImageKind::kPng);
  EXPECT_EQ(ImageKindOf(kWebp), ImageKind::kWebp);
  EXPECT_FALSE(ImageKindOf("GIF89a......"));
  EXPECT_FALSE(ImageKindOf("<svg></svg>"));
  EXPECT_FALSE(ImageKindOf("RIFF\x10\x00\x00\x00WAVE"));
  EXPECT_FALSE(ImageKindOf(""));
}

TEST(Evidence, StoringIsByHashOnceAndRefusesOtherKindsAndSizes) {
  tests::ScratchDir dir("jifen-evidence");
  auto first = StoreEvidence(dir.path(), kJpeg);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->hex, HashToHex(Sha256Of(kJpeg)));
  EXPECT_EQ(tests::ReadFile(EvidencePath(dir.path(), first->hex)), kJpeg);
  auto again = StoreEvidence(dir.path(), kJpeg);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->created);
  EXPECT_FALSE(StoreEvidence(dir.path(), "plain text").ok());
  EXPECT_FALSE(StoreEvidence(dir.path(), kJpeg + std::string(kEvidenceBytesMax, 'x')).ok());
  EXPECT_EQ(EvidenceHex("sha256:" + first->hex), first->hex);
  EXPECT_FALSE(EvidenceHex("photo:0305-01.jpg"));
  EXPECT_FALSE(EvidenceHex("sha256:../../etc/passwd"));
  EXPECT_FALSE(ReadEvidence(dir.path(), "../ledger").ok());
}

class EvidenceVerify : public tests::ScratchTest {
 protected:
  EvidenceVerify() : ScratchTest("jifen-evidence-verify") {}
  void SetUp() override {
    ledger_ = Path("ledger");
    hex_ = HashToHex(Sha256Of(kJpeg));
    std::string rules = Write(
        "w.rules",
        "village W \"证据村\" {\n}\ncategory A \"好事\" {\n  item E1 \"见义勇为\" +10 per person, evidence\n}\n");
    std::string r = R"(,"recorded":"2024-01-01T08:00:00+08:00"})";
    std::string lines =
        R"({"type":"household","village":"W","household":"H1","name":"张家","since":"2024-01-01","shares":1)" +
        r + "\n" +
        R"({"type":"person","village":"W","person":"P1","name":"张三","household":"H1","since":"2024-01-01","resident":"villager")" +
        r + "\n" +
        R"({"type":"scorer","village":"W","scorer":"S1","name":"王网格","role":"网格员")" + r +
        "\n" +
        R"({"type":"award","id":"W-1","village":"W","date":"2024-01-05","subject":"P1","item":"E1","scorer":"S1","evidence":["sha256:)" +
        hex_ + R"(","photo:纸质登记表"],"recorded":"2024-01-05T20:00:00+08:00"})" + "\n";
    std::string records = Write("records.jsonl", lines);
    std::string jifen = JIFEN_BINARY;
    ASSERT_EQ(
        Shell(
            jifen + " rules adopt " + rules +
            " --effective 2024-01-01 --approved-by 村民代表大会 --recorded 2023-12-31T09:00:00+08:00 --ledger " +
            ledger_)
            .rc,
        0);
    auto stored = StoreEvidence(ledger_, kJpeg);
    ASSERT_TRUE(stored.ok()) << stored.status().message();
    auto imported = Shell(jifen + " import " + records + " --ledger " + ledger_);
    ASSERT_EQ(imported.rc, 0) << imported.err;
  }
  tests::Outcome Verify() {
    return Shell(std::string(JIFEN_BINARY) + " verify --ledger " + ledger_);
  }
  std::string ledger_, hex_;
};

TEST_F(EvidenceVerify, PassesWhenEveryNamedPhotoIsThereAndFreeTextIsNoFile) {
  auto r = Verify();
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("1 evidence files"), std::string::npos) << r.out;
}

TEST_F(EvidenceVerify, FailsNamingTheRecordWhenAPhotoIsMissing) {
  std::filesystem::remove(EvidencePath(ledger_, hex_));
  auto r = Verify();
  EXPECT_EQ(r.rc, 3);
  EXPECT_NE(r.err.find("record W-1"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("missing: no file evidence/" + hex_), std::string::npos) << r.err;
}

TEST_F(EvidenceVerify, FailsNamingTheRecordWhenAPhotoWasAltered) {
  tests::WriteFile(EvidencePath(ledger_, hex_), kJpeg + "retouched");
  auto r = Verify();
  EXPECT_EQ(r.rc, 3);
  EXPECT_NE(r.err.find("record W-1"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("altered"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace jifen::ledger
