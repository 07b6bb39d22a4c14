#include "ledger/codec.h"

#include <gtest/gtest.h>

#include "ledger/sha256.h"
#include "tests/ledger/ledger_test_util.h"

namespace jifen::ledger {
namespace {

std::string Hex(std::string_view bytes) {
  static const char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

Record Move() {
  Record r;
  r.type = RecordType::kMove;
  r.sequence = 3;
  r.village = "SYS";
  r.code = "P1";
  r.household = "H2";
  r.date = *Date::Parse("2022-05-01");
  r.recorded = *Timestamp::Parse("2022-05-01T08:00:00+08:00");
  return r;
}

TEST(Codec, TheFormatDocumentExampleEncodesAsDocumented) {
  std::string bytes;
  EncodeRecord(Move(), &bytes);
  EXPECT_EQ(Hex(bytes),
            "0204"
            "0000000000000003"
            "00000000626DCD80"
            "01E0"
            "00004AA9"
            "00000064"
            "00000000"
            "03535953"
            "00"
            "025031"
            "00"
            "024832"
            "000000000000000000000000000000"
            "00");
}

// Version 1 records (whole qty, 18 strings) are still read: the ledgers written before decimal
// quantities and the workflow records keep verifying.
TEST(Codec, AVersionOneRecordDecodesWithWholeQtyAndNoWorkflowStrings) {
  Record award = testing::Award("SYS", "a1", "2022-03-05", "P1");
  award.qty = Quantity::FromWhole(3);
  award.sequence = 7;
  award.evidence.clear();
  std::string v2;
  EncodeRecord(award, &v2);
  // The same record as version 1 wrote it: qty 3 (not 300) and without the last two strings.
  std::string v1 = v2;
  v1[0] = 1;
  v1[26] = 0;
  v1[27] = 3;
  ASSERT_EQ(v1.substr(v1.size() - 3), std::string("\0\0\0", 3));  // period, outcome, no evidence
  v1.erase(v1.size() - 3, 2);
  Record out;
  ASSERT_TRUE(DecodeRecord(v1, &out).ok());
  EXPECT_EQ(out.qty, Quantity::FromWhole(3));
  EXPECT_TRUE(SameContent(out, award));
  // A version 1 record may not carry the workflow types, which came with version 2.
  std::string bad = v1;
  bad[1] = static_cast<char>(RecordType::kApprove);
  EXPECT_EQ(DecodeRecord(bad, &out).message(), "unknown record type 9");
}

TEST(Codec, DecimalQuantityIsExactInTheBytes) {
  Record award = testing::Award("SYS", "a1", "2022-03-05", "P1");
  award.qty = *Quantity::Parse("2.5");
  std::string bytes;
  EncodeRecord(award, &bytes);
  EXPECT_EQ(Hex(bytes.substr(kQtyOffset, 4)), "000000FA");  // 250 hundredths
  Record out;
  ASSERT_TRUE(DecodeRecord(bytes, &out).ok());
  EXPECT_EQ(out.qty.ToString(), "2.5");
}

TEST(Codec, DecodeGivesBackTheRecord) {
  Record r = testing::Award("SYS", "a1", "1960-03-05", std::string(300, 'x'));
  r.sequence = 123456789012;
  r.qty = Quantity::FromWhole(1000000);
  r.evidence = {"a", "照片", std::string(200, 'y')};
  r.recorded = *Timestamp::Parse("1965-01-01T00:00:00-05:30");
  std::string bytes;
  EncodeRecord(r, &bytes);
  Record back;
  ASSERT_TRUE(DecodeRecord(bytes, &back).ok());
  r.recorded_given = true;
  EXPECT_EQ(back, r);
  EXPECT_TRUE(back.recorded_given);
}

TEST(Codec, EveryTruncationIsCorruptionNotACrash) {
  Record r = testing::Award("SYS", "a1", "2022-03-05", std::string(200, 'x'));
  std::string bytes;
  EncodeRecord(r, &bytes);
  Record out;
  for (size_t n = 0; n < bytes.size(); ++n) {
    // A copy of exactly n bytes, so that sanitizers catch any overread.
    std::string cut = bytes.substr(0, n);
    Status s = DecodeRecord(cut, &out);
    EXPECT_EQ(s.code(), Status::Code::kCorruption) << n;
  }
  std::string longer = bytes + '\0';
  EXPECT_EQ(DecodeRecord(longer, &out).code(), Status::Code::kCorruption);
}

TEST(Codec, BadLengthsVersionsAndTypesAreCorruption) {
  std::string bytes;
  EncodeRecord(Move(), &bytes);
  Record out;
  std::string bad = bytes;
  bad[0] = 3;
  EXPECT_EQ(DecodeRecord(bad, &out).message(), "unknown record format version 3");
  bad[0] = 0;
  EXPECT_EQ(DecodeRecord(bad, &out).message(), "unknown record format version 0");
  bad = bytes;
  bad[1] = 13;
  EXPECT_EQ(DecodeRecord(bad, &out).message(), "unknown record type 13");
  bad = bytes;
  bad[kFixedBytes] = '\x7f';  // village length beyond the end
  EXPECT_EQ(DecodeRecord(bad, &out).code(), Status::Code::kCorruption);
  // An overlong varint (0x83 0x00 for 3) is not the canonical form.
  bad = bytes.substr(0, kFixedBytes) + "\x83" + '\0' + bytes.substr(kFixedBytes + 1);
  EXPECT_EQ(DecodeRecord(bad, &out).code(), Status::Code::kCorruption);
  // A huge evidence count is refused before anything is allocated.
  bad = bytes.substr(0, bytes.size() - 1) + "\xff\xff\xff\xff\x0f";
  EXPECT_EQ(DecodeRecord(bad, &out).message(), "evidence count out of bounds");
  // A varint that never ends.
  bad = bytes.substr(0, kFixedBytes) + std::string(8, '\xff');
  EXPECT_EQ(DecodeRecord(bad, &out).code(), Status::Code::kCorruption);
}

TEST(Codec, ChainHashIsSha256OfPreviousHashThenBytes) {
  EXPECT_EQ(HashToHex(Sha256Of("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  Hash zero{};
  std::string joined(32, '\0');
  joined += "abc";
  EXPECT_EQ(ChainHash(zero, "abc"), Sha256Of(joined));
}

}  // namespace
}  // namespace jifen::ledger
