// import, verify, log.
#include <iostream>
#include <optional>

#include "cli/commands.h"
#include "cli/import_files.h"
#include "cli/progress.h"
#include "engine/admission.h"
#include "ledger/record_json.h"

namespace jifen::cli {

int RunImport(const Globals& g, const std::vector<std::string>& files) {
  auto source = FileSource::Open(files);
  if (!source.ok()) return Fail(source.status());
  auto ledger = ledger::Ledger::Open(g.ledger_dir, true);
  if (!ledger.ok()) return Fail(ledger.status());
  Progress progress("import", (*source)->Size());
  auto report = engine::ImportRecords(**ledger, **source, Timestamp::Now(),
                                      [&](uint64_t position, uint64_t) { progress.Update(position); });
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
