#include "engine/names.h"

#include <algorithm>
#include <cassert>
#include <set>

namespace jifen::engine {

void NameIndex::Names::Add(Entry entry) {
  auto [it, inserted] = by_code.emplace(entry.code, entry);
  if (!inserted) {
    if (it->second.name == entry.name) return;
    // Registered again under another name: the latest name is the one a clerk uses.
    for (auto n = by_name.lower_bound(it->second.name);
         n != by_name.end() && n->first == it->second.name; ++n) {
      if (n->second == entry.code) {
        by_name.erase(n);
        break;
      }
    }
    it->second = entry;
  }
  if (!entry.name.empty()) by_name.emplace(entry.name, entry.code);
}

NameLookup NameIndex::Names::Find(std::string_view value) const {
  NameLookup lookup;
  std::string key(value);
  if (by_code.count(key)) {
    lookup.code = key;
    return lookup;
  }
  auto [first, last] = by_name.equal_range(key);
  for (auto it = first; it != last; ++it) {
    const Entry& e = by_code.at(it->second);
    lookup.candidates.push_back(NameCandidate{e.code, e.name, e.detail});
  }
  if (lookup.candidates.empty()) {
    lookup.code = key;
    lookup.unknown = true;
  } else if (lookup.candidates.size() == 1) {
    lookup.code = lookup.candidates[0].code;
    lookup.by_name = true;
    lookup.candidates.clear();
  } else {
    lookup.by_name = true;
  }
  if (lookup.candidates.size() > 1) lookup.code.clear();
  return lookup;
}

Status NameIndex::Load(const ledger::Reader& reader, const std::vector<std::string>& villages) {
  std::vector<std::string> codes = reader.Villages();
  std::set<std::string> wanted;
  bool by_name = false;
  for (const std::string& v : villages) {
    if (std::binary_search(codes.begin(), codes.end(), v)) {
      wanted.insert(v);
    } else {
      by_name = true;
    }
  }
  if (by_name) wanted.insert(codes.begin(), codes.end());  // to learn every village's name
  uint64_t head = reader.HeadSequence();
  for (const std::string& code : wanted) {
    if (villages_.count(code) && villages_.at(code).model) continue;
    auto model = LoadVillageStructure(reader, code, head);
    if (!model.ok()) return model.status();
    Village& v = villages_[code];
    for (const auto& [c, h] : model->households) v.households.Add(Entry{c, h.name, ""});
    for (const auto& [c, p] : model->persons) {
      const std::string& household =
          p.memberships.empty() ? std::string() : p.memberships.back().second;
      v.persons.Add(Entry{c, p.name, household});
    }
    for (const auto& [c, s] : model->scorers) v.scorers.Add(Entry{c, s.name, s.role});
    if (!model->adoptions.empty()) v.name = model->adoptions.back().rules->village.name;
    v.model.emplace(std::move(*model));
  }
  return Status::Ok();
}

void NameIndex::AddRegistration(ledger::RecordType type, const std::string& village,
                                const std::string& code, const std::string& name,
                                const std::string& household) {
  Village& v = villages_[village];
  switch (type) {
    case ledger::RecordType::kHousehold:
      v.households.Add(Entry{code, name, ""});
      break;
    case ledger::RecordType::kPerson:
      v.persons.Add(Entry{code, name, household});
      break;
    case ledger::RecordType::kScorer:
      v.scorers.Add(Entry{code, name, ""});
      break;
    case ledger::RecordType::kRules:
    case ledger::RecordType::kMove:
    case ledger::RecordType::kAward:
    case ledger::RecordType::kRevoke:
    case ledger::RecordType::kRedeem:
    case ledger::RecordType::kApprove:
    case ledger::RecordType::kPost:
    case ledger::RecordType::kObjection:
    case ledger::RecordType::kRuling:
      break;  // names nothing
  }
}

const NameIndex::Village* NameIndex::Find(std::string_view code) const {
  auto it = villages_.find(std::string(code));
  return it == villages_.end() ? nullptr : &it->second;
}

std::vector<NameCandidate> NameIndex::Known(std::string_view village, NameKind kind) const {
  std::vector<NameCandidate> known;
  if (kind == NameKind::kVillage) {
    for (const auto& [code, v] : villages_) known.push_back(NameCandidate{code, v.name, ""});
    return known;
  }
  const Village* v = Find(village);
  if (v == nullptr) return known;
  const Names* names = kind == NameKind::kHousehold ? &v->households
                       : kind == NameKind::kPerson  ? &v->persons
                       : kind == NameKind::kScorer  ? &v->scorers
                                                    : nullptr;
  if (names == nullptr) return known;
  for (const auto& [code, e] : names->by_code)
    known.push_back(NameCandidate{code, e.name, e.detail});
  return known;
}

NameLookup NameIndex::Resolve(std::string_view village, NameKind kind, std::string_view value,
                              std::optional<Date> date, std::string_view item) const {
  if (kind == NameKind::kVillage) return ResolveVillage(value);
  NameLookup lookup;
  lookup.code = std::string(value);
  const Village* v = Find(village);
  if (v == nullptr) return lookup;
  switch (kind) {
    case NameKind::kHousehold:
      return v->households.Find(value);
    case NameKind::kPerson:
      return WithHouseholds(*v, v->persons.Find(value));
    case NameKind::kScorer:
      return v->scorers.Find(value);
    case NameKind::kSubject:
      return ResolveSubject(*v, value, date, item);
    case NameKind::kItem:
    case NameKind::kReward:
      return ResolveRuleName(*v, kind, value, date);
    case NameKind::kVillage:
      break;
  }
  return lookup;
}

NameLookup NameIndex::ResolveVillage(std::string_view value) const {
  NameLookup lookup;
  lookup.code = std::string(value);
  if (Find(value) != nullptr) return lookup;
  std::vector<NameCandidate> matches;
  for (const auto& [code, v] : villages_) {
    if (!v.name.empty() && v.name == value) matches.push_back(NameCandidate{code, v.name, ""});
  }
  if (matches.size() == 1) {
    lookup.code = matches[0].code;
    lookup.by_name = true;
  } else if (matches.size() > 1) {
    lookup.code.clear();
    lookup.by_name = true;
    lookup.candidates = std::move(matches);
  }
  return lookup;
}

NameLookup NameIndex::WithHouseholds(const Village& v, NameLookup lookup) {
  // Detail for a person: the household's code and name.
  for (NameCandidate& c : lookup.candidates) {
    auto h = v.households.by_code.find(c.detail);
    if (h != v.households.by_code.end() && !h->second.name.empty())
      c.detail += " " + h->second.name;
  }
  return lookup;
}

NameLookup NameIndex::ResolveSubject(const Village& v, std::string_view value,
                                     std::optional<Date> date, std::string_view item) {
  NameLookup lookup;
  lookup.code = std::string(value);
  if (v.persons.by_code.count(lookup.code) || v.households.by_code.count(lookup.code))
    return lookup;
  NameLookup persons = WithHouseholds(v, v.persons.Find(value)),
             households = v.households.Find(value);
  bool person_found = persons.by_name, household_found = households.by_name;
  if (!person_found && !household_found) {
    lookup.unknown = true;
    return lookup;
  }
  if (person_found != household_found) return person_found ? persons : households;
  // Both: the item says whose points they are.
  std::optional<grammar::Per> per;
  if (date && v.model) {
    if (const Adoption* a = v.model->RulesInForce(*date)) {
      if (const grammar::Item* it = a->rules->FindItem(item)) per = it->per;
    }
  }
  if (per == grammar::Per::kHousehold && households.candidates.empty()) return households;
  if (per == grammar::Per::kPerson && persons.candidates.empty()) return persons;
  NameLookup both;
  both.by_name = true;
  AddSubjectCandidates(v, persons, &both);
  AddSubjectCandidates(v, households, &both);
  return both;
}

void NameIndex::AddSubjectCandidates(const Village& v, const NameLookup& l, NameLookup* both) {
  assert(both != nullptr);
  if (!l.candidates.empty()) {
    both->candidates.insert(both->candidates.end(), l.candidates.begin(), l.candidates.end());
    return;
  }
  auto p = v.persons.by_code.find(l.code);
  if (p != v.persons.by_code.end()) {
    NameLookup one;
    one.candidates.push_back(NameCandidate{p->second.code, p->second.name, p->second.detail});
    both->candidates.push_back(WithHouseholds(v, one).candidates[0]);
    return;
  }
  auto h = v.households.by_code.find(l.code);
  if (h != v.households.by_code.end())
    both->candidates.push_back(NameCandidate{h->second.code, h->second.name, ""});
}

NameLookup NameIndex::ResolveRuleName(const Village& v, NameKind kind, std::string_view value,
                                      std::optional<Date> date) {
  assert(kind == NameKind::kItem || kind == NameKind::kReward);
  NameLookup lookup;
  lookup.code = std::string(value);
  if (!date || !v.model) return lookup;
  const Adoption* a = v.model->RulesInForce(*date);
  if (a == nullptr) return lookup;
  const grammar::RuleFile& r = *a->rules;
  if (kind == NameKind::kItem ? r.FindItem(value) != nullptr : r.FindReward(value) != nullptr)
    return lookup;
  std::vector<NameCandidate> matches;
  if (kind == NameKind::kItem) {
    for (const grammar::Item& i : r.items) {
      if (i.name == value) matches.push_back(NameCandidate{i.code, i.name, i.category});
    }
  } else {
    for (const grammar::Reward& w : r.rewards) {
      if (w.name == value) matches.push_back(NameCandidate{w.code, w.name, ""});
    }
  }
  if (matches.empty()) {
    lookup.unknown = true;
    return lookup;
  }
  lookup.by_name = true;
  if (matches.size() == 1) {
    lookup.code = matches[0].code;
  } else {
    lookup.code.clear();
    lookup.candidates = std::move(matches);
  }
  return lookup;
}

}  // namespace jifen::engine
