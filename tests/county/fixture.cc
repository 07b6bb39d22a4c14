#include "tests/county/fixture.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "county/clickhouse.h"
#include "tests/common/files.h"

namespace jifen::tests {
namespace {

std::string Config(const std::string& dir, int http_port, int tcp_port) {
  std::string tcp = std::to_string(tcp_port);
  std::string shards;
  for (const char* database : kShardDatabases)
    shards += "<shard><replica><host>127.0.0.1</host><port>" + tcp + "</port><default_database>" +
              database + "</default_database></replica></shard>";
  return "<?xml version=\"1.0\"?>\n<yandex>\n"
         "<logger><level>warning</level><log>" +
         dir + "/server.log</log><errorlog>" + dir +
         "/server.err.log</errorlog></logger>\n"
         "<http_port>" +
         std::to_string(http_port) +
         "</http_port>\n"
         "<tcp_port>" +
         tcp +
         "</tcp_port>\n"
         "<listen_host>127.0.0.1</listen_host>\n"
         "<path>" +
         dir + "/data/</path><tmp_path>" + dir +
         "/tmp/</tmp_path>\n"
         "<user_files_path>" +
         dir +
         "/user_files/</user_files_path>\n"
         "<format_schema_path>" +
         dir +
         "/format_schemas/</format_schema_path>\n"
         "<mark_cache_size>67108864</mark_cache_size>\n"
         "<uncompressed_cache_size>67108864</uncompressed_cache_size>\n"
         "<users><default><password></password><networks><ip>127.0.0.1</ip></networks>"
         "<profile>default</profile><quota>default</quota></default></users>\n"
         "<profiles><default></default></profiles><quotas><default></default></quotas>\n"
         "<remote_servers><" +
         std::string(kTwoShards) + ">" + shards + "</" + kTwoShards +
         "></remote_servers>\n</yandex>\n";
}

pid_t Spawn(const std::string& dir, const std::string& config) {
  std::string output = dir + "/stdout", flag = "--config-file=" + config;
  pid_t pid = fork();
  if (pid != 0) return pid;
  // The server goes with the test binary, however that ends.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  int out = open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  dup2(out, STDOUT_FILENO);
  dup2(out, STDERR_FILENO);
  int in = open("/dev/null", O_RDONLY);
  dup2(in, STDIN_FILENO);
  execl(kClickHouseServer, "clickhouse-server", flag.c_str(), static_cast<char*>(nullptr));
  _exit(127);
}

}  // namespace

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t size = sizeof address;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), size) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0)
    port = ntohs(address.sin_port);
  close(fd);
  return port;
}

std::unique_ptr<ClickHouseServer> ClickHouseServer::Start(const std::string& dir,
                                                          std::string* why) {
  std::unique_ptr<ClickHouseServer> server(new ClickHouseServer());
  server->http_port_ = FreePort();
  int tcp_port = FreePort();
  std::string config = dir + "/config.xml";
  WriteFile(config, Config(dir, server->http_port_, tcp_port));
  server->pid_ = Spawn(dir, config);
  auto client = county::ClickHouse::Open(server->url());
  auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  while (std::chrono::steady_clock::now() < deadline) {
    if ((*client)->Query("SELECT 1").ok()) return server;
    int status = 0;
    if (waitpid(server->pid_, &status, WNOHANG) == server->pid_) {
      server->pid_ = -1;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  std::string log = ReadFile(dir + "/server.err.log") + ReadFile(dir + "/stdout");
  *why = "clickhouse-server --config-file=" + config + " did not answer on " + server->url() +
         " within a minute: " + log.substr(log.size() > 2000 ? log.size() - 2000 : 0);
  return nullptr;  // the destructor stops it
}

ClickHouseServer::~ClickHouseServer() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  int status = 0;
  while (waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace jifen::tests
