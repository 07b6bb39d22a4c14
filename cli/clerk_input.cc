#include "cli/clerk_input.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <regex>

#include "cli/words.h"
#include "engine/names.h"

namespace jifen::cli {
namespace {

// The quarter a Chinese numeral or digit names, 0 for none.
int QuarterNumber(const std::string& text) {
  static const char* const kNumerals[] = {"一", "二", "三", "四"};
  for (int i = 0; i < 4; ++i) {
    if (text == kNumerals[i] || text == std::to_string(i + 1)) return i + 1;
  }
  return 0;
}

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

// The code points of UTF-8 text (a byte that starts none counts as one).
std::u32string CodePoints(std::string_view text) {
  std::u32string out;
  for (size_t i = 0; i < text.size();) {
    auto byte = static_cast<unsigned char>(text[i]);
    int length = byte < 0x80         ? 1
                 : (byte >> 5) == 6  ? 2
                 : (byte >> 4) == 14 ? 3
                 : (byte >> 3) == 30 ? 4
                                     : 1;
    char32_t c = length == 1 ? byte : byte & (0x7F >> length);
    for (int k = 1; k < length && i + k < text.size(); ++k) c = (c << 6) | (text[i + k] & 0x3F);
    out.push_back(c);
    i += length;
  }
  return out;
}

// Edits (insert, delete, replace a character) from `a` to `b`.
size_t EditDistance(const std::u32string& a, const std::u32string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// How far `value` is from a candidate: the nearer of its code (in any case) and its name.
size_t Distance(std::string_view value, const engine::NameCandidate& c) {
  size_t by_code = EditDistance(CodePoints(Lower(value)), CodePoints(Lower(c.code)));
  if (c.name.empty()) return by_code;
  return std::min(by_code, EditDistance(CodePoints(value), CodePoints(c.name)));
}

std::string CandidateText(const engine::NameCandidate& c) {
  std::string text = c.code;
  if (!c.name.empty()) text += " " + c.name;
  if (!c.detail.empty()) text += " (" + c.detail + ")";
  return text;
}

std::string CandidateList(const std::vector<engine::NameCandidate>& candidates, Words w) {
  std::string list;
  for (const engine::NameCandidate& c : candidates) {
    if (!list.empty()) list += w(", ", "、");
    list += CandidateText(c);
  }
  return list;
}

// The three candidates nearest to `value`, nearest first.
std::vector<engine::NameCandidate> Closest(std::string_view value,
                                           std::vector<engine::NameCandidate> known) {
  std::stable_sort(known.begin(), known.end(), [&](const auto& a, const auto& b) {
    return Distance(value, a) < Distance(value, b);
  });
  if (known.size() > 3) known.resize(3);
  return known;
}

// The one known code equal to `value` in any case.
std::optional<std::string> CodeInAnyCase(std::string_view value,
                                         const std::vector<engine::NameCandidate>& known) {
  std::optional<std::string> found;
  for (const engine::NameCandidate& c : known) {
    if (Lower(c.code) != Lower(value)) continue;
    if (found) return std::nullopt;
    found = c.code;
  }
  return found;
}

const char* KindWord(engine::NameKind kind, Words w) {
  switch (kind) {
    case engine::NameKind::kVillage:
      return w("village", "村");
    case engine::NameKind::kHousehold:
      return w("household", "农户");
    case engine::NameKind::kPerson:
      return w("person", "村民");
    case engine::NameKind::kScorer:
      return w("scorer", "记分员");
    default:
      return "";
  }
}

// "village XYZ: not in the ledger; closest: SYS 双杨树村, …", or a household's, person's or
// scorer's "not registered in village SYS".
Status NamesNothing(engine::NameKind kind, const std::string& value, const std::string& village,
                    const std::vector<engine::NameCandidate>& known, Words w) {
  std::string text = std::string(KindWord(kind, w)) + " " + value + w(": ", "：");
  if (kind == engine::NameKind::kVillage) {
    text += w("not in the ledger", "账本里没有");
  } else {
    text += w("not registered in village ", "村 ") + village + w("", " 没有登记");
  }
  std::vector<engine::NameCandidate> closest = Closest(value, known);
  if (!closest.empty()) text += w("; closest: ", "；最接近的：") + CandidateList(closest, w);
  return Status::InvalidInput(text);
}

Status SharedName(engine::NameKind kind, const std::string& value,
                  const std::vector<engine::NameCandidate>& candidates, Words w) {
  return Status::Usage(std::string(KindWord(kind, w)) + " " + value +
                       w(": a name of more than one: ", "：重名，有 ") +
                       CandidateList(candidates, w) + w("; give the code", "；请写编码"));
}

// Replaces `*value` by the code it stands for in `village` (kVillage: among the villages).
Status ResolveOne(const engine::NameIndex& index, engine::NameKind kind, const std::string& village,
                  std::string* value, bool may_be_unknown, Words w) {
  if (value == nullptr || value->empty()) return Status::Ok();
  std::vector<engine::NameCandidate> known = index.Known(village, kind);
  for (const engine::NameCandidate& c : known) {
    if (c.code == *value) return Status::Ok();
  }
  engine::NameLookup lookup = index.Resolve(village, kind, *value);
  if (lookup.candidates.size() > 1) return SharedName(kind, *value, lookup.candidates, w);
  if (lookup.by_name && !lookup.code.empty()) {
    *value = lookup.code;
    return Status::Ok();
  }
  if (auto code = CodeInAnyCase(*value, known)) {
    *value = *code;
    return Status::Ok();
  }
  if (may_be_unknown) return Status::Ok();
  return NamesNothing(kind, *value, village, known, w);
}

// True when the rules last adopted by the ledger's first village are written in Chinese.
bool RulesInChinese(const ledger::Reader& reader) {
  std::vector<std::string> villages = reader.Villages();
  if (villages.empty()) return false;
  auto model = engine::LoadVillageStructure(reader, villages.front(), reader.HeadSequence());
  if (!model.ok() || model->adoptions.empty()) return false;
  return model->adoptions.back().rules->language == grammar::Language::kChinese;
}

// The value of `--name VALUE` or `--name=VALUE` in `argv`, the last one given.
std::optional<std::string> ArgumentValue(int argc, char** argv, const std::string& name) {
  std::optional<std::string> value;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == name && i + 1 < argc) value = argv[i + 1];
    if (arg.rfind(name + "=", 0) == 0) value = arg.substr(name.size() + 1);
  }
  return value;
}

}  // namespace

std::string PeriodForm(std::string text) {
  static const std::regex month(R"(^(\d{4})年(\d{1,2})月$)");
  static const std::regex quarter(R"(^(\d{4})年第(.+)季度$)");
  std::smatch m;
  if (std::regex_match(text, m, month)) {
    std::string number = m[2].str();
    return m[1].str() + "-" + (number.size() == 1 ? "0" + number : number);
  }
  if (std::regex_match(text, m, quarter)) {
    int q = QuarterNumber(m[2].str());
    if (q != 0) return m[1].str() + "-Q" + std::to_string(q);
  }
  return text;
}

std::string YearForm(std::string text) {
  if (YearOfPeriodText(text)) return text.substr(0, 4);
  return text;
}

std::optional<int> YearOfPeriodText(std::string_view text) {
  static const std::regex year(R"(^(\d{4})年$)");
  std::string copy(text);
  std::smatch m;
  if (!std::regex_match(copy, m, year)) return std::nullopt;
  return std::stoi(m[1].str());
}

Result<std::unique_ptr<ledger::Ledger>> OpenLedger(const Globals& g) {
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::path(g.ledger_dir) / "data.mdb", ec)) {
    const std::string en = "ledger " + g.ledger_dir +
                           ": not found; give the ledger's directory with --ledger DIR, or run "
                           "`jifen demo` to make a demo ledger to try";
    const std::string zh = "账本 " + g.ledger_dir +
                           "：没有找到；用 --ledger 目录 指定账本所在的目录，或运行 jifen demo "
                           "生成一个示例账本试用";
    if (g.lang == "zh") return Status::InvalidInput(zh);
    if (g.lang == "en") return Status::InvalidInput(en);
    return Status::InvalidInput(en + "\njifen: " + zh);
  }
  return ledger::Ledger::Open(g.ledger_dir, false);
}

Status ResolveNames(const Globals& g, const NamedArgs& args) {
  if (args.village == nullptr || args.village->empty()) return Status::Ok();
  // No ledger: the command says so itself, after checking the rest of its arguments.
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::path(g.ledger_dir) / "data.mdb", ec))
    return Status::Ok();
  auto ledger = OpenLedger(g);
  if (!ledger.ok()) return ledger.status();
  auto reader = (*ledger)->Snapshot();
  if (!reader.ok()) return reader.status();
  bool names_more = (args.household != nullptr && !args.household->empty()) ||
                    (args.person != nullptr && !args.person->empty()) ||
                    (args.scorer != nullptr && !args.scorer->empty());
  std::vector<std::string> codes = (*reader)->Villages();
  if (!names_more && std::binary_search(codes.begin(), codes.end(), *args.village))
    return Status::Ok();
  Words w{g.lang.empty() ? RulesInChinese(**reader) : g.lang == "zh"};
  // The village named; every village when it is not named by its code.
  engine::NameIndex index;
  if (Status s = index.Load(**reader, {*args.village}); !s.ok()) return s;
  using engine::NameKind;
  if (Status s =
          ResolveOne(index, NameKind::kVillage, "", args.village, args.village_may_be_unknown, w);
      !s.ok())
    return s;
  if (!index.InLedger(*args.village)) return Status::Ok();
  const std::string& village = *args.village;
  for (auto [kind, value] :
       {std::pair{NameKind::kHousehold, args.household}, std::pair{NameKind::kPerson, args.person},
        std::pair{NameKind::kScorer, args.scorer}}) {
    if (Status s = ResolveOne(index, kind, village, value, false, w); !s.ok()) return s;
  }
  return Status::Ok();
}

std::string LanguageFromEnvironment() {
  const char* lang = std::getenv("JIFEN_LANG");
  if (lang == nullptr) return "";
  std::string value = Lower(lang);
  if (value.rfind("zh", 0) == 0) return "zh";
  if (value.rfind("en", 0) == 0) return "en";
  return "";
}

bool ClerkReadsChinese(int argc, char** argv) {
  std::optional<std::string> lang = ArgumentValue(argc, argv, "--lang");
  if (lang == "zh" || lang == "en") return *lang == "zh";
  std::string from_environment = LanguageFromEnvironment();
  if (!from_environment.empty()) return from_environment == "zh";
  Globals g;
  g.ledger_dir = ArgumentValue(argc, argv, "--ledger").value_or(g.ledger_dir);
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::path(g.ledger_dir) / "data.mdb", ec)) return false;
  auto ledger = ledger::Ledger::Open(g.ledger_dir, false);
  if (!ledger.ok()) return false;
  auto reader = (*ledger)->Snapshot();
  return reader.ok() && RulesInChinese(**reader);
}

namespace {

// The option or argument a CLI11 message begins with ("--year: Value 0 not in range 1 to 9999").
std::string Subject(const std::string& message) {
  size_t colon = message.find(": ");
  return colon == std::string::npos ? std::string() : message.substr(0, colon);
}

std::string AfterColon(const std::string& message) {
  size_t colon = message.find(": ");
  return colon == std::string::npos ? message : message.substr(colon + 2);
}

// A bad value (ValidationError): the checks the subcommands use, in Chinese.
std::string BadValueInChinese(const std::string& message) {
  static const std::regex range(R"(Value (.*) not in range (.*) to (.*))");
  static const std::regex member(R"((.*) not in \{(.*)\})");
  static const std::regex file(R"(File does not exist: (.*))");
  std::string subject = Subject(message), reason = AfterColon(message);
  std::smatch m;
  if (std::regex_match(reason, m, range))
    return subject + " 的值 " + m[1].str() + " 不在 " + m[2].str() + " 到 " + m[3].str() + " 之间";
  if (std::regex_match(reason, m, member))
    return subject + " 的值 " + m[1].str() + " 不是可选的值（可选：" + m[2].str() + "）";
  if (std::regex_match(reason, m, file)) return subject + "：文件不存在：" + m[1].str();
  return subject + " 的值不对：" + reason;
}

// CLI11 lists extra arguments last first; the clerk typed them first first.
std::string InTypedOrder(const std::string& listed) {
  std::vector<std::string> words;
  for (size_t start = 0; start <= listed.size();) {
    size_t space = std::min(listed.find(' ', start), listed.size());
    words.push_back(listed.substr(start, space - start));
    start = space + 1;
  }
  std::string typed;
  for (auto it = words.rbegin(); it != words.rend(); ++it)
    typed += (typed.empty() ? "" : " ") + *it;
  return typed;
}

}  // namespace

std::string UsageErrorInChinese(const CLI::Error& error) {
  static const std::regex required(R"((.*) is required)");
  static const std::regex extras(R"(The following arguments? (?:was|were) not expected: (.*))");
  static const std::regex excludes(R"((.*) excludes (.*))");
  static const std::regex convert(R"(Could not convert: (.*) = (.*))");
  const std::string message = error.what();
  std::smatch m;
  std::string text;
  if (dynamic_cast<const CLI::RequiredError*>(&error) && message == "A subcommand is required") {
    text = "缺少子命令";
  } else if (dynamic_cast<const CLI::RequiredError*>(&error) &&
             std::regex_match(message, m, required)) {
    text = "缺少 " + m[1].str() + "（必须给出）";
  } else if (dynamic_cast<const CLI::ExtrasError*>(&error) &&
             std::regex_match(message, m, extras)) {
    text = "不认识或多余的参数：" + InTypedOrder(m[1].str());
  } else if (dynamic_cast<const CLI::ExcludesError*>(&error) &&
             std::regex_match(message, m, excludes)) {
    text = m[1].str() + " 与 " + m[2].str() + " 只能给一个";
  } else if (dynamic_cast<const CLI::ConversionError*>(&error) &&
             std::regex_match(message, m, convert)) {
    text = m[1].str() + " 的值 " + m[2].str() + " 不对";
  } else if (dynamic_cast<const CLI::ValidationError*>(&error)) {
    text = BadValueInChinese(message);
  } else if (dynamic_cast<const CLI::ArgumentMismatch*>(&error)) {
    text = "参数的个数不对（" + message + "）";
  } else {
    text = "用法不对（" + message + "）";
  }
  return text + "\n用 --help 查看用法。\n";
}

std::string EverydayCommands() {
  return R"(jifen 积分 — 村级积分制：规则、账本、计分、公示 / points schemes for villages

常用命令 / everyday commands:
  jifen demo                                        生成示例账本试用 / make a demo ledger to try
  jifen template --village 双杨树村 --out 登记表.xlsx  空白登记表 / a form to fill in
  jifen import 登记表.xlsx                           登记积分（全部或全不）/ record what the form holds
  jifen score --village 双杨树村 --period 2022年3月    各户当期积分 / a period's figures
  jifen explain --village 双杨树村 --period 2022年3月 --household 张家
                                                    某户积分的来历 / the records behind a household
  jifen annual --village 双杨树村 --year 2022         全年积分与称号 / the year's figures and titles
  jifen board --village 双杨树村 --period 2022年3月 --out 公示榜.html
                                                    公示榜 / the public notice
  jifen serve                                       网页版村务室 / the village office on the web
  jifen verify                                      核对账本 / check the ledger

村、户、人、记分员可写编码或名称；期间可写 2022-03、2022年3月、2022年第一季度。
A village, household, person or scorer by code or name; a period as 2022-03, 2022-Q1 or 2022年3月.
账本默认在 ./ledger，另用 --ledger 目录 / the ledger is ./ledger unless --ledger DIR says.
全部命令 / every command: jifen --help
)";
}

}  // namespace jifen::cli
