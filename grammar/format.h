// fmt: a rule file in canonical layout (GRAMMAR.md "Canonical layout"), keywords translated on
// request, comments kept. The result parses to the same rules as the input.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "grammar/ast.h"
#include "grammar/diagnostic.h"

namespace jifen::grammar {

struct FormatOutcome {
  std::optional<std::string> text;      // set iff `diagnostics` is empty
  std::vector<Diagnostic> diagnostics;  // a file with errors is not formatted
};

// Formats `text`; `keywords` picks the keyword language of the result (nullopt: the file's own).
// Diagnostics are in the language of the file's keywords.
FormatOutcome FormatRulesText(std::string_view text, const std::string& file_name,
                              std::optional<Language> keywords);

// The canonical text of `rules` alone, without comments, with keywords in `keywords`.
std::string PrintRules(const RuleFile& rules, Language keywords);

// The canonical text of one expression of a bonus condition ("points(A1) / members"), and of a
// comparison operator (">="), as fmt writes them. For reports that show a condition's parts.
std::string ExpressionText(const Expr& expression, Language keywords);
std::string_view OperatorText(Cond::Op op);

}  // namespace jifen::grammar
