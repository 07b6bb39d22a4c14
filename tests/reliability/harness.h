// Running the real `jifen` binary from reliability tests, through tests/common/run_binary.h: with
// a time limit, output captured to files, and sanitizer reports told apart from exit codes.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "tests/common/files.h"
#include "tests/common/run_binary.h"

namespace jifen::reliability {

using tests::kSignalled;
using tests::kTimedOut;
using tests::Misbehaved;
using tests::Outcome;
using tests::ReadFile;
using tests::ScratchDir;
using tests::WriteFile;

// Starts `jifen ARGS...` (see StartProgram); returns its pid.
inline pid_t StartJifen(const std::vector<std::string>& args, const std::string& out_path,
                        const std::string& err_path) {
  std::vector<std::string> argv = {JIFEN_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return tests::StartProgram(argv, out_path, err_path);
}

// Waits for `pid`; kills it (and says kTimedOut) after `limit`.
inline Outcome WaitJifen(pid_t pid, std::chrono::milliseconds limit, const std::string& out_path,
                         const std::string& err_path) {
  return tests::WaitProgram(pid, limit, out_path, err_path);
}

// Runs `jifen --ledger LEDGER ARGS...` to the end or the time limit (generous: sanitizer builds
// are slow). Output files live in `scratch`.
inline Outcome Jifen(const ScratchDir& scratch, const std::string& ledger,
                     std::vector<std::string> args,
                     std::chrono::seconds limit = std::chrono::seconds(120)) {
  args.insert(args.begin(), {JIFEN_BINARY, "--ledger", ledger});
  return tests::RunProgram(args, scratch, limit, "jifen");
}

// The sample village (tests/rules/good_sample.rules, village SYS, monthly) with households H01,
// H02, persons P1, P2 and scorer S1, all recorded on 2022-01-01.
inline void SetUpSampleVillage(const ScratchDir& scratch, const std::string& ledger) {
  Outcome r =
      Jifen(scratch, ledger,
            {"rules", "adopt", std::string(JIFEN_SOURCE_DIR) + "/tests/rules/good_sample.rules",
             "--effective", "2022-01-01", "--recorded", "2021-12-31T09:00:00+08:00"});
  ASSERT_EQ(r.rc, 0) << r.err;
  std::string text;
  for (const char* h : {"H01", "H02"}) {
    text +=
        std::string(R"({"type":"household","village":"SYS","household":")") + h +
        R"(","name":"张家","since":"2022-01-01","shares":1,"recorded":"2022-01-01T08:00:00+08:00"})"
        "\n";
  }
  text +=
      R"({"type":"person","village":"SYS","person":"P1","name":"张三","household":"H01","since":"2022-01-01","recorded":"2022-01-01T08:00:00+08:00"})"
      "\n";
  text +=
      R"({"type":"person","village":"SYS","person":"P2","name":"李四","household":"H02","since":"2022-01-01","recorded":"2022-01-01T08:00:00+08:00"})"
      "\n";
  text +=
      R"({"type":"scorer","village":"SYS","scorer":"S1","name":"王五","role":"网格员","recorded":"2022-01-01T08:00:00+08:00"})"
      "\n";
  r = Jifen(scratch, ledger, {"import", scratch.Write("registrations.jsonl", text)});
  ASSERT_EQ(r.rc, 0) << r.err;
}

// One award line of the sample village.
inline std::string AwardLine(const std::string& id, const std::string& date,
                             const std::string& subject, const std::string& reason,
                             const std::string& recorded) {
  return R"({"type":"award","id":")" + id + R"(","village":"SYS","date":")" + date +
         R"(","subject":")" + subject + R"(","item":"C1.01","scorer":"S1","reason":")" + reason +
         R"(","recorded":")" + recorded + "\"}\n";
}

inline size_t CountOf(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1))
    ++n;
  return n;
}

}  // namespace jifen::reliability
