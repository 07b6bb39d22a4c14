// A strict reader for the one shape the import form has: a single JSON object whose values are
// scalars or arrays (nested values are parsed and only their kind kept), on simdjson's ondemand
// parser (Debian's libsimdjson). Each line is copied into a per-thread buffer with the
// padding simdjson reads past the end, so the caller's text may be any string_view.
#pragma once

#include <string>
#include <string_view>

#include "formats/record_json.h"

namespace jifen::formats {

// Parses `text` into `fields` (in order). On failure returns false and sets `error`: "not a JSON
// object", "duplicate field \"x\"", or "not JSON: REASON at byte N".
bool ParseFlatJsonObject(std::string_view text, InputFields* fields, std::string* error);

// The fast path of RecordFromJson for the lines jifen itself writes (and most others): "type"
// first, integers in range, every field known and valid. Reads `text`
// straight into `*record`, reusing its strings' storage. Returns false, leaving *record
// unspecified, for anything else, valid or not: the caller then takes the strict path, which
// gives the same record or the reason the line is refused.
bool ParseRecordQuickly(std::string_view text, Record* record);

}  // namespace jifen::formats
