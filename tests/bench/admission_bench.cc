// One award per import, as the web records them: CPU time of each engine::ImportRecords call in
// one process. The first import of a village loads its structure; later ones start from the
// structure the previous import left (engine/admission.cc StructureCache).
// Run: jifen_bench_admission LEDGER_COPY N 'JSON LINE WITH {n}'   (the ledger is written to)
// e.g. '{"type":"award","village":"XHL","id":"bench-{n}","date":"2022-12-30","subject":"H001",
//        "item":"A01","scorer":"S01","place":"x","reason":"x"}'
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "engine/admission.h"
#include "ledger/ledger.h"
#include "formats/record_json.h"

namespace {

double CpuNow() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + t.tv_nsec * 1e-9;
}

std::string LineFor(std::string line, int n) {
  for (size_t at; (at = line.find("{n}")) != std::string::npos;) {
    line.replace(at, 3, std::to_string(n));
  }
  return line;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: jifen_bench_admission LEDGER_COPY N 'JSON LINE WITH {n}'\n");
    return 2;
  }
  auto ledger = jifen::ledger::Ledger::Open(argv[1], false);
  if (!ledger.ok()) {
    std::fprintf(stderr, "%s\n", ledger.status().message().c_str());
    return 1;
  }
  int n = std::atoi(argv[2]);
  std::vector<double> cpu;
  for (int i = 1; i <= n; ++i) {
    auto record = jifen::formats::RecordFromJson(LineFor(argv[3], i));
    if (!record.ok()) {
      std::fprintf(stderr, "%s\n", record.status().message().c_str());
      return 1;
    }
    std::vector<jifen::engine::ImportLine> lines{{"bench", 1, std::move(*record)}};
    double t0 = CpuNow();
    auto report = jifen::engine::ImportRecords(**ledger, lines, jifen::Timestamp::Now());
    cpu.push_back(CpuNow() - t0);
    if (!report.ok() || !report->errors.empty()) {
      std::fprintf(stderr, "import %d refused: %s\n", i,
                   report.ok() ? report->errors[0].c_str() : report.status().message().c_str());
      return 1;
    }
  }
  std::vector<double> rest(cpu.begin() + 1, cpu.end());
  std::sort(rest.begin(), rest.end());
  std::printf(
      "first import %.2f ms CPU; the next %zu: median %.2f ms, fastest %.2f, slowest %.2f\n",
      cpu[0] * 1e3, rest.size(), rest.empty() ? 0 : rest[rest.size() / 2] * 1e3,
      rest.empty() ? 0 : rest.front() * 1e3, rest.empty() ? 0 : rest.back() * 1e3);
  return 0;
}
