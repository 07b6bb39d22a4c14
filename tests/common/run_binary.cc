#include "tests/common/run_binary.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <thread>

namespace jifen::tests {

pid_t StartProgram(const std::vector<std::string>& argv, const std::string& out_path,
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
  std::vector<std::string> copy = argv;
  std::vector<char*> pointers;
  for (std::string& a : copy) pointers.push_back(a.data());
  pointers.push_back(nullptr);
  execv(pointers[0], pointers.data());
  _exit(121);
}

Outcome WaitProgram(pid_t pid, std::chrono::milliseconds limit, const std::string& out_path,
                    const std::string& err_path) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  Outcome outcome;
  outcome.limit = limit;
  for (;;) {
    pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      outcome.load = LoadAverage();
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

Outcome RunProgram(const std::vector<std::string>& argv, const ScratchDir& scratch,
                   std::chrono::milliseconds limit, const std::string& out_name) {
  std::string out = scratch.Path(out_name + ".out"), err = scratch.Path(out_name + ".err");
  return WaitProgram(StartProgram(argv, out, err), limit, out, err);
}

Outcome RunShell(const std::string& command, const ScratchDir& scratch,
                 std::chrono::milliseconds limit) {
  return RunProgram({"/bin/sh", "-c", command}, scratch, limit, "shell");
}

std::string Misbehaved(const Outcome& r) {
  if (r.rc == kTimedOut) {
    return "timed out: killed after " + std::to_string(r.limit.count()) + " ms" + r.load + "\n" +
           r.err;
  }
  if (r.rc == kSignalled) return "killed by signal " + std::to_string(r.signal) + "\n" + r.err;
  if (r.rc == 86 || r.rc == 87 || r.err.find("Sanitizer") != std::string::npos ||
      r.err.find("runtime error:") != std::string::npos) {
    return "sanitizer report:\n" + r.err;
  }
  return "";
}

std::string LoadAverage() {
  std::string load = ReadFile("/proc/loadavg");
  // The first three fields: the 1, 5 and 15-minute averages.
  size_t end = 0;
  for (int field = 0; field < 3 && end != std::string::npos; ++field) end = load.find(' ', end + 1);
  return " (load average: " + load.substr(0, end) + ")";
}

}  // namespace jifen::tests
