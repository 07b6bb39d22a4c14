// PEGTL actions for bonus conditions (SPEC.md §2 `cond`). Internal to grammar/.
// Nodes are built on stacks in the Builder. Two rules may fail after their parts have pushed
// nodes (`paren_condition` and `comparison`), so a guard truncates the stacks when they do; the
// same guard bounds the nesting depth so that hostile input cannot exhaust the stack.
#pragma once

#include <algorithm>
#include <memory>
#include <utility>

#include "grammar/builder.h"
#include "grammar/grammar.h"

namespace jifen::grammar::peg {

inline std::unique_ptr<Expr> PopExpression(Builder& b, int& depth) {
  auto [node, node_depth] = std::move(b.expressions.back());
  b.expressions.pop_back();
  depth = node_depth;
  return std::move(node);
}

template <typename Input>
void PushExpression(Builder& b, const Input& in, std::unique_ptr<Expr> node, int depth) {
  if (depth > kConditionDepthMax) throw SyntaxError{Message::kTooDeep, in.position()};
  b.expressions.emplace_back(std::move(node), depth);
}

inline std::unique_ptr<Cond> PopCondition(Builder& b) {
  auto node = std::move(b.conditions.back());
  b.conditions.pop_back();
  return node;
}

// Counts the nesting of a recursive rule and undoes the nodes of a failed attempt.
struct nesting_guard : maybe_nothing {
  template <typename Rule, apply_mode A, rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput>
  static bool match(ParseInput& in, Builder& b) {
    if (b.depth >= kConditionDepthMax) throw SyntaxError{Message::kTooDeep, in.position()};
    size_t expressions = b.expressions.size();
    size_t conditions = b.conditions.size();
    size_t operators = b.operators.size();
    ++b.depth;
    bool matched = tao::pegtl::match<Rule, A, M, Action, Control>(in, b);
    --b.depth;
    if (!matched) {
      b.expressions.resize(expressions);
      b.conditions.resize(conditions);
      b.operators.resize(operators);
    }
    return matched;
  }
};

// Folds the conditions a rule pushed into one `and` / `or` node when there are several.
template <Cond::Kind K>
struct fold_conditions : maybe_nothing {
  template <typename Rule, apply_mode A, rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput>
  static bool match(ParseInput& in, Builder& b) {
    size_t first = b.conditions.size();
    if (!tao::pegtl::match<Rule, A, M, Action, Control>(in, b)) return false;
    if (b.conditions.size() - first > 1) {
      auto node = std::make_unique<Cond>();
      node->kind = K;
      node->location = b.conditions[first]->location;
      for (size_t i = first; i < b.conditions.size(); ++i) {
        node->operands.push_back(std::move(b.conditions[i]));
      }
      b.conditions.resize(first);
      b.conditions.push_back(std::move(node));
    }
    return true;
  }
};

template <>
struct action<conjunction> : fold_conditions<Cond::Kind::kAnd> {};
template <>
struct action<or_operand> : fold_conditions<Cond::Kind::kAnd> {};
template <>
struct action<condition> : fold_conditions<Cond::Kind::kOr> {};

// The condition of a bonus: folded, then moved into the bonus.
template <>
struct action<bonus_condition> : maybe_nothing {
  template <typename Rule, apply_mode A, rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput>
  static bool match(ParseInput& in, Builder& b) {
    if (!fold_conditions<Cond::Kind::kOr>::match<Rule, A, M, Action, Control>(in, b)) {
      return false;
    }
    b.bonus.when = PopCondition(b);
    return true;
  }
};

template <>
struct action<paren_condition> : nesting_guard {};
template <>
struct action<group_factor> : nesting_guard {};

template <>
struct action<not_condition> : nesting_guard {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    auto node = std::make_unique<Cond>();
    node->kind = Cond::Kind::kNot;
    node->location = b.At(in);
    node->operands.push_back(PopCondition(b));
    b.conditions.push_back(std::move(node));
  }
};

template <>
struct action<comparison_operator> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    std::string_view op = in.string_view();
    b.operators.push_back(op == ">="   ? Cond::Op::kGe
                          : op == "<=" ? Cond::Op::kLe
                          : op == "==" ? Cond::Op::kEq
                          : op == "!=" ? Cond::Op::kNe
                          : op == ">"  ? Cond::Op::kGt
                                       : Cond::Op::kLt);
  }
};

template <>
struct action<comparison> : nesting_guard {
  template <typename Input>
  static void apply(const Input& /*in*/, Builder& b) {
    int depth = 0;
    auto node = std::make_unique<Cond>();
    node->kind = Cond::Kind::kCompare;
    node->right = PopExpression(b, depth);
    node->left = PopExpression(b, depth);
    node->location = node->left->location;
    node->op = b.operators.back();
    b.operators.pop_back();
    b.conditions.push_back(std::move(node));
  }
};

// ---- expressions -----------------------------------------------------------------------------

template <>
struct action<selector> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.selector.location = b.At(in);
  }
};
template <>
struct action<selector_category_code> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.selector.kind = SelectorKind::kCategory;
    b.selector.code = in.string();
  }
};
template <>
struct action<selector_item> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.selector.kind = SelectorKind::kItem;
    b.selector.code = in.string();
  }
};
template <SelectorKind K>
struct selector_word_action {
  static void apply0(Builder& b) {
    b.selector.kind = K;
    b.selector.code.clear();
  }
};
template <>
struct action<selector_positive> : selector_word_action<SelectorKind::kPositive> {};
template <>
struct action<selector_negative> : selector_word_action<SelectorKind::kNegative> {};
template <>
struct action<selector_any> : selector_word_action<SelectorKind::kAny> {};

// A leaf of an expression tree.
template <Expr::Kind K>
struct leaf_action {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    auto node = std::make_unique<Expr>();
    node->kind = K;
    node->location = b.At(in);
    if constexpr (K == Expr::Kind::kNumber) {
      node->number = b.ParsePoints(in.string_view(), node->location).value_or(Points());
    }
    if constexpr (K == Expr::Kind::kCount || K == Expr::Kind::kPoints) node->selector = b.selector;
    PushExpression(b, in, std::move(node), 1);
  }
};
template <>
struct action<number_factor> : leaf_action<Expr::Kind::kNumber> {};
template <>
struct action<count_factor> : leaf_action<Expr::Kind::kCount> {};
template <>
struct action<points_factor> : leaf_action<Expr::Kind::kPoints> {};
template <>
struct action<earned_factor> : leaf_action<Expr::Kind::kEarned> {};
template <>
struct action<members_factor> : leaf_action<Expr::Kind::kMembers> {};

template <>
struct action<negate_factor> : nesting_guard {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    int depth = 0;
    auto node = std::make_unique<Expr>();
    node->kind = Expr::Kind::kNeg;
    node->location = b.At(in);
    node->left = PopExpression(b, depth);
    PushExpression(b, in, std::move(node), depth + 1);
  }
};

// `left OP right` for the tails of `term` and `expression`; the node sits at its left operand.
struct binary_action {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    int right_depth = 0, left_depth = 0;
    auto node = std::make_unique<Expr>();
    node->right = PopExpression(b, right_depth);
    node->left = PopExpression(b, left_depth);
    node->location = node->left->location;
    switch (in.string_view().front()) {
      case '+':
        node->kind = Expr::Kind::kAdd;
        break;
      case '-':
        node->kind = Expr::Kind::kSub;
        break;
      case '*':
        node->kind = Expr::Kind::kMul;
        break;
      default:
        node->kind = Expr::Kind::kDiv;
        break;
    }
    if (node->kind == Expr::Kind::kDiv && node->right->kind == Expr::Kind::kNumber &&
        node->right->number == Points()) {
      b.Error(b.At(in), Message::kDivisionByZero, {b.Subject(Keyword::kBonus, b.bonus.code)});
    }
    PushExpression(b, in, std::move(node), std::max(left_depth, right_depth) + 1);
  }
};
template <>
struct action<multiply_tail> : binary_action {};
template <>
struct action<add_tail> : binary_action {};

template <>
struct action<bonus_keyword> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.bonus = Bonus();
    b.bonus.location = b.At(in);
  }
};
template <>
struct action<bonus_code> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.bonus.code = in.string();
  }
};
template <>
struct action<bonus_name> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.bonus.name = StringValue(in.string_view());
  }
};
template <>
struct action<bonus_points> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    Location at = b.At(in);
    auto points = b.ParsePoints(in.string_view(), at);
    b.bonus.points = points.value_or(Points());
    if (points && *points == Points()) {
      b.Error(at, Message::kBonusZero, {b.Subject(Keyword::kBonus, b.bonus.code)});
    }
  }
};
template <>
struct action<bonus> {
  static void apply0(Builder& b) { b.file.bonuses.push_back(std::move(b.bonus)); }
};

}  // namespace jifen::grammar::peg
