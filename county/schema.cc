#include "county/schema.h"

#include <cassert>

namespace jifen::county {
namespace {

constexpr const char* kDecimal = "Decimal(18, 2)";
constexpr const char* kTime = "DateTime('Asia/Shanghai')";

// Where each row came from (docs/COUNTY.md "Provenance"): the chain head the figures were
// replayed at, the checkpoint it was signed in (empty until a ledger has checkpoints), when.
std::vector<Column> WithProvenance(std::vector<Column> columns) {
  for (Column c : std::initializer_list<Column>{{"through_sequence", "UInt64"},
                                                {"head", "String"},
                                                {"checkpoint", "String"},
                                                {"exported", kTime},
                                                {"version", "UInt64"}})
    columns.push_back(c);
  return columns;
}

TableSchema Records() {
  return {"records",
          "ReplacingMergeTree ORDER BY (ledger, sequence)",
          "",
          {{"ledger", "String"},
           {"sequence", "UInt64"},
           {"chain", "String"},
           {"type", "String"},
           {"village", "String"},
           {"id", "String"},
           {"date", "Date"},
           {"recorded", kTime},
           {"recorded_offset", "Int16"},
           {"code", "String"},
           {"name", "String"},
           {"household", "String"},
           {"person", "String"},
           {"subject", "String"},
           {"item", "String"},
           {"reward", "String"},
           {"qty", kDecimal},
           {"shares", "UInt32"},
           {"scorer", "String"},
           {"role", "String"},
           {"resident", "String"},
           {"target", "String"},
           {"period", "String"},
           {"outcome", "String"},
           {"place", "String"},
           {"reason", "String"},
           {"sha256", "String"},
           {"approved_by", "String"},
           {"evidence", "Array(String)"}}};
}

TableSchema Figures() {
  return {"figures",
          "ReplacingMergeTree(version) PARTITION BY toYear(period_first) "
          "ORDER BY (ledger, village, period, household)",
          "version",
          WithProvenance({{"ledger", "String"},
                          {"township", "String"},
                          {"village", "String"},
                          {"household", "String"},
                          {"period", "String"},
                          {"period_first", "Date"},
                          {"period_last", "Date"},
                          {"carried", kDecimal},
                          {"base", kDecimal},
                          {"person_points", kDecimal},
                          {"household_points", kDecimal},
                          {"bonus", kDecimal},
                          {"earned", kDecimal},
                          {"redeemed", kDecimal},
                          {"balance", kDecimal},
                          {"cleared", kDecimal},
                          {"rank", "UInt32"},
                          {"vetoed", "UInt8"},
                          {"pending", "UInt32"},
                          {"members", "UInt32"},
                          {"positive_awards", "UInt32"},
                          {"objections", "UInt32"},
                          {"titles", "Array(String)"},
                          {"state", "String"}})};
}

TableSchema VillagePeriods() {
  return {"village_periods", "ReplacingMergeTree(version) ORDER BY (ledger, village, period)",
          "version",
          WithProvenance({{"ledger", "String"},
                          {"township", "String"},
                          {"village", "String"},
                          {"name", "String"},
                          {"period", "String"},
                          {"period_first", "Date"},
                          {"period_last", "Date"},
                          {"households", "UInt32"},
                          {"awards", "UInt32"},
                          {"negative_records", "UInt32"},
                          {"late_records", "UInt32"},
                          {"self_scored", "UInt32"},
                          {"pending", "UInt32"},
                          {"redeemed", kDecimal},
                          {"redeemed_yuan", "Nullable(Decimal(18, 2))"},
                          {"category_codes", "Array(String)"},
                          {"category_names", "Array(String)"},
                          {"category_points", "Array(Decimal(18, 2))"},
                          {"state", "String"},
                          {"posted", "Nullable(DateTime('Asia/Shanghai'))"},
                          {"notice_until", "Nullable(Date)"},
                          {"objections", "UInt32"},
                          {"open_objections", "UInt32"},
                          {"upheld", "UInt32"}})};
}

TableSchema Exports() {
  return {"exports",
          "MergeTree ORDER BY (ledger, through_sequence)",
          "",
          {{"ledger", "String"},
           {"from_sequence", "UInt64"},
           {"through_sequence", "UInt64"},
           {"head", "String"},
           {"checkpoint", "String"},
           {"records_sent", "UInt64"},
           {"villages", "UInt32"},
           {"exported", kTime},
           {"jifen", "String"}}};
}

std::string ColumnsSql(const TableSchema& table) {
  std::string sql;
  for (const Column& c : table.columns)
    sql += std::string(sql.empty() ? "\n  " : ",\n  ") + c.name + " " + c.type;
  return sql;
}

}  // namespace

const std::vector<TableSchema>& Tables() {
  static const std::vector<TableSchema> tables = {Records(), Figures(), VillagePeriods(),
                                                  Exports()};
  return tables;
}

const TableSchema& TableNamed(const std::string& name) {
  for (const TableSchema& t : Tables())
    if (name == t.name) return t;
  assert(false && "no such table");
  return Tables().front();
}

std::string CreateTableSql(const TableSchema& table, const std::string& database) {
  return "CREATE TABLE IF NOT EXISTS " + database + "." + table.name + " (" + ColumnsSql(table) +
         "\n) ENGINE = " + table.engine;
}

std::string CreateDistributedSql(const TableSchema& table, const std::string& database,
                                 const std::string& cluster) {
  return "CREATE TABLE IF NOT EXISTS " + database + "." + table.name + " (" + ColumnsSql(table) +
         "\n) ENGINE = Distributed(" + cluster + ", '', " + table.name + ", cityHash64(ledger))";
}

Status CheckColumns(const TableSchema& table, const std::string& database,
                    const std::vector<std::pair<std::string, std::string>>& found) {
  std::string subject = "table " + database + "." + table.name + ": ";
  for (size_t i = 0; i < table.columns.size(); ++i) {
    const Column& want = table.columns[i];
    if (i >= found.size())
      return Status::InvalidInput(subject + "has no column " + want.name + " (" + want.type +
                                  "); not a table jifen export made");
    if (found[i].first != want.name || found[i].second != want.type)
      return Status::InvalidInput(subject + "column " + std::to_string(i + 1) + " is " +
                                  found[i].first + " " + found[i].second + ", expected " +
                                  want.name + " " + want.type + "; not a table jifen export made");
  }
  if (found.size() > table.columns.size())
    return Status::InvalidInput(
        subject + "has a column jifen export does not write: " + found[table.columns.size()].first);
  return Status::Ok();
}

bool IsPlainName(const std::string& text, bool database) {
  if (text.empty() || text.size() > 64) return false;
  if (!((text[0] >= 'A' && text[0] <= 'Z') || (text[0] >= 'a' && text[0] <= 'z'))) return false;
  for (char c : text) {
    bool letter_or_digit =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!letter_or_digit && (database || (c != '.' && c != '-'))) return false;
  }
  return true;
}

}  // namespace jifen::county
