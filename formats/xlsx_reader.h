// A clerk's .xlsx workbook (docs/IMPORT.md): one sheet read as a table of rows, through Debian's
// libzip (the ZIP container, loaded with dlopen when a workbook is first read, so that no other
// command pays for loading it and its libraries) and expat (the XML parts). Shared strings,
// inline strings, numbers, booleans, formula results and date serial numbers.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "formats/table.h"
#include "util/status.h"

namespace jifen::formats {

// The soname of libzip on Debian 12 (package libzip4, installed with libzip-dev by setup.sh).
inline constexpr const char* kLibzipSoname = "libzip.so.4";

// A workbook's sheets and one sheet's cells, as read from the file's bytes.
struct XlsxSheet {
  std::string name;
  bool date1904 = false;     // the workbook counts date serials from 1904-01-01
  std::vector<RawRow> rows;  // the rows that hold any cell, in order; line = the row number
};

// Reads sheet `sheet` of the workbook in `bytes` (empty: the first sheet). Status::InvalidInput
// naming the file (and the sheets there are, when `sheet` is not one) when the bytes are not a
// workbook, a part is missing, too large (over 256 MiB unpacked) or not well-formed XML, or has a
// DTD. Status::IOError when libzip cannot be loaded.
Result<XlsxSheet> ReadXlsxSheet(std::string_view bytes, const std::string& file_name,
                                const std::string& sheet);
// The same from the XML of a workbook's shared strings (may be empty) and of one sheet, without
// the ZIP container (the fuzzer's way in to the XML).
Result<XlsxSheet> ReadXlsxSheetXml(std::string_view shared_strings_xml, std::string_view sheet_xml,
                                   const std::string& file_name);
// The names of the workbook's sheets, in order.
Result<std::vector<std::string>> XlsxSheetNames(std::string_view bytes,
                                                const std::string& file_name);

// The data rows of one sheet against its header row (the first row that holds anything).
class XlsxRecordReader : public TableReader {
 public:
  static Result<std::unique_ptr<XlsxRecordReader>> Open(std::string_view bytes,
                                                        const std::string& file_name,
                                                        const std::string& sheet);
  Result<std::optional<TableRow>> NextRow() override;
  void Rewind() override { next_ = first_; }
  size_t position() const override { return next_; }
  size_t size() const override { return sheet_.rows.size(); }
  const std::string& label() const override { return label_; }
  const TableHeader& header() const override { return header_; }

 private:
  XlsxRecordReader() = default;
  std::string label_;
  XlsxSheet sheet_;
  TableHeader header_;
  size_t first_ = 0, next_ = 0;
};

// Every record of a sheet (XlsxRecordReader, all at once): (row, record or reason).
struct XlsxRow {
  int line;
  Result<Record> record;
};
Result<std::vector<XlsxRow>> ReadXlsxRecords(std::string_view bytes, const std::string& file_name,
                                             const std::string& sheet = "");

}  // namespace jifen::formats
