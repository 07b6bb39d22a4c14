#include "tests/engine/fixture.h"

namespace jifen::engine::testing {

std::string HouseholdLine(const std::string& v, const std::string& h, const std::string& since,
                          int shares) {
  return R"({"type":"household","village":")" + v + R"(","household":")" + h + R"(","name":")" + h +
         R"(家","since":")" + since + R"(","shares":)" + std::to_string(shares) +
         R"(,"recorded":")" + since + R"(T08:00:00+08:00"})";
}

std::string PersonLine(const std::string& v, const std::string& p, const std::string& h,
                       const std::string& since) {
  return R"({"type":"person","village":")" + v + R"(","person":")" + p + R"(","name":")" + p +
         R"(","household":")" + h + R"(","since":")" + since +
         R"(","resident":"villager","recorded":")" + since + R"(T08:00:00+08:00"})";
}

std::string ScorerLine(const std::string& v, const std::string& s, const std::string& role,
                       const std::string& person) {
  return R"({"type":"scorer","village":")" + v + R"(","scorer":")" + s + R"(","name":")" + s +
         R"(","role":")" + role + "\"" + (person.empty() ? "" : R"(,"person":")" + person + "\"") +
         R"(,"recorded":"2022-01-01T08:00:00+08:00"})";
}

std::string MoveLine(const std::string& v, const std::string& p, const std::string& h,
                     const std::string& date, const std::string& recorded) {
  return R"({"type":"move","village":")" + v + R"(","person":")" + p + R"(","household":")" + h +
         R"(","date":")" + date + R"(","recorded":")" + recorded + R"("})";
}

std::string AwardLine(const std::string& v, const std::string& id, const std::string& date,
                      const std::string& subject, const std::string& item,
                      const std::string& recorded, const std::string& extra,
                      const std::string& scorer) {
  return R"({"type":"award","id":")" + id + R"(","village":")" + v + R"(","date":")" + date +
         R"(","subject":")" + subject + R"(","item":")" + item + R"(",)" + extra + R"("scorer":")" +
         scorer + R"(","place":"村委会","reason":"登记","recorded":")" +
         (recorded.empty() ? date + "T20:00:00+08:00" : recorded) + R"("})";
}

std::string RedeemLine(const std::string& v, const std::string& id, const std::string& date,
                       const std::string& h, const std::string& reward, int qty,
                       const std::string& recorded) {
  return R"({"type":"redeem","id":")" + id + R"(","village":")" + v + R"(","household":")" + h +
         R"(","reward":")" + reward + R"(","qty":)" + std::to_string(qty) + R"(,"date":")" + date +
         R"(","scorer":"S1","recorded":")" +
         (recorded.empty() ? date + "T20:00:00+08:00" : recorded) + R"("})";
}

std::string RevokeLine(const std::string& v, const std::string& target, const std::string& recorded,
                       const std::string& scorer) {
  return R"({"type":"revoke","village":")" + v + R"(","target":")" + target + R"(","scorer":")" +
         scorer + R"(","reason":"更正","recorded":")" + recorded + R"("})";
}

std::string ApproveLine(const std::string& v, const std::string& target, const std::string& scorer,
                        const std::string& recorded) {
  return R"({"type":"approve","village":")" + v + R"(","target":")" + target + R"(","scorer":")" +
         scorer + R"(","recorded":")" + recorded + R"("})";
}

std::string PostLine(const std::string& v, const std::string& id, const std::string& period,
                     const std::string& scorer, const std::string& recorded,
                     const std::string& head) {
  return R"({"type":"post","id":")" + id + R"(","village":")" + v + R"(","period":")" + period +
         R"(","scorer":")" + scorer + "\"" + (head.empty() ? "" : R"(,"head":")" + head + "\"") +
         R"(,"recorded":")" + recorded + R"("})";
}

std::string ObjectionLine(const std::string& v, const std::string& id, const std::string& period,
                          const std::string& target, const std::string& household,
                          const std::string& recorded) {
  return R"({"type":"objection","id":")" + id + R"(","village":")" + v + R"(","period":")" +
         period + "\"," +
         (target.empty() ? R"("household":")" + household : R"("target":")" + target) +
         R"(","reason":"有异议","filed_by":"村民王五","recorded":")" + recorded + R"("})";
}

std::string RulingLine(const std::string& v, const std::string& id, const std::string& objection,
                       const std::string& outcome, const std::string& scorer,
                       const std::string& recorded) {
  return R"({"type":"ruling","id":")" + id + R"(","village":")" + v + R"(","target":")" +
         objection + R"(","outcome":")" + outcome + R"(","reason":"经核实","scorer":")" + scorer +
         R"(","recorded":")" + recorded + R"("})";
}

}  // namespace jifen::engine::testing
