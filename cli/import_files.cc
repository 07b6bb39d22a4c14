#include "cli/import_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "cli/words.h"
#include "ledger/ledger.h"
#include "formats/record_json.h"
#include "formats/xlsx_reader.h"

namespace jifen::cli {
namespace {

constexpr size_t kReadBytes = size_t{1} << 20;
// A line up to the limit plus a '\r' is read whole; anything longer is too long once the '\r'
// (if any) is dropped.
constexpr size_t kLineRawBytesMax = formats::kLineBytesMax + 1;

bool EndsWithCaseless(const std::string& file, std::string_view ext) {
  if (file.size() < ext.size()) return false;
  for (size_t i = 0; i < ext.size(); ++i) {
    char c = file[file.size() - ext.size() + i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != ext[i]) return false;
  }
  return true;
}
bool IsCsv(const std::string& file) { return EndsWithCaseless(file, ".csv"); }
bool IsXlsx(const std::string& file) { return EndsWithCaseless(file, ".xlsx"); }
bool IsTable(const std::string& file) { return IsCsv(file) || IsXlsx(file); }

Result<std::string> ReadWhole(const std::string& file) {
  std::string bytes;
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::InvalidInput(file + ": cannot read");
  char chunk[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      if (n < 0) return Status::InvalidInput(file + ": cannot read");
      return bytes;
    }
    bytes.append(chunk, static_cast<size_t>(n));
  }
}

using engine::NameKind;
using ledger::RecordType;

// Which fields of a row of `type` may hold a name, and of what (the record-type table's).
std::vector<std::pair<const char*, NameKind>> NameFields(RecordType type) {
  std::vector<std::pair<const char*, NameKind>> out;
  for (const ledger::NamedField& f : ledger::RecordTypeInfo(type).name_fields) {
    if (f.field != nullptr) out.push_back({f.field, f.names});
  }
  return out;
}

// What a kind of name names, in English and Chinese.
std::pair<const char*, const char*> What(NameKind kind) {
  switch (kind) {
    case NameKind::kItem:
      return {"item (in the rules in force on the date)", "项目（在该日期生效的细则中）"};
    case NameKind::kReward:
      return {"reward (in the rules in force on the date)", "奖品（在该日期生效的细则中）"};
    case NameKind::kHousehold:
      return {"household", "户"};
    case NameKind::kPerson:
      return {"person", "人员"};
    case NameKind::kScorer:
      return {"scorer", "采集人"};
    case NameKind::kSubject:
      return {"household or person", "户或人员"};
    case NameKind::kVillage:
      return {"village", "村"};
  }
  return {"", ""};
}

std::string Candidates(const std::vector<engine::NameCandidate>& candidates, bool zh) {
  Words w{zh};
  std::string out;
  for (const auto& c : candidates) {
    if (!out.empty()) out += w(", ", "、");
    out += c.code + " " + c.name;
    if (!c.detail.empty()) out += zh ? "（" + c.detail + "）" : " (" + c.detail + ")";
  }
  return out;
}

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

Status CannotRead(const std::string& file) { return Status::InvalidInput(file + ": cannot read"); }

}  // namespace

Status LineReader::Open(const std::string& file) {
  Close();
  file_ = file;
  fd_ = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) return CannotRead(file);
  ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
  buffer_.resize(kLineRawBytesMax + kReadBytes);
  begin_ = end_ = 0;
  eof_ = false;
  consumed_ = 0;
  return Status::Ok();
}

void LineReader::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Status LineReader::Fill() {
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  while (end_ < buffer_.size()) {
    ssize_t n = ::read(fd_, buffer_.data() + end_, std::min(kReadBytes, buffer_.size() - end_));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::IOError(file_ + ": " + std::strerror(errno));
    if (n == 0) eof_ = true;
    end_ += static_cast<size_t>(n);
    break;
  }
  return Status::Ok();
}

Result<bool> LineReader::Next(std::string_view* line, bool* too_long, bool* blank) {
  *too_long = false;
  size_t scanned = begin_;
  for (;;) {
    const char* start = buffer_.data() + scanned;
    const void* newline = std::memchr(start, '\n', end_ - scanned);
    if (newline != nullptr) {
      size_t at = static_cast<size_t>(static_cast<const char*>(newline) - buffer_.data());
      *line = std::string_view(buffer_.data() + begin_, at - begin_);
      consumed_ += at + 1 - begin_;
      begin_ = at + 1;
      return true;
    }
    scanned = end_;
    if (end_ - begin_ > kLineRawBytesMax) {
      *too_long = true;
      *line = {};
      return SkipLongLine(blank);
    }
    if (eof_) {
      if (begin_ == end_) return false;
      *line = std::string_view(buffer_.data() + begin_, end_ - begin_);
      consumed_ += end_ - begin_;
      begin_ = end_;
      return true;
    }
    size_t offset = scanned - begin_;
    if (Status s = Fill(); !s.ok()) return s;
    scanned = begin_ + offset;
  }
}

// Reads past the rest of a line over the limit, noting whether it held only spaces and tabs (and
// maybe a '\r' at its end).
Result<bool> LineReader::SkipLongLine(bool* blank) {
  *blank = true;
  bool carriage_return = false;  // the last byte seen was a '\r'
  for (;;) {
    for (size_t i = begin_; i < end_; ++i) {
      char c = buffer_[i];
      if (c == '\n') {
        consumed_ += i + 1 - begin_;
        begin_ = i + 1;
        return true;
      }
      if (!*blank) {
        const void* newline = std::memchr(buffer_.data() + i, '\n', end_ - i);
        if (newline == nullptr) break;
        i = static_cast<size_t>(static_cast<const char*>(newline) - buffer_.data()) - 1;
        continue;
      }
      if (carriage_return || (c != ' ' && c != '\t' && c != '\r')) *blank = false;
      carriage_return = c == '\r';
    }
    consumed_ += end_ - begin_;
    begin_ = end_;
    if (eof_) return true;
    if (Status s = Fill(); !s.ok()) return s;
  }
}

Result<std::unique_ptr<FileSource>> FileSource::Open(const std::vector<std::string>& files) {
  return Open(files, ImportFileOptions{});
}

Result<std::unique_ptr<FileSource>> FileSource::Open(const std::vector<std::string>& files,
                                                     const ImportFileOptions& options) {
  std::unique_ptr<FileSource> source(new FileSource(files));
  source->options_ = options;
  for (const std::string& file : files) {
    struct stat st;
    int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    bool ok = fd >= 0 && ::fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode);
    if (fd >= 0) ::close(fd);
    if (!ok) return CannotRead(file);
    source->sizes_.push_back(static_cast<uint64_t>(st.st_size));
    source->size_ += static_cast<uint64_t>(st.st_size);
  }
  if (std::any_of(files.begin(), files.end(), IsTable)) {
    source->tables_only_ = std::all_of(files.begin(), files.end(), IsTable);
    if (Status s = source->LoadNames(); !s.ok()) return s;
  }
  return source;
}

Result<std::unique_ptr<formats::TableReader>> FileSource::OpenTable(const std::string& file) const {
  auto bytes = ReadWhole(file);
  if (!bytes.ok()) return bytes.status();
  if (IsXlsx(file)) {
    auto reader = formats::XlsxRecordReader::Open(*bytes, file, options_.sheet);
    if (!reader.ok()) return reader.status();
    return std::unique_ptr<formats::TableReader>(std::move(reader.value()));
  }
  // A CSV file is decoded whole (UTF-8 or GB18030 is known only at its end), then read by rows.
  auto reader = formats::CsvRecordReader::Open(*bytes, file);
  if (!reader.ok()) return reader.status();
  return std::unique_ptr<formats::TableReader>(
      new formats::CsvRecordReader(std::move(reader.value())));
}

// Reads the tables once for the villages they name and the households, persons and scorers they
// register, then the ledger's names of those villages. A table that cannot be read is left for
// the import itself to refuse.
Status FileSource::LoadNames() {
  names_.emplace();
  std::vector<std::string> villages;
  std::vector<formats::TableRow> registrations;
  for (const std::string& file : files_) {
    if (!IsTable(file)) continue;
    auto table = OpenTable(file);
    if (!table.ok()) continue;
    for (;;) {
      auto row = (*table)->NextRow();
      if (!row.ok() || !*row) break;
      if (!(*row)->error.ok()) continue;
      if (std::string* village = (*row)->Find("village")) {
        if (std::find(villages.begin(), villages.end(), *village) == villages.end())
          villages.push_back(*village);
      }
      RecordType t = (*row)->type;
      if (t == RecordType::kHousehold || t == RecordType::kPerson || t == RecordType::kScorer) {
        registrations.push_back(std::move(**row));
      }
    }
  }
  if (villages.empty()) return Status::Ok();
  if (::access((options_.ledger_dir + "/data.mdb").c_str(), F_OK) == 0) {
    auto ledger = ledger::Ledger::Open(options_.ledger_dir, false);
    if (ledger.ok()) {
      auto reader = (*ledger)->Snapshot();
      if (!reader.ok()) return reader.status();
      if (Status s = names_->Load(**reader, villages); !s.ok()) return s;
    }
  }
  // Households first, so that persons may name theirs.
  std::stable_sort(
      registrations.begin(), registrations.end(),
      [](const formats::TableRow& a, const formats::TableRow& b) { return a.type < b.type; });
  for (formats::TableRow& row : registrations) {
    std::string* village = row.Find("village");
    const char* code_field = row.type == RecordType::kHousehold ? "household"
                             : row.type == RecordType::kPerson  ? "person"
                                                                : "scorer";
    std::string* code = row.Find(code_field);
    std::string* name = row.Find("name");
    if (village == nullptr || code == nullptr) continue;
    auto v = names_->Resolve("", NameKind::kVillage, *village);
    if (v.code.empty()) continue;
    std::string household;
    if (row.type == RecordType::kPerson) {
      if (std::string* h = row.Find("household"))
        household = names_->Resolve(v.code, NameKind::kHousehold, *h).code;
    }
    names_->AddRegistration(row.type, v.code, *code, name ? *name : std::string(), household);
  }
  return Status::Ok();
}

void FileSource::ResolveNames(formats::TableRow* row) const {
  if (!names_ || !row->error.ok()) return;
  const formats::TableHeader& header = table_->header();
  bool zh = header.chinese();
  auto refuse = [&](const char* field, const std::string& value, const engine::NameLookup& lookup) {
    std::string label = header.ColumnLabel(row->ColumnOf(field));
    row->error = Status::InvalidInput(zh ? label + "：「" + value + "」不止一个：" +
                                               Candidates(lookup.candidates, true) + "；请改填编号"
                                         : label + ": \"" + value + "\" names more than one: " +
                                               Candidates(lookup.candidates, false) +
                                               "; write the code instead");
  };
  std::string* village = row->Find("village");
  if (village == nullptr) return;
  auto v = names_->Resolve("", NameKind::kVillage, *village);
  if (v.code.empty()) return refuse("village", *village, v);
  *village = v.code;
  std::optional<Date> date;
  if (std::string* d = row->Find("date")) date = Date::Parse(*d);
  for (auto [field, kind] : NameFields(row->type)) {
    std::string* value = row->Find(field);
    if (value == nullptr) continue;
    std::string* item = row->Find("item");
    auto lookup = names_->Resolve(v.code, kind, *value, date,
                                  item ? std::string_view(*item) : std::string_view());
    if (lookup.code.empty()) return refuse(field, *value, lookup);
    // Neither a code nor a name the village has: said here, with the column, when no JSON Lines
    // file of the import could register it (admission would refuse it without naming a column).
    if (lookup.unknown && tables_only_ && names_->InLedger(v.code)) {
      std::string label = header.ColumnLabel(row->ColumnOf(field));
      auto [en_what, zh_what] = What(kind);
      row->error = Status::InvalidInput(zh ? label + "：" + v.code + " 没有编号或名称为「" +
                                                 *value + "」的" + zh_what
                                           : label + ": " + v.code + " has no " + en_what +
                                                 " with the code or name \"" + *value + "\"");
      return;
    }
    *value = lookup.code;
  }
}

Status FileSource::Rewind() {
  done_ = 0;
  return OpenFile(0);
}

Status FileSource::OpenFile(size_t index) {
  lines_.Close();
  table_.reset();
  line_ = 0;
  index_ = index;
  if (index_ >= files_.size()) return Status::Ok();
  const std::string& file = files_[index_];
  if (!IsTable(file)) return lines_.Open(file);
  auto table = OpenTable(file);
  if (!table.ok()) return table.status();
  table_ = std::move(table.value());
  return Status::Ok();
}

Result<bool> FileSource::Next(engine::SourceLine* out) {
  while (index_ < files_.size()) {
    if (table_) {
      auto more = NextTableRow(out);
      if (!more.ok() || *more) return more;
    } else {
      std::string_view text;
      bool too_long = false, blank = false;
      auto more = lines_.Next(&text, &too_long, &blank);
      if (!more.ok()) return more.status();
      if (*more) {
        ++line_;
        if (too_long && blank) continue;
        if (!too_long && !text.empty() && text.back() == '\r') text.remove_suffix(1);
        if (!too_long && IsBlank(text)) continue;
        out->file = files_[index_];
        out->line = line_;
        out->parsed = too_long
                          ? Status::InvalidInput("line longer than " +
                                                 std::to_string(formats::kLineBytesMax) + " bytes")
                          : formats::RecordFromJson(text, &out->record);
        return true;
      }
    }
    done_ += sizes_[index_];
    if (Status s = OpenFile(index_ + 1); !s.ok()) return s;
  }
  return false;
}

Result<bool> FileSource::NextTableRow(engine::SourceLine* out) {
  auto row = table_->NextRow();
  if (!row.ok()) return row.status();
  if (!*row) return false;
  out->file = table_->label();
  out->line = (*row)->line;
  ResolveNames(&**row);
  auto record = table_->header().Build(std::move(**row));
  if (record.ok()) {
    out->parsed = Status::Ok();
    out->record = std::move(record.value());
  } else {
    out->parsed = record.status();
  }
  return true;
}

uint64_t FileSource::Position() const {
  if (index_ >= files_.size()) return size_;
  if (table_) {
    return done_ + (table_->size() == 0 ? 0 : sizes_[index_] * table_->position() / table_->size());
  }
  return done_ + lines_.position();
}

}  // namespace jifen::cli
