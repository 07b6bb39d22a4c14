// approve, post, object, rule: the village's workflow (SPEC.md §3 "Review", "Posting"), each a
// one-record import through the same admission as `jifen import`; and `objections`, the list of
// a period's objections with their rulings.
#include <filesystem>
#include <iostream>

#include "cli/clerk_input.h"
#include "cli/commands.h"
#include "cli/refusals.h"
#include "cli/words.h"
#include "engine/admission.h"
#include "engine/workflow.h"
#include "formats/record_json.h"
#include "tlog/transparency.h"

namespace jifen::cli {
namespace {

// Appends `record` as `import` would a file of one line named after the command.
// Sets *sequence (when given) to the sequence written, or leaves it when nothing was.
int RecordOne(const Globals& g, const std::string& command, ledger::Record record,
              const std::optional<std::string>& recorded, uint64_t* sequence = nullptr) {
  if (recorded) {
    auto t = Timestamp::Parse(*recorded);
    if (!t)
      return Fail(Status::Usage("--recorded " + *recorded +
                                ": not a time (write 2022-03-31T18:00:00+08:00)"));
    record.recorded = *t;
    record.recorded_given = true;
  }
  ledger::Record stamped = record;  // as import will stamp it, to name a bad field before writing
  if (!stamped.recorded_given) stamped.recorded = Timestamp::Now();
  if (Status s = ledger::ValidateRecord(stamped); !s.ok())
    return Fail(Status::InvalidInput(command + ": " + s.message()));
  auto ledger = OpenLedger(g);
  if (!ledger.ok()) return Fail(ledger.status());
  std::vector<engine::ImportLine> lines{{command, 1, record}};
  auto report = engine::ImportRecords(**ledger, lines, Timestamp::Now());
  if (!report.ok()) return Fail(report.status());
  if (!report->refusals.empty()) return PrintRefused(g, report->refusals, command, false);
  if (report->skipped) {
    std::cout << command << ": already in the ledger; nothing written\n";
    return 0;
  }
  auto snapshot = (*ledger)->Snapshot();
  if (!snapshot.ok()) return Fail(snapshot.status());
  auto written = (*snapshot)->Get(report->head_sequence);
  if (!written.ok()) return Fail(written.status());
  if (sequence) *sequence = written->sequence;
  if (g.format == Format::kJson) {
    std::cout << formats::RecordToJson(*written) << '\n';
  } else {
    std::cout << command << ": recorded as sequence " << written->sequence << ": "
              << formats::RecordToJson(*written) << '\n';
  }
  return 0;
}

// The model of `village` now, for default ids and listings.
Result<engine::VillageModel> Structure(const Globals& g, const std::string& village) {
  auto ledger = OpenLedger(g);
  if (!ledger.ok()) return ledger.status();
  auto reader = (*ledger)->Snapshot();
  if (!reader.ok()) return reader.status();
  return engine::LoadVillageStructure(**reader, village, (*reader)->HeadSequence());
}

// The id given with --id, else DefaultId's for `kind` ("P" post, "O" objection) of a.period.
Result<std::string> IdOrDefault(const Globals& g, const WorkflowArgs& a, const std::string& kind) {
  if (!a.id.empty()) return a.id;
  auto m = Structure(g, a.village);
  if (!m.ok()) return m.status();
  return engine::DefaultWorkflowId(*m, kind, a.period);
}

// The signed checkpoint of the tree that ends with the post at `sequence` (SPEC.md §6: derived,
// never stored, so `jifen checkpoint --size` prints the same text later). A ledger without a log
// key is told so: the post does not make one, as that would fix the log's origin unasked.
int PrintPostCheckpoint(const Globals& g, uint64_t sequence) {
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::path(g.ledger_dir) / tlog::kLogKeyFile, ec)) {
    std::cout << "post: the ledger has no log key yet, so no signed checkpoint (`jifen key` makes "
                 "one; then `jifen checkpoint --size "
              << sequence << "` prints this post's)\n";
    return 0;
  }
  auto ledger = OpenLedger(g);
  if (!ledger.ok()) return Fail(ledger.status());
  auto reader = (*ledger)->Snapshot();
  if (!reader.ok()) return Fail(reader.status());
  auto key = tlog::LogKey(g.ledger_dir, std::nullopt, false);
  if (!key.ok()) return Fail(key.status());
  auto note = tlog::CheckpointAt(**reader, *key, sequence);
  if (!note.ok()) return Fail(note.status());
  std::cout << "post: the signed checkpoint of the tree with this post (`jifen checkpoint --size "
            << sequence << "`):\n"
            << *note;
  return 0;
}

}  // namespace

int RunApprove(const Globals& g, const WorkflowArgs& a) {
  return RecordOne(g, "approve", engine::WorkflowRecord(ledger::RecordType::kApprove, a),
                   a.recorded);
}

int RunPost(const Globals& g, const WorkflowArgs& a) {
  auto id = IdOrDefault(g, a, "P");
  if (!id.ok()) return Fail(id.status());
  WorkflowArgs named = a;
  named.id = *id;
  uint64_t sequence = 0;
  int rc = RecordOne(g, "post", engine::WorkflowRecord(ledger::RecordType::kPost, named),
                     a.recorded, &sequence);
  if (rc != 0 || sequence == 0 || g.format == Format::kJson) return rc;
  return PrintPostCheckpoint(g, sequence);
}

int RunObject(const Globals& g, const WorkflowArgs& a) {
  auto id = IdOrDefault(g, a, "O");
  if (!id.ok()) return Fail(id.status());
  WorkflowArgs named = a;
  named.id = *id;
  return RecordOne(g, "object", engine::WorkflowRecord(ledger::RecordType::kObjection, named),
                   a.recorded);
}

int RunRule(const Globals& g, const WorkflowArgs& a) {
  return RecordOne(g, "rule", engine::WorkflowRecord(ledger::RecordType::kRuling, a), a.recorded);
}

namespace {

Json ObjectionItemJson(const engine::Objection& o) {
  Json item{{"id", o.id},
            {"target", o.target.empty() ? Json(nullptr) : Json(o.target)},
            {"household", o.household.empty() ? Json(nullptr) : Json(o.household)},
            {"reason", o.reason},
            {"filed_by", o.filed_by},
            {"recorded", o.recorded.ToString()},
            {"sequence", o.sequence}};
  if (o.ruling) {
    item["ruling"] = {{"id", o.ruling->id},
                      {"outcome", o.ruling->upheld ? "upheld" : "dismissed"},
                      {"reason", o.ruling->reason},
                      {"scorer", o.ruling->scorer},
                      {"recorded", o.ruling->recorded.ToString()},
                      {"sequence", o.ruling->sequence}};
  } else {
    item["ruling"] = nullptr;
  }
  return item;
}

Table ObjectionsTable(const std::vector<const engine::Objection*>& list, bool zh) {
  Words w{zh};
  Table t(zh ? std::vector<std::string>{"编号", "对象", "事由", "提出人", "提出时间", "裁定",
                                        "裁定理由"}
             : std::vector<std::string>{"id", "about", "reason", "filed by", "recorded", "ruling",
                                        "ruling reason"});
  for (const engine::Objection* o : list) {
    std::string about = o->target.empty() ? w("household ", "户 ") + o->household : o->target;
    std::string ruling = !o->ruling          ? w("awaiting", "待裁定")
                         : o->ruling->upheld ? w("upheld", "成立")
                                             : w("dismissed", "不成立");
    if (o->ruling)
      ruling += " " + o->ruling->recorded.LocalDate().ToString() + " " + o->ruling->scorer;
    t.AddRow({o->id, about, o->reason, o->filed_by, o->recorded.ToString(), ruling,
              o->ruling ? o->ruling->reason : ""});
  }
  return t;
}

}  // namespace

int RunObjections(const Globals& g, const std::string& village, const std::string& period_text,
                  const std::optional<std::string>& as_of) {
  auto period = ParsePeriodArg(period_text);
  if (!period.ok()) return Fail(period.status());
  auto loaded = LoadVillageForPeriods(g, village, *period, *period, as_of);
  if (!loaded.ok()) return Fail(loaded.status());
  const engine::VillageModel& m = loaded->model;
  const engine::Adoption* adoption = m.RulesInForce(period->FirstDay());
  if (!adoption)
    return Fail(Status::InvalidInput("village " + village + ": no rules in force on " +
                                     period->FirstDay().ToString()));
  bool zh = Chinese(g, *adoption->rules);
  Words w{zh};
  engine::PeriodStatus status = engine::StatusOf(m, *period, loaded->at);
  std::vector<const engine::Objection*> list;
  if (auto it = m.periods.find(period->ToString()); it != m.periods.end()) {
    for (const std::string& id : it->second.objections) list.push_back(&m.objections.at(id));
  }
  if (g.format == Format::kJson) {
    Json items = Json::array();
    for (const engine::Objection* o : list) items.push_back(ObjectionItemJson(*o));
    Json j{{"village", village}, {"period", period->ToString()}};
    if (as_of) j["as_of"] = *as_of;
    AddStatusJson(status, &j);
    j["items"] = std::move(items);
    std::cout << j.dump() << '\n';
    return 0;
  }
  Table t = ObjectionsTable(list, zh);
  if (g.format == Format::kCsv) {
    t.PrintCsv(std::cout);
    return 0;
  }
  std::cout << adoption->rules->village.name << " (" << village << ") " << period->ToString()
            << w(" objections", " 异议") << (as_of ? w(", as of ", "，截至 ") + *as_of : "") << '\n'
            << w("state: ", "状态：") << StatusText(status, zh) << "\n\n";
  if (t.empty()) {
    std::cout << w("No objections to this period.\n", "本期没有异议。\n");
  } else {
    t.Print(std::cout);
  }
  return 0;
}

}  // namespace jifen::cli
