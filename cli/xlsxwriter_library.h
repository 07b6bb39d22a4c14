// libxlsxwriter, loaded with dlopen the first time a workbook is written. Only `jifen board
// --xlsx` and `jifen template` need it, and linking it would make every jifen process load and relocate it (with
// libminizip, libz and libcrypto.so): about 2 ms of the start-up of each command
// (docs/PERFORMANCE.md, "Process start").
#pragma once

#include <xlsxwriter.h>

#include <string>

#include "util/status.h"

namespace jifen::cli {

// The functions of libxlsxwriter that cli/xlsx.cc and cli/cmd_template.cc call, typed from the installed header, so a
// call with the wrong arguments does not compile.
#define JIFEN_XLSXWRITER_FUNCTIONS(X) \
  X(workbook_new)                     \
  X(workbook_add_worksheet)           \
  X(workbook_add_format)              \
  X(workbook_close)                   \
  X(format_set_align)                 \
  X(format_set_bg_color)              \
  X(format_set_bold)                  \
  X(format_set_border)                \
  X(format_set_font_color)            \
  X(format_set_font_name)             \
  X(format_set_font_size)             \
  X(format_set_italic)                \
  X(format_set_num_format)            \
  X(format_set_text_wrap)             \
  X(worksheet_data_validation_range)  \
  X(worksheet_fit_to_pages)           \
  X(worksheet_freeze_panes)           \
  X(worksheet_hide)                   \
  X(worksheet_merge_range)            \
  X(worksheet_repeat_rows)            \
  X(worksheet_set_column)             \
  X(worksheet_set_paper)              \
  X(worksheet_set_row)                \
  X(worksheet_write_number)           \
  X(worksheet_write_string)           \
  X(lxw_strerror)

struct Xlsxwriter {
#define JIFEN_XLSXWRITER_MEMBER(name) decltype(&::name) name = nullptr;
  JIFEN_XLSXWRITER_FUNCTIONS(JIFEN_XLSXWRITER_MEMBER)
#undef JIFEN_XLSXWRITER_MEMBER
};

// The soname of the libxlsxwriter whose header this was compiled against: "libxlsxwriter.so.4"
// on Debian 12 (package libxlsxwriter4, installed with libxlsxwriter-dev by scripts/setup.sh).
inline constexpr const char* kXlsxwriterSoname = "libxlsxwriter.so." LXW_SOVERSION;

// Loads `soname` and every function above; the library stays loaded for the life of the process
// (loading it again is cheap: dlopen counts references). Status::IOError naming the library and
// the package to install when it or one of its functions cannot be found, after `caller`
// ("--xlsx: ", "template: ").
Result<Xlsxwriter> LoadXlsxwriter(const std::string& soname = kXlsxwriterSoname,
                                  const std::string& caller = "--xlsx");

}  // namespace jifen::cli
