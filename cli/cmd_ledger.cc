// import, verify, log.
#include <filesystem>
#include <iostream>
#include <optional>

#include "cli/clerk_input.h"
#include "cli/commands.h"
#include "cli/import_files.h"
#include "cli/progress.h"
#include "cli/refusals.h"
#include "engine/admission.h"
#include "ledger/evidence.h"
#include "tlog/cosigned.h"
#include "tlog/transparency.h"
#include "formats/record_json.h"

namespace jifen::cli {

namespace {

// The lines of `source` that do not parse.
Result<std::vector<engine::LineRefusal>> Unparsed(engine::ImportSource& source) {
  std::vector<engine::LineRefusal> errors;
  if (Status s = source.Rewind(); !s.ok()) return s;
  engine::SourceLine line;
  for (;;) {
    auto more = source.Next(&line);
    if (!more.ok()) return more.status();
    if (!*more) return errors;
    if (!line.parsed.ok()) {
      errors.push_back({std::string(line.file),
                        line.line,
                        {engine::RefusalCode::kLineUnparsed, {line.parsed.message()}},
                        std::nullopt});
    }
  }
}

}  // namespace

int RunImport(const Globals& g, const std::vector<std::string>& files, const std::string& sheet) {
  auto source = FileSource::Open(files, ImportFileOptions{g.ledger_dir, sheet});
  if (!source.ok()) return Fail(source.status());
  auto ledger = ledger::Ledger::Open(g.ledger_dir, false);
  if (!ledger.ok()) {
    // No ledger yet. Lines are parsed as they are checked, inside the write; so that a file that
    // does not parse leaves no new ledger behind, read it once first (a ledger without rules
    // refuses every record anyway, so this costs nothing worth saving).
    auto unparsed = Unparsed(**source);
    if (!unparsed.ok()) return Fail(unparsed.status());
    if (!unparsed->empty()) return PrintRefused(g, *unparsed, "import", true);
    ledger = ledger::Ledger::Open(g.ledger_dir, true);
    if (!ledger.ok()) return Fail(ledger.status());
  }
  Progress progress("import", (*source)->Size());
  auto report =
      engine::ImportRecords(**ledger, **source, Timestamp::Now(),
                            [&](uint64_t position, uint64_t) { progress.Update(position); });
  if (!report.ok()) return Fail(report.status());
  if (!report->refusals.empty()) return PrintRefused(g, report->refusals, "import", true);
  progress.Done();
  std::cout << "imported " << report->appended << " record(s)";
  if (report->skipped) std::cout << ", skipped " << report->skipped << " already in the ledger";
  std::cout << "; ledger head is sequence " << report->head_sequence << '\n';
  return 0;
}

// A ledger names households and people: a folder or file that other users of the machine may
// read is said, not refused (verify's verdict is about the records).
void WarnIfReadableByOthers(const std::string& dir) {
  namespace fs = std::filesystem;
  for (const fs::path& path :
       {fs::path(dir), fs::path(dir) / "data.mdb", fs::path(dir) / "lock.mdb"}) {
    std::error_code ec;
    fs::perms perms = fs::status(path, ec).permissions();
    if (ec || (perms & (fs::perms::group_read | fs::perms::others_read)) == fs::perms::none)
      continue;
    std::cerr << "jifen: warning: " << path.string()
              << " can be read by other users of this machine; chmod "
              << (fs::is_directory(path, ec) ? "700" : "600") << " " << path.string() << '\n';
  }
}

// The cosigned checkpoints kept beside the ledger (SPEC.md §6 "Witnesses"), each checked against
// the whole ledger: one that is not its history now is a problem. Without the log's key they
// cannot be checked, which is said when there are any.
Result<tlog::KeptCheck> CheckCosigned(const std::string& ledger_dir, const ledger::Reader& reader) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(fs::path(ledger_dir) / tlog::kCosignedDir, ec)) return tlog::KeptCheck{};
  if (!fs::exists(fs::path(ledger_dir) / tlog::kLogKeyFile, ec)) {
    tlog::KeptCheck check;
    check.problems.push_back((fs::path(ledger_dir) / tlog::kCosignedDir).string() +
                             ": cosigned checkpoints are kept but the log's key (" +
                             std::string(tlog::kLogKeyFile) + ") is gone, so none can be checked");
    return check;
  }
  auto key = tlog::LogKey(ledger_dir, std::nullopt, false);
  if (!key.ok()) return key.status();
  return tlog::CheckKeptCosigned(reader, ledger_dir, tlog::VerifierOf(*key));
}

int RunVerify(const Globals& g) {
  auto ledger = OpenLedger(g);
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
    std::cerr << "jifen: ledger " << g.ledger_dir << ": chain broken at sequence "
              << *report->first_bad << ": " << report->reason << '\n';
    return 3;
  }
  WarnIfReadableByOthers(g.ledger_dir);
  // The photos the records name (LEDGER/evidence/<sha256>): each must exist and match its hash.
  auto reader = (*ledger)->Snapshot();
  if (!reader.ok()) return Fail(reader.status());
  auto evidence = ledger::CheckEvidence(g.ledger_dir, **reader);
  if (!evidence.ok()) return Fail(evidence.status());
  if (!evidence->problems.empty()) {
    for (const auto& p : evidence->problems) {
      std::cerr << "jifen: ledger " << g.ledger_dir << ": record " << p.id << " (sequence "
                << p.sequence << "): evidence " << p.reason << '\n';
    }
    return 3;
  }
  auto cosigned = CheckCosigned(g.ledger_dir, **reader);
  if (!cosigned.ok()) return Fail(cosigned.status());
  if (!cosigned->problems.empty()) {
    for (const std::string& p : cosigned->problems)
      std::cerr << "jifen: ledger " << g.ledger_dir << ": cosigned checkpoint " << p << '\n';
    return 3;
  }
  if (g.format == Format::kJson) {
    Json j{{"records", report->records},
           {"head", ledger::HashToHex(report->head)},
           {"evidence_files", evidence->files_checked},
           {"cosigned_checkpoints", cosigned->files},
           {"cosignatures", cosigned->cosignatures},
           {"ok", true}};
    std::cout << j.dump() << '\n';
  } else {
    std::cout << "ok: " << report->records << " records, head " << ledger::HashToHex(report->head);
    if (evidence->files_checked > 0)
      std::cout << ", " << evidence->files_checked << " evidence files";
    if (cosigned->files > 0) {
      std::cout << ", " << cosigned->files << " cosigned checkpoint" << (cosigned->files > 1 ? "s" : "")
                << " (" << cosigned->cosignatures << " cosignature"
                << (cosigned->cosignatures == 1 ? "" : "s") << ")";
    }
    std::cout << '\n';
  }
  return 0;
}

int RunLog(const Globals& g, const std::string& village, uint64_t from) {
  auto ledger = OpenLedger(g);
  if (!ledger.ok()) return Fail(ledger.status());
  auto reader = (*ledger)->Snapshot();
  if (!reader.ok()) return Fail(reader.status());
  Status s = (*reader)->ForEachRecord(from, [&](const ledger::Record& r) {
    if (village.empty() || r.village == village) std::cout << formats::RecordToJson(r) << '\n';
    return true;
  });
  return s.ok() ? 0 : Fail(s);
}

}  // namespace jifen::cli
