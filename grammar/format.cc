#include "grammar/format.h"

#include "grammar/parse_internal.h"

namespace jifen::rules {

FormatOutcome FormatRulesText(std::string_view text, const std::string& file_name,
                              std::optional<Language> keywords) {
  FormatOutcome out;
  DetailedParse parse = ParseWithLayout(text, file_name, MessageLanguage::kAuto);
  out.diagnostics = std::move(parse.outcome.diagnostics);
  (void)keywords;
  return out;
}

std::string PrintRules(const RuleFile&, Language) { return ""; }

}  // namespace jifen::rules
