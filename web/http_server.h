// The front door of `jifen serve`: GNU libmicrohttpd (Debian's libmicrohttpd12) under limits that
// count what is actually read, so that no client, however slow or large, can hold the office.
// Connections wait in epoll loops, not in worker threads; a request reaches the application
// (Handler) only once its head and body are whole and within bounds, on its loop for GET and HEAD,
// on a write thread for the others (the connection suspended meanwhile). docs/WEB.md "The front
// door" lists every limit, the status each breach is answered with, and why this library.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "util/status.h"
#include "web/http.h"

namespace jifen::web {

struct FrontDoorLimits {
  size_t header_bytes_max = 16 * 1024;   // request line and headers -> 431
  int header_lines_max = 100;            // -> 431
  int header_seconds_max = 10;           // from the request line to the end of the headers
  int idle_seconds_max = 30;             // a connection with no request under way
  int body_seconds_grace = 10;           // then a body must average at least...
  int body_bytes_per_second_min = 2048;  // ...this many bytes a second
  int connections_max = 4096;
  int connections_per_address_max = 256;  // a whole village behind one carrier-NAT address
  int event_threads = 16;                 // epoll loops; GET and HEAD are answered on them
  // Requests of every other method (the forms, which write) are answered on these, off the event
  // loops: a write waits for the group commit that holds it, and a loop waiting with it would hold
  // every other connection it serves. 0: on the loops too.
  int write_threads = 32;
  size_t form_fields_max = 400;
};

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                // 0: any free port
  bool listen = true;             // false: no socket; requests come only through HandleRaw
  std::string cert_pem, key_pem;  // both or neither: HTTPS (GnuTLS, through libmicrohttpd)
  // Peers whose X-Forwarded-For names the client (a reverse proxy in front); exact addresses.
  std::vector<std::string> trusted_proxies;
  FrontDoorLimits limits;
};

class HttpServer {
 public:
  // The application: given a whole request within bounds, fills the response.
  using Handler = std::function<void(Request&, Response&)>;
  // Called once the head is whole, before any body byte is read: sets the body bytes the request
  // may carry and returns true, or fills `answer` (a 404, a sign-in redirect, a 403) and returns
  // false, and the body is never read. So a stranger's body is bounded by the public forms'.
  using Admit = std::function<bool(const Request& head, size_t* body_bytes_max, Response* answer)>;
  // The page for a status the door answers by itself (408 is never sent: a connection past its
  // deadline is closed). `request` has method, path, headers and query only.
  using RefusalPage = std::function<void(int status, const Request&, Response&)>;

  // Binds and starts serving at once, until Stop() or destruction.
  static Result<std::unique_ptr<HttpServer>> Start(const HttpServerOptions& options, Admit admit,
                                                   RefusalPage refusal, Handler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const;
  void Stop();
  // Serves the bytes of one connection (requests as a client would send them, pipelined or not)
  // through the door exactly as a socket would, over a socket pair; returns everything answered.
  std::string HandleRaw(const std::string& bytes);

  struct Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace jifen::web
