#include "formats/csv.h"

#include <errno.h>
#include <iconv.h>

#include <algorithm>
#include <optional>

#include "ledger/fields.h"
#include "formats/record_json.h"
#include "util/text.h"

namespace jifen::formats {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

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
      Cell cell;
      cell.column = static_cast<int>(row->cells.size());
      if (!ReadCell(&cell.text, row, status)) return false;
      row->cells.push_back(std::move(cell));
      if (pos_ >= text_.size()) return true;
      char c = text_[pos_++];
      if (c == ',') continue;
      EndOfLine(c);
      return true;
    }
  }

 private:
  bool ReadCell(std::string* cell, RawRow* row, Status* status) {
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

bool IsBlank(const RawRow& row) {
  return std::all_of(row.cells.begin(), row.cells.end(),
                     [](const Cell& c) { return c.text.empty(); });
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

Result<CsvRecordReader> CsvRecordReader::Open(std::string_view bytes,
                                              const std::string& file_name) {
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
    auto header = TableHeader::Read(raw);
    if (!header.ok()) {
      return Status::InvalidInput(file_name + ":" + std::to_string(raw.line) + ": " +
                                  header.status().message());
    }
    reader.header_ = std::move(header.value());
    reader.width_ = static_cast<int>(raw.cells.size());
    reader.first_row_ = reader.pos_ = splitter.pos();
    reader.first_row_line_ = reader.line_ = splitter.line();
    return reader;
  }
  if (!status.ok()) return Status::InvalidInput(file_name + ":" + status.message());
  return Status::InvalidInput(file_name + ":1: no header row");
}

Result<std::optional<CsvRow>> CsvRecordReader::Next() {
  auto row = NextRow();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<CsvRow>();
  int line = (*row)->line;
  return std::optional<CsvRow>(CsvRow{line, header_.Build(std::move(**row))});
}

Result<std::optional<TableRow>> CsvRecordReader::NextRow() {
  CsvSplitter splitter(text_, pos_, line_);
  RawRow raw;
  Status status;
  std::optional<TableRow> row;
  while (splitter.Next(&raw, &status)) {
    if (IsBlank(raw)) continue;
    if (raw.error.empty() && static_cast<int>(raw.cells.size()) != width_) {
      // Excel and WPS write every row as wide as the header.
      raw.error = "row has " + std::to_string(raw.cells.size()) + " fields, the header " +
                  std::to_string(width_);
      row.emplace();
      row->line = raw.line;
      row->error = Status::InvalidInput(
          header_.chinese() ? "这一行有 " + std::to_string(raw.cells.size()) +
                                  " 个单元格，标题行有 " + std::to_string(width_) + " 个"
                            : raw.error);
      break;
    }
    TableRow read = header_.ReadRow(raw);
    if (read.example) continue;
    row.emplace(std::move(read));
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

}  // namespace jifen::formats
