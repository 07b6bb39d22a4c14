#include "ledger/ledger.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "ledger/sha256.h"
#include "tests/ledger/ledger_test_util.h"

namespace jifen::ledger {
namespace {

using testing::AppendAll;
using testing::At;
using testing::Award;
using testing::Household;
using testing::OpenOrDie;
using testing::VerifiedRecords;

TEST(Ledger, OpeningAMissingLedgerWithoutCreateIsNotFound) {
  tests::ScratchDir tmp;
  auto ledger = Ledger::Open(tmp.Path("nope"), false);
  ASSERT_FALSE(ledger.ok());
  EXPECT_EQ(ledger.status().code(), Status::Code::kInvalidInput);
  EXPECT_EQ(ledger.status().message(), "ledger " + tmp.Path("nope") + ": not found");
  // An existing but empty directory is no ledger either.
  auto empty = Ledger::Open(tmp.path(), false);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), Status::Code::kInvalidInput);
}

TEST(Ledger, EmptyLedgerHasNoHead) {
  tests::ScratchDir tmp;
  auto ledger = OpenOrDie(tmp.Path("l"));
  auto snap = ledger->Snapshot();
  ASSERT_TRUE(snap.ok());
  EXPECT_EQ((*snap)->HeadSequence(), 0u);
  EXPECT_EQ((*snap)->HeadHash(), Hash{});
  EXPECT_FALSE((*snap)->LatestRecorded());
  EXPECT_EQ((*snap)->SequenceAsOf(At("2030-01-01T00:00:00Z")), 0u);
  EXPECT_TRUE((*snap)->Villages().empty());
  EXPECT_FALSE((*snap)->Get(1).ok());
  auto report = ledger->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->records, 0u);
  EXPECT_FALSE(report->first_bad);
}

TEST(Ledger, AppendedRecordsReadBackWithSequencesAndChainedHashes) {
  tests::ScratchDir tmp;
  auto ledger = OpenOrDie(tmp.Path("l"));
  std::vector<Record> records = {Household("SYS", "H01"), Award("SYS", "a1", "2022-03-05"),
                                 Award("SYS", "a2", "2022-03-06", "志愿服务 两小时")};
  ASSERT_TRUE(AppendAll(*ledger, records).ok());
  auto snap = std::move(ledger->Snapshot().value());
  ASSERT_EQ(snap->HeadSequence(), 3u);
  for (uint64_t seq = 1; seq <= 3; ++seq) {
    auto got = snap->Get(seq);
    ASSERT_TRUE(got.ok()) << got.status().message();
    Record expected = records[seq - 1];
    expected.sequence = seq;
    EXPECT_EQ(*got, expected);
    EXPECT_TRUE(got->recorded_given);
  }
  EXPECT_EQ(snap->LatestRecorded()->ToString(), "2022-03-31T20:00:00+08:00");
  auto report = ledger->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->records, 3u);
  EXPECT_FALSE(report->first_bad) << report->reason;
  EXPECT_EQ(report->head, snap->HeadHash());
  EXPECT_NE(snap->HeadHash(), Hash{});
}

TEST(Ledger, ASecondWriteContinuesTheSequenceAndTheChain) {
  tests::ScratchDir tmp;
  {
    auto ledger = OpenOrDie(tmp.Path("l"));
    ASSERT_TRUE(AppendAll(*ledger, {Household("SYS", "H01")}).ok());
  }
  auto ledger = OpenOrDie(tmp.Path("l"), false);
  ASSERT_TRUE(AppendAll(*ledger, {Award("SYS", "a1", "2022-03-05")}).ok());
  auto snap = std::move(ledger->Snapshot().value());
  EXPECT_EQ(snap->HeadSequence(), 2u);
  EXPECT_EQ(snap->Get(2)->id, "a1");
  auto report = ledger->Verify();
  EXPECT_FALSE(report->first_bad);
  EXPECT_EQ(report->records, 2u);
}

TEST(Ledger, KeysFindRecordsInTheirVillageOnly) {
  tests::ScratchDir tmp;
  auto ledger = OpenOrDie(tmp.Path("l"));
  Record person;
  person.type = RecordType::kPerson;
  person.village = "SYS";
  person.code = "P0101";
  person.name = "张建国";
  person.household = "H01";
  person.resident = "villager";
  person.recorded = At("2022-01-01T08:00:00+08:00");
  Record move;
  move.type = RecordType::kMove;
  move.village = "SYS";
  move.code = "P0101";
  move.household = "H02";
  move.date = *Date::Parse("2022-05-01");
  move.recorded = At("2022-05-01T08:00:00+08:00");
  Record anonymous = Award("SYS", "", "2022-05-02", "无编号", "2022-05-02T08:00:00+08:00");
  ASSERT_TRUE(AppendAll(*ledger, {Household("SYS", "H01"), person, move, anonymous,
                                  Award("DYC", "a1", "2022-03-05", "x", "2022-06-01T00:00:00Z")})
                  .ok());
  auto snap = std::move(ledger->Snapshot().value());
  EXPECT_EQ(snap->FindKey("SYS", "household:H01"), 1u);
  EXPECT_EQ(snap->FindKey("SYS", "person:P0101"), 2u);
  EXPECT_EQ(snap->FindKey("DYC", "a1"), 5u);
  EXPECT_FALSE(snap->FindKey("SYS", "a1"));
  EXPECT_FALSE(snap->FindKey("SYS", "household:H02"));
  EXPECT_FALSE(snap->FindKey("SYS", ""));
  EXPECT_EQ(KeyOf(move), "move:P0101:" + move.date.ToString());
  EXPECT_EQ(snap->FindKey("SYS", KeyOf(move)), 3u);
  EXPECT_EQ(KeyOf(anonymous), "");
}

TEST(Ledger, AppendingAKeyTwiceFailsTheWholeBatch) {
  tests::ScratchDir tmp;
  auto ledger = OpenOrDie(tmp.Path("l"));
  ASSERT_TRUE(AppendAll(*ledger, {Award("SYS", "a1", "2022-03-05")}).ok());
  Status s =
      AppendAll(*ledger, {Award("SYS", "a2", "2022-03-05"), Award("SYS", "a1", "2022-03-06")});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_NE(s.message().find("key a1 already in village SYS"), std::string::npos) << s.message();
  auto snap = std::move(ledger->Snapshot().value());
  EXPECT_EQ(snap->HeadSequence(), 1u);
  EXPECT_FALSE(snap->FindKey("SYS", "a2"));
  // Within one batch too.
  s = AppendAll(*ledger, {Award("SYS", "b1", "2022-03-05"), Award("SYS", "b1", "2022-03-05")});
  EXPECT_FALSE(s.ok());
}

TEST(Ledger, AFailedAppendFailsTheWriteEvenIfTheCallbackIgnoresIt) {
  tests::ScratchDir tmp;
  auto ledger = OpenOrDie(tmp.Path("l"));
  Status s = ledger->Write([](WriteBatch& batch) {
    Record good = Award("SYS", "a1", "2022-03-05");
    Record bad = Award("SYS", "a2", "2022-03-05");
    bad.item = "";
    (void)batch.Append(good);
    Status refused = batch.Append(bad);
    EXPECT_FALSE(refused.ok());
    EXPECT_NE(refused.message().find("field \"item\": missing"), std::string::npos)
        << refused.message();
    return Status::Ok();
  });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(ledger->Snapshot().value()->HeadSequence(), 0u);
}

TEST(Ledger, ACallbackErrorWritesNothing) {
  tests::ScratchDir tmp;
  auto ledger = OpenOrDie(tmp.Path("l"));
  Status s = ledger->Write([](WriteBatch& batch) {
    Record r = Award("SYS", "a1", "2022-03-05");
    EXPECT_TRUE(batch.Append(r).ok());
    return Status::InvalidInput("line 7: unknown item");
  });
  EXPECT_EQ(s.message(), "line 7: unknown item");
  auto snap = std::move(ledger->Snapshot().value());
  EXPECT_EQ(snap->HeadSequence(), 0u);
  EXPECT_TRUE(snap->Villages().empty());
  EXPECT_FALSE(snap->FindKey("SYS", "a1"));
}

TEST(Ledger, RecordedTimeGoingBackwardsIsRefused) {
  tests::ScratchDir tmp;
  auto ledger = OpenOrDie(tmp.Path("l"));
  ASSERT_TRUE(
      AppendAll(*ledger, {Award("SYS", "a1", "2022-03-05", "x", "2022-03-06T10:00:00+08:00")})
          .ok());
  // The same instant in another offset is not earlier.
  ASSERT_TRUE(
      AppendAll(*ledger, {Award("SYS", "a2", "2022-03-05", "x", "2022-03-06T02:00:00Z")}).ok());
  Status s =
      AppendAll(*ledger, {Award("SYS", "a3", "2022-03-05", "x", "2022-03-06T09:59:59+08:00")});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("is before the latest record's"), std::string::npos) << s.message();
}

TEST(Ledger, TheWriteBatchSeesItsOwnAppendsAndASnapshotDoesNot) {
  tests::ScratchDir tmp;
  auto ledger = OpenOrDie(tmp.Path("l"));
  ASSERT_TRUE(AppendAll(*ledger, {Household("SYS", "H01")}).ok());
  auto before = std::move(ledger->Snapshot().value());
  Status s = ledger->Write([](WriteBatch& batch) {
    Record r = Award("SYS", "a1", "2022-03-05");
    if (Status s = batch.Append(r); !s.ok()) return s;
    EXPECT_EQ(r.sequence, 2u);
    EXPECT_EQ(batch.HeadSequence(), 2u);
    EXPECT_EQ(batch.FindKey("SYS", "a1"), 2u);
    EXPECT_EQ(batch.Get(2)->id, "a1");
    int events = 0;
    EXPECT_TRUE(batch
                    .ForEachEvent("SYS", Date::FromCivil(2022, 3, 1), Date::FromCivil(2022, 3, 31),
                                  2, [&](const Record&) { return ++events, true; })
                    .ok());
    EXPECT_EQ(events, 1);
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(before->HeadSequence(), 1u);
  EXPECT_FALSE(before->FindKey("SYS", "a1"));
  EXPECT_FALSE(before->Get(2).ok());
  EXPECT_EQ(ledger->Snapshot().value()->HeadSequence(), 2u);
}

TEST(Ledger, ForEachEventRunsInDateThenSequenceOrderWithinTheRange) {
  tests::ScratchDir tmp;
  auto ledger = OpenOrDie(tmp.Path("l"));
  Record redeem;
  redeem.type = RecordType::kRedeem;
  redeem.village = "SYS";
  redeem.id = "r1";
  redeem.household = "H01";
  redeem.reward = "R01";
  redeem.scorer = "S3";
  redeem.date = *Date::Parse("2022-03-05");
  redeem.recorded = At("2022-03-31T20:00:00+08:00");
  ASSERT_TRUE(AppendAll(*ledger,
                        {Household("SYS", "H01"), Award("SYS", "a1", "2022-03-20"),
                         Award("SYS", "a2", "2022-03-05"), Award("SYS", "a3", "2022-02-28"),
                         Award("DYC", "a4", "2022-03-10"), redeem, Award("SYS", "a5", "2022-04-01"),
                         Award("SYS", "a6", "2022-03-31"), Award("SYS", "a7", "1969-12-31")})
                  .ok());
  auto snap = std::move(ledger->Snapshot().value());
  std::vector<std::string> ids;
  auto collect = [&](const Record& r) {
    ids.push_back(r.id);
    return true;
  };
  ASSERT_TRUE(snap->ForEachEvent("SYS", Date::FromCivil(2022, 3, 1), Date::FromCivil(2022, 3, 31),
                                 UINT64_MAX, collect)
                  .ok());
  EXPECT_EQ(ids, (std::vector<std::string>{"a2", "r1", "a1", "a6"}));
  ids.clear();
  ASSERT_TRUE(snap->ForEachEvent("SYS", Date::FromCivil(2022, 3, 1), Date::FromCivil(2022, 3, 31),
                                 5, collect)
                  .ok());
  EXPECT_EQ(ids, (std::vector<std::string>{"a2", "a1"}));
  ids.clear();
  // Dates before 1970 sort before later ones (biased day numbers).
  ASSERT_TRUE(snap->ForEachEvent("SYS", Date::FromCivil(1900, 1, 1), Date::FromCivil(2022, 3, 4),
                                 UINT64_MAX, collect)
                  .ok());
  EXPECT_EQ(ids, (std::vector<std::string>{"a7", "a3"}));
  ids.clear();
  // Stopping early.
  ASSERT_TRUE(snap->ForEachEvent("SYS", Date::FromCivil(1900, 1, 1), Date::FromCivil(2100, 1, 1),
                                 UINT64_MAX,
                                 [&](const Record& r) { return collect(r) && ids.size() < 2; })
                  .ok());
  EXPECT_EQ(ids.size(), 2u);
}

// A batch holds its events index entries back and writes them sorted by key (in runs, before
// any read of the events index, and at commit). Whatever the runs, every entry is written once,
// reads inside the batch see all the batch's appends so far, and the ledger verifies.
TEST(Ledger, HeldEventEntriesAreWrittenInRunsAndReadsInTheBatchSeeThemAll) {
  for (size_t held_bytes : {size_t{1} << 10, size_t{32} << 20}) {
    SCOPED_TRACE("pending_event_bytes " + std::to_string(held_bytes));
    tests::ScratchDir tmp;
    LedgerOptions options;
    options.pending_event_bytes = held_bytes;
    auto ledger = std::move(Ledger::Open(tmp.Path("l"), true, options).value());
    const std::vector<std::string> villages = {"SYS", "DYC", "SY"};  // SY is a prefix of SYS
    // (date, sequence) of every event appended, by village.
    std::map<std::string, std::vector<std::pair<std::string, uint64_t>>> expected;
    auto date_of = [](int i) {  // days that go back and forth across two months
      char text[11];
      std::snprintf(text, sizeof text, "2022-%02d-%02d", 3 + (i * 7) % 2, 1 + (i * 13) % 28);
      return std::string(text);
    };
    auto count_in_batch = [](const WriteBatch& batch, const std::string& village) {
      size_t views = 0;
      EXPECT_TRUE(batch
                      .ForEachEventView(village, Date::FromCivil(2022, 1, 1),
                                        Date::FromCivil(2022, 12, 31), UINT64_MAX,
                                        [&](const EventView&) { return ++views, true; })
                      .ok());
      size_t counted = batch.CountEvents(village, Date::FromCivil(2022, 1, 1),
                                         Date::FromCivil(2022, 12, 31), UINT64_MAX);
      EXPECT_EQ(views, counted);
      return views;
    };
    Status s = ledger->Write([&](WriteBatch& batch) {
      expected.clear();
      for (int i = 0; i < 600; ++i) {
        const std::string& village = villages[(i * 5) % 3];
        std::string date = date_of(i);
        Record r = i % 50 == 49
                       ? Household(village, "H" + std::to_string(i), "2022-03-31T20:00:00+08:00")
                       : Award(village, "a" + std::to_string(i), date.c_str());
        if (Status s = batch.Append(r); !s.ok()) return s;
        if (r.type == RecordType::kAward) expected[village].emplace_back(date, r.sequence);
        if (i % 97 == 0) {
          for (const std::string& v : villages)
            EXPECT_EQ(count_in_batch(batch, v), expected[v].size()) << v;
        }
      }
      return Status::Ok();
    });
    ASSERT_TRUE(s.ok()) << s.message();
    auto snap = std::move(ledger->Snapshot().value());
    for (const std::string& village : villages) {
      auto want = expected[village];
      std::sort(want.begin(), want.end());
      std::vector<std::pair<std::string, uint64_t>> got;
      ASSERT_TRUE(snap->ForEachEventView(village, Date::FromCivil(2022, 1, 1),
                                         Date::FromCivil(2022, 12, 31), UINT64_MAX,
                                         [&](const EventView& v) {
                                           got.emplace_back(v.date.ToString(), v.sequence);
                                           return true;
                                         })
                      .ok());
      EXPECT_EQ(got, want) << village;
    }
    EXPECT_EQ(VerifiedRecords(*ledger), 600u);
  }
}

// Entries held back until commit may be what fills the map: the batch is run again in a larger
// map, and nothing is lost or written twice.
TEST(Ledger, AMapFilledByTheHeldEventEntriesGrowsAndTheBatchRunsAgain) {
  tests::ScratchDir tmp;
  LedgerOptions options;
  options.initial_map_bytes = 64 << 10;
  auto ledger = std::move(Ledger::Open(tmp.Path("l"), true, options).value());
  int runs = 0;
  Status s = ledger->Write([&](WriteBatch& batch) {
    ++runs;
    for (int i = 0; i < 3000; ++i) {
      Record r = Award(i % 2 ? "SYS" : "DYC", "a" + std::to_string(i),
                       i % 3 ? "2022-03-05" : "2022-02-01");
      if (Status s = batch.Append(r); !s.ok()) return s;
    }
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_GT(runs, 1);
  auto snap = std::move(ledger->Snapshot().value());
  EXPECT_EQ(snap->CountEvents("SYS", Date::FromCivil(2022, 1, 1), Date::FromCivil(2022, 12, 31),
                              UINT64_MAX),
            1500u);
  EXPECT_EQ(snap->CountEvents("DYC", Date::FromCivil(2022, 1, 1), Date::FromCivil(2022, 12, 31),
                              UINT64_MAX),
            1500u);
  EXPECT_EQ(VerifiedRecords(*ledger), 3000u);
}

// Kilobytes of `dir`/data.mdb this process has mapped and resident (/proc/self/smaps).
size_t MappedKilobytes(const std::string& dir) {
  std::ifstream smaps("/proc/self/smaps");
  std::string line, file = std::filesystem::canonical(dir).string() + "/data.mdb";
  bool ours = false;
  size_t kilobytes = 0;
  while (std::getline(smaps, line)) {
    if (!line.empty() && std::isxdigit(static_cast<unsigned char>(line[0])) &&
        line.find('-') != std::string::npos && line.find(' ') > line.find('-')) {
      ours = line.size() >= file.size() &&
             line.compare(line.size() - file.size(), file.size(), file) == 0;
    } else if (ours && line.rfind("Rss:", 0) == 0) {
      kilobytes += std::stoul(line.substr(4));
    }
  }
  return kilobytes;
}

// Long reads let go of the pages they have mapped (the resident set of `compare --year` and
// `verify` would otherwise grow to the size of the ledger file). What was read before stays
// readable, and a process that is writing keeps its pages.
TEST(Ledger, ReleasingMappedPagesUnmapsTheLedgerButNotWhileWriting) {
  tests::ScratchDir tmp;
  LedgerOptions options;
  options.mapped_bytes_kept = 0;  // the test binary's own pages are more than that
  const std::string dir = tmp.Path("l");
  auto ledger = std::move(Ledger::Open(dir, true, options).value());
  std::vector<Record> awards;
  for (int i = 0; i < 8000; ++i)
    awards.push_back(Award("SYS", "a" + std::to_string(i), "2022-03-05"));
  ASSERT_TRUE(AppendAll(*ledger, awards).ok());

  auto snap = std::move(ledger->Snapshot().value());
  std::string_view first_id;
  size_t events = 0;
  auto read_all = [&] {
    events = 0;
    return snap->ForEachEventView("SYS", Date::FromCivil(2022, 1, 1), Date::FromCivil(2022, 12, 31),
                                  UINT64_MAX, [&](const EventView& v) {
                                    if (events++ == 0) first_id = v.id;
                                    return true;
                                  });
  };
  ASSERT_TRUE(read_all().ok());
  EXPECT_EQ(events, 8000u);
  const std::string_view kept = first_id;  // a view into the map, from before the release
  EXPECT_GT(MappedKilobytes(dir), 256u);
  snap->ReleaseMappedPages();
  EXPECT_LT(MappedKilobytes(dir), 64u);
  EXPECT_EQ(kept, "a0");
  ASSERT_TRUE(read_all().ok());
  EXPECT_EQ(events, 8000u);

  Status s = ledger->Write([&](WriteBatch& batch) {
    Record r = Award("SYS", "b1", "2022-03-06");
    if (Status s = batch.Append(r); !s.ok()) return s;
    size_t before = MappedKilobytes(dir);
    EXPECT_GT(before, 256u);
    batch.ReleaseMappedPages();
    snap->ReleaseMappedPages();
    EXPECT_EQ(MappedKilobytes(dir), before);
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(VerifiedRecords(*ledger), 8001u);
}

TEST(Ledger, ForEachStructuralListsTheOtherRecordsInSequenceOrder) {
  tests::ScratchDir tmp;
  auto ledger = OpenOrDie(tmp.Path("l"));
  Record rules;
  rules.type = RecordType::kRules;
  rules.village = "SYS";
  rules.date = *Date::Parse("2022-01-01");
  rules.text = "village SYS \"双杨树村\" {\n  period month\n}\n";
  rules.sha256 = Sha256Hex(rules.text);
  rules.recorded = At("2021-12-31T09:00:00+08:00");
  Record revoke;
  revoke.type = RecordType::kRevoke;
  revoke.village = "SYS";
  revoke.target = "a1";
  revoke.scorer = "S2";
  revoke.reason = "重复登记";
  revoke.recorded = At("2022-04-01T09:00:00+08:00");
  ASSERT_TRUE(AppendAll(*ledger, {rules, Household("SYS", "H01"), Household("DYC", "H01"),
                                  Award("SYS", "a1", "2022-03-05"), revoke})
                  .ok());
  auto snap = std::move(ledger->Snapshot().value());
  std::vector<uint64_t> seqs;
  auto collect = [&](const Record& r) {
    seqs.push_back(r.sequence);
    return true;
  };
  ASSERT_TRUE(snap->ForEachStructural("SYS", UINT64_MAX, collect).ok());
  EXPECT_EQ(seqs, (std::vector<uint64_t>{1, 2, 5}));
  seqs.clear();
  ASSERT_TRUE(snap->ForEachStructural("SYS", 4, collect).ok());
  EXPECT_EQ(seqs, (std::vector<uint64_t>{1, 2}));
  seqs.clear();
  ASSERT_TRUE(snap->ForEachStructural("DY", UINT64_MAX, collect).ok());
  EXPECT_TRUE(seqs.empty());
  // Since a sequence: the village's own records from it on, not the other village's (3) nor
  // the award (4); the first sequence is inclusive, and 0 means from the start.
  ASSERT_TRUE(snap->ForEachStructuralSince("SYS", 2, UINT64_MAX, collect).ok());
  EXPECT_EQ(seqs, (std::vector<uint64_t>{2, 5}));
  seqs.clear();
  ASSERT_TRUE(snap->ForEachStructuralSince("SYS", 3, 4, collect).ok());
  EXPECT_TRUE(seqs.empty());
  ASSERT_TRUE(snap->ForEachStructuralSince("SYS", 0, 2, collect).ok());
  EXPECT_EQ(seqs, (std::vector<uint64_t>{1, 2}));
  seqs.clear();
  ASSERT_TRUE(snap->ForEachStructuralSince("DYC", 1, UINT64_MAX, collect).ok());
  EXPECT_EQ(seqs, (std::vector<uint64_t>{3}));
  seqs.clear();
  ASSERT_TRUE(snap->ForEachRecord(3, collect).ok());
  EXPECT_EQ(seqs, (std::vector<uint64_t>{3, 4, 5}));
  EXPECT_EQ(snap->Get(1)->text, rules.text);
}

TEST(Ledger, SequenceAsOfFindsTheLastRecordRecordedAtOrBefore) {
  tests::ScratchDir tmp;
  auto ledger = OpenOrDie(tmp.Path("l"));
  const char* times[] = {"2022-03-01T10:00:00+08:00", "2022-03-02T10:00:00+08:00",
                         "2022-03-02T10:00:00+08:00", "2022-03-05T10:00:00+08:00",
                         "2022-03-09T10:00:00+08:00"};
  std::vector<Record> records;
  for (int i = 0; i < 5; ++i)
    records.push_back(Award("SYS", "a" + std::to_string(i), "2022-03-01", "x", times[i]));
  ASSERT_TRUE(AppendAll(*ledger, records).ok());
  auto snap = std::move(ledger->Snapshot().value());
  EXPECT_EQ(snap->SequenceAsOf(At("2022-03-01T09:59:59+08:00")), 0u);
  EXPECT_EQ(snap->SequenceAsOf(At("2022-03-01T10:00:00+08:00")), 1u);
  EXPECT_EQ(snap->SequenceAsOf(At("2022-03-02T02:00:00Z")), 3u);
  EXPECT_EQ(snap->SequenceAsOf(At("2022-03-08T00:00:00+08:00")), 4u);
  EXPECT_EQ(snap->SequenceAsOf(At("2030-01-01T00:00:00Z")), 5u);
}

TEST(Ledger, VillagesAreListedAscending) {
  tests::ScratchDir tmp;
  auto ledger = OpenOrDie(tmp.Path("l"));
  ASSERT_TRUE(AppendAll(*ledger, {Household("SYS", "H1"), Household("DYC", "H1"),
                                  Household("SYS", "H2"), Household("A", "H1")})
                  .ok());
  EXPECT_EQ(ledger->Snapshot().value()->Villages(), (std::vector<std::string>{"A", "DYC", "SYS"}));
}

TEST(Ledger, InvalidRecordsAreRefusedBeforeWriting) {
  tests::ScratchDir tmp;
  auto ledger = OpenOrDie(tmp.Path("l"));
  Record control = Award("SYS", "a1", "2022-03-05");
  control.subject = "P01\n";
  Status s = AppendAll(*ledger, {control});
  EXPECT_NE(s.message().find("field \"subject\": control character"), std::string::npos)
      << s.message();
  Record unused = Household("SYS", "H01");
  unused.item = "C1";
  s = AppendAll(*ledger, {unused});
  EXPECT_NE(s.message().find("field \"item\": not used by household records"), std::string::npos)
      << s.message();
  Record bad_utf8 = Award("SYS", "a1", "2022-03-05", "\xe5\x8d");
  s = AppendAll(*ledger, {bad_utf8});
  EXPECT_NE(s.message().find("invalid UTF-8"), std::string::npos) << s.message();
  Record reserved = Award("SYS", "person:P1", "2022-03-05");
  s = AppendAll(*ledger, {reserved});
  EXPECT_NE(s.message().find("field \"id\": may not start with"), std::string::npos) << s.message();
  EXPECT_EQ(ledger->Snapshot().value()->HeadSequence(), 0u);
}

TEST(Ledger, TwoLedgersOfOneDirectoryInOneProcessShareTheEnvironment) {
  tests::ScratchDir tmp;
  auto a = OpenOrDie(tmp.Path("l"));
  auto b = OpenOrDie(tmp.Path("l"), false);
  ASSERT_TRUE(AppendAll(*a, {Household("SYS", "H01")}).ok());
  EXPECT_EQ(b->Snapshot().value()->HeadSequence(), 1u);
  a.reset();
  ASSERT_TRUE(AppendAll(*b, {Household("SYS", "H02")}).ok());
  EXPECT_EQ(b->Verify()->records, 2u);
}

TEST(Ledger, ASnapshotMayOutliveItsLedger) {
  tests::ScratchDir tmp;
  std::unique_ptr<Reader> snap;
  {
    auto ledger = OpenOrDie(tmp.Path("l"));
    ASSERT_TRUE(AppendAll(*ledger, {Household("SYS", "H01")}).ok());
    snap = std::move(ledger->Snapshot().value());
  }
  EXPECT_EQ(snap->Get(1)->code, "H01");
}

}  // namespace
}  // namespace jifen::ledger
