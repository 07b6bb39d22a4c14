// What fmt keeps of a rule file beyond its AST: the comments and where things were written.
// The parse state (builder.h) fills it; fmt (format.cc, printer.h) reads it. Internal to grammar/.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace jifen::grammar {

// The village settings, in canonical order (GRAMMAR.md).
enum class Setting : uint8_t {
  kTownship,
  kPeriod,
  kClearing,
  kLate,
  kBase,
  kRank,
  kAnnual,
  kSelf,
  kReview,
  kNotice,
  kCount_
};
inline constexpr size_t kSettingCount = static_cast<size_t>(Setting::kCount_);

// A comment and where it was, so that fmt can keep it.
struct SourceComment {
  uint32_t line = 0;
  std::string text;       // from '#' to the end of the line, without trailing spaces
  bool trailing = false;  // true when code precedes it on its line
};

// What fmt needs beyond the AST: comments, and the lines of things the AST does not locate.
struct Layout {
  std::vector<SourceComment> comments;
  std::array<uint32_t, kSettingCount> setting_lines{};  // 0: not given
  uint32_t village_close_line = 0;
  std::vector<uint32_t> category_close_lines;  // by category index
};

}  // namespace jifen::grammar
