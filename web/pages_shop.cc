// The points shop (积分超市): a clerk looks up a household's balance, redeems rewards with the
// stock shown, and prints a receipt. A redemption is a `redeem` record through the admission of
// `jifen import`, which checks the balance and the stock again inside the ledger's write.
#include "web/http.h"

#include "engine/window.h"
#include "util/time_label.h"
#include "web/page_util.h"
#include "web/pinyin.h"
#include "web/routes.h"

namespace jifen::web {
namespace {

using nlohmann::json;

const Date kBeginning = *Date::Parse("0001-01-01");

// The clerk's village as of now, with the events a shop page needs: from the start of the
// current period's replay, or all of them when a reward's stock is counted over all time.
struct Shop {
  VillageView view;
  Date today;
  Period period;
  const engine::Adoption* adoption = nullptr;
};

// The village's shop today, with the events its balances need; without them when its rules list
// no rewards and `closed_needs_balances` is false (the search page then says the shop is closed).
Result<std::optional<Shop>> LoadShop(App& app, const std::string& village,
                                     bool closed_needs_balances) {
  Date today = Timestamp::Now().LocalDate();
  auto structure = LoadVillage(app, village, std::nullopt, today);
  if (!structure.status().ok()) return structure.status();
  if (!structure) return std::optional<Shop>();
  auto period = engine::PeriodOf(structure->model, today);
  const engine::Adoption* a = structure->model.RulesInForce(today);
  if (!period || !a) return std::optional<Shop>();
  Date from = engine::ReplayStart(structure->model, *period);
  for (const auto& reward : a->rules->rewards) {
    if (reward.stock && !reward.stock_per_period) from = kBeginning;
  }
  // The events from the structure's own snapshot.
  if (!a->rules->rewards.empty() || closed_needs_balances) {
    Status s = engine::LoadEvents(*structure->reader, &structure->model, from, today);
    if (!s.ok()) return s;
  }
  Shop shop{std::move(*structure), today, *period, nullptr};
  shop.adoption = shop.view.model.RulesInForce(today);
  return std::optional<Shop>(std::move(shop));
}

// Every household's redeemable balance today (what admission checks a redemption against).
std::map<std::string, Points> Balances(const Shop& shop) {
  engine::ReplayOptions options;
  options.events_through = shop.today;
  std::map<std::string, Points> out;
  auto figures = engine::Replay(shop.view.model, shop.period, shop.period, options);
  if (!figures.ok()) return out;
  for (const auto& f : figures->back().households) out[f.household] = engine::RedeemableBalance(f);
  return out;
}

bool Finds(const std::string& code, const std::string& name, const std::string& q) {
  return q.empty() || code.find(q) != std::string::npos || name.find(q) != std::string::npos ||
         PinyinMatches(name, q);
}

void ShopSearch(App& app, RequestContext& c) {
  auto loaded = LoadShop(app, c.account->village, false);
  if (!loaded.ok()) return RenderNoVillage(c, loaded.status());
  std::optional<Shop>& shop = *loaded;
  if (!shop) return RenderError(c, 404, "not_found");
  const json& t = Strings(c.english);
  if (shop->adoption->rules->rewards.empty()) {  // nothing to redeem: no shop to open
    return Render(c, 200, "shop.html",
                  {{"title", t["shop_title"]},
                   {"no_rewards", true},
                   {"village_name", shop->adoption->rules->village.name}});
  }
  std::string q = c.request->Param("q");
  auto balances = Balances(*shop);
  json rows = json::array();
  for (const auto& [code, h] : shop->view.model.households) {
    if (!Finds(code, h.name, q)) continue;
    Points balance = balances.count(code) ? balances[code] : Points();
    rows.push_back({{"code", code}, {"name", h.name}, {"balance", balance.ToString()}});
  }
  Render(c, 200, "shop.html",
         {{"title", t["shop_title"]},
          {"q", q},
          {"rows", rows},
          {"has_rows", !rows.empty()},
          {"open", true},
          {"village_name", shop->adoption->rules->village.name}});
}

struct RedeemForm {
  std::string reward, qty;
  std::string form;  // the form's one-time id (FormId)
};

void RenderHousehold(App& app, RequestContext& c, const std::string& household,
                     const RedeemForm& form, const json& errors, int status) {
  const json& t = Strings(c.english);
  auto loaded = LoadShop(app, c.account->village, true);
  if (!loaded.ok()) return RenderNoVillage(c, loaded.status());
  std::optional<Shop>& shop = *loaded;
  if (!shop) return RenderError(c, 404, "not_found");
  const engine::VillageModel& m = shop->view.model;
  auto h = m.households.find(household);
  if (h == m.households.end()) {
    return Render(c, 404, "error.html",
                  {{"message", t["shop_no_household"].get<std::string>() + household}});
  }
  auto balances = Balances(*shop);
  Points balance = balances.count(household) ? balances[household] : Points();
  json members = json::array();
  for (const auto& [code, p] : m.persons) {
    const std::string* home = m.HouseholdOf(code, shop->today);
    if (home && *home == household) members.push_back({{"code", code}, {"name", p.name}});
  }
  json rewards = json::array();
  for (const auto& reward : shop->adoption->rules->rewards) {
    json row{{"code", reward.code},
             {"name", reward.name},
             {"cost", reward.cost.ToString()},
             {"affordable", !(balance < reward.cost)},
             {"short", (reward.cost - balance).ToString()},
             {"selected", reward.code == form.reward}};
    if (reward.stock) {
      int64_t taken = engine::RewardsRedeemed(
          m, reward.code, reward.stock_per_period ? std::optional(shop->period) : std::nullopt);
      int64_t left = std::max<int64_t>(0, *reward.stock - taken);
      row["left"] = std::to_string(left);
      row["sold_out"] = left == 0;
      row["per_period"] = reward.stock_per_period;
    }
    rewards.push_back(row);
  }
  json recent = json::array();
  for (auto it = m.events.rbegin(); it != m.events.rend() && recent.size() < 10; ++it) {
    if (it->type != ledger::RecordType::kRedeem || it->household.str() != household) continue;
    const grammar::Reward* reward = shop->adoption->rules->FindReward(it->reward.str());
    recent.push_back({{"id", it->id},
                      {"date", it->date.ToString()},
                      {"reward", it->reward.str() + (reward ? " " + reward->name : "")},
                      {"qty", it->qty.ToString()},
                      {"revoked", m.IsRevoked(it->id)}});
  }
  json ctx{{"title", h->second.name + " · " + t["shop_title"].get<std::string>()},
           {"form_id", form.form.empty() ? NewFormId() : form.form},
           {"household", household},
           {"household_name", h->second.name},
           {"members", members},
           {"balance", balance.ToString()},
           {"period", PeriodWords(shop->period.ToString(), c.english)},
           {"rewards", rewards},
           {"has_rewards", !rewards.empty()},
           {"recent", recent},
           {"has_recent", !recent.empty()},
           {"qty", form.qty.empty() ? "1" : form.qty},
           {"errors", errors},
           {"failed", !errors.empty()}};
  Render(c, status, "shop_household.html", ctx);
}

void ShopHousehold(App& app, RequestContext& c) {
  RenderHousehold(app, c, c.params[0], RedeemForm{}, json::object(), 200);
}

void ShopRedeem(App& app, RequestContext& c) {
  const json& t = Strings(c.english);
  if (c.account->scorer.empty()) return RenderError(c, 403, "no_scorer");
  const std::string& household = c.params[0];
  RedeemForm form{FormValue(*c.request, "reward"), FormValue(*c.request, "qty"), FormId(c)};
  bool sent_form_id = !form.form.empty();  // a client that sends none gets no replay guard
  if (!sent_form_id) form.form = NewFormId();
  std::string id = c.account->village + "-R" + form.form;
  // The same form again (a retry, a double click): the redemption it made, answered as the first.
  auto made_by_this_form = [&]() -> bool {
    auto held = sent_form_id ? RecordWithId(app, c.account->village, id) : std::nullopt;
    return held && held->type == ledger::RecordType::kRedeem && held->household == household;
  };
  if (made_by_this_form())
    return Redirect(c, "/shop/receipt/" + EncodeQueryParam(id) + LangSuffix(c));
  json errors = json::object();
  auto qty = Quantity::Parse(form.qty.empty() ? "1" : form.qty);
  if (!qty || *qty == Quantity::FromWhole(0) || qty->hundredths() % 100 != 0) {
    errors["qty"] = t["shop_err_qty"];
  }
  if (form.reward.empty()) errors["reward"] = t["shop_err_reward_empty"];
  if (!errors.empty()) return RenderHousehold(app, c, household, form, errors, 422);
  ledger::Record r;
  r.type = ledger::RecordType::kRedeem;
  r.village = c.account->village;
  r.id = id;
  r.household = household;
  r.reward = form.reward;
  r.qty = *qty;
  r.date = Timestamp::Now().LocalDate();
  r.scorer = c.account->scorer;  // the clerk's own scorer
  auto refusal = WriteRecords(app, {r});
  if (!refusal.ok()) return RenderError(c, 500, "error");
  if (*refusal && made_by_this_form()) *refusal = std::nullopt;  // the same form, sent at once
  if (*refusal) {
    PutRefusal(c, **refusal, {"reward", "qty"}, &errors);
    return RenderHousehold(app, c, household, form, errors, 422);
  }
  Redirect(c, "/shop/receipt/" + EncodeQueryParam(r.id) + LangSuffix(c));
}

// A printable receipt: the redemption as the ledger holds it, with the household's balance just
// before and just after it (a replay as of the record's own sequence).
void ShopReceipt(App& app, RequestContext& c) {
  const json& t = Strings(c.english);
  const std::string& id = c.params[0];
  auto reader = app.ledger().Snapshot();
  if (!reader.ok()) return RenderError(c, 500, "error");
  auto seq = (*reader)->FindKey(c.account->village, id);
  std::optional<ledger::Record> r;
  if (seq) {
    if (auto got = (*reader)->Get(*seq); got.ok() && got->type == ledger::RecordType::kRedeem)
      r = *got;
  }
  if (!r)
    return Render(c, 404, "error.html",
                  {{"message", t["shop_no_receipt"].get<std::string>() + id}});
  auto model = engine::LoadVillageStructure(**reader, r->village, r->sequence);
  if (!model.ok()) return RenderNoVillage(c, model.status());
  auto period = engine::PeriodOf(*model, r->date);
  const engine::Adoption* a = model->RulesInForce(r->date);
  if (!period || !a) return RenderError(c, 404, "not_found");
  if (Status s = engine::LoadEventsForPeriods(**reader, &*model, *period, r->date); !s.ok())
    return RenderNoVillage(c, s);
  engine::ReplayOptions options;
  options.events_through = r->date;
  options.only_household = r->household;
  auto figures = engine::Replay(*model, *period, *period, options);
  if (!figures.ok()) return RenderError(c, 500, "error");
  Points after;
  for (const auto& f : figures->back().households) {
    if (f.household == r->household) after = engine::RedeemableBalance(f);
  }
  const grammar::Reward* reward = a->rules->FindReward(r->reward);
  Points cost = reward ? reward->cost.Times(r->qty) : Points();
  auto scorer = model->scorers.find(r->scorer);
  json ctx{{"title", t["shop_receipt"]},
           {"village_name", a->rules->village.name},
           {"id", r->id},
           {"sequence", std::to_string(r->sequence)},
           {"household", r->household},
           {"household_name", HouseholdName(*model, r->household)},
           {"reward", r->reward + (reward ? " " + reward->name : "")},
           {"qty", r->qty.ToString()},
           {"cost", cost.ToString()},
           {"before", (after + cost).ToString()},
           {"after", after.ToString()},
           {"date", r->date.ToString()},
           {"recorded", ClockLabel(r->recorded, c.english)},
           {"recorded_exact", r->recorded.ToString()},
           {"clerk", r->scorer + (scorer != model->scorers.end() ? " " + scorer->second.name : "")},
           {"head", ledger::HashToHex((*reader)->HeadHash())}};
  Render(c, 200, "shop_receipt.html", ctx);
}

}  // namespace

std::vector<Route> ShopRoutes() {
  return {
      {"GET", "/shop", {"clerk"}, ShopSearch, "/shop"},
      {"GET", "/shop/([A-Za-z0-9_-]{1,64})", {"clerk"}, ShopHousehold, "/shop/H1"},
      {"POST", "/shop/([A-Za-z0-9_-]{1,64})/redeem", {"clerk"}, ShopRedeem, "/shop/H1/redeem"},
      {"GET",
       "/shop/receipt/([A-Za-z0-9_.:-]{1,64})",
       {"clerk"},
       ShopReceipt,
       "/shop/receipt/W-R1"},
  };
}

}  // namespace jifen::web
