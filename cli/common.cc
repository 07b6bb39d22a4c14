#include <iostream>

#include "cli/clerk_input.h"
#include "cli/commands.h"
#include "cli/words.h"
#include "engine/replay.h"
#include "engine/window.h"

namespace jifen::cli {

int Fail(const Status& status) {
  std::cerr << "jifen: " << status.message() << '\n';
  switch (status.code()) {
    case Status::Code::kOk:
      return 0;
    case Status::Code::kInvalidInput:
      return 1;
    case Status::Code::kUsage:
      return 2;
    case Status::Code::kCorruption:
      return 3;
    case Status::Code::kIOError:
      return 1;
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
  if (!t)
    return Status::Usage("--as-of " + *text +
                         ": not a time (write 2022-03-31 or 2022-03-31T18:00:00+08:00)");
  return std::optional<Timestamp>(*t);
}

void AddStatusJson(const engine::PeriodStatus& status, Json* out) {
  Json& j = *out;
  j["state"] = engine::PeriodStateName(status.state);
  j["posted"] = status.post ? Json(status.post->recorded.ToString()) : Json(nullptr);
  j["post_head"] = status.post ? Json(status.post->head) : Json(nullptr);
  j["notice_until"] = status.notice_until ? Json(status.notice_until->ToString()) : Json(nullptr);
  j["objections"] = status.objections;
  j["open_objections"] = status.open_objections;
}

std::string StateWord(engine::PeriodState state, bool zh) {
  Words w{zh};
  using engine::PeriodState;
  switch (state) {
    case PeriodState::kOpen:
      return w("open (not posted)", "未公示");
    case PeriodState::kNotice:
      return w("in its notice window", "公示中");
    case PeriodState::kAwaitingRulings:
      return w("notice ended, awaiting rulings", "公示期满，待裁定异议");
    case PeriodState::kFinal:
      return w("final", "已定稿");
  }
  return "";
}

std::string StatusText(const engine::PeriodStatus& status, bool zh) {
  std::string text = StateWord(status.state, zh);
  if (status.post) {
    text += zh ? "；" + status.post->recorded.LocalDate().ToString() + " 公示"
               : "; posted " + status.post->recorded.LocalDate().ToString();
    if (status.notice_days) {
      text += zh ? "，公示期至 " + status.notice_until->ToString()
                 : ", notice until " + status.notice_until->ToString();
    }
  }
  if (status.objections > 0) {
    text += zh ? "；异议 " + std::to_string(status.objections) + " 件（未裁定 " +
                     std::to_string(status.open_objections) + "，成立 " +
                     std::to_string(status.upheld) + "）"
               : "; objections " + std::to_string(status.objections) + " (" +
                     std::to_string(status.open_objections) + " open, " +
                     std::to_string(status.upheld) + " upheld)";
  }
  return text;
}

Json JsonQty(Quantity qty) { return JsonPoints(Points::FromCents(qty.hundredths())); }

bool Chinese(const Globals& g, const grammar::RuleFile& rules) {
  if (!g.lang.empty()) return g.lang == "zh";
  return rules.language == grammar::Language::kChinese;
}

Result<Loaded> LoadVillageForPeriods(const Globals& g, const std::string& village, Period first,
                                     Period last, const std::optional<std::string>& as_of) {
  auto t = ParseAsOfArg(as_of);
  if (!t.ok()) return t.status();
  auto ledger = OpenLedger(g);
  if (!ledger.ok()) return ledger.status();
  auto reader = (*ledger)->Snapshot();
  if (!reader.ok()) return reader.status();
  uint64_t sequence_max = t->has_value() ? (*reader)->SequenceAsOf(**t) : (*reader)->HeadSequence();
  auto model =
      engine::LoadVillageForPeriods(**reader, village, sequence_max, first, last.LastDay());
  if (!model.ok()) return model.status();
  if (model->adoptions.empty() && model->households.empty()) {
    return Status::InvalidInput("village " + village + ": not in the ledger" +
                                (t->has_value() ? " as of " + (*t)->ToString() : std::string()));
  }
  return Loaded{std::move(*ledger), std::move(*reader), std::move(*model),
                t->value_or(Timestamp::Now())};
}

}  // namespace jifen::cli
