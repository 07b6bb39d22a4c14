// import, verify, log.
#include <fstream>
#include <optional>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/progress.h"
#include "engine/admission.h"
#include "ledger/csv.h"
#include "ledger/record_json.h"

namespace jifen::cli {
namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Reads one input file into import lines, or lists its bad lines in `errors`.
Status ReadRecords(const std::string& file, std::vector<engine::ImportLine>& lines, std::vector<std::string>& errors) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status::InvalidInput(file + ": cannot read");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string bytes = buffer.str();
  if (EndsWith(file, ".csv") || EndsWith(file, ".CSV")) {
    auto rows = ledger::ReadCsvRecords(bytes, file);
    if (!rows.ok()) return rows.status();
    for (auto& row : *rows) {
      if (!row.record.ok()) {
        errors.push_back(file + ":" + std::to_string(row.line) + ": " + row.record.status().message());
      } else {
        lines.push_back({file, row.line, std::move(row.record.value())});
      }
    }
    return Status::Ok();
  }
  std::istringstream stream(bytes);
  std::string line;
  int number = 0;
  while (std::getline(stream, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    auto record = ledger::RecordFromJson(line);
    if (!record.ok()) {
      errors.push_back(file + ":" + std::to_string(number) + ": " + record.status().message());
    } else {
      lines.push_back({file, number, std::move(*record)});
    }
  }
  return Status::Ok();
}

}  // namespace

int RunImport(const Globals& g, const std::vector<std::string>& files) {
  std::vector<engine::ImportLine> lines;
  std::vector<std::string> errors;
  for (const std::string& file : files) {
    Status s = ReadRecords(file, lines, errors);
    if (!s.ok()) return Fail(s);
  }
  if (!errors.empty()) {
    for (const auto& e : errors) std::cerr << e << '\n';
    std::cerr << "jifen: import refused: " << errors.size() << " bad line(s); nothing written\n";
    return 1;
  }
  auto ledger = ledger::Ledger::Open(g.ledger_dir, true);
  if (!ledger.ok()) return Fail(ledger.status());
  Progress progress("import", lines.size());
  auto report = engine::ImportRecords(**ledger, lines, Timestamp::Now(),
                                      [&](size_t checked) { progress.Update(checked); });
  if (!report.ok()) return Fail(report.status());
  if (report->errors.empty()) progress.Done();
  if (!report->errors.empty()) {
    for (const auto& e : report->errors) std::cerr << e << '\n';
    std::cerr << "jifen: import refused: " << report->errors.size() << " bad line(s); nothing written\n";
    return 1;
  }
  std::cout << "imported " << report->appended << " record(s)";
  if (report->skipped) std::cout << ", skipped " << report->skipped << " already in the ledger";
  std::cout << "; ledger head is sequence " << report->head_sequence << '\n';
  return 0;
}

int RunVerify(const Globals& g) {
  auto ledger = ledger::Ledger::Open(g.ledger_dir, false);
  if (!ledger.ok()) return Fail(ledger.status());
  std::optional<Progress> bar;
  auto report = (*ledger)->Verify([&](uint64_t checked, uint64_t total) {
    if (!bar) bar.emplace("verify", total);
    bar->Update(checked);
  });
  if (bar && report.ok() && !report->first_bad) bar->Done();
  bar.reset();  // finish the bar's line before the verdict
  if (!report.ok()) return Fail(report.status());
  if (report->first_bad) {
    std::cerr << "jifen: ledger " << g.ledger_dir << ": chain broken at sequence " << *report->first_bad << ": "
              << report->reason << '\n';
    return 3;
  }
  if (g.format == Format::kJson) {
    Json j{{"records", report->records}, {"head", ledger::HashToHex(report->head)}, {"ok", true}};
    std::cout << j.dump() << '\n';
  } else {
    std::cout << "ok: " << report->records << " records, head " << ledger::HashToHex(report->head) << '\n';
  }
  return 0;
}

int RunLog(const Globals& g, const std::string& village, uint64_t from) {
  auto ledger = ledger::Ledger::Open(g.ledger_dir, false);
  if (!ledger.ok()) return Fail(ledger.status());
  auto reader = (*ledger)->Snapshot();
  if (!reader.ok()) return Fail(reader.status());
  Status s = (*reader)->ForEachRecord(from, [&](const ledger::Record& r) {
    if (village.empty() || r.village == village) std::cout << ledger::RecordToJson(r) << '\n';
    return true;
  });
  return s.ok() ? 0 : Fail(s);
}

}  // namespace jifen::cli
