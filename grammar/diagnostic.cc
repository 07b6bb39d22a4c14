#include "grammar/diagnostic.h"

#include "util/text.h"

namespace jifen::grammar {
namespace {

size_t CodePointLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;
}

// Spaces (and the line's own tabs) that move a terminal cursor under code point `count` of
// `line`, counted in display columns.
std::string CaretIndent(std::string_view line, size_t count) {
  std::string indent;
  size_t pos = 0;
  for (size_t i = 0; i < count; ++i) {
    if (pos >= line.size()) {
      indent.push_back(' ');
      continue;
    }
    size_t n = CodePointLength(static_cast<unsigned char>(line[pos]));
    if (pos + n > line.size()) n = line.size() - pos;
    std::string_view cp = line.substr(pos, n);
    if (cp == "\t") {
      indent.push_back('\t');
    } else {
      indent.append(DisplayWidth(cp), ' ');
    }
    pos += n;
  }
  return indent;
}

}  // namespace

std::string FormatDiagnostic(const Diagnostic& d) {
  const Location& at = d.location;
  if (at.line == 0) return at.file + ": error: " + d.message + "\n";
  std::string out = at.file + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) +
                    ": error: " + d.message + "\n";
  out += d.source_line;
  out += "\n";
  size_t before = at.column > d.source_line_column ? at.column - d.source_line_column : 0;
  out += CaretIndent(d.source_line, before);
  out += "^\n";
  return out;
}

Language ResolveMessageLanguage(MessageLanguage lang, Language file_keywords) {
  switch (lang) {
    case MessageLanguage::kEnglish:
      return Language::kEnglish;
    case MessageLanguage::kChinese:
      return Language::kChinese;
    case MessageLanguage::kAuto:
      break;
  }
  return file_keywords;
}

std::string_view LanguageName(Language language) {
  return language == Language::kChinese ? "中文" : "English";
}

}  // namespace jifen::grammar
