// whatif: a period or year replayed under a proposed rule file, beside the figures under the
// rules adopted. Reads the ledger only.
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/clerk_input.h"
#include "cli/commands.h"
#include "cli/words.h"
#include "engine/admission.h"
#include "engine/whatif.h"
#include "grammar/parser.h"

namespace jifen::cli {
namespace {

using engine::WhatIfReport;
using engine::WhatIfRow;

std::string Signed(int n) { return n > 0 ? "+" + std::to_string(n) : std::to_string(n); }

Json RowJson(const WhatIfRow& r, const std::string& name) {
  return {{"household", r.household},
          {"name", name},
          {"before", r.existed_before ? JsonPoints(r.before) : Json()},
          {"after", r.existed_after ? JsonPoints(r.after) : Json()},
          {"difference", JsonPoints(r.difference)},
          {"rank_before", r.existed_before ? Json(r.rank_before) : Json()},
          {"rank_after", r.existed_after ? Json(r.rank_after) : Json()},
          {"rank_change", r.rank_change},
          {"titles_before", r.titles_before},
          {"titles_after", r.titles_after}};
}

Json ReportJson(const WhatIfReport& r, const engine::VillageModel& m,
                const engine::ReportWindow& window, const std::string& file,
                const std::string& sha256) {
  Json j{{"village", r.village}};
  if (window.year)
    j["year"] = *window.year;
  else
    j["period"] = window.period->ToString();
  j["measure"] = r.annual ? "annual" : "earned";
  Json replaced = Json::array();
  for (const auto& v : r.replaced) {
    replaced.push_back({{"sha256", v.sha256},
                        {"effective", v.effective.ToString()},
                        {"approved_by", v.approved_by}});
  }
  j["rules_before"] = replaced;
  j["rules_after"] = {{"file", file}, {"sha256", sha256}};
  Json rows = Json::array();
  for (const auto& row : r.rows) {
    auto h = m.households.find(row.household);
    rows.push_back(RowJson(row, h == m.households.end() ? "" : h->second.name));
  }
  j["households"] = rows;
  j["summary"] = {{"gain", r.gain},
                  {"lose", r.lose},
                  {"unchanged", r.unchanged},
                  {"title_changes", r.title_changes},
                  {"unknown_item_records", r.unknown_item_records},
                  {"unknown_reward_records", r.unknown_reward_records}};
  return j;
}

Table MakeTable(const WhatIfReport& r, const engine::VillageModel& m, bool zh) {
  Table t(zh ? std::vector<std::string>{"户号", "户名", ">调整前", ">调整后", ">差额", ">原名次",
                                        ">新名次", ">名次变化", "原称号", "新称号"}
             : std::vector<std::string>{"household", "name", ">before", ">after", ">difference",
                                        ">rank before", ">rank after", ">rank change",
                                        "titles before", "titles after"});
  for (const auto& row : r.rows) {
    auto h = m.households.find(row.household);
    t.AddRow({row.household, h == m.households.end() ? "" : h->second.name,
              row.existed_before ? row.before.ToString() : "—",
              row.existed_after ? row.after.ToString() : "—", row.difference.ToSignedString(),
              row.existed_before ? std::to_string(row.rank_before) : "—",
              row.existed_after ? std::to_string(row.rank_after) : "—",
              row.rank_change ? Signed(row.rank_change) : "", Join(row.titles_before, " "),
              Join(row.titles_after, " ")});
  }
  return t;
}

void PrintSummary(const WhatIfReport& r, bool zh) {
  if (zh) {
    std::cout << r.gain << " 户增加，" << r.lose << " 户减少，" << r.unchanged << " 户不变，"
              << r.title_changes << " 户称号变化";
    if (r.unknown_item_records)
      std::cout << "；" << r.unknown_item_records << " 条记分记录的项目新规则中没有（计 0 分）";
    if (r.unknown_reward_records)
      std::cout << "；" << r.unknown_reward_records << " 条兑换记录的奖品新规则中没有（不扣分）";
    std::cout << "。\n";
    return;
  }
  std::cout << r.gain << " households gain, " << r.lose << " lose, " << r.unchanged
            << " unchanged, " << r.title_changes << " change titles";
  if (r.unknown_item_records)
    std::cout << "; " << r.unknown_item_records
              << " awards name items the proposal lacks (counted 0)";
  if (r.unknown_reward_records)
    std::cout << "; " << r.unknown_reward_records
              << " redemptions name rewards the proposal lacks (not deducted)";
  std::cout << ".\n";
}

}  // namespace

int RunWhatIf(const Globals& g, const std::string& village, const std::string& rules_file,
              const std::string& period, int year, const std::optional<std::string>& as_of) {
  auto window = ParseWindowArgs(period, year);
  if (!window.ok()) return Fail(window.status());
  auto t = ParseAsOfArg(as_of);
  if (!t.ok()) return Fail(t.status());
  std::ifstream in(rules_file, std::ios::binary);
  if (!in) return Fail(Status::InvalidInput(rules_file + ": cannot read"));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string text = engine::RuleText(buffer.str());
  grammar::MessageLanguage lang = g.lang == "zh"   ? grammar::MessageLanguage::kChinese
                                  : g.lang == "en" ? grammar::MessageLanguage::kEnglish
                                                   : grammar::MessageLanguage::kAuto;
  auto parsed = grammar::ParseRules(text, rules_file, lang);
  for (const auto& d : parsed.diagnostics) std::cerr << grammar::FormatDiagnostic(d);
  if (!parsed.rules) return 1;
  auto proposal = std::make_shared<const grammar::RuleFile>(std::move(*parsed.rules));

  auto ledger = OpenLedger(g);
  if (!ledger.ok()) return Fail(ledger.status());
  auto reader = (*ledger)->Snapshot();
  if (!reader.ok()) return Fail(reader.status());
  uint64_t sequence_max = t->has_value() ? (*reader)->SequenceAsOf(**t) : (*reader)->HeadSequence();
  auto loaded = engine::LoadWindow(**reader, village, sequence_max, *window);
  if (!loaded.ok()) return Fail(loaded.status());
  std::string sha256 = ledger::Sha256Hex(text);
  auto report = engine::WhatIf(loaded->model, *window, proposal, sha256);
  if (!report.ok()) return Fail(report.status());
  const engine::VillageModel& m = loaded->model;
  if (g.format == Format::kJson) {
    Json j = ReportJson(*report, m, *window, rules_file, sha256);
    if (as_of) j["as_of"] = *as_of;
    std::cout << j.dump() << '\n';
    return 0;
  }
  bool zh = Chinese(g, *proposal);
  Words w{zh};
  if (g.format == Format::kCsv) {
    MakeTable(*report, m, zh).PrintCsv(std::cout);
    return 0;
  }
  std::cout << proposal->village.name << " (" << village << ") "
            << (window->year ? std::to_string(*window->year) : window->period->ToString())
            << w(" what if: ", " 规则调整测算：") << rules_file << " (" << sha256.substr(0, 12)
            << ")" << w(" instead of ", " 代替 ");
  for (size_t i = 0; i < report->replaced.size(); ++i) {
    std::cout << (i ? ", " : "") << report->replaced[i].sha256.substr(0, 12);
  }
  std::cout << (report->annual ? w("; comparing annual values", "；比较年度积分") : "")
            << (as_of ? w(", as of ", "，截至 ") + *as_of : "") << "\n\n";
  MakeTable(*report, m, zh).Print(std::cout);
  std::cout << '\n';
  PrintSummary(*report, zh);
  return 0;
}

}  // namespace jifen::cli
