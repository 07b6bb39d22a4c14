// The rules AST (SPEC.md §2): owns all its data; every node keeps the file, line and column it
// came from so that later checks and the engine can point at the source.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/date.h"
#include "util/points.h"

namespace jifen::grammar {

struct Location {
  std::string file;
  uint32_t line = 0;    // 1-based
  uint32_t column = 0;  // 1-based, in code points
};

enum class Language : uint8_t { kEnglish, kChinese };

enum class Clearing : uint8_t { kPeriod, kYear, kNever };
enum class RankBy : uint8_t { kEarned, kBalance };
enum class AnnualBy : uint8_t { kMean, kSum };
enum class SelfScoringPolicy : uint8_t { kFlag, kDeny };
enum class Per : uint8_t { kPerson, kHousehold };
enum class CapWindow : uint8_t { kPeriod, kYear };

struct Village {
  Location location;
  std::string code;
  std::string name;
  std::string township;  // empty when not given
  PeriodKind period = PeriodKind::kMonth;
  Clearing clearing = Clearing::kPeriod;
  std::optional<int32_t> late_days_max;  // nullopt: no limit
  Points base;                           // per household per period
  RankBy rank = RankBy::kEarned;
  AnnualBy annual = AnnualBy::kMean;
  SelfScoringPolicy self = SelfScoringPolicy::kFlag;
  std::vector<std::string> review_roles;  // empty: no review (every award counts at once)
  std::optional<int32_t> notice_days;     // nullopt: no notice window
};

// `notice N days`: 0 <= N <= kNoticeDaysMax.
inline constexpr int32_t kNoticeDaysMax = 60;

struct Cap {
  Points points;  // positive
  CapWindow window = CapWindow::kPeriod;
};

struct Item {
  Location location;
  std::string code;
  std::string name;
  std::string category;  // code of the enclosing category
  Points points;
  Per per = Per::kPerson;
  std::optional<Cap> cap;
  std::optional<std::string> unit;  // set: a quantity item, counted as points x qty
  bool evidence = false;
  bool veto = false;
  std::vector<std::string> roles;  // empty: any scorer may record it
};

struct Category {
  Location location;
  std::string code;
  std::string name;
  std::vector<std::string> items;  // item codes in source order
};

struct Reward {
  Location location;
  std::string code;
  std::string name;
  Points cost;
  std::optional<int64_t> stock;   // per period when given (SPEC.md: "stock N [per period]")
  bool stock_per_period = false;  // true when written with "per period"; otherwise stock is total
};

enum class TitleScope : uint8_t { kPeriod, kAnnual };

struct Title {
  Location location;
  std::string name;
  TitleScope scope = TitleScope::kPeriod;
  int64_t top = 0;  // a count, or a percentage when `top_percent`
  bool top_percent = false;
  std::optional<Points> min;
  bool no_veto = false;
};

// Bonus conditions and expressions.
enum class SelectorKind : uint8_t { kItem, kCategory, kPositive, kNegative, kAny };
struct Selector {
  Location location;
  SelectorKind kind = SelectorKind::kAny;
  std::string code;  // item or category code
};

struct Expr {
  enum class Kind : uint8_t {
    kNumber,
    kAdd,
    kSub,
    kMul,
    kDiv,
    kNeg,
    kCount,
    kPoints,
    kEarned,
    kMembers
  };
  Location location;
  Kind kind = Kind::kNumber;
  Points number;                      // kNumber (NUMBER has at most 2 fractional digits)
  Selector selector;                  // kCount, kPoints
  std::unique_ptr<Expr> left, right;  // binary ops; kNeg uses left
};

struct Cond {
  enum class Kind : uint8_t { kOr, kAnd, kNot, kCompare };
  enum class Op : uint8_t { kGe, kLe, kGt, kLt, kEq, kNe };
  Location location;
  Kind kind = Kind::kCompare;
  Op op = Op::kEq;
  std::vector<std::unique_ptr<Cond>> operands;  // kOr, kAnd: two or more; kNot: one
  std::unique_ptr<Expr> left, right;            // kCompare
};

struct Bonus {
  Location location;
  std::string code;
  std::string name;
  Points points;  // per household
  std::unique_ptr<Cond> when;
};

struct Dividend {
  Location location;
  int64_t shares_percent = 0;
  int64_t points_percent = 0;
};

struct Rate {
  Location location;
  Points yuan_per_point;  // DECIMAL with at most two fractional digits
};

// One parsed and checked rule file.
struct RuleFile {
  std::string file;
  Language language = Language::kEnglish;  // the language of the file's keywords
  Village village;
  std::vector<Category> categories;  // source order
  std::vector<Item> items;           // source order, across categories
  std::vector<Reward> rewards;
  std::vector<Title> titles;
  std::vector<Bonus> bonuses;
  std::optional<Rate> rate;
  std::optional<Dividend> dividend;

  const Item* FindItem(std::string_view code) const;
  const Category* FindCategory(std::string_view code) const;
  const Reward* FindReward(std::string_view code) const;
};

// True if `a` and `b` say the same thing: every field equal except the locations, `file` and
// `language`. fmt's round trip is checked with it.
bool SameRules(const RuleFile& a, const RuleFile& b);

}  // namespace jifen::grammar
