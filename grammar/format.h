// fmt: a rule file in canonical layout (GRAMMAR.md "Canonical layout"), keywords translated on
// request, comments kept. The result parses to the same rules as the input.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "grammar/ast.h"
#include "grammar/diagnostic.h"

namespace jifen::rules {

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

}  // namespace jifen::rules
