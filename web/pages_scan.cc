// The card's scan panel (web/scan.h).
#include "web/scan.h"

#include <regex>

#include "accounts/accounts.h"
#include "web/page_util.h"

namespace jifen::web {
namespace {

using nlohmann::json;

// The card page's own path: /h/VILLAGE/HOUSEHOLD/TOKEN (the route's pattern).
const std::regex& CardPattern() {
  static const std::regex pattern(R"(/h/([A-Za-z0-9_-]{1,32})/([^/?#]{1,64})/([0-9a-f]{1,64}))");
  return pattern;
}

// An activity as its cookie holds it: "ITEM~QTY", an item code and a plain decimal.
const std::regex& ActivityPattern() {
  static const std::regex pattern(R"(([A-Za-z0-9_.-]{1,32})~([0-9]{1,7}(?:\.[0-9]{1,2})?))");
  return pattern;
}

// The remembered activity, when the cookie is one of ours: item code and quantity.
std::pair<std::string, std::string> Activity(const Request& req) {
  std::string value = CookieValue(req, kActivityCookie);
  std::smatch m;
  if (!std::regex_match(value, m, ActivityPattern())) return {"", "1"};
  return {m[1], m[2]};
}

// The items the scorer's role may record under `rules`, the remembered one selected.
json AllowedItems(const grammar::RuleFile& rules, const std::string& role,
                  const std::string& selected) {
  json out = json::array();
  for (const auto& category : rules.categories) {
    for (const auto& code : category.items) {
      const grammar::Item* item = rules.FindItem(code);
      if (!item || !MayRecord(*item, role)) continue;
      out.push_back({{"code", item->code},
                     {"name", item->name},
                     {"points", item->points.ToSignedString()},
                     {"unit", item->unit.value_or("")},
                     {"evidence", item->evidence},
                     {"per_household", item->per == grammar::Per::kHousehold},
                     {"selected", item->code == selected}});
    }
  }
  return out;
}

// "已记上：…" for the award `id` just made from this card by this scorer, or "".
std::string ScoredText(App& app, const engine::VillageModel& m, const std::string& id,
                       const std::string& scorer, const json& t) {
  if (id.empty() || id.size() > 64) return "";
  auto record = RecordWithId(app, m.code, id);
  if (!record || record->type != ledger::RecordType::kAward || record->scorer != scorer) return "";
  return RecordedText(m, *record, t);
}

}  // namespace

std::optional<std::string> CardPathOf(App& app, const std::string& back,
                                      const std::string& village) {
  std::smatch m;
  if (!std::regex_match(back, m, CardPattern()) || m[1] != village) return std::nullopt;
  if (!app.accounts().IsCardToken(m[1], m[2], m[3])) return std::nullopt;
  return back;
}

std::string ActivityCookie(const std::string& item, const std::string& qty) {
  std::string value = item + "~" + (qty.empty() ? "1" : qty);
  if (!std::regex_match(value, ActivityPattern())) return "";  // never a header from what was typed
  return std::string(kActivityCookie) + "=" + value +
         "; Path=/h/; HttpOnly; SameSite=Strict; Max-Age=43200";
}

void FillScanPanel(App& app, RequestContext& c) {
  const Request& req = *c.request;
  Response& res = *c.response;
  size_t at = res.body.find(kScanSlot);
  if (at == std::string::npos) return;
  std::string panel;
  std::smatch m;
  if (res.status == 200 && c.account && c.session && !c.account->scorer.empty() &&
      std::regex_match(req.path, m, CardPattern()) && m[1] == c.account->village) {
    const accounts::Account& account = *c.account;
    bool english = req.Param("lang") == "en";
    const json& t = Strings(english);
    Date today = Timestamp::Now().LocalDate();
    auto village = LoadVillage(app, account.village, std::nullopt, today);
    const engine::Adoption* a = village ? village->model.RulesInForce(today) : nullptr;
    auto scorer = village ? village->model.scorers.find(account.scorer)
                          : decltype(village->model.scorers.end()){};
    if (a && scorer != village->model.scorers.end()) {
      const engine::VillageModel& model = village->model;
      std::string household = m[2];
      auto [item, qty] = Activity(req);
      json members = json::array();
      for (const auto& [code, person] : model.persons) {
        const std::string* home = person.HouseholdOn(today);
        if (home && *home == household) members.push_back({{"code", code}, {"name", person.name}});
      }
      json ctx{{"household", household},
               {"household_name", HouseholdName(model, household)},
               {"members", members},
               {"items", AllowedItems(*a->rules, scorer->second.role, item)},
               {"qty", qty},
               {"date", today.ToString()},
               {"csrf", c.session->csrf},
               {"form_id", NewFormId()},
               {"back", req.path},
               {"scorer_name", scorer->second.name}};
      std::string scored = ScoredText(app, model, req.Param("scored"), account.scorer, t);
      if (!scored.empty()) ctx["scored"] = scored;
      panel = RenderFragment("scan.html", ctx, english);
    }
  }
  res.body.replace(at, std::string_view(kScanSlot).size(), panel);
}

}  // namespace jifen::web
