// The parse state: builds the AST while the grammar matches and collects diagnostics.
// Internal to grammar/. The actions in actions.h call into it.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "grammar/ast.h"
#include "grammar/diagnostic.h"
#include "grammar/keywords.h"
#include "grammar/layout.h"
#include "grammar/messages.h"
#include "grammar/source_text.h"

namespace jifen::grammar {

// Where a statement block is open, so that parsing can resume inside it after an error.
enum class Block : uint8_t { kNone, kVillage, kCategory };

// Nesting allowed in a condition: parentheses, `not`, `-` and the depth of an expression tree.
inline constexpr int kConditionDepthMax = 100;

class Builder {
 public:
  Builder(std::string_view text, const std::string& file, Language message_language);

  // Positions.
  Location At(size_t byte, size_t line, size_t byte_column);
  template <typename Input>
  Location At(const Input& in) {
    auto p = in.position();
    return At(p.byte, p.line, p.column);
  }

  // Diagnostics.
  void Error(const Location& at, Message m, std::initializer_list<std::string_view> args = {});
  std::string Subject(Keyword kind, std::string_view name) const;
  Language message_language() const { return message_language_; }

  // Numbers; a bad one (too many decimals, too large) is reported and gives nullopt, so that
  // the checks of its value are not reported on top.
  std::optional<Points> ParsePoints(std::string_view text, const Location& at);
  std::optional<int64_t> ParseInteger(std::string_view text, const Location& at);

  // Called after a syntax error: drops whatever statement was half built.
  void DropPending();
  // The AST as built: whole and checked only when there are no diagnostics, which is when
  // parser.cc takes it. Moves the file out.
  RuleFile TakeFile() { return std::move(file); }
  std::vector<Diagnostic> TakeDiagnostics() { return std::move(diagnostics_); }
  bool had_syntax_error = false;

  // The AST under construction and what fmt needs.
  RuleFile file;
  Layout layout;
  Block block = Block::kNone;
  std::optional<Language> first_keyword_language;

  // The village the settings go to: the file's, or a scratch one for a second village block.
  Village* village = nullptr;
  Village scratch_village;
  std::optional<Location> first_village;
  std::array<uint32_t, kSettingCount> setting_lines{};

  // The statement being parsed.
  Category category;
  Item item;
  uint64_t item_clauses = 0;  // a bit per Keyword of the clauses seen
  Reward reward;
  Title title;
  uint64_t title_clauses = 0;
  Bonus bonus;
  Rate rate;
  Dividend dividend;
  std::string current_category;

  // Bonus condition stacks; each expression carries its tree depth.
  Selector selector;
  std::vector<std::pair<std::unique_ptr<Expr>, int>> expressions;
  std::vector<std::unique_ptr<Cond>> conditions;
  std::vector<Cond::Op> operators;
  int depth = 0;

  void RecordComment(size_t byte, size_t line, std::string_view text);

 private:
  std::string_view text_;
  std::string file_name_;
  Language message_language_;
  ColumnCounter columns_;
  std::vector<Diagnostic> diagnostics_;
  size_t last_comment_byte_ = 0;
  bool any_comment_ = false;
};

// The unquoted, unescaped value of a string literal ("…" or “…”).
std::string StringValue(std::string_view literal);

// The keyword spelled `text` in either language (for rules that match one of a few keywords).
std::optional<Keyword> LookupKeyword(std::string_view text);

}  // namespace jifen::grammar
