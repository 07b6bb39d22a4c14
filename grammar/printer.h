// Canonical text of each statement of a rule file, in either keyword language (GRAMMAR.md
// "Canonical layout"). Internal to grammar/; fmt (format.cc) arranges the lines and comments.
#pragma once

#include <string>
#include <vector>

#include "grammar/ast.h"
#include "grammar/keywords.h"
#include "grammar/layout.h"

namespace jifen::grammar {

class Printer {
 public:
  explicit Printer(Language language) : language_(language) {}

  std::string VillageHead(const Village& v) const;
  std::string SettingLine(const Village& v, Setting setting) const;
  std::string CategoryHead(const Category& c) const;
  std::string ItemLine(const Item& item) const;
  std::string RewardLine(const Reward& r) const;
  std::string RateLine(const Rate& r) const;
  std::string TitleLine(const Title& t) const;
  std::string BonusLine(const Bonus& b) const;
  std::string DividendLine(const Dividend& d) const;
  std::string Condition(const Cond& c) const;
  std::string Expression(const Expr& e) const;

  // A string literal: "…" with \" and \\ escaped.
  static std::string Quote(std::string_view text);

 private:
  std::string Word(Keyword k) const { return std::string(KeywordText(k, language_)); }
  // Clause and role separators: a Chinese file gets the fullwidth forms its clerks type.
  std::string Comma() const { return language_ == Language::kChinese ? "，" : ", "; }
  std::string Bar() const { return language_ == Language::kChinese ? "｜" : " | "; }
  // "per person" / "每人": Chinese joins `per` to its word as clerks write it.
  std::string PerWord(Keyword k) const;
  // "A" | "B" (a `by` clause's or the `review` setting's roles).
  std::string Roles(const std::vector<std::string>& roles) const;
  std::string Operand(const Cond& c, Cond::Kind parent) const;
  std::string Selector(const grammar::Selector& s) const;

  Language language_;
};

}  // namespace jifen::grammar
