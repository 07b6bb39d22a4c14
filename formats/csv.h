// CSV import of a clerk's rows (SPEC.md §4, ledger/FORMAT.md "CSV", docs/IMPORT.md), as Excel and
// WPS save them: UTF-8 with or without BOM, or GB18030; RFC 4180 quoting; CRLF or LF; headers in
// Chinese or English (formats/headers.h), every kind of record a clerk handles.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/record.h"
#include "formats/table.h"
#include "util/status.h"

namespace jifen::formats {

struct CsvRow {
  int line;               // 1-based line of the file where the row starts
  Result<Record> record;  // the row's record, or why it is refused (the reason only, no line)
};

// Reads the data rows of one CSV file a row at a time, from its text decoded to UTF-8 (which it
// holds: CSV files are what a spreadsheet saves, and whether one is UTF-8 or GB18030 is known only
// once all of it has been read). Records are validated like RecordFromJson's; "recorded" may be a
// column. Blank rows are skipped.
class CsvRecordReader : public TableReader {
 public:
  // Decodes `bytes` and reads the header row. Problems with the file as a whole (undecodable
  // bytes, a bad header) are Status::InvalidInput("FILE:LINE: reason").
  static Result<CsvRecordReader> Open(std::string_view bytes, const std::string& file_name);

  // The next data row: false after the last one. A quote never closed fails the whole file:
  // Status::InvalidInput("FILE:LINE: quoted field never closed"). Problems with one row are that
  // row's record Status, so that a caller can list every bad line.
  Result<std::optional<CsvRow>> Next();
  // The same before the record is built (TableReader): names can still be resolved.
  Result<std::optional<TableRow>> NextRow() override;
  // Back to the first data row.
  void Rewind() override;
  // How far the reading is in the decoded text, and its size.
  size_t position() const override { return pos_; }
  size_t size() const override { return text_.size(); }
  const std::string& label() const override { return file_name_; }
  const TableHeader& header() const override { return header_; }

 private:
  CsvRecordReader() = default;
  std::string file_name_;
  std::string text_;
  TableHeader header_;
  int width_ = 0;         // cells in the header row
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

}  // namespace jifen::formats
