// Recording by scanning a household's card (QR check-in at an activity, SPEC.md §7 "Cards"): a
// scorer signed in on their phone opens a household's card link and sees, above the household's
// page, "为本户记分": the items their role may record, one button per member and one for the
// household, with the activity's item and quantity remembered, so each card scanned is one tap.
// The form posts to /record: the same admission, review and evidence rules as the record page.
// The card page is the same page for everyone else; the panel is filled in per visitor, never
// kept in the page cache, and only for a scorer of the card's own village.
#pragma once

#include <optional>
#include <string>

#include "web/http.h"
#include "web/server.h"

namespace jifen::web {

// Where the card page holds the panel until FillScanPanel puts it in (or takes the slot away).
inline constexpr const char* kScanSlot = "<!--jifen-scan-->";

// The cookie that remembers an activity's item and quantity for the next card (Path=/h/).
inline constexpr const char* kActivityCookie = "jifen_activity";

// The card page's path when `back` is one (/h/VILLAGE/HOUSEHOLD/TOKEN with a valid token) of
// `village`; else nullopt. A record form that names it returns there.
std::optional<std::string> CardPathOf(App& app, const std::string& back, const std::string& village);

// After an award made from a card: the Set-Cookie value remembering its item and quantity, or ""
// when they are not an item code and a plain decimal.
std::string ActivityCookie(const std::string& item, const std::string& qty);

// The card page's fill_visitor step for the panel: for a signed-in scorer (or a clerk with a bound
// scorer) of the card's village, the panel; for anyone else, nothing.
void FillScanPanel(App& app, RequestContext& c);

}  // namespace jifen::web
