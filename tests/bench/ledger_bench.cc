// Ledger throughput: JSON Lines parse + append of a million awards in one Write, Verify, and
// reading one village's month of events. Run: jifen_bench_ledger [records] (default 1,000,000).
#include <stdlib.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "formats/record_json.h"
#include "ledger/sha256.h"

namespace {

using jifen::Date;
using jifen::Status;
using namespace jifen::ledger;

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// CPU seconds of this process: on a shared machine wall time also counts other processes' turns.
double CpuNow() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + t.tv_nsec * 1e-9;
}
double cpu_mark = 0;
void MarkCpu() { cpu_mark = CpuNow(); }

void Report(const char* what, size_t count, double seconds) {
  double cpu = CpuNow() - cpu_mark;
  std::printf("%-44s %9zu records %7.3f s wall %10.0f/s | %7.3f s cpu %10.0f/s\n", what, count,
              seconds, count / seconds, cpu, count / cpu);
}

const char* kVillages[] = {"SYS", "XHL", "DXZ", "YJY"};
constexpr int kHouseholds = 200;

// Registrations first (households, one person each, a scorer), then awards spread over the
// villages and the twelve months of 2022, recorded in order.
std::vector<std::string> Lines(size_t awards) {
  std::vector<std::string> lines;
  char buf[512];
  for (const char* v : kVillages) {
    std::snprintf(
        buf, sizeof buf,
        R"({"type":"scorer","village":"%s","scorer":"S1","name":"李四","role":"网格员","recorded":"2022-01-01T08:00:00+08:00"})",
        v);
    lines.emplace_back(buf);
    for (int h = 0; h < kHouseholds; ++h) {
      std::snprintf(
          buf, sizeof buf,
          R"({"type":"household","village":"%s","household":"H%03d","name":"张家%d","since":"2022-01-01","shares":2,"recorded":"2022-01-01T08:00:00+08:00"})",
          v, h, h);
      lines.emplace_back(buf);
      std::snprintf(
          buf, sizeof buf,
          R"({"type":"person","village":"%s","person":"P%03d01","name":"张建国","household":"H%03d","since":"2022-01-01","resident":"villager","recorded":"2022-01-01T08:00:00+08:00"})",
          v, h, h);
      lines.emplace_back(buf);
    }
  }
  for (size_t i = 0; i < awards; ++i) {
    size_t day = i * 365 / awards;  // non-decreasing, so recorded times are too
    Date date = Date::FromCivil(2022, 1, 1).AddDays(static_cast<int32_t>(day));
    std::string d = date.ToString();
    std::snprintf(
        buf, sizeof buf,
        R"({"type":"award","id":"A%08zu","village":"%s","date":"%s","subject":"P%03zu01","item":"C1.01","qty":1,"scorer":"S1","place":"村委会广场","reason":"参加升国旗仪式","evidence":["photo:%zu.jpg"],"recorded":"%sT20:00:00+08:00"})",
        i, kVillages[i % 4], d.c_str(), (i / 4) % kHouseholds, i, d.c_str());
    lines.emplace_back(buf);
  }
  return lines;
}

int Run(size_t awards) {
  std::string pattern = (std::filesystem::temp_directory_path() / "jifen-bench-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) return 1;
  const std::string dir = pattern + "/ledger";
  std::vector<std::string> lines = Lines(awards);
  size_t bytes = 0;
  for (const auto& l : lines) bytes += l.size() + 1;
  std::printf("%zu lines, %.1f MiB of JSON Lines\n", lines.size(), bytes / 1048576.0);

  // Parsing alone, into one reused Record.
  auto start = std::chrono::steady_clock::now();
  MarkCpu();
  size_t checksum = 0;
  for (const auto& line : lines) {
    auto r = RecordFromJson(line);
    if (!r.ok()) return std::fprintf(stderr, "parse: %s\n", r.status().message().c_str()), 1;
    checksum += r->qty.hundredths();
  }
  double parse = Seconds(start);
  Report("parse (RecordFromJson) alone", checksum, parse);

  // The import: every line parsed and appended inside one Write, committed once.
  auto ledger = Ledger::Open(dir, true);
  if (!ledger.ok()) return std::fprintf(stderr, "%s\n", ledger.status().message().c_str()), 1;
  start = std::chrono::steady_clock::now();
  MarkCpu();
  double appended = 0;
  Status s = (*ledger)->Write([&](WriteBatch& batch) {
    for (const auto& line : lines) {
      auto r = RecordFromJson(line);
      if (!r.ok()) return r.status();
      if (Status s = batch.Append(r.value()); !s.ok()) return s;
    }
    appended = Seconds(start);
    return Status::Ok();
  });
  double import = Seconds(start);
  if (!s.ok()) return std::fprintf(stderr, "write: %s\n", s.message().c_str()), 1;
  Report("import: parse + append in one Write + commit", lines.size(), import);
  std::printf("  of which append (wall, minus parse alone): %.3f s\n", appended - parse);
  std::printf("  of which commit (writing and syncing data.mdb): %.3f s\n", import - appended);
  std::printf("data.mdb: %.1f MiB\n", std::filesystem::file_size(dir + "/data.mdb") / 1048576.0);

  start = std::chrono::steady_clock::now();
  MarkCpu();
  auto report = (*ledger)->Verify();
  double verify = Seconds(start);
  if (!report.ok() || report->first_bad) return std::fprintf(stderr, "verify failed\n"), 1;
  Report("Verify", report->records, verify);

  auto snap = std::move((*ledger)->Snapshot().value());
  size_t seen = 0;
  start = std::chrono::steady_clock::now();
  MarkCpu();
  s = snap->ForEachEvent("SYS", Date::FromCivil(2022, 3, 1), Date::FromCivil(2022, 3, 31),
                         UINT64_MAX, [&](const Record&) { return ++seen, true; });
  double month = Seconds(start);
  if (!s.ok()) return std::fprintf(stderr, "%s\n", s.message().c_str()), 1;
  Report("ForEachEvent SYS 2022-03 (validated reads)", seen, month);

  seen = 0;
  start = std::chrono::steady_clock::now();
  MarkCpu();
  s = snap->ForEachRecord(1, [&](const Record&) { return ++seen, true; });
  Report("ForEachRecord all (validated reads)", seen, Seconds(start));

  // What the hash check costs per record: SHA-256 over a typical record's bytes.
  Hash h{};
  std::string sample(200, 'x');
  start = std::chrono::steady_clock::now();
  MarkCpu();
  for (size_t i = 0; i < lines.size(); ++i) h = ChainHash(h, sample);
  Report("SHA-256 chain step over 200 bytes", lines.size(), Seconds(start));

  snap.reset();
  ledger->reset();
  std::filesystem::remove_all(pattern);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  size_t awards = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
  return Run(awards);
}
