// The columns of a clerk's spreadsheet (docs/IMPORT.md): the one table of the header names a CSV
// or .xlsx file may use, in Chinese or in English, and the record field each one fills; the words
// of the type (类型) column; and dates as spreadsheets write them. The CSV and xlsx readers, the
// `template` command and docs/IMPORT.md all read this table.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "ledger/record.h"
#include "util/date.h"

namespace jifen::formats {

using ledger::Record;
using ledger::RecordType;

// One name of a column. Several names may fill one field (户号, 所在户 and 迁入户 all fill
// "household"); a row fills a field from at most one of them.
struct ColumnName {
  const char* field;  // the JSON field it fills; "type" for the type column
  const char* en;     // the English header, nullptr for a Chinese synonym
  const char* zh;     // the Chinese header
  uint32_t kinds;     // the kinds of rows (bit 1 << RecordType) whose template uses this name
  const char* en_help;
  const char* zh_help;
};
std::span<const ColumnName> ColumnNames();

inline constexpr uint32_t KindBit(RecordType type) {
  return uint32_t{1} << static_cast<unsigned>(type);
}

// The header of a column as written, matched against the table: spaces around it, a trailing '*'
// (required) and a trailing note in brackets ("数量（小时）", "qty (hours)") are ignored, and
// English case-insensitively. nullptr when no column has that name.
const ColumnName* FindColumn(std::string_view header, bool* chinese);

// The columns a template of `type` rows shows, in order.
std::vector<const ColumnName*> TemplateColumns(RecordType type);

// The word for a kind of row in the type column: 户/household, 人员/person, 积分/award, ...
const char* KindWord(RecordType type, bool chinese);
// The kind a type cell names (Chinese words, their synonyms, or the JSON type words).
std::optional<RecordType> KindFromWord(std::string_view word);
// "户、人员、迁户、…" or "household, person, move, …": the kinds a file may hold.
std::string KindWords(bool chinese);

// A date as spreadsheets write it: 2022-03-05, 2022-3-5, 2022/3/5, 2022.3.5, 2022年3月5日,
// 20220305, optionally followed by a time of day ("2022/3/5 0:00", ignored). A real calendar day.
std::optional<Date> ParseSpreadsheetDate(std::string_view text);
// A spreadsheet date serial number (days since 1899-12-30, Excel's 1900 system; since 1904-01-01
// in a workbook saved with the 1904 system): its whole part; a fraction is a time of day.
std::optional<Date> DateFromSerial(std::string_view number, bool date1904);

// "C" for column 2 (0-based), "AA" for 26.
std::string ColumnLetters(int column);

}  // namespace jifen::formats
