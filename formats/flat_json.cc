#include "formats/flat_json.h"

#include <cstdint>
#include <cstring>

// simdjson.h without exceptions: every result is checked where it is read.
#define SIMDJSON_EXCEPTIONS 0
#include <simdjson.h>

#include "ledger/fields.h"
#include "util/text.h"

namespace jifen::formats {

using ledger::FieldKind;
using ledger::FieldSpec;
using ledger::FieldsOf;
using ledger::RecordTypeFromName;
using ledger::kQtyMax;
using ledger::kSharesMax;
using ledger::ValidateRecord;
namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;

constexpr int kDepthMax = 64;

// One parser per thread, its buffers reused line after line; the line is copied into a buffer
// with the SIMDJSON_PADDING bytes after it that simdjson reads past the end.
struct ThreadParser {
  od::parser parser;
  std::string buffer;
  const char* base = nullptr;
  const char* end = nullptr;  // of the line in `buffer`

  simdjson::simdjson_result<od::document> Iterate(std::string_view text) {
    size_t need = text.size() + simdjson::SIMDJSON_PADDING;
    if (buffer.size() < need) buffer.resize(std::max(need, size_t{4096}));
    std::memcpy(buffer.data(), text.data(), text.size());
    base = buffer.data();
    end = base + text.size();
    return parser.iterate(simdjson::padded_string_view(buffer.data(), text.size(), buffer.size()));
  }
};

ThreadParser& Parser() {
  thread_local ThreadParser parser;
  return parser;
}

// What a simdjson error means for a line.
const char* Reason(error_code e) {
  switch (e) {
    case simdjson::EMPTY:
      return "empty line";
    case simdjson::TAPE_ERROR:
      return "unexpected character";
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
      return "object or array never closed";
    case simdjson::UNCLOSED_STRING:
      return "unterminated string";
    case simdjson::STRING_ERROR:
      return "bad escape or lone surrogate in string";
    case simdjson::UNESCAPED_CHARS:
      return "control character in string";
    case simdjson::UTF8_ERROR:
      return "invalid UTF-8";
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR:
      return "invalid literal";
    case simdjson::NUMBER_ERROR:
    case simdjson::NUMBER_OUT_OF_RANGE:
      return "bad number";
    case simdjson::DEPTH_ERROR:
      return "nested too deeply";
    case simdjson::CAPACITY:
      return "line too long";
    case simdjson::MEMALLOC:
      return "out of memory";
    case simdjson::INCORRECT_TYPE:
      return "unexpected value";
    default:
      return "malformed";
  }
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A JSON number token (RFC 8259 grammar), trailing spaces trimmed. Sets `v` as the hand-written
// reader did: kInteger with its value (integer_fits false above the int64 range) or kNumber; the
// text is kept, since exact decimals (qty) are read from it, never through a double.
bool ReadNumber(std::string_view raw, InputValue* v) {
  while (!raw.empty() &&
         (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\n' || raw.back() == '\r'))
    raw.remove_suffix(1);
  size_t i = 0;
  bool negative = i < raw.size() && raw[i] == '-';
  if (negative) ++i;
  if (i >= raw.size() || !IsDigit(raw[i])) return false;
  bool fits = true;
  uint64_t magnitude = 0;
  if (raw[i] == '0') {
    ++i;
  } else {
    while (i < raw.size() && IsDigit(raw[i])) {
      uint64_t digit = static_cast<uint64_t>(raw[i++] - '0');
      if (magnitude > (UINT64_MAX - digit) / 10) fits = false;
      magnitude = magnitude * 10 + digit;
    }
  }
  bool integer = true;
  if (i < raw.size() && raw[i] == '.') {
    integer = false;
    if (++i >= raw.size() || !IsDigit(raw[i])) return false;
    while (i < raw.size() && IsDigit(raw[i])) ++i;
  }
  if (i < raw.size() && (raw[i] == 'e' || raw[i] == 'E')) {
    integer = false;
    ++i;
    if (i < raw.size() && (raw[i] == '+' || raw[i] == '-')) ++i;
    if (i >= raw.size() || !IsDigit(raw[i])) return false;
    while (i < raw.size() && IsDigit(raw[i])) ++i;
  }
  if (i != raw.size()) return false;
  v->text.assign(raw);
  if (!integer) {
    v->kind = InputValue::Kind::kNumber;
    return true;
  }
  v->kind = InputValue::Kind::kInteger;
  v->integer_fits = fits && magnitude <= (negative ? uint64_t{1} << 63 : uint64_t{INT64_MAX});
  v->integer = !v->integer_fits ? 0
               : negative       ? static_cast<int64_t>(0 - magnitude)
                                : static_cast<int64_t>(magnitude);
  return true;
}

// The strict reader: walks every value of the line (so that all of it is checked, nested values
// too) and says what is wrong, "not JSON: REASON at byte N".
class Strict {
 public:
  Strict(std::string_view text, const char* base, std::string* error)
      : text_(text), base_(base), error_(error) {}

  bool Object(od::document& doc, InputFields* fields) {
    od::json_type type;
    if (error_code e = doc.type().get(type)) return Fail(e, doc.current_location());
    if (type != od::json_type::object) {
      // Any other JSON value is "not a JSON object"; what is not JSON at all says why.
      if (type == od::json_type::array) {
        od::array array;
        if (error_code e = doc.get_array().get(array)) return Fail(e, doc.current_location());
        InputValue ignored;
        if (!Array(array, &ignored, 1)) return false;
      } else if (!Scalar(doc, type)) {
        return false;
      }
      if (!AtEnd(doc)) return false;
      return Refuse("not a JSON object");
    }
    od::object object;
    if (error_code e = doc.get_object().get(object)) return Fail(e, doc.current_location());
    for (auto result : object) {
      od::field field;
      if (error_code e = std::move(result).get(field)) return Fail(e, doc.current_location());
      std::string_view key;
      if (error_code e = field.unescaped_key().get(key)) return Fail(e, doc.current_location());
      if (!CheckEscaped(nullptr, key, doc.current_location())) return false;
      for (const auto& f : *fields) {
        if (f.first == key) return Refuse("duplicate field \"" + std::string(key) + "\"");
      }
      fields->emplace_back(std::string(key), InputValue{});
      if (!Value(field.value(), &fields->back().second, 1)) return false;
    }
    return AtEnd(doc);
  }

 private:
  static simdjson::simdjson_result<const char*> Nowhere() { return simdjson::OUT_OF_BOUNDS; }

  bool AtEnd(od::document& doc) {
    auto location = doc.current_location();
    if (location.error() == simdjson::OUT_OF_BOUNDS) return true;
    if (location.error()) return Fail(location.error(), location);
    return Fail("text after the object", location.value_unsafe());
  }

  bool Refuse(std::string why) {
    if (error_->empty()) *error_ = std::move(why);
    return false;
  }
  bool Fail(const std::string& why, const char* at) {
    std::string where;
    if (at != nullptr && at >= base_ && at <= base_ + text_.size())
      where = " at byte " + std::to_string(at - base_ + 1);
    return Refuse("not JSON: " + why + where);
  }
  bool Fail(const std::string& why, simdjson::simdjson_result<const char*> at) {
    return Fail(why, at.error() ? nullptr : at.value_unsafe());
  }
  bool Fail(error_code e, simdjson::simdjson_result<const char*> at) {
    if (e == simdjson::UTF8_ERROR) {
      size_t bad = FindInvalidUtf8(text_);
      return Refuse("not JSON: invalid UTF-8" +
                    (bad < text_.size() ? " at byte " + std::to_string(bad + 1) : ""));
    }
    return Fail(Reason(e), at.error() ? nullptr : at.value_unsafe());
  }

  // A string with escapes whose unescaped form is not UTF-8 held a lone surrogate (\ude00).
  bool CheckEscaped(const char* raw, std::string_view unescaped,
                    simdjson::simdjson_result<const char*> at) {
    (void)raw;
    if (IsValidUtf8(unescaped)) return true;
    return Fail("lone surrogate in \\u escape", at.error() ? nullptr : at.value_unsafe());
  }

  bool Scalar(od::document& doc, od::json_type type) {
    switch (type) {
      case od::json_type::string: {
        std::string_view s;
        if (error_code e = doc.get_string().get(s)) return Fail(e, doc.current_location());
        return CheckEscaped(nullptr, s, doc.current_location());
      }
      case od::json_type::number: {
        InputValue v;
        std::string_view raw;
        if (error_code e = doc.raw_json_token().get(raw)) return Fail(e, doc.current_location());
        return ReadNumber(raw, &v) || Fail("bad number", raw.data());
      }
      case od::json_type::boolean: {
        bool b;
        if (error_code e = doc.get_bool().get(b)) return Fail(e, doc.current_location());
        return true;
      }
      case od::json_type::null: {
        bool null = false;
        if (error_code e = doc.is_null().get(null)) return Fail(e, doc.current_location());
        return null || Fail("invalid literal", doc.current_location().value_unsafe());
      }
      default:
        return Fail("unexpected character", doc.current_location().value_unsafe());
    }
  }

  // One value; depth 1 is a field of the object. Arrays keep their string items.
  bool Value(od::value value, InputValue* v, int depth) {
    if (depth > kDepthMax) return Fail("nested too deeply", value.current_location());
    od::json_type type;
    if (error_code e = value.type().get(type)) return Fail(e, value.current_location());
    switch (type) {
      case od::json_type::string: {
        std::string_view s;
        auto location = value.current_location();
        if (error_code e = value.get_string().get(s)) return Fail(e, location);
        if (!CheckEscaped(nullptr, s, location)) return false;
        v->kind = InputValue::Kind::kString;
        v->text.assign(s);
        return true;
      }
      case od::json_type::number: {
        std::string_view raw = value.raw_json_token();
        return ReadNumber(raw, v) || Fail("bad number", raw.data());
      }
      case od::json_type::boolean: {
        bool b;
        auto location = value.current_location();
        if (error_code e = value.get_bool().get(b)) return Fail(e, location);
        v->kind = InputValue::Kind::kBool;
        return true;
      }
      case od::json_type::null: {
        bool null = false;
        auto location = value.current_location();
        if (error_code e = value.is_null().get(null)) return Fail(e, location);
        if (!null)
          return Fail("invalid literal", location.error() ? nullptr : location.value_unsafe());
        v->kind = InputValue::Kind::kNull;
        return true;
      }
      case od::json_type::array: {
        od::array array;
        if (error_code e = value.get_array().get(array)) return Fail(e, value.current_location());
        return Array(array, v, depth);
      }
      case od::json_type::object: {
        od::object object;
        if (error_code e = value.get_object().get(object)) return Fail(e, value.current_location());
        v->kind = InputValue::Kind::kObject;
        for (auto result : object) {
          od::field field;
          if (error_code e = std::move(result).get(field)) return Fail(e, Nowhere());
          std::string_view key;
          if (error_code e = field.unescaped_key().get(key)) return Fail(e, Nowhere());
          if (!CheckEscaped(nullptr, key, Nowhere())) return false;
          InputValue ignored;
          if (!Value(field.value(), &ignored, depth + 1)) return false;
        }
        return true;
      }
    }
    return Fail("unexpected character", value.current_location().value_unsafe());
  }

  bool Array(od::array& array, InputValue* v, int depth) {
    v->kind = InputValue::Kind::kArray;
    for (auto result : array) {
      od::value element;
      if (error_code e = std::move(result).get(element)) return Fail(e, Nowhere());
      InputValue item;
      if (!Value(element, &item, depth + 1)) return false;
      if (item.kind == InputValue::Kind::kString) {
        v->items.push_back(std::move(item.text));
      } else {
        v->items_all_strings = false;
      }
    }
    return true;
  }

  std::string_view text_;
  const char* base_;
  std::string* error_;
};

// ParseRecordQuickly's reader: the fields straight into the record; gives up (returns false)
// rather than explaining.
class Quick {
 public:
  explicit Quick(const char* end) : end_(end) {}

  bool Read(od::document& doc, Record* r) {
    od::object object;
    if (doc.get_object().get(object)) return false;
    std::span<const FieldSpec> specs;
    uint32_t seen = 0;
    size_t next = 0;
    bool first = true, recorded = false;
    for (auto result : object) {
      od::field field;
      std::string_view key;
      if (std::move(result).get(field) || !Raw(field.key().raw(), &key)) return false;
      od::value value = field.value();
      if (first) {
        first = false;
        std::string_view type;
        if (key != "type" || !String(value, &type)) return false;
        auto t = RecordTypeFromName(type);
        if (!t) return false;
        Reset(*t, r);
        specs = FieldsOf(*t);
        continue;
      }
      if (key == "recorded") {
        std::string_view text;
        if (recorded || !String(value, &text)) return false;
        auto t = Timestamp::Parse(text);
        if (!t) return false;
        r->recorded = *t;
        r->recorded_given = recorded = true;
        continue;
      }
      // Fields mostly come in the table's order (RecordToJson writes them so): try the next first.
      size_t i = next < specs.size() && Is(key, specs[next]) ? next : 0;
      while (i < specs.size() && !Is(key, specs[i])) ++i;
      if (i == specs.size() || (seen & (1u << i)) != 0) return false;
      next = i + 1;
      seen |= 1u << i;
      if (!Field(specs[i], value, r)) return false;
    }
    if (first) return false;
    if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS)
      return false;  // text after the object
    for (size_t i = 0; i < specs.size(); ++i) {
      if ((seen & (1u << i)) != 0) continue;
      if (specs[i].required) return false;
      if (specs[i].member != nullptr) (r->*specs[i].member).assign(specs[i].default_value);
    }
    return ValidateRecord(*r).ok();
  }

 private:
  // Every field back to its default; strings keep their storage.
  const char* end_;

  static void Reset(RecordType type, Record* r) {
    r->type = type;
    r->sequence = 0;
    r->recorded = Timestamp{};
    r->recorded_given = false;
    for (auto member :
         {&Record::village,   &Record::id,          &Record::code,   &Record::name,
          &Record::household, &Record::resident,    &Record::role,   &Record::person,
          &Record::subject,   &Record::item,        &Record::scorer, &Record::place,
          &Record::reason,    &Record::target,      &Record::reward, &Record::text,
          &Record::sha256,    &Record::approved_by, &Record::period, &Record::outcome}) {
      (r->*member).clear();
    }
    r->date = Date();
    r->shares = 0;
    r->qty = Quantity();
    r->evidence.clear();
  }

  // A plain decimal integer (no sign, fraction or exponent) in [min, max].
  static bool Integer(od::value& value, int64_t min, int64_t max, int64_t* out) {
    std::string_view raw = value.raw_json_token();
    InputValue v;
    if (!ReadNumber(raw, &v) || v.kind != InputValue::Kind::kInteger || !v.integer_fits)
      return false;
    if (v.integer < min || v.integer > max) return false;
    *out = v.integer;
    return true;
  }

  // Whether `key` is `spec`'s name (without measuring the name first).
  static bool Is(std::string_view key, const FieldSpec& spec) {
    return std::strncmp(spec.json_name, key.data(), key.size()) == 0 &&
           spec.json_name[key.size()] == '\0';
  }

  // The string at `raw` (just past its opening quote) as it stands in the line: false when it
  // has an escape or a control character (the strict path reads or refuses those).
  bool Raw(const char* raw, std::string_view* out) const {
    const char* e = raw;
    while (e < end_ && *e != '"' && *e != '\\' && static_cast<unsigned char>(*e) >= 0x20) ++e;
    if (e >= end_ || *e != '"') return false;
    *out = std::string_view(raw, static_cast<size_t>(e - raw));
    return true;
  }
  bool String(od::value& value, std::string_view* out) const {
    od::raw_json_string raw;
    return !value.get_raw_json_string().get(raw) && Raw(raw.raw(), out);
  }

  bool Field(const FieldSpec& spec, od::value& value, Record* r) const {
    std::string_view text;
    switch (spec.kind) {
      case FieldKind::kDate: {
        if (!String(value, &text)) return false;
        auto date = Date::Parse(text);
        if (!date) return false;
        r->date = *date;
        return true;
      }
      case FieldKind::kQty: {
        std::string_view raw = value.raw_json_token();
        InputValue v;
        if (!ReadNumber(raw, &v)) return false;
        auto qty = Quantity::Parse(v.text);  // the exact decimal as written
        if (!qty || qty->hundredths() < 1 || *qty > Quantity::FromWhole(kQtyMax)) return false;
        r->qty = *qty;
        return true;
      }
      case FieldKind::kWholeQty: {
        int64_t whole = 0;
        if (!Integer(value, 1, kQtyMax, &whole)) return false;
        r->qty = Quantity::FromWhole(whole);
        return true;
      }
      case FieldKind::kShares:
        return Integer(value, 0, kSharesMax, &r->shares);
      case FieldKind::kEvidence: {
        od::array array;
        if (value.get_array().get(array)) return false;
        for (auto item : array) {
          od::value element;
          if (std::move(item).get(element) || !String(element, &text)) return false;
          r->evidence.emplace_back(text);
        }
        return true;
      }
      default:
        if (!String(value, &text) || (text.empty() && spec.required)) return false;
        (r->*spec.member).assign(text);
        return true;
    }
  }
};

}  // namespace

bool ParseRecordQuickly(std::string_view text, Record* record) {
  ThreadParser& p = Parser();
  od::document doc;
  if (p.Iterate(text).get(doc)) return false;
  Quick quick(p.end);
  return quick.Read(doc, record);
}

bool ParseFlatJsonObject(std::string_view text, InputFields* fields, std::string* error) {
  error->clear();
  fields->clear();
  ThreadParser& p = Parser();
  od::document doc;
  auto iterated = p.Iterate(text);
  Strict strict(text, p.base, error);
  if (error_code e = std::move(iterated).get(doc)) {
    if (e == simdjson::UTF8_ERROR) {
      size_t bad = FindInvalidUtf8(text);
      *error = "not JSON: invalid UTF-8" +
               (bad < text.size() ? " at byte " + std::to_string(bad + 1) : std::string());
    } else {
      *error = std::string("not JSON: ") + Reason(e);
    }
    return false;
  }
  return strict.Object(doc, fields);
}

}  // namespace jifen::formats
