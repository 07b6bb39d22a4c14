// jifen: the command line (SPEC.md §5). Sets up the process, parses the arguments with CLI11
// (each subcommand's in subcommands.cc) and checks that what was printed reached stdout; every
// exit code means one thing (commands.h).
#include <unistd.h>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "cli/clerk_input.h"
#include "cli/heap.h"
#include "cli/subcommands.h"

namespace {

// Exit code 1 and a message when what a command printed did not all reach standard output (a full
// disk, a closed file): `jifen log > backup.jsonl` on a full disk must not end as a success with
// half a backup.
int CheckStandardOutput(int rc) {
  errno = 0;
  std::cout.flush();
  bool failed = !std::cout.good();
  failed = std::fflush(stdout) != 0 || failed;
  failed = std::ferror(stdout) != 0 || failed;
  if (!failed) return rc;
  int error = errno;
  std::fprintf(stderr,
               "jifen: writing standard output failed%s%s; what was printed is incomplete\n",
               error != 0 ? ": " : "", error != 0 ? std::strerror(error) : "");
  return rc != 0 ? rc : 1;
}

// Exit code 2 and what went wrong in the clerk's language (--lang, JIFEN_LANG, the ledger's
// rules); CLI11's own English words otherwise. `jifen` without a command lists the everyday ones.
// --help and --help-all are not errors: exit code 0.
int UsageError(const CLI::App& app, const CLI::ParseError& e, int argc, char** argv) {
  if (e.get_exit_code() == 0) return app.exit(e);
  if (e.get_name() == "RequiredError" && app.get_subcommands().empty()) {
    std::cerr << jifen::cli::EverydayCommands();
    return 2;
  }
  if (jifen::cli::ClerkReadsChinese(argc, argv)) {
    std::cerr << jifen::cli::UsageErrorInChinese(e);
    return 2;
  }
  app.exit(e);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  jifen::cli::SetUpHeap();
  // Output to a file or a pipe in 64 KiB blocks: fewer writes, and a write that fails (a full
  // disk) fails in CheckStandardOutput's flush, where its errno is still there to report, for any
  // output up to that size (--help included).
  static char stdout_buffer[1 << 16];
  if (!isatty(STDOUT_FILENO)) std::setvbuf(stdout, stdout_buffer, _IOFBF, sizeof stdout_buffer);
  CLI::App app{"jifen 积分 — points schemes (积分制) for villages: rules, ledger, replay, audit"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "every subcommand's help");
  jifen::cli::Globals g;
  g.lang = jifen::cli::LanguageFromEnvironment();  // --lang, when given, overrides it
  jifen::cli::AddGlobals(app, g);
  // Log lines go to stderr ("jifen: ..."), never into the figures on stdout.
  auto logger = spdlog::stderr_logger_st("jifen");
  logger->set_pattern("jifen: %v");
  spdlog::set_default_logger(logger);
  app.parse_complete_callback(
      [&] { spdlog::set_level(g.verbose ? spdlog::level::debug : spdlog::level::info); });
  int rc = 0;
  jifen::cli::AddSubcommands(app, g, rc);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return CheckStandardOutput(UsageError(app, e, argc, argv));
  }
  return CheckStandardOutput(rc);
}
