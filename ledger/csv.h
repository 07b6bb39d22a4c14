// CSV import of award and redemption rows (SPEC.md §4, ledger/FORMAT.md "CSV"), as Excel and WPS
// save them: UTF-8 with or without BOM, or GB18030; RFC 4180 quoting; CRLF or LF.
#pragma once

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

// Reads every data row of a CSV file. Problems with the file as a whole (undecodable bytes, a
// bad header, an unterminated quote) are Status::InvalidInput("FILE:LINE: reason"); problems
// with one row are that row's Status, so that a caller can list every bad line. Blank rows are
// skipped. Records are validated like RecordFromJson's; "recorded" may be a column.
Result<std::vector<CsvRow>> ReadCsvRecords(std::string_view bytes, const std::string& file_name);

// The text of a CSV file as UTF-8 without BOM: as is if it is valid UTF-8, else converted from
// GB18030. Status::InvalidInput("FILE: ...") if it is neither.
Result<std::string> CsvTextAsUtf8(std::string_view bytes, const std::string& file_name);

}  // namespace jifen::ledger
