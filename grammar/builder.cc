#include "grammar/builder.h"

#include <cassert>

namespace jifen::grammar {

Builder::Builder(std::string_view text, const std::string& file_name, Language message_language)
    : text_(text), file_name_(file_name), message_language_(message_language), columns_(text) {
  file.file = file_name;
  village = &file.village;
}

Location Builder::At(size_t byte, size_t line, size_t byte_column) {
  assert(byte_column >= 1);
  size_t line_start = byte - (byte_column - 1);
  return Location{file_name_, static_cast<uint32_t>(line), columns_.Column(line_start, byte)};
}

void Builder::Error(const Location& at, Message m, std::initializer_list<std::string_view> args) {
  Diagnostic d;
  d.location = at;
  d.message = RenderMessage(m, message_language_, args);
  diagnostics_.push_back(std::move(d));
}

std::string Builder::Subject(Keyword kind, std::string_view name) const {
  std::string out(KeywordText(kind, message_language_));
  out += ' ';
  out += name;
  return out;
}

std::optional<Points> Builder::ParsePoints(std::string_view text, const Location& at) {
  if (auto points = Points::Parse(text)) return points;
  size_t dot = text.find('.');
  bool too_precise = dot != std::string_view::npos && text.size() - dot - 1 > 2;
  Error(at, too_precise ? Message::kNumberPrecision : Message::kNumberRange, {text});
  return std::nullopt;
}

std::optional<int64_t> Builder::ParseInteger(std::string_view text, const Location& at) {
  bool negative = !text.empty() && text[0] == '-';
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') continue;
    value = value * 10 + (c - '0');
    if (value > Points::kWholeMax) {
      Error(at, Message::kNumberRange, {text});
      return std::nullopt;
    }
  }
  return negative ? -value : value;
}

void Builder::DropPending() {
  category = Category();
  item = Item();
  reward = Reward();
  title = Title();
  bonus = Bonus();
  rate = Rate();
  dividend = Dividend();
  expressions.clear();
  conditions.clear();
  operators.clear();
  depth = 0;
}

void Builder::RecordComment(size_t byte, size_t line, std::string_view text) {
  // Backtracking can match the same comment twice; comments only ever move forward.
  if (any_comment_ && byte <= last_comment_byte_) return;
  any_comment_ = true;
  last_comment_byte_ = byte;
  while (!text.empty() && (text.back() == '\r' || text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  bool trailing = false;
  for (size_t i = byte; i > 0 && text_[i - 1] != '\n'; --i) {
    char c = text_[i - 1];
    if (c != ' ' && c != '\t' && c != '\r') {
      trailing = true;
      break;
    }
  }
  layout.comments.push_back(
      SourceComment{static_cast<uint32_t>(line), std::string(text), trailing});
}

std::string StringValue(std::string_view literal) {
  if (literal.size() >= 2 && literal.front() == '"') {
    std::string out;
    out.reserve(literal.size() - 2);
    for (size_t i = 1; i + 1 < literal.size(); ++i) {
      if (literal[i] == '\\' && i + 2 < literal.size()) ++i;
      out.push_back(literal[i]);
    }
    return out;
  }
  constexpr std::string_view kOpen = "“", kClose = "”";
  if (literal.size() >= kOpen.size() + kClose.size()) {
    return std::string(literal.substr(kOpen.size(), literal.size() - kOpen.size() - kClose.size()));
  }
  return std::string(literal);
}

std::optional<Keyword> LookupKeyword(std::string_view text) {
  for (size_t i = 0; i < kKeywordCount; ++i) {
    if (kKeywordTable[i].english == text || kKeywordTable[i].chinese == text) {
      return static_cast<Keyword>(i);
    }
  }
  return std::nullopt;
}

}  // namespace jifen::grammar
