// The objection form of a household's card page: during a posted period's notice window a villager
// objects to one of the household's records of that period, or to its figures. The card page
// (pages_public.cc) shows the form and the household's objections; the handler that takes the
// form (pages_month.cc) writes the `objection` record `jifen object` would.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "engine/model.h"
#include "web/server.h"

namespace jifen::web {

// The double-submit cookie of the card page's form (Path=/h/).
inline constexpr const char* kCardCookie = "jifen_card";

// Where the card page holds its form's token until FillCardToken puts the visitor's own there
// (the page cache keeps the page with this, never with a visitor's token).
inline constexpr const char* kCardTokenSlot = "card-token-slot";

// What the villager typed, and the refusals beside its fields, when the form comes back refused.
struct CardObjectionForm {
  std::string period, target, reason, name;
  nlohmann::json errors = nlohmann::json::object();  // field -> text; "general" for the rest
  std::string filed = {};  // the id of the objection just filed (the page says it was received)
};

// The card page's objection part: `objection_periods` (each period in its notice window, with the
// household's records of it to choose from), `household_objections` (every objection about the
// household, with its state), the form's values and errors. `model` is the village as of now; its
// events are used when they cover a notice period, else that period is loaded afresh.
nlohmann::json CardObjections(App& app, const engine::VillageModel& model, Date events_from,
                              Date events_to, const std::string& household,
                              const CardObjectionForm& form, const nlohmann::json& t);

// The card page of `household` (token already checked by the caller), with `form` in its
// objection part, its token a slot (kCardTokenSlot).
void RenderHouseholdPage(App& app, RequestContext& c, int status, const CardObjectionForm& form);
// The Route::fill_visitor of the card page and its form: puts the visitor's double-submit token in
// the page's slot (the browser's cookie when it is one of ours, else a new one) and sets the
// cookie. Nothing when the page has no objection form.
void FillCardToken(App& app, RequestContext& c);

}  // namespace jifen::web
