// jifen-export, the program `jifen export` runs in its place (cli/cmd_export.cc execs it, from
// beside the jifen binary). It speaks HTTP to ClickHouse through Debian's cpp-httplib, a shared
// library built against the shared libstdc++, OpenSSL, zlib and brotli; keeping it out of `jifen`
// keeps every other command's start-up free of them (docs/PERFORMANCE.md "Process start").
//   usage (by jifen only): jifen-export LEDGER_DIR URL DATABASE ORIGIN BATCH_ROWS FORMAT
#include <cstdlib>
#include <exception>
#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/progress.h"
#include "county/export.h"

namespace {

using jifen::county::ExportSummary;
using jifen::county::Json;

Json SummaryJson(const ExportSummary& s, const std::string& url, const std::string& database) {
  const auto& p = s.provenance;
  return {{"origin", p.origin},
          {"clickhouse", url},
          {"database", database},
          {"from_sequence", s.from_sequence},
          {"through_sequence", p.through_sequence},
          {"head", p.head},
          {"checkpoint", p.checkpoint.empty() ? Json() : Json(p.checkpoint)},
          {"records_sent", s.records_sent},
          {"villages", s.villages},
          {"figure_rows", s.figure_rows},
          {"village_period_rows", s.village_period_rows}};
}

void PrintSummary(const ExportSummary& s, const std::string& url, const std::string& database) {
  const auto& p = s.provenance;
  std::cout << "exported ledger " << p.origin << " to " << url << ", database " << database << '\n'
            << "  records " << s.from_sequence << ".." << p.through_sequence << ": "
            << s.records_sent << " sent\n"
            << "  figures of " << s.villages.size() << " villages: " << s.figure_rows
            << " household-period rows, " << s.village_period_rows << " village-period rows\n"
            << "  head " << p.through_sequence << " " << p.head << '\n';
}

int Run(char** argv) {
  jifen::county::ExportOptions options;
  std::string ledger_dir = argv[1], format = argv[6];
  options.url = argv[2];
  options.database = argv[3];
  options.origin = argv[4];
  options.ledger_dir = ledger_dir;
  options.batch_rows = std::strtoull(argv[5], nullptr, 10);
  options.now = jifen::Timestamp::Now();
  std::unique_ptr<jifen::cli::Progress> bar;
  std::string phase;
  options.progress = [&](const char* now, uint64_t done, uint64_t total) {
    if (phase != now) {
      if (bar) bar->Done();
      phase = now;
      bar = std::make_unique<jifen::cli::Progress>(phase, total);
    }
    bar->Update(done);
  };
  auto ledger = jifen::ledger::Ledger::Open(ledger_dir, false);
  if (!ledger.ok()) return jifen::cli::Fail(ledger.status());
  auto reader = (*ledger)->Snapshot();
  if (!reader.ok()) return jifen::cli::Fail(reader.status());
  auto summary = jifen::county::Export(**reader, options);
  if (bar) bar->Done();
  bar.reset();
  if (!summary.ok()) return jifen::cli::Fail(summary.status());
  if (format == "json")
    std::cout << SummaryJson(*summary, options.url, options.database).dump() << '\n';
  else
    PrintSummary(*summary, options.url, options.database);
  std::cout << std::flush;
  return std::cout ? 0 : jifen::cli::Fail(jifen::Status::IOError("export: cannot write output"));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 7) {
    std::cerr << "jifen-export: run it as `jifen export` (see jifen export --help)\n";
    return 2;
  }
  try {
    return Run(argv);
  } catch (const std::exception& e) {
    std::cerr << "jifen: export: " << e.what() << '\n';
    return 1;
  }
}
