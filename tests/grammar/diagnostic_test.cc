// The one diagnostic format (docs/STYLE.md "Errors"): header, source line, caret under the right
// character.
#include "grammar/diagnostic.h"

#include <gtest/gtest.h>

namespace jifen::grammar {
namespace {

TEST(FormatDiagnostic, CaretSitsUnderTheColumnOfAsciiText) {
  Diagnostic d{Location{"a.rules", 3, 5}, "bad", "abcdefg"};
  EXPECT_EQ(FormatDiagnostic(d), "a.rules:3:5: error: bad\nabcdefg\n    ^\n");
}

TEST(FormatDiagnostic, CaretCountsTwoDisplayColumnsPerCjkCharacter) {
  // Column 4 is `C`: two CJK characters and a space precede it (5 display columns).
  Diagnostic d{Location{"a.rules", 1, 4}, "坏", "中文 C"};
  EXPECT_EQ(FormatDiagnostic(d), "a.rules:1:4: error: 坏\n中文 C\n     ^\n");
}

TEST(FormatDiagnostic, TabsAreKeptSoTheCaretLinesUp) {
  Diagnostic d{Location{"a.rules", 1, 3}, "x", "\t\tx"};
  EXPECT_EQ(FormatDiagnostic(d), "a.rules:1:3: error: x\n\t\tx\n\t\t^\n");
}

TEST(FormatDiagnostic, CaretAfterTheEndOfTheLine) {
  Diagnostic d{Location{"a.rules", 1, 4}, "x", "ab"};
  EXPECT_EQ(FormatDiagnostic(d), "a.rules:1:4: error: x\nab\n   ^\n");
}

TEST(FormatDiagnostic, WindowOfALongLineKeepsTheCaretInPlace) {
  Diagnostic d{Location{"a.rules", 1, 1001}, "x", "abcXdef", 998};
  EXPECT_EQ(FormatDiagnostic(d), "a.rules:1:1001: error: x\nabcXdef\n   ^\n");
}

TEST(FormatDiagnostic, LineZeroIsAboutTheWholeFile) {
  Diagnostic d{Location{"a.rules", 0, 0}, "cannot read: Permission denied", ""};
  EXPECT_EQ(FormatDiagnostic(d), "a.rules: error: cannot read: Permission denied\n");
}

TEST(MessageLanguage, AutoFollowsTheKeywords) {
  EXPECT_EQ(ResolveMessageLanguage(MessageLanguage::kAuto, Language::kChinese), Language::kChinese);
  EXPECT_EQ(ResolveMessageLanguage(MessageLanguage::kAuto, Language::kEnglish), Language::kEnglish);
  EXPECT_EQ(ResolveMessageLanguage(MessageLanguage::kEnglish, Language::kChinese),
            Language::kEnglish);
  EXPECT_EQ(LanguageName(Language::kChinese), "中文");
}

}  // namespace
}  // namespace jifen::grammar
