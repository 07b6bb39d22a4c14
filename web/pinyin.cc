#include "web/pinyin.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <cctype>
#include <map>
#include <memory>
#include <mutex>

namespace jifen::web {
namespace {

struct Cache {
  std::mutex mutex;  // an ICU Transliterator is not safe for concurrent use
  std::unique_ptr<icu::Transliterator> translit;
  std::map<std::string, std::string> pinyin;
};

Cache& TheCache() {
  static Cache cache;
  return cache;
}

}  // namespace

std::string PinyinOf(const std::string& utf8) {
  Cache& cache = TheCache();
  std::lock_guard lock(cache.mutex);
  if (auto it = cache.pinyin.find(utf8); it != cache.pinyin.end()) return it->second;
  if (!cache.translit) {
    UErrorCode status = U_ZERO_ERROR;
    cache.translit.reset(icu::Transliterator::createInstance("Han-Latin/Names; Latin-ASCII; Lower",
                                                             UTRANS_FORWARD, status));
    if (U_FAILURE(status)) cache.translit.reset();
  }
  std::string out;
  if (cache.translit) {
    icu::UnicodeString text = icu::UnicodeString::fromUTF8(utf8);
    cache.translit->transliterate(text);
    text.toUTF8String(out);
  }
  if (cache.pinyin.size() < 100000) cache.pinyin.emplace(utf8, out);
  return out;
}

bool PinyinMatches(const std::string& name, const std::string& query) {
  std::string q;
  for (char c : query) {
    if (c == ' ') continue;
    if (!std::isalpha(static_cast<unsigned char>(c))) return false;
    q += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (q.empty()) return false;
  std::string pinyin = PinyinOf(name), initials, joined;
  bool start = true;
  for (char c : pinyin) {
    if (c == ' ') {
      start = true;
      continue;
    }
    if (start) initials += c;
    joined += c;
    start = false;
  }
  return initials.rfind(q, 0) == 0 || joined.rfind(q, 0) == 0;
}

}  // namespace jifen::web
