// The tables `jifen export` writes in ClickHouse (docs/COUNTY.md "Tables"): their columns and
// engines in one table, the DDL that creates them on one server, the Distributed variant over a
// cluster's shards (docs/SCALE.md), and the check that a database's existing tables are the ones
// the export writes.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "util/status.h"

namespace jifen::county {

struct Column {
  const char* name;
  const char* type;  // as ClickHouse 18.16 prints it in system.columns
};

struct TableSchema {
  const char* name;
  const char* engine;   // ENGINE = …, with its ORDER BY
  const char* version;  // the ReplacingMergeTree version column, or ""
  std::vector<Column> columns;
};

// records, figures, village_periods, exports: the tables of one export database, in the order
// they are created.
const std::vector<TableSchema>& Tables();
const TableSchema& TableNamed(const std::string& name);

// CREATE TABLE IF NOT EXISTS DATABASE.NAME (…) ENGINE = …
std::string CreateTableSql(const TableSchema& table, const std::string& database);

// A Distributed table DATABASE.NAME over `cluster`'s shards, each holding the table NAME in its
// replica's default database (`<default_database>` of the cluster's configuration), rows spread
// by the ledger's origin so that one township's rows stay on one shard.
std::string CreateDistributedSql(const TableSchema& table, const std::string& database,
                                 const std::string& cluster);

// Whether `found` (name, type pairs of `database`.`table` as system.columns lists them, in
// position order) are the schema's columns. Status::InvalidInput naming the first difference.
Status CheckColumns(const TableSchema& table, const std::string& database,
                    const std::vector<std::pair<std::string, std::string>>& found);

// Whether `text` may name a database or an origin without quoting: 1 to 64 of [A-Za-z0-9_.-],
// starting with a letter (a database name may not hold '.' or '-').
bool IsPlainName(const std::string& text, bool database);

}  // namespace jifen::county
