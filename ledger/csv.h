// CSV import of award and redemption rows (SPEC.md §4, ledger/FORMAT.md "CSV"), as Excel and WPS
// save them: UTF-8 with or without BOM, or GB18030; RFC 4180 quoting; CRLF or LF.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/record.h"
#include "util/status.h"

namespace jifen::ledger {

struct CsvRow {
  int line;               // 1-based line of the file where the row starts
  Result<Record> record;  // the row's record, or why it is refused (the reason only, no line)
};

// Reads the data rows of one CSV file a row at a time, from its text decoded to UTF-8 (which it
// holds: CSV files are what a spreadsheet saves, and whether one is UTF-8 or GB18030 is known only
// once all of it has been read). Records are validated like RecordFromJson's; "recorded" may be a
// column. Blank rows are skipped.
class CsvRecordReader {
 public:
  // Decodes `bytes` and reads the header row. Problems with the file as a whole (undecodable
  // bytes, a bad header) are Status::InvalidInput("FILE:LINE: reason").
  static Result<CsvRecordReader> Open(std::string_view bytes, const std::string& file_name);

  // The next data row: false after the last one. A quote never closed fails the whole file:
  // Status::InvalidInput("FILE:LINE: quoted field never closed"). Problems with one row are that
  // row's record Status, so that a caller can list every bad line.
  Result<std::optional<CsvRow>> Next();
  // Back to the first data row.
  void Rewind();
  // How far the reading is in the decoded text, and its size.
  size_t position() const { return pos_; }
  size_t size() const { return text_.size(); }

 private:
  CsvRecordReader() = default;
  std::string file_name_;
  std::string text_;
  std::vector<std::string> names_;  // the header's column names
  std::string inferred_type_;       // "award" or "redeem" when there is no type column
  size_t first_row_ = 0;  // where the rows after the header start
  int first_row_line_ = 1;
  size_t pos_ = 0;
  int line_ = 1;
};

// Reads every data row of a CSV file (CsvRecordReader, all at once).
Result<std::vector<CsvRow>> ReadCsvRecords(std::string_view bytes, const std::string& file_name);

// The text of a CSV file as UTF-8 without BOM: as is if it is valid UTF-8, else converted from
// GB18030. Status::InvalidInput("FILE: ...") if it is neither.
Result<std::string> CsvTextAsUtf8(std::string_view bytes, const std::string& file_name);

}  // namespace jifen::ledger
