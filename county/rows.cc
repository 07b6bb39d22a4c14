#include "county/rows.h"

namespace jifen::county {
namespace {

// An exact decimal as a JSON number: a whole number as an integer, else the double whose
// shortest form (nlohmann writes the shortest text that reads back the same) is the decimal.
Json Decimal(int64_t hundredths) {
  if (hundredths % 100 == 0) return Json(hundredths / 100);
  return Json(static_cast<double>(hundredths) / 100.0);
}

Json Decimal(Points p) { return Decimal(p.cents()); }

void AddProvenance(const Provenance& p, Json* row) {
  (*row)["through_sequence"] = p.through_sequence;
  (*row)["head"] = p.head;
  (*row)["checkpoint"] = p.checkpoint;
  (*row)["exported"] = p.exported.utc_seconds;
  (*row)["version"] = p.version;
}

}  // namespace

Json RecordRow(const ledger::Record& r, const std::string& origin, const std::string& chain) {
  return {{"ledger", origin},
          {"sequence", r.sequence},
          {"chain", chain},
          {"type", ledger::RecordTypeName(r.type)},
          {"village", r.village},
          {"id", r.id},
          {"date", r.date.ToString()},
          {"recorded", r.recorded.utc_seconds},
          {"recorded_offset", r.recorded.offset_minutes},
          {"code", r.code},
          {"name", r.name},
          {"household", r.household},
          {"person", r.person},
          {"subject", r.subject},
          {"item", r.item},
          {"reward", r.reward},
          {"qty", Decimal(r.qty.hundredths())},
          {"shares", r.shares},
          {"scorer", r.scorer},
          {"role", r.role},
          {"resident", r.resident},
          {"target", r.target},
          {"period", r.period},
          {"outcome", r.outcome},
          {"place", r.place},
          {"reason", r.reason},
          {"sha256", r.sha256},
          {"approved_by", r.approved_by},
          {"evidence", r.evidence}};
}

Json FigureRow(const Provenance& provenance, const std::string& township,
               const std::string& village, const engine::PeriodFigures& period,
               const engine::HouseholdFigures& f, const HouseholdExtras& extras,
               engine::PeriodState state) {
  Json row = {{"ledger", provenance.origin},
              {"township", township},
              {"village", village},
              {"household", f.household},
              {"period", period.period.ToString()},
              {"period_first", period.period.FirstDay().ToString()},
              {"period_last", period.period.LastDay().ToString()},
              {"carried", Decimal(f.carried)},
              {"base", Decimal(f.base)},
              {"person_points", Decimal(f.person_points)},
              {"household_points", Decimal(f.household_points)},
              {"bonus", Decimal(f.bonus)},
              {"earned", Decimal(f.earned)},
              {"redeemed", Decimal(f.redeemed)},
              {"balance", Decimal(f.balance)},
              {"cleared", Decimal(f.cleared)},
              {"rank", f.rank},
              {"vetoed", f.vetoed ? 1 : 0},
              {"pending", f.pending},
              {"members", f.members},
              {"positive_awards", extras.positive_awards},
              {"objections", extras.objections},
              {"titles", f.titles},
              {"state", engine::PeriodStateName(state)}};
  AddProvenance(provenance, &row);
  return row;
}

Json VillagePeriodRow(const Provenance& provenance, const engine::VillageComparison& c,
                      const engine::PeriodStatus& status) {
  Json codes = Json::array(), names = Json::array(), points = Json::array();
  for (const engine::CategoryPoints& k : c.categories) {
    codes.push_back(k.code);
    names.push_back(k.name);
    points.push_back(Decimal(k.points));
  }
  Json row = {
      {"ledger", provenance.origin},
      {"township", c.township},
      {"village", c.village},
      {"name", c.name},
      {"period", c.first.ToString()},
      {"period_first", c.first.FirstDay().ToString()},
      {"period_last", c.first.LastDay().ToString()},
      {"households", c.households},
      {"awards", c.awards},
      {"negative_records", c.negative_records},
      {"late_records", c.late_records},
      {"self_scored", c.self_scored},
      {"pending", c.pending},
      {"redeemed", Decimal(c.redeemed)},
      {"redeemed_yuan", c.redeemed_yuan ? Decimal(*c.redeemed_yuan) : Json()},
      {"category_codes", codes},
      {"category_names", names},
      {"category_points", points},
      {"state", engine::PeriodStateName(status.state)},
      {"posted", status.post ? Json(status.post->recorded.utc_seconds) : Json()},
      {"notice_until", status.notice_until ? Json(status.notice_until->ToString()) : Json()},
      {"objections", status.objections},
      {"open_objections", status.open_objections},
      {"upheld", status.upheld}};
  AddProvenance(provenance, &row);
  return row;
}

}  // namespace jifen::county
