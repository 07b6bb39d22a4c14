// fmt: arranges the canonical lines of printer.cc and puts the comments back
// (GRAMMAR.md "Canonical layout").
#include "grammar/format.h"

#include <algorithm>

#include "grammar/parse_internal.h"
#include "grammar/printer.h"

namespace jifen::grammar {
namespace {

// One output line of code, with the comments that travel with it.
struct Entry {
  uint32_t line = 0;  // the source line it came from
  int indent = 0;
  std::string text;
  bool opens_block = false;
  bool closes_block = false;
  std::vector<const SourceComment*> leading;   // whole-line comments before it
  std::vector<const SourceComment*> trailing;  // comments at the end of its source lines
};

Entry Line(uint32_t line, int indent, std::string text, bool opens_block = false,
           bool closes_block = false) {
  Entry e;
  e.line = line;
  e.indent = indent;
  e.text = std::move(text);
  e.opens_block = opens_block;
  e.closes_block = closes_block;
  return e;
}

struct Statement {
  const Location* location;
  std::vector<Entry> entries;
};

std::vector<Statement> Statements(const RuleFile& f, const Layout* layout, const Printer& p) {
  std::vector<Statement> out;
  Statement village{&f.village.location, {}};
  village.entries.push_back(Line(f.village.location.line, 0, p.VillageHead(f.village), true));
  for (size_t s = 0; s < kSettingCount; ++s) {
    auto setting = static_cast<Setting>(s);
    uint32_t line = layout ? layout->setting_lines[s] : f.village.location.line;
    if (layout == nullptr) {
      // Without a source, the settings that differ from their defaults.
      Village defaults;
      std::string text = p.SettingLine(f.village, setting);
      bool given = setting == Setting::kTownship ? !f.village.township.empty()
                   : setting == Setting::kLate   ? f.village.late_days_max.has_value()
                   : setting == Setting::kReview ? !f.village.review_roles.empty()
                   : setting == Setting::kNotice ? f.village.notice_days.has_value()
                                                 : text != p.SettingLine(defaults, setting);
      if (!given) line = 0;
    }
    if (line != 0) village.entries.push_back(Line(line, 1, p.SettingLine(f.village, setting)));
  }
  uint32_t close = layout ? layout->village_close_line : f.village.location.line;
  village.entries.push_back(Line(close, 0, "}", false, true));
  out.push_back(std::move(village));

  for (size_t c = 0; c < f.categories.size(); ++c) {
    const Category& category = f.categories[c];
    Statement s{&category.location, {}};
    s.entries.push_back(Line(category.location.line, 0, p.CategoryHead(category), true));
    out.push_back(std::move(s));
  }
  // Items join their category in source order: the category whose code they carry, taken in
  // the order of the file's item list (a file has unique codes, so codes identify categories).
  for (const Item& item : f.items) {
    for (size_t c = 0; c < f.categories.size(); ++c) {
      if (f.categories[c].code == item.category) {
        out[c + 1].entries.push_back(Line(item.location.line, 1, p.ItemLine(item)));
        break;
      }
    }
  }
  for (size_t c = 0; c < f.categories.size(); ++c) {
    uint32_t line = layout && c < layout->category_close_lines.size()
                        ? layout->category_close_lines[c]
                        : f.categories[c].location.line;
    out[c + 1].entries.push_back(Line(line, 0, "}", false, true));
  }
  auto single = [&](const Location& at, std::string text) {
    Statement s{&at, {}};
    s.entries.push_back(Line(at.line, 0, std::move(text)));
    out.push_back(std::move(s));
  };
  for (const Reward& r : f.rewards) single(r.location, p.RewardLine(r));
  if (f.rate) single(f.rate->location, p.RateLine(*f.rate));
  for (const Bonus& b : f.bonuses) single(b.location, p.BonusLine(b));
  for (const Title& t : f.titles) single(t.location, p.TitleLine(t));
  if (f.dividend) single(f.dividend->location, p.DividendLine(*f.dividend));
  // Statements stay in source order.
  std::stable_sort(out.begin(), out.end(), [](const Statement& a, const Statement& b) {
    if (a.location->line != b.location->line) return a.location->line < b.location->line;
    return a.location->column < b.location->column;
  });
  return out;
}

// Gives each comment to an entry: a whole-line comment to the first entry after it, a trailing
// one to the last entry that starts on or before its line. Returns the comments after the last
// entry.
std::vector<const SourceComment*> AttachComments(std::vector<Entry*>& entries,
                                                 const std::vector<SourceComment>& comments) {
  std::vector<Entry*> by_line = entries;
  std::stable_sort(by_line.begin(), by_line.end(),
                   [](const Entry* a, const Entry* b) { return a->line < b->line; });
  std::vector<const SourceComment*> at_end;
  for (const SourceComment& c : comments) {
    if (c.trailing) {
      auto after = std::upper_bound(by_line.begin(), by_line.end(), c.line,
                                    [](uint32_t line, const Entry* e) { return line < e->line; });
      if (after != by_line.begin()) {
        (*(after - 1))->trailing.push_back(&c);
        continue;
      }
    }
    auto next = std::upper_bound(by_line.begin(), by_line.end(), c.line,
                                 [](uint32_t line, const Entry* e) { return line < e->line; });
    if (next == by_line.end()) {
      at_end.push_back(&c);
    } else {
      (*next)->leading.push_back(&c);
    }
  }
  return at_end;
}

std::vector<bool> BlankLines(std::string_view text) {
  std::vector<bool> blank{false};  // line 0 does not exist
  bool only_spaces = true;
  for (char c : text) {
    if (c == '\n') {
      blank.push_back(only_spaces);
      only_spaces = true;
    } else if (c != ' ' && c != '\t' && c != '\r') {
      only_spaces = false;
    }
  }
  blank.push_back(only_spaces);
  return blank;
}

// Writes lines, keeping one blank line where the source had one or more before a line, except
// at the start of the file and of a block and before a closing brace.
class Writer {
 public:
  explicit Writer(const std::vector<bool>& blank) : blank_(blank) {}

  void Line(uint32_t source_line, int indent, const std::string& text, bool allow_blank) {
    if (allow_blank && !at_block_start_ && source_line > previous_line_ && source_line >= 2 &&
        source_line - 1 < blank_.size() && blank_[source_line - 1]) {
      out_ += "\n";
    }
    out_.append(static_cast<size_t>(indent) * 2, ' ');
    out_ += text;
    out_ += "\n";
    previous_line_ = source_line;
    at_block_start_ = false;
  }
  void OpenedBlock() { at_block_start_ = true; }
  std::string Take() { return std::move(out_); }

 private:
  const std::vector<bool>& blank_;
  std::string out_;
  uint32_t previous_line_ = 0;
  bool at_block_start_ = true;
};

std::string Arrange(const RuleFile& f, const Layout& layout, std::string_view source,
                    Language keywords) {
  Printer printer(keywords);
  std::vector<Statement> statements = Statements(f, &layout, printer);
  std::vector<Entry*> entries;
  for (Statement& s : statements) {
    for (Entry& e : s.entries) entries.push_back(&e);
  }
  std::vector<const SourceComment*> at_end = AttachComments(entries, layout.comments);

  std::vector<bool> blank = BlankLines(source);
  Writer w(blank);
  for (Entry* e : entries) {
    int comment_indent = e->closes_block ? e->indent + 1 : e->indent;
    for (const SourceComment* c : e->leading) w.Line(c->line, comment_indent, c->text, true);
    std::string text = e->text;
    for (const SourceComment* c : e->trailing) text += "  " + c->text;
    w.Line(e->line, e->indent, text, !e->closes_block || !e->leading.empty());
    if (e->opens_block) w.OpenedBlock();
  }
  for (const SourceComment* c : at_end) w.Line(c->line, 0, c->text, true);
  return w.Take();
}

}  // namespace

FormatOutcome FormatRulesText(std::string_view text, const std::string& file_name,
                              std::optional<Language> keywords) {
  FormatOutcome out;
  DetailedParse parse = ParseWithLayout(text, file_name, MessageLanguage::kAuto);
  if (!parse.outcome.rules) {
    out.diagnostics = std::move(parse.outcome.diagnostics);
    return out;
  }
  const RuleFile& rules = *parse.outcome.rules;
  out.text = Arrange(rules, parse.layout, text, keywords.value_or(rules.language));
  return out;
}

std::string PrintRules(const RuleFile& rules, Language keywords) {
  Printer printer(keywords);
  std::string out;
  for (const Statement& s : Statements(rules, nullptr, printer)) {
    for (const Entry& e : s.entries) {
      out.append(static_cast<size_t>(e.indent) * 2, ' ');
      out += e.text;
      out += "\n";
    }
  }
  return out;
}

std::string ExpressionText(const Expr& expression, Language keywords) {
  return Printer(keywords).Expression(expression);
}

}  // namespace jifen::grammar
