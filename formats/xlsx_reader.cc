#include "formats/xlsx_reader.h"

#include <dlfcn.h>
#include <expat.h>
#include <zip.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <map>

namespace jifen::formats {
namespace {

constexpr uint64_t kPartBytesMax = uint64_t{256} << 20;  // one unpacked part of the workbook
constexpr int kRowMax = 1'048'576;                       // Excel's sheet size
constexpr int kColumnMax = 16'384;

// The functions of libzip used here, typed from the installed header.
#define JIFEN_LIBZIP_FUNCTIONS(X) \
  X(zip_source_buffer_create)     \
  X(zip_source_free)              \
  X(zip_open_from_source)         \
  X(zip_discard)                  \
  X(zip_name_locate)              \
  X(zip_fopen_index)              \
  X(zip_fread)                    \
  X(zip_fclose)                   \
  X(zip_error_init)               \
  X(zip_error_fini)               \
  X(zip_error_strerror)           \
  X(zip_get_error)

struct Libzip {
#define JIFEN_LIBZIP_MEMBER(name) decltype(&::name) name = nullptr;
  JIFEN_LIBZIP_FUNCTIONS(JIFEN_LIBZIP_MEMBER)
#undef JIFEN_LIBZIP_MEMBER
};

// Loaded once for the life of the process.
Result<const Libzip*> LoadLibzip() {
  static Libzip zip;
  static std::string error;
  static bool tried = false;
  if (!tried) {
    tried = true;
    void* handle = dlopen(kLibzipSoname, RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      error =
          std::string("cannot load libzip: ") + dlerror() + " (install the Debian package libzip4)";
    } else {
#define JIFEN_LIBZIP_LOAD(name)                                          \
  zip.name = reinterpret_cast<decltype(zip.name)>(dlsym(handle, #name)); \
  if (zip.name == nullptr && error.empty())                              \
    error = std::string(kLibzipSoname) + " has no function " #name;
      JIFEN_LIBZIP_FUNCTIONS(JIFEN_LIBZIP_LOAD)
#undef JIFEN_LIBZIP_LOAD
    }
  }
  if (!error.empty()) return Status::IOError(error);
  return &zip;
}

// An open workbook: its parts by name.
class Archive {
 public:
  ~Archive() {
    if (archive_ != nullptr) zip_->zip_discard(archive_);
  }

  Status Open(std::string_view bytes, const std::string& file) {
    file_ = file;
    auto zip = LoadLibzip();
    if (!zip.ok()) return Status::IOError(file + ": " + zip.status().message());
    zip_ = *zip;
    zip_error_t error;
    zip_->zip_error_init(&error);
    zip_source_t* source = zip_->zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (source != nullptr) {
      archive_ = zip_->zip_open_from_source(source, ZIP_RDONLY, &error);
      if (archive_ == nullptr) zip_->zip_source_free(source);
    }
    std::string why = archive_ == nullptr ? zip_->zip_error_strerror(&error) : "";
    zip_->zip_error_fini(&error);
    if (archive_ == nullptr) return Invalid("not an .xlsx workbook (" + why + ")");
    return Status::Ok();
  }

  // The part's bytes; nullopt when the workbook has no such part.
  Result<std::optional<std::string>> Read(const std::string& name) {
    zip_int64_t index = zip_->zip_name_locate(archive_, name.c_str(), 0);
    if (index < 0) return std::optional<std::string>();
    zip_file_t* f = zip_->zip_fopen_index(archive_, static_cast<zip_uint64_t>(index), 0);
    if (f == nullptr)
      return Invalid(name + ": " + zip_->zip_error_strerror(zip_->zip_get_error(archive_)));
    std::string out;
    char buffer[1 << 16];
    for (;;) {
      zip_int64_t n = zip_->zip_fread(f, buffer, sizeof buffer);
      if (n < 0) {
        zip_->zip_fclose(f);
        return Invalid(name + ": cannot be unpacked");
      }
      if (n == 0) break;
      if (out.size() + static_cast<uint64_t>(n) > kPartBytesMax) {
        zip_->zip_fclose(f);
        return Invalid(name + ": larger than " + std::to_string(kPartBytesMax >> 20) +
                       " MiB unpacked");
      }
      out.append(buffer, static_cast<size_t>(n));
    }
    zip_->zip_fclose(f);
    return std::optional<std::string>(std::move(out));
  }

  Status Invalid(const std::string& why) const { return Status::InvalidInput(file_ + ": " + why); }
  const std::string& file() const { return file_; }

 private:
  const Libzip* zip_ = nullptr;
  zip_t* archive_ = nullptr;
  std::string file_;
};

// The local part of an expat name with namespaces ("URI|local").
std::string_view Local(const XML_Char* name) {
  std::string_view n(name);
  size_t bar = n.rfind('|');
  return bar == std::string_view::npos ? n : n.substr(bar + 1);
}

const char* Attribute(const XML_Char** attributes, std::string_view local) {
  for (int i = 0; attributes[i] != nullptr; i += 2) {
    if (Local(attributes[i]) == local) return attributes[i + 1];
  }
  return nullptr;
}

// Decodes the _xHHHH_ escapes of OOXML strings (a character XML cannot hold, or a literal "_x").
std::string Unescape(std::string s) {
  if (s.find("_x") == std::string::npos) return s;
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned value = 0;
    if (s.compare(i, 2, "_x") == 0 && i + 7 <= s.size() && s[i + 6] == '_' &&
        std::from_chars(s.data() + i + 2, s.data() + i + 6, value, 16).ptr == s.data() + i + 6) {
      if (value < 0x80) {
        out.push_back(static_cast<char>(value));
      } else if (value < 0x800) {
        out.push_back(static_cast<char>(0xc0 | value >> 6));
        out.push_back(static_cast<char>(0x80 | (value & 0x3f)));
      } else {
        out.push_back(static_cast<char>(0xe0 | value >> 12));
        out.push_back(static_cast<char>(0x80 | (value >> 6 & 0x3f)));
        out.push_back(static_cast<char>(0x80 | (value & 0x3f)));
      }
      i += 6;
      continue;
    }
    out.push_back(s[i]);
  }
  return out;
}

// Runs expat over one part with `handler`'s Start, End and Text.
template <typename Handler>
Status ParseXml(std::string_view xml, Handler* handler, const std::string& file,
                const std::string& part) {
  auto invalid = [&](const std::string& why) { return Status::InvalidInput(file + ": " + why); };
  struct Context {
    Handler* handler;
    XML_Parser parser;
    std::string error;
  };
  XML_Parser parser = XML_ParserCreateNS(nullptr, '|');
  if (parser == nullptr) return invalid(part + ": out of memory");
  Context context{handler, parser, ""};
  XML_SetUserData(parser, &context);
  XML_SetElementHandler(
      parser,
      [](void* data, const XML_Char* name, const XML_Char** attributes) {
        auto* c = static_cast<Context*>(data);
        if (!c->handler->Start(Local(name), attributes, &c->error))
          XML_StopParser(c->parser, XML_FALSE);
      },
      [](void* data, const XML_Char* name) {
        auto* c = static_cast<Context*>(data);
        c->handler->End(Local(name));
      });
  XML_SetCharacterDataHandler(parser, [](void* data, const XML_Char* text, int length) {
    static_cast<Context*>(data)->handler->Text(std::string_view(text, static_cast<size_t>(length)));
  });
  // No DTD, so no entities to expand: a workbook never has one.
  XML_SetStartDoctypeDeclHandler(
      parser, [](void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
        auto* c = static_cast<Context*>(data);
        c->error = "has a DTD";
        XML_StopParser(c->parser, XML_FALSE);
      });
  Status status;
  if (XML_Parse(parser, xml.data(), static_cast<int>(std::min<size_t>(xml.size(), INT32_MAX)),
                XML_TRUE) == XML_STATUS_ERROR) {
    std::string why = !context.error.empty()
                          ? context.error
                          : std::string("not well-formed XML (") +
                                XML_ErrorString(XML_GetErrorCode(parser)) + " at line " +
                                std::to_string(XML_GetCurrentLineNumber(parser)) + ")";
    status = invalid(part + ": " + why);
  }
  XML_ParserFree(parser);
  return status;
}

struct SheetRef {
  std::string name;
  std::string relationship;
};

struct WorkbookHandler {
  std::vector<SheetRef> sheets;
  bool date1904 = false;
  bool Start(std::string_view name, const XML_Char** attributes, std::string*) {
    if (name == "sheet") {
      const char* n = Attribute(attributes, "name");
      const char* id = Attribute(attributes, "id");
      sheets.push_back(SheetRef{n ? n : "", id ? id : ""});
    } else if (name == "workbookPr") {
      const char* d = Attribute(attributes, "date1904");
      date1904 = d != nullptr && (std::strcmp(d, "1") == 0 || std::strcmp(d, "true") == 0);
    }
    return true;
  }
  void End(std::string_view) {}
  void Text(std::string_view) {}
};

struct RelationshipsHandler {
  std::map<std::string, std::string> targets;
  bool Start(std::string_view name, const XML_Char** attributes, std::string*) {
    if (name == "Relationship") {
      const char* id = Attribute(attributes, "Id");
      const char* target = Attribute(attributes, "Target");
      if (id != nullptr && target != nullptr) targets[id] = target;
    }
    return true;
  }
  void End(std::string_view) {}
  void Text(std::string_view) {}
};

struct SharedStringsHandler {
  std::vector<std::string> strings;
  std::string current;
  bool in_t = false;
  int in_phonetic = 0;  // <rPh>: the reading of East Asian text, not part of the value
  bool Start(std::string_view name, const XML_Char**, std::string* error) {
    if (name == "si") {
      current.clear();
    } else if (name == "t") {
      in_t = true;
    } else if (name == "rPh") {
      ++in_phonetic;
    }
    if (strings.size() > (size_t{1} << 24)) {
      *error = "too many shared strings";
      return false;
    }
    return true;
  }
  void End(std::string_view name) {
    if (name == "si") strings.push_back(Unescape(std::move(current)));
    if (name == "t") in_t = false;
    if (name == "rPh") --in_phonetic;
  }
  void Text(std::string_view text) {
    if (in_t && in_phonetic == 0) current.append(text);
  }
};

// "B12" -> column 1 (0-based) and row 12; false if malformed.
bool ParseReference(std::string_view ref, int* column, int* row) {
  size_t i = 0;
  int c = 0;
  while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z' && i < 3)
    c = c * 26 + (ref[i++] - 'A' + 1);
  if (i == 0 || c > kColumnMax) return false;
  int r = 0;
  auto [end, ec] = std::from_chars(ref.data() + i, ref.data() + ref.size(), r);
  if (ec != std::errc() || end != ref.data() + ref.size() || r < 1 || r > kRowMax) return false;
  *column = c - 1;
  *row = r;
  return true;
}

struct SheetHandler {
  const std::vector<std::string>* shared = nullptr;
  std::vector<RawRow> rows;
  RawRow row;
  bool in_row = false;
  int next_row = 1;
  int next_column = 0;
  // The cell being read.
  bool in_cell = false;
  std::string type;
  Cell cell;
  std::string value;  // <v>
  std::string inline_text;
  bool in_v = false, in_t = false, in_is = false;
  int in_phonetic = 0;

  bool Start(std::string_view name, const XML_Char** attributes, std::string* error) {
    if (name == "row") {
      const char* r = Attribute(attributes, "r");
      int number = next_row;
      if (r != nullptr) {
        auto [end, ec] = std::from_chars(r, r + std::strlen(r), number);
        if (ec != std::errc() || *end != '\0' || number < next_row || number > kRowMax) {
          *error = std::string("row number ") + r + " out of order";
          return false;
        }
      }
      if (number > kRowMax) {
        *error = "more than " + std::to_string(kRowMax) + " rows";
        return false;
      }
      row = RawRow{};
      row.line = number;
      next_row = number + 1;
      next_column = 0;
      in_row = true;
    } else if (name == "c" && in_row) {
      cell = Cell{};
      cell.column = next_column;
      const char* r = Attribute(attributes, "r");
      if (r != nullptr) {
        int column = 0, number = 0;
        if (!ParseReference(r, &column, &number) || number != row.line || column < next_column) {
          *error = std::string("cell reference ") + r + " out of order";
          return false;
        }
        cell.column = column;
      }
      if (cell.column >= kColumnMax) {
        *error = "more than " + std::to_string(kColumnMax) + " columns";
        return false;
      }
      next_column = cell.column + 1;
      const char* t = Attribute(attributes, "t");
      type = t ? t : "n";
      value.clear();
      inline_text.clear();
      in_cell = true;
    } else if (in_cell && name == "v") {
      in_v = true;
    } else if (in_cell && name == "is") {
      in_is = true;
    } else if (in_is && name == "t") {
      in_t = true;
    } else if (in_is && name == "rPh") {
      ++in_phonetic;
    }
    return true;
  }

  void End(std::string_view name) {
    if (name == "v") {
      in_v = false;
    } else if (name == "t") {
      in_t = false;
    } else if (name == "rPh") {
      --in_phonetic;
    } else if (name == "is") {
      in_is = false;
    } else if (name == "c" && in_cell) {
      in_cell = false;
      FinishCell();
    } else if (name == "row" && in_row) {
      in_row = false;
      if (!row.cells.empty()) rows.push_back(std::move(row));
    }
  }

  void Text(std::string_view text) {
    if (in_v) value.append(text);
    if (in_t && in_phonetic == 0) inline_text.append(text);
  }

  void FinishCell() {
    if (type == "s") {
      size_t index = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), index);
      if (ec != std::errc() || end != value.data() + value.size() || index >= shared->size()) {
        cell.kind = Cell::Kind::kError;
        cell.text = "shared string " + value + " missing";
      } else {
        cell.text = (*shared)[index];
      }
    } else if (type == "inlineStr") {
      cell.text = Unescape(std::move(inline_text));
    } else if (type == "str") {
      cell.text = Unescape(std::move(value));
    } else if (type == "b") {
      cell.kind = Cell::Kind::kBool;
      cell.text = value == "1" ? "TRUE" : "FALSE";
    } else if (type == "e") {
      cell.kind = Cell::Kind::kError;
      cell.text = value;
    } else if (type == "d") {
      cell.text = value;  // ISO 8601
    } else {
      cell.kind = Cell::Kind::kNumber;
      cell.text = value;
    }
    if (cell.text.empty()) return;
    row.cells.push_back(std::move(cell));
  }
};

// "worksheets/sheet1.xml" from xl/_rels, or "/xl/worksheets/sheet1.xml": the part's name.
std::string PartName(const std::string& target) {
  if (target.starts_with("/")) return target.substr(1);
  std::string t = target;
  std::string base = "xl/";
  while (t.starts_with("../")) {
    t.erase(0, 3);
    base.clear();
  }
  return base + t;
}

struct Workbook {
  WorkbookHandler workbook;
  RelationshipsHandler relationships;
};

Status ReadWorkbook(Archive& archive, Workbook* out) {
  auto workbook = archive.Read("xl/workbook.xml");
  if (!workbook.ok()) return workbook.status();
  if (!*workbook) return archive.Invalid("not an .xlsx workbook (no xl/workbook.xml)");
  if (Status s = ParseXml(**workbook, &out->workbook, archive.file(), "xl/workbook.xml"); !s.ok())
    return s;
  if (out->workbook.sheets.empty()) return archive.Invalid("the workbook has no sheet");
  auto rels = archive.Read("xl/_rels/workbook.xml.rels");
  if (!rels.ok()) return rels.status();
  if (*rels) {
    if (Status s =
            ParseXml(**rels, &out->relationships, archive.file(), "xl/_rels/workbook.xml.rels");
        !s.ok())
      return s;
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<std::string>> XlsxSheetNames(std::string_view bytes,
                                                const std::string& file_name) {
  Archive archive;
  if (Status s = archive.Open(bytes, file_name); !s.ok()) return s;
  Workbook book;
  if (Status s = ReadWorkbook(archive, &book); !s.ok()) return s;
  std::vector<std::string> names;
  for (const SheetRef& s : book.workbook.sheets) names.push_back(s.name);
  return names;
}

Result<XlsxSheet> ReadXlsxSheet(std::string_view bytes, const std::string& file_name,
                                const std::string& sheet) {
  Archive archive;
  if (Status s = archive.Open(bytes, file_name); !s.ok()) return s;
  Workbook book;
  if (Status s = ReadWorkbook(archive, &book); !s.ok()) return s;
  const auto& sheets = book.workbook.sheets;
  auto chosen = sheet.empty() ? sheets.begin()
                              : std::find_if(sheets.begin(), sheets.end(),
                                             [&](const SheetRef& s) { return s.name == sheet; });
  if (chosen == sheets.end()) {
    std::string names;
    for (const SheetRef& s : sheets) names += (names.empty() ? "" : "、") + s.name;
    return archive.Invalid("没有工作表「" + sheet + "」/ no sheet \"" + sheet +
                           "\" (sheets: " + names + ")");
  }
  auto target = book.relationships.targets.find(chosen->relationship);
  std::string part =
      target != book.relationships.targets.end()
          ? PartName(target->second)
          : "xl/worksheets/sheet" + std::to_string(chosen - sheets.begin() + 1) + ".xml";
  SharedStringsHandler shared;
  auto strings = archive.Read("xl/sharedStrings.xml");
  if (!strings.ok()) return strings.status();
  if (*strings) {
    if (Status s = ParseXml(**strings, &shared, archive.file(), "xl/sharedStrings.xml"); !s.ok())
      return s;
  }
  auto xml = archive.Read(part);
  if (!xml.ok()) return xml.status();
  if (!*xml) return archive.Invalid("sheet \"" + chosen->name + "\": no part " + part);
  SheetHandler handler;
  handler.shared = &shared.strings;
  if (Status s = ParseXml(**xml, &handler, archive.file(), part); !s.ok()) return s;
  XlsxSheet out;
  out.name = chosen->name;
  out.date1904 = book.workbook.date1904;
  out.rows = std::move(handler.rows);
  return out;
}

Result<XlsxSheet> ReadXlsxSheetXml(std::string_view shared_strings_xml, std::string_view sheet_xml,
                                   const std::string& file_name) {
  SharedStringsHandler shared;
  if (!shared_strings_xml.empty()) {
    if (Status s = ParseXml(shared_strings_xml, &shared, file_name, "xl/sharedStrings.xml");
        !s.ok())
      return s;
  }
  SheetHandler handler;
  handler.shared = &shared.strings;
  if (Status s = ParseXml(sheet_xml, &handler, file_name, "sheet"); !s.ok()) return s;
  XlsxSheet out;
  out.name = "sheet";
  out.rows = std::move(handler.rows);
  return out;
}

Result<std::unique_ptr<XlsxRecordReader>> XlsxRecordReader::Open(std::string_view bytes,
                                                                 const std::string& file_name,
                                                                 const std::string& sheet) {
  auto read = ReadXlsxSheet(bytes, file_name, sheet);
  if (!read.ok()) return read.status();
  std::unique_ptr<XlsxRecordReader> reader(new XlsxRecordReader());
  reader->sheet_ = std::move(read.value());
  reader->label_ = file_name + "[" + reader->sheet_.name + "]";
  const auto& rows = reader->sheet_.rows;
  auto blank = [](const RawRow& r) {
    return std::all_of(r.cells.begin(), r.cells.end(), [](const Cell& c) {
      return c.text.find_first_not_of(" \t") == std::string::npos;
    });
  };
  size_t i = 0;
  while (i < rows.size() && blank(rows[i])) ++i;
  if (i == rows.size())
    return Status::InvalidInput(reader->label_ + ":1: no header row / 没有标题行");
  auto header = TableHeader::Read(rows[i]);
  if (!header.ok()) {
    return Status::InvalidInput(reader->label_ + ":" + std::to_string(rows[i].line) + ": " +
                                header.status().message());
  }
  reader->header_ = std::move(header.value());
  reader->first_ = reader->next_ = i + 1;
  return reader;
}

Result<std::optional<TableRow>> XlsxRecordReader::NextRow() {
  const auto& rows = sheet_.rows;
  while (next_ < rows.size()) {
    const RawRow& raw = rows[next_++];
    bool blank = std::all_of(raw.cells.begin(), raw.cells.end(), [](const Cell& c) {
      return c.text.find_first_not_of(" \t") == std::string::npos;
    });
    if (blank) continue;
    TableRow row = header_.ReadRow(raw, sheet_.date1904);
    if (row.example) continue;
    return std::optional<TableRow>(std::move(row));
  }
  return std::optional<TableRow>();
}

Result<std::vector<XlsxRow>> ReadXlsxRecords(std::string_view bytes, const std::string& file_name,
                                             const std::string& sheet) {
  auto reader = XlsxRecordReader::Open(bytes, file_name, sheet);
  if (!reader.ok()) return reader.status();
  std::vector<XlsxRow> rows;
  for (;;) {
    auto row = (*reader)->NextRow();
    if (!row.ok()) return row.status();
    if (!*row) return rows;
    int line = (*row)->line;
    rows.push_back(XlsxRow{line, (*reader)->header().Build(std::move(**row))});
  }
}

}  // namespace jifen::formats
