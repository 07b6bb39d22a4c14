#include <iostream>

#include "cli/commands.h"
#include "engine/replay.h"

namespace jifen::cli {

int Fail(const Status& status) {
  std::cerr << "jifen: " << status.message() << '\n';
  switch (status.code()) {
    case Status::Code::kOk: return 0;
    case Status::Code::kInvalidInput: return 1;
    case Status::Code::kUsage: return 2;
    case Status::Code::kCorruption: return 3;
    case Status::Code::kIOError: return 1;
  }
  return 1;
}

Result<Period> ParsePeriodArg(const std::string& text) {
  auto p = Period::Parse(text);
  if (!p) return Status::Usage("--period " + text + ": not a period (write YYYY-MM or YYYY-Qn)");
  return *p;
}

Result<std::optional<Timestamp>> ParseAsOfArg(const std::optional<std::string>& text) {
  if (!text) return std::optional<Timestamp>();
  auto t = ParseAsOf(*text);
  if (!t) return Status::Usage("--as-of " + *text + ": not a time (write 2022-03-31 or 2022-03-31T18:00:00+08:00)");
  return std::optional<Timestamp>(*t);
}

bool Chinese(const Globals& g, const rules::RuleFile& rules) {
  if (!g.lang.empty()) return g.lang == "zh";
  return rules.language == rules::Language::kChinese;
}

Result<Loaded> LoadVillageForPeriods(const Globals& g, const std::string& village, Period first, Period last,
                                     const std::optional<std::string>& as_of) {
  auto t = ParseAsOfArg(as_of);
  if (!t.ok()) return t.status();
  auto ledger = ledger::Ledger::Open(g.ledger_dir, false);
  if (!ledger.ok()) return ledger.status();
  auto reader = (*ledger)->Snapshot();
  if (!reader.ok()) return reader.status();
  uint64_t max_sequence = t->has_value() ? (*reader)->SequenceAsOf(**t) : (*reader)->HeadSequence();
  // Structure first, to learn where replay must start; then the events it needs.
  auto model = engine::LoadVillage(**reader, village, max_sequence, Date::FromCivil(9999, 12, 31),
                                   Date::FromCivil(1, 1, 1));
  if (!model.ok()) return model.status();
  if (model->adoptions.empty() && model->households.empty()) {
    return Status::InvalidInput("village " + village + ": not in the ledger" +
                                (t->has_value() ? " as of " + (*t)->ToString() : std::string()));
  }
  Date from = engine::ReplayStart(*model, first);
  if (Status s = engine::LoadEvents(**reader, &*model, from, last.LastDay()); !s.ok()) return s;
  return Loaded{std::move(*ledger), std::move(*reader), std::move(*model)};
}

}  // namespace jifen::cli
