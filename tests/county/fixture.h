// A real ClickHouse server for the county's tests: clickhouse-server started from a configuration
// of its own (free loopback ports, its own data path under a scratch directory, a cluster of two
// shards on itself for the Distributed tables), stopped when the object goes away, and killed
// with the test binary if that dies first.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

namespace jifen::tests {

inline constexpr const char* kClickHouseServer = "/usr/sbin/clickhouse-server";

// The cluster of the configuration: two shards, both this server, whose replicas' default
// databases are these.
inline constexpr const char* kTwoShards = "two_shards";
inline constexpr const char* kShardDatabases[] = {"shard1", "shard2"};

// A loopback TCP port nothing listens on now.
int FreePort();

class ClickHouseServer {
 public:
  // Starts the server with its files in `dir` and waits until it answers (at most a minute).
  // nullptr, with the reason (and the end of its log) in *why, when it does not.
  static std::unique_ptr<ClickHouseServer> Start(const std::string& dir, std::string* why);
  ~ClickHouseServer();  // SIGTERM, then SIGKILL if it has not stopped within 30 seconds
  ClickHouseServer(const ClickHouseServer&) = delete;
  ClickHouseServer& operator=(const ClickHouseServer&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(http_port_); }

 private:
  ClickHouseServer() = default;
  pid_t pid_ = -1;
  int http_port_ = 0;
};

}  // namespace jifen::tests
