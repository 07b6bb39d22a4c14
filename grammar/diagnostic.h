// Diagnostics of rule files: where, what, and the source line to show under the message.
// The parser never prints; callers print FormatDiagnostic(d) (docs/STYLE.md "Errors").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "grammar/ast.h"

namespace jifen::grammar {

struct Diagnostic {
  Location location;  // line 0: the whole file (e.g. it cannot be read)
  std::string message;
  std::string source_line;  // the offending line without its line break; may be a window of it
  // The column (code points, 1-based) of the line at which `source_line` starts: 1 unless a very
  // long line was cut to a window around `location.column`.
  uint32_t source_line_column = 1;
};

// "FILE:LINE:COL: error: MESSAGE\n<source line>\n<spaces>^\n". COL counts code points; the caret
// is placed by display width (a CJK character takes two columns; tabs are kept as tabs), so it
// sits under the right character in a terminal. Line 0: "FILE: error: MESSAGE\n".
std::string FormatDiagnostic(const Diagnostic& d);

// How the rules language names things in messages.
enum class MessageLanguage { kAuto, kEnglish, kChinese };

// Chinese iff `lang` asks for it, or for kAuto iff the file's keywords are Chinese.
Language ResolveMessageLanguage(MessageLanguage lang, Language file_keywords);

// The Chinese or English name of a keyword language: "English" / "中文".
std::string_view LanguageName(Language language);

}  // namespace jifen::grammar
