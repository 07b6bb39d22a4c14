// What if a proposed rule file had been in force (SPEC.md §5 `whatif`, docs/AUDIT.md "What if"):
// replays a window twice, under the rules adopted and under the proposal put in their place for
// the window, and lines the households up. Nothing is written to the ledger.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/audit.h"

namespace jifen::engine {

struct WhatIfRow {
  std::string household;
  bool existed_before = true, existed_after = true;
  Points before, after, difference;  // period: earned; year: the annual value (mean or sum)
  int rank_before = 0, rank_after = 0;
  int rank_change = 0;  // rank_before - rank_after: positive moves up
  std::vector<std::string> titles_before, titles_after;
  bool titles_changed = false;
};

struct WhatIfReport {
  std::string village;
  Period first, last;                  // the window under the proposal
  bool annual = false;                 // --year: rows compare annual values
  std::vector<RulesVersion> replaced;  // the adopted versions the proposal stands in for
  std::vector<WhatIfRow> rows;         // by |difference| descending, then household
  int gain = 0, lose = 0, unchanged = 0, title_changes = 0;
  int unknown_item_records = 0;    // awards naming items the proposal lacks (they count 0)
  int unknown_reward_records = 0;  // redemptions naming rewards the proposal lacks
};

// The proposal replaces every adoption in force during the window: it takes effect on the
// window's first day (which must be a period start under it) and adoptions effective inside the
// window are dropped; periods before and after keep their rules. Errors: the proposal is for
// another village, or its period kind cannot cover the window.
Result<WhatIfReport> WhatIf(const VillageModel& model, const ReportWindow& window,
                            std::shared_ptr<const grammar::RuleFile> proposal,
                            const std::string& proposal_sha256);

}  // namespace jifen::engine
