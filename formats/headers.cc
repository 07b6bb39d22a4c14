#include "formats/headers.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "ledger/record_type.h"

namespace jifen::formats {
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
    {"type", "type", "类型", 0,
     "what the row records: household, person, move, scorer, award, redeem, revoke, approve, objection",
     "这一行是什么记录：户、人员、迁户、采集人、积分、兑换、撤销、审核、异议"},
    {"village", "village", "村", kAll, "the village's code (e.g. SYS), or its name",
     "村代码（如 SYS），或村名"},
    {"village", nullptr, "村代码", 0, "", ""},
    {"id", "id", "编号", kAward | kRedeem | kPost | kObjection | kRuling,
     "the record's id, unique in the village; required "
     "for awards in a village with review",
     "这条记录的编号，村内不重复；需审核的村，积分记录必须有编号"},
    {"id", nullptr, "记录编号", 0, "", ""},
    {"household", "household", "户号", kHousehold | kRedeem | kObjection,
     "the household's code (e.g. H01), or its name", "户的代码（如 H01），或户名"},
    {"person", "person", "人员编号", kPerson | kMove,
     "the person's code (e.g. P0101), or their name", "人员代码（如 P0101），或姓名"},
    {"scorer", "scorer", "采集人",
     kScorer | kAward | kRevoke | kRedeem | kApprove | kPost | kRuling,
     "the scorer's code, or their name", "采集人（评分人）代码，或姓名"},
    {"scorer", nullptr, "采集人编号", 0, "", ""},
    {"scorer", nullptr, "审核人", kApprove, "the reviewing scorer",
     "审核人（有审核权的采集人）代码或姓名"},
    {"scorer", nullptr, "记录人", kObjection, "the scorer who records it (optional)",
     "记录这条异议的采集人（可不填）"},
    {"name", "name", "户名", kHousehold, "the household's name (usually the head's)",
     "户名（通常为户主姓名）"},
    {"name", nullptr, "姓名", kPerson | kScorer, "the person's name", "姓名"},
    {"name", nullptr, "名称", 0, "", ""},
    {"household", nullptr, "所在户", kPerson, "the household's code, or its name",
     "所在户的户号，或户名"},
    {"household", nullptr, "迁入户", kMove, "the household moved to: code or name",
     "迁入的户号，或户名"},
    {"household", nullptr, "户", 0, "", ""},
    {"role", "role", "角色", kScorer, "the role, as the rules' `by` names it",
     "角色，与细则中 by 后的角色一致（如 网格员）"},
    {"role", nullptr, "职务", 0, "", ""},
    {"person", nullptr, "本人编号", kScorer, "the scorer's own person code (optional)",
     "采集人本人的人员编号（可不填）"},
    {"since", "since", "起始日期", kHousehold | kPerson, "the day the registration takes effect",
     "登记生效的日期"},
    {"since", nullptr, "登记日期", 0, "", ""},
    {"since", nullptr, "入户日期", 0, "", ""},
    {"shares", "shares", "股数", kHousehold, "shares in the collective (optional, 0)",
     "集体经济股数（可不填，默认 0）"},
    {"shares", nullptr, "股份", 0, "", ""},
    {"resident", "resident", "身份", kPerson, "villager or non-villager (optional, villager)",
     "村民 或 非村民（可不填，默认 村民）"},
    {"date", "date", "日期", kMove | kAward | kRedeem,
     "the event's date: 2022-03-05, 2022/3/5 or 2022年3月5日",
     "事件日期，如 2022-03-05、2022/3/5 或 2022年3月5日"},
    {"date", nullptr, "迁移日期", 0, "", ""},
    {"subject", "subject", "对象", kAward,
     "who scores: a person (code or name) or a household (code or name)",
     "得分的人（人员编号或姓名）或户（户号或户名）"},
    {"subject", nullptr, "姓名或户名", 0, "", ""},
    {"item", "item", "项目", kAward, "the rules' item: code (e.g. C1.01) or name",
     "细则中的项目代码（如 C1.01）或项目名称"},
    {"item", nullptr, "积分项目", 0, "", ""},
    {"reward", "reward", "奖品", kRedeem, "the reward: code or name", "兑换的奖品：代码或名称"},
    {"reward", nullptr, "兑换物品", 0, "", ""},
    {"qty", "qty", "数量", kAward | kRedeem,
     "quantity (optional, 1); a unit item takes up to 2 decimals, e.g. 2.5",
     "数量（可不填，默认 1）；按量计分的项目可有两位小数，如 2.5"},
    {"place", "place", "地点", kAward, "where (optional)", "地点（可不填）"},
    {"reason", "reason", "事由", kAward | kRevoke | kObjection | kRuling,
     "why (required for revoke, objection, ruling)", "事由（撤销、异议、裁定必填）"},
    {"reason", nullptr, "理由", 0, "", ""},
    {"reason", nullptr, "原因", 0, "", ""},
    {"evidence", "evidence", "证据", kAward, "evidence file names, separated by ;",
     "证据文件名，多个用 ; 分隔"},
    {"target", "target", "对应记录", kRevoke | kApprove | kObjection | kRuling,
     "the id of the record it names (an award's or redemption's; a ruling: the objection's)",
     "所指记录的编号（撤销、审核、异议：积分或兑换的编号；裁定：异议的编号）"},
    {"objection", "objection", "依据异议", kAward,
     "an upheld objection to the household's figures this award corrects (optional)",
     "据以补记的异议编号：某户积分的异议裁定成立后补记漏记的一笔（可不填）"},
    {"target", nullptr, "被撤销记录", 0, "", ""},
    {"target", nullptr, "审核记录", 0, "", ""},
    {"target", nullptr, "异议记录", 0, "", ""},
    {"period", "period", "期间", kPost | kObjection, "the period: 2022-03 or 2022-Q1",
     "期间：2022-03 或 2022-Q1"},
    {"period", nullptr, "月份", 0, "", ""},
    {"filed_by", "filed_by", "提出人", kObjection, "the villager who objects", "提出异议的村民"},
    {"filed_by", nullptr, "异议人", 0, "", ""},
    {"outcome", "outcome", "裁定结果", kRuling, "upheld or dismissed",
     "成立 或 不成立（upheld / dismissed）"},
    {"head", "head", "账本头", kPost, "the ledger head the board showed (optional)",
     "公示时账本头（可不填）"},
    {"recorded", "recorded", "录入时间", 0, "recorded time (RFC 3339, optional)",
     "录入时间（RFC 3339，可不填）"},
};

// The kinds a sheet's type column takes, in the order a template lists them, with the words a
// clerk may write besides the record-type table's (ledger/record_type.h).
struct KindName {
  RecordType type;
  const char* synonyms[3];
};
constexpr KindName kKinds[] = {
    {T::kHousehold, {"农户", "家庭", nullptr}}, {T::kPerson, {"村民", "成员", nullptr}},
    {T::kMove, {"迁移", "迁入", nullptr}},      {T::kScorer, {"评分人", nullptr, nullptr}},
    {T::kAward, {"记分", "加分", "扣分"}},      {T::kRedeem, {"积分兑换", nullptr, nullptr}},
    {T::kRevoke, {"作废", nullptr, nullptr}},   {T::kApprove, {"审核通过", nullptr, nullptr}},
    {T::kPost, {"张榜", nullptr, nullptr}},     {T::kObjection, {nullptr, nullptr, nullptr}},
    {T::kRuling, {nullptr, nullptr, nullptr}},
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
      "period", "place",    "reason",    "evidence", "objection", "filed_by", "outcome", "head"};
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
  const ledger::RecordTypeRow& row = ledger::RecordTypeInfo(type);
  return chinese ? row.zh : row.en;
}

std::optional<RecordType> KindFromWord(std::string_view word) {
  word = Trim(word);
  for (const KindName& k : kKinds) {
    if (word == KindWord(k.type, true) || SameAsciiCaseless(word, KindWord(k.type, false)))
      return k.type;
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
    out += KindWord(k.type, chinese);
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
