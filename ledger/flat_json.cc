#include "ledger/flat_json.h"

#include <cstdint>
#include <cstring>

#include "ledger/fields.h"

namespace jifen::ledger {
namespace {

constexpr int kDepthMax = 64;

class Parser {
 public:
  Parser(std::string_view text, std::string* error) : s_(text), error_(error) {}

  bool Object(InputFields* fields) {
    SkipSpace();
    if (pos_ < s_.size() && s_[pos_] != '{') {
      InputValue ignored;
      if (!Value(&ignored, 1)) return false;
      return Refuse("not a JSON object");
    }
    if (!Expect('{')) return false;
    SkipSpace();
    if (Peek() == '}') {
      ++pos_;
      return End();
    }
    for (;;) {
      std::string key;
      SkipSpace();
      if (Peek() != '"') return Fail("expected a field name");
      if (!String(&key)) return false;
      for (const auto& field : *fields) {
        if (field.first == key) return Refuse("duplicate field \"" + key + "\"");
      }
      SkipSpace();
      if (!Expect(':')) return false;
      fields->emplace_back(std::move(key), InputValue{});
      if (!Value(&fields->back().second, 1)) return false;
      SkipSpace();
      char c = Peek();
      ++pos_;
      if (c == '}') return End();
      if (c != ',') return Fail("expected ',' or '}'", pos_ - 1);
    }
  }

 private:
  char Peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  void SkipSpace() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
      ++pos_;
  }
  bool Expect(char c) {
    if (Peek() != c || pos_ >= s_.size()) return Fail(std::string("expected '") + c + "'");
    ++pos_;
    return true;
  }
  bool End() {
    SkipSpace();
    return pos_ == s_.size() || Fail("text after the object");
  }
  bool Fail(const std::string& why) { return Fail(why, pos_); }
  bool Fail(const std::string& why, size_t at) {
    return Refuse("not JSON: " + why + " at byte " + std::to_string(at + 1));
  }
  bool Refuse(std::string why) {
    if (error_->empty()) *error_ = std::move(why);
    return false;
  }

  // One value; depth 1 is a field of the object. Arrays at depth 1 keep their string items.
  bool Value(InputValue* v, int depth) {
    if (depth > kDepthMax) return Fail("nested too deeply");
    SkipSpace();
    switch (Peek()) {
      case '"':
        v->kind = InputValue::Kind::kString;
        return String(&v->text);
      case '{':
        return Container(v, depth, '}');
      case '[':
        return Container(v, depth, ']');
      case 't':
        return Literal("true", InputValue::Kind::kBool, v);
      case 'f':
        return Literal("false", InputValue::Kind::kBool, v);
      case 'n':
        return Literal("null", InputValue::Kind::kNull, v);
      default:
        return Number(v);
    }
  }

  bool Literal(std::string_view word, InputValue::Kind kind, InputValue* v) {
    if (s_.substr(pos_, word.size()) != word) return Fail("invalid literal");
    pos_ += word.size();
    v->kind = kind;
    return true;
  }

  bool Container(InputValue* v, int depth, char close) {
    bool array = close == ']';
    v->kind = array ? InputValue::Kind::kArray : InputValue::Kind::kObject;
    ++pos_;
    SkipSpace();
    if (Peek() == close) return ++pos_, true;
    for (;;) {
      SkipSpace();
      if (!array) {
        std::string key;
        if (Peek() != '"') return Fail("expected a field name");
        if (!String(&key)) return false;
        SkipSpace();
        if (!Expect(':')) return false;
      }
      InputValue item;
      if (!Value(&item, depth + 1)) return false;
      if (array && item.kind == InputValue::Kind::kString) {
        v->items.push_back(std::move(item.text));
      } else {
        v->items_all_strings = false;
      }
      SkipSpace();
      char c = Peek();
      if (pos_ >= s_.size()) return Fail(std::string("expected '") + close + "'");
      ++pos_;
      if (c == close) return true;
      if (c != ',') return Fail(std::string("expected ',' or '") + close + "'", pos_ - 1);
    }
  }

  bool Number(InputValue* v) {
    size_t start = pos_;
    bool negative = Peek() == '-';
    if (negative) ++pos_;
    if (!IsDigit(Peek())) return Fail("unexpected character", start);
    bool fits = true;
    uint64_t magnitude = 0;
    if (Peek() == '0') {
      ++pos_;
    } else {
      while (IsDigit(Peek())) {
        uint64_t digit = static_cast<uint64_t>(s_[pos_++] - '0');
        if (magnitude > (UINT64_MAX - digit) / 10) fits = false;
        magnitude = magnitude * 10 + digit;
      }
    }
    bool integer = true;
    if (Peek() == '.') {
      integer = false;
      ++pos_;
      if (!IsDigit(Peek())) return Fail("digit expected");
      while (IsDigit(Peek())) ++pos_;
    }
    if (Peek() == 'e' || Peek() == 'E') {
      integer = false;
      ++pos_;
      if (Peek() == '+' || Peek() == '-') ++pos_;
      if (!IsDigit(Peek())) return Fail("digit expected");
      while (IsDigit(Peek())) ++pos_;
    }
    v->text.assign(s_.substr(start, pos_ - start));  // exact decimals (qty) are read from it
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

  static bool IsDigit(char c) { return c >= '0' && c <= '9'; }

  // A string at pos_ (which holds the opening quote); checks UTF-8 and decodes escapes.
  bool String(std::string* out) {
    ++pos_;
    out->clear();
    for (;;) {
      size_t run = pos_;
      while (pos_ < s_.size()) {
        unsigned char c = static_cast<unsigned char>(s_[pos_]);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++pos_;
      }
      out->append(s_.data() + run, pos_ - run);
      if (pos_ >= s_.size()) return Fail("unterminated string");
      unsigned char c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') return ++pos_, true;
      if (c < 0x20) return Fail("control character in string");
      if (c >= 0x80) {
        if (!Utf8(out)) return false;
        continue;
      }
      if (!Escape(out)) return false;
    }
  }

  bool Utf8(std::string* out) {
    unsigned char c = static_cast<unsigned char>(s_[pos_]);
    size_t len = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
    if (len == 0 || pos_ + len > s_.size()) return Fail("invalid UTF-8");
    uint32_t cp = c & (0x7f >> len);
    for (size_t k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(s_[pos_ + k]);
      if ((cc & 0xc0) != 0x80) return Fail("invalid UTF-8");
      cp = (cp << 6) | (cc & 0x3f);
    }
    static const uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
      return Fail("invalid UTF-8");
    out->append(s_.data() + pos_, len);
    pos_ += len;
    return true;
  }

  bool Hex4(uint32_t* value) {
    if (pos_ + 4 > s_.size()) return Fail("bad \\u escape");
    *value = 0;
    for (int i = 0; i < 4; ++i) {
      char c = s_[pos_++];
      uint32_t d = c >= '0' && c <= '9'   ? c - '0'
                   : c >= 'a' && c <= 'f' ? c - 'a' + 10
                   : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                          : 16;
      if (d == 16) return Fail("bad \\u escape", pos_ - 1);
      *value = *value << 4 | d;
    }
    return true;
  }

  bool Escape(std::string* out) {
    ++pos_;
    if (pos_ >= s_.size()) return Fail("unterminated string");
    char e = s_[pos_++];
    switch (e) {
      case '"':
        out->push_back('"');
        return true;
      case '\\':
        out->push_back('\\');
        return true;
      case '/':
        out->push_back('/');
        return true;
      case 'b':
        out->push_back('\b');
        return true;
      case 'f':
        out->push_back('\f');
        return true;
      case 'n':
        out->push_back('\n');
        return true;
      case 'r':
        out->push_back('\r');
        return true;
      case 't':
        out->push_back('\t');
        return true;
      case 'u':
        break;
      default:
        return Fail("bad escape", pos_ - 1);
    }
    uint32_t cp = 0;
    if (!Hex4(&cp)) return false;
    if (cp >= 0xdc00 && cp <= 0xdfff) return Fail("lone surrogate in \\u escape");
    if (cp >= 0xd800 && cp <= 0xdbff) {
      uint32_t low = 0;
      if (s_.substr(pos_, 2) != "\\u") return Fail("lone surrogate in \\u escape");
      pos_ += 2;
      if (!Hex4(&low)) return false;
      if (low < 0xdc00 || low > 0xdfff) return Fail("lone surrogate in \\u escape");
      cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
    }
    AppendUtf8(cp, out);
    return true;
  }

  static void AppendUtf8(uint32_t cp, std::string* out) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xc0 | cp >> 6));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xe0 | cp >> 12));
      out->push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3f)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else {
      out->push_back(static_cast<char>(0xf0 | cp >> 18));
      out->push_back(static_cast<char>(0x80 | (cp >> 12 & 0x3f)));
      out->push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3f)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
  std::string* error_;
};

// ParseRecordQuickly's reader: gives up (returns false) rather than explaining.
class QuickReader {
 public:
  explicit QuickReader(std::string_view text) : s_(text) {}

  bool Read(Record* r) {
    if (!Open() || !Key() || key_ != "type" || !Colon() || !String()) return false;
    auto type = RecordTypeFromName(string_);
    if (!type) return false;
    Reset(*type, r);
    auto specs = FieldsOf(*type);
    uint32_t seen = 0;
    size_t next = 0;
    bool recorded = false;
    while (Comma()) {
      if (!Key() || !Colon()) return false;
      if (key_ == "recorded") {
        if (recorded || !String()) return false;
        auto t = Timestamp::Parse(string_);
        if (!t) return false;
        r->recorded = *t;
        r->recorded_given = recorded = true;
        continue;
      }
      // Fields mostly come in the table's order (RecordToJson writes them so): try the next first.
      size_t i = next < specs.size() && Is(specs[next]) ? next : 0;
      while (i < specs.size() && !Is(specs[i])) ++i;
      if (i == specs.size() || (seen & (1u << i)) != 0) return false;
      next = i + 1;
      seen |= 1u << i;
      if (!Field(specs[i], r)) return false;
    }
    if (!Close()) return false;
    for (size_t i = 0; i < specs.size(); ++i) {
      if ((seen & (1u << i)) != 0) continue;
      if (specs[i].required) return false;
      if (specs[i].member != nullptr) (r->*specs[i].member).assign(specs[i].default_value);
    }
    return ValidateRecord(*r).ok();
  }

 private:
  // Every field back to its default; strings keep their storage.
  static void Reset(RecordType type, Record* r) {
    r->type = type;
    r->sequence = 0;
    r->recorded = Timestamp{};
    r->recorded_given = false;
    for (auto member : {&Record::village, &Record::id, &Record::code, &Record::name, &Record::household,
                        &Record::resident, &Record::role, &Record::person, &Record::subject, &Record::item,
                        &Record::scorer, &Record::place, &Record::reason, &Record::target, &Record::reward,
                        &Record::text, &Record::sha256, &Record::approved_by, &Record::period,
                        &Record::outcome}) {
      (r->*member).clear();
    }
    r->date = Date();
    r->shares = 0;
    r->qty = Quantity();
    r->evidence.clear();
  }

  // Whether the last key read is `spec`'s name.
  bool Is(const FieldSpec& spec) const {
    return std::strncmp(spec.json_name, key_.data(), key_.size()) == 0 && spec.json_name[key_.size()] == '\0';
  }

  bool Field(const FieldSpec& spec, Record* r) {
    switch (spec.kind) {
      case FieldKind::kDate: {
        if (!String()) return false;
        auto date = Date::Parse(string_);
        if (!date) return false;
        r->date = *date;
        return true;
      }
      case FieldKind::kQty: {
        Space();
        size_t start = pos_;
        while (pos_ < s_.size() && ((s_[pos_] >= '0' && s_[pos_] <= '9') || s_[pos_] == '.')) ++pos_;
        char next = Peek();
        if (next == 'e' || next == 'E' || next == '-' || next == '+') return false;
        auto qty = Quantity::Parse(s_.substr(start, pos_ - start));
        if (!qty || qty->hundredths() < 1 || *qty > Quantity::FromWhole(kQtyMax)) return false;
        r->qty = *qty;
        return true;
      }
      case FieldKind::kWholeQty: {
        int64_t whole = 0;
        if (!Integer(1, kQtyMax, &whole)) return false;
        r->qty = Quantity::FromWhole(whole);
        return true;
      }
      case FieldKind::kShares:
        return Integer(0, kSharesMax, &r->shares);
      case FieldKind::kEvidence:
        Space();
        if (Peek() != '[') return false;
        ++pos_;
        Space();
        if (Peek() == ']') return ++pos_, true;
        do {
          if (!String()) return false;
          r->evidence.emplace_back(string_);
          Space();
        } while (Peek() == ',' && ++pos_);
        if (Peek() != ']') return false;
        return ++pos_, true;
      default:
        if (!String() || (string_.empty() && spec.required)) return false;
        (r->*spec.member).assign(string_);
        return true;
    }
  }

  // A plain decimal integer (no sign, fraction or exponent) in [min, max].
  bool Integer(int64_t min, int64_t max, int64_t* out) {
    Space();
    size_t start = pos_;
    int64_t value = 0;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9' && pos_ - start < 18) {
      value = value * 10 + (s_[pos_++] - '0');
    }
    size_t digits = pos_ - start;
    if (digits == 0 || (digits > 1 && s_[start] == '0')) return false;
    char next = Peek();
    if ((next >= '0' && next <= '9') || next == '.' || next == 'e' || next == 'E') return false;
    if (value < min || value > max) return false;
    *out = value;
    return true;
  }

  // A string without escapes or control characters; its bytes are checked later (ValidateRecord).
  bool String() {
    Space();
    if (Peek() != '"') return false;
    size_t start = ++pos_;
    while (pos_ < s_.size()) {
      unsigned char c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        string_ = s_.substr(start, pos_ - start);
        ++pos_;
        return true;
      }
      if (c == '\\' || c < 0x20) return false;
      ++pos_;
    }
    return false;
  }
  bool Key() {
    if (!String()) return false;
    key_ = string_;
    return true;
  }
  bool Open() {
    Space();
    return Peek() == '{' && ++pos_;
  }
  bool Colon() {
    Space();
    return Peek() == ':' && ++pos_;
  }
  bool Comma() {
    Space();
    return Peek() == ',' && ++pos_;
  }
  bool Close() {
    Space();
    if (Peek() != '}') return false;
    ++pos_;
    Space();
    return pos_ == s_.size();
  }
  char Peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  void Space() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
      ++pos_;
  }

  std::string_view s_;
  size_t pos_ = 0;
  std::string_view string_;  // the last string read
  std::string_view key_;
};

}  // namespace

bool ParseRecordQuickly(std::string_view text, Record* record) {
  QuickReader reader(text);
  return reader.Read(record);
}

bool ParseFlatJsonObject(std::string_view text, InputFields* fields, std::string* error) {
  error->clear();
  fields->clear();
  Parser parser(text, error);
  return parser.Object(fields);
}

}  // namespace jifen::ledger
