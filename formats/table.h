// A clerk's table (docs/IMPORT.md): the rows of a CSV file or of an .xlsx sheet, read against
// their header row (formats/headers.h) into records. Every refusal names the column, in Chinese
// when the headers are Chinese; the reader of the file adds the file, the sheet and the row.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "formats/headers.h"
#include "ledger/record.h"
#include "formats/record_json.h"
#include "util/status.h"

namespace jifen::formats {

// One cell as the file holds it.
struct Cell {
  enum class Kind : uint8_t { kText, kNumber, kBool, kError };
  int column = 0;  // 0-based
  Kind kind = Kind::kText;
  std::string text;  // kNumber: the number as the file writes it ("2.5", "44625")
};

struct RawRow {
  int line = 0;             // the file's line, or the sheet's row number
  std::vector<Cell> cells;  // in column order; empty cells may be left out
  std::string error;        // set for a row that is malformed as CSV
};

// A data row read against the header, before its record is built: the fields it fills, each a
// string (dates already YYYY-MM-DD), and for each the column it came from. Names in place of
// codes (engine/names.h) are resolved on these fields.
struct TableRow {
  int line = 0;
  RecordType type = RecordType::kAward;
  InputFields fields;        // "type" first
  std::vector<int> columns;  // fields[i] came from column columns[i] (-1: the file's kind)
  Status error;          // set when the row is refused as it stands (the reason names the column)
  bool example = false;  // column A says 示例 or "example": a template's example row, skipped

  // The value of `field`, or nullptr.
  std::string* Find(std::string_view field);
  int ColumnOf(std::string_view field) const;
};

class TableHeader {
 public:
  // Reads the header row. Status::InvalidInput("reason") (without file or line) when a column has
  // no name, an unknown one or the same one twice, or when the rows' kind cannot be told.
  static Result<TableHeader> Read(const RawRow& row);

  bool chinese() const { return chinese_; }
  // The kind of every row when there is no type column.
  std::optional<RecordType> kind() const { return kind_; }
  // How many columns the header has (its last named column + 1).
  int width() const { return width_; }

  // Reads one data row (`date1904`: the workbook counts date serials from 1904).
  TableRow ReadRow(const RawRow& row, bool date1904 = false) const;
  // Builds and validates the row's record; a refusal names the column.
  Result<Record> Build(TableRow row) const;

  // `C 列「日期」` or `column C "date"`.
  std::string ColumnLabel(int column) const;
  // The header of `column` as written, trimmed.
  std::string HeaderOf(int column) const;

 private:
  struct Column {
    int index = 0;
    std::string header;  // as written, trimmed
    const ColumnName* name = nullptr;
  };
  const Column* ColumnAt(int index) const;
  std::string Message(const std::string& en, const std::string& zh) const {
    return chinese_ ? zh : en;
  }
  std::string MapError(const TableRow& row, const std::string& message) const;

  std::vector<Column> columns_;
  bool chinese_ = false;
  bool type_column_ = false;
  std::optional<RecordType> kind_;
  int width_ = 0;
};

// A reader of one table's data rows (CsvRecordReader, XlsxRecordReader).
class TableReader {
 public:
  virtual ~TableReader() = default;
  // The next data row: nullopt after the last. Status for a file that cannot be read on.
  virtual Result<std::optional<TableRow>> NextRow() = 0;
  // Back to the first data row.
  virtual void Rewind() = 0;
  // How far the reading is, of how much (a progress bar's).
  virtual size_t position() const = 0;
  virtual size_t size() const = 0;
  // The file, or "FILE[SHEET]" for a workbook: what refusals name before the row.
  virtual const std::string& label() const = 0;
  virtual const TableHeader& header() const = 0;
};

}  // namespace jifen::formats
