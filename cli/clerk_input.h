// What a clerk types at the command line (SPEC.md §5 "What the CLI takes"): a village, household,
// person or scorer by its code in any case or by its name, as import takes them (engine/names.h);
// a period in Chinese (2022年6月, 2022年第二季度, a year as 2022年); and the words a clerk reads
// when the command line itself is wrong: usage errors in the chosen language, the everyday commands
// for `jifen` alone, and how to name a ledger that is not there.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cli/commands.h"

namespace CLI {
class Error;
}

namespace jifen::cli {

// The Chinese forms of a period in the ledger's form: "2022年6月" and "2022年06月" → "2022-06",
// "2022年第二季度" and "2022年第2季度" → "2022-Q2". Any other text is returned as given.
std::string PeriodForm(std::string text);
// "2022年" → "2022"; any other text as given (for --year).
std::string YearForm(std::string text);
// The year that "2022年" names, where a report takes a year in place of a period.
std::optional<int> YearOfPeriodText(std::string_view text);

// The values a command names, each replaced by its code (nullptr: the command takes none; an
// empty value: not given).
struct NamedArgs {
  std::string* village = nullptr;
  std::string* household = nullptr;
  std::string* person = nullptr;
  std::string* scorer = nullptr;
  // A village the ledger does not know is left as given (`log --village` prints nothing for it).
  bool village_may_be_unknown = false;
};
// Takes each value as a code of the ledger (exactly, then in any case) or as the name of one.
// A ledger that is not there is left to the command to name, after it has checked its other
// arguments. Errors: the ledger cannot be opened; InvalidInput when a value names nothing (with
// the closest codes and names); Usage when a name is shared by several (with each of them).
Status ResolveNames(const Globals& g, const NamedArgs& args);

// The ledger of --ledger, opened for reading. A ledger that is not there is named, with how to
// give one (--ledger DIR) or make one (`jifen demo`).
Result<std::unique_ptr<ledger::Ledger>> OpenLedger(const Globals& g);

// The language of the clerk who ran `argv`: --lang, else JIFEN_LANG, else the language of the
// ledger's rules (--ledger, default ./ledger); English when none says.
bool ClerkReadsChinese(int argc, char** argv);
// The language JIFEN_LANG names: "zh", "en", or "" when it is unset or neither.
std::string LanguageFromEnvironment();
// A CLI11 usage error (a required option missing, an unknown option, a bad value, extra
// arguments) in Chinese, with the hint that ends CLI11's English one.
std::string UsageErrorInChinese(const CLI::Error& error);
// What `jifen` alone prints: the everyday commands, in Chinese and in English.
std::string EverydayCommands();

}  // namespace jifen::cli
