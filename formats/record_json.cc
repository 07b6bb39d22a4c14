#include "formats/record_json.h"

#include <charconv>
#include <exception>

#include "ledger/fields.h"
#include "formats/flat_json.h"

namespace jifen::formats {

using ledger::FieldKind;
using ledger::FieldSpec;
using ledger::FieldsOf;
using ledger::RecordTypeFromName;
using ledger::kQtyMax;
using ledger::kSharesMax;
using ledger::ValidateRecord;
using ledger::RecordTypeName;
namespace {

using Kind = InputValue::Kind;

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

// Evidence names separated by ';', '|' or a full-width '；' (a Chinese keyboard's semicolon).
std::vector<std::string> SplitEvidence(std::string_view text) {
  std::vector<std::string> items;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    size_t width = i < text.size() && (text[i] == ';' || text[i] == '|') ? 1
                   : text.substr(i).starts_with("\xEF\xBC\x9B")          ? 3
                   : i == text.size()                                    ? 1
                                                                         : 0;
    if (width == 0) continue;
    std::string_view piece = text.substr(start, i - start);
    while (!piece.empty() && piece.front() == ' ') piece.remove_prefix(1);
    while (!piece.empty() && piece.back() == ' ') piece.remove_suffix(1);
    if (!piece.empty()) items.emplace_back(piece);
    i += width - 1;
    start = i + 1;
  }
  return items;
}

Status ReadField(const FieldSpec& spec, InputValue& value, bool from_text, Record* record) {
  const std::string name = spec.json_name;
  switch (spec.kind) {
    case FieldKind::kDate: {
      if (value.kind != Kind::kString) return FieldError(name, "expected a date string");
      auto date = Date::Parse(value.text);
      if (!date) return FieldError(name, "not a date: " + value.text);
      record->date = *date;
      return Status::Ok();
    }
    case FieldKind::kQty: {
      // The exact decimal as written ("2.5", "0.75"), never through a double.
      bool number = from_text || value.kind == Kind::kInteger || value.kind == Kind::kNumber;
      auto qty = number ? Quantity::Parse(value.text) : std::nullopt;
      if (!qty || qty->hundredths() < 1 || *qty > Quantity::FromWhole(kQtyMax)) {
        std::string why = "not a positive decimal up to " + std::to_string(kQtyMax) +
                          " with at most 2 fractional digits";
        return FieldError(name,
                          why + (number || value.kind == Kind::kString ? ": " + value.text : ""));
      }
      record->qty = *qty;
      return Status::Ok();
    }
    case FieldKind::kWholeQty: {
      int64_t whole = 0;
      if (Status s = ReadInteger(name, value, from_text, 1, kQtyMax, &whole); !s.ok()) return s;
      record->qty = Quantity::FromWhole(whole);
      return Status::Ok();
    }
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
      record->evidence = std::move(value.items);
      return Status::Ok();
    default:
      if (value.kind != Kind::kString) return FieldError(name, "expected a string");
      if (value.text.empty() && spec.required) return FieldError(name, "empty");
      record->*spec.member = std::move(value.text);
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

Result<Record> RecordFromFields(InputFields fields, bool from_text) {
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
  for (auto& [name, value] : fields) {
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
      return Status::InvalidInput("unknown field \"" + name + "\" for a " +
                                  RecordTypeName(record.type) + " record");
    }
    present[static_cast<size_t>(spec - specs.data())] = true;
    if (Status s = ReadField(*spec, value, from_text, &record); !s.ok()) return s;
  }
  for (size_t i = 0; i < specs.size(); ++i) {
    if (present[i]) continue;
    if (specs[i].required)
      return Status::InvalidInput(std::string("missing field \"") + specs[i].json_name + "\"");
    if (specs[i].member != nullptr) record.*specs[i].member = specs[i].default_value;
  }
  if (Status s = ValidateRecord(record); !s.ok()) return s;
  return record;
}

namespace {

// Every line the quick path does not take: explains what is wrong with it, if anything.
Result<Record> StrictRecordFromJson(std::string_view line) {
  if (line.size() > kLineBytesMax) {
    return Status::InvalidInput("line longer than " + std::to_string(kLineBytesMax) + " bytes");
  }
  try {
    InputFields fields;
    fields.reserve(16);
    std::string error;
    if (!ParseFlatJsonObject(line, &fields, &error)) return Status::InvalidInput(error);
    return RecordFromFields(std::move(fields), false);
  } catch (const std::exception& e) {  // allocation failure
    return Status::InvalidInput(std::string("line not read: ") + e.what());
  }
}

}  // namespace

Result<Record> RecordFromJson(std::string_view line) {
  Record record;
  if (line.size() <= kLineBytesMax && ParseRecordQuickly(line, &record)) return record;
  return StrictRecordFromJson(line);
}

Status RecordFromJson(std::string_view line, Record* record) {
  if (line.size() <= kLineBytesMax && ParseRecordQuickly(line, record)) return Status::Ok();
  auto parsed = StrictRecordFromJson(line);
  if (!parsed.ok()) return parsed.status();
  *record = std::move(parsed.value());
  return Status::Ok();
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
      case FieldKind::kWholeQty:
        name();
        out += record.qty.ToString();
        break;
      case FieldKind::kShares:
        name();
        out += std::to_string(record.shares);
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

}  // namespace jifen::formats
