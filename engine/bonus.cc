#include "engine/bonus.h"

#include <cassert>
#include <optional>

#include "grammar/format.h"
#include "util/ratio.h"

namespace jifen::engine {
namespace {

using grammar::Cond;
using grammar::Expr;
using grammar::Selector;
using grammar::SelectorKind;

bool Matches(const Selector& selector, const grammar::Item& item) {
  switch (selector.kind) {
    case SelectorKind::kItem:
      return item.code == selector.code;
    case SelectorKind::kCategory:
      return item.category == selector.code;
    case SelectorKind::kPositive:
      return item.points > Points();
    case SelectorKind::kNegative:
      return item.points < Points();
    case SelectorKind::kAny:
      return true;
  }
  return false;
}

std::optional<Ratio> Evaluate(const Expr& e, const BonusContext& c) {
  switch (e.kind) {
    case Expr::Kind::kNumber:
      return Ratio::OfPoints(e.number);
    case Expr::Kind::kEarned:
      return Ratio::OfPoints(c.earned);
    case Expr::Kind::kMembers:
      return Ratio::Whole(c.members);
    case Expr::Kind::kCount: {
      int64_t n = 0;
      for (const auto& a : c.awards) n += a.counted != Points() && Matches(e.selector, *a.item);
      return Ratio::Whole(n);
    }
    case Expr::Kind::kPoints: {
      Points sum;
      for (const auto& a : c.awards) {
        if (Matches(e.selector, *a.item)) sum += a.counted;
      }
      return Ratio::OfPoints(sum);
    }
    case Expr::Kind::kNeg: {
      auto v = Evaluate(*e.left, c);
      if (!v) return std::nullopt;
      return -*v;
    }
    default:
      break;
  }
  auto l = Evaluate(*e.left, c);
  auto r = Evaluate(*e.right, c);
  if (!l || !r) return std::nullopt;
  switch (e.kind) {
    case Expr::Kind::kAdd:
      return *l + *r;
    case Expr::Kind::kSub:
      return *l - *r;
    case Expr::Kind::kMul:
      return *l * *r;
    case Expr::Kind::kDiv:
      if (r->IsZero()) return std::nullopt;
      return *l / *r;
    default:
      assert(false && "unhandled expression kind");
  }
  return std::nullopt;
}

bool Compare(Cond::Op op, const Ratio& a, const Ratio& b) {
  switch (op) {
    case Cond::Op::kGe:
      return a >= b;
    case Cond::Op::kLe:
      return a <= b;
    case Cond::Op::kGt:
      return a > b;
    case Cond::Op::kLt:
      return a < b;
    case Cond::Op::kEq:
      return a == b;
    case Cond::Op::kNe:
      return a != b;
  }
  return false;
}

}  // namespace

bool EvaluateCondition(const Cond& cond, const BonusContext& context) {
  switch (cond.kind) {
    case Cond::Kind::kOr:
      for (const auto& o : cond.operands) {
        if (EvaluateCondition(*o, context)) return true;
      }
      return false;
    case Cond::Kind::kAnd:
      for (const auto& o : cond.operands) {
        if (!EvaluateCondition(*o, context)) return false;
      }
      return true;
    case Cond::Kind::kNot:
      assert(cond.operands.size() == 1);
      return !EvaluateCondition(*cond.operands[0], context);
    case Cond::Kind::kCompare: {
      auto l = Evaluate(*cond.left, context);
      auto r = Evaluate(*cond.right, context);
      return l && r && Compare(cond.op, *l, *r);
    }
  }
  return false;
}

}  // namespace jifen::engine

namespace jifen::engine {
namespace {

// Expressions are shown the way `jifen fmt` writes them.
std::string ExprText(const Expr& e) {
  return grammar::ExpressionText(e, grammar::Language::kEnglish);
}

std::string ValueText(const std::optional<Ratio>& v) {
  if (!v) return "undefined (division by zero)";
  return v->ToPoints()
      .ToString();  // to two decimals, rounded half away from zero, like every figure
}

std::string Side(const Expr& e, const BonusContext& c) {
  if (e.kind == Expr::Kind::kNumber) return ExprText(e);
  return ExprText(e) + " = " + ValueText(Evaluate(e, c));
}

}  // namespace

std::string DescribeCondition(const Cond& cond, const BonusContext& context) {
  switch (cond.kind) {
    case Cond::Kind::kOr:
    case Cond::Kind::kAnd: {
      std::string out;
      for (const auto& o : cond.operands) {
        if (!out.empty()) out += cond.kind == Cond::Kind::kOr ? " or " : " and ";
        out += o->kind == Cond::Kind::kCompare ? DescribeCondition(*o, context)
                                               : "(" + DescribeCondition(*o, context) + ")";
      }
      return out;
    }
    case Cond::Kind::kNot:
      return "not (" + DescribeCondition(*cond.operands[0], context) + ")";
    case Cond::Kind::kCompare:
      return Side(*cond.left, context) + " " + std::string(grammar::OperatorText(cond.op)) + " " +
             Side(*cond.right, context) + (EvaluateCondition(cond, context) ? " ✓" : " ✗");
  }
  return "";
}

}  // namespace jifen::engine
