// What every page handler of `jifen serve` shares: rendering inside the layout, redirects, a
// village loaded at the ledger's head, names for codes, and writing records through the
// admission of `jifen import`.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/model.h"
#include "engine/refusal.h"
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
// events dated from `from` to `to` when `from` is given.
struct VillageView {
  std::unique_ptr<ledger::Reader> reader;
  engine::VillageModel model;
};
// What LoadVillage found: the view (true), or none: no such village (status() ok: the page
// answers 404), or a ledger that could not be read (status(): I/O or corruption, answered 500).
class LoadedVillage {
 public:
  LoadedVillage(Status failure) : status_(std::move(failure)) {}  // NOLINT: implicit on purpose.
  LoadedVillage(std::optional<VillageView> view) : view_(std::move(view)) {}  // NOLINT: as above.
  explicit operator bool() const { return view_.has_value(); }
  VillageView& operator*() { return *view_; }
  VillageView* operator->() { return &*view_; }
  const VillageView* operator->() const { return &*view_; }
  const Status& status() const { return status_; }
  void reset() { view_.reset(); }

 private:
  Status status_;
  std::optional<VillageView> view_;
};
LoadedVillage LoadVillage(App& app, const std::string& code, std::optional<Date> from, Date to);
// Adds to `village`, loaded without events, the events that the periods from `first` to the one
// ending `last_day` need, from its own snapshot (engine::LoadEventsForPeriods); on a failure to
// read, `village` keeps the status and no view.
void LoadPeriods(LoadedVillage& village, Period first, Date last_day);
// The answer to a request whose village did not load: 500, the reason in the log, when the
// ledger could not be read; else 404 with the strings*.json text `key`.
void RenderNoVillage(RequestContext& c, const LoadedVillage& village,
                     const std::string& key = "not_found");

using engine::HouseholdName;
// A household's or a person's name; "" when neither.
std::string SubjectName(const engine::VillageModel& m, const std::string& code);
// A period as a Chinese page says it: "2026年6月", "2026年第三季度", "2026年"; an English page, and
// anything that is not a period, as given ("2026-06").
std::string PeriodWords(const std::string& period, bool english);
// Whether a scorer of `role` may record `item` (its `by` roles, none: anyone), as admission checks.
bool MayRecord(const grammar::Item& item, const std::string& role);
// What an award just made records, for the scorer who made it: for whom, the item, the quantity
// and the item's points, and whether it waits for review ("已记上：张三（P1）· A1 升旗 ×1，每次 +2 分").
std::string RecordedText(const engine::VillageModel& m, const ledger::Record& award,
                         const nlohmann::json& t);
// The period state in the page's words.
std::string StateText(const engine::PeriodStatus& status, const nlohmann::json& t);
// The strings*.json key of an outcome ("outcome_counted" ...).
std::string OutcomeKey(engine::Outcome o);
// One row of a household's records, as `explain` shows them.
nlohmann::json EventRow(const engine::VillageModel& m, const engine::EventResult& e,
                        const nlohmann::json& t);

// Writes `records` (one request's, all or nothing) through engine::ImportRecords, committed
// together with the writes of other requests that arrive meanwhile (App::writes(), group commit).
// Returns once the transaction holding them is durable: nullopt when every record was taken;
// otherwise admission's first refusal of them (and none of them was written). Fails (Status) only
// when the ledger itself could not be written.
Result<std::optional<engine::Refusal>> WriteRecords(App& app,
                                                    const std::vector<ledger::Record>& records);

// Group commit: a request's records join a queue; while one transaction commits, the requests
// that arrive wait, and the next of them to run commits all that are queued in one transaction.
// A record admission refuses refuses only its own request: the refused requests are taken out
// and the rest written again in one transaction (admission writes nothing when it refuses).
class GroupCommit {
 public:
  explicit GroupCommit(App& app) : app_(app) {}
  Result<std::optional<engine::Refusal>> Write(const std::vector<ledger::Record>& records);
  // Transactions tried (a batch with a refusal is tried again without it), and requests queued
  // behind the one committing: for tests.
  uint64_t transactions() const { return transactions_.load(); }
  size_t waiting() {
    std::lock_guard lock(mutex_);
    return queue_.size();
  }

 private:
  struct Job {
    const std::vector<ledger::Record>* records = nullptr;
    bool done = false;
    Result<std::optional<engine::Refusal>> result = Status::IOError("not written");
  };
  void Commit(std::vector<Job*> batch);
  App& app_;
  std::mutex mutex_;
  std::condition_variable done_;
  std::vector<Job*> queue_;
  bool committing_ = false;
  std::atomic<uint64_t> transactions_{0};
};

// A text field as one line: the line breaks and tabs a textarea gives become spaces (the ledger's
// names and reasons are single lines), and the ends are trimmed.
std::string OneLine(std::string value);

// Forms that write carry a one-time id (hidden field "form", 12 hex, made when the form is shown)
// from which the record's id is derived: a form sent twice (a retry after a slow answer, a
// double click) names the same record, and the second answer is the first one's.
std::string NewFormId();
// The form's id as sent, or "" when missing or malformed.
std::string FormId(const RequestContext& c);
// The record of `village` with `id` already in the ledger, if any.
std::optional<ledger::Record> RecordWithId(App& app, const std::string& village,
                                           const std::string& id);

// The language of the page: English with ?lang=en, else Chinese.
grammar::Language PageLanguage(const RequestContext& c);

// Admission's refusal on a form: `*errors`[slot] = its text in the page's language, where the slot
// is the refusal's field (engine::RefusalFieldName) when `slots` names it, else "general".
void PutRefusal(const RequestContext& c, const engine::Refusal& refusal,
                std::initializer_list<std::string_view> slots, nlohmann::json* errors);

}  // namespace jifen::web
