// jifen-serve, the program `jifen serve` runs in its place (cli/cmd_serve.cc execs it, from beside
// the jifen binary). Debian's libmicrohttpd is a shared library with GnuTLS behind it; keeping it
// out of `jifen` keeps every other command's start-up free of them (docs/PERFORMANCE.md "Process
// start"), and `jifen` itself keeps its static libstdc++.
//   usage (by jifen only): jifen-serve LEDGER_DIR HOST PORT CERT KEY [TRUSTED_PROXY...]
#include <cstdio>
#include <cstdlib>
#include <exception>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "web/server.h"

int main(int argc, char** argv) {
  if (argc < 6) {
    std::fprintf(stderr, "jifen-serve: run it as `jifen serve` (see jifen serve --help)\n");
    return 2;
  }
  const char* ledger_dir = argv[1];
  const char* host = argv[2];
  int port = std::atoi(argv[3]);
  const char* cert = argv[4];
  const char* key = argv[5];
  try {
    jifen::web::ServeOptions options;
    options.ledger_dir = ledger_dir;
    options.host = host;
    options.port = port;
    options.cert_file = cert;
    options.key_file = key;
    for (int i = 6; i < argc; ++i) options.trusted_proxies.push_back(argv[i]);
    auto app = jifen::web::App::Open(options);
    if (!app.ok()) {
      std::fprintf(stderr, "jifen: %s\n", app.status().message().c_str());
      return 1;
    }
    auto bound = (*app)->Bind();
    if (!bound.ok()) {
      std::fprintf(stderr, "jifen: %s\n", bound.status().message().c_str());
      return 1;
    }
    std::printf("jifen serve: %s://%s:%d/\n", *cert ? "https" : "http", host, *bound);
    std::fflush(stdout);
    // The server's log (sign-ins, refusals, lock-outs) goes to standard error, with the time.
    spdlog::set_default_logger(spdlog::stderr_color_mt("jifen-serve"));
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S%z %l %v");
    (*app)->Run();
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "jifen: serve: %s\n", e.what());
    return 1;
  }
}
