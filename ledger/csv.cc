#include "ledger/csv.h"

#include <errno.h>
#include <iconv.h>

#include <algorithm>
#include <optional>

#include "ledger/fields.h"
#include "ledger/record_json.h"
#include "util/text.h"

namespace jifen::ledger {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

struct RawRow {
  int line = 0;
  std::vector<std::string> cells;
  std::string error;  // set for a row that is malformed as CSV
};

// Splits RFC 4180 text into rows. Quoted cells keep everything between the quotes ("" is one
// quote, line breaks included); unquoted cells are trimmed of spaces and tabs.
class CsvSplitter {
 public:
  CsvSplitter(std::string_view text, size_t pos, int line) : text_(text), pos_(pos), line_(line) {}
  size_t pos() const { return pos_; }
  int line() const { return line_; }

  // False at the end of the text; Status set when a quote is never closed.
  bool Next(RawRow* row, Status* status) {
    if (pos_ >= text_.size()) return false;
    *row = RawRow{};
    row->line = line_;
    for (;;) {
      std::string cell;
      if (!Cell(&cell, row, status)) return false;
      row->cells.push_back(std::move(cell));
      if (pos_ >= text_.size()) return true;
      char c = text_[pos_++];
      if (c == ',') continue;
      EndOfLine(c);
      return true;
    }
  }

 private:
  bool Cell(std::string* cell, RawRow* row, Status* status) {
    size_t start = pos_;
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '"') return Quoted(cell, row, status);
    pos_ = start;
    while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' &&
           text_[pos_] != '\r') {
      cell->push_back(text_[pos_++]);
    }
    auto space = [](char c) { return c == ' ' || c == '\t'; };
    while (!cell->empty() && space(cell->back())) cell->pop_back();
    cell->erase(cell->begin(), std::find_if_not(cell->begin(), cell->end(), space));
    return true;
  }

  bool Quoted(std::string* cell, RawRow* row, Status* status) {
    int open_line = line_;
    ++pos_;
    for (;;) {
      if (pos_ >= text_.size()) {
        *status = Status::InvalidInput(std::to_string(open_line) + ": quoted field never closed");
        return false;
      }
      char c = text_[pos_++];
      if (c == '"') {
        if (pos_ < text_.size() && text_[pos_] == '"') {
          cell->push_back('"');
          ++pos_;
          continue;
        }
        break;
      }
      if (c == '\n' || (c == '\r' && (pos_ >= text_.size() || text_[pos_] != '\n'))) ++line_;
      cell->push_back(c);
    }
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
    if (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' && text_[pos_] != '\r') {
      if (row->error.empty()) row->error = "text after a closing quote";
      while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' &&
             text_[pos_] != '\r')
        ++pos_;
    }
    return true;
  }

  void EndOfLine(char c) {
    if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
    ++line_;
  }

  std::string_view text_;
  size_t pos_;
  int line_;
};

InputValue Text(const std::string& text) {
  InputValue value;
  value.kind = InputValue::Kind::kString;
  value.text = text;
  return value;
}

bool IsBlank(const RawRow& row) {
  return std::all_of(row.cells.begin(), row.cells.end(),
                     [](const std::string& c) { return c.empty(); });
}

bool InSpecs(RecordType type, std::string_view name) {
  for (const auto& spec : FieldsOf(type)) {
    if (name == spec.json_name) return true;
  }
  return false;
}

struct Header {
  std::vector<std::string> names;
  std::string inferred_type;  // empty when there is a type column
};

Result<Header> ReadHeader(const RawRow& row, const std::string& file_name) {
  auto fail = [&](const std::string& why) {
    return Status::InvalidInput(file_name + ":" + std::to_string(row.line) + ": " + why);
  };
  if (!row.error.empty()) return fail(row.error);
  Header header{row.cells, ""};
  auto has = [&](std::string_view name) {
    return std::find(header.names.begin(), header.names.end(), name) != header.names.end();
  };
  if (!has("type")) {
    if (has("item") == has("reward")) {
      return fail(
          "header names neither \"item\" (award rows) nor \"reward\" (redeem rows), or both");
    }
    header.inferred_type = has("item") ? "award" : "redeem";
  }
  for (size_t i = 0; i < header.names.size(); ++i) {
    const std::string& name = header.names[i];
    if (name.empty()) return fail("column " + std::to_string(i + 1) + " has no name");
    if (std::find(header.names.begin(), header.names.begin() + i, name) !=
        header.names.begin() + i) {
      return fail("column \"" + name + "\" appears twice");
    }
    if (name == "type" || name == "recorded") continue;
    bool award = InSpecs(RecordType::kAward, name), redeem = InSpecs(RecordType::kRedeem, name);
    if (!award && !redeem) return fail("unknown column \"" + name + "\"");
    if (header.inferred_type == "award" && !award)
      return fail("column \"" + name + "\" is not a field of award rows");
    if (header.inferred_type == "redeem" && !redeem)
      return fail("column \"" + name + "\" is not a field of redeem rows");
  }
  return header;
}

Result<Record> ReadRow(const std::vector<std::string>& names, const std::string& inferred_type,
                       const RawRow& row) {
  if (!row.error.empty()) return Status::InvalidInput(row.error);
  if (row.cells.size() != names.size()) {
    return Status::InvalidInput("row has " + std::to_string(row.cells.size()) +
                                " fields, the header " + std::to_string(names.size()));
  }
  InputFields fields;
  if (!inferred_type.empty()) {
    fields.emplace_back("type", Text(inferred_type));
  }
  for (size_t i = 0; i < row.cells.size(); ++i) {
    if (row.cells[i].empty()) continue;  // an empty cell is an absent field
    fields.emplace_back(names[i], Text(row.cells[i]));
  }
  for (const auto& [name, value] : fields) {
    if (name == "type" && value.text != "award" && value.text != "redeem") {
      return Status::InvalidInput("field \"type\": CSV rows are award or redeem records, not " +
                                  (value.text.empty() ? std::string("empty") : value.text));
    }
  }
  return RecordFromFields(std::move(fields), true);
}

}  // namespace

Result<std::string> CsvTextAsUtf8(std::string_view bytes, const std::string& file_name) {
  if (bytes.starts_with(kUtf8Bom)) bytes.remove_prefix(kUtf8Bom.size());
  if (IsValidUtf8(bytes)) return std::string(bytes);
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return Status::IOError(file_name + ": GB18030 conversion unavailable");
  }
  std::string out(bytes.size() * 2 + 16, '\0');
  char* in = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  char* to = out.data();
  size_t to_left = out.size();
  Status status;
  while (in_left > 0) {
    if (iconv(cd, &in, &in_left, &to, &to_left) != static_cast<size_t>(-1)) continue;
    if (errno == E2BIG) {
      size_t used = static_cast<size_t>(to - out.data());
      out.resize(out.size() * 2);
      to = out.data() + used;
      to_left = out.size() - used;
      continue;
    }
    size_t offset = bytes.size() - in_left;
    status = Status::InvalidInput(file_name + ": neither UTF-8 nor GB18030 (byte " +
                                  std::to_string(offset) + ")");
    break;
  }
  iconv_close(cd);
  if (!status.ok()) return status;
  out.resize(static_cast<size_t>(to - out.data()));
  if (std::string_view(out).starts_with(kUtf8Bom)) out.erase(0, kUtf8Bom.size());
  if (!IsValidUtf8(out)) return Status::InvalidInput(file_name + ": neither UTF-8 nor GB18030");
  return out;
}

Result<CsvRecordReader> CsvRecordReader::Open(std::string_view bytes, const std::string& file_name) {
  auto text = CsvTextAsUtf8(bytes, file_name);
  if (!text.ok()) return text.status();
  CsvRecordReader reader;
  reader.file_name_ = file_name;
  reader.text_ = std::move(text.value());
  CsvSplitter splitter(reader.text_, 0, 1);
  RawRow raw;
  Status status;
  while (splitter.Next(&raw, &status)) {
    if (IsBlank(raw)) continue;
    auto header = ReadHeader(raw, file_name);
    if (!header.ok()) return header.status();
    reader.names_ = std::move(header->names);
    reader.inferred_type_ = std::move(header->inferred_type);
    reader.first_row_ = reader.pos_ = splitter.pos();
    reader.first_row_line_ = reader.line_ = splitter.line();
    return reader;
  }
  if (!status.ok()) return Status::InvalidInput(file_name + ":" + status.message());
  return Status::InvalidInput(file_name + ":1: no header row");
}

Result<std::optional<CsvRow>> CsvRecordReader::Next() {
  CsvSplitter splitter(text_, pos_, line_);
  RawRow raw;
  Status status;
  std::optional<CsvRow> row;
  while (splitter.Next(&raw, &status)) {
    if (IsBlank(raw)) continue;
    row.emplace(CsvRow{raw.line, ReadRow(names_, inferred_type_, raw)});
    break;
  }
  if (!status.ok()) return Status::InvalidInput(file_name_ + ":" + status.message());
  pos_ = splitter.pos();
  line_ = splitter.line();
  return row;
}

void CsvRecordReader::Rewind() {
  pos_ = first_row_;
  line_ = first_row_line_;
}

Result<std::vector<CsvRow>> ReadCsvRecords(std::string_view bytes, const std::string& file_name) {
  auto reader = CsvRecordReader::Open(bytes, file_name);
  if (!reader.ok()) return reader.status();
  std::vector<CsvRow> rows;
  for (;;) {
    auto row = reader->Next();
    if (!row.ok()) return row.status();
    if (!*row) return rows;
    rows.push_back(std::move(**row));
  }
}

}  // namespace jifen::ledger
