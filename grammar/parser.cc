#include "grammar/parser.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "grammar/actions.h"
#include "grammar/parse_internal.h"
#include "util/text.h"

namespace jifen::grammar {
namespace {

namespace pegtl = tao::pegtl;

// Where parsing goes on after a syntax error.
enum class Resume : uint8_t { kStart, kTop, kVillage, kCategory };

struct ResumePoint {
  size_t byte = 0;
  uint32_t line = 1;
  Resume where = Resume::kTop;
};

constexpr std::string_view kIdeographicSpace = "　";

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool StartsWithKeyword(std::string_view rest, Keyword keyword) {
  std::string_view english = KeywordText(keyword, Language::kEnglish);
  if (rest.starts_with(english) &&
      (rest.size() == english.size() || !IsWordChar(rest[english.size()]))) {
    return true;
  }
  return rest.starts_with(KeywordText(keyword, Language::kChinese));
}

template <size_t N>
bool StartsWithAnyKeyword(std::string_view rest, const Keyword (&keywords)[N]) {
  for (Keyword k : keywords) {
    if (StartsWithKeyword(rest, k)) return true;
  }
  return false;
}

constexpr Keyword kStatementKeywords[] = {Keyword::kVillage, Keyword::kCategory, Keyword::kReward,
                                          Keyword::kRate,    Keyword::kTitle,    Keyword::kBonus,
                                          Keyword::kDividend};
constexpr Keyword kSettingKeywords[] = {
    Keyword::kTownship, Keyword::kPeriod, Keyword::kClearing, Keyword::kLate,   Keyword::kBase,
    Keyword::kRank,     Keyword::kAnnual, Keyword::kSelf,     Keyword::kReview, Keyword::kNotice};
constexpr Keyword kItemKeywords[] = {Keyword::kItem};

std::string_view SkipBlanks(std::string_view rest) {
  for (;;) {
    if (!rest.empty() && (rest[0] == ' ' || rest[0] == '\t' || rest[0] == '\r')) {
      rest.remove_prefix(1);
    } else if (rest.starts_with(kIdeographicSpace)) {
      rest.remove_prefix(kIdeographicSpace.size());
    } else {
      return rest;
    }
  }
}

bool StartsWithCloseBrace(std::string_view rest) {
  return rest.starts_with("}") || rest.starts_with("｝");
}

// Where parsing goes on: the first line at or after the error that starts with a statement
// keyword, or, inside the block the error was in, with a keyword of that block or its closing
// brace. The error's own line counts only if the error sits at its first token (a statement cut
// short at the end of the previous line). Resume points only move forward.
std::optional<ResumePoint> FindResumePoint(std::string_view text, const peg::SyntaxError& e,
                                           Block block, size_t previous) {
  size_t pos = e.where.byte - (e.where.column - 1);
  uint32_t line = static_cast<uint32_t>(e.where.line);
  bool own_line = SkipBlanks(text.substr(pos, e.where.byte - pos)).empty();
  for (;;) {
    if (!own_line || pos <= previous) {
      size_t newline = text.find('\n', pos);
      if (newline == std::string_view::npos) return std::nullopt;
      pos = newline + 1;
      ++line;
    }
    own_line = false;
    std::string_view rest = SkipBlanks(text.substr(pos));
    if (StartsWithAnyKeyword(rest, kStatementKeywords)) return ResumePoint{pos, line, Resume::kTop};
    if (block == Block::kVillage &&
        (StartsWithAnyKeyword(rest, kSettingKeywords) || StartsWithCloseBrace(rest))) {
      return ResumePoint{pos, line, Resume::kVillage};
    }
    if (block == Block::kCategory &&
        (StartsWithAnyKeyword(rest, kItemKeywords) || StartsWithCloseBrace(rest))) {
      return ResumePoint{pos, line, Resume::kCategory};
    }
  }
}

// Parses from `point` to the end of the text; returns normally or throws SyntaxError.
void ParseFrom(std::string_view text, const std::string& file_name, const ResumePoint& point,
               Builder& b) {
  pegtl::memory_input<> in(text.data() + point.byte, text.data() + text.size(), file_name,
                           point.byte, point.line, 1);
  bool parsed = false;
  switch (point.where) {
    case Resume::kStart:
      parsed = pegtl::parse<peg::rule_file, peg::action, peg::control>(in, b);
      break;
    case Resume::kTop:
      parsed = pegtl::parse<peg::statements, peg::action, peg::control>(in, b);
      break;
    case Resume::kVillage:
      parsed = pegtl::parse<peg::resume_in_village, peg::action, peg::control>(in, b);
      break;
    case Resume::kCategory:
      parsed = pegtl::parse<peg::resume_in_category, peg::action, peg::control>(in, b);
      break;
  }
  // Every start rule ends in must<end_of_file>: it matches or throws.
  assert(parsed);
  (void)parsed;
}

// Parses the whole text, resuming after each syntax error (GRAMMAR.md "Error recovery").
void ParseAll(std::string_view text, const std::string& file_name, Builder& b) {
  ResumePoint point{0, 1, Resume::kStart};
  for (;;) {
    try {
      ParseFrom(text, file_name, point, b);
      return;
    } catch (const peg::SyntaxError& e) {
      b.had_syntax_error = true;
      b.Error(b.At(e.where.byte, e.where.line, e.where.column), e.message);
      b.DropPending();
      auto next = FindResumePoint(text, e, b.block, point.byte);
      if (!next) return;
      if (next->where == Resume::kTop) b.block = Block::kNone;
      point = *next;
    } catch (const pegtl::parse_error& e) {
      // Not expected: every commit point raises SyntaxError. Reported rather than lost.
      b.had_syntax_error = true;
      const auto& p = e.positions().front();
      b.Error(b.At(p.byte, p.line, p.column), Message::kStatement);
      return;
    }
  }
}

// Invalid UTF-8 or a NUL byte: one diagnostic at the first bad byte, shown as U+FFFD.
Diagnostic BadByteDiagnostic(std::string_view text, const std::string& file_name, size_t bad,
                             Language language) {
  uint32_t line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < bad; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  Diagnostic d;
  d.location = Location{
      file_name, line,
      static_cast<uint32_t>(CodePointCount(text.substr(line_start, bad - line_start)) + 1)};
  if (text[bad] == '\0') {
    d.message = RenderMessage(Message::kNulByte, language);
  } else {
    static constexpr char kHex[] = "0123456789ABCDEF";
    unsigned char byte = static_cast<unsigned char>(text[bad]);
    std::string hex{kHex[byte >> 4], kHex[byte & 0xF]};
    d.message = RenderMessage(Message::kInvalidUtf8, language, {hex});
  }
  std::vector<Diagnostic> one{std::move(d)};
  AttachSourceLines(text, one);
  // Only the text before `bad` is known to be valid; replace every bad byte after it.
  std::string& shown = one[0].source_line;
  std::string clean;
  size_t pos = 0;
  while (pos < shown.size()) {
    size_t next_bad = FindInvalidUtf8(std::string_view(shown).substr(pos));
    if (next_bad == std::string_view::npos) {
      clean.append(shown, pos);
      break;
    }
    clean.append(shown, pos, next_bad);
    clean.append("\xEF\xBF\xBD");
    pos += next_bad + 1;
  }
  shown = std::move(clean);
  return std::move(one[0]);
}

}  // namespace

Language KeywordLanguage(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  for (;;) {
    std::string_view rest = SkipBlanks(text);
    if (!rest.empty() && rest[0] == '\n') {
      text = rest.substr(1);
    } else if (!rest.empty() && rest[0] == '#') {
      size_t newline = rest.find('\n');
      if (newline == std::string_view::npos) return Language::kEnglish;
      text = rest.substr(newline + 1);
    } else {
      text = rest;
      break;
    }
  }
  for (const KeywordSpelling& spelling : kKeywordTable) {
    if (text.starts_with(spelling.chinese)) return Language::kChinese;
  }
  return Language::kEnglish;
}

DetailedParse ParseWithLayout(std::string_view text, const std::string& file_name,
                              MessageLanguage lang) {
  DetailedParse result;
  std::vector<Diagnostic>& diagnostics = result.outcome.diagnostics;
  if (text.size() > kRuleFileBytesMax) {
    Language language = ResolveMessageLanguage(lang, Language::kEnglish);
    diagnostics.push_back(
        Diagnostic{Location{file_name, 0, 0},
                   RenderMessage(Message::kFileTooLarge, language,
                                 {std::to_string(text.size()), std::to_string(kRuleFileBytesMax)}),
                   ""});
    return result;
  }
  size_t bad = FindInvalidUtf8(text);
  if (bad != std::string_view::npos) {
    Language language = ResolveMessageLanguage(lang, KeywordLanguage(text.substr(0, bad)));
    diagnostics.push_back(BadByteDiagnostic(text, file_name, bad, language));
    return result;
  }

  Language keywords = KeywordLanguage(text);
  Builder b(text, file_name, ResolveMessageLanguage(lang, keywords));
  b.file.language = keywords;
  ParseAll(text, file_name, b);
  CheckFile(b, !b.had_syntax_error);

  diagnostics = b.TakeDiagnostics();
  SortDiagnostics(diagnostics);
  bool too_many = diagnostics.size() > kDiagnosticsMax;
  if (too_many) diagnostics.resize(kDiagnosticsMax);
  AttachSourceLines(text, diagnostics);
  if (too_many) {
    diagnostics.push_back(Diagnostic{Location{file_name, 0, 0},
                                     RenderMessage(Message::kTooManyErrors, b.message_language(),
                                                   {std::to_string(kDiagnosticsMax)}),
                                     ""});
  }
  if (diagnostics.empty()) result.outcome.rules = b.TakeFile();
  result.layout = std::move(b.layout);
  return result;
}

ParseOutcome ParseRules(std::string_view text, const std::string& file_name, MessageLanguage lang) {
  return std::move(ParseWithLayout(text, file_name, lang).outcome);
}

ParseOutcome ParseRulesFile(const std::string& path, MessageLanguage lang) {
  Language language = ResolveMessageLanguage(lang, Language::kEnglish);
  auto cannot_read = [&](const std::string& reason) {
    ParseOutcome outcome;
    outcome.diagnostics.push_back(Diagnostic{
        Location{path, 0, 0}, RenderMessage(Message::kCannotRead, language, {reason}), ""});
    return outcome;
  };
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) return cannot_read(std::strerror(EISDIR));
  std::ifstream in(path, std::ios::binary);
  if (!in) return cannot_read(std::strerror(errno));
  auto size = std::filesystem::file_size(path, error);
  if (!error && size > kRuleFileBytesMax) {
    ParseOutcome outcome;
    outcome.diagnostics.push_back(
        Diagnostic{Location{path, 0, 0},
                   RenderMessage(Message::kFileTooLarge, language,
                                 {std::to_string(size), std::to_string(kRuleFileBytesMax)}),
                   ""});
    return outcome;
  }
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return cannot_read(std::strerror(errno));
  return ParseRules(content.str(), path, lang);
}

}  // namespace jifen::grammar
