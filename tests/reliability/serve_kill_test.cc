// Crash safety of `jifen serve` through the real binary: 20 scorers record awards over HTTP at
// once, the server is SIGKILLed mid-run and started again. Afterwards every award whose POST got
// its success answer (303 to /record?done=ID) is in the ledger under that id, no award is there
// that was neither acknowledged nor in flight when the server died, and `jifen verify` passes:
//   acknowledged ⊆ awards in the ledger ⊆ acknowledged ∪ in flight at the kill.
// An award is in flight when its POST was sent (or being sent) and no answer came back. Each
// client has at most one request open, so at most 20 awards are in flight.
// JIFEN_SERVE_KILL_ROUNDS sets the number of kills (default 1).
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <map>
#include <mutex>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/reliability/harness.h"
#include "util/date.h"

namespace jifen::reliability {
namespace {

constexpr int kClients = 20;

int Rounds() {
  const char* given = std::getenv("JIFEN_SERVE_KILL_ROUNDS");
  return given != nullptr && std::atoi(given) > 0 ? std::atoi(given) : 1;
}

// A TCP port that was free a moment ago on 127.0.0.1.
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = -1;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

std::string ScorerCode(int i) {
  char code[8];
  std::snprintf(code, sizeof code, "K%02d", i);
  return code;
}

// The sample village plus scorers K01..K20 and one scorer account for each ("password-K01" ...).
void SetUpScorers(const ScratchDir& scratch, const std::string& ledger) {
  SetUpSampleVillage(scratch, ledger);
  std::string text;
  for (int i = 1; i <= kClients; ++i) {
    text += R"({"type":"scorer","village":"SYS","scorer":")" + ScorerCode(i) +
            R"(","name":"网格员","role":"网格员","recorded":"2022-01-01T08:00:00+08:00"})"
            "\n";
  }
  Outcome r = Jifen(scratch, ledger, {"import", scratch.Write("scorers.jsonl", text)});
  ASSERT_EQ(r.rc, 0) << r.err;
  for (int i = 1; i <= kClients; ++i) {
    std::string code = ScorerCode(i);
    std::string file = scratch.Write("pw-" + code, "password-" + code + "\n");
    r = Jifen(scratch, ledger,
              {"user", "add", code, "--role", "scorer", "--village", "SYS", "--scorer", code,
               "--password-file", file});
    ASSERT_EQ(r.rc, 0) << r.err;
  }
}

class Server {
 public:
  Server(const ScratchDir& scratch, const std::string& ledger, const std::string& name)
      : port_(FreePort()), out_(scratch.Path(name + ".out")), err_(scratch.Path(name + ".err")) {
    pid_ =
        StartJifen({"--ledger", ledger, "serve", "--listen", "127.0.0.1:" + std::to_string(port_)},
                   out_, err_);
  }
  // Whether it answers within 60 s.
  bool Ready() {
    for (int i = 0; i < 600; ++i) {
      httplib::Client client("127.0.0.1", port_);
      if (auto res = client.Get("/login")) return res->status == 200;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }
  Outcome Kill() {
    kill(pid_, SIGKILL);
    return WaitJifen(pid_, std::chrono::seconds(60), out_, err_);
  }
  int port() const { return port_; }

 private:
  int port_;
  std::string out_, err_;
  pid_t pid_;
};

struct Session {
  std::string cookie, csrf;
};

Session SignIn(int port, const std::string& name, const std::string& password) {
  httplib::Client client("127.0.0.1", port);
  Session s;
  auto page = client.Get("/login");
  if (!page) return s;
  std::string login;
  for (size_t i = 0; i < page->get_header_value_count("Set-Cookie"); ++i) {
    std::string c = page->get_header_value("Set-Cookie", i);
    if (c.rfind("jifen_login=", 0) == 0) login = c.substr(0, c.find(';'));
  }
  httplib::Params form{
      {"name", name}, {"password", password}, {"csrf", login.substr(login.find('=') + 1)}};
  auto res = client.Post("/login", {{"Cookie", login}}, form);
  if (!res) return s;
  for (size_t i = 0; i < res->get_header_value_count("Set-Cookie"); ++i) {
    std::string c = res->get_header_value("Set-Cookie", i);
    if (c.rfind("jifen_session=", 0) == 0 && c.rfind("jifen_session=;", 0) != 0)
      s.cookie = c.substr(0, c.find(';'));
  }
  auto home = client.Get("/", {{"Cookie", s.cookie}});
  std::smatch m;
  if (home &&
      std::regex_search(home->body, m, std::regex(R"re(name="csrf" value="([0-9a-f]{64})")re"))) {
    s.csrf = m[1];
  }
  return s;
}

// The id of an award the server acknowledged: the `done` of its redirect, or "" when the answer
// was no acknowledgement.
std::string AcknowledgedId(const httplib::Response& res) {
  const std::string prefix = "/record?done=";
  std::string location = res.get_header_value("Location");
  if (res.status != 303 || location.rfind(prefix, 0) != 0) return "";
  return location.substr(prefix.size());
}

// What the clients saw, by the award's reason (unique per POST).
struct Observed {
  std::mutex mutex;
  std::map<std::string, std::string> acknowledged;  // reason -> id
  std::set<std::string> in_flight;                  // reasons with no answer
  std::set<std::string> refused;                    // reasons answered with anything but a 303
  std::atomic<int> acknowledged_count{0};
};

// Client `i` records awards until a POST gets no answer.
void RecordUntilKilled(int port, int i, const Session& s, int round, Observed* seen) {
  for (int n = 0;; ++n) {
    std::string reason =
        "kill-r" + std::to_string(round) + "-c" + std::to_string(i) + "-n" + std::to_string(n);
    httplib::Params form{{"csrf", s.csrf},
                         {"subject", n % 2 == 0 ? "P1" : "P2"},
                         {"item", "C1.01"},
                         {"qty", "1"},
                         {"date", Timestamp::Now().LocalDate().ToString()},
                         {"place", "村口"},
                         {"reason", reason}};
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(30, 0);
    auto res = client.Post("/record", {{"Cookie", s.cookie}}, form);
    std::lock_guard lock(seen->mutex);
    if (!res) {
      seen->in_flight.insert(reason);
      return;
    }
    std::string id = AcknowledgedId(*res);
    if (id.empty()) {
      seen->refused.insert(reason);
      continue;
    }
    seen->acknowledged[reason] = id;
    ++seen->acknowledged_count;
  }
}

// reason -> id of every award in the ledger whose reason starts with "kill-".
std::map<std::string, std::string> AwardsInLedger(const ScratchDir& scratch,
                                                  const std::string& ledger) {
  Outcome r = Jifen(scratch, ledger, {"log", "--village", "SYS"});
  EXPECT_EQ(r.rc, 0) << r.err;
  std::map<std::string, std::string> out;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(R"({"type":"award")", 0) != 0) continue;
    auto j = nlohmann::json::parse(line);
    std::string reason = j.value("reason", "");
    if (reason.rfind("kill-", 0) != 0) continue;
    EXPECT_FALSE(out.count(reason)) << "two awards with reason " << reason;
    out[reason] = j.value("id", "");
  }
  return out;
}

TEST(KillServe, EveryAcknowledgedAwardSurvivesASigkillAndNothingElseIsWritten) {
  ScratchDir scratch;
  const std::string ledger = scratch.Path("ledger");
  SetUpScorers(scratch, ledger);
  if (HasFatalFailure()) return;
  std::mt19937 random(std::random_device{}());
  std::map<std::string, std::string> all_acknowledged;
  std::set<std::string> all_in_flight;
  const int rounds = Rounds();
  for (int round = 0; round < rounds; ++round) {
    Server server(scratch, ledger, "serve" + std::to_string(round));
    ASSERT_TRUE(server.Ready()) << "round " << round << ": the server does not answer"
                                << tests::LoadAverage();
    std::vector<Session> sessions;
    for (int i = 1; i <= kClients; ++i) {
      sessions.push_back(SignIn(server.port(), ScorerCode(i), "password-" + ScorerCode(i)));
      ASSERT_FALSE(sessions.back().csrf.empty()) << ScorerCode(i) << " cannot sign in";
    }
    // Kill after a random number of acknowledged awards, while all 20 clients are recording.
    int kill_after = std::uniform_int_distribution<int>(20, 150)(random);
    Observed seen;
    std::vector<std::thread> clients;
    for (int i = 0; i < kClients; ++i) {
      clients.emplace_back(RecordUntilKilled, server.port(), i, sessions[i], round, &seen);
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (seen.acknowledged_count < kill_after && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    Outcome killed = server.Kill();
    for (auto& t : clients) t.join();
    ASSERT_EQ(killed.rc, kSignalled) << "round " << round << ": " << killed.err;
    ASSERT_EQ(killed.signal, SIGKILL);
    EXPECT_GE(seen.acknowledged_count, kill_after)
        << "the clients were too slow" << tests::LoadAverage();
    EXPECT_TRUE(seen.refused.empty())
        << seen.refused.size() << " POSTs refused, e.g. " << *seen.refused.begin();
    EXPECT_EQ(seen.in_flight.size(),
              static_cast<size_t>(kClients));  // every client ends on the kill

    // Started again on the same ledger, it serves and takes a new award.
    Server again(scratch, ledger, "again" + std::to_string(round));
    ASSERT_TRUE(again.Ready()) << "round " << round << ": no restart after the kill"
                               << tests::LoadAverage();
    Session s = SignIn(again.port(), ScorerCode(1), "password-" + ScorerCode(1));
    ASSERT_FALSE(s.csrf.empty());
    httplib::Client client("127.0.0.1", again.port());
    std::string reason = "kill-r" + std::to_string(round) + "-after";
    auto res = client.Post("/record", {{"Cookie", s.cookie}},
                           httplib::Params{{"csrf", s.csrf},
                                           {"subject", "P1"},
                                           {"item", "C1.01"},
                                           {"qty", "1"},
                                           {"date", Timestamp::Now().LocalDate().ToString()},
                                           {"reason", reason}});
    ASSERT_TRUE(res);
    std::string after_id = AcknowledgedId(*res);
    ASSERT_FALSE(after_id.empty()) << res->status << res->body;
    again.Kill();

    all_acknowledged.insert(seen.acknowledged.begin(), seen.acknowledged.end());
    all_acknowledged[reason] = after_id;
    all_in_flight.insert(seen.in_flight.begin(), seen.in_flight.end());
    std::map<std::string, std::string> in_ledger = AwardsInLedger(scratch, ledger);
    for (const auto& [why, id] : all_acknowledged) {
      auto it = in_ledger.find(why);
      ASSERT_NE(it, in_ledger.end()) << "round " << round << ": acknowledged award " << id << " ("
                                     << why << ") is not in the ledger";
      EXPECT_EQ(it->second, id) << why;
    }
    for (const auto& [why, id] : in_ledger) {
      EXPECT_TRUE(all_acknowledged.count(why) || all_in_flight.count(why))
          << "round " << round << ": award " << id << " (" << why
          << ") was neither acknowledged nor in flight";
    }
    std::printf(
        "round %d: killed after %d acknowledged awards; %zu of %zu in flight were written\n", round,
        seen.acknowledged_count.load(), in_ledger.size() - all_acknowledged.size(),
        all_in_flight.size());
    Outcome verify = Jifen(scratch, ledger, {"verify"});
    ASSERT_EQ(verify.rc, 0) << "round " << round << ": " << verify.out << verify.err;
  }
}

}  // namespace
}  // namespace jifen::reliability
