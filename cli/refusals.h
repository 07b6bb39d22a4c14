// Admission's refusals as the CLI says them (SPEC.md §4 "Refusal codes", §5): in the reader's
// language, as "FILE:LINE: reason" lines on stderr or, with --format json, one object per refusal
// on stdout.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "engine/admission.h"

namespace jifen::cli {

// --lang when given, else the language of the rules the refusal is about, else English.
grammar::Language RefusalLanguage(const Globals& g, std::optional<grammar::Language> rules);

// {"code", "number", "file", "line", "field", "message"}; "line" is null when `line` is 0.
Json RefusalJson(const engine::Refusal& refusal, grammar::Language language,
                 const std::string& file, int line);

// Prints the refused lines of an import (or of a one-record command) and returns exit code 1:
// "FILE:LINE: reason" each (prefix "jifen: " and no place when `place` is false), then
// "jifen: WHAT refused…"; with --format json a {"refused": true, "refusals": [...]} on stdout.
int PrintRefused(const Globals& g, const std::vector<engine::LineRefusal>& refusals,
                 const std::string& what, bool place);

}  // namespace jifen::cli
