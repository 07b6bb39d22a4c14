#include "web/page_util.h"

#include "web/http.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cassert>
#include <cstdlib>

#include "engine/admission.h"
#include "util/period_label.h"
#include "engine/window.h"

namespace jifen::web {

using nlohmann::json;

// The layout's facts about the signed-in account: its name and the CSRF token of its forms.
json BaseContext(const RequestContext& c) {
  json ctx = json::object();
  if (c.account) {
    ctx["account"] = {
        {"name", c.account->name}, {"village", c.account->village}, {"scorer", c.account->scorer}};
    ctx["csrf"] = c.session->csrf;
  }
  return ctx;
}

// A form sent back with refusals (`errors`, or the card's `objection_errors`): a summary at the
// top linking to each refused field (f-NAME, the field's wrapper; e-NAME its message, tied to the
// input by aria-describedby in the templates), and a title that starts with "错误：".
void AddErrorSummary(json& ctx, const json& t) {
  json summary = json::array();
  const std::pair<const char*, const char*> kinds[] = {{"errors", "#f-"},
                                                       {"objection_errors", "#f-obj-"}};
  for (const auto& [key, prefix] : kinds) {
    if (!ctx.contains(key) || !ctx[key].is_object()) continue;
    for (auto it = ctx[key].begin(); it != ctx[key].end(); ++it) {
      if (!it.value().is_string() || it.value().get<std::string>().empty()) continue;
      std::string href = it.key() == "general" ? "" : prefix + it.key();
      summary.push_back({{"href", href}, {"message", it.value()}});
    }
  }
  if (summary.empty()) return;
  ctx["error_summary"] = summary;
  ctx["has_error_summary"] = true;
  std::string title =
      ctx.contains("title") && ctx["title"].is_string() ? ctx["title"].get<std::string>() : "";
  ctx["title"] = t["error_title"].get<std::string>() + title;
}

void Render(RequestContext& c, int status, const std::string& page, json ctx) {
  AddErrorSummary(ctx, Strings(c.english));
  json base = BaseContext(c);
  for (auto it = base.begin(); it != base.end(); ++it) ctx[it.key()] = it.value();
  SendHtml(*c.response, status, RenderPage(page, std::move(ctx), c.english));
}

void RenderError(RequestContext& c, int status, const std::string& key) {
  Render(c, status, "error.html", {{"message", Strings(c.english)[key]}});
}

void Redirect(RequestContext& c, const std::string& to) {
  c.response->status = 303;
  c.response->SetHeader("Location", to);
}

std::string LangSuffix(const RequestContext& c, char sep) {
  return c.english ? std::string(1, sep) + "lang=en" : "";
}

LoadedVillage LoadVillage(App& app, const std::string& code, std::optional<Date> from, Date to) {
  auto reader = app.ledger().Snapshot();
  if (!reader.ok()) return reader.status();
  auto model = app.Structure(**reader, code);
  if (!model.ok()) return model.status();
  if (model->adoptions.empty()) return std::optional<VillageView>();
  if (from) {
    if (Status s = engine::LoadEvents(**reader, &*model, *from, to); !s.ok()) return s;
  }
  return std::optional<VillageView>(VillageView{std::move(*reader), std::move(*model)});
}

void LoadPeriods(LoadedVillage& village, Period first, Date last_day) {
  assert(village);
  Status s = engine::LoadEventsForPeriods(*village->reader, &village->model, first, last_day);
  if (!s.ok()) village = s;
}

void RenderNoVillage(RequestContext& c, const LoadedVillage& village, const std::string& key) {
  if (village.status().ok()) return RenderError(c, 404, key);
  spdlog::error("{} {}: cannot read the ledger: {}", c.request->method, c.request->path,
                village.status().message());
  RenderError(c, 500, "error");
}

std::string SubjectName(const engine::VillageModel& m, const std::string& code) {
  if (auto it = m.households.find(code); it != m.households.end()) return it->second.name;
  if (auto it = m.persons.find(code); it != m.persons.end()) return it->second.name;
  return "";
}

std::string StateText(const engine::PeriodStatus& status, const json& t) {
  return t["state_" + std::string(engine::PeriodStateName(status.state))].get<std::string>();
}

std::string OutcomeKey(engine::Outcome o) {
  switch (o) {
    case engine::Outcome::kCounted:
      return "outcome_counted";
    case engine::Outcome::kCapped:
      return "outcome_capped";
    case engine::Outcome::kRevoked:
      return "outcome_revoked";
    case engine::Outcome::kUnknownItem:
      return "outcome_unknown_item";
    case engine::Outcome::kNoHousehold:
      return "outcome_no_household";
    case engine::Outcome::kPending:
      return "outcome_pending";
  }
  return "outcome_counted";
}

json EventRow(const engine::VillageModel& m, const engine::EventResult& e, const json& t) {
  const engine::Event& ev = *e.record;
  bool award = ev.type == ledger::RecordType::kAward;
  std::string subject(award ? ev.subject.str() : ev.household.str());
  std::string item(award ? ev.item.str() : ev.reward.str());
  std::string item_name = e.item ? e.item->name : "";
  return {{"id", std::string(ev.id)},
          {"date", ev.date.ToString()},
          {"who", subject + " " + SubjectName(m, subject)},
          {"item", item + " " + item_name},
          {"qty", ev.qty.ToString()},
          {"counted", award ? e.counted.ToSignedString() : (-e.counted).ToSignedString()},
          {"outcome", t[OutcomeKey(e.outcome)]},
          {"scorer", std::string(ev.scorer.str())}};
}

std::string PeriodWords(const std::string& period, bool english) {
  if (english) return period;
  if (period.size() == 4 && period.find_first_not_of("0123456789") == std::string::npos)
    return period + "年";
  auto p = Period::Parse(period);
  return p ? ChinesePeriodLabel(*p) : period;
}

bool MayRecord(const grammar::Item& item, const std::string& role) {
  return item.roles.empty() ||
         std::find(item.roles.begin(), item.roles.end(), role) != item.roles.end();
}

std::string RecordedText(const engine::VillageModel& m, const ledger::Record& award, const json& t) {
  std::string text = t["recorded_for"].get<std::string>() + SubjectName(m, award.subject) + "（" +
                     award.subject + "）· " + award.item;
  const engine::Adoption* a = m.RulesInForce(award.date);
  const grammar::Item* item = a ? a->rules->FindItem(award.item) : nullptr;
  if (item) text += " " + item->name;
  text += " ×" + award.qty.ToString();
  if (item)
    text += t["recorded_points"].get<std::string>() + item->points.ToSignedString() +
            t["recorded_points_2"].get<std::string>();
  if (a && !a->rules->village.review_roles.empty() && !m.IsReviewer(*a->rules, award.scorer))
    text += t["recorded_pending"].get<std::string>();
  return text + "（" + award.id + "）";
}

grammar::Language PageLanguage(const RequestContext& c) {
  return c.english ? grammar::Language::kEnglish : grammar::Language::kChinese;
}

void PutRefusal(const RequestContext& c, const engine::Refusal& refusal,
                std::initializer_list<std::string_view> slots, json* errors) {
  std::string_view field = refusal.FieldName();
  bool has_slot = std::find(slots.begin(), slots.end(), field) != slots.end();
  (*errors)[has_slot ? std::string(field) : "general"] = refusal.Text(PageLanguage(c));
}

Result<std::optional<engine::Refusal>> WriteRecords(App& app,
                                                    const std::vector<ledger::Record>& records) {
  return app.writes().Write(records);
}

Result<std::optional<engine::Refusal>> GroupCommit::Write(
    const std::vector<ledger::Record>& records) {
  Job job;
  job.records = &records;
  std::unique_lock lock(mutex_);
  queue_.push_back(&job);
  while (!job.done) {
    if (committing_) {
      done_.wait(lock);
      continue;
    }
    // No transaction is committing: this request commits every one queued, its own among them.
    committing_ = true;
    std::vector<Job*> batch;
    batch.swap(queue_);
    lock.unlock();
    Commit(batch);
    lock.lock();
    committing_ = false;
    for (Job* j : batch) j->done = true;
    done_.notify_all();
  }
  return job.result;
}

// One transaction for all of `batch`; a request with a refused record is answered with the
// refusal and the others written again without it (admission writes nothing when it refuses).
void GroupCommit::Commit(std::vector<Job*> batch) {
  while (!batch.empty()) {
    std::vector<engine::ImportLine> lines;
    std::vector<size_t> owner;  // line number - 1 -> index in batch
    for (size_t j = 0; j < batch.size(); ++j) {
      for (const ledger::Record& r : *batch[j]->records) {
        lines.push_back({"web", static_cast<int>(lines.size() + 1), r});
        owner.push_back(j);
      }
    }
    Result<engine::ImportReport> report = Status::IOError("not run");
    {
      std::lock_guard lock(app_.write_mutex());
      report = engine::ImportRecords(app_.ledger(), lines, Timestamp::Now());
    }
    transactions_.fetch_add(1);
    if (!report.ok() || report->refusals.empty()) {
      using Answer = Result<std::optional<engine::Refusal>>;
      for (Job* j : batch)
        j->result =
            report.ok() ? Answer(std::optional<engine::Refusal>()) : Answer(report.status());
      return;
    }
    std::vector<bool> refused(batch.size(), false);
    bool named = false;
    for (const engine::LineRefusal& r : report->refusals) {
      // Admission names a line by the number it was given: one of `lines`.
      if (r.line < 1 || static_cast<size_t>(r.line) > owner.size()) continue;
      named = true;
      size_t j = owner[r.line - 1];
      if (refused[j]) continue;  // a request's first refusal is its answer
      refused[j] = true;
      batch[j]->result = std::optional<engine::Refusal>(r.refusal);
    }
    if (!named) {  // a refusal of no line: every request is told it
      for (Job* j : batch)
        j->result = std::optional<engine::Refusal>(report->refusals.front().refusal);
      return;
    }
    std::vector<Job*> rest;
    for (size_t j = 0; j < batch.size(); ++j)
      if (!refused[j]) rest.push_back(batch[j]);
    batch.swap(rest);
  }
}

std::string OneLine(std::string value) {
  for (char& ch : value) {
    if (ch == '\r' || ch == '\n' || ch == '\t') ch = ' ';
  }
  size_t first = value.find_first_not_of(' '), last = value.find_last_not_of(' ');
  return first == std::string::npos ? "" : value.substr(first, last - first + 1);
}

std::string NewFormId() { return accounts::RandomHex(6); }

std::string FormId(const RequestContext& c) {
  std::string id = FormValue(*c.request, "form");
  if (id.size() != 12 || id.find_first_not_of("0123456789abcdef") != std::string::npos) return "";
  return id;
}

std::optional<ledger::Record> RecordWithId(App& app, const std::string& village,
                                           const std::string& id) {
  auto reader = app.ledger().Snapshot();
  if (!reader.ok()) return std::nullopt;
  auto seq = (*reader)->FindKey(village, id);
  if (!seq) return std::nullopt;
  auto record = (*reader)->Get(*seq);
  if (!record.ok()) return std::nullopt;
  return *record;
}

}  // namespace jifen::web
