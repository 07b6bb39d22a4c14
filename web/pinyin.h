// Pinyin of Chinese names, for finding a household or person by the initials a scorer types on a
// phone ("zs" finds 张三). ICU's CLDR transliteration Han-Latin/Names reads surnames as names
// (单 shan, 曾 zeng, 解 xie).
#pragma once

#include <string>

namespace jifen::web {

// "zhang san" for 张三: lowercase ASCII syllables separated by spaces; other text is kept
// (lowercased). Cached per name; safe to call from any thread.
std::string PinyinOf(const std::string& utf8);

// Whether `query` (what was typed) finds `name` by pinyin: the initials ("zs") or the syllables
// run together ("zhangsan", "zhangs") begin with it, ignoring case and spaces. Queries with a
// character other than ASCII letters never match by pinyin.
bool PinyinMatches(const std::string& name, const std::string& query);

}  // namespace jifen::web
