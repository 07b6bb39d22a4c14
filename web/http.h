// A request as the front door (web/http_server.h) hands it to the application, and the answer the
// application gives: plain values, no sockets. The handlers of web/pages_*.cc read and write only
// these, so the HTTP library behind them can change without touching a page.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace jifen::web {

// One part of a multipart/form-data body: a file (a photo) or a plain field.
struct FormPart {
  std::string filename;      // empty for a plain field
  std::string content_type;  // as the browser sent it
  std::string content;
};

struct Request {
  std::string method;  // "GET", "POST", "HEAD", ...
  std::string path;    // decoded by the HTTP library, without the query
  // Header names in lower case. A name sent twice keeps both values.
  std::multimap<std::string, std::string> headers;
  // Query parameters and urlencoded body fields, decoded, in the order they came (query first).
  std::multimap<std::string, std::string> params;
  // A multipart/form-data body's parts by field name.
  std::multimap<std::string, FormPart> parts;
  bool multipart = false;
  std::string body;  // a body that is neither urlencoded nor multipart, as sent
  // The client's address: the peer's, or X-Forwarded-For's last hop when the peer is a trusted
  // proxy (ServeOptions::trusted_proxies).
  std::string remote_addr;
  std::vector<std::string> matches;  // the route pattern's captures, [0] the whole path

  // The first value of query parameter or urlencoded field `name`, or "".
  std::string Param(std::string_view name) const;
  bool HasParam(std::string_view name) const;
  // The first value of header `name` (any case), or "".
  std::string Header(std::string_view name) const;
  // A multipart part by field name, or nullptr.
  const FormPart* Part(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>>
      headers;  // in the order set; never Content-Length
  std::string body;

  void SetHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
  void SetContent(std::string content, std::string content_type) {
    body = std::move(content);
    std::erase_if(headers, [](const auto& header) { return header.first == "Content-Type"; });
    SetHeader("Content-Type", std::move(content_type));
  }
  bool HasHeader(std::string_view name) const;
  std::string Header(std::string_view name) const;
};

// `text` percent-encoded for a query parameter's value (RFC 3986 unreserved characters kept).
std::string EncodeQueryParam(std::string_view text);

}  // namespace jifen::web
