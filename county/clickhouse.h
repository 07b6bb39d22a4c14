// A ClickHouse server over its HTTP interface (cpp-httplib's client): one statement per request,
// the statement in the body, rows inserted as JSONEachRow. Errors name the server, then what
// ClickHouse or the connection said.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "util/status.h"

namespace httplib {
class Client;
}

namespace jifen::county {

class ClickHouse {
 public:
  // A client of the server at `url` (`http://HOST:PORT` or `https://HOST:PORT`, no path).
  // Status::Usage when the URL is not one; nothing is sent yet.
  static Result<std::unique_ptr<ClickHouse>> Open(const std::string& url);
  ~ClickHouse();
  ClickHouse(const ClickHouse&) = delete;
  ClickHouse& operator=(const ClickHouse&) = delete;

  const std::string& url() const { return url_; }
  // The database that unqualified table names in statements name (ClickHouse's `default`
  // otherwise); must be a plain name (IsPlainName).
  void UseDatabase(const std::string& database) { database_ = database; }

  // Runs one statement and returns what the server answered (empty for DDL). Status::IOError
  // when the server cannot be reached or does not answer in time; Status::InvalidInput with
  // ClickHouse's own message when it refuses the statement.
  Result<std::string> Query(const std::string& sql);
  // Query with FORMAT JSONEachRow: one object a row (64-bit integers as JSON numbers, decimals
  // as JSON numbers).
  Result<std::vector<nlohmann::json>> JsonRows(const std::string& sql);
  // Inserts `rows` (JSON objects, one a line) into DATABASE.TABLE in one request.
  Status InsertJsonRows(const std::string& table, const std::string& rows);

 private:
  ClickHouse(std::string url, std::unique_ptr<httplib::Client> client);
  // POSTs `body` to /?PARAMETERS (and the database's).
  Result<std::string> Post(std::string parameters, const std::string& body,
                           const std::string& what);

  std::string url_;
  std::unique_ptr<httplib::Client> client_;
  std::string database_;
};

// Escapes `text` for a single-quoted ClickHouse string literal.
std::string Quoted(const std::string& text);

}  // namespace jifen::county
