// One voice: a Chinese page never shows the ledger's English vocabulary (record kinds, residency,
// states), and every strings key the code and the templates use has both languages.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/web/serve_fixture.h"

namespace jifen::web {
namespace {

using webtest::Serve;

// The words of the ledger and of replay that a Chinese reader must never meet on a page.
const char* const kVocabulary[] = {
    "award",   "revoke",  "redeem",    "approve",  "objection", "ruling",   "villager",
    "household", "person", "pending",  "counted",  "revoked",   "approved", "upheld",
    "dismissed", "posted", "notice",   "final",    "awaiting",  "open",     "scorer"};

// The text a reader sees of the page's own words: without its style and tags, and without what
// is quoted as it is (the header's account name, a rule file's text and its listing).
std::string VisibleText(std::string html) {
  for (const char* quoted : {"style", "header", "textarea", "code"}) {
    std::string tag(quoted);
    html = std::regex_replace(
        html, std::regex("<" + tag + "[^>]*>[\\s\\S]*?</" + tag + ">"), " ");
  }
  html = std::regex_replace(html, std::regex("<[^>]*>"), " ");
  return html;
}

// The English words of kVocabulary in `text`, as whole words.
std::vector<std::string> EnglishWords(const std::string& text) {
  std::vector<std::string> found;
  for (const char* word : kVocabulary) {
    std::regex whole(std::string("(^|[^A-Za-z_-])") + word + "($|[^A-Za-z_-])",
                     std::regex::icase);
    if (std::regex_search(text, whole)) found.push_back(word);
  }
  return found;
}

class Vocabulary : public Serve {
 protected:
  void Add(const std::vector<std::string>& lines) { Import(app_->ledger(), lines); }
};

TEST_F(Vocabulary, EveryChinesePageSaysTheLedgersWordsInChinese) {
  std::string today = Timestamp::Now().LocalDate().ToString();
  Add({R"({"type":"award","id":"W-A1","village":"W","date":")" + today +
           R"(","subject":"P1","item":"A1","scorer":"S1"})",
       R"({"type":"award","id":"W-A2","village":"W","date":")" + today +
           R"(","subject":"H2","item":"H1","scorer":"S1"})",
       R"({"type":"revoke","village":"W","target":"W-A2","scorer":"S2","reason":"重复"})",
       R"({"type":"person","village":"W","person":"P3","name":"外来人","household":"H2","since":")" +
           today + R"(","resident":"non-villager"})"});
  Period month = Period::Containing(Timestamp::Now().LocalDate(), PeriodKind::kMonth);
  std::vector<std::pair<std::string, std::vector<std::string>>> pages = {
      {"", {"/", "/v/W/board/2024-01", Card("H1"), Card("H2")}},
      {"scorer", {"/", "/record"}},
      {"clerk",
       {"/", "/record", "/review", "/month/2024-01", "/month/" + month.ToString(),
        "/month/" + month.Previous().ToString(), "/rules", "/roster", "/shop",
        "/audit/W/2024-01", "/audit/W/" + month.ToString(), Card("H1")}},
      {"township", {"/", "/township?period=" + month.ToString(), "/verify",
                    "/audit/W/" + month.ToString()}},
      {"auditor", {"/audit/W/2024-01", "/audit/W/" + month.ToString()}},
  };
  for (const auto& [who, paths] : pages) {
    std::string cookie = who.empty() ? "" : SignIn(who).cookie;
    for (const std::string& path : paths) {
      auto res = Client().Get(path, {{"Cookie", cookie}});
      ASSERT_TRUE(res) << path;
      EXPECT_EQ(res->status, 200) << who << " " << path;
      std::string body = res->body;  // the account's own name is a name, not a word of the ledger
      if (!who.empty())
        body = std::regex_replace(body, std::regex("<strong>" + who + "</strong>"), "");
      std::vector<std::string> english = EnglishWords(VisibleText(body));
      EXPECT_TRUE(english.empty()) << (who.empty() ? "a visitor" : who) << " " << path << ": "
                                   << ::testing::PrintToString(english);
    }
  }
}

TEST(StringsKeys, EveryKeyTheCodeAndTheTemplatesUseHasBothLanguages) {
  namespace fs = std::filesystem;
  const fs::path web = fs::path(JIFEN_SOURCE_DIR) / "web";
  const std::regex in_code(R"re(\b(?:t|Strings\([^)]*\))\[\s*"([a-z0-9_]+)"\s*\]|(?:Text|Fill)\(\s*t\s*,\s*"([a-z0-9_]+)"\s*[,)])re");
  const std::regex in_template(R"(\{\{\s*t\.([a-z0-9_]+)\s*\}\})");
  std::set<std::string> used;
  for (const auto& entry : fs::recursive_directory_iterator(web)) {
    if (!entry.is_regular_file()) continue;
    std::string ext = entry.path().extension();
    if (ext != ".cc" && ext != ".h" && ext != ".html") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    const std::regex& pattern = ext == ".html" ? in_template : in_code;
    for (auto it = std::sregex_iterator(s.begin(), s.end(), pattern); it != std::sregex_iterator();
         ++it) {
      used.insert((*it)[1].matched ? (*it)[1].str() : (*it)[2].str());
    }
  }
  ASSERT_GT(used.size(), 100u);  // the scan found the keys at all
  for (const std::string& key : used) {
    for (bool english : {false, true}) {
      const nlohmann::json& t = Strings(english);
      ASSERT_TRUE(t.contains(key) && t[key].is_string() && !t[key].get<std::string>().empty())
          << key << " has no " << (english ? "English" : "Chinese") << " text";
    }
  }
}

}  // namespace
}  // namespace jifen::web
