#include "cli/refusals.h"

#include <iostream>

namespace jifen::cli {

grammar::Language RefusalLanguage(const Globals& g, std::optional<grammar::Language> rules) {
  if (g.lang == "zh") return grammar::Language::kChinese;
  if (g.lang == "en") return grammar::Language::kEnglish;
  return rules.value_or(grammar::Language::kEnglish);
}

Json RefusalJson(const engine::Refusal& refusal, grammar::Language language,
                 const std::string& file, int line) {
  return Json{{"code", std::string(refusal.Name())},
              {"number", refusal.Number()},
              {"file", file},
              {"line", line > 0 ? Json(line) : Json(nullptr)},
              {"field", std::string(refusal.FieldName())},
              {"message", refusal.Text(language)}};
}

int PrintRefused(const Globals& g, const std::vector<engine::LineRefusal>& refusals,
                 const std::string& what, bool place) {
  // The closing line is in the language of the first refusal: one import is one village, often.
  bool zh = !refusals.empty() &&
            RefusalLanguage(g, refusals.front().rules_language) == grammar::Language::kChinese;
  if (g.format == Format::kJson) {
    Json list = Json::array();
    for (const engine::LineRefusal& r : refusals) {
      list.push_back(RefusalJson(r.refusal, RefusalLanguage(g, r.rules_language), r.file, r.line));
    }
    std::cout << Json{{"refused", true}, {"refusals", list}}.dump() << '\n';
  } else {
    for (const engine::LineRefusal& r : refusals) {
      grammar::Language language = RefusalLanguage(g, r.rules_language);
      std::cerr << (place ? r.Text(language) : "jifen: " + r.refusal.Text(language)) << '\n';
    }
  }
  if (what == "import") {
    std::cerr << (zh ? "jifen：导入被拒绝：" + std::to_string(refusals.size()) +
                           " 行有误；什么也没有写入\n"
                     : "jifen: import refused: " + std::to_string(refusals.size()) +
                           " bad line(s); nothing written\n");
  } else {
    std::cerr << (zh ? "jifen：" + what + " 被拒绝；什么也没有写入\n"
                     : "jifen: " + what + " refused; nothing written\n");
  }
  return 1;
}

}  // namespace jifen::cli
