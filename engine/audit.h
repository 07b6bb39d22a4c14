// The fairness audit of a village (SPEC.md §5 `audit`, docs/AUDIT.md): self-scoring, scorer
// concentration, late and back-dated records, revocations, redemptions overdrawn by later
// revocations, the rule versions in force and the state of the hash chain. Every finding names
// the ledger records behind it. The audit never prints; cli/cmd_audit.cc does.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/replay.h"
#include "engine/window.h"
#include "engine/workflow.h"
#include "ledger/ledger.h"

namespace jifen::engine {

// One ledger record as a finding cites it.
struct RecordRef {
  uint64_t sequence = 0;
  std::string type;  // "award", "redeem", "revoke"
  std::string id;    // award/redeem id; the target id for a revoke
  Date date;         // event date (award/redeem); unset for a revoke
  Timestamp recorded;
  std::string scorer;
  std::string subject;    // award: person or household; redeem: household
  std::string household;  // the household it counts for
  std::string code;       // item or reward
  Points raw;             // award: item points x qty; redeem: cost x qty (0 when unknown)
  Points counted;         // what reaches the figures now (0 when revoked or capped away)
  bool revoked = false;
  std::string reason;  // revoke: why
};

struct SelfScoringFinding {
  RecordRef award;
  std::string scorer_person;  // the scorer's linked person, a member of award.household
};

// A scorer whose positive points went disproportionately to one household compared with how the
// other scorers' points went (docs/AUDIT.md "Concentration").
struct ConcentrationFinding {
  std::string scorer;
  int scorer_awards = 0;  // the scorer's positive counted awards in the window
  Points scorer_points;   // and their points
  std::string household;
  int household_awards = 0;        // of those, the awards to this household
  Points household_points;         // and their points
  Points household_points_others;  // the other scorers' positive points to this household
  Points points_others;            // the other scorers' positive points in the window
  double share = 0;                // household_points / scorer_points
  // share / (household_points_others / points_others); nullopt when no other scorer gave the
  // household positive points (the lift is infinite).
  std::optional<double> lift;
  std::vector<RecordRef> awards;
};

struct LateFinding {
  RecordRef record;
  Period period;
  int days_late = 0;
  std::optional<int32_t> late_days_max;  // the rules' `late` limit
  std::string cites;  // the upheld objection an award names to be taken late (SPEC §3), or empty
};

// A household whose published figures (as of the end of the period's last day) differ now.
struct BackdatedFinding {
  Period period;
  Timestamp published;  // the moment the figures are compared as of
  std::string household;
  std::optional<Points> earned_then;  // unset: the household had no figures then
  Points earned_now;
  int rank_then = 0, rank_now = 0;
  std::vector<std::string> titles_then, titles_now;
  std::vector<RecordRef> records;  // its records recorded after `published` (events, revokes)
};

struct RevocationFinding {
  RecordRef revoke;  // sequence, scorer, recorded, reason
  RecordRef target;
};

struct OverdrawnFinding {
  RecordRef redemption;
  Period period;
  Points balance_after;           // the household's running balance just after it, replayed now
  std::vector<RecordRef> causes;  // later-recorded revocations and back-dated negative awards
};

// An approval of an award in the window (SPEC.md §3 "Review"): who approved whose record, and
// whether the approval came after the award's period was posted.
struct ApprovalFinding {
  RecordRef award;
  uint64_t sequence = 0;  // the approve record
  std::string approver;
  Timestamp recorded;
  std::optional<Timestamp> posted;  // the period's first post, when the approval came after it
};

// A period's place in the workflow, for the audit's summary.
struct PeriodWorkflow {
  Period period;
  PeriodStatus status;
};

struct ChainState {
  uint64_t records = 0;
  std::string head;  // hex
  bool ok = true;
  std::optional<uint64_t> first_bad;
  std::string reason;
};

struct AuditOptions {
  Points lift_min = Points::FromWhole(3);  // --concentration
  int scorer_awards_min = 5;     // a scorer needs this many positive counted awards in the window
  int household_awards_min = 5;  // and this many to the household
  int share_percent_min = 5;     // and to have given it this share of their positive points
};

struct AuditReport {
  std::string village;
  std::map<std::string, Scorer> scorers;                    // the village's, for names and roles
  std::map<std::string, Household> households;              // the village's, for names
  std::shared_ptr<const grammar::RuleFile> rules_in_force;  // at the window's end (names, language)
  Period first, last;
  uint64_t sequence_max = 0;
  AuditOptions options;
  std::vector<SelfScoringFinding> self_scoring;
  std::vector<ConcentrationFinding> concentration;
  std::vector<LateFinding> late;
  std::vector<BackdatedFinding> backdated;
  std::vector<RevocationFinding> revocations;
  std::vector<OverdrawnFinding> overdrawn;
  std::vector<RecordRef> pending;          // awards of the window still waiting for review
  std::vector<ApprovalFinding> approvals;  // in (date, sequence) order of the awards
  std::vector<PeriodWorkflow> workflow;    // every period of the window
  std::vector<Objection> objections;       // the window's objections with their rulings
  std::vector<RulesVersion> rules;
  ChainState chain;
  // Set when the chain is broken and the village could not be read because of it: the report
  // then holds only `chain`.
  std::string load_error;
};

// Audits `village` over `window` as of `as_of` (nullopt: everything recorded). Verifies the whole
// chain first; a broken chain is reported in `chain` (ok false), not as an error. Errors: the
// village is unknown, no rules are in force, the period kind is not the rules', or I/O.
Result<AuditReport> Audit(ledger::Ledger& ledger, const std::string& village,
                          const ReportWindow& window, const std::optional<Timestamp>& as_of,
                          const AuditOptions& options = {});

}  // namespace jifen::engine
