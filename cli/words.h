// The CLI's two-language text: a report in Chinese or English (--lang, else the rule file's own
// language: Chinese() in commands.h) picks each phrase with w("English", "中文"). Figures are
// the same in both; only words change.
#pragma once

namespace jifen::cli {

struct Words {
  bool zh = false;
  const char* operator()(const char* en, const char* cn) const { return zh ? cn : en; }
};

}  // namespace jifen::cli
