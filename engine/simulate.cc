#include "engine/simulate.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "engine/admission.h"
#include "engine/model.h"
#include "engine/replay.h"
#include "grammar/parser.h"

namespace jifen::engine {
namespace {

using ledger::Record;
using ledger::RecordType;

constexpr int32_t kOffsetMinutes = 8 * 60;  // every township using jifen is on +08:00
const Date kBeginning = Date::FromCivil(1, 1, 1);

// splitmix64: tiny, fast and the same sequence on every platform (std:: distributions are not).
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint64_t Below(uint64_t n) {
    assert(n > 0);
    return Next() % n;
  }
  int Between(int lo, int hi) {
    return lo + static_cast<int>(Below(static_cast<uint64_t>(hi - lo + 1)));
  }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Unit() < p; }
  // How many times an event with this expected count happens (the fraction decides the last one).
  int Count(double expected) {
    int whole = static_cast<int>(expected);
    return whole + (Chance(expected - whole) ? 1 : 0);
  }
  template <typename Container>
  auto Pick(const Container& c) -> decltype(c[0]) {
    return c[Below(c.size())];
  }

 private:
  uint64_t state_;
};

constexpr std::array<const char*, 100> kSurnames = {
    "张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡",
    "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
    "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏",
    "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金",
    "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹",
    "薛", "闫", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵",
    "万", "钱", "严", "覃", "武", "戴", "莫", "孔", "向", "汤"};
constexpr std::array<const char*, 60> kGivenNames = {
    "建国", "建华", "国强", "志强", "秀英", "桂英", "秀兰", "玉兰", "淑珍", "丽娟", "海燕", "红梅",
    "伟",   "芳",   "娜",   "敏",   "静",   "磊",   "洋",   "勇",   "军",   "杰",   "涛",   "明",
    "超",   "秀珍", "文华", "德胜", "福生", "春花", "冬梅", "子豪", "梓涵", "欣怡", "浩然", "宇轩",
    "雨桐", "金凤", "长林", "永刚", "保国", "卫东", "爱民", "学文", "振华", "俊峰", "晓燕", "丽华",
    "小龙", "佳怡", "红英", "凤兰", "德明", "树林", "玉梅", "春生", "建军", "海涛", "思远", "一鸣"};
constexpr std::array<const char*, 8> kPersonPlaces = {
    "村委会广场", "党群服务中心", "文化礼堂", "农家书屋", "田间地头", "村道", "河道", "林区"};
constexpr std::array<const char*, 3> kHouseholdPlaces = {"自家庭院", "房前屋后", "村道"};
constexpr std::array<const char*, 4> kRevokeReasons = {"重复登记", "信息有误", "记错户名",
                                                       "经核实不属实"};
constexpr std::array<const char*, 4> kDefaultRoles = {"网格员", "村民代表", "村两委", "驻村干部"};

std::string Padded(int64_t n, int width) {
  std::string digits = std::to_string(n);
  return digits.size() >= static_cast<size_t>(width)
             ? digits
             : std::string(width - digits.size(), '0') + digits;
}

// 2 → 二, 12 → 十二, 30 → 三十 (names of cloned villages: 双杨树村二).
std::string ChineseNumeral(int n) {
  static const char* kDigits[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  if (n < 10) return kDigits[n];
  if (n < 100) return std::string(n / 10 == 1 ? "" : kDigits[n / 10]) + "十" + kDigits[n % 10];
  return std::to_string(n);
}

Timestamp At(Date day, int seconds_of_day) {
  return Timestamp{int64_t{day.days()} * 86400 + seconds_of_day - int64_t{kOffsetMinutes} * 60,
                   kOffsetMinutes};
}

struct SimPerson {
  std::string code;
  std::string name;
  Date since;
  std::vector<std::pair<Date, int>> memberships;  // (from, household index) in date order
  bool linked = false;                            // a scorer is this person
  bool moved = false;

  int HouseholdOn(Date day) const {  // -1: none
    const int* household = MembershipOn(memberships, since, day);
    return household ? *household : -1;
  }
};

struct SimHousehold {
  std::string code;
  std::string name;
  Date since;
  int64_t shares = 1;
  double activity = 1;  // how keen on positive items
  double trouble = 1;   // how prone to negative items
};

struct SimScorer {
  std::string code;
  std::string name;
  std::string role;
  int person = -1;  // index into persons, -1 when not living in the village
  double weight = 1;
  bool self_scoring = false;  // scores their own household (self flag villages only)
  bool favouring = false;
};

// A generated record waiting for its recorded time, with what its arrival may take from a
// household's balance (negative awards, revocations of positive awards).
struct Pending {
  Record record;
  int village = 0;
  uint64_t order = 0;
  int household = -1;
  Date debit_date;
  Points debit;
};

struct SimVillage {
  int index = 0;
  std::string file;
  std::string text;
  std::shared_ptr<const grammar::RuleFile> rules;
  Rng rng{0};
  std::vector<SimHousehold> households;
  std::vector<SimPerson> persons;
  std::vector<SimScorer> scorers;
  std::vector<int> favoured;  // household indexes
  int favouring = -1;         // scorer index
  int awards = 0;
  int redemptions = 0;
  int evidence = 0;
  std::map<std::string, int64_t> stock_taken;  // reward, or reward + '/' + period

  const std::string& code() const { return rules->village.code; }
  bool Deny() const { return rules->village.self == grammar::SelfScoringPolicy::kDeny; }
};

// A record of `type` for village `v`; its order is given when it joins the pending records.
Pending NewPending(const SimVillage& v, RecordType type) {
  Pending p;
  p.village = v.index;
  p.record.type = type;
  p.record.village = v.code();
  return p;
}

// A household, person or scorer entering the register under `code` and `name`.
Pending NewRegistration(const SimVillage& v, RecordType type, const std::string& code,
                        const std::string& name) {
  Pending p = NewPending(v, type);
  p.record.code = code;
  p.record.name = name;
  return p;
}

Result<std::string> ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidInput(path.string() + ": cannot read");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

Result<std::shared_ptr<const grammar::RuleFile>> Parse(const std::string& text,
                                                       const std::string& file) {
  auto outcome = grammar::ParseRules(text, file);
  if (!outcome.rules) {
    std::string all;
    for (const auto& d : outcome.diagnostics) all += grammar::FormatDiagnostic(d);
    return Status::InvalidInput(all.empty() ? file + ": does not parse" : all);
  }
  return std::shared_ptr<const grammar::RuleFile>(
      std::make_shared<grammar::RuleFile>(std::move(*outcome.rules)));
}

// Rewrites the village header of a rule text to a new code and name (the clone of a village).
Result<std::string> RenameVillage(const std::string& text, const grammar::RuleFile& rules,
                                  const std::string& code, const std::string& name) {
  size_t start = 0;
  for (uint32_t line = 1; line < rules.village.location.line && start != std::string::npos;
       ++line) {
    start = text.find('\n', start);
    if (start != std::string::npos) ++start;
  }
  size_t end = start == std::string::npos ? start : text.find('\n', start);
  if (start == std::string::npos)
    return Status::InvalidInput(rules.file + ": village header not found");
  std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
  std::string quoted = "\"" + rules.village.name + "\"";
  size_t name_at = line.find(quoted);
  size_t keyword_end = line.find_first_of(" \t", line.find_first_not_of(" \t"));
  size_t code_at =
      keyword_end == std::string::npos ? keyword_end : line.find(rules.village.code, keyword_end);
  if (name_at == std::string::npos || code_at == std::string::npos || code_at > name_at) {
    return Status::InvalidInput(rules.file + ":" + std::to_string(rules.village.location.line) +
                                ": cannot rename the village header");
  }
  line.replace(name_at, quoted.size(), "\"" + name + "\"");
  line.replace(code_at, rules.village.code.size(), code);
  std::string out = text;
  out.replace(start, end == std::string::npos ? std::string::npos : end - start, line);
  return out;
}

// How often one subject (person or household) gets an item in a week, before its household's
// keenness: most items are positive and common, negatives are few, evidence items rare (a
// commendation, a blood donation), veto items rarer still.
double WeeklyRate(const grammar::Item& item) {
  bool positive = item.points > Points();
  if (item.veto) return 0.0002;
  if (!positive) return item.evidence ? 0.001 : 0.005;
  if (item.evidence) return 0.002;
  if (item.cap && item.cap->window == grammar::CapWindow::kYear) return 0.01;
  double rate = item.per == grammar::Per::kHousehold ? 0.3 : 0.17;
  // Big points are for big deeds: a +5 item happens less than a +1 item.
  double points = item.points.ToDouble();
  if (!item.unit && points > 2) rate *= 2 / points;
  return rate;
}

class Simulator {
 public:
  Simulator(ledger::Ledger& ledger, const SimulateOptions& options)
      : ledger_(ledger), options_(options), now_(At(Date::FromCivil(options.year + 2, 1, 1), 0)) {}

  Result<SimulateSummary> Run();

 private:
  Status LoadVillages();
  Status AdoptAll();
  void PlanVillage(SimVillage& v);
  void PlanHouseholds(SimVillage& v);
  void PlanScorers(SimVillage& v);
  void PlanMoves(SimVillage& v);
  void PlanFavour(SimVillage& v);
  void Registrations(SimVillage& v);
  void GenerateMonth(SimVillage& v, int month);
  void GenerateSlot(SimVillage& v, Date from, Date to);
  void GenerateAward(SimVillage& v, const grammar::Item& item, const std::string& subject,
                     int household, Date date, int scorer);
  int PickScorer(SimVillage& v, const grammar::Item& item, int household, Date date);
  Timestamp RecordedFor(SimVillage& v, Date date);
  void Add(Pending p);
  void Approve(SimVillage& v, const Record& award, int household);
  Status ImportBefore(Timestamp cut, const std::string& what);
  Status Import(std::vector<Pending>& batch, const std::string& what);
  Status RedemptionSession(int month);
  void RedeemFor(SimVillage& v, const HouseholdFigures& f, Points safe, Date day, Period p,
                 Timestamp at, std::vector<Pending>& out);

  ledger::Ledger& ledger_;
  SimulateOptions options_;
  Timestamp now_;
  std::vector<SimVillage> villages_;
  std::vector<Pending> pending_;
  uint64_t order_ = 0;
  SimulateSummary summary_;
};

Status Simulator::LoadVillages() {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(options_.villages_dir, ec)) {
    if (entry.path().extension() == ".rules") files.push_back(entry.path());
  }
  if (ec) return Status::InvalidInput(options_.villages_dir + ": " + ec.message());
  if (files.empty()) return Status::InvalidInput(options_.villages_dir + ": no .rules files");
  std::sort(files.begin(), files.end());
  std::vector<std::pair<std::string, std::shared_ptr<const grammar::RuleFile>>> originals;
  for (const auto& path : files) {
    auto text = ReadText(path);
    if (!text.ok()) return text.status();
    auto parsed = Parse(*text, path.string());
    if (!parsed.ok()) return parsed.status();
    originals.emplace_back(std::move(*text), *parsed);
  }
  std::set<std::string> codes;
  for (int i = 0; i < options_.villages; ++i) {
    const auto& [text, rules] = originals[i % originals.size()];
    int copy = i / static_cast<int>(originals.size()) + 1;
    SimVillage v;
    v.index = i;
    v.file = files[i % files.size()].filename().string();
    v.text = text;
    v.rules = rules;
    if (copy > 1) {
      std::string code = rules->village.code + std::to_string(copy);
      auto renamed = RenameVillage(text, *rules, code, rules->village.name + ChineseNumeral(copy));
      if (!renamed.ok()) return renamed.status();
      v.file = files[i % files.size()].stem().string() + "-" + std::to_string(copy) + ".rules";
      v.text = std::move(*renamed);
      auto parsed = Parse(v.text, v.file);
      if (!parsed.ok()) return parsed.status();
      v.rules = *parsed;
    }
    if (!codes.insert(v.code()).second) {
      return Status::InvalidInput(v.file + ": village code " + v.code() +
                                  " used by two rule files");
    }
    v.rng = Rng(options_.seed * 0x9e3779b97f4a7c15ULL +
                static_cast<uint64_t>(i) * 0xd1b54a32d192ed03ULL + 1);
    villages_.push_back(std::move(v));
  }
  return Status::Ok();
}

Status Simulator::AdoptAll() {
  Date eve = Date::FromCivil(options_.year - 1, 12, 31);
  for (const SimVillage& v : villages_) {
    AdoptRequest request;
    request.file = v.file;
    request.text = v.text;
    request.effective = Date::FromCivil(options_.year, 1, 1);
    request.approved_by = "村民代表大会 " + Date::FromCivil(options_.year - 1, 12, 20).ToString();
    request.recorded = At(eve, 9 * 3600 + v.index);
    auto adopted = AdoptRules(ledger_, request, now_);
    if (!adopted.ok()) return adopted.status();
    if (adopted->refusal) return Status::InvalidInput(v.file + ": " + adopted->refusal->English());
    ++summary_.records["rules"];
  }
  return Status::Ok();
}

void Simulator::PlanHouseholds(SimVillage& v) {
  int n = options_.households;
  int width = std::max<int>(3, static_cast<int>(std::to_string(n).size()));
  int joining = n >= 10 ? n / 25 : 0;  // a few households arrive during the year
  Date jan1 = Date::FromCivil(options_.year, 1, 1);
  Date feb1 = Date::FromCivil(options_.year, 2, 1), oct31 = Date::FromCivil(options_.year, 10, 31);
  static constexpr std::array<int, 20> kSizes = {1, 1, 2, 2, 2, 2, 2, 3, 3, 3,
                                                 3, 3, 3, 4, 4, 4, 4, 5, 5, 5};
  for (int h = 0; h < n; ++h) {
    SimHousehold household;
    household.code = "H" + Padded(h + 1, width);
    household.since =
        h >= n - joining ? feb1.AddDays(v.rng.Between(0, oct31.days() - feb1.days())) : jan1;
    household.shares = v.rng.Between(1, 5);
    household.activity = 0.4 + 1.2 * v.rng.Unit();
    household.trouble = v.rng.Chance(0.1) ? 2 + 3 * v.rng.Unit() : 0.3 + 0.7 * v.rng.Unit();
    std::string surname = v.rng.Pick(kSurnames);
    int size = v.rng.Pick(kSizes);
    for (int m = 0; m < size; ++m) {
      SimPerson person;
      person.code = "P" + household.code.substr(1) + Padded(m + 1, 2);
      person.name =
          (m == 1 ? std::string(v.rng.Pick(kSurnames)) : surname) + v.rng.Pick(kGivenNames);
      person.since = household.since;
      person.memberships.push_back({household.since, h});
      if (m == 0) household.name = person.name + "家";
      v.persons.push_back(std::move(person));
    }
    v.households.push_back(std::move(household));
  }
}

void Simulator::PlanScorers(SimVillage& v) {
  std::set<std::string> roles(kDefaultRoles.begin(), kDefaultRoles.end());
  for (const grammar::Item& item : v.rules->items)
    roles.insert(item.roles.begin(), item.roles.end());
  std::vector<std::string> wanted(roles.begin(), roles.end());
  int count = std::max<int>(v.rng.Between(4, 8), static_cast<int>(wanted.size()));
  while (static_cast<int>(wanted.size()) < count)
    wanted.push_back(v.rng.Chance(0.6) ? "网格员" : "村民代表");
  for (int s = 0; s < count; ++s) {
    SimScorer scorer;
    scorer.code = "S" + Padded(s + 1, 2);
    scorer.role = wanted[s];
    scorer.weight = scorer.role == "网格员"     ? 3
                    : scorer.role == "村民代表" ? 2
                    : scorer.role == "村两委"   ? 1.5
                                                : 0.8;
    // Resident cadres are sent by the township and live elsewhere; everyone else is a villager.
    if (scorer.role != "驻村干部") {
      for (int tries = 0; tries < 20 && scorer.person < 0; ++tries) {
        int p = static_cast<int>(v.rng.Below(v.persons.size()));
        const SimPerson& person = v.persons[p];
        if (!person.linked && person.since == Date::FromCivil(options_.year, 1, 1))
          scorer.person = p;
      }
    }
    if (scorer.person >= 0) {
      v.persons[scorer.person].linked = true;
      scorer.name = v.persons[scorer.person].name;
    } else {
      scorer.name = std::string(v.rng.Pick(kSurnames)) + v.rng.Pick(kGivenNames);
    }
    v.scorers.push_back(std::move(scorer));
  }
}

void Simulator::PlanMoves(SimVillage& v) {
  int moves = std::max<int>(1, static_cast<int>(v.persons.size()) / 100);
  if (v.households.size() < 2) return;
  Date from = Date::FromCivil(options_.year, 3, 1), to = Date::FromCivil(options_.year, 11, 30);
  for (int i = 0; i < moves; ++i) {
    for (int tries = 0; tries < 20; ++tries) {
      int p = static_cast<int>(v.rng.Below(v.persons.size()));
      SimPerson& person = v.persons[p];
      Date date = from.AddDays(v.rng.Between(0, to.days() - from.days()));
      int target = static_cast<int>(v.rng.Below(v.households.size()));
      int own = person.HouseholdOn(date);
      if (person.linked || person.moved || person.code.substr(person.code.size() - 2) == "01" ||
          own < 0 || target == own || v.households[target].since > date) {
        continue;
      }
      person.memberships.push_back({date, target});
      person.moved = true;
      Pending move = NewPending(v, RecordType::kMove);
      Record& r = move.record;
      r.code = person.code;
      r.household = v.households[target].code;
      r.date = date;
      // Early in the morning, before any award of that day is recorded.
      r.recorded = At(date, 7 * 3600 + v.rng.Between(0, 1800));
      Add(std::move(move));
      break;
    }
  }
}

void Simulator::PlanFavour(SimVillage& v) {
  bool favouring_village = v.index == static_cast<int>(options_.seed % options_.villages);
  std::vector<int> linked;
  for (size_t s = 0; s < v.scorers.size(); ++s) {
    if (v.scorers[s].person >= 0 &&
        (v.scorers[s].role == "网格员" || v.scorers[s].role == "村民代表")) {
      linked.push_back(static_cast<int>(s));
    }
  }
  if (favouring_village && !linked.empty() && v.households.size() >= 6) {
    v.favouring = linked[v.rng.Below(linked.size())];
    SimScorer& scorer = v.scorers[v.favouring];
    scorer.favouring = true;
    int own = v.persons[scorer.person].memberships.front().second;
    int want = v.rng.Between(2, 3);
    Date jan1 = Date::FromCivil(options_.year, 1, 1);
    while (static_cast<int>(v.favoured.size()) < want) {
      int h = static_cast<int>(v.rng.Below(v.households.size()));
      if (h == own || v.households[h].since != jan1 ||
          std::find(v.favoured.begin(), v.favoured.end(), h) != v.favoured.end()) {
        continue;
      }
      v.favoured.push_back(h);
    }
    std::sort(v.favoured.begin(), v.favoured.end());
    summary_.favouring_village = v.code();
    summary_.favouring_scorer = scorer.code;
    for (int h : v.favoured) summary_.favoured_households.push_back(v.households[h].code);
  }
  if (v.Deny()) return;
  int self = v.scorers.size() >= 6 ? 2 : 1;
  for (int s : linked) {
    if (self == 0) break;
    if (v.scorers[s].favouring) continue;
    v.scorers[s].self_scoring = true;
    summary_.self_scorers.push_back({v.code(), v.scorers[s].code});
    --self;
  }
}

void Simulator::PlanVillage(SimVillage& v) {
  PlanHouseholds(v);
  PlanScorers(v);
  PlanFavour(v);
  Registrations(v);
  PlanMoves(v);
}

// Households, people and scorers. Those there from the first day are registered on the eve of
// the year; households that arrive later are registered on their first day, before dawn.
void Simulator::Registrations(SimVillage& v) {
  Date eve = Date::FromCivil(options_.year - 1, 12, 31);
  int tick = 0;
  // Twenty a second on the eve; a newcomer household and its people all at 06:00 of their first
  // day (ties keep the order they are generated in: the household first).
  auto stamp = [&](Date since) {
    return since.year() < options_.year ? At(eve, 10 * 3600 + tick++ / 20) : At(since, 6 * 3600);
  };
  for (size_t h = 0; h < v.households.size(); ++h) {
    const SimHousehold& household = v.households[h];
    Pending p = NewRegistration(v, RecordType::kHousehold, household.code, household.name);
    Record& r = p.record;
    r.date = household.since;
    r.shares = household.shares;
    bool initial = household.since == Date::FromCivil(options_.year, 1, 1);
    r.recorded = stamp(initial ? eve : household.since);
    Add(std::move(p));
    for (const SimPerson& person : v.persons) {
      if (person.memberships.front().second != static_cast<int>(h)) continue;
      Pending q = NewRegistration(v, RecordType::kPerson, person.code, person.name);
      Record& pr = q.record;
      pr.household = household.code;
      pr.date = person.since;
      pr.resident = v.rng.Chance(0.05) ? "non-villager" : "villager";
      pr.recorded = stamp(initial ? eve : household.since);
      Add(std::move(q));
    }
  }
  for (const SimScorer& scorer : v.scorers) {
    Pending p = NewRegistration(v, RecordType::kScorer, scorer.code, scorer.name);
    Record& r = p.record;
    r.role = scorer.role;
    if (scorer.person >= 0) r.person = v.persons[scorer.person].code;
    r.recorded = stamp(eve);
    Add(std::move(p));
  }
}

void Simulator::Add(Pending p) {
  p.record.recorded_given = true;
  p.order = order_++;
  pending_.push_back(std::move(p));
}

// Most records are entered on the day or within a few days (周记录); a few wait for the month's
// end and arrive after the period closed, always within the village's `late` limit. Daytime
// only: 20:00–24:00 is kept for the points supermarket's redemptions.
Timestamp Simulator::RecordedFor(SimVillage& v, Date date) {
  double u = v.rng.Unit();
  int delay = u < 0.5    ? 0
              : u < 0.85 ? v.rng.Between(1, 3)
              : u < 0.97 ? v.rng.Between(4, 7)
                         : v.rng.Between(8, 12);
  Date day = date.AddDays(delay);
  if (const auto& late = v.rules->village.late_days_max) {
    Date limit = Period::Containing(date, v.rules->village.period).LastDay().AddDays(*late);
    day = std::min(day, limit);
  }
  return At(day, v.rng.Between(8 * 3600, 20 * 3600 - 1));
}

int Simulator::PickScorer(SimVillage& v, const grammar::Item& item, int household, Date date) {
  std::vector<int> eligible;
  double total = 0;
  for (size_t s = 0; s < v.scorers.size(); ++s) {
    const SimScorer& scorer = v.scorers[s];
    if (!item.roles.empty() &&
        std::find(item.roles.begin(), item.roles.end(), scorer.role) == item.roles.end()) {
      continue;
    }
    int own = scorer.person >= 0 ? v.persons[scorer.person].HouseholdOn(date) : -1;
    // Self-scorers record their own household only now and then (the grid's routine checks).
    if (own == household && (v.Deny() || !scorer.self_scoring || !v.rng.Chance(0.3))) continue;
    if (static_cast<int>(s) == v.favouring &&
        std::binary_search(v.favoured.begin(), v.favoured.end(), household) && v.rng.Chance(0.8)) {
      return static_cast<int>(s);
    }
    eligible.push_back(static_cast<int>(s));
    total += scorer.weight;
  }
  if (eligible.empty()) return -1;
  double x = v.rng.Unit() * total;
  for (int s : eligible) {
    x -= v.scorers[s].weight;
    if (x < 0) return s;
  }
  return eligible.back();
}

void Simulator::GenerateAward(SimVillage& v, const grammar::Item& item, const std::string& subject,
                              int household, Date date, int scorer) {
  if (scorer < 0) scorer = PickScorer(v, item, household, date);
  if (scorer < 0) return;
  Pending p = NewPending(v, RecordType::kAward);
  Record& r = p.record;
  r.id = v.code() + "-" + Padded(++v.awards, 6);
  r.date = date;
  r.subject = subject;
  r.item = item.code;
  if (item.unit)
    r.qty = Quantity::FromWhole(item.points < Points::FromWhole(1) ? v.rng.Between(2, 10)
                                                                   : v.rng.Between(1, 4));
  r.scorer = v.scorers[scorer].code;
  r.place = item.per == grammar::Per::kHousehold ? v.rng.Pick(kHouseholdPlaces)
                                                 : v.rng.Pick(kPersonPlaces);
  r.reason = item.name;
  if (item.evidence) {
    bool document = item.points < Points();
    r.evidence.push_back(std::string(document ? "doc:" : "photo:") + date.ToString() + "-" +
                         Padded(++v.evidence % 1000, 3) + (document ? ".pdf" : ".jpg"));
  }
  r.recorded = RecordedFor(v, date);
  Points raw = item.points.Times(r.qty);
  p.household = household;
  p.debit_date = date;
  if (raw < Points()) p.debit = -raw;
  // About one award in a hundred is revoked a few days later, by a committee member if any.
  if (v.rng.Chance(0.01)) {
    Pending revoke = NewPending(v, RecordType::kRevoke);
    Record& x = revoke.record;
    x.target = r.id;
    x.scorer = r.scorer;
    for (const SimScorer& s : v.scorers) {
      if (s.role == "村两委") x.scorer = s.code;
    }
    x.reason = v.rng.Pick(kRevokeReasons);
    x.recorded = At(r.recorded.LocalDate().AddDays(v.rng.Between(1, 10)),
                    v.rng.Between(8 * 3600, 20 * 3600 - 1));
    revoke.household = household;
    revoke.debit_date = date;
    if (raw > Points()) revoke.debit = raw;
    Add(std::move(revoke));
  } else {
    Approve(v, r, household);
  }
  Add(std::move(p));
}

// Under `review by`, an award by a scorer without a review role waits for an approval: a reviewer
// who is neither its scorer nor of its household approves most of them within a few days; about one
// in fifty is left pending (revoked ones are rejected, never approved).
void Simulator::Approve(SimVillage& v, const Record& award, int household) {
  const auto& roles = v.rules->village.review_roles;
  auto reviewer = [&](const SimScorer& s) {
    return std::find(roles.begin(), roles.end(), s.role) != roles.end();
  };
  if (roles.empty()) return;
  for (const SimScorer& s : v.scorers) {
    if (s.code == award.scorer && reviewer(s)) return;  // counts at once
  }
  if (v.rng.Chance(0.02)) return;
  std::vector<const SimScorer*> candidates;
  for (const SimScorer& s : v.scorers) {
    if (!reviewer(s) || s.code == award.scorer) continue;
    if (s.person >= 0 && v.persons[s.person].HouseholdOn(award.date) == household) continue;
    candidates.push_back(&s);
  }
  if (candidates.empty()) return;
  Pending approve = NewPending(v, RecordType::kApprove);
  approve.record.target = award.id;
  approve.record.scorer = v.rng.Pick(candidates)->code;
  approve.record.recorded = At(award.recorded.LocalDate().AddDays(v.rng.Between(1, 4)),
                               v.rng.Between(8 * 3600, 18 * 3600));
  Add(std::move(approve));
}

// One recording week (or the days of a month after its fourth week): every household's members
// and the household itself draw their awards for the days they existed in.
void Simulator::GenerateSlot(SimVillage& v, Date from, Date to) {
  double scale = (to.days() - from.days() + 1) / 7.0;
  std::vector<std::vector<int>> members(v.households.size());
  for (size_t p = 0; p < v.persons.size(); ++p) {
    int h = v.persons[p].HouseholdOn(from);
    if (h >= 0) members[h].push_back(static_cast<int>(p));
  }
  for (size_t h = 0; h < v.households.size(); ++h) {
    SimHousehold& household = v.households[h];
    if (household.since > to) continue;
    Date start = std::max(from, household.since);
    int days = to.days() - start.days() + 1;
    double here = scale * days / (to.days() - from.days() + 1);
    auto random_day = [&] { return start.AddDays(v.rng.Between(0, days - 1)); };
    for (const grammar::Item& item : v.rules->items) {
      double rate = WeeklyRate(item) * here *
                    (item.points > Points() ? household.activity : household.trouble);
      if (item.per == grammar::Per::kHousehold) {
        for (int n = v.rng.Count(rate); n > 0; --n)
          GenerateAward(v, item, household.code, h, random_day(), -1);
        continue;
      }
      for (int p : members[h]) {
        for (int n = v.rng.Count(rate); n > 0; --n) {
          Date day = random_day();
          if (v.persons[p].HouseholdOn(day) != static_cast<int>(h))
            continue;  // moved away meanwhile
          GenerateAward(v, item, v.persons[p].code, h, day, -1);
        }
      }
    }
    // The favouring scorer keeps finding something good to record about their friends.
    if (v.favouring >= 0 &&
        std::binary_search(v.favoured.begin(), v.favoured.end(), static_cast<int>(h))) {
      const SimScorer& scorer = v.scorers[v.favouring];
      for (int n = v.rng.Count(2.5 * here); n > 0; --n) {
        const grammar::Item& item = v.rng.Pick(v.rules->items);
        bool allowed = item.roles.empty() || std::find(item.roles.begin(), item.roles.end(),
                                                       scorer.role) != item.roles.end();
        if (item.points <= Points() || item.evidence || !allowed) continue;
        if (item.per == grammar::Per::kHousehold) {
          GenerateAward(v, item, household.code, h, random_day(), v.favouring);
        } else if (!members[h].empty()) {
          Date day = random_day();
          const SimPerson& person = v.persons[v.rng.Pick(members[h])];
          if (person.HouseholdOn(day) == static_cast<int>(h))
            GenerateAward(v, item, person.code, h, day, v.favouring);
        }
      }
    }
  }
}

void Simulator::GenerateMonth(SimVillage& v, int month) {
  Date first = Date::FromCivil(options_.year, month, 1);
  Date last = Period{PeriodKind::kMonth, options_.year, month}.LastDay();
  for (Date from = first; from <= last; from = from.AddDays(7)) {
    GenerateSlot(v, from, std::min(from.AddDays(6), last));
  }
}

Status Simulator::Import(std::vector<Pending>& batch, const std::string& what) {
  if (batch.empty()) return Status::Ok();
  std::vector<ImportLine> lines;
  lines.reserve(batch.size());
  for (size_t i = 0; i < batch.size(); ++i) {
    ++summary_.records[ledger::RecordTypeName(batch[i].record.type)];
    lines.push_back(ImportLine{"simulate", static_cast<int>(i + 1), std::move(batch[i].record)});
  }
  batch.clear();
  auto report = ImportRecords(ledger_, lines, now_);
  if (!report.ok()) return report.status();
  if (!report->errors.empty()) {
    std::string message = "simulate " + what + ": admission refused " +
                          std::to_string(report->errors.size()) + " generated records:";
    for (size_t i = 0; i < report->errors.size() && i < 10; ++i)
      message += "\n  " + report->errors[i];
    return Status::InvalidInput(message);
  }
  if (options_.progress) {
    options_.progress(what + ": " + std::to_string(report->appended) + " records, ledger head " +
                      std::to_string(report->head_sequence));
  }
  return Status::Ok();
}

Status Simulator::ImportBefore(Timestamp cut, const std::string& what) {
  auto earlier = [](const Pending& a, const Pending& b) {
    if (a.record.recorded.utc_seconds != b.record.recorded.utc_seconds) {
      return a.record.recorded.utc_seconds < b.record.recorded.utc_seconds;
    }
    return a.village != b.village ? a.village < b.village : a.order < b.order;
  };
  std::sort(pending_.begin(), pending_.end(), earlier);
  auto split = std::partition_point(pending_.begin(), pending_.end(),
                                    [&](const Pending& p) { return p.record.recorded < cut; });
  std::vector<Pending> batch(std::make_move_iterator(pending_.begin()),
                             std::make_move_iterator(split));
  pending_.erase(pending_.begin(), split);
  return Import(batch, what);
}

void Simulator::RedeemFor(SimVillage& v, const HouseholdFigures& f, Points safe, Date day, Period p,
                          Timestamp at, std::vector<Pending>& out) {
  const grammar::RuleFile& rules = *v.rules;
  bool spend_all = rules.village.clearing == grammar::Clearing::kPeriod ||
                   (rules.village.clearing == grammar::Clearing::kYear && p.IsLastOfYear());
  double chance =
      spend_all ? (rules.village.clearing == grammar::Clearing::kPeriod ? 0.35 : 0.8) : 0.12;
  if (safe <= Points() || !v.rng.Chance(chance)) return;
  Points budget = Points::FromCents(safe.cents() * (spend_all ? 8 : 6) / 10);
  std::string redeemer = v.scorers.front().code;
  for (const SimScorer& s : v.scorers) {
    if (s.role == "村两委") redeemer = s.code;
  }
  // Mostly one thing per visit (each redemption is checked against a replayed balance).
  for (int picks = v.rng.Chance(0.2) ? 2 : 1; picks > 0; --picks) {
    std::vector<const grammar::Reward*> affordable;
    for (const grammar::Reward& reward : rules.rewards) {
      if (reward.cost > budget || reward.cost <= Points()) continue;
      std::string key = reward.code + (reward.stock_per_period ? "/" + p.ToString() : "");
      if (reward.stock && v.stock_taken[key] >= *reward.stock) continue;
      affordable.push_back(&reward);
    }
    if (affordable.empty()) return;
    // Savers go for the big things; under monthly clearing people take whatever they can.
    if (!spend_all) {
      std::sort(
          affordable.begin(), affordable.end(),
          [](const grammar::Reward* a, const grammar::Reward* b) { return a->cost > b->cost; });
      affordable.resize(std::min<size_t>(affordable.size(), 2));
    }
    const grammar::Reward& reward = *v.rng.Pick(affordable);
    int64_t qty = !reward.stock && reward.cost.Times(2) <= budget && v.rng.Chance(0.4) ? 2 : 1;
    std::string key = reward.code + (reward.stock_per_period ? "/" + p.ToString() : "");
    v.stock_taken[key] += qty;
    budget -= reward.cost.Times(qty);
    Pending redeem = NewPending(v, RecordType::kRedeem);
    Record& r = redeem.record;
    r.id = v.code() + "-R" + Padded(++v.redemptions, 5);
    r.household = f.household;
    r.reward = reward.code;
    r.qty = Quantity::FromWhole(qty);
    r.date = day;
    r.scorer = redeemer;
    r.recorded = at;
    r.recorded_given = true;
    redeem.order = order_++;
    out.push_back(std::move(redeem));
  }
}

// The points supermarket opens on the month's last evening: each household that comes spends
// well within what it is sure to keep, i.e. its balance now less every negative award and
// revocation of a positive award that will still be recorded about the days before.
Status Simulator::RedemptionSession(int month) {
  Date day = Period{PeriodKind::kMonth, options_.year, month}.LastDay();
  std::vector<Pending> batch;
  auto reader = ledger_.Snapshot();
  if (!reader.ok()) return reader.status();
  for (SimVillage& v : villages_) {
    const grammar::RuleFile& rules = *v.rules;
    if (rules.rewards.empty()) continue;
    auto model = LoadVillage(**reader, v.code(), (*reader)->HeadSequence(), kBeginning, day);
    if (!model.ok()) return model.status();
    Period p = Period::Containing(day, rules.village.period);
    ReplayOptions replay_options;
    replay_options.events_through = day;
    auto figures = Replay(*model, p, p, replay_options);
    if (!figures.ok()) return figures.status();
    Date window = rules.village.clearing == grammar::Clearing::kPeriod ? p.FirstDay()
                  : rules.village.clearing == grammar::Clearing::kYear
                      ? Date::FromCivil(options_.year, 1, 1)
                      : kBeginning;
    std::map<std::string, Points> debits;
    for (const Pending& pending : pending_) {
      if (pending.village != v.index || pending.household < 0 || pending.debit == Points())
        continue;
      if (pending.debit_date < window || pending.debit_date > day) continue;
      debits[v.households[pending.household].code] += pending.debit;
    }
    Timestamp at = At(day, 20 * 3600 + std::min(v.index, 239) * 60);
    for (const HouseholdFigures& f : figures->back().households) {
      // Household codes are "H" and the 1-based index.
      const SimHousehold& household = v.households[std::stoul(f.household.substr(1)) - 1];
      if (household.since > day) continue;
      Points balance = f.carried + f.base + f.person_points + f.household_points - f.redeemed;
      RedeemFor(v, f, balance - debits[f.household], day, p, at, batch);
    }
  }
  reader.value().reset();
  return Import(batch,
                Period{PeriodKind::kMonth, options_.year, month}.ToString() + " redemptions");
}

Result<SimulateSummary> Simulator::Run() {
  if (options_.villages < 1 || options_.villages > 500)
    return Status::Usage("--villages: 1 to 500");
  if (options_.households < 1 || options_.households > 99999)
    return Status::Usage("--households: 1 to 99999");
  if (options_.year < 1971 || options_.year > 9000) return Status::Usage("--year: 1971 to 9000");
  {
    auto reader = ledger_.Snapshot();
    if (!reader.ok()) return reader.status();
    if ((*reader)->HeadSequence() != 0) {
      return Status::InvalidInput(
          "ledger: not empty; simulate fills a new ledger (choose another --ledger)");
    }
  }
  if (Status s = LoadVillages(); !s.ok()) return s;
  if (Status s = AdoptAll(); !s.ok()) return s;
  summary_.year = options_.year;
  for (SimVillage& v : villages_) {
    PlanVillage(v);
    SimulatedVillage out{v.code(),
                         v.rules->village.name,
                         v.file,
                         v.rules->village.period,
                         !v.rules->rewards.empty(),
                         v.rules->dividend.has_value(),
                         static_cast<int>(v.households.size()),
                         static_cast<int>(v.persons.size()),
                         static_cast<int>(v.scorers.size())};
    out.review = !v.rules->village.review_roles.empty();
    summary_.households += out.households;
    summary_.persons += out.persons;
    summary_.villages.push_back(std::move(out));
  }
  for (int month = 1; month <= 12; ++month) {
    for (SimVillage& v : villages_) GenerateMonth(v, month);
    Date last = Period{PeriodKind::kMonth, options_.year, month}.LastDay();
    std::string name = Period{PeriodKind::kMonth, options_.year, month}.ToString();
    if (Status s = ImportBefore(At(last, 20 * 3600), name); !s.ok()) return s;
    if (Status s = RedemptionSession(month); !s.ok()) return s;
  }
  if (Status s = ImportBefore(now_, std::to_string(options_.year + 1) + " late records"); !s.ok())
    return s;
  for (const auto& [type, n] : summary_.records) summary_.total_records += n;
  return summary_;
}

std::string WithThousands(size_t n) {
  std::string digits = std::to_string(n);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3)
    digits.insert(static_cast<size_t>(i), ",");
  return digits;
}

}  // namespace

Result<SimulateSummary> Simulate(ledger::Ledger& ledger, const SimulateOptions& options) {
  Simulator simulator(ledger, options);
  return simulator.Run();
}

std::string DescribeSimulation(const SimulateSummary& s) {
  std::string out = "Simulated " + std::to_string(s.year) + " for " +
                    std::to_string(s.villages.size()) +
                    (s.villages.size() == 1 ? " village (" : " villages (");
  for (size_t i = 0; i < s.villages.size(); ++i) {
    if (i == 8 && s.villages.size() > 9) {
      out += ", … " + std::to_string(s.villages.size() - 8) + " more";
      break;
    }
    out += (i ? ", " : "") + s.villages[i].name + " " + s.villages[i].code;
  }
  out += "): " + WithThousands(static_cast<size_t>(s.households)) + " households, " +
         WithThousands(static_cast<size_t>(s.persons)) + " persons; " +
         WithThousands(s.total_records) + " records (";
  static const char* kOrder[] = {"rules", "household", "person", "scorer", "move",
                                 "award", "approve",   "redeem", "revoke"};
  bool first = true;
  for (const char* type : kOrder) {
    auto it = s.records.find(type);
    if (it == s.records.end()) continue;
    out += (first ? "" : ", ") + WithThousands(it->second) + " " + type;
    first = false;
  }
  out += ").";
  if (!s.favouring_scorer.empty()) {
    out += " Planted for the audit: scorer " + s.favouring_scorer + " of " + s.favouring_village +
           " favours";
    for (const auto& h : s.favoured_households) out += " " + h;
  }
  if (!s.self_scorers.empty()) {
    out += s.favouring_scorer.empty() ? " Planted for the audit:" : ";";
    out += " self-scoring scorers";
    for (size_t i = 0; i < s.self_scorers.size(); ++i) {
      if (i == 6 && s.self_scorers.size() > 7) {
        out += " … " + std::to_string(s.self_scorers.size() - 6) + " more";
        break;
      }
      out += " " + s.self_scorers[i].first + "/" + s.self_scorers[i].second;
    }
  }
  if (!s.favouring_scorer.empty() || !s.self_scorers.empty()) out += ".";
  return out;
}

}  // namespace jifen::engine
