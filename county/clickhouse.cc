#include "county/clickhouse.h"

#include <httplib.h>

#include <optional>
#include <sstream>

namespace jifen::county {
namespace {

constexpr time_t kConnectSeconds = 5;
// An insert of one batch or a merge-heavy query on a busy server can take a while.
constexpr time_t kAnswerSeconds = 300;

// ClickHouse's answer to a refused statement is "Code: N, e.displayText() = DB::Exception: …";
// its first line says what is wrong.
std::string FirstLine(const std::string& body) {
  std::string line = body.substr(0, body.find('\n'));
  return line.size() > 1000 ? line.substr(0, 1000) + "…" : line;
}

// `http(s)://HOST[:PORT][/]`: cpp-httplib's client takes the scheme, host and port apart, but
// takes a URL with a path or user for a host name.
std::optional<std::string> ServerOf(std::string url) {
  size_t scheme_end = url.find("://");
  std::string scheme = url.substr(0, scheme_end);
  if (scheme_end == std::string::npos || (scheme != "http" && scheme != "https"))
    return std::nullopt;
  if (url.back() == '/') url.pop_back();
  if (url.find_first_of("/?#@", scheme_end + 3) != std::string::npos) return std::nullopt;
  return url;
}

}  // namespace

Result<std::unique_ptr<ClickHouse>> ClickHouse::Open(const std::string& url) {
  Status not_one = Status::Usage(
      "--clickhouse " + url +
      ": not a server's URL; write http://HOST:PORT (ClickHouse's http_port, 8123 by default)");
  auto server = ServerOf(url);
  if (!server) return not_one;
  auto client = std::make_unique<httplib::Client>(*server);
  if (!client->is_valid()) return not_one;
  client->set_connection_timeout(kConnectSeconds);
  client->set_read_timeout(kAnswerSeconds);
  client->set_write_timeout(kAnswerSeconds);
  return std::unique_ptr<ClickHouse>(new ClickHouse(url, std::move(client)));
}

ClickHouse::ClickHouse(std::string url, std::unique_ptr<httplib::Client> client)
    : url_(std::move(url)), client_(std::move(client)) {}

ClickHouse::~ClickHouse() = default;

Result<std::string> ClickHouse::Post(std::string parameters, const std::string& body,
                                     const std::string& what) {
  if (!database_.empty()) parameters += (parameters.empty() ? "" : "&") + ("database=" + database_);
  auto res = client_->Post("/?" + parameters, body, "text/plain; charset=UTF-8");
  if (!res)
    return Status::IOError("clickhouse " + url_ + ": cannot " + what + ": " +
                           httplib::to_string(res.error()) +
                           " error (is the server running and is this its http_port?)");
  if (res->status != 200) {
    std::string said = FirstLine(res->body);
    return Status::InvalidInput("clickhouse " + url_ + ": " + what + " refused (HTTP " +
                                std::to_string(res->status) +
                                "): " + (said.empty() ? "no reason given" : said));
  }
  return res->body;
}

Result<std::string> ClickHouse::Query(const std::string& sql) {
  return Post("", sql, "run `" + FirstLine(sql) + "`");
}

Result<std::vector<nlohmann::json>> ClickHouse::JsonRows(const std::string& sql) {
  auto body = Post("output_format_json_quote_64bit_integers=0", sql + " FORMAT JSONEachRow",
                   "run `" + FirstLine(sql) + "`");
  if (!body.ok()) return body.status();
  std::vector<nlohmann::json> rows;
  std::istringstream in(*body);
  for (std::string line; std::getline(in, line);) {
    auto row = nlohmann::json::parse(line, nullptr, false);
    if (row.is_discarded() || !row.is_object())
      return Status::InvalidInput("clickhouse " + url_ + ": not a JSON row in its answer to `" +
                                  FirstLine(sql) + "`: " + FirstLine(line));
    rows.push_back(std::move(row));
  }
  return rows;
}

Status ClickHouse::InsertJsonRows(const std::string& table, const std::string& rows) {
  auto body = Post("query=INSERT%20INTO%20" + table + "%20FORMAT%20JSONEachRow", rows,
                   "insert into " + table);
  return body.ok() ? Status::Ok() : body.status();
}

std::string Quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

}  // namespace jifen::county
