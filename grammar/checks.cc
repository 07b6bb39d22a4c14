// Checks that need the whole file (GRAMMAR.md "Checks"): the village block, unique codes and
// title names, and the codes that bonus conditions select.
#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "grammar/parse_internal.h"

namespace jifen::grammar {
namespace {

struct Named {
  const Location* location;
  Keyword kind;
  const std::string* name;
};

bool SourceOrder(const Named& a, const Named& b) {
  if (a.location->line != b.location->line) return a.location->line < b.location->line;
  return a.location->column < b.location->column;
}

// Reports each name used a second time (in source order) at the later use.
void CheckUnique(Builder& b, std::vector<Named> names, Message message) {
  std::stable_sort(names.begin(), names.end(), SourceOrder);
  std::unordered_map<std::string, uint32_t> first_line;
  for (const Named& n : names) {
    auto [it, inserted] = first_line.emplace(*n.name, n.location->line);
    if (!inserted) {
      b.Error(*n.location, message, {b.Subject(n.kind, *n.name), std::to_string(it->second)});
    }
  }
}

void CheckCodes(Builder& b) {
  const RuleFile& f = b.file;
  std::vector<Named> codes;
  for (const Category& c : f.categories)
    codes.push_back({&c.location, Keyword::kCategory, &c.code});
  for (const Item& i : f.items) codes.push_back({&i.location, Keyword::kItem, &i.code});
  for (const Reward& r : f.rewards) codes.push_back({&r.location, Keyword::kReward, &r.code});
  for (const Bonus& o : f.bonuses) codes.push_back({&o.location, Keyword::kBonus, &o.code});
  CheckUnique(b, std::move(codes), Message::kCodeUsed);

  // A period title and an annual title may share a name (最美家庭 each quarter and each year).
  for (TitleScope scope : {TitleScope::kPeriod, TitleScope::kAnnual}) {
    std::vector<Named> titles;
    for (const Title& t : f.titles) {
      if (t.scope == scope) titles.push_back({&t.location, Keyword::kTitle, &t.name});
    }
    CheckUnique(b, std::move(titles), Message::kTitleUsed);
  }
}

void CheckSelector(Builder& b, const Bonus& bonus, const Selector& s) {
  const RuleFile& f = b.file;
  std::string subject = b.Subject(Keyword::kBonus, bonus.code);
  if (s.kind == SelectorKind::kItem && f.FindItem(s.code) == nullptr) {
    if (f.FindCategory(s.code) != nullptr) {
      b.Error(s.location, Message::kSelectorIsCategory,
              {subject, s.code, KeywordText(Keyword::kCategory, b.message_language()), s.code});
    } else {
      b.Error(s.location, Message::kUnknownItem, {subject, s.code});
    }
  } else if (s.kind == SelectorKind::kCategory && f.FindCategory(s.code) == nullptr) {
    b.Error(s.location, Message::kUnknownCategory, {subject, s.code});
  }
}

void CheckExpression(Builder& b, const Bonus& bonus, const Expr* e) {
  if (e == nullptr) return;
  if (e->kind == Expr::Kind::kCount || e->kind == Expr::Kind::kPoints) {
    CheckSelector(b, bonus, e->selector);
  }
  CheckExpression(b, bonus, e->left.get());
  CheckExpression(b, bonus, e->right.get());
}

void CheckCondition(Builder& b, const Bonus& bonus, const Cond* c) {
  if (c == nullptr) return;
  for (const auto& operand : c->operands) CheckCondition(b, bonus, operand.get());
  CheckExpression(b, bonus, c->left.get());
  CheckExpression(b, bonus, c->right.get());
}

}  // namespace

void CheckFile(Builder& b, bool complete) {
  if (!b.first_village) b.Error(Location{b.file.file, 1, 1}, Message::kNoVillage);
  CheckCodes(b);
  if (!complete) return;
  for (const Bonus& bonus : b.file.bonuses) CheckCondition(b, bonus, bonus.when.get());
}

}  // namespace jifen::grammar
