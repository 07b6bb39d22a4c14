// The parser with what fmt needs besides the AST. Internal to grammar/.
#pragma once

#include <string>
#include <string_view>

#include "grammar/builder.h"
#include "grammar/parser.h"

namespace jifen::grammar {

struct DetailedParse {
  ParseOutcome outcome;
  Layout layout;
};

DetailedParse ParseWithLayout(std::string_view text, const std::string& file_name,
                              MessageLanguage lang);

// Semantic checks that need the whole file (checks.cc); the others run as statements are read.
// `complete` is false after a syntax error: codes in selectors are then not checked, since their
// definitions may sit in the part of the file that could not be read.
void CheckFile(Builder& b, bool complete);

}  // namespace jifen::grammar
