#include "formats/headers.h"

#include <algorithm>
#include <charconv>
#include <cstring>

namespace jifen::formats {

using ledger::RecordTypeName;
namespace {

using T = RecordType;
constexpr uint32_t kHousehold = KindBit(T::kHousehold), kPerson = KindBit(T::kPerson),
                   kMove = KindBit(T::kMove), kScorer = KindBit(T::kScorer),
                   kAward = KindBit(T::kAward), kRevoke = KindBit(T::kRevoke),
                   kRedeem = KindBit(T::kRedeem), kApprove = KindBit(T::kApprove),
                   kPost = KindBit(T::kPost), kObjection = KindBit(T::kObjection),
                   kRuling = KindBit(T::kRuling);
constexpr uint32_t kAll = kHousehold | kPerson | kMove | kScorer | kAward | kRevoke | kRedeem |
                          kApprove | kPost | kObjection | kRuling;

// THE table (docs/IMPORT.md "Columns" is written from it). The first name of each field is its
// English header too; the names after it with en == nullptr are Chinese synonyms, or Chinese names
// that a kind of row shows in its template (所在户 for a person's household).
constexpr ColumnName kColumns[] = {
    {"type", "类型", "type", 0,
     "这一行是什么记录：户、人员、迁户、采集人、积分、兑换、撤销、审核、异议",
     "what the row records: household, person, move, scorer, award, redeem, revoke, approve, objection"},
    {"village", "村", "village", kAll, "村代码（如 SYS），或村名",
     "the village's code (e.g. SYS), or its name"},
    {"village", "村代码", nullptr, 0, "", ""},
    {"id", "编号", "id", kAward | kRedeem | kPost | kObjection | kRuling,
     "这条记录的编号，村内不重复；需审核的村，积分记录必须有编号",
     "the record's id, unique in the village; required "
     "for awards in a village with review"},
    {"id", "记录编号", nullptr, 0, "", ""},
    {"household", "户号", "household", kHousehold | kRedeem | kObjection,
     "户的代码（如 H01），或户名", "the household's code (e.g. H01), or its name"},
    {"person", "人员编号", "person", kPerson | kMove, "人员代码（如 P0101），或姓名",
     "the person's code (e.g. P0101), or their name"},
    {"scorer", "采集人", "scorer",
     kScorer | kAward | kRevoke | kRedeem | kApprove | kPost | kRuling,
     "采集人（评分人）代码，或姓名", "the scorer's code, or their name"},
    {"scorer", "采集人编号", nullptr, 0, "", ""},
    {"scorer", "审核人", nullptr, kApprove, "审核人（有审核权的采集人）代码或姓名",
     "the reviewing scorer"},
    {"scorer", "记录人", nullptr, kObjection, "记录这条异议的采集人（可不填）",
     "the scorer who records it (optional)"},
    {"name", "户名", "name", kHousehold, "户名（通常为户主姓名）",
     "the household's name (usually the head's)"},
    {"name", "姓名", nullptr, kPerson | kScorer, "姓名", "the person's name"},
    {"name", "名称", nullptr, 0, "", ""},
    {"household", "所在户", nullptr, kPerson, "所在户的户号，或户名",
     "the household's code, or its name"},
    {"household", "迁入户", nullptr, kMove, "迁入的户号，或户名",
     "the household moved to: code or name"},
    {"household", "户", nullptr, 0, "", ""},
    {"role", "角色", "role", kScorer, "角色，与细则中 by 后的角色一致（如 网格员）",
     "the role, as the rules' `by` names it"},
    {"role", "职务", nullptr, 0, "", ""},
    {"person", "本人编号", nullptr, kScorer, "采集人本人的人员编号（可不填）",
     "the scorer's own person code (optional)"},
    {"since", "起始日期", "since", kHousehold | kPerson, "登记生效的日期",
     "the day the registration takes effect"},
    {"since", "登记日期", nullptr, 0, "", ""},
    {"since", "入户日期", nullptr, 0, "", ""},
    {"shares", "股数", "shares", kHousehold, "集体经济股数（可不填，默认 0）",
     "shares in the collective (optional, 0)"},
    {"shares", "股份", nullptr, 0, "", ""},
    {"resident", "身份", "resident", kPerson, "村民 或 非村民（可不填，默认 村民）",
     "villager or non-villager (optional, villager)"},
    {"date", "日期", "date", kMove | kAward | kRedeem,
     "事件日期，如 2022-03-05、2022/3/5 或 2022年3月5日",
     "the event's date: 2022-03-05, 2022/3/5 or 2022年3月5日"},
    {"date", "迁移日期", nullptr, 0, "", ""},
    {"subject", "对象", "subject", kAward, "得分的人（人员编号或姓名）或户（户号或户名）",
     "who scores: a person (code or name) or a household (code or name)"},
    {"subject", "姓名或户名", nullptr, 0, "", ""},
    {"item", "项目", "item", kAward, "细则中的项目代码（如 C1.01）或项目名称",
     "the rules' item: code (e.g. C1.01) or name"},
    {"item", "积分项目", nullptr, 0, "", ""},
    {"reward", "奖品", "reward", kRedeem, "兑换的奖品：代码或名称", "the reward: code or name"},
    {"reward", "兑换物品", nullptr, 0, "", ""},
    {"qty", "数量", "qty", kAward | kRedeem,
     "数量（可不填，默认 1）；按量计分的项目可有两位小数，如 2.5",
     "quantity (optional, 1); a unit item takes up to 2 decimals, e.g. 2.5"},
    {"place", "地点", "place", kAward, "地点（可不填）", "where (optional)"},
    {"reason", "事由", "reason", kAward | kRevoke | kObjection | kRuling,
     "事由（撤销、异议、裁定必填）", "why (required for revoke, objection, ruling)"},
    {"reason", "理由", nullptr, 0, "", ""},
    {"reason", "原因", nullptr, 0, "", ""},
    {"evidence", "证据", "evidence", kAward, "证据文件名，多个用 ; 分隔",
     "evidence file names, separated by ;"},
    {"target", "对应记录", "target", kRevoke | kApprove | kObjection | kRuling,
     "所指记录的编号（撤销、审核、异议：积分或兑换的编号；裁定：异议的编号）",
     "the id of the record it names (an award's or redemption's; a ruling: the objection's)"},
    {"target", "被撤销记录", nullptr, 0, "", ""},
    {"target", "审核记录", nullptr, 0, "", ""},
    {"target", "异议记录", nullptr, 0, "", ""},
    {"period", "期间", "period", kPost | kObjection, "期间：2022-03 或 2022-Q1",
     "the period: 2022-03 or 2022-Q1"},
    {"period", "月份", nullptr, 0, "", ""},
    {"filed_by", "提出人", "filed_by", kObjection, "提出异议的村民", "the villager who objects"},
    {"filed_by", "异议人", nullptr, 0, "", ""},
    {"outcome", "裁定结果", "outcome", kRuling, "成立 或 不成立（upheld / dismissed）",
     "upheld or dismissed"},
    {"head", "账本头", "head", kPost, "公示时账本头（可不填）",
     "the ledger head the board showed (optional)"},
    {"recorded", "录入时间", "recorded", 0, "录入时间（RFC 3339，可不填）",
     "recorded time (RFC 3339, optional)"},
};

struct KindName {
  RecordType type;
  const char* zh;
  const char* en;
  const char* synonyms[3];
};
constexpr KindName kKinds[] = {
    {T::kHousehold, "户", "household", {"农户", "家庭", nullptr}},
    {T::kPerson, "人员", "person", {"村民", "成员", nullptr}},
    {T::kMove, "迁户", "move", {"迁移", "迁入", nullptr}},
    {T::kScorer, "采集人", "scorer", {"评分人", nullptr, nullptr}},
    {T::kAward, "积分", "award", {"记分", "加分", "扣分"}},
    {T::kRedeem, "兑换", "redeem", {"积分兑换", nullptr, nullptr}},
    {T::kRevoke, "撤销", "revoke", {"作废", nullptr, nullptr}},
    {T::kApprove, "审核", "approve", {"审核通过", nullptr, nullptr}},
    {T::kPost, "公示", "post", {"张榜", nullptr, nullptr}},
    {T::kObjection, "异议", "objection", {nullptr, nullptr, nullptr}},
    {T::kRuling, "裁定", "ruling", {nullptr, nullptr, nullptr}},
};

bool SameAsciiCaseless(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Trims ASCII spaces, tabs, U+3000 (ideographic space) and U+00A0 from both ends.
std::string_view Trim(std::string_view s) {
  for (;;) {
    if (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
      s.remove_prefix(1);
    } else if (s.starts_with("\xE3\x80\x80")) {
      s.remove_prefix(3);
    } else if (s.starts_with("\xC2\xA0")) {
      s.remove_prefix(2);
    } else {
      break;
    }
  }
  for (;;) {
    if (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
      s.remove_suffix(1);
    } else if (s.ends_with("\xE3\x80\x80")) {
      s.remove_suffix(3);
    } else if (s.ends_with("\xC2\xA0")) {
      s.remove_suffix(2);
    } else {
      break;
    }
  }
  return s;
}

// Reads digits at *s into *value (at most 4); false without any.
bool Digits(std::string_view* s, int* value, size_t digits_max) {
  size_t n = 0;
  while (n < s->size() && n < digits_max && (*s)[n] >= '0' && (*s)[n] <= '9') ++n;
  if (n == 0) return false;
  std::from_chars(s->data(), s->data() + n, *value);
  s->remove_prefix(n);
  return true;
}

}  // namespace

std::span<const ColumnName> ColumnNames() { return kColumns; }

const ColumnName* FindColumn(std::string_view header, bool* chinese) {
  std::string_view h = Trim(header);
  for (;;) {  // notes and marks at the end: "数量（小时）", "日期*", "qty (hours)"
    std::string_view before = h;
    if (h.ends_with("*")) h.remove_suffix(1);
    if (h.ends_with("\xEF\xBC\x8A")) h.remove_suffix(3);  // ＊
    if (h.ends_with(")")) {
      size_t open = h.rfind('(');
      if (open != std::string_view::npos && open > 0) h = h.substr(0, open);
    }
    if (h.ends_with("\xEF\xBC\x89")) {        // ）
      size_t open = h.rfind("\xEF\xBC\x88");  // （
      if (open != std::string_view::npos && open > 0) h = h.substr(0, open);
    }
    h = Trim(h);
    if (h == before) break;
  }
  for (const ColumnName& c : kColumns) {
    if (h == c.zh) {
      *chinese = true;
      return &c;
    }
    if (c.en != nullptr && SameAsciiCaseless(h, c.en)) {
      *chinese = false;
      return &c;
    }
  }
  return nullptr;
}

std::vector<const ColumnName*> TemplateColumns(RecordType type) {
  std::vector<const ColumnName*> columns;
  for (const ColumnName& c : kColumns) {
    if ((c.kinds & KindBit(type)) != 0) columns.push_back(&c);
  }
  // The template's order: who and when, what, how much, then the rest as the table has it.
  static constexpr const char* kOrder[] = {
      "id",     "village",  "household", "person",   "scorer",   "name",    "role", "since",
      "shares", "resident", "date",      "subject",  "item",     "reward",  "qty",  "target",
      "period", "place",    "reason",    "evidence", "filed_by", "outcome", "head"};
  auto rank = [](const ColumnName* c) {
    for (size_t i = 0; i < std::size(kOrder); ++i) {
      if (std::strcmp(kOrder[i], c->field) == 0) return i;
    }
    return std::size(kOrder);
  };
  std::stable_sort(columns.begin(), columns.end(),
                   [&](auto* a, auto* b) { return rank(a) < rank(b); });
  // The scorer of an award comes after what it records.
  if (type == RecordType::kAward || type == RecordType::kRedeem) {
    auto scorer = std::find_if(columns.begin(), columns.end(),
                               [](auto* c) { return std::strcmp(c->field, "scorer") == 0; });
    if (scorer != columns.end()) {
      const ColumnName* s = *scorer;
      columns.erase(scorer);
      auto qty = std::find_if(columns.begin(), columns.end(),
                              [](auto* c) { return std::strcmp(c->field, "qty") == 0; });
      columns.insert(qty == columns.end() ? columns.end() : qty + 1, s);
    }
  }
  return columns;
}

const char* KindWord(RecordType type, bool chinese) {
  for (const KindName& k : kKinds) {
    if (k.type == type) return chinese ? k.zh : k.en;
  }
  return RecordTypeName(type);
}

std::optional<RecordType> KindFromWord(std::string_view word) {
  word = Trim(word);
  for (const KindName& k : kKinds) {
    if (word == k.zh || SameAsciiCaseless(word, k.en)) return k.type;
    for (const char* s : k.synonyms) {
      if (s != nullptr && word == s) return k.type;
    }
  }
  return std::nullopt;
}

std::string KindWords(bool chinese) {
  std::string out;
  for (const KindName& k : kKinds) {
    if (!out.empty()) out += chinese ? "、" : ", ";
    out += chinese ? k.zh : k.en;
  }
  return out;
}

std::optional<Date> ParseSpreadsheetDate(std::string_view text) {
  std::string_view s = Trim(text);
  int year = 0, month = 0, day = 0;
  if (s.size() == 8 &&
      std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    std::from_chars(s.data(), s.data() + 4, year);
    std::from_chars(s.data() + 4, s.data() + 6, month);
    std::from_chars(s.data() + 6, s.data() + 8, day);
    s = {};
  } else {
    if (!Digits(&s, &year, 4)) return std::nullopt;
    std::string_view separator;
    for (std::string_view sep : {"-", "/", ".", "\xE5\xB9\xB4"}) {  // 年
      if (s.starts_with(sep)) separator = sep;
    }
    if (separator.empty()) return std::nullopt;
    s.remove_prefix(separator.size());
    if (!Digits(&s, &month, 2)) return std::nullopt;
    std::string_view second = separator == "\xE5\xB9\xB4" ? "\xE6\x9C\x88" : separator;  // 月
    if (!s.starts_with(second)) return std::nullopt;
    s.remove_prefix(second.size());
    if (!Digits(&s, &day, 2)) return std::nullopt;
    if (separator == "\xE5\xB9\xB4" && s.starts_with("\xE6\x97\xA5"))
      s.remove_prefix(3);  // 日
    else if (separator == "\xE5\xB9\xB4" && s.starts_with("\xE5\x8F\xB7"))
      s.remove_prefix(3);  // 号
  }
  if (!s.empty()) {  // a time of day: " 0:00", " 00:00:00", "T08:00"
    if (s[0] != ' ' && s[0] != 'T') return std::nullopt;
    s.remove_prefix(1);
    s = Trim(s);
    int hour = 0, minute = 0, second = 0;
    if (!Digits(&s, &hour, 2) || !s.starts_with(":")) return std::nullopt;
    s.remove_prefix(1);
    if (!Digits(&s, &minute, 2)) return std::nullopt;
    if (s.starts_with(":")) {
      s.remove_prefix(1);
      if (!Digits(&s, &second, 2)) return std::nullopt;
    }
    if (!s.empty() || hour > 23 || minute > 59 || second > 59) return std::nullopt;
  }
  char iso[32];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  std::snprintf(iso, sizeof iso, "%04d-%02d-%02d", year, month, day);
  return Date::Parse(iso);
}

std::optional<Date> DateFromSerial(std::string_view number, bool date1904) {
  number = Trim(number);
  size_t dot = number.find('.');
  std::string_view whole = number.substr(0, dot);
  if (dot != std::string_view::npos) {
    std::string_view fraction = number.substr(dot + 1);
    if (fraction.empty() ||
        !std::all_of(fraction.begin(), fraction.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return std::nullopt;
  }
  int64_t days = 0;
  auto [end, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), days);
  if (ec != std::errc() || end != whole.data() + whole.size() || whole.empty() || days < 1 ||
      days > 2958465)
    return std::nullopt;  // 2958465 is 9999-12-31
  Date epoch = date1904 ? Date::FromCivil(1904, 1, 1) : Date::FromCivil(1899, 12, 30);
  if (!date1904) {
    if (days == 60)
      return std::nullopt;  // 1900-02-29, which Excel counts and the calendar does not
    if (days < 60) epoch = epoch.AddDays(1);
  }
  Date d = epoch.AddDays(static_cast<int32_t>(days));
  if (d.year() > 9999) return std::nullopt;
  return d;
}

std::string ColumnLetters(int column) {
  std::string letters;
  for (int n = column + 1; n > 0; n = (n - 1) / 26)
    letters.insert(letters.begin(), static_cast<char>('A' + (n - 1) % 26));
  return letters;
}

}  // namespace jifen::formats
