// Revocations and approvals read from the structural index without building a Record
// (ledger::DecodeTargetEntry, Reader::ForEachStructuralView): a village under review has an
// approval for nearly every award, so loading its structure reads them straight from the entry's
// bytes. The fast path must take exactly the entries the full decoder accepts as revoke or
// approve records, with the same fields, and leave every damaged one to the full decoder's
// message.
#include <gtest/gtest.h>
#include <lmdb.h>

#include <functional>

#include "ledger/codec.h"
#include "ledger/ledger.h"
#include "tests/ledger/ledger_test_util.h"

namespace jifen::ledger {
namespace {

using testing::AppendAll;
using testing::Award;
using testing::Household;
using testing::OpenOrDie;

Record Approve(const std::string& target, const char* recorded = "2022-04-01T09:00:00+08:00") {
  Record r;
  r.type = RecordType::kApprove;
  r.village = "SYS";
  r.target = target;
  r.scorer = "S2";
  r.recorded = testing::At(recorded);
  return r;
}

Record Revoke(const std::string& target, const std::string& reason = "重复登记") {
  Record r;
  r.type = RecordType::kRevoke;
  r.village = "SYS";
  r.target = target;
  r.scorer = "S3";
  r.reason = reason;
  r.recorded = testing::At("2022-04-02T10:30:00-05:00");
  return r;
}

std::vector<Record> ReviewedRecords() {
  return {Household("SYS", "H01"),
          Award("SYS", "a1", "2022-03-05"),
          Award("SYS", "a2", "2022-03-06"),
          Approve("a1"),
          Household("SYS", "H02", "2022-04-01T10:00:00+08:00"),
          Revoke("a2")};
}

std::string Line(const TargetView& t) {
  return std::to_string(t.sequence) + " " + std::to_string(static_cast<int>(t.type)) + " " +
         t.recorded.ToString() + " " + std::string(t.target) + "|" + std::string(t.scorer) + "|" +
         std::string(t.reason);
}

// The structural records of SYS through ForEachStructuralView: targets as views, the others by
// type and sequence.
std::vector<std::string> ViaViews(const Reader& reader) {
  std::vector<std::string> out;
  Status s = reader.ForEachStructuralView(
      "SYS", UINT64_MAX,
      [&](const Record& r) {
        out.push_back(std::to_string(r.sequence) + " record " + RecordTypeName(r.type));
        return true;
      },
      [&](const TargetView& t) {
        out.push_back(Line(t));
        return true;
      });
  EXPECT_TRUE(s.ok()) << s.message();
  return out;
}

// The canonical bytes `record` would be stored with at `sequence`, as version 1 wrote them: qty
// in whole units and without the last two strings (period and outcome, empty in a revocation).
std::string VersionOneBytes(Record record, uint64_t sequence) {
  record.sequence = sequence;
  std::string bytes;
  EncodeRecord(record, &bytes);
  bytes[kVersionOffset] = 1;
  PutBigEndian32(1, bytes.data() + kQtyOffset);
  EXPECT_EQ(bytes.substr(bytes.size() - 3), std::string(3, '\0'));  // period, outcome, evidence
  bytes.erase(bytes.size() - 3, 2);
  return bytes;
}

// Whether the full decoder and the fast path agree about one entry: the fast path takes it
// exactly when the full decoder accepts it as a revoke or approve record, with the same fields.
void ExpectAgreement(std::string_view key, std::string_view value, uint64_t sequence,
                     const std::string& what) {
  Record record;
  bool full = DecodeStructuralEntry(key, value, sequence, "SYS", &record).ok() &&
              (record.type == RecordType::kRevoke || record.type == RecordType::kApprove);
  TargetView view;
  bool fast = DecodeTargetEntry(key, value, sequence, "SYS", &view);
  ASSERT_EQ(fast, full) << what;
  if (fast) {
    EXPECT_EQ(Line(view), Line(TargetViewOf(record))) << what;
  }
}

// Every byte of the entry's canonical bytes set to a handful of values, the checksum written
// again each time (as a forger would), and the entry cut short at every length.
void ExpectAgreementUnderEdits(const std::string& canonical, uint64_t sequence) {
  const std::string key = std::string("SYS\x1f") + std::string(7, '\0') + char(sequence);
  std::string value;
  EncodeStructuralEntry(key, canonical, &value);
  ExpectAgreement(key, value, sequence, "as written");
  TargetView view;
  ASSERT_TRUE(DecodeTargetEntry(key, value, sequence, "SYS", &view));
  for (size_t at = 0; at < canonical.size(); ++at) {
    for (int byte : {0x00, 0x01, 0x02, 0x07, 0x09, 0x1f, 0x41, 0x64, 0x7f, 0x80, 0xe9, 0xff}) {
      std::string edited = canonical;
      if (static_cast<uint8_t>(edited[at]) == byte) continue;
      edited[at] = static_cast<char>(byte);
      EncodeStructuralEntry(key, edited, &value);
      ExpectAgreement(key, value, sequence,
                      "byte " + std::to_string(at) + " = " + std::to_string(byte));
    }
    EncodeStructuralEntry(key, canonical.substr(0, at), &value);
    ExpectAgreement(key, value, sequence, "cut at " + std::to_string(at));
  }
  EncodeStructuralEntry(key, canonical + '\0', &value);
  ExpectAgreement(key, value, sequence, "a byte more");
}

TEST(TargetEntries, RevocationsAndApprovalsComeAsViewsInSequenceOrder) {
  tests::ScratchDir tmp;
  auto ledger = OpenOrDie(tmp.Path("l"));
  ASSERT_TRUE(AppendAll(*ledger, ReviewedRecords()).ok());
  auto snap = std::move(ledger->Snapshot().value());
  EXPECT_EQ(ViaViews(*snap),
            (std::vector<std::string>{"1 record household", "4 9 2022-04-01T09:00:00+08:00 a1|S2|",
                                      "5 record household",
                                      "6 7 2022-04-02T10:30:00-05:00 a2|S3|重复登记"}));
  // Without a target callback every record comes whole, as ForEachStructural gives them.
  std::vector<uint64_t> sequences;
  ASSERT_TRUE(snap->ForEachStructuralView(
                      "SYS", 5,
                      [&](const Record& r) {
                        sequences.push_back(r.sequence);
                        return true;
                      },
                      nullptr)
                  .ok());
  EXPECT_EQ(sequences, (std::vector<uint64_t>{1, 4, 5}));
  // A callback that returns false stops the scan.
  int seen = 0;
  ASSERT_TRUE(snap->ForEachStructuralView(
                      "SYS", UINT64_MAX, [&](const Record&) { return ++seen, true; },
                      [&](const TargetView&) { return ++seen, false; })
                  .ok());
  EXPECT_EQ(seen, 2);
}

TEST(TargetEntries, TheFastPathTakesExactlyWhatTheFullDecoderAccepts) {
  for (const Record& original : {Approve("a1"), Revoke("a2"), Revoke("a3", "x")}) {
    Record record = original;
    record.sequence = 7;
    std::string canonical;
    EncodeRecord(record, &canonical);
    SCOPED_TRACE(RecordTypeName(record.type));
    ExpectAgreementUnderEdits(canonical, 7);
  }
}

// Records written before the workflow are version 1 (whole qty, 18 strings): a revocation of
// such a ledger is read by the fast path too.
TEST(TargetEntries, AVersionOneRevocationIsReadLikeAVersionTwoOne) {
  std::string canonical = VersionOneBytes(Revoke("a2"), 9);
  const std::string key = std::string("SYS\x1f") + std::string(7, '\0') + '\x09';
  std::string value;
  EncodeStructuralEntry(key, canonical, &value);
  TargetView view;
  ASSERT_TRUE(DecodeTargetEntry(key, value, 9, "SYS", &view));
  EXPECT_EQ(Line(view), "9 7 2022-04-02T10:30:00-05:00 a2|S3|重复登记");
  ExpectAgreementUnderEdits(canonical, 9);
}

TEST(TargetEntries, ADamagedApprovalIsTheFullDecodersCorruption) {
  tests::ScratchDir tmp;
  const std::string dir = tmp.Path("l");
  { ASSERT_TRUE(AppendAll(*OpenOrDie(dir), ReviewedRecords()).ok()); }
  testing::WithRawWriteTxn(dir, [&](MDB_txn* txn) {
    MDB_dbi dbi;
    ASSERT_EQ(mdb_dbi_open(txn, "structural", 0, &dbi), 0);
    std::string key = std::string("SYS\x1f") + std::string(7, '\0') + '\x04';
    MDB_val mk{key.size(), key.data()}, mv;
    ASSERT_EQ(mdb_get(txn, dbi, &mk, &mv), 0);
    std::string value(static_cast<const char*>(mv.mv_data), mv.mv_size);
    value[value.size() - 3] ^= 0x01;  // the approval's scorer: "S2" becomes "S3"
    mv = MDB_val{value.size(), value.data()};
    ASSERT_EQ(mdb_put(txn, dbi, &mk, &mv, 0), 0);
  });
  auto ledger = OpenOrDie(dir, false);
  auto snap = std::move(ledger->Snapshot().value());
  Status s = snap->ForEachStructuralView(
      "SYS", UINT64_MAX, [](const Record&) { return true; },
      [](const TargetView&) { return true; });
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_EQ(s.message(),
            "structural index entry of record 4: checksum does not match (run `jifen verify`)");
}

// An approval rewritten with a valid checksum (another target) passes the fast path's checks,
// as it passes the full decoder's; the chain and verify still refuse it.
TEST(TargetEntries, AConsistentlyForgedApprovalIsRefusedByVerify) {
  tests::ScratchDir tmp;
  const std::string dir = tmp.Path("l");
  { ASSERT_TRUE(AppendAll(*OpenOrDie(dir), ReviewedRecords()).ok()); }
  Record forged = Approve("a2");
  forged.sequence = 4;
  testing::WithRawWriteTxn(dir, [&](MDB_txn* txn) {
    MDB_dbi dbi;
    ASSERT_EQ(mdb_dbi_open(txn, "structural", 0, &dbi), 0);
    std::string key = std::string("SYS\x1f") + std::string(7, '\0') + '\x04';
    std::string canonical, value;
    EncodeRecord(forged, &canonical);
    EncodeStructuralEntry(key, canonical, &value);
    MDB_val mk{key.size(), key.data()}, mv{value.size(), value.data()};
    ASSERT_EQ(mdb_put(txn, dbi, &mk, &mv, 0), 0);
  });
  auto ledger = OpenOrDie(dir, false);
  {
    auto snap = std::move(ledger->Snapshot().value());
    EXPECT_EQ(ViaViews(*snap)[1], "4 9 2022-04-01T09:00:00+08:00 a2|S2|");
  }
  auto report = ledger->Verify();
  ASSERT_TRUE(report.ok());
  ASSERT_TRUE(report->first_bad.has_value());
  EXPECT_EQ(report->reason, "structural index does not match the records");
}

}  // namespace
}  // namespace jifen::ledger
