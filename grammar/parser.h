// Parsing and checking rule files (SPEC.md §2, GRAMMAR.md). The entry points the engine and the
// CLI call. Nothing here prints or throws: every problem is a Diagnostic.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "grammar/ast.h"
#include "grammar/diagnostic.h"

namespace jifen::grammar {

// Files above this size are refused with one diagnostic (rule files are a few kilobytes).
inline constexpr size_t kRuleFileBytesMax = 16 * 1024 * 1024;

struct ParseOutcome {
  std::optional<RuleFile> rules;        // set iff `diagnostics` is empty
  std::vector<Diagnostic> diagnostics;  // every error of the file, by line and column
};

// Parses and checks `text`; `file_name` goes into every Location. All errors are reported (up to
// kDiagnosticsMax), in the language `lang` resolves to.
ParseOutcome ParseRules(std::string_view text, const std::string& file_name,
                        MessageLanguage lang = MessageLanguage::kAuto);

// Reads `path` and parses it. An unreadable file is one diagnostic at line 0.
ParseOutcome ParseRulesFile(const std::string& path, MessageLanguage lang = MessageLanguage::kAuto);

// After this many errors a file's remaining ones are summed up in one last diagnostic.
inline constexpr size_t kDiagnosticsMax = 500;

// The language of a file's keywords as decided by its first keyword (English if it has none).
Language KeywordLanguage(std::string_view text);

}  // namespace jifen::grammar
