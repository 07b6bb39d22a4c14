#include "grammar/printer.h"

#include "grammar/format.h"

// GCC 12 at -O2 warns falsely about `"(" + std::string(...)` (GCC bug 105651).
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

namespace jifen::grammar {
namespace {

// Binding strength of an expression, loosest first.
int Strength(const Expr& e) {
  switch (e.kind) {
    case Expr::Kind::kAdd:
    case Expr::Kind::kSub:
      return 1;
    case Expr::Kind::kMul:
    case Expr::Kind::kDiv:
      return 2;
    default:
      return 3;
  }
}

}  // namespace

std::string_view OperatorText(Cond::Op op) {
  switch (op) {
    case Cond::Op::kGe:
      return ">=";
    case Cond::Op::kLe:
      return "<=";
    case Cond::Op::kGt:
      return ">";
    case Cond::Op::kLt:
      return "<";
    case Cond::Op::kEq:
      return "==";
    case Cond::Op::kNe:
      return "!=";
  }
  return "==";
}

std::string Printer::Quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

std::string Printer::PerWord(Keyword k) const {
  return language_ == Language::kChinese ? Word(Keyword::kPer) + Word(k)
                                         : Word(Keyword::kPer) + " " + Word(k);
}

std::string Printer::Roles(const std::vector<std::string>& roles) const {
  std::string out;
  for (size_t i = 0; i < roles.size(); ++i) {
    if (i > 0) out += Bar();
    out += Quote(roles[i]);
  }
  return out;
}

std::string Printer::VillageHead(const Village& v) const {
  return Word(Keyword::kVillage) + " " + v.code + " " + Quote(v.name) + " {";
}

std::string Printer::SettingLine(const Village& v, Setting setting) const {
  switch (setting) {
    case Setting::kTownship:
      return Word(Keyword::kTownship) + " " + Quote(v.township);
    case Setting::kPeriod:
      return Word(Keyword::kPeriod) + " " +
             Word(v.period == PeriodKind::kMonth ? Keyword::kMonth : Keyword::kQuarter);
    case Setting::kClearing:
      return Word(Keyword::kClearing) + " " +
             Word(v.clearing == Clearing::kPeriod ? Keyword::kPeriod
                  : v.clearing == Clearing::kYear ? Keyword::kYear
                                                  : Keyword::kNever);
    case Setting::kLate:
      return Word(Keyword::kLate) + " " + std::to_string(v.late_days_max.value_or(0)) + " " +
             Word(Keyword::kDays);
    case Setting::kBase:
      return Word(Keyword::kBase) + " " + v.base.ToString();
    case Setting::kRank:
      return Word(Keyword::kRank) + " " +
             Word(v.rank == RankBy::kEarned ? Keyword::kEarned : Keyword::kBalance);
    case Setting::kAnnual:
      return Word(Keyword::kAnnual) + " " +
             Word(v.annual == AnnualBy::kMean ? Keyword::kMean : Keyword::kSum);
    case Setting::kSelf:
      return Word(Keyword::kSelf) + " " +
             Word(v.self == SelfScoringPolicy::kFlag ? Keyword::kFlag : Keyword::kDeny);
    case Setting::kReview: {
      // `review by "A" | "B"`; Chinese drops the `by`: `审核 "A"｜"B"`.
      std::string out = Word(Keyword::kReview) + " ";
      if (language_ == Language::kEnglish) out += Word(Keyword::kBy) + " ";
      out += Roles(v.review_roles);
      return out;
    }
    case Setting::kNotice:
      return Word(Keyword::kNotice) + " " + std::to_string(v.notice_days.value_or(0)) + " " +
             Word(Keyword::kDays);
    case Setting::kCount_:
      break;
  }
  return "";
}

std::string Printer::CategoryHead(const Category& c) const {
  return Word(Keyword::kCategory) + " " + c.code + " " + Quote(c.name) + " {";
}

// Clauses in canonical order: unit, cap, evidence, veto, by.
std::string Printer::ItemLine(const Item& item) const {
  std::string out = Word(Keyword::kItem) + " " + item.code + " " + Quote(item.name) + " " +
                    item.points.ToSignedString() + " " +
                    PerWord(item.per == Per::kPerson ? Keyword::kPerson : Keyword::kHousehold);
  if (item.unit) out += Comma() + Word(Keyword::kUnit) + " " + Quote(*item.unit);
  if (item.cap) {
    out += Comma() + Word(Keyword::kCap) + " " + item.cap->points.ToString();
    if (item.cap->window == CapWindow::kYear) out += " " + PerWord(Keyword::kYear);
  }
  if (item.evidence) out += Comma() + Word(Keyword::kEvidence);
  if (item.veto) out += Comma() + Word(Keyword::kVeto);
  if (!item.roles.empty()) out += Comma() + Word(Keyword::kBy) + " " + Roles(item.roles);
  return out;
}

std::string Printer::RewardLine(const Reward& r) const {
  std::string out = Word(Keyword::kReward) + " " + r.code + " " + Quote(r.name) + " " +
                    Word(Keyword::kCost) + " " + r.cost.ToString();
  if (r.stock) {
    out += Comma() + Word(Keyword::kStock) + " " + std::to_string(*r.stock);
    if (r.stock_per_period) out += " " + PerWord(Keyword::kPeriod);
  }
  return out;
}

std::string Printer::RateLine(const Rate& r) const {
  std::string yuan_per_point = language_ == Language::kChinese
                                   ? Word(Keyword::kYuan) + PerWord(Keyword::kPoint)
                                   : Word(Keyword::kYuan) + " " + PerWord(Keyword::kPoint);
  return Word(Keyword::kRate) + " " + r.yuan_per_point.ToString() + " " + yuan_per_point;
}

// Clauses in canonical order: min, no veto.
std::string Printer::TitleLine(const Title& t) const {
  std::string top = std::to_string(t.top) + (t.top_percent ? "%" : "");
  std::string out = Word(Keyword::kTitle) + " " + Quote(t.name) + " " +
                    Word(t.scope == TitleScope::kPeriod ? Keyword::kPeriod : Keyword::kAnnual) +
                    " " + Word(Keyword::kTop) + (language_ == Language::kChinese ? "" : " ") + top;
  if (t.min) out += Comma() + Word(Keyword::kMin) + " " + t.min->ToString();
  if (t.no_veto) {
    out += Comma() + Word(Keyword::kNo) + (language_ == Language::kChinese ? "" : " ") +
           Word(Keyword::kVeto);
  }
  return out;
}

std::string Printer::BonusLine(const Bonus& b) const {
  std::string out = Word(Keyword::kBonus) + " " + b.code + " " + Quote(b.name) + " " +
                    b.points.ToSignedString() + " " + PerWord(Keyword::kHousehold) + " " +
                    Word(Keyword::kWhen);
  if (b.when) out += " " + Condition(*b.when);
  return out;
}

std::string Printer::DividendLine(const Dividend& d) const {
  return Word(Keyword::kDividend) + " " + Word(Keyword::kShares) + " " +
         std::to_string(d.shares_percent) + "% " + Word(Keyword::kPoints) + " " +
         std::to_string(d.points_percent) + "%";
}

// Parentheses go exactly where the tree needs them, so that printing and parsing again gives
// the same tree (an `and` inside an `and` keeps its parentheses).
std::string Printer::Operand(const Cond& c, Cond::Kind parent) const {
  bool group =
      (c.kind == Cond::Kind::kOr) || (c.kind == Cond::Kind::kAnd && parent != Cond::Kind::kOr);
  return group ? "(" + Condition(c) + ")" : Condition(c);
}

std::string Printer::Condition(const Cond& c) const {
  switch (c.kind) {
    case Cond::Kind::kCompare:
      return Expression(*c.left) + " " + std::string(OperatorText(c.op)) + " " +
             Expression(*c.right);
    case Cond::Kind::kNot:
      return Word(Keyword::kNot) + " " + Operand(*c.operands[0], Cond::Kind::kNot);
    case Cond::Kind::kAnd:
    case Cond::Kind::kOr: {
      std::string out;
      Keyword joiner = c.kind == Cond::Kind::kAnd ? Keyword::kAnd : Keyword::kOr;
      for (size_t i = 0; i < c.operands.size(); ++i) {
        if (i > 0) out += " " + Word(joiner) + " ";
        out += Operand(*c.operands[i], c.kind);
      }
      return out;
    }
  }
  return "";
}

std::string Printer::Selector(const grammar::Selector& s) const {
  switch (s.kind) {
    case SelectorKind::kItem:
      return s.code;
    case SelectorKind::kCategory:
      return Word(Keyword::kCategory) + " " + s.code;
    case SelectorKind::kPositive:
      return Word(Keyword::kPositive);
    case SelectorKind::kNegative:
      return Word(Keyword::kNegative);
    case SelectorKind::kAny:
      return Word(Keyword::kAny);
  }
  return "";
}

std::string Printer::Expression(const Expr& e) const {
  auto wrap = [&](const Expr& operand, bool group) {
    return group ? "(" + Expression(operand) + ")" : Expression(operand);
  };
  switch (e.kind) {
    case Expr::Kind::kNumber:
      return e.number.ToString();
    case Expr::Kind::kEarned:
      return Word(Keyword::kEarned);
    case Expr::Kind::kMembers:
      return Word(Keyword::kMembers);
    case Expr::Kind::kCount:
      return Word(Keyword::kCount) + "(" + Selector(e.selector) + ")";
    case Expr::Kind::kPoints:
      return Word(Keyword::kPoints) + "(" + Selector(e.selector) + ")";
    case Expr::Kind::kNeg:
      return "-" + wrap(*e.left, Strength(*e.left) < 3);
    default:
      break;
  }
  // Left associative: the left operand needs parentheses only when it binds more loosely, the
  // right one also when it binds the same.
  int strength = Strength(e);
  std::string_view op = e.kind == Expr::Kind::kAdd   ? " + "
                        : e.kind == Expr::Kind::kSub ? " - "
                        : e.kind == Expr::Kind::kMul ? " * "
                                                     : " / ";
  return wrap(*e.left, Strength(*e.left) < strength) + std::string(op) +
         wrap(*e.right, Strength(*e.right) <= strength);
}

}  // namespace jifen::grammar
