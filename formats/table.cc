#include "formats/table.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "ledger/fields.h"

namespace jifen::formats {

using ledger::FieldKind;
using ledger::FieldSpec;
using ledger::FieldsOf;
using ledger::kQtyMax;
using ledger::kSharesMax;
using ledger::RecordTypeName;
namespace {

constexpr RecordType kKinds[] = {RecordType::kHousehold, RecordType::kPerson,  RecordType::kMove,
                                 RecordType::kScorer,    RecordType::kAward,   RecordType::kRevoke,
                                 RecordType::kRedeem,    RecordType::kApprove, RecordType::kPost,
                                 RecordType::kObjection, RecordType::kRuling};

const FieldSpec* SpecOf(RecordType type, std::string_view field) {
  for (const FieldSpec& spec : FieldsOf(type)) {
    if (field == spec.json_name) return &spec;
  }
  return nullptr;
}

bool IsFieldOf(RecordType type, std::string_view field) {
  return field == "recorded" || field == "type" || SpecOf(type, field) != nullptr;
}

InputValue Text(std::string text) {
  InputValue value;
  value.kind = InputValue::Kind::kString;
  value.text = std::move(text);
  return value;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string TrimSpaces(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  while (s.starts_with("\xE3\x80\x80")) s.remove_prefix(3);
  while (s.ends_with("\xE3\x80\x80")) s.remove_suffix(3);
  return std::string(s);
}

// The Chinese (or English) header a field shows for rows of `type` in a template.
std::string FieldHeader(RecordType type, std::string_view field, bool chinese) {
  for (const ColumnName& c : ColumnNames()) {
    if (field == c.field && (c.kinds & KindBit(type)) != 0)
      return chinese ? c.zh : (c.en ? c.en : c.field);
  }
  for (const ColumnName& c : ColumnNames()) {
    if (field == c.field) return chinese ? c.zh : c.field;
  }
  return std::string(field);
}

// A refusal of a header or a row in both languages; the header's language picks one.
struct Refusal {
  std::string zh, en;
};
using Refused = std::optional<Refusal>;

bool HasField(const std::vector<std::string>& fields, const char* field) {
  return std::find(fields.begin(), fields.end(), field) != fields.end();
}

// Without a type column: the one kind of row whose fields are `fields` (the columns') and whose
// required fields all have a column; or why there is none.
Refused KindOfColumns(const std::vector<std::string>& fields, RecordType* kind) {
  std::vector<RecordType> fitting, complete;
  for (RecordType k : kKinds) {
    bool fits = std::all_of(fields.begin(), fields.end(),
                            [&](const std::string& f) { return IsFieldOf(k, f); });
    if (!fits) continue;
    fitting.push_back(k);
    bool all = true;
    for (const FieldSpec& spec : FieldsOf(k)) {
      if (spec.required) all = all && HasField(fields, spec.json_name);
    }
    if (all) complete.push_back(k);
  }
  if (complete.size() == 1) {
    *kind = complete[0];
    return std::nullopt;
  }
  if (complete.empty() && fitting.size() == 1) {
    std::string zh, en;
    for (const FieldSpec& spec : FieldsOf(fitting[0])) {
      if (!spec.required || HasField(fields, spec.json_name)) continue;
      zh += (zh.empty() ? "「" : "、「") + FieldHeader(fitting[0], spec.json_name, true) + "」";
      en += (en.empty() ? "\"" : ", \"") + FieldHeader(fitting[0], spec.json_name, false) + "\"";
    }
    return Refusal{std::string("缺少") + KindWord(fitting[0], true) + "记录必填的列：" + zh,
                   std::string("missing the columns that ") + KindWord(fitting[0], false) +
                       " rows require: " + en};
  }
  return Refusal{"从列名看不出这些行是什么记录；请加一列「类型」（" + KindWords(true) + "）",
                 "the header does not tell what the rows record; add a \"type\" column (" +
                     KindWords(false) + ")"};
}

// A first cell that says the row is the template's example.
bool IsExampleRow(const RawRow& raw) {
  if (raw.cells.empty() || raw.cells[0].column != 0) return false;
  std::string first = TrimSpaces(raw.cells[0].text);
  return first == "示例" || first == "example" || first == "Example" || first == "EXAMPLE";
}

// The kind a row's type column names.
Refused KindOfRow(const TableHeader& header, const RawRow& raw, int type_column,
                  std::optional<RecordType>* type) {
  std::string word;
  for (const Cell& cell : raw.cells) {
    if (cell.column == type_column) word = TrimSpaces(cell.text);
  }
  const std::string label = header.ColumnLabel(type_column);
  if (word.empty())
    return Refusal{label + "：空白（必填：" + KindWords(true) + "）",
                   label + ": empty (write one of " + KindWords(false) + ")"};
  *type = KindFromWord(word);
  if (!*type || **type == RecordType::kRules) {
    return Refusal{
        label + "：不认识的类型「" + word + "」（可写 " + KindWords(true) + "）",
        label + ": unknown kind \"" + word + "\" (write one of " + KindWords(false) + ")"};
  }
  return std::nullopt;
}

// A date, a quantity, a whole quantity or shares checked and, for a date, written as the ledger
// writes one.
Refused CheckedValue(FieldKind kind, const Cell& cell, bool date1904, const std::string& label,
                     std::string* text) {
  switch (kind) {
    case FieldKind::kDate: {
      std::optional<Date> date = cell.kind == Cell::Kind::kNumber ? DateFromSerial(*text, date1904)
                                                                  : ParseSpreadsheetDate(*text);
      if (!date) {
        return Refusal{
            label + "：不是日期：" + *text + "（可写 2022-03-05、2022/3/5 或 2022年3月5日）",
            label + ": not a date: " + *text + " (write 2022-03-05, 2022/3/5 or 2022年3月5日)"};
      }
      *text = date->ToString();
      return std::nullopt;
    }
    case FieldKind::kQty: {
      auto qty = Quantity::Parse(*text);
      if (!qty || qty->hundredths() < 1 || *qty > Quantity::FromWhole(kQtyMax)) {
        return Refusal{label + "：应为大于 0、最多两位小数、不超过 " + std::to_string(kQtyMax) +
                           " 的数：" + *text,
                       label + ": not a positive decimal up to " + std::to_string(kQtyMax) +
                           " with at most 2 fractional digits: " + *text};
      }
      return std::nullopt;
    }
    case FieldKind::kWholeQty:
    case FieldKind::kShares: {
      bool whole = kind == FieldKind::kWholeQty;
      int64_t max = whole ? kQtyMax : kSharesMax;
      bool ok = AllDigits(*text) && text->size() <= 7 && std::stoll(*text) <= max &&
                (!whole || std::stoll(*text) >= 1);
      if (ok) return std::nullopt;
      std::string range = whole ? "1 到 " + std::to_string(max) : "0 到 " + std::to_string(max);
      return Refusal{
          label + "：应为 " + range + " 的整数：" + *text,
          label + (whole ? ": not a positive integer up to " : ": not an integer from 0 to ") +
              std::to_string(max) + ": " + *text};
    }
    default:
      return std::nullopt;
  }
}

// A spreadsheet's date and time ("2022/3/6 10:00", or a serial number) as RFC 3339 at +08:00, the
// offset of every township using jifen (as --as-of reads a date); other text as it is.
void RecordedAtEight(const Cell& cell, bool date1904, std::string* text) {
  std::optional<Date> day;
  int seconds = 0;
  if (cell.kind == Cell::Kind::kNumber) {
    day = DateFromSerial(*text, date1904);
    size_t dot = text->find('.');
    if (day && dot != std::string::npos)
      seconds = static_cast<int>(std::stod("0" + text->substr(dot)) * 86400 + 0.5);
  } else {
    size_t space = text->find(' ');
    day = space == std::string::npos ? std::nullopt : ParseSpreadsheetDate(*text);
    if (day) {
      int h = 0, m = 0, sec = 0;
      if (std::sscanf(text->c_str() + space + 1, "%d:%d:%d", &h, &m, &sec) >= 2)
        seconds = h * 3600 + m * 60 + sec;
    }
  }
  if (day && seconds < 86400) {
    char iso[40];
    std::snprintf(iso, sizeof iso, "%sT%02d:%02d:%02d+08:00", day->ToString().c_str(),
                  seconds / 3600, seconds / 60 % 60, seconds % 60);
    *text = iso;
  }
}

// The ledger's word for a Chinese one of residency or a ruling's outcome.
void LedgerWord(const std::string& field, std::string* text) {
  if (field == "resident") {
    if (*text == "村民") *text = "villager";
    if (*text == "非村民") *text = "non-villager";
  }
  if (field == "outcome") {
    if (*text == "成立") *text = "upheld";
    if (*text == "不成立" || *text == "驳回") *text = "dismissed";
  }
}

// Adds a cell's field to `row` (`field`: its column's, nullptr for a column without a name).
Refused ReadCell(const TableHeader& header, const Cell& cell, const char* field_name, bool date1904,
                 TableRow* row) {
  std::string text = cell.kind == Cell::Kind::kText ? cell.text : TrimSpaces(cell.text);
  bool blank = TrimSpaces(text).empty();
  if (field_name == nullptr) {
    if (blank) return std::nullopt;
    const std::string label = header.ColumnLabel(cell.column);
    return Refusal{label + "：有内容「" + text + "」，但这一列没有列名",
                   label + ": holds \"" + text + "\" but the column has no header"};
  }
  if (blank) return std::nullopt;  // an empty cell is an absent field
  const std::string label = header.ColumnLabel(cell.column);
  if (cell.kind == Cell::Kind::kError)
    return Refusal{label + "：公式出错（" + text + "）",
                   label + ": a formula error (" + text + ")"};
  std::string field = field_name;
  const FieldSpec* spec = SpecOf(row->type, field);
  if (spec == nullptr && field != "recorded") {
    return Refusal{label + "：「" + KindWord(row->type, true) + "」行不填这一列",
                   label + ": not a field of " + KindWord(row->type, false) + " rows"};
  }
  FieldKind kind = spec ? spec->kind : FieldKind::kName;
  if (spec != nullptr && spec->kind != FieldKind::kName && spec->kind != FieldKind::kText)
    text = TrimSpaces(text);
  if (Refused bad = CheckedValue(kind, cell, date1904, label, &text)) return bad;
  if (field == "recorded" && !Timestamp::Parse(text)) RecordedAtEight(cell, date1904, &text);
  LedgerWord(field, &text);
  // Several columns may fill one field (户号, 所在户): at most one of them a row.
  if (std::string* earlier = row->Find(field)) {
    if (*earlier == text) return std::nullopt;
    const std::string other = header.ColumnLabel(row->ColumnOf(field));
    return Refusal{other + "与" + label + "填的是同一项，只能填一个",
                   other + " and " + label + " fill the same field: fill one of them"};
  }
  row->fields.emplace_back(field, Text(std::move(text)));
  row->columns.push_back(cell.column);
  return std::nullopt;
}

}  // namespace

std::string* TableRow::Find(std::string_view field) {
  for (auto& [name, value] : fields) {
    if (name == field) return &value.text;
  }
  return nullptr;
}

int TableRow::ColumnOf(std::string_view field) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].first == field) return columns[i];
  }
  return -1;
}

Result<TableHeader> TableHeader::Read(const RawRow& row) {
  TableHeader header;
  int chinese = 0, english = 0;
  for (const Cell& cell : row.cells) {
    std::string text = TrimSpaces(cell.text);
    if (text.empty()) continue;
    bool zh = false;
    const ColumnName* name = FindColumn(text, &zh);
    (zh ? chinese : english) += name != nullptr;
    header.columns_.push_back(Column{cell.column, text, name});
  }
  header.chinese_ = chinese > 0 && chinese >= english;
  if (!row.error.empty()) return Status::InvalidInput(row.error);
  if (header.columns_.empty())
    return Status::InvalidInput(header.Message("the header row is empty", "标题行是空的"));
  header.width_ = header.columns_.back().index + 1;
  // A column without a name between named ones (CSV: "item,,date").
  for (int i = 0, c = 0; i < header.width_; ++i) {
    if (c < static_cast<int>(header.columns_.size()) && header.columns_[c].index == i) {
      ++c;
      continue;
    }
    return Status::InvalidInput(header.Message("column " + std::to_string(i + 1) + " has no name",
                                               ColumnLetters(i) + " 列没有列名"));
  }
  for (size_t i = 0; i < header.columns_.size(); ++i) {
    const Column& c = header.columns_[i];
    if (c.name == nullptr) {
      return Status::InvalidInput(
          header.Message("unknown column \"" + c.header + "\" (docs/IMPORT.md lists the columns)",
                         ColumnLetters(c.index) + " 列「" + c.header +
                             "」：不认识的列名（可用的列名见 docs/IMPORT.md）"));
    }
    for (size_t j = 0; j < i; ++j) {
      if (header.columns_[j].name == c.name || header.columns_[j].header == c.header) {
        return Status::InvalidInput(header.Message("column \"" + c.header + "\" appears twice",
                                                   "列「" + c.header + "」出现了两次"));
      }
    }
    if (std::strcmp(c.name->field, "type") == 0) header.type_column_ = true;
  }
  if (header.type_column_) return header;
  // No type column: the one kind of row whose fields are the columns and whose required fields
  // all have one.
  std::vector<std::string> fields;
  for (const Column& c : header.columns_) fields.emplace_back(c.name->field);
  RecordType kind{};
  if (Refused bad = KindOfColumns(fields, &kind))
    return Status::InvalidInput(header.Message(bad->en, bad->zh));
  header.kind_ = kind;
  return header;
}

const TableHeader::Column* TableHeader::ColumnAt(int index) const {
  for (const Column& c : columns_) {
    if (c.index == index) return &c;
  }
  return nullptr;
}

std::string TableHeader::HeaderOf(int column) const {
  const Column* c = ColumnAt(column);
  return c ? c->header : std::string();
}

std::string TableHeader::ColumnLabel(int column) const {
  std::string letters = ColumnLetters(column);
  const Column* c = ColumnAt(column);
  if (c == nullptr) return Message("column " + letters, letters + " 列");
  return Message("column " + letters + " \"" + c->header + "\"",
                 letters + " 列「" + c->header + "」");
}

TableRow TableHeader::ReadRow(const RawRow& raw, bool date1904) const {
  TableRow row;
  row.line = raw.line;
  auto refuse = [&](const Refusal& why) {
    if (row.error.ok()) row.error = Status::InvalidInput(Message(why.en, why.zh));
    return row;
  };
  if (!raw.error.empty()) return refuse({"不是合规的 CSV：" + raw.error, raw.error});
  if (IsExampleRow(raw)) {
    row.example = true;
    return row;
  }
  // The kind of the row.
  std::optional<RecordType> type = kind_;
  int type_column = -1;
  if (type_column_) {
    for (const Column& c : columns_) {
      if (std::strcmp(c.name->field, "type") == 0) type_column = c.index;
    }
    if (Refused bad = KindOfRow(*this, raw, type_column, &type)) return refuse(*bad);
  }
  row.type = *type;
  row.fields.emplace_back("type", Text(RecordTypeName(row.type)));
  row.columns.push_back(type_column);
  for (const Cell& cell : raw.cells) {
    if (cell.column == type_column) continue;
    const Column* column = ColumnAt(cell.column);
    const char* field = column == nullptr ? nullptr : column->name->field;
    if (Refused bad = ReadCell(*this, cell, field, date1904, &row)) return refuse(*bad);
  }
  return row;
}

std::string TableHeader::MapError(const TableRow& row, const std::string& message) const {
  auto quoted = [&](std::string_view prefix, std::string* field) {
    if (!message.starts_with(prefix)) return false;
    size_t end = message.find('"', prefix.size());
    if (end == std::string::npos) return false;
    *field = message.substr(prefix.size(), end - prefix.size());
    return true;
  };
  std::string field;
  if (quoted("field \"", &field)) {
    int column = row.ColumnOf(field);
    std::string reason = message.substr(message.find("\": ") + 3);
    if (column >= 0) return ColumnLabel(column) + Message(": ", "：") + reason;
    return message;
  }
  if (quoted("missing field \"", &field)) {
    std::string zh = FieldHeader(row.type, field, true), en = FieldHeader(row.type, field, false);
    for (const Column& c : columns_) {
      if (field == c.name->field) {
        return Message(
            ColumnLabel(c.index) + ": empty (" + KindWord(row.type, false) + " rows require it)",
            ColumnLabel(c.index) + "：空白（「" + KindWord(row.type, true) + "」行必填）");
      }
    }
    return Message(
        "no \"" + en + "\" column (" + KindWord(row.type, false) + " rows require it)",
        std::string("缺少「") + zh + "」列（「" + KindWord(row.type, true) + "」行必填）");
  }
  return message;
}

Result<Record> TableHeader::Build(TableRow row) const {
  if (!row.error.ok()) return row.error;
  TableRow copy_for_errors;
  copy_for_errors.type = row.type;
  copy_for_errors.columns = row.columns;
  for (const auto& [name, value] : row.fields)
    copy_for_errors.fields.emplace_back(name, InputValue{});
  auto record = RecordFromFields(std::move(row.fields), true);
  if (record.ok()) return record;
  return Status::InvalidInput(MapError(copy_for_errors, record.status().message()));
}

}  // namespace jifen::formats
