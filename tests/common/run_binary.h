// Running a program from a test (the real `jifen` binary, a shell command, Chromium): stdin from
// /dev/null, stdout and stderr captured in files, a time limit (a hang is a failure, not a stuck
// CI), and sanitizer reports told apart from exit codes (AddressSanitizer exits 1 by default,
// which is also jifen's "invalid input").
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "tests/common/files.h"

namespace jifen::tests {

inline constexpr int kTimedOut = -2;   // Outcome::rc when the time limit killed it
inline constexpr int kSignalled = -1;  // Outcome::rc when a signal ended it (signal in `signal`)

// Generous: sanitizer builds are slow, and Chromium takes its time.
inline constexpr std::chrono::seconds kRunLimit{600};

struct Outcome {
  int rc = kSignalled;
  int signal = 0;
  std::string out, err;
  std::chrono::milliseconds limit{0};  // the time limit it ran under
  std::string load;                    // LoadAverage() when the limit killed it
};

// Starts `argv[0]` (a path, not looked up in PATH) with `argv`, stdout and stderr going to the
// files `out_path` and `err_path`; returns its pid, to be waited for with WaitProgram. In the
// child, sanitizer reports exit with codes no jifen exit code uses (86 ASan, 87 UBSan).
pid_t StartProgram(const std::vector<std::string>& argv, const std::string& out_path,
                   const std::string& err_path);

// Waits for `pid`; kills it (and says kTimedOut) after `limit`. Reads what it wrote to the files.
Outcome WaitProgram(pid_t pid, std::chrono::milliseconds limit, const std::string& out_path,
                    const std::string& err_path);

// StartProgram then WaitProgram, with the output files OUT_NAME.out and OUT_NAME.err in `scratch`.
Outcome RunProgram(const std::vector<std::string>& argv, const ScratchDir& scratch,
                   std::chrono::milliseconds limit = kRunLimit,
                   const std::string& out_name = "run");

// Runs `command` with /bin/sh (shell words, already quoted where needed) like RunProgram.
Outcome RunShell(const std::string& command, const ScratchDir& scratch,
                 std::chrono::milliseconds limit = kRunLimit);

// The failure to report when a run crashed, hung or tripped a sanitizer, empty when it did not.
// A time limit is named with the load average when it struck: on a shared machine a run can be
// slow because of others' work, which the message then shows.
std::string Misbehaved(const Outcome& r);

// " (load average: 1-MINUTE 5-MINUTE 15-MINUTE)" from /proc/loadavg, for messages of failures that
// a loaded machine can cause.
std::string LoadAverage();

// A test with a scratch directory of its own (/tmp/PREFIX-XXXXXX) that runs shell commands with
// their output captured there.
class ScratchTest : public ::testing::Test {
 protected:
  explicit ScratchTest(const std::string& prefix) : scratch_(prefix) {}

  std::string Path(const std::string& name) const { return scratch_.Path(name); }
  std::string Write(const std::string& name, const std::string& text) const {
    return scratch_.Write(name, text);
  }
  static std::string Read(const std::string& path) { return ReadFile(path); }
  Outcome Shell(const std::string& command) const { return RunShell(command, scratch_); }

  ScratchDir scratch_;
};

}  // namespace jifen::tests
