#include "cli/import_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "ledger/record_json.h"

namespace jifen::cli {
namespace {

constexpr size_t kReadBytes = size_t{1} << 20;
// A line up to the limit plus a '\r' is read whole; anything longer is too long once the '\r'
// (if any) is dropped.
constexpr size_t kLineRawBytesMax = ledger::kLineBytesMax + 1;

bool IsCsv(const std::string& file) { return file.ends_with(".csv") || file.ends_with(".CSV"); }

bool IsBlank(std::string_view line) { return line.find_first_not_of(" \t") == std::string_view::npos; }

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
  std::unique_ptr<FileSource> source(new FileSource(files));
  for (const std::string& file : files) {
    struct stat st;
    int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    bool ok = fd >= 0 && ::fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode);
    if (fd >= 0) ::close(fd);
    if (!ok) return CannotRead(file);
    source->sizes_.push_back(static_cast<uint64_t>(st.st_size));
    source->size_ += static_cast<uint64_t>(st.st_size);
  }
  return source;
}

Status FileSource::Rewind() {
  done_ = 0;
  return OpenFile(0);
}

Status FileSource::OpenFile(size_t index) {
  lines_.Close();
  csv_.reset();
  line_ = 0;
  index_ = index;
  if (index_ >= files_.size()) return Status::Ok();
  const std::string& file = files_[index_];
  if (!IsCsv(file)) return lines_.Open(file);
  // A CSV file is decoded whole (UTF-8 or GB18030 is known only at its end), then read by rows.
  std::string bytes;
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return CannotRead(file);
  char chunk[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      if (n < 0) return CannotRead(file);
      break;
    }
    bytes.append(chunk, static_cast<size_t>(n));
  }
  auto reader = ledger::CsvRecordReader::Open(bytes, file);
  if (!reader.ok()) return reader.status();
  csv_.emplace(std::move(reader.value()));
  return Status::Ok();
}

Result<bool> FileSource::Next(engine::SourceLine* out) {
  while (index_ < files_.size()) {
    if (csv_) {
      auto more = NextCsv(out);
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
        out->parsed = too_long ? Status::InvalidInput("line longer than " + std::to_string(ledger::kLineBytesMax) +
                                                      " bytes")
                               : ledger::RecordFromJson(text, &out->record);
        return true;
      }
    }
    done_ += sizes_[index_];
    if (Status s = OpenFile(index_ + 1); !s.ok()) return s;
  }
  return false;
}

Result<bool> FileSource::NextCsv(engine::SourceLine* out) {
  auto row = csv_->Next();
  if (!row.ok()) return row.status();
  if (!*row) return false;
  out->file = files_[index_];
  out->line = (*row)->line;
  if ((*row)->record.ok()) {
    out->parsed = Status::Ok();
    out->record = std::move((*row)->record.value());
  } else {
    out->parsed = (*row)->record.status();
  }
  return true;
}

uint64_t FileSource::Position() const {
  if (index_ >= files_.size()) return size_;
  if (csv_) {
    return done_ + (csv_->size() == 0 ? 0 : sizes_[index_] * csv_->position() / csv_->size());
  }
  return done_ + lines_.position();
}

}  // namespace jifen::cli
