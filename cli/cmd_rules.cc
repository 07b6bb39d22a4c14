// check, fmt, rules adopt.
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/refusals.h"
#include "engine/admission.h"
#include "grammar/diagnostic.h"
#include "grammar/format.h"
#include "grammar/parser.h"

namespace jifen::cli {
namespace {

grammar::MessageLanguage MessageLanguageOf(const Globals& g) {
  if (g.lang == "zh") return grammar::MessageLanguage::kChinese;
  if (g.lang == "en") return grammar::MessageLanguage::kEnglish;
  return grammar::MessageLanguage::kAuto;
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidInput(path + ": cannot read");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

int RunCheck(const Globals& g, const std::vector<std::string>& files) {
  int rc = 0;
  for (const std::string& file : files) {
    auto outcome = grammar::ParseRulesFile(file, MessageLanguageOf(g));
    for (const auto& d : outcome.diagnostics) std::cerr << grammar::FormatDiagnostic(d);
    if (!outcome.rules) {
      rc = 1;
      continue;
    }
    const grammar::RuleFile& r = *outcome.rules;
    std::cout << file << ": ok — " << r.village.name << " (" << r.village.code << "), "
              << r.categories.size() << " categories, " << r.items.size() << " items, "
              << r.rewards.size() << " rewards, " << r.titles.size() << " titles, "
              << r.bonuses.size() << " bonuses\n";
  }
  return rc;
}

int RunFmt(const Globals& /*g: fmt prints the file only*/, const std::string& file,
           const std::string& keywords) {
  auto text = ReadFile(file);
  if (!text.ok()) return Fail(text.status());
  std::optional<grammar::Language> language;
  if (keywords == "zh") language = grammar::Language::kChinese;
  if (keywords == "en") language = grammar::Language::kEnglish;
  auto outcome = grammar::FormatRulesText(*text, file, language);
  for (const auto& d : outcome.diagnostics) std::cerr << grammar::FormatDiagnostic(d);
  if (!outcome.text) return 1;
  std::cout << *outcome.text;
  return 0;
}

int RunAdopt(const Globals& g, const std::string& file, const std::string& effective,
             const std::string& approved_by, const std::optional<std::string>& recorded) {
  auto text = ReadFile(file);
  if (!text.ok()) return Fail(text.status());
  engine::AdoptRequest request;
  request.file = file;
  request.text = std::move(*text);
  request.approved_by = approved_by;
  auto date = Date::Parse(effective);
  if (!date)
    return Fail(Status::Usage("--effective " + effective + ": not a date (write YYYY-MM-DD)"));
  request.effective = *date;
  if (recorded) {
    auto t = Timestamp::Parse(*recorded);
    if (!t) return Fail(Status::Usage("--recorded " + *recorded + ": not an RFC 3339 time"));
    request.recorded = *t;
  }
  auto ledger = ledger::Ledger::Open(g.ledger_dir, true);
  if (!ledger.ok()) return Fail(ledger.status());
  auto report = engine::AdoptRules(**ledger, request, Timestamp::Now());
  if (!report.ok()) {
    // Rule diagnostics arrive formatted already.
    std::cerr << report.status().message();
    if (report.status().message().back() != '\n') std::cerr << '\n';
    return report.status().code() == Status::Code::kCorruption ? 3 : 1;
  }
  if (report->refusal) {
    grammar::Language language = RefusalLanguage(g, report->rules_language);
    if (g.format == Format::kJson) {
      Json list = Json::array({RefusalJson(*report->refusal, language, file, 0)});
      std::cout << Json{{"refused", true}, {"refusals", list}}.dump() << '\n';
    } else {
      std::cerr << file << ": " << report->refusal->Text(language) << '\n';
    }
    return 1;
  }
  std::cout << "adopted " << file << " for village " << report->village << " from " << effective
            << " (sha256 " << report->sha256 << ", sequence " << report->sequence << ")\n";
  return 0;
}

}  // namespace jifen::cli
