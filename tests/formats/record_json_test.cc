#include "formats/record_json.h"

#include <gtest/gtest.h>

#include "formats/flat_json.h"
#include "ledger/ledger.h"

namespace jifen::formats {
namespace {

// The seven example lines of SPEC.md §4.
const char* kSpecLines[] = {
    R"({"type":"household","village":"SYS","household":"H01","name":"张建国家","since":"2022-01-01","shares":2})",
    R"({"type":"person","village":"SYS","person":"P0101","name":"张建国","household":"H01","since":"2022-01-01","resident":"villager"})",
    R"({"type":"move","village":"SYS","person":"P0101","household":"H02","date":"2022-05-01"})",
    R"({"type":"scorer","village":"SYS","scorer":"S1","name":"李四","role":"网格员","person":"P0301"})",
    R"({"type":"award","id":"SYS-0001","village":"SYS","date":"2022-03-05","subject":"P0101","item":"C1.01","qty":1,"scorer":"S1","place":"村委会广场","reason":"升旗仪式","evidence":["photo:0305-01.jpg"]})",
    R"({"type":"revoke","village":"SYS","target":"SYS-0001","scorer":"S2","reason":"重复登记"})",
    R"({"type":"redeem","id":"SYS-R001","village":"SYS","household":"H01","reward":"R01","qty":1,"date":"2022-03-20","scorer":"S3"})",
};

TEST(RecordJson, ReadsEverySpecExample) {
  for (const char* line : kSpecLines) {
    auto r = RecordFromJson(line);
    EXPECT_TRUE(r.ok()) << line << ": " << r.status().message();
  }
  auto award = RecordFromJson(kSpecLines[4]);
  EXPECT_EQ(award->type, RecordType::kAward);
  EXPECT_EQ(award->id, "SYS-0001");
  EXPECT_EQ(award->date.ToString(), "2022-03-05");
  EXPECT_EQ(award->evidence, std::vector<std::string>{"photo:0305-01.jpg"});
  EXPECT_FALSE(award->recorded_given);
  auto household = RecordFromJson(kSpecLines[0]);
  EXPECT_EQ(household->code, "H01");
  EXPECT_EQ(household->shares, 2);
  auto move = RecordFromJson(kSpecLines[2]);
  EXPECT_EQ(move->code, "P0101");
  EXPECT_EQ(move->household, "H02");
}

TEST(RecordJson, OptionalFieldsTakeTheirDefaults) {
  auto award = RecordFromJson(
      R"({"type":"award","village":"SYS","date":"2022-03-05","subject":"P0101","item":"C1.01","scorer":"S1"})");
  ASSERT_TRUE(award.ok()) << award.status().message();
  EXPECT_EQ(award->qty, Quantity::FromWhole(1));
  EXPECT_TRUE(award->id.empty());
  EXPECT_TRUE(award->evidence.empty());
  auto person = RecordFromJson(
      R"({"type":"person","village":"SYS","person":"P1","name":"张三","household":"H01","since":"2022-01-01"})");
  ASSERT_TRUE(person.ok()) << person.status().message();
  EXPECT_EQ(person->resident, "villager");
  auto household = RecordFromJson(
      R"({"type":"household","village":"SYS","household":"H01","name":"张家","since":"2022-01-01"})");
  EXPECT_EQ(household->shares, 0);
}

TEST(RecordJson, RecordedIsReadInItsOwnOffset) {
  auto r = RecordFromJson(
      R"({"type":"revoke","village":"SYS","target":"a1","scorer":"S1","reason":"更正","recorded":"2022-03-06T10:00:00+08:00"})");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->recorded_given);
  EXPECT_EQ(r->recorded.offset_minutes, 480);
  EXPECT_EQ(r->recorded.ToString(), "2022-03-06T10:00:00+08:00");
}

struct Refusal {
  const char* line;
  const char* reason;
};

TEST(RecordJson, RefusesEachKindOfBadLineWithAReasonNamingTheField) {
  const std::string long_code(65, 'x');
  const std::string long_name(1001, 'x');
  const std::string long_code_line = R"({"type":"move","village":")" + long_code +
                                     R"(","person":"P1","household":"H2","date":"2022-05-01"})";
  const std::string long_name_line =
      R"({"type":"household","village":"SYS","household":"H1","name":")" + long_name +
      R"(","since":"2022-01-01"})";
  const Refusal refusals[] = {
      {"", "not JSON: "},
      {"{\"type\":\"award\"", "not JSON: "},
      {"[1,2]", "not a JSON object"},
      {"\"award\"", "not a JSON object"},
      {R"({"type":"award"} x)", "not JSON: "},
      {R"({"village":"SYS"})", "missing field \"type\""},
      {R"({"type":7})", "field \"type\": expected a string"},
      {R"({"type":"bonus","village":"SYS"})", "field \"type\": unknown record type: bonus"},
      {R"({"type":"move","village":"SYS","person":"P1","household":"H2"})",
       "missing field \"date\""},
      {R"({"type":"move","village":"SYS","person":"P1","household":"H2","date":"2022-05-01","colour":"red"})",
       "unknown field \"colour\" for a move record"},
      {R"({"type":"move","village":"SYS","person":"P1","household":"H2","date":"2022-05-01","qty":2})",
       "unknown field \"qty\" for a move record"},
      {R"({"type":"move","village":"SYS","person":"P1","household":"H2","date":"2022-02-30"})",
       "field \"date\": not a date: 2022-02-30"},
      {R"({"type":"move","village":"SYS","person":"P1","household":"H2","date":20220501})",
       "field \"date\": expected a date string"},
      {R"({"type":"move","village":"SYS","person":1,"household":"H2","date":"2022-05-01"})",
       "field \"person\": expected a string"},
      {R"({"type":"move","village":"SYS","person":"","household":"H2","date":"2022-05-01"})",
       "field \"person\": empty"},
      {R"({"type":"move","village":"SYS","person":"P\u0001","household":"H2","date":"2022-05-01"})",
       "field \"person\": control character at byte 1"},
      {long_code_line.c_str(), "field \"village\": longer than 64 bytes"},
      {long_name_line.c_str(), "field \"name\": longer than 1000 bytes"},
      {R"({"type":"move","village":"SYS","person":"P1","household":"H2","date":"2022-05-01","date":"2022-05-02"})",
       "duplicate field \"date\""},
      {R"({"type":"move","village":"SYS","person":"P1","household":"H2","date":"2022-05-01","recorded":"2022-05-01"})",
       "field \"recorded\": not a timestamp: 2022-05-01"},
      {R"({"type":"move","village":"SYS","person":"P1","household":"H2","date":"2022-05-01","recorded":"2022-05-01T10:00:00"})",
       "field \"recorded\": not a timestamp: 2022-05-01T10:00:00"},
      {R"({"type":"award","village":"SYS","date":"2022-03-05","subject":"P1","item":"C1","scorer":"S1","qty":0})",
       "field \"qty\": not a positive decimal up to 1000000 with at most 2 fractional digits: 0"},
      {R"({"type":"award","village":"SYS","date":"2022-03-05","subject":"P1","item":"C1","scorer":"S1","qty":-3})",
       "field \"qty\": not a positive decimal up to 1000000 with at most 2 fractional digits: -3"},
      {R"({"type":"award","village":"SYS","date":"2022-03-05","subject":"P1","item":"C1","scorer":"S1","qty":0.00})",
       "field \"qty\": not a positive decimal up to 1000000 with at most 2 fractional digits: 0.00"},
      {R"({"type":"award","village":"SYS","date":"2022-03-05","subject":"P1","item":"C1","scorer":"S1","qty":1.555})",
       "field \"qty\": not a positive decimal up to 1000000 with at most 2 fractional digits: 1.555"},
      {R"({"type":"award","village":"SYS","date":"2022-03-05","subject":"P1","item":"C1","scorer":"S1","qty":2.500})",
       "field \"qty\": not a positive decimal up to 1000000 with at most 2 fractional digits: 2.500"},
      {R"({"type":"award","village":"SYS","date":"2022-03-05","subject":"P1","item":"C1","scorer":"S1","qty":1e2})",
       "field \"qty\": not a positive decimal up to 1000000 with at most 2 fractional digits: 1e2"},
      {R"({"type":"award","village":"SYS","date":"2022-03-05","subject":"P1","item":"C1","scorer":"S1","qty":"2"})",
       "field \"qty\": not a positive decimal up to 1000000 with at most 2 fractional digits: 2"},
      {R"({"type":"award","village":"SYS","date":"2022-03-05","subject":"P1","item":"C1","scorer":"S1","qty":1000000.01})",
       "field \"qty\": not a positive decimal up to 1000000 with at most 2 fractional digits: 1000000.01"},
      {R"({"type":"award","village":"SYS","date":"2022-03-05","subject":"P1","item":"C1","scorer":"S1","qty":1000001})",
       "field \"qty\": not a positive decimal up to 1000000 with at most 2 fractional digits: 1000001"},
      {R"({"type":"award","village":"SYS","date":"2022-03-05","subject":"P1","item":"C1","scorer":"S1","qty":18446744073709551615})",
       "field \"qty\": not a positive decimal up to 1000000 with at most 2 fractional digits: 18446744073709551615"},
      {R"({"type":"award","village":"SYS","date":"2022-03-05","subject":"P1","item":"C1","scorer":"S1","qty":true})",
       "field \"qty\": not a positive decimal up to 1000000 with at most 2 fractional digits"},
      {R"({"type":"redeem","village":"SYS","household":"H1","reward":"R1","date":"2022-03-05","scorer":"S1","qty":1.5})",
       "field \"qty\": not a positive integer up to 1000000"},
      {R"({"type":"household","village":"SYS","household":"H1","name":"x","since":"2022-01-01","shares":-1})",
       "field \"shares\": not an integer from 0 to 1000000"},
      {R"({"type":"award","village":"SYS","date":"2022-03-05","subject":"P1","item":"C1","scorer":"S1","evidence":"a.jpg"})",
       "field \"evidence\": expected an array of strings"},
      {R"({"type":"award","village":"SYS","date":"2022-03-05","subject":"P1","item":"C1","scorer":"S1","evidence":["a",1]})",
       "field \"evidence\": expected an array of strings"},
      {R"({"type":"award","village":"SYS","date":"2022-03-05","subject":"P1","item":"C1","scorer":"S1","evidence":[["a"]]})",
       "field \"evidence\": expected an array of strings"},
      {R"({"type":"award","village":"SYS","date":"2022-03-05","subject":"P1","item":"C1","scorer":"S1","evidence":[""]})",
       "field \"evidence\": empty item"},
      {R"({"type":"award","village":"SYS","date":"2022-03-05","subject":"P1","item":"C1","scorer":"S1","place":{"x":1}})",
       "field \"place\": expected a string"},
      {R"({"type":"award","village":"SYS","date":"2022-03-05","subject":"P1","item":"C1","scorer":"S1","reason":null})",
       "field \"reason\": expected a string"},
      {R"({"type":"award","id":"household:H1","village":"SYS","date":"2022-03-05","subject":"P1","item":"C1","scorer":"S1"})",
       "field \"id\": may not start with \"household:\""},
      {R"({"type":"rules","village":"SYS","effective":"2022-01-01","text":"village","sha256":"00"})",
       "field \"sha256\": not 64 lowercase hex digits"},
      {R"({"type":"rules","village":"SYS","effective":"2022-01-01","text":"village","sha256":"0000000000000000000000000000000000000000000000000000000000000000"})",
       "field \"sha256\": not the SHA-256 of the text"},
      {"{\"type\":\"move\",\"village\":\"S\xff\",\"person\":\"P1\",\"household\":\"H2\",\"date\":"
       "\"2022-05-01\"}",
       "not JSON: "},
  };
  for (const auto& refusal : refusals) {
    auto r = RecordFromJson(refusal.line);
    ASSERT_FALSE(r.ok()) << refusal.line;
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidInput);
    EXPECT_TRUE(r.status().message().starts_with(refusal.reason))
        << refusal.line << "\n  got: " << r.status().message() << "\n  want: " << refusal.reason;
  }
}

TEST(RecordJson, ReadsEscapesWhitespaceAndSurrogatePairs) {
  auto r = RecordFromJson(
      " {\"type\" : \"award\" "
      ",\"village\":\"SYS\",\"date\":\"2022-03-05\",\"subject\":\"P1\",\"item\":\"C1\","
      "\"scorer\":\"S1\",\"reason\":\"\\u5347\\u65d7 \\\"\\\\\\/ \\ud83d\\ude00\",\"evidence\":[ "
      "],\"qty\":12}\r\n");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->reason, "升旗 \"\\/ \xF0\x9F\x98\x80");
  EXPECT_EQ(r->qty, Quantity::FromWhole(12));
  EXPECT_TRUE(r->evidence.empty());
}

TEST(RecordJson, RefusesMalformedJson) {
  const char* lines[] = {
      R"({"type":"award",})",
      R"({"type":"award" "village":"SYS"})",
      R"({"type":"award","qty":01})",
      R"({"type":"award","qty":1.})",
      R"({"type":"award","qty":-})",
      R"({"type":"award","qty":tru})",
      R"({"type":"award","reason":"\ud83d"})",
      R"({"type":"award","reason":"\ude00"})",
      R"({"type":"award","reason":"\x"})",
      R"({"type":"award","reason":"\u12g4"})",
      "{\"type\":\"award\",\"reason\":\"tab\there\"}",
      R"({"type":"award","reason":"open)",
      R"({type:"award"})",
      R"({"type":"award","evidence":["a",]})",
      "{\"type\":\"award\",\"reason\":\"\xC0\xAF\"}",      // overlong UTF-8
      "{\"type\":\"award\",\"reason\":\"\xED\xA0\x80\"}",  // a surrogate in UTF-8
  };
  for (const char* line : lines) {
    auto r = RecordFromJson(line);
    ASSERT_FALSE(r.ok()) << line;
    EXPECT_TRUE(r.status().message().starts_with("not JSON: "))
        << line << ": " << r.status().message();
  }
  std::string deep =
      R"({"type":"award","place":)" + std::string(100, '[') + std::string(100, ']') + "}";
  EXPECT_EQ(RecordFromJson(deep).status().message(), "not JSON: nested too deeply at byte 89");
}

TEST(RecordJson, RefusesLinesOverOneMebibyte) {
  std::string line = R"({"type":"rules","village":"SYS","effective":"2022-01-01","text":")" +
                     std::string(kLineBytesMax, 'x') + R"(","sha256":"x"})";
  auto r = RecordFromJson(line);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "line longer than 1048576 bytes");
}

TEST(RecordJson, EveryTypeRoundTripsThroughItsJsonForm) {
  std::vector<Record> records;
  for (const char* line : kSpecLines) records.push_back(RecordFromJson(line).value());
  Record rules;
  rules.type = RecordType::kRules;
  rules.village = "SYS";
  rules.date = *Date::Parse("2022-01-01");
  rules.text = "village SYS \"双杨树村\" {\n\tperiod month # 注释 \"引号\" \\\r\n}\n";
  rules.sha256 = ledger::Sha256Hex(rules.text);
  rules.approved_by = "村民代表大会 2021-12-30";
  records.push_back(rules);
  Record award = records[4];
  award.qty = Quantity::FromWhole(3);
  award.evidence = {"照片 1.jpg", "签字表;扫描件"};
  award.reason = "帮助 \"五保户\" 收割\\秋粮";
  records.push_back(award);
  int minutes = -14 * 60 - 59;
  for (Record& r : records) {
    r.recorded = Timestamp{1646532000 + minutes * 97, minutes};
    minutes += 211;
    r.recorded_given = true;
    std::string json = RecordToJson(r);
    EXPECT_EQ(json.find('\n'), std::string::npos);
    auto back = RecordFromJson(json);
    ASSERT_TRUE(back.ok()) << json << ": " << back.status().message();
    EXPECT_EQ(*back, r) << json;
    EXPECT_EQ(RecordToJson(*back), json);
  }
  records[0].recorded = *Timestamp::Parse("2022-01-01T08:00:00+08:00");
  EXPECT_EQ(
      RecordToJson(records[0]),
      R"({"type":"household","village":"SYS","household":"H01","name":"张建国家","since":"2022-01-01",)"
      R"("shares":2,"recorded":"2022-01-01T08:00:00+08:00"})");
}

}  // namespace
}  // namespace jifen::formats

namespace jifen::formats {
namespace {

// The reader is simdjson's (formats/flat_json.cc): what the hand-written one promised holds.
TEST(RecordJsonSimdjson, StrictnessKeepsItsReasons) {
  struct Case {
    std::string line;
    std::string reason;
  } cases[] = {
      {"{\"type\":\"award\",\"reason\":\"ok\xC3\"}", "not JSON: invalid UTF-8 at byte 29"},
      {R"({"type":"award","reason":"\ude00"})", "not JSON: "},
      {R"({"type":"award","type":"award"})", "duplicate field \"type\""},
      {R"({"type":"award","evidence":[{"a":1,"a":2}]})",
       "field \"evidence\": expected an array of strings"},
      {R"([{"type":"award"}])", "not a JSON object"},
      {R"(null)", "not a JSON object"},
      {R"({"type":"award"} {"type":"award"})", "not JSON: text after the object at byte 18"},
      {R"({"type":"award","qty":1e2})",
       "field \"qty\": not a positive decimal"},  // JSON, not a qty
      {"{\"type\":\"award\",\"place\":" + std::string(64, '[') + std::string(64, ']') + "}",
       "field \"place\": expected a string"},
      {"{\"type\":\"award\",\"place\":" + std::string(65, '[') + std::string(65, ']') + "}",
       "not JSON: nested too deeply at byte 89"},
  };
  for (const auto& c : cases) {
    auto r = RecordFromJson(c.line);
    ASSERT_FALSE(r.ok()) << c.line;
    EXPECT_TRUE(r.status().message().starts_with(c.reason))
        << c.line << "\n  got: " << r.status().message() << "\n  want: " << c.reason;
  }
}

TEST(RecordJsonSimdjson, DecimalQuantitiesAreReadExactlyFromTheirText) {
  const std::string head =
      R"({"type":"award","village":"SYS","date":"2022-03-05","subject":"P1","item":"C1","scorer":"S1","qty":)";
  for (auto [text, hundredths] :
       std::vector<std::pair<std::string, int64_t>>{{"2.5", 250},
                                                    {"0.75", 75},
                                                    {"2.01", 201},
                                                    {"1000000", 100000000},
                                                    {"0.01", 1},
                                                    {"3", 300}}) {
    auto r = RecordFromJson(head + text + "}");
    ASSERT_TRUE(r.ok()) << text << ": " << r.status().message();
    EXPECT_EQ(r->qty, Quantity::FromHundredths(hundredths)) << text;
  }
  for (const char* text : {"2.50000001", "0.001", "0", "-1", "1000000.01", "2.5e0", "\"2.5\"",
                           "18446744073709551616"}) {
    auto r = RecordFromJson(head + text + "}");
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_TRUE(r.status().message().starts_with("field \"qty\": ") ||
                r.status().message().starts_with("not JSON"))
        << text << ": " << r.status().message();
  }
}

TEST(RecordJsonSimdjson, TheFastPathAndTheStrictPathAgree) {
  // Escapes, spaces and an order other than the table's send a line to the strict path; both
  // give the same record.
  const char* lines[] = {
      R"({"type":"award","id":"a1","village":"SYS","date":"2022-03-05","subject":"P1","item":"C1","qty":2.5,"scorer":"S1","evidence":["x.jpg"],"recorded":"2022-03-06T10:00:00+08:00"})",
      R"( { "village" : "SYS", "type":"award","date":"2022-03-05","subject":"P1","item":"C1","scorer":"S\u0031","reason":"\u5347\u65d7"} )",
  };
  for (const char* line : lines) {
    Record quick;
    bool fast = ParseRecordQuickly(line, &quick);
    auto strict = RecordFromJson(line);
    ASSERT_TRUE(strict.ok()) << strict.status().message();
    if (fast) {
      EXPECT_TRUE(quick == *strict) << line;
    }
  }
  Record first;
  EXPECT_TRUE(ParseRecordQuickly(lines[0], &first));
  auto second = RecordFromJson(lines[1]);
  EXPECT_EQ(second->scorer, "S1");
  EXPECT_EQ(second->reason, "升旗");
}

}  // namespace
}  // namespace jifen::formats
