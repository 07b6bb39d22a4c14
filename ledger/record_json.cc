#include "ledger/record_json.h"

#include <charconv>
#include <exception>
#include <nlohmann/json.hpp>

#include "ledger/fields.h"

namespace jifen::ledger {
namespace {

using Kind = InputValue::Kind;

// Collects the members of one flat JSON object. Nested values are kept only as far as the form
// needs them (an array of strings for evidence); anything else nested is remembered as its kind.
class FieldCollector : public nlohmann::json_sax<nlohmann::json> {
 public:
  explicit FieldCollector(InputFields* fields) : fields_(fields) {}
  const std::string& error() const { return error_; }

  bool null() override { return Leaf(Kind::kNull); }
  bool boolean(bool) override { return Leaf(Kind::kBool); }
  bool number_integer(number_integer_t v) override {
    if (depth_ == 1) Start(Kind::kInteger).integer = v;
    return Scalar(Kind::kInteger);
  }
  bool number_unsigned(number_unsigned_t v) override {
    if (depth_ == 1) {
      InputValue& value = Start(Kind::kInteger);
      value.integer_fits = v <= static_cast<number_unsigned_t>(INT64_MAX);
      value.integer = value.integer_fits ? static_cast<int64_t>(v) : 0;
    }
    return Scalar(Kind::kInteger);
  }
  bool number_float(number_float_t, const string_t&) override { return Leaf(Kind::kNumber); }
  bool string(string_t& s) override {
    if (depth_ == 1) Start(Kind::kString).text = std::move(s);
    if (depth_ == 2 && in_array_) fields_->back().second.items.push_back(std::move(s));
    return Scalar(Kind::kString);
  }
  bool binary(binary_t&) override { return Leaf(Kind::kObject); }
  bool start_object(std::size_t) override { return Open(Kind::kObject); }
  bool start_array(std::size_t) override { return Open(Kind::kArray); }
  bool end_object() override { return Close(); }
  bool end_array() override { return Close(); }
  bool key(string_t& k) override {
    if (depth_ != 1) return true;
    for (const auto& [name, value] : *fields_) {
      if (name == k) return Refuse("duplicate field \"" + k + "\"");
    }
    key_ = std::move(k);
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    std::string what = e.what();
    size_t cut = what.find("] ");
    return Refuse("not JSON: " + (cut == std::string::npos ? what : what.substr(cut + 2)));
  }

 private:
  InputValue& Start(Kind kind) {
    fields_->emplace_back(std::move(key_), InputValue{});
    fields_->back().second.kind = kind;
    return fields_->back().second;
  }
  // A value the form never takes: only its kind is kept, for the error message.
  bool Leaf(Kind kind) {
    if (depth_ == 1) Start(kind);
    return Scalar(kind);
  }
  bool Scalar(Kind kind) {
    if (depth_ == 0) return Refuse("not a JSON object");
    if (depth_ == 2 && in_array_ && kind != Kind::kString) fields_->back().second.items_all_strings = false;
    return true;
  }
  bool Open(Kind kind) {
    if (depth_ == 0 && kind != Kind::kObject) return Refuse("not a JSON object");
    if (depth_ == 1) {
      Start(kind);
      in_array_ = kind == Kind::kArray;
    } else if (depth_ == 2 && in_array_) {
      fields_->back().second.items_all_strings = false;
    }
    ++depth_;
    return true;
  }
  bool Close() {
    if (--depth_ == 1) in_array_ = false;
    return true;
  }
  bool Refuse(std::string why) {
    if (error_.empty()) error_ = std::move(why);
    return false;
  }

  InputFields* fields_;
  std::string key_;
  std::string error_;
  int depth_ = 0;
  bool in_array_ = false;
};

Status FieldError(const std::string& field, const std::string& reason) {
  return Status::InvalidInput("field \"" + field + "\": " + reason);
}

bool ParseDecimal(std::string_view text, int64_t* out) {
  if (text.empty() || text.size() > 18) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size() && text[0] != '-';
}

// An integer field: a JSON integer, or (CSV) decimal digits.
Status ReadInteger(const std::string& name, const InputValue& value, bool from_text, int64_t min,
                   int64_t max, int64_t* out) {
  std::string range = min == 1 ? "not a positive integer up to " + std::to_string(max)
                               : "not an integer from 0 to " + std::to_string(max);
  bool ok = from_text ? ParseDecimal(value.text, out)
                      : value.kind == Kind::kInteger && value.integer_fits &&
                            (*out = value.integer, true);
  if (!ok || *out < min || *out > max) {
    return FieldError(name, range + (value.kind == Kind::kString ? ": " + value.text : ""));
  }
  return Status::Ok();
}

std::vector<std::string> SplitEvidence(std::string_view text) {
  std::vector<std::string> items;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != ';' && text[i] != '|') continue;
    std::string_view piece = text.substr(start, i - start);
    while (!piece.empty() && piece.front() == ' ') piece.remove_prefix(1);
    while (!piece.empty() && piece.back() == ' ') piece.remove_suffix(1);
    if (!piece.empty()) items.emplace_back(piece);
    start = i + 1;
  }
  return items;
}

Status ReadField(const FieldSpec& spec, const InputValue& value, bool from_text, Record* record) {
  const std::string name = spec.json_name;
  switch (spec.kind) {
    case FieldKind::kDate: {
      if (value.kind != Kind::kString) return FieldError(name, "expected a date string");
      auto date = Date::Parse(value.text);
      if (!date) return FieldError(name, "not a date: " + value.text);
      record->date = *date;
      return Status::Ok();
    }
    case FieldKind::kQty:
      return ReadInteger(name, value, from_text, 1, kQtyMax, &record->qty);
    case FieldKind::kShares:
      return ReadInteger(name, value, from_text, 0, kSharesMax, &record->shares);
    case FieldKind::kEvidence:
      if (from_text) {
        record->evidence = SplitEvidence(value.text);
        return Status::Ok();
      }
      if (value.kind != Kind::kArray || !value.items_all_strings) {
        return FieldError(name, "expected an array of strings");
      }
      record->evidence = value.items;
      return Status::Ok();
    default:
      if (value.kind != Kind::kString) return FieldError(name, "expected a string");
      if (value.text.empty() && spec.required) return FieldError(name, "empty");
      record->*spec.member = value.text;
      return Status::Ok();
  }
}

const FieldSpec* FindSpec(std::span<const FieldSpec> specs, std::string_view name) {
  for (const auto& spec : specs) {
    if (name == spec.json_name) return &spec;
  }
  return nullptr;
}

void AppendJsonString(std::string_view s, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (c == '\n') {
      out->append("\\n");
    } else if (c == '\t') {
      out->append("\\t");
    } else if (c == '\r') {
      out->append("\\r");
    } else if (u < 0x20) {
      out->append("\\u00");
      out->push_back(kHex[u >> 4]);
      out->push_back(kHex[u & 15]);
    } else {
      out->push_back(c);
    }
  }
  out->push_back('"');
}

}  // namespace

Result<Record> RecordFromFields(const InputFields& fields, bool from_text) {
  const InputValue* type_value = nullptr;
  for (const auto& [name, value] : fields) {
    if (name == "type") type_value = &value;
  }
  if (type_value == nullptr) return Status::InvalidInput("missing field \"type\"");
  if (type_value->kind != Kind::kString) return FieldError("type", "expected a string");
  auto type = RecordTypeFromName(type_value->text);
  if (!type) return FieldError("type", "unknown record type: " + type_value->text);

  Record record;
  record.type = *type;
  auto specs = FieldsOf(*type);
  std::vector<bool> present(specs.size(), false);
  for (const auto& [name, value] : fields) {
    if (name == "type") continue;
    if (name == "recorded") {
      if (value.kind != Kind::kString) return FieldError(name, "expected a timestamp string");
      auto t = Timestamp::Parse(value.text);
      if (!t) return FieldError(name, "not a timestamp: " + value.text);
      record.recorded = *t;
      record.recorded_given = true;
      continue;
    }
    const FieldSpec* spec = FindSpec(specs, name);
    if (spec == nullptr) {
      return Status::InvalidInput("unknown field \"" + name + "\" for a " + type_value->text + " record");
    }
    present[static_cast<size_t>(spec - specs.data())] = true;
    if (Status s = ReadField(*spec, value, from_text, &record); !s.ok()) return s;
  }
  for (size_t i = 0; i < specs.size(); ++i) {
    if (present[i]) continue;
    if (specs[i].required) return Status::InvalidInput(std::string("missing field \"") + specs[i].json_name + "\"");
    if (specs[i].member != nullptr) record.*specs[i].member = specs[i].default_value;
  }
  if (Status s = ValidateRecord(record); !s.ok()) return s;
  return record;
}

Result<Record> RecordFromJson(std::string_view line) {
  if (line.size() > kLineBytesMax) {
    return Status::InvalidInput("line longer than " + std::to_string(kLineBytesMax) + " bytes");
  }
  try {
    InputFields fields;
    FieldCollector collector(&fields);
    bool ok = nlohmann::json::sax_parse(line, &collector);
    if (!ok) return Status::InvalidInput(collector.error().empty() ? "not JSON" : collector.error());
    return RecordFromFields(fields, false);
  } catch (const std::exception& e) {
    return Status::InvalidInput(std::string("not JSON: ") + e.what());
  }
}

std::string RecordToJson(const Record& record) {
  std::string out = "{\"type\":";
  AppendJsonString(RecordTypeName(record.type), &out);
  for (const auto& spec : FieldsOf(record.type)) {
    auto name = [&] {
      out.push_back(',');
      AppendJsonString(spec.json_name, &out);
      out.push_back(':');
    };
    switch (spec.kind) {
      case FieldKind::kDate:
        name();
        AppendJsonString(record.date.ToString(), &out);
        break;
      case FieldKind::kQty:
      case FieldKind::kShares:
        name();
        out += std::to_string(spec.kind == FieldKind::kQty ? record.qty : record.shares);
        break;
      case FieldKind::kEvidence:
        if (record.evidence.empty()) break;
        name();
        out.push_back('[');
        for (size_t i = 0; i < record.evidence.size(); ++i) {
          if (i > 0) out.push_back(',');
          AppendJsonString(record.evidence[i], &out);
        }
        out.push_back(']');
        break;
      default:
        if ((record.*spec.member).empty() && !spec.required) break;
        name();
        AppendJsonString(record.*spec.member, &out);
    }
  }
  out += ",\"recorded\":";
  AppendJsonString(record.recorded.ToString(), &out);
  out.push_back('}');
  return out;
}

}  // namespace jifen::ledger
