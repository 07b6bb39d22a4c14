// What every page handler of `jifen serve` shares: rendering inside the layout, redirects, a
// village loaded at the ledger's head, names for codes, and writing records through the
// admission of `jifen import`.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/model.h"
#include "engine/replay.h"
#include "engine/workflow.h"
#include "ledger/ledger.h"
#include "util/text.h"
#include "web/server.h"

namespace jifen::web {

// The layout's facts about the signed-in account: its name and the CSRF token of its forms.
nlohmann::json BaseContext(const RequestContext& c);
// Renders `page` (a template of web/templates) with `ctx` plus BaseContext, and sends it.
void Render(RequestContext& c, int status, const std::string& page, nlohmann::json ctx);
// The error page with the string `key` of strings*.json.
void RenderError(RequestContext& c, int status, const std::string& key);
// 303 See Other to `to`.
void Redirect(RequestContext& c, const std::string& to);
// "?lang=en" (or "&lang=en" with sep '&') on English pages, else "".
std::string LangSuffix(const RequestContext& c, char sep = '?');

// A village as of the ledger's head now (a fresh snapshot: CLI imports show at once), with its
// events dated from `from` to `to` when `from` is given. nullopt: no such village.
struct VillageView {
  std::unique_ptr<ledger::Reader> reader;
  engine::VillageModel model;
};
std::optional<VillageView> LoadVillage(App& app, const std::string& code, std::optional<Date> from,
                                       Date to);

std::string HouseholdName(const engine::VillageModel& m, const std::string& code);
// A household's or a person's name; "" when neither.
std::string SubjectName(const engine::VillageModel& m, const std::string& code);
// The period state in the page's words.
std::string StateText(const engine::PeriodStatus& status, const nlohmann::json& t);
// The strings*.json key of an outcome ("outcome_counted" ...).
std::string OutcomeKey(engine::Outcome o);
// One row of a household's records, as `explain` shows them.
nlohmann::json EventRow(const engine::VillageModel& m, const engine::EventResult& e,
                        const nlohmann::json& t);

// Writes `records` in one batch through engine::ImportRecords (under the app's write mutex).
// Returns nullopt when every record was taken; otherwise admission's first refusal, without its
// "web:N: " prefix (and nothing was written: a batch is all or nothing).
// Fails (Status) only when the ledger itself could not be written.
Result<std::optional<std::string>> WriteRecords(App& app,
                                                const std::vector<ledger::Record>& records);

// Forms that write carry a one-time id (hidden field "form", 12 hex, made when the form is shown)
// from which the record's id is derived: a form sent twice (a retry after a slow answer, a
// double click) names the same record, and the second answer is the first one's.
std::string NewFormId();
// The form's id as sent, or "" when missing or malformed.
std::string FormId(const RequestContext& c);
// The record of `village` with `id` already in the ledger, if any.
std::optional<ledger::Record> RecordWithId(App& app, const std::string& village,
                                           const std::string& id);

// Admission's refusal said in plain words, with the form field it concerns ("general" when none):
// {field, text}.
std::pair<std::string, std::string> ExplainRefusal(const std::string& message,
                                                   const nlohmann::json& t);

}  // namespace jifen::web
