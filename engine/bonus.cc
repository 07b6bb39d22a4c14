#include "engine/bonus.h"

#include "grammar/printer.h"

#include <cassert>
#include <optional>

namespace jifen::engine {
namespace {

using rules::Cond;
using rules::Expr;
using rules::Selector;
using rules::SelectorKind;

// An exact fraction; den > 0. Bonus expressions are tiny, so __int128 never overflows in practice.
struct Rational {
  __int128 num = 0;
  __int128 den = 1;
};

Rational FromPoints(Points p) { return {p.cents(), 100}; }

bool Matches(const Selector& selector, const rules::Item& item) {
  switch (selector.kind) {
    case SelectorKind::kItem: return item.code == selector.code;
    case SelectorKind::kCategory: return item.category == selector.code;
    case SelectorKind::kPositive: return item.points > Points();
    case SelectorKind::kNegative: return item.points < Points();
    case SelectorKind::kAny: return true;
  }
  return false;
}

std::optional<Rational> Evaluate(const Expr& e, const BonusContext& c) {
  switch (e.kind) {
    case Expr::Kind::kNumber: return FromPoints(e.number);
    case Expr::Kind::kEarned: return FromPoints(c.earned);
    case Expr::Kind::kMembers: return Rational{c.members, 1};
    case Expr::Kind::kCount: {
      __int128 n = 0;
      for (const auto& a : c.awards) n += a.counted != Points() && Matches(e.selector, *a.item);
      return Rational{n, 1};
    }
    case Expr::Kind::kPoints: {
      Points sum;
      for (const auto& a : c.awards) {
        if (Matches(e.selector, *a.item)) sum += a.counted;
      }
      return FromPoints(sum);
    }
    case Expr::Kind::kNeg: {
      auto v = Evaluate(*e.left, c);
      if (!v) return std::nullopt;
      return Rational{-v->num, v->den};
    }
    default: break;
  }
  auto l = Evaluate(*e.left, c);
  auto r = Evaluate(*e.right, c);
  if (!l || !r) return std::nullopt;
  switch (e.kind) {
    case Expr::Kind::kAdd: return Rational{l->num * r->den + r->num * l->den, l->den * r->den};
    case Expr::Kind::kSub: return Rational{l->num * r->den - r->num * l->den, l->den * r->den};
    case Expr::Kind::kMul: return Rational{l->num * r->num, l->den * r->den};
    case Expr::Kind::kDiv: {
      if (r->num == 0) return std::nullopt;
      Rational q{l->num * r->den, l->den * r->num};
      if (q.den < 0) q = {-q.num, -q.den};
      return q;
    }
    default: assert(false && "unhandled expression kind");
  }
  return std::nullopt;
}

bool Compare(Cond::Op op, const Rational& l, const Rational& r) {
  __int128 a = l.num * r.den;
  __int128 b = r.num * l.den;
  switch (op) {
    case Cond::Op::kGe: return a >= b;
    case Cond::Op::kLe: return a <= b;
    case Cond::Op::kGt: return a > b;
    case Cond::Op::kLt: return a < b;
    case Cond::Op::kEq: return a == b;
    case Cond::Op::kNe: return a != b;
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
std::string ExprText(const Expr& e) { return rules::Printer(rules::Language::kEnglish).Expression(e); }

std::string ValueText(const std::optional<Rational>& v) {
  if (!v) return "undefined (division by zero)";
  // Shown to two decimals, rounded half away from zero, like every figure.
  __int128 scaled = v->num * 100;
  __int128 q = scaled / v->den, r = scaled % v->den;
  if (2 * (r < 0 ? -r : r) >= v->den) q += scaled < 0 ? -1 : 1;
  return Points::FromCents(static_cast<int64_t>(q)).ToString();
}

const char* OpText(Cond::Op op) {
  switch (op) {
    case Cond::Op::kGe: return ">=";
    case Cond::Op::kLe: return "<=";
    case Cond::Op::kGt: return ">";
    case Cond::Op::kLt: return "<";
    case Cond::Op::kEq: return "==";
    case Cond::Op::kNe: return "!=";
  }
  return "?";
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
        out += o->kind == Cond::Kind::kCompare ? DescribeCondition(*o, context) : "(" + DescribeCondition(*o, context) + ")";
      }
      return out;
    }
    case Cond::Kind::kNot: return "not (" + DescribeCondition(*cond.operands[0], context) + ")";
    case Cond::Kind::kCompare:
      return Side(*cond.left, context) + " " + OpText(cond.op) + " " + Side(*cond.right, context) +
             (EvaluateCondition(cond, context) ? " ✓" : " ✗");
  }
  return "";
}

}  // namespace jifen::engine
