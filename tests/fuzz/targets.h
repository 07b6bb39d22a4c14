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
#include "formats/csv.h"
#include "ledger/record.h"
#include "formats/record_json.h"
#include "formats/xlsx_reader.h"

namespace jifen::fuzz {

inline std::string_view Bytes(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// (a) The rules parser: any bytes give rules or diagnostics, never both and never neither.
inline const char* FuzzRules(const uint8_t* data, size_t size) {
  grammar::ParseOutcome outcome = grammar::ParseRules(Bytes(data, size), "fuzz.rules");
  if (outcome.rules.has_value() == !outcome.diagnostics.empty()) return "rules iff no diagnostics";
  for (const grammar::Diagnostic& d : outcome.diagnostics) (void)grammar::FormatDiagnostic(d);
  return nullptr;
}

// (b) One JSON Lines record: a record read is valid and survives RecordToJson -> RecordFromJson.
inline const char* FuzzRecordJson(const uint8_t* data, size_t size) {
  Result<ledger::Record> record = formats::RecordFromJson(Bytes(data, size));
  if (!record.ok()) return nullptr;
  if (!record->recorded_given) return nullptr;  // RecordToJson always writes "recorded"
  std::string line = formats::RecordToJson(*record);
  Result<ledger::Record> again = formats::RecordFromJson(line);
  if (!again.ok()) return "RecordToJson output refused by RecordFromJson";
  if (!(*again == *record)) return "JSON round trip changed the record";
  return nullptr;
}

// (c) A CSV file: rows come back in order of their lines; every record read survives JSON.
inline const char* FuzzCsv(const uint8_t* data, size_t size) {
  Result<std::vector<formats::CsvRow>> rows = formats::ReadCsvRecords(Bytes(data, size), "fuzz.csv");
  if (!rows.ok()) return nullptr;
  int previous_line = 0;
  for (const formats::CsvRow& row : *rows) {
    if (row.line <= previous_line) return "CSV rows out of line order";
    previous_line = row.line;
    if (!row.record.ok() || !row.record->recorded_given) continue;
    if (!formats::RecordFromJson(formats::RecordToJson(row.record.value())).ok()) {
      return "a CSV record's JSON form is refused";
    }
  }
  return nullptr;
}

// (e) An .xlsx workbook (its first sheet): rows come back in the sheet's row order; every record
// read survives JSON. Bytes that are no workbook are refused, never a crash. Input that does not
// start as a ZIP file does ("PK") is the XML itself, shared strings and sheet split at the first
// NUL, so that mutations reach expat and the cell reader past the ZIP's checksums.
inline const char* FuzzXlsx(const uint8_t* data, size_t size) {
  std::string_view bytes = Bytes(data, size);
  if (!bytes.starts_with("PK")) {
    size_t nul = bytes.find('\0');
    std::string_view shared =
        nul == std::string_view::npos ? std::string_view() : bytes.substr(0, nul);
    std::string_view sheet = nul == std::string_view::npos ? bytes : bytes.substr(nul + 1);
    Result<formats::XlsxSheet> parsed = formats::ReadXlsxSheetXml(shared, sheet, "fuzz.xlsx");
    if (!parsed.ok() || parsed->rows.empty()) return nullptr;
    int previous = 0;
    for (const formats::RawRow& row : parsed->rows) {
      if (row.line <= previous) return "xlsx rows out of row order";
      previous = row.line;
    }
    auto header = formats::TableHeader::Read(parsed->rows[0]);
    if (!header.ok()) return nullptr;
    for (size_t i = 1; i < parsed->rows.size(); ++i) {
      Result<ledger::Record> record = header->Build(header->ReadRow(parsed->rows[i]));
      if (record.ok() && record->recorded_given &&
          !formats::RecordFromJson(formats::RecordToJson(record.value())).ok()) {
        return "an xlsx record's JSON form is refused";
      }
    }
    return nullptr;
  }
  Result<std::vector<formats::XlsxRow>> rows = formats::ReadXlsxRecords(bytes, "fuzz.xlsx");
  if (!rows.ok()) return nullptr;
  int previous_line = 0;
  for (const formats::XlsxRow& row : *rows) {
    if (row.line <= previous_line) return "xlsx rows out of row order";
    previous_line = row.line;
    if (!row.record.ok() || !row.record->recorded_given) continue;
    if (!formats::RecordFromJson(formats::RecordToJson(row.record.value())).ok()) {
      return "an xlsx record's JSON form is refused";
    }
  }
  return nullptr;
}

// (d) fmt: a file that parses formats, in either keyword language, to a file that parses to the
// same rules; formatting the result again changes nothing.
inline const char* FuzzFmt(const uint8_t* data, size_t size) {
  std::string_view text = Bytes(data, size);
  grammar::ParseOutcome original = grammar::ParseRules(text, "fuzz.rules");
  if (!original.rules) return nullptr;
  for (grammar::Language keywords : {grammar::Language::kEnglish, grammar::Language::kChinese}) {
    grammar::FormatOutcome formatted = grammar::FormatRulesText(text, "fuzz.rules", keywords);
    if (!formatted.text) return "a file that parses does not format";
    grammar::ParseOutcome again = grammar::ParseRules(*formatted.text, "fuzz.rules");
    if (!again.rules) {
      std::fprintf(stderr, "%s\n--\n%s", formatted.text->c_str(),
                   grammar::FormatDiagnostic(again.diagnostics[0]).c_str());
      return "fmt output does not parse";
    }
    if (!grammar::SameRules(*original.rules, *again.rules)) return "fmt changed the rules";
    grammar::FormatOutcome twice =
        grammar::FormatRulesText(*formatted.text, "fuzz.rules", std::nullopt);
    if (!twice.text || *twice.text != *formatted.text) return "fmt is not idempotent";
  }
  return nullptr;
}

}  // namespace jifen::fuzz
