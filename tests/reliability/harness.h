// Running the real `jifen` binary from reliability tests: with a time limit (a hang is a failure,
// not a stuck CI), output captured to files, and sanitizer reports told apart from exit codes
// (AddressSanitizer exits 1 by default, which is also "invalid input").
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace jifen::reliability {

inline constexpr int kTimedOut = -2;  // Outcome::rc when the time limit killed it
inline constexpr int kSignalled = -1;  // Outcome::rc when a signal ended it (signal in `signal`)

struct Outcome {
  int rc = kSignalled;
  int signal = 0;
  std::string out, err;
};

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

inline void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// A scratch directory removed at the end of the test.
class ScratchDir {
 public:
  ScratchDir() {
    char pattern[] = "/tmp/jifen-rel-XXXXXX";
    dir_ = mkdtemp(pattern);
  }
  ~ScratchDir() { std::filesystem::remove_all(dir_); }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  std::string Write(const std::string& name, const std::string& bytes) const {
    WriteFile(Path(name), bytes);
    return Path(name);
  }

 private:
  std::string dir_;
};

// Starts `jifen ARGS...` with stdout/stderr going to files and stdin from /dev/null; returns its
// pid. Sanitizer reports exit with codes no jifen exit code uses.
inline pid_t StartJifen(const std::vector<std::string>& args, const std::string& out_path,
                        const std::string& err_path) {
  // The child must not write out what the parent has buffered.
  std::fflush(stdout);
  std::fflush(stderr);
  pid_t pid = fork();
  if (pid != 0) return pid;
  std::string asan = "exitcode=86:abort_on_error=0:detect_leaks=1";
  if (const char* given = std::getenv("ASAN_OPTIONS")) asan = std::string(given) + ":" + asan;
  setenv("ASAN_OPTIONS", asan.c_str(), 1);
  setenv("UBSAN_OPTIONS", "halt_on_error=1:exitcode=87:print_stacktrace=1", 1);
  FILE* in = freopen("/dev/null", "r", stdin);
  FILE* out = freopen(out_path.c_str(), "w", stdout);
  FILE* err = freopen(err_path.c_str(), "w", stderr);
  if (in == nullptr || out == nullptr || err == nullptr) _exit(120);
  std::vector<char*> argv;
  std::string binary = JIFEN_BINARY;
  argv.push_back(binary.data());
  std::vector<std::string> copy = args;
  for (std::string& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  execv(binary.c_str(), argv.data());
  _exit(121);
}

// Waits for `pid`; kills it (and says kTimedOut) after `limit`.
inline Outcome WaitJifen(pid_t pid, std::chrono::milliseconds limit, const std::string& out_path,
                         const std::string& err_path) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  Outcome outcome;
  for (;;) {
    pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      outcome.rc = kTimedOut;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  if (outcome.rc != kTimedOut) {
    if (WIFEXITED(status)) outcome.rc = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) outcome.signal = WTERMSIG(status);
  }
  outcome.out = ReadFile(out_path);
  outcome.err = ReadFile(err_path);
  return outcome;
}

// Runs `jifen --ledger LEDGER ARGS...` to the end or the time limit (generous: sanitizer builds
// are slow). Output files live in `scratch`.
inline Outcome Jifen(const ScratchDir& scratch, const std::string& ledger,
                     std::vector<std::string> args, std::chrono::seconds limit = std::chrono::seconds(120)) {
  args.insert(args.begin(), {"--ledger", ledger});
  std::string out = scratch.Path("jifen.out"), err = scratch.Path("jifen.err");
  return WaitJifen(StartJifen(args, out, err), limit, out, err);
}

// The failure to report when a run crashed, hung or tripped a sanitizer, empty when it did not.
inline std::string Misbehaved(const Outcome& r) {
  if (r.rc == kTimedOut) return "timed out";
  if (r.rc == kSignalled) return "killed by signal " + std::to_string(r.signal) + "\n" + r.err;
  if (r.rc == 86 || r.rc == 87 || r.err.find("Sanitizer") != std::string::npos ||
      r.err.find("runtime error:") != std::string::npos) {
    return "sanitizer report:\n" + r.err;
  }
  return "";
}

// The sample village (tests/rules/good_sample.rules, village SYS, monthly) with households H01,
// H02, persons P1, P2 and scorer S1, all recorded on 2022-01-01.
inline void SetUpSampleVillage(const ScratchDir& scratch, const std::string& ledger) {
  Outcome r = Jifen(scratch, ledger,
                    {"rules", "adopt", std::string(JIFEN_SOURCE_DIR) + "/tests/rules/good_sample.rules",
                     "--effective", "2022-01-01", "--recorded", "2021-12-31T09:00:00+08:00"});
  ASSERT_EQ(r.rc, 0) << r.err;
  std::string text;
  for (const char* h : {"H01", "H02"}) {
    text += std::string(R"({"type":"household","village":"SYS","household":")") + h +
            R"(","name":"张家","since":"2022-01-01","shares":1,"recorded":"2022-01-01T08:00:00+08:00"})"
            "\n";
  }
  text += R"({"type":"person","village":"SYS","person":"P1","name":"张三","household":"H01","since":"2022-01-01","recorded":"2022-01-01T08:00:00+08:00"})"
          "\n";
  text += R"({"type":"person","village":"SYS","person":"P2","name":"李四","household":"H02","since":"2022-01-01","recorded":"2022-01-01T08:00:00+08:00"})"
          "\n";
  text += R"({"type":"scorer","village":"SYS","scorer":"S1","name":"王五","role":"网格员","recorded":"2022-01-01T08:00:00+08:00"})"
          "\n";
  r = Jifen(scratch, ledger, {"import", scratch.Write("registrations.jsonl", text)});
  ASSERT_EQ(r.rc, 0) << r.err;
}

// One award line of the sample village.
inline std::string AwardLine(const std::string& id, const std::string& date, const std::string& subject,
                             const std::string& reason, const std::string& recorded) {
  return R"({"type":"award","id":")" + id + R"(","village":"SYS","date":")" + date +
         R"(","subject":")" + subject + R"(","item":"C1.01","scorer":"S1","reason":")" + reason +
         R"(","recorded":")" + recorded + "\"}\n";
}

inline size_t CountOf(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace jifen::reliability
