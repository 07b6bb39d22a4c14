// template: the workbook a clerk fills in (cli/template.h).
#include <dlfcn.h>
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
#include "ledger/headers.h"

namespace jifen::cli {
namespace {

// The functions of libxlsxwriter a template needs, typed from the installed header and loaded as
// cli/xlsxwriter_library.cc loads the board's (docs/PERFORMANCE.md "Process start").
#define JIFEN_TEMPLATE_FUNCTIONS(X)  \
  X(workbook_new)                    \
  X(workbook_add_worksheet)          \
  X(workbook_add_format)             \
  X(workbook_close)                  \
  X(format_set_bold)                 \
  X(format_set_bg_color)             \
  X(format_set_border)               \
  X(format_set_font_color)           \
  X(format_set_italic)               \
  X(format_set_num_format)           \
  X(format_set_text_wrap)            \
  X(worksheet_data_validation_range) \
  X(worksheet_freeze_panes)          \
  X(worksheet_hide)                  \
  X(worksheet_set_column)            \
  X(worksheet_write_number)          \
  X(worksheet_write_string)          \
  X(lxw_strerror)

struct Lxw {
#define JIFEN_TEMPLATE_MEMBER(name) decltype(&::name) name = nullptr;
  JIFEN_TEMPLATE_FUNCTIONS(JIFEN_TEMPLATE_MEMBER)
#undef JIFEN_TEMPLATE_MEMBER
};

Result<Lxw> LoadLxw() {
  const std::string install = " (install the Debian package libxlsxwriter" LXW_SOVERSION ")";
  void* handle = dlopen(kXlsxwriterSoname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr)
    return Status::IOError(std::string("template: cannot load libxlsxwriter: ") + dlerror() +
                           install);
  Lxw x;
  const char* missing = nullptr;
#define JIFEN_TEMPLATE_LOAD(name)                                    \
  x.name = reinterpret_cast<decltype(x.name)>(dlsym(handle, #name)); \
  if (x.name == nullptr && missing == nullptr) missing = #name;
  JIFEN_TEMPLATE_FUNCTIONS(JIFEN_TEMPLATE_LOAD)
#undef JIFEN_TEMPLATE_LOAD
  if (missing != nullptr)
    return Status::IOError(std::string("template: libxlsxwriter has no function ") + missing +
                           install);
  return x;
}

const ledger::ColumnName* ByChinese(const char* zh) {
  for (const auto& c : ledger::ColumnNames()) {
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
  const ledger::ColumnName* name;
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
  const grammar::RuleFile& rules = *adoption->rules;
  // Chinese headers for a village's clerk, unless --lang en asks for English ones.
  const bool zh = g.lang != "en";
  Words w{zh};
  const bool awards = kind == "awards";

  // The drop-down lists, each a column of the lists sheet.
  std::vector<std::pair<std::string, std::vector<std::string>>> lists;  // (header, values)
  auto add_list = [&](const std::string& header, std::vector<std::string> values) {
    if (values.empty()) return std::string();
    lists.emplace_back(header, std::move(values));
    return ledger::ColumnLetters(static_cast<int>(lists.size()) - 1);
  };
  std::vector<std::pair<std::string, std::string>> items, subjects, scorers, households;
  for (const grammar::Item& i : rules.items) items.emplace_back(i.code, i.name);
  for (const auto& [code, p] : model->persons) subjects.emplace_back(code, p.name);
  for (const auto& [code, h] : model->households) {
    subjects.emplace_back(code, h.name);
    households.emplace_back(code, h.name);
  }
  for (const auto& [code, s] : model->scorers) scorers.emplace_back(code, s.name);
  std::string village_list = add_list(w("village", "村"), {village});

  std::vector<Column> columns;
  auto column = [&](const char* chinese, const char* english_header = nullptr) -> Column& {
    const ledger::ColumnName* c = ByChinese(chinese);
    Column col{c, zh ? c->zh : (english_header ? english_header : c->en), "", false, false, "", -1};
    col.date = std::strcmp(c->field, "date") == 0 || std::strcmp(c->field, "since") == 0;
    columns.push_back(col);
    return columns.back();
  };
  const grammar::Item* first_item = nullptr;
  for (const grammar::Item& i : rules.items) {
    if (first_item == nullptr && i.points > Points()) first_item = &i;
  }
  std::string first_person = model->persons.empty() ? "P0101" : Choices(subjects).front();
  std::string first_household =
      model->households.empty() ? "H01" : model->households.begin()->first;
  Date example_day = today;
  if (awards) {
    Column& id = column("编号");
    id.example = w("example", "示例");
    Column& v = column("村");
    v.list = village_list, v.required = true, v.example = village;
    Column& date = column("日期");
    date.required = true, date.example_number = Serial(example_day);
    Column& subject = column("对象");
    subject.required = true, subject.list = add_list(w("subject", "对象"), Choices(subjects));
    subject.example = first_person;
    Column& item = column("项目");
    item.required = true, item.list = add_list(w("item", "项目"), Choices(items));
    item.example = first_item ? Choices({{first_item->code, first_item->name}}).front() : "C1.01";
    Column& qty = column("数量");
    qty.example_number = 1;
    Column& scorer = column("采集人");
    scorer.required = true, scorer.list = add_list(w("scorer", "采集人"), Choices(scorers));
    scorer.example = scorers.empty() ? "S1" : Choices(scorers).front();
    column("地点").example = w("village hall", "村委会");
    column("事由").example = first_item ? first_item->name : "";
    column("证据").example = first_item && first_item->evidence ? "photo-0305.jpg" : "";
  } else {
    Column& type = column("类型");
    type.required = true;
    type.example = w("example", "示例");
    type.list = add_list(w("type", "类型"), {ledger::KindWord(ledger::RecordType::kHousehold, zh),
                                             ledger::KindWord(ledger::RecordType::kPerson, zh)});
    Column& v = column("村");
    v.list = village_list, v.required = true, v.example = village;
    std::string household_list = add_list(w("household", "户号"), Choices(households));
    if (zh) {
      column("户号").list = household_list;
      column("户名");
      column("股数");
      column("人员编号").example = "P9901";
      column("姓名").example = "张三";
      Column& in = column("所在户");
      in.list = household_list, in.example = first_household;
    } else {
      Column& h = column("户号");
      h.list = household_list, h.example = first_household;
      column("人员编号").example = "P9901";
      column("姓名", "name").example = "Zhang San";
      column("股数");
    }
    Column& resident = column("身份");
    resident.list =
        add_list(w("resident", "身份"), zh ? std::vector<std::string>{"村民", "非村民"}
                                           : std::vector<std::string>{"villager", "non-villager"});
    resident.example = w("villager", "村民");
    Column& since = column("起始日期");
    since.required = true, since.example_number = Serial(example_day);
  }

  auto lxw = LoadLxw();
  if (!lxw.ok()) return Fail(lxw.status());
  const Lxw& x = *lxw;
  lxw_workbook* wb = x.workbook_new(out.c_str());
  if (wb == nullptr) return Fail(Status::IOError(out + ": cannot be written"));
  lxw_format* header = x.workbook_add_format(wb);
  x.format_set_bold(header);
  x.format_set_bg_color(header, 0xEFEFEF);
  x.format_set_border(header, LXW_BORDER_THIN);
  lxw_format* date_format = x.workbook_add_format(wb);
  x.format_set_num_format(date_format, "yyyy-mm-dd");
  lxw_format* example = x.workbook_add_format(wb);
  x.format_set_italic(example);
  x.format_set_font_color(example, 0x808080);
  lxw_format* example_date = x.workbook_add_format(wb);
  x.format_set_italic(example_date);
  x.format_set_font_color(example_date, 0x808080);
  x.format_set_num_format(example_date, "yyyy-mm-dd");
  lxw_format* wrap = x.workbook_add_format(wb);
  x.format_set_text_wrap(wrap);

  std::string sheet_name = awards ? w("awards", "积分登记") : w("roster", "花名册");
  std::string help_name = w("how to fill in", "填写说明");
  std::string lists_name = w("lists", "选项");
  lxw_worksheet* sheet = x.workbook_add_worksheet(wb, sheet_name.c_str());
  lxw_worksheet* help = x.workbook_add_worksheet(wb, help_name.c_str());
  lxw_worksheet* lists_sheet = x.workbook_add_worksheet(wb, lists_name.c_str());
  constexpr lxw_row_t kLastRow = 2000;

  for (size_t i = 0; i < columns.size(); ++i) {
    const Column& c = columns[i];
    auto col = static_cast<lxw_col_t>(i);
    x.worksheet_write_string(sheet, 0, col, c.header.c_str(), header);
    x.worksheet_set_column(
        sheet, col, col,
        c.date ? 12 : std::max<double>(10, 2.2 * static_cast<double>(c.header.size()) / 3 + 6),
        c.date ? date_format : nullptr);
    if (c.example_number >= 0) {
      x.worksheet_write_number(sheet, 1, col, c.example_number, c.date ? example_date : example);
    } else if (!c.example.empty()) {
      x.worksheet_write_string(sheet, 1, col, c.example.c_str(), example);
    }
    lxw_data_validation v{};
    std::string formula, title, message;
    if (!c.list.empty()) {
      size_t index = static_cast<size_t>(c.list[0] - 'A');
      formula = "='" + lists_name + "'!$" + c.list + "$2:$" + c.list + "$" +
                std::to_string(lists[index].second.size() + 1);
      v.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
      v.value_formula = formula.data();
      v.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
      title = c.header;
      message = zh ? "不在下拉列表中；也可填代码（如 H01、P0101、C1.01）"
                   : "not in the list; a code (H01, P0101, C1.01) also works";
    } else if (c.date) {
      v.validate = LXW_VALIDATION_TYPE_DATE;
      v.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
      v.minimum_datetime = lxw_datetime{2000, 1, 1, 0, 0, 0};
      v.maximum_datetime = lxw_datetime{2099, 12, 31, 0, 0, 0};
      v.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
      title = c.header;
      message = w("a date, e.g. 2022-03-05", "请填日期，如 2022-03-05");
    } else if (std::strcmp(c.name->field, "qty") == 0 ||
               std::strcmp(c.name->field, "shares") == 0) {
      v.validate = LXW_VALIDATION_TYPE_DECIMAL;
      v.criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO;
      v.value_number = 0;
      v.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
      title = c.header;
      message = w("a number", "请填数字");
    } else {
      continue;
    }
    v.error_title = title.data();
    v.error_message = message.data();
#if defined(__SANITIZE_ADDRESS__)
    // libxlsxwriter 1.1.4 never frees its copy of a list validation's formula (a few bytes a
    // column, until the process ends): not jifen's leak to report in sanitizer builds.
    __lsan_disable();
#endif
    x.worksheet_data_validation_range(sheet, 1, col, kLastRow, col, &v);
#if defined(__SANITIZE_ADDRESS__)
    __lsan_enable();
#endif
  }
  x.worksheet_freeze_panes(sheet, 1, 0);

  // The lists sheet, hidden: one column per drop-down.
  for (size_t i = 0; i < lists.size(); ++i) {
    auto col = static_cast<lxw_col_t>(i);
    x.worksheet_write_string(lists_sheet, 0, col, lists[i].first.c_str(), header);
    x.worksheet_set_column(lists_sheet, col, col, 24, nullptr);
    for (size_t r = 0; r < lists[i].second.size(); ++r) {
      x.worksheet_write_string(lists_sheet, static_cast<lxw_row_t>(r + 1), col,
                               lists[i].second[r].c_str(), nullptr);
    }
  }
  x.worksheet_hide(lists_sheet);

  // The help sheet: what each column takes, then how to import.
  const char* help_headers_zh[] = {"列", "列名", "必填", "填写说明", "示例"};
  const char* help_headers_en[] = {"column", "header", "required", "what to write", "example"};
  for (lxw_col_t c = 0; c < 5; ++c)
    x.worksheet_write_string(help, 0, c, zh ? help_headers_zh[c] : help_headers_en[c], header);
  x.worksheet_set_column(help, 0, 0, 6, nullptr);
  x.worksheet_set_column(help, 1, 1, 12, nullptr);
  x.worksheet_set_column(help, 2, 2, 8, nullptr);
  x.worksheet_set_column(help, 3, 3, 70, wrap);
  x.worksheet_set_column(help, 4, 4, 24, nullptr);
  ledger::RecordType main_type = awards ? ledger::RecordType::kAward : ledger::RecordType::kPerson;
  for (size_t i = 0; i < columns.size(); ++i) {
    const Column& c = columns[i];
    auto row = static_cast<lxw_row_t>(i + 1);
    bool required = c.required;
    for (const auto& spec : ledger::FieldsOf(main_type)) {
      if (std::strcmp(spec.json_name, c.name->field) == 0 && spec.required &&
          std::strcmp(c.name->field, "household") != 0)
        required = true;
    }
    std::string help_text = zh ? c.name->zh_help : c.name->en_help;
    if (std::strcmp(c.name->field, "type") == 0) {
      help_text = zh ? "户 或 人员（示例行写“示例”，导入时跳过）"
                     : "household or person (the example row says \"example\" and is skipped)";
    }
    if (std::strcmp(c.name->field, "id") == 0) {
      help_text += zh ? "。示例行在这一列写“示例”，导入时跳过"
                      : ". The example row says \"example\" here and is skipped";
    }
    x.worksheet_write_string(help, row, 0, ledger::ColumnLetters(static_cast<int>(i)).c_str(),
                             nullptr);
    x.worksheet_write_string(help, row, 1, c.header.c_str(), nullptr);
    x.worksheet_write_string(help, row, 2, required ? w("yes", "是") : "", nullptr);
    x.worksheet_write_string(help, row, 3, help_text.c_str(), wrap);
    std::string ex = c.example_number >= 0 ? (c.date ? example_day.ToString() : "1") : c.example;
    x.worksheet_write_string(help, row, 4, ex.c_str(), nullptr);
  }
  std::vector<std::string> notes =
      zh ? std::vector<
               std::
                   string>{"第 2 行是示例，导入时跳过；从第 3 行起每行填一条记录，空行不算。",
                           std::string("村：") + village + "（" + rules.village.name +
                               "）。项目、对象、采集人、户号可填代码，也可填名称；名称重名时导入会列出同名者，请改填代码。",
                           "日期可写 2022-03-05、2022/3/5 或 2022年3月5日，也可用 Excel 的日期格式。",
                           awards
                               ? "填好后保存，用 jifen import " + out +
                                     " 导入（全部通过才写入账本，有错时逐行列出，不写入任何一条）。"
                               : "先写户，再写该户的人员；填好后保存，用 jifen import " + out +
                                     " 导入。",
                           "下拉列表取自 " + today.ToString() + " 生效的细则和账本中的登记。"}
         : std::vector<std::string>{
               "Row 2 is an example and is skipped by import; write one record a row from row 3 on.",
               "village: " + village + " (" + rules.village.name +
                   "). Items, subjects, scorers and households may be given by code or by a unique name.",
               "Dates: 2022-03-05, 2022/3/5 or 2022年3月5日, or an Excel date.",
               "Save, then: jifen import " + out +
                   " (all or nothing: every bad row is listed and nothing is written).",
               "The drop-down lists are the rules in force on " + today.ToString() +
                   " and the ledger's registrations."};
  for (size_t i = 0; i < notes.size(); ++i) {
    x.worksheet_write_string(help, static_cast<lxw_row_t>(columns.size() + 2 + i), 0,
                             notes[i].c_str(), nullptr);
  }

  lxw_error error = x.workbook_close(wb);
  if (error != LXW_NO_ERROR) return Fail(Status::IOError(out + ": " + x.lxw_strerror(error)));
  std::cout << w("wrote ", "已写出 ") << out << w(": ", "：") << columns.size()
            << w(" columns, ", " 列，") << lists.size() << w(" drop-down lists", " 个下拉列表")
            << '\n';
  return 0;
}

}  // namespace jifen::cli
