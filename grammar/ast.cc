#include "grammar/ast.h"

#include <algorithm>

namespace jifen::grammar {
namespace {

// Rule files hold a few hundred codes at most; a scan is as fast as a map built for each file.
template <typename T>
const T* FindByCode(const std::vector<T>& all, std::string_view code) {
  auto it = std::find_if(all.begin(), all.end(), [&](const T& t) { return t.code == code; });
  return it == all.end() ? nullptr : &*it;
}

bool Same(const Village& a, const Village& b) {
  return a.code == b.code && a.name == b.name && a.township == b.township && a.period == b.period &&
         a.clearing == b.clearing && a.late_days_max == b.late_days_max && a.base == b.base &&
         a.rank == b.rank && a.annual == b.annual && a.self == b.self &&
         a.review_roles == b.review_roles && a.notice_days == b.notice_days;
}

bool Same(const Cap& a, const Cap& b) { return a.points == b.points && a.window == b.window; }

bool Same(const Item& a, const Item& b) {
  return a.code == b.code && a.name == b.name && a.category == b.category && a.points == b.points &&
         a.per == b.per && a.cap.has_value() == b.cap.has_value() &&
         (!a.cap || Same(*a.cap, *b.cap)) && a.unit == b.unit && a.evidence == b.evidence &&
         a.veto == b.veto && a.roles == b.roles;
}

bool Same(const Category& a, const Category& b) {
  return a.code == b.code && a.name == b.name && a.items == b.items;
}

bool Same(const Reward& a, const Reward& b) {
  return a.code == b.code && a.name == b.name && a.cost == b.cost && a.stock == b.stock &&
         a.stock_per_period == b.stock_per_period;
}

bool Same(const Title& a, const Title& b) {
  return a.name == b.name && a.scope == b.scope && a.top == b.top &&
         a.top_percent == b.top_percent && a.min == b.min && a.no_veto == b.no_veto;
}

bool Same(const Selector& a, const Selector& b) { return a.kind == b.kind && a.code == b.code; }

bool Same(const Expr* a, const Expr* b) {
  if (a == nullptr || b == nullptr) return a == b;
  if (a->kind != b->kind) return false;
  switch (a->kind) {
    case Expr::Kind::kNumber:
      return a->number == b->number;
    case Expr::Kind::kCount:
    case Expr::Kind::kPoints:
      return Same(a->selector, b->selector);
    default:
      return Same(a->left.get(), b->left.get()) && Same(a->right.get(), b->right.get());
  }
}

bool Same(const Cond* a, const Cond* b) {
  if (a == nullptr || b == nullptr) return a == b;
  if (a->kind != b->kind || a->operands.size() != b->operands.size()) return false;
  if (a->kind == Cond::Kind::kCompare) {
    return a->op == b->op && Same(a->left.get(), b->left.get()) &&
           Same(a->right.get(), b->right.get());
  }
  for (size_t i = 0; i < a->operands.size(); ++i) {
    if (!Same(a->operands[i].get(), b->operands[i].get())) return false;
  }
  return true;
}

bool Same(const Bonus& a, const Bonus& b) {
  return a.code == b.code && a.name == b.name && a.points == b.points &&
         Same(a.when.get(), b.when.get());
}

template <typename T>
bool SameAll(const std::vector<T>& a, const std::vector<T>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!Same(a[i], b[i])) return false;
  }
  return true;
}

}  // namespace

const Item* RuleFile::FindItem(std::string_view code) const { return FindByCode(items, code); }

const Category* RuleFile::FindCategory(std::string_view code) const {
  return FindByCode(categories, code);
}

const Reward* RuleFile::FindReward(std::string_view code) const {
  return FindByCode(rewards, code);
}

bool SameRules(const RuleFile& a, const RuleFile& b) {
  bool same_rate = a.rate.has_value() == b.rate.has_value() &&
                   (!a.rate || a.rate->yuan_per_point == b.rate->yuan_per_point);
  bool same_dividend = a.dividend.has_value() == b.dividend.has_value() &&
                       (!a.dividend || (a.dividend->shares_percent == b.dividend->shares_percent &&
                                        a.dividend->points_percent == b.dividend->points_percent));
  return Same(a.village, b.village) && SameAll(a.categories, b.categories) &&
         SameAll(a.items, b.items) && SameAll(a.rewards, b.rewards) &&
         SameAll(a.titles, b.titles) && SameAll(a.bonuses, b.bonuses) && same_rate && same_dividend;
}

}  // namespace jifen::grammar
