// Helpers for the ledger tests: temporary directories and record builders.
#pragma once

#include <gtest/gtest.h>
#include <lmdb.h>
#include <stdlib.h>

#include <filesystem>
#include <functional>
#include <string>

#include "ledger/ledger.h"
#include "ledger/record.h"
#include "tests/common/files.h"

namespace jifen::ledger::testing {

// A fresh directory under the system temp dir, removed with everything in it at scope exit.
inline Timestamp At(const char* text) { return *Timestamp::Parse(text); }

inline Record Household(const std::string& village, const std::string& code,
                        const char* recorded = "2022-01-01T08:00:00+08:00") {
  Record r;
  r.type = RecordType::kHousehold;
  r.village = village;
  r.code = code;
  r.name = code + "家";
  r.date = *Date::Parse("2022-01-01");
  r.shares = 1;
  r.recorded = At(recorded);
  return r;
}

inline Record Award(const std::string& village, const std::string& id, const char* date,
                    const std::string& reason = "升旗仪式",
                    const char* recorded = "2022-03-31T20:00:00+08:00") {
  Record r;
  r.type = RecordType::kAward;
  r.village = village;
  r.id = id;
  r.date = *Date::Parse(date);
  r.subject = "P0101";
  r.item = "C1.01";
  r.scorer = "S1";
  r.place = "村委会广场";
  r.reason = reason;
  r.evidence = {"photo:0305-01.jpg"};
  r.recorded = At(recorded);
  return r;
}

inline std::unique_ptr<Ledger> OpenOrDie(const std::string& dir, bool create = true) {
  auto ledger = Ledger::Open(dir, create);
  EXPECT_TRUE(ledger.ok()) << ledger.status().message();
  return ledger.ok() ? std::move(ledger.value()) : nullptr;
}

// Runs Verify and expects it to pass; returns how many records it checked (0 when it did not pass).
inline uint64_t VerifiedRecords(Ledger& ledger) {
  auto report = ledger.Verify();
  EXPECT_TRUE(report.ok()) << (report.ok() ? std::string() : report.status().message());
  if (!report.ok()) return 0;
  EXPECT_FALSE(report->first_bad) << report->reason;
  return report->first_bad ? 0 : report->records;
}

// Appends `records` in one Write; returns its status.
inline Status AppendAll(Ledger& ledger, std::vector<Record> records) {
  return ledger.Write([&](WriteBatch& batch) {
    for (Record r : records) {
      if (Status s = batch.Append(r); !s.ok()) return s;
    }
    return Status::Ok();
  });
}

// Runs `fn` in a raw LMDB write transaction on the ledger in `dir` and commits, as someone
// holding the file could: tests use it to damage or forge what the ledger wrote.
inline void WithRawWriteTxn(const std::string& dir, const std::function<void(MDB_txn*)>& fn) {
  MDB_env* env;
  ASSERT_EQ(mdb_env_create(&env), 0);
  ASSERT_EQ(mdb_env_set_maxdbs(env, 8), 0);
  ASSERT_EQ(mdb_env_open(env, dir.c_str(), 0, 0644), 0);
  MDB_txn* txn;
  ASSERT_EQ(mdb_txn_begin(env, nullptr, 0, &txn), 0);
  fn(txn);
  ASSERT_EQ(mdb_txn_commit(txn), 0);
  mdb_env_close(env);
}

}  // namespace jifen::ledger::testing
