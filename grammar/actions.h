// PEGTL actions: each builds a piece of the AST in the Builder when its rule matches, and
// reports the checks that need only the statement at hand (GRAMMAR.md "Checks").
// Internal to grammar/; included by parser.cc only.
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "grammar/builder.h"
#include "grammar/grammar.h"

namespace jifen::grammar::peg {

template <typename Rule>
struct action : nothing<Rule> {};

// ---- helpers ---------------------------------------------------------------------------------

inline std::string LineText(uint32_t line) { return std::to_string(line); }

inline bool KeywordIs(std::string_view text, Keyword keyword) {
  return LookupKeyword(text) == keyword;
}

// Reports a clause given twice in one statement; `seen` holds a bit per clause keyword.
inline void ClauseOnce(Builder& b, uint64_t& seen, Keyword clause, const Location& at,
                       const std::string& subject) {
  uint64_t bit = uint64_t{1} << static_cast<unsigned>(clause);
  if (seen & bit) {
    b.Error(at, Message::kClauseTwice, {subject, KeywordText(clause, b.message_language())});
  }
  seen |= bit;
}

// Stores a string literal's value into a member of the statement being built.
#define JIFEN_STRING_ACTION(rule_name, target)       \
  template <>                                        \
  struct action<rule_name> {                         \
    template <typename Input>                        \
    static void apply(const Input& in, Builder& b) { \
      b.target = StringValue(in.string_view());      \
    }                                                \
  }
// Stores a code.
#define JIFEN_CODE_ACTION(rule_name, target)         \
  template <>                                        \
  struct action<rule_name> {                         \
    template <typename Input>                        \
    static void apply(const Input& in, Builder& b) { \
      b.target = in.string();                        \
    }                                                \
  }

template <>
struct action<comment> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    auto p = in.position();
    b.RecordComment(p.byte, p.line, in.string_view());
  }
};

// ---- village ---------------------------------------------------------------------------------

template <>
struct action<village_keyword> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    Location at = b.At(in);
    if (b.first_village) {
      b.scratch_village = Village();
      b.village = &b.scratch_village;
    } else {
      b.first_village = at;
      b.village = &b.file.village;
    }
    b.village->location = at;
    b.setting_lines = {};
  }
};

template <>
struct action<village_code> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.village->code = in.string();
    if (b.village == &b.scratch_village) {
      b.Error(b.village->location, Message::kSecondVillage,
              {b.village->code, LineText(b.first_village->line)});
    }
  }
};
JIFEN_STRING_ACTION(village_name, village->name);

template <>
struct action<village_open> {
  static void apply0(Builder& b) { b.block = Block::kVillage; }
};
template <>
struct action<village_close> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.block = Block::kNone;
    if (b.village == &b.file.village) b.layout.village_close_line = in.position().line;
  }
};

// A setting given twice in one village block is reported at the second.
template <Setting S, Keyword K>
struct setting_action {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    Location at = b.At(in);
    uint32_t& first = b.setting_lines[static_cast<size_t>(S)];
    if (first != 0) {
      b.Error(at, Message::kSettingTwice,
              {b.village->code, KeywordText(K, b.message_language()), LineText(first)});
      return;
    }
    first = at.line;
    if (b.village == &b.file.village) b.layout.setting_lines[static_cast<size_t>(S)] = at.line;
  }
};
template <>
struct action<township_setting> : setting_action<Setting::kTownship, Keyword::kTownship> {};
template <>
struct action<period_setting> : setting_action<Setting::kPeriod, Keyword::kPeriod> {};
template <>
struct action<clearing_setting> : setting_action<Setting::kClearing, Keyword::kClearing> {};
template <>
struct action<late_setting> : setting_action<Setting::kLate, Keyword::kLate> {};
template <>
struct action<base_setting> : setting_action<Setting::kBase, Keyword::kBase> {};
template <>
struct action<rank_setting> : setting_action<Setting::kRank, Keyword::kRank> {};
template <>
struct action<annual_setting> : setting_action<Setting::kAnnual, Keyword::kAnnual> {};
template <>
struct action<self_setting> : setting_action<Setting::kSelf, Keyword::kSelf> {};
template <>
struct action<review_setting> : setting_action<Setting::kReview, Keyword::kReview> {};
template <>
struct action<notice_setting> : setting_action<Setting::kNotice, Keyword::kNotice> {};

JIFEN_STRING_ACTION(township_name, village->township);

template <>
struct action<period_kind> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.village->period =
        KeywordIs(in.string_view(), Keyword::kMonth) ? PeriodKind::kMonth : PeriodKind::kQuarter;
  }
};
template <>
struct action<clearing_kind> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    auto keyword = LookupKeyword(in.string_view());
    b.village->clearing = keyword == Keyword::kPeriod ? Clearing::kPeriod
                          : keyword == Keyword::kYear ? Clearing::kYear
                                                      : Clearing::kNever;
  }
};
template <>
struct action<late_days> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    Location at = b.At(in);
    auto days = b.ParseInteger(in.string_view(), at);
    if (!days) return;
    if (*days < 0) {
      b.Error(at, Message::kLateNegative, {b.village->code});
      return;
    }
    b.village->late_days_max = static_cast<int32_t>(*days);
  }
};
template <>
struct action<base_points> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.village->base = b.ParsePoints(in.string_view(), b.At(in)).value_or(Points());
  }
};
template <>
struct action<rank_by> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.village->rank =
        KeywordIs(in.string_view(), Keyword::kEarned) ? RankBy::kEarned : RankBy::kBalance;
  }
};
template <>
struct action<annual_by> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.village->annual =
        KeywordIs(in.string_view(), Keyword::kMean) ? AnnualBy::kMean : AnnualBy::kSum;
  }
};
template <>
struct action<self_scoring> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.village->self = KeywordIs(in.string_view(), Keyword::kFlag) ? SelfScoringPolicy::kFlag
                                                                  : SelfScoringPolicy::kDeny;
  }
};

// A second `review` setting (reported as given twice) starts its list afresh, so that its roles
// are not also reported as duplicates of the first one's.
template <>
struct action<review_keyword> {
  static void apply0(Builder& b) { b.village->review_roles.clear(); }
};
template <>
struct action<review_role> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    std::string role = StringValue(in.string_view());
    std::vector<std::string>& roles = b.village->review_roles;
    if (std::find(roles.begin(), roles.end(), role) != roles.end()) {
      b.Error(b.At(in), Message::kReviewRoleTwice, {b.village->code, role});
      return;
    }
    roles.push_back(std::move(role));
  }
};
template <>
struct action<notice_days> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    Location at = b.At(in);
    auto days = b.ParseInteger(in.string_view(), at);
    if (!days) return;
    if (*days < 0 || *days > kNoticeDaysMax) {
      b.Error(at, Message::kNoticeRange,
              {b.village->code, std::to_string(kNoticeDaysMax), std::to_string(*days)});
      return;
    }
    b.village->notice_days = static_cast<int32_t>(*days);
  }
};

// ---- category and item -----------------------------------------------------------------------

template <>
struct action<category_keyword> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.category = Category();
    b.category.location = b.At(in);
  }
};
JIFEN_CODE_ACTION(category_code, category.code);
JIFEN_STRING_ACTION(category_name, category.name);

// The category joins the file at its '{' so that its items can be added as they are read.
template <>
struct action<category_open> {
  static void apply0(Builder& b) {
    b.current_category = b.category.code;
    b.file.categories.push_back(std::move(b.category));
    b.layout.category_close_lines.push_back(0);
    b.block = Block::kCategory;
  }
};
template <>
struct action<category_close> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.block = Block::kNone;
    if (!b.layout.category_close_lines.empty()) {
      b.layout.category_close_lines.back() = static_cast<uint32_t>(in.position().line);
    }
  }
};

template <>
struct action<item_keyword> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.item = Item();
    b.item.location = b.At(in);
    b.item.category = b.current_category;
    b.item_clauses = 0;
  }
};
JIFEN_CODE_ACTION(item_code, item.code);
JIFEN_STRING_ACTION(item_name, item.name);

template <>
struct action<item_points> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    Location at = b.At(in);
    auto points = b.ParsePoints(in.string_view(), at);
    b.item.points = points.value_or(Points());
    if (points && *points == Points()) {
      b.Error(at, Message::kItemZero, {b.Subject(Keyword::kItem, b.item.code)});
    }
  }
};
template <>
struct action<item_subject> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.item.per = KeywordIs(in.string_view(), Keyword::kPerson) ? Per::kPerson : Per::kHousehold;
  }
};

template <>
struct action<cap_points> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    Location at = b.At(in);
    Cap cap;
    auto points = b.ParsePoints(in.string_view(), at);
    cap.points = points.value_or(Points());
    if (points && *points <= Points()) {
      b.Error(at, Message::kCapPositive, {b.Subject(Keyword::kItem, b.item.code)});
    }
    b.item.cap = cap;
  }
};
template <>
struct action<cap_window> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    if (b.item.cap) {
      b.item.cap->window =
          KeywordIs(in.string_view(), Keyword::kYear) ? CapWindow::kYear : CapWindow::kPeriod;
    }
  }
};

// The clauses of an item, each at most once.
template <Keyword K>
struct item_clause_action {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    ClauseOnce(b, b.item_clauses, K, b.At(in), b.Subject(Keyword::kItem, b.item.code));
    if constexpr (K == Keyword::kEvidence) b.item.evidence = true;
    if constexpr (K == Keyword::kVeto) b.item.veto = true;
  }
};
template <>
struct action<cap_clause> : item_clause_action<Keyword::kCap> {};
template <>
struct action<unit_clause> : item_clause_action<Keyword::kUnit> {};
template <>
struct action<evidence_clause> : item_clause_action<Keyword::kEvidence> {};
template <>
struct action<veto_clause> : item_clause_action<Keyword::kVeto> {};
template <>
struct action<by_clause> : item_clause_action<Keyword::kBy> {};

JIFEN_STRING_ACTION(unit_name, item.unit);

template <>
struct action<role> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.item.roles.push_back(StringValue(in.string_view()));
  }
};

template <>
struct action<item> {
  static void apply0(Builder& b) {
    if (!b.file.categories.empty()) b.file.categories.back().items.push_back(b.item.code);
    b.file.items.push_back(std::move(b.item));
  }
};

// ---- reward, rate, title, dividend -----------------------------------------------------------

template <>
struct action<reward_keyword> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.reward = Reward();
    b.reward.location = b.At(in);
  }
};
JIFEN_CODE_ACTION(reward_code, reward.code);
JIFEN_STRING_ACTION(reward_name, reward.name);

template <>
struct action<reward_cost> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    Location at = b.At(in);
    auto cost = b.ParsePoints(in.string_view(), at);
    b.reward.cost = cost.value_or(Points());
    if (cost && *cost <= Points()) {
      b.Error(at, Message::kCostPositive, {b.Subject(Keyword::kReward, b.reward.code)});
    }
  }
};
template <>
struct action<stock_count> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    Location at = b.At(in);
    auto stock = b.ParseInteger(in.string_view(), at);
    b.reward.stock = stock.value_or(0);
    if (stock && *stock <= 0) {
      b.Error(at, Message::kStockPositive, {b.Subject(Keyword::kReward, b.reward.code)});
    }
  }
};
template <>
struct action<stock_period> {
  static void apply0(Builder& b) { b.reward.stock_per_period = true; }
};
template <>
struct action<reward> {
  static void apply0(Builder& b) { b.file.rewards.push_back(std::move(b.reward)); }
};

template <>
struct action<rate_keyword> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.rate = Rate();
    b.rate.location = b.At(in);
  }
};
template <>
struct action<rate_value> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    Location at = b.At(in);
    auto value = b.ParsePoints(in.string_view(), at);
    b.rate.yuan_per_point = value.value_or(Points());
    if (value && *value <= Points()) b.Error(at, Message::kRatePositive);
  }
};
template <>
struct action<rate> {
  static void apply0(Builder& b) {
    if (b.file.rate) {
      b.Error(b.rate.location, Message::kStatementTwice,
              {KeywordText(Keyword::kRate, b.message_language()),
               LineText(b.file.rate->location.line)});
      return;
    }
    b.file.rate = std::move(b.rate);
  }
};

template <>
struct action<title_keyword> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.title = Title();
    b.title.location = b.At(in);
    b.title_clauses = 0;
  }
};
JIFEN_STRING_ACTION(title_name, title.name);

template <>
struct action<title_scope> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.title.scope =
        KeywordIs(in.string_view(), Keyword::kPeriod) ? TitleScope::kPeriod : TitleScope::kAnnual;
  }
};
template <>
struct action<title_top> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    Location at = b.At(in);
    std::string_view text = in.string_view();
    b.title.top_percent = text.find('%') != text.npos || text.find("％") != text.npos;
    auto top = b.ParseInteger(text, at);
    if (!top) return;
    b.title.top = *top;
    std::string subject = b.Subject(Keyword::kTitle, b.title.name);
    if (b.title.top_percent && (b.title.top < 1 || b.title.top > 100)) {
      b.Error(at, Message::kTopPercentRange, {subject, std::to_string(b.title.top)});
    } else if (!b.title.top_percent && b.title.top < 1) {
      b.Error(at, Message::kTopPositive, {subject});
    }
  }
};
template <>
struct action<points_min> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.title.min = b.ParsePoints(in.string_view(), b.At(in)).value_or(Points());
  }
};
template <Keyword K>
struct title_clause_action {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    ClauseOnce(b, b.title_clauses, K, b.At(in), b.Subject(Keyword::kTitle, b.title.name));
    if constexpr (K == Keyword::kNo) b.title.no_veto = true;
  }
};
template <>
struct action<clause_min> : title_clause_action<Keyword::kMin> {};
template <>
struct action<no_veto_clause> : title_clause_action<Keyword::kNo> {};
template <>
struct action<title> {
  static void apply0(Builder& b) { b.file.titles.push_back(std::move(b.title)); }
};

template <>
struct action<dividend_keyword> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.dividend = Dividend();
    b.dividend.location = b.At(in);
  }
};
// A part of the dividend: 0% to 100% (the other part may take it all).
template <Keyword K>
struct dividend_part_action {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    Location at = b.At(in);
    auto parsed = b.ParseInteger(in.string_view(), at);
    int64_t value = parsed.value_or(-1);
    (K == Keyword::kShares ? b.dividend.shares_percent : b.dividend.points_percent) = value;
    if (parsed && (value < 0 || value > 100)) {
      b.Error(at, Message::kDividendRange,
              {KeywordText(K, b.message_language()), std::to_string(value)});
    }
  }
};
template <>
struct action<dividend_shares> : dividend_part_action<Keyword::kShares> {};
template <>
struct action<dividend_points> : dividend_part_action<Keyword::kPoints> {};
template <>
struct action<dividend> {
  static void apply0(Builder& b) {
    const Dividend& d = b.dividend;
    bool in_range = d.shares_percent >= 0 && d.shares_percent <= 100 && d.points_percent >= 0 &&
                    d.points_percent <= 100;
    if (in_range && d.shares_percent + d.points_percent != 100) {
      b.Error(d.location, Message::kDividendSum,
              {std::to_string(d.shares_percent), std::to_string(d.points_percent),
               std::to_string(d.shares_percent + d.points_percent)});
    }
    if (b.file.dividend) {
      b.Error(d.location, Message::kStatementTwice,
              {KeywordText(Keyword::kDividend, b.message_language()),
               LineText(b.file.dividend->location.line)});
      return;
    }
    b.file.dividend = std::move(b.dividend);
  }
};

#undef JIFEN_STRING_ACTION
#undef JIFEN_CODE_ACTION

}  // namespace jifen::grammar::peg

#include "grammar/condition_actions.h"
