#include "cli/xlsx.h"

#include <algorithm>
#include <cstdlib>

#include "cli/xlsxwriter_library.h"
#include "util/text.h"

namespace jifen::cli {
namespace {

constexpr uint8_t kPaperA4 = 9;
constexpr lxw_color_t kTitleRed = 0xA40000;
constexpr lxw_color_t kHeaderGrey = 0xEFEFEF;
constexpr lxw_color_t kTitledYellow = 0xFFF1CC;
constexpr lxw_color_t kNoteGrey = 0x777777;

struct Formats {
  lxw_format* title;
  lxw_format* facts;
  lxw_format* header;
  lxw_format* text;
  lxw_format* number;
  lxw_format* titled_text;
  lxw_format* titled_number;
  lxw_format* note;
  lxw_format* mono;
};

lxw_format* Cell(const Xlsxwriter& x, lxw_workbook* wb, bool right, lxw_color_t fill) {
  lxw_format* f = x.workbook_add_format(wb);
  x.format_set_border(f, LXW_BORDER_THIN);
  x.format_set_align(f, right ? LXW_ALIGN_RIGHT : LXW_ALIGN_LEFT);
  x.format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
  if (fill != 0) x.format_set_bg_color(f, fill);
  return f;
}

Formats MakeFormats(const Xlsxwriter& x, lxw_workbook* wb) {
  Formats f{};
  f.title = x.workbook_add_format(wb);
  x.format_set_bold(f.title);
  x.format_set_font_size(f.title, 16);
  x.format_set_font_color(f.title, kTitleRed);
  x.format_set_align(f.title, LXW_ALIGN_CENTER);
  x.format_set_align(f.title, LXW_ALIGN_VERTICAL_CENTER);
  f.facts = x.workbook_add_format(wb);
  x.format_set_align(f.facts, LXW_ALIGN_CENTER);
  f.header = Cell(x, wb, false, kHeaderGrey);
  x.format_set_bold(f.header);
  x.format_set_align(f.header, LXW_ALIGN_CENTER);
  f.text = Cell(x, wb, false, 0);
  f.number = Cell(x, wb, true, 0);
  f.titled_text = Cell(x, wb, false, kTitledYellow);
  x.format_set_bold(f.titled_text);
  f.titled_number = Cell(x, wb, true, kTitledYellow);
  f.note = Cell(x, wb, false, 0);
  x.format_set_font_color(f.note, kNoteGrey);
  f.mono = x.workbook_add_format(wb);
  x.format_set_font_name(f.mono, "Consolas");
  return f;
}

// Excel column widths are in widths of '0'; a CJK character takes about two.
double ColumnWidth(const Board& b, size_t column) {
  size_t widest = DisplayWidth(b.columns[column].header);
  for (const auto& row : b.rows) {
    if (column < row.cells.size()) widest = std::max(widest, DisplayWidth(row.cells[column]));
  }
  return static_cast<double>(std::clamp<size_t>(widest + 3, 6, 40));
}

void WriteTable(const Xlsxwriter& x, const Board& b, lxw_worksheet* ws, const Formats& f,
                lxw_row_t first_row) {
  for (size_t c = 0; c < b.columns.size(); ++c) {
    x.worksheet_write_string(ws, first_row, static_cast<lxw_col_t>(c), b.columns[c].header.c_str(),
                             f.header);
    x.worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                           ColumnWidth(b, c), nullptr);
  }
  lxw_row_t r = first_row + 1;
  for (const auto& row : b.rows) {
    for (size_t c = 0; c < row.cells.size() && c < b.columns.size(); ++c) {
      const std::string& cell = row.cells[c];
      auto col = static_cast<lxw_col_t>(c);
      if (static_cast<int>(c) == b.veto_column) {
        x.worksheet_write_string(ws, r, col, cell.c_str(), f.note);
      } else if (b.columns[c].numeric && !cell.empty()) {
        // Points have at most two decimals: the double nearest the decimal shows it exactly.
        x.worksheet_write_number(ws, r, col, std::strtod(cell.c_str(), nullptr),
                                 row.titled ? f.titled_number : f.number);
      } else {
        x.worksheet_write_string(ws, r, col, cell.c_str(), row.titled ? f.titled_text : f.text);
      }
    }
    ++r;
  }
}

void WriteFacts(const Xlsxwriter& x, const Board& b, lxw_worksheet* ws, const Formats& f,
                lxw_row_t r) {
  std::string rules = "规则版本：" + b.rules_sha256.substr(0, 12) + "（" + b.rules_effective +
                      " 起施行" +
                      (b.rules_approved_by.empty() ? "" : "；通过：" + b.rules_approved_by) + "）";
  x.worksheet_write_string(ws, r++, 0, rules.c_str(), nullptr);
  std::string count =
      "账本指纹（共 " + std::to_string(b.records) + " 条记录，jifen verify 显示的 head）：";
  x.worksheet_write_string(ws, r++, 0, count.c_str(), nullptr);
  x.worksheet_write_string(ws, r++, 0, GroupHex(b.head_hash_hex).c_str(), f.mono);
  x.worksheet_write_string(ws, r++, 0, ("数据截至：" + b.as_of).c_str(), nullptr);
  x.worksheet_write_string(ws, r++, 0, ("重新生成：" + b.command).c_str(), nullptr);
  x.worksheet_write_string(ws, r, 0, "如有异议，请于公示之日起7日内向村两委或村务监督委员会提出。",
                           nullptr);
}

}  // namespace

Status WriteBoardXlsx(const Board& b, const std::string& path) {
  auto library = LoadXlsxwriter();
  if (!library.ok()) return library.status();
  const Xlsxwriter& x = *library;
  lxw_workbook* wb = x.workbook_new(path.c_str());
  if (wb == nullptr) return Status::IOError(path + ": cannot create the workbook");
  lxw_worksheet* ws = x.workbook_add_worksheet(wb, "公示榜");
  Formats f = MakeFormats(x, wb);
  auto last_col = static_cast<lxw_col_t>(b.columns.empty() ? 0 : b.columns.size() - 1);
  std::string title = b.township.empty() ? b.title : b.township + " " + b.title;
  x.worksheet_set_row(ws, 0, 30, nullptr);
  x.worksheet_merge_range(ws, 0, 0, 0, last_col, title.c_str(), f.title);
  std::string facts = "村代码 " + b.village_code + "　" + b.basis + "　截至 " + b.as_of;
  x.worksheet_merge_range(ws, 1, 0, 1, last_col, facts.c_str(), f.facts);
  constexpr lxw_row_t kHeaderRow = 2;
  WriteTable(x, b, ws, f, kHeaderRow);
  WriteFacts(x, b, ws, f, kHeaderRow + 2 + static_cast<lxw_row_t>(b.rows.size()));
  x.worksheet_freeze_panes(ws, kHeaderRow + 1, 0);
  x.worksheet_set_paper(ws, kPaperA4);
  x.worksheet_repeat_rows(ws, kHeaderRow, kHeaderRow);
  x.worksheet_fit_to_pages(ws, 1, 0);  // one page wide, as many long as it takes
  lxw_error e = x.workbook_close(wb);
  if (e != LXW_NO_ERROR) return Status::IOError(path + ": " + x.lxw_strerror(e));
  return Status::Ok();
}

}  // namespace jifen::cli
