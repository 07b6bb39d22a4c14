// template: the workbook a clerk fills in (cli/template.h).
#include <xlsxwriter.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

#include <algorithm>
#include <cstring>
#include <iostream>
#include <map>
#include <set>

#include "cli/clerk_input.h"
#include "cli/template.h"
#include "cli/words.h"
#include "cli/xlsxwriter_library.h"
#include "ledger/fields.h"
#include "formats/headers.h"

namespace jifen::cli {
namespace {

// libxlsxwriter as cli/xlsxwriter_library.h loads it for the board (docs/PERFORMANCE.md
// "Process start").
using Lxw = Xlsxwriter;
Result<Lxw> LoadLxw() { return LoadXlsxwriter(kXlsxwriterSoname, "template"); }

const formats::ColumnName* ByChinese(const char* zh) {
  for (const auto& c : formats::ColumnNames()) {
    if (std::strcmp(c.zh, zh) == 0) return &c;
  }
  return nullptr;
}

// A name where it is unique among `names`, else the code: what a drop-down offers.
std::vector<std::string> Choices(
    const std::vector<std::pair<std::string, std::string>>& code_names) {
  std::map<std::string, int> count;
  for (const auto& [code, name] : code_names) ++count[name];
  std::vector<std::string> out;
  for (const auto& [code, name] : code_names) {
    std::string choice = !name.empty() && count[name] == 1 ? name : code;
    if (std::find(out.begin(), out.end(), choice) == out.end()) out.push_back(choice);
  }
  return out;
}

struct Column {
  const formats::ColumnName* name;
  std::string header;
  std::string list;  // the lists sheet's column with its drop-down, or empty
  bool required = false;
  bool date = false;
  std::string example;
  double example_number = -1;  // written as a number when >= 0
};

double Serial(Date d) {
  return static_cast<double>(d.days() - Date::FromCivil(1899, 12, 30).days());
}

// The form's columns and the drop-down lists they offer, each a column of the lists sheet.
struct TemplateForm {
  bool zh = false;
  std::vector<Column> columns;
  std::vector<std::pair<std::string, std::vector<std::string>>> lists;  // (header, values)

  // The lists sheet's column of a new drop-down, or empty when there is nothing to offer.
  std::string AddList(const std::string& header, std::vector<std::string> values) {
    if (values.empty()) return std::string();
    lists.emplace_back(header, std::move(values));
    return formats::ColumnLetters(static_cast<int>(lists.size()) - 1);
  }
  // A column by its Chinese header (ledger/headers.h), valid until the next is added.
  Column& Add(const char* chinese, const char* english_header = nullptr) {
    const formats::ColumnName* c = ByChinese(chinese);
    Column col{c, zh ? c->zh : (english_header ? english_header : c->en), "", false, false, "", -1};
    col.date = std::strcmp(c->field, "date") == 0 || std::strcmp(c->field, "since") == 0;
    columns.push_back(col);
    return columns.back();
  }
};

// What the form is about: the village, its registrations and the rules in force.
struct TemplateSubject {
  const std::string& village;
  const engine::VillageModel& model;
  const grammar::RuleFile& rules;
  Date today;
};

using CodeNames = std::vector<std::pair<std::string, std::string>>;

void AddAwardColumns(const TemplateSubject& t, TemplateForm& form,
                     const std::string& village_list) {
  Words w{form.zh};
  CodeNames items, subjects, scorers;
  for (const grammar::Item& i : t.rules.items) items.emplace_back(i.code, i.name);
  for (const auto& [code, p] : t.model.persons) subjects.emplace_back(code, p.name);
  for (const auto& [code, h] : t.model.households) subjects.emplace_back(code, h.name);
  for (const auto& [code, s] : t.model.scorers) scorers.emplace_back(code, s.name);
  const grammar::Item* first_item = nullptr;
  for (const grammar::Item& i : t.rules.items) {
    if (first_item == nullptr && i.points > Points()) first_item = &i;
  }
  std::string first_person = t.model.persons.empty() ? "P0101" : Choices(subjects).front();
  form.Add("编号").example = w("example", "示例");
  Column& v = form.Add("村");
  v.list = village_list, v.required = true, v.example = t.village;
  Column& date = form.Add("日期");
  date.required = true, date.example_number = Serial(t.today);
  Column& subject = form.Add("对象");
  subject.required = true, subject.list = form.AddList(w("subject", "对象"), Choices(subjects));
  subject.example = first_person;
  Column& item = form.Add("项目");
  item.required = true, item.list = form.AddList(w("item", "项目"), Choices(items));
  item.example = first_item ? Choices({{first_item->code, first_item->name}}).front() : "C1.01";
  form.Add("数量").example_number = 1;
  Column& scorer = form.Add("采集人");
  scorer.required = true, scorer.list = form.AddList(w("scorer", "采集人"), Choices(scorers));
  scorer.example = scorers.empty() ? "S1" : Choices(scorers).front();
  form.Add("地点").example = w("village hall", "村委会");
  form.Add("事由").example = first_item ? first_item->name : "";
  form.Add("证据").example = first_item && first_item->evidence ? "photo-0305.jpg" : "";
}

void AddRosterColumns(const TemplateSubject& t, TemplateForm& form,
                      const std::string& village_list) {
  const bool zh = form.zh;
  Words w{zh};
  CodeNames households;
  for (const auto& [code, h] : t.model.households) households.emplace_back(code, h.name);
  std::string first_household =
      t.model.households.empty() ? "H01" : t.model.households.begin()->first;
  Column& type = form.Add("类型");
  type.required = true;
  type.example = w("example", "示例");
  type.list = form.AddList(w("type", "类型"), {formats::KindWord(ledger::RecordType::kHousehold, zh),
                                               formats::KindWord(ledger::RecordType::kPerson, zh)});
  Column& v = form.Add("村");
  v.list = village_list, v.required = true, v.example = t.village;
  std::string household_list = form.AddList(w("household", "户号"), Choices(households));
  if (zh) {
    form.Add("户号").list = household_list;
    form.Add("户名");
    form.Add("股数");
    form.Add("人员编号").example = "P9901";
    form.Add("姓名").example = "张三";
    Column& in = form.Add("所在户");
    in.list = household_list, in.example = first_household;
  } else {
    Column& h = form.Add("户号");
    h.list = household_list, h.example = first_household;
    form.Add("人员编号").example = "P9901";
    form.Add("姓名", "name").example = "Zhang San";
    form.Add("股数");
  }
  Column& resident = form.Add("身份");
  resident.list = form.AddList(w("resident", "身份"),
                               zh ? std::vector<std::string>{"村民", "非村民"}
                                  : std::vector<std::string>{"villager", "non-villager"});
  resident.example = w("villager", "村民");
  Column& since = form.Add("起始日期");
  since.required = true, since.example_number = Serial(t.today);
}

// The workbook's cell formats.
struct Formats {
  lxw_format* header;
  lxw_format* date;
  lxw_format* example;
  lxw_format* example_date;
  lxw_format* wrap;
};

Formats AddFormats(const Lxw& x, lxw_workbook* wb) {
  Formats f{};
  f.header = x.workbook_add_format(wb);
  x.format_set_bold(f.header);
  x.format_set_bg_color(f.header, 0xEFEFEF);
  x.format_set_border(f.header, LXW_BORDER_THIN);
  f.date = x.workbook_add_format(wb);
  x.format_set_num_format(f.date, "yyyy-mm-dd");
  f.example = x.workbook_add_format(wb);
  x.format_set_italic(f.example);
  x.format_set_font_color(f.example, 0x808080);
  f.example_date = x.workbook_add_format(wb);
  x.format_set_italic(f.example_date);
  x.format_set_font_color(f.example_date, 0x808080);
  x.format_set_num_format(f.example_date, "yyyy-mm-dd");
  f.wrap = x.workbook_add_format(wb);
  x.format_set_text_wrap(f.wrap);
  return f;
}

// A column's check in Excel: its drop-down, a date, or a number. The texts it points into.
struct Validation {
  lxw_data_validation v{};
  std::string formula, title, message;
};

// False when the column takes anything.
bool ColumnValidation(const Column& c, const TemplateForm& form, const std::string& lists_name,
                      Validation& out) {
  Words w{form.zh};
  lxw_data_validation& v = out.v;
  if (!c.list.empty()) {
    size_t index = static_cast<size_t>(c.list[0] - 'A');
    out.formula = "='" + lists_name + "'!$" + c.list + "$2:$" + c.list + "$" +
                  std::to_string(form.lists[index].second.size() + 1);
    v.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
    v.value_formula = out.formula.data();
    out.message = w("not in the list; a code (H01, P0101, C1.01) also works",
                    "不在下拉列表中；也可填代码（如 H01、P0101、C1.01）");
  } else if (c.date) {
    v.validate = LXW_VALIDATION_TYPE_DATE;
    v.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
    v.minimum_datetime = lxw_datetime{2000, 1, 1, 0, 0, 0};
    v.maximum_datetime = lxw_datetime{2099, 12, 31, 0, 0, 0};
    out.message = w("a date, e.g. 2022-03-05", "请填日期，如 2022-03-05");
  } else if (std::strcmp(c.name->field, "qty") == 0 || std::strcmp(c.name->field, "shares") == 0) {
    v.validate = LXW_VALIDATION_TYPE_DECIMAL;
    v.criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO;
    v.value_number = 0;
    out.message = w("a number", "请填数字");
  } else {
    return false;
  }
  v.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
  out.title = c.header;
  v.error_title = out.title.data();
  v.error_message = out.message.data();
  return true;
}

// The sheet the clerk fills in: headers, the example row, each column's check.
void WriteFormSheet(const Lxw& x, lxw_worksheet* sheet, const TemplateForm& form, const Formats& f,
                    const std::string& lists_name) {
  constexpr lxw_row_t kLastRow = 2000;
  for (size_t i = 0; i < form.columns.size(); ++i) {
    const Column& c = form.columns[i];
    auto col = static_cast<lxw_col_t>(i);
    x.worksheet_write_string(sheet, 0, col, c.header.c_str(), f.header);
    x.worksheet_set_column(
        sheet, col, col,
        c.date ? 12 : std::max<double>(10, 2.2 * static_cast<double>(c.header.size()) / 3 + 6),
        c.date ? f.date : nullptr);
    if (c.example_number >= 0) {
      x.worksheet_write_number(sheet, 1, col, c.example_number,
                               c.date ? f.example_date : f.example);
    } else if (!c.example.empty()) {
      x.worksheet_write_string(sheet, 1, col, c.example.c_str(), f.example);
    }
    Validation validation;
    if (!ColumnValidation(c, form, lists_name, validation)) continue;
#if defined(__SANITIZE_ADDRESS__)
    // libxlsxwriter 1.1.4 never frees its copy of a list validation's formula (a few bytes a
    // column, until the process ends): not jifen's leak to report in sanitizer builds.
    __lsan_disable();
#endif
    x.worksheet_data_validation_range(sheet, 1, col, kLastRow, col, &validation.v);
#if defined(__SANITIZE_ADDRESS__)
    __lsan_enable();
#endif
  }
  x.worksheet_freeze_panes(sheet, 1, 0);
}

// The lists sheet, hidden: one column per drop-down.
void WriteListsSheet(const Lxw& x, lxw_worksheet* lists_sheet, const TemplateForm& form,
                     const Formats& f) {
  for (size_t i = 0; i < form.lists.size(); ++i) {
    auto col = static_cast<lxw_col_t>(i);
    x.worksheet_write_string(lists_sheet, 0, col, form.lists[i].first.c_str(), f.header);
    x.worksheet_set_column(lists_sheet, col, col, 24, nullptr);
    for (size_t r = 0; r < form.lists[i].second.size(); ++r) {
      x.worksheet_write_string(lists_sheet, static_cast<lxw_row_t>(r + 1), col,
                               form.lists[i].second[r].c_str(), nullptr);
    }
  }
  x.worksheet_hide(lists_sheet);
}

// What the help sheet says of a column: required, and what to write.
bool ColumnRequired(const Column& c, ledger::RecordType main_type) {
  bool required = c.required;
  for (const auto& spec : ledger::FieldsOf(main_type)) {
    if (std::strcmp(spec.json_name, c.name->field) == 0 && spec.required &&
        std::strcmp(c.name->field, "household") != 0)
      required = true;
  }
  return required;
}

std::string ColumnHelp(const Column& c, bool zh) {
  std::string help_text = zh ? c.name->zh_help : c.name->en_help;
  if (std::strcmp(c.name->field, "type") == 0) {
    help_text = zh ? "户 或 人员（示例行写“示例”，导入时跳过）"
                   : "household or person (the example row says \"example\" and is skipped)";
  }
  if (std::strcmp(c.name->field, "id") == 0) {
    help_text += zh ? "。示例行在这一列写“示例”，导入时跳过"
                    : ". The example row says \"example\" here and is skipped";
  }
  return help_text;
}

// The notes below the help sheet's table: the example row, names, dates, how to import.
std::vector<std::string> HelpNotes(const TemplateSubject& t, bool awards, bool zh,
                                   const std::string& out) {
  const std::string& village = t.village;
  const std::string today = t.today.ToString();
  if (zh) {
    return {
        "第 2 行是示例，导入时跳过；从第 3 行起每行填一条记录，空行不算。",
        std::string("村：") + village + "（" + t.rules.village.name +
            "）。项目、对象、采集人、户号可填代码，也可填名称；名称重名时导入会列出同名者，请改填代码。",
        "日期可写 2022-03-05、2022/3/5 或 2022年3月5日，也可用 Excel 的日期格式。",
        awards ? "填好后保存，用 jifen import " + out +
                     " 导入（全部通过才写入账本，有错时逐行列出，不写入任何一条）。"
               : "先写户，再写该户的人员；填好后保存，用 jifen import " + out + " 导入。",
        "下拉列表取自 " + today + " 生效的细则和账本中的登记。"};
  }
  return {
      "Row 2 is an example and is skipped by import; write one record a row from row 3 on.",
      "village: " + village + " (" + t.rules.village.name +
          "). Items, subjects, scorers and households may be given by code or by a unique name.",
      "Dates: 2022-03-05, 2022/3/5 or 2022年3月5日, or an Excel date.",
      "Save, then: jifen import " + out +
          " (all or nothing: every bad row is listed and nothing is written).",
      "The drop-down lists are the rules in force on " + today +
          " and the ledger's registrations."};
}

// The help sheet: what each column takes, then how to import.
void WriteHelpSheet(const Lxw& x, lxw_worksheet* help, const TemplateForm& form, const Formats& f,
                    const TemplateSubject& t, const std::vector<std::string>& notes,
                    ledger::RecordType main_type) {
  const bool zh = form.zh;
  Words w{zh};
  const char* help_headers_zh[] = {"列", "列名", "必填", "填写说明", "示例"};
  const char* help_headers_en[] = {"column", "header", "required", "what to write", "example"};
  for (lxw_col_t c = 0; c < 5; ++c)
    x.worksheet_write_string(help, 0, c, zh ? help_headers_zh[c] : help_headers_en[c], f.header);
  x.worksheet_set_column(help, 0, 0, 6, nullptr);
  x.worksheet_set_column(help, 1, 1, 12, nullptr);
  x.worksheet_set_column(help, 2, 2, 8, nullptr);
  x.worksheet_set_column(help, 3, 3, 70, f.wrap);
  x.worksheet_set_column(help, 4, 4, 24, nullptr);
  const std::string example_day = t.today.ToString();
  for (size_t i = 0; i < form.columns.size(); ++i) {
    const Column& c = form.columns[i];
    auto row = static_cast<lxw_row_t>(i + 1);
    x.worksheet_write_string(help, row, 0, formats::ColumnLetters(static_cast<int>(i)).c_str(),
                             nullptr);
    x.worksheet_write_string(help, row, 1, c.header.c_str(), nullptr);
    x.worksheet_write_string(help, row, 2, ColumnRequired(c, main_type) ? w("yes", "是") : "",
                             nullptr);
    x.worksheet_write_string(help, row, 3, ColumnHelp(c, zh).c_str(), f.wrap);
    std::string ex = c.example_number >= 0 ? (c.date ? example_day : "1") : c.example;
    x.worksheet_write_string(help, row, 4, ex.c_str(), nullptr);
  }
  for (size_t i = 0; i < notes.size(); ++i) {
    x.worksheet_write_string(help, static_cast<lxw_row_t>(form.columns.size() + 2 + i), 0,
                             notes[i].c_str(), nullptr);
  }
}

// Writes the workbook of `form` to `out`.
Status WriteTemplate(const TemplateForm& form, const TemplateSubject& t, bool awards,
                     const std::string& out) {
  Words w{form.zh};
  auto lxw = LoadLxw();
  if (!lxw.ok()) return lxw.status();
  const Lxw& x = *lxw;
  lxw_workbook* wb = x.workbook_new(out.c_str());
  if (wb == nullptr) return Status::IOError(out + ": cannot be written");
  Formats formats = AddFormats(x, wb);
  std::string sheet_name = awards ? w("awards", "积分登记") : w("roster", "花名册");
  std::string help_name = w("how to fill in", "填写说明");
  std::string lists_name = w("lists", "选项");
  lxw_worksheet* sheet = x.workbook_add_worksheet(wb, sheet_name.c_str());
  lxw_worksheet* help = x.workbook_add_worksheet(wb, help_name.c_str());
  lxw_worksheet* lists_sheet = x.workbook_add_worksheet(wb, lists_name.c_str());
  WriteFormSheet(x, sheet, form, formats, lists_name);
  WriteListsSheet(x, lists_sheet, form, formats);
  WriteHelpSheet(x, help, form, formats, t, HelpNotes(t, awards, form.zh, out),
                 awards ? ledger::RecordType::kAward : ledger::RecordType::kPerson);
  lxw_error error = x.workbook_close(wb);
  if (error != LXW_NO_ERROR) return Status::IOError(out + ": " + x.lxw_strerror(error));
  return Status::Ok();
}

}  // namespace

int RunTemplate(const Globals& g, const std::string& village, const std::string& kind,
                const std::string& out) {
  auto ledger = OpenLedger(g);
  if (!ledger.ok()) return Fail(ledger.status());
  auto reader = (*ledger)->Snapshot();
  if (!reader.ok()) return Fail(reader.status());
  auto model = engine::LoadVillageStructure(**reader, village, (*reader)->HeadSequence());
  if (!model.ok()) return Fail(model.status());
  if (model->adoptions.empty())
    return Fail(Status::InvalidInput("village " + village + ": no rules adopted"));
  Date today = Timestamp::Now().LocalDate();
  const engine::Adoption* adoption = model->RulesInForce(today);
  if (adoption == nullptr) adoption = &model->adoptions.back();
  TemplateSubject subject{village, *model, *adoption->rules, today};
  // Chinese headers for a village's clerk, unless --lang en asks for English ones.
  TemplateForm form;
  form.zh = g.lang != "en";
  Words w{form.zh};
  const bool awards = kind == "awards";
  std::string village_list = form.AddList(w("village", "村"), {village});
  if (awards) {
    AddAwardColumns(subject, form, village_list);
  } else {
    AddRosterColumns(subject, form, village_list);
  }
  if (Status s = WriteTemplate(form, subject, awards, out); !s.ok()) return Fail(s);
  std::cout << w("wrote ", "已写出 ") << out << w(": ", "：") << form.columns.size()
            << w(" columns, ", " 列，") << form.lists.size() << w(" drop-down lists", " 个下拉列表")
            << '\n';
  return 0;
}

}  // namespace jifen::cli
