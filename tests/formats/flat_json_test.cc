// The quick JSON Lines reader that `jifen import` reads most lines with (formats/flat_json.h
// ParseRecordQuickly) against the strict one: whenever the quick one takes a line it gives the
// strict one's record, and every line it declines is the strict one's to accept or explain.
#include <gtest/gtest.h>

#include <random>

#include "formats/flat_json.h"
#include "formats/record_json.h"

namespace jifen::formats {
namespace {

const char* kLines[] = {
    R"({"type":"household","village":"SYS","household":"H01","name":"张建国家","since":"2022-01-01","shares":2})",
    R"({"type":"person","village":"SYS","person":"P0101","name":"张建国","household":"H01","since":"2022-01-01","resident":"villager"})",
    R"({"type":"person","village":"SYS","person":"P0102","name":"李","household":"H01","since":"2022-01-01"})",
    R"({"type":"move","village":"SYS","person":"P0101","household":"H02","date":"2022-05-01"})",
    R"({"type":"scorer","village":"SYS","scorer":"S1","name":"李四","role":"网格员","person":"P0301"})",
    R"({"type":"award","id":"SYS-0001","village":"SYS","date":"2022-03-05","subject":"P0101","item":"C1.01","qty":1,"scorer":"S1","place":"村委会广场","reason":"升旗仪式","evidence":["photo:0305-01.jpg","b"]})",
    R"({"type":"award","village":"SYS","date":"2022-03-05","subject":"P0101","item":"C1.01","scorer":"S1","evidence":[],"recorded":"2022-03-06T10:00:00+08:00"})",
    R"({"type":"revoke","village":"SYS","target":"SYS-0001","scorer":"S2","reason":"重复登记","recorded":"2022-03-06T10:00:00Z"})",
    R"({"type":"redeem","id":"SYS-R001","village":"SYS","household":"H01","reward":"R01","qty":1000000,"date":"2022-03-20","scorer":"S3"})",
    R"({"type":"rules","village":"SYS","effective":"2022-01-01","text":"x","sha256":"2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"})",
};

// Variations of a good line, most of them bad in some way.
std::vector<std::string> Variants(const std::string& line) {
  std::vector<std::string> out = {line};
  auto replaced = [&](const std::string& from, const std::string& to) {
    for (size_t at = line.find(from); at != std::string::npos; at = line.find(from, at + 1)) {
      std::string v = line;
      out.push_back(v.replace(at, from.size(), to));
    }
  };
  replaced(",", " ,\t");
  replaced(":", " : ");
  replaced("{", " {\r\n");
  replaced("}", "} x");
  replaced("\"type\"", "\"type\":\"award\",\"type\"");
  replaced(":1", ":01");
  replaced(":1", ":1.0");
  replaced(":1", ":-1");
  replaced(":1", ":1e0");
  replaced(":1", ":\"1\"");
  replaced(":2", ":99999999999999999999");
  replaced("\"SYS\"", "\"\"");
  replaced("\"SYS\"", "\"S\\u0059S\"");
  replaced("\"SYS\"", "\"S\\tS\"");
  replaced("\"SYS\"", "\"S\xC3\x28S\"");
  replaced("\"SYS\"", "\"S\x01S\"");
  replaced("\"SYS\"", "null");
  replaced("\"SYS\"", "[\"SYS\"]");
  replaced("\"SYS\"", "{\"a\":1}");
  replaced("2022-0", "2022-1");
  replaced("village", "villages");
  replaced("\"village\":\"SYS\",", "");
  replaced("\"scorer\":", "\"scorer\":\"S9\",\"scorer\":");
  replaced("]", ",1]");
  replaced("[", "[\"\",");
  replaced("+08:00", "+99:00");
  // "type" not first: the quick reader declines, the strict one decides.
  if (line.starts_with("{\"type\":\"")) {
    size_t end = line.find(',');
    std::string type = line.substr(1, end - 1);
    out.push_back("{" + line.substr(end + 1, line.size() - end - 2) + "," + type + "}");
  }
  return out;
}

Result<Record> Strict(const std::string& line) {
  InputFields fields;
  std::string error;
  if (!ParseFlatJsonObject(line, &fields, &error)) return Status::InvalidInput(error);
  return RecordFromFields(std::move(fields), false);
}

TEST(ImportJson, TheQuickReaderAgreesWithTheStrictOne) {
  int quick_taken = 0, variants = 0;
  Record reused;
  for (const char* base : kLines) {
    for (const std::string& line : Variants(base)) {
      SCOPED_TRACE(line);
      ++variants;
      auto strict = Strict(line);
      bool quick = ParseRecordQuickly(line, &reused);
      if (quick) {
        ++quick_taken;
        ASSERT_TRUE(strict.ok()) << strict.status().message();
        EXPECT_TRUE(reused == *strict);
        EXPECT_EQ(reused.recorded_given, strict->recorded_given);
      }
      // What import reads: the same record or the same reason.
      Record read;
      Status s = RecordFromJson(line, &read);
      EXPECT_EQ(s.message(), strict.status().message());
      if (s.ok()) {
        EXPECT_TRUE(read == *strict);
      }
    }
  }
  EXPECT_GT(quick_taken, 40);
  EXPECT_GT(variants, 300);
}

TEST(ImportJson, AReusedRecordKeepsNothingOfTheLineBefore) {
  Record r;
  ASSERT_TRUE(ParseRecordQuickly(kLines[5], &r));  // an award with evidence, qty and reason
  ASSERT_TRUE(ParseRecordQuickly(kLines[2], &r));  // a person without resident: its default
  auto strict = Strict(kLines[2]);
  ASSERT_TRUE(strict.ok());
  EXPECT_TRUE(r == *strict);
  EXPECT_EQ(r.resident, "villager");
  EXPECT_TRUE(r.evidence.empty());
  ASSERT_TRUE(ParseRecordQuickly(kLines[6], &r));
  EXPECT_TRUE(r.recorded_given);
  ASSERT_TRUE(ParseRecordQuickly(kLines[5], &r));
  EXPECT_FALSE(r.recorded_given);
  EXPECT_EQ(r.recorded.utc_seconds, 0);
}

}  // namespace
}  // namespace jifen::formats
