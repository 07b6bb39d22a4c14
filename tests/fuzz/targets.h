// The bodies of the fuzz targets, shared by the libFuzzer mains (tests/fuzz/fuzz_*.cc) and the
// regression replay of tests/reliability/fuzz_regressions_test.cc. Each takes arbitrary bytes and
// returns the promise of the entry point that the input broke, or nullptr; a refusal of the input
// is a correct answer, not a failure. Crashes and sanitizer reports are failures of their own.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "grammar/format.h"
#include "grammar/parser.h"
#include "ledger/csv.h"
#include "ledger/record.h"
#include "ledger/record_json.h"

namespace jifen::fuzz {

inline std::string_view Bytes(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// (a) The rules parser: any bytes give rules or diagnostics, never both and never neither.
inline const char* FuzzRules(const uint8_t* data, size_t size) {
  rules::ParseOutcome outcome = rules::ParseRules(Bytes(data, size), "fuzz.rules");
  if (outcome.rules.has_value() == !outcome.diagnostics.empty()) return "rules iff no diagnostics";
  for (const rules::Diagnostic& d : outcome.diagnostics) (void)rules::FormatDiagnostic(d);
  return nullptr;
}

// (b) One JSON Lines record: a record read is valid and survives RecordToJson -> RecordFromJson.
inline const char* FuzzRecordJson(const uint8_t* data, size_t size) {
  Result<ledger::Record> record = ledger::RecordFromJson(Bytes(data, size));
  if (!record.ok()) return nullptr;
  if (!record->recorded_given) return nullptr;  // RecordToJson always writes "recorded"
  std::string line = ledger::RecordToJson(*record);
  Result<ledger::Record> again = ledger::RecordFromJson(line);
  if (!again.ok()) return "RecordToJson output refused by RecordFromJson";
  if (!(*again == *record)) return "JSON round trip changed the record";
  return nullptr;
}

// (c) A CSV file: rows come back in order of their lines; every record read survives JSON.
inline const char* FuzzCsv(const uint8_t* data, size_t size) {
  Result<std::vector<ledger::CsvRow>> rows = ledger::ReadCsvRecords(Bytes(data, size), "fuzz.csv");
  if (!rows.ok()) return nullptr;
  int previous_line = 0;
  for (const ledger::CsvRow& row : *rows) {
    if (row.line <= previous_line) return "CSV rows out of line order";
    previous_line = row.line;
    if (!row.record.ok() || !row.record->recorded_given) continue;
    if (!ledger::RecordFromJson(ledger::RecordToJson(row.record.value())).ok()) {
      return "a CSV record's JSON form is refused";
    }
  }
  return nullptr;
}

// (d) fmt: a file that parses formats, in either keyword language, to a file that parses to the
// same rules; formatting the result again changes nothing.
inline const char* FuzzFmt(const uint8_t* data, size_t size) {
  std::string_view text = Bytes(data, size);
  rules::ParseOutcome original = rules::ParseRules(text, "fuzz.rules");
  if (!original.rules) return nullptr;
  for (rules::Language keywords : {rules::Language::kEnglish, rules::Language::kChinese}) {
    rules::FormatOutcome formatted = rules::FormatRulesText(text, "fuzz.rules", keywords);
    if (!formatted.text) return "a file that parses does not format";
    rules::ParseOutcome again = rules::ParseRules(*formatted.text, "fuzz.rules");
    if (!again.rules) {
      std::fprintf(stderr, "%s\n--\n%s", formatted.text->c_str(),
                   rules::FormatDiagnostic(again.diagnostics[0]).c_str());
      return "fmt output does not parse";
    }
    if (!rules::SameRules(*original.rules, *again.rules)) return "fmt changed the rules";
    rules::FormatOutcome twice = rules::FormatRulesText(*formatted.text, "fuzz.rules", std::nullopt);
    if (!twice.text || *twice.text != *formatted.text) return "fmt is not idempotent";
  }
  return nullptr;
}

}  // namespace jifen::fuzz
