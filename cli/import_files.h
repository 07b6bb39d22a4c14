// The files of one `jifen import`, read a line at a time (JSON Lines) or a row at a time (CSV,
// .xlsx), so that an import of any size takes a bounded amount of memory. In a clerk's tables
// (docs/IMPORT.md) names may stand for codes: they are resolved here, against the ledger and the
// import's own registrations, before admission sees the records.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/admission.h"
#include "engine/names.h"
#include "formats/csv.h"
#include "formats/table.h"

namespace jifen::cli {

// Reads one file a line at a time through a buffer of about a megabyte. A line longer than
// formats::kLineBytesMax is not kept: only that it was too long and whether it was blank.
class LineReader {
 public:
  LineReader() = default;
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;
  ~LineReader() { Close(); }

  Status Open(const std::string& file);
  void Close();
  // The next line, without its '\n': false at the end of the file. `*too_long` tells a line over
  // the limit (`*line` is then empty, and `*blank` says whether it held only spaces and tabs).
  Result<bool> Next(std::string_view* line, bool* too_long, bool* blank);
  // Bytes of the file read so far.
  uint64_t position() const { return consumed_; }

 private:
  Status Fill();  // reads more after buffer_[end_]; sets eof_ at the end
  Result<bool> SkipLongLine(bool* blank);

  std::string file_;
  int fd_ = -1;
  std::string buffer_;
  size_t begin_ = 0, end_ = 0;  // the unread bytes
  bool eof_ = false;
  uint64_t consumed_ = 0;
};

// What an import's files are read with besides themselves.
struct ImportFileOptions {
  std::string ledger_dir = "ledger";  // names in tables are resolved against this ledger
  std::string sheet;                  // --sheet: the sheet of each .xlsx file (empty: the first)
};

// The import's files in order: `*.csv` (any case of the extension) as CSV, `*.xlsx` as workbooks
// (one sheet), the others as JSON Lines, whose blank lines are skipped (a trailing '\r' is
// dropped first). A table's rows are named "FILE:ROW", or "FILE[SHEET]:ROW" in a workbook.
class FileSource : public engine::ImportSource {
 public:
  // Status::InvalidInput("FILE: cannot read") for the first file that cannot be opened. When there
  // are tables, reads them once to learn which villages they name and what they register, and
  // the ledger (if there is one yet) for those villages' names; the ledger is closed again.
  // The one-argument form reads with the default options (the ledger "ledger", first sheets).
  static Result<std::unique_ptr<FileSource>> Open(const std::vector<std::string>& files);
  static Result<std::unique_ptr<FileSource>> Open(const std::vector<std::string>& files,
                                                  const ImportFileOptions& options);

  Status Rewind() override;
  Result<bool> Next(engine::SourceLine* out) override;
  uint64_t Position() const override;
  uint64_t Size() const override { return size_; }

 private:
  explicit FileSource(std::vector<std::string> files) : files_(std::move(files)) {}
  Status OpenFile(size_t index);
  Result<std::unique_ptr<formats::TableReader>> OpenTable(const std::string& file) const;
  Result<bool> NextTableRow(engine::SourceLine* out);
  Status LoadNames();
  void ResolveNames(formats::TableRow* row) const;

  ImportFileOptions options_;
  std::vector<std::string> files_;
  std::vector<uint64_t> sizes_;
  uint64_t size_ = 0;
  size_t index_ = 0;   // the file being read; files_.size() at the end
  uint64_t done_ = 0;  // bytes of the files before it
  int line_ = 0;       // last line read of a JSON Lines file
  LineReader lines_;
  std::unique_ptr<formats::TableReader> table_;
  std::optional<engine::NameIndex> names_;  // when the import has tables
  bool tables_only_ = false;                // no JSON Lines file (which might register a name)
};

}  // namespace jifen::cli
