// The public notice as an Excel workbook, for clerks who keep their records in Excel: the same
// table as the HTML board, written with libxlsxwriter.
#pragma once

#include <string>

#include "cli/board.h"
#include "util/status.h"

namespace jifen::cli {

// Writes `board` as an .xlsx workbook at `path`: a title row, a line of facts, a bold header row,
// the ranking (numbers as numbers), column widths fitted to CJK text, the rule version and ledger
// fingerprint below. A4 print setup with the header row repeated. Status::IOError when the file
// cannot be written (nothing useful is left at `path` then).
Status WriteBoardXlsx(const Board& board, const std::string& path);

}  // namespace jifen::cli
