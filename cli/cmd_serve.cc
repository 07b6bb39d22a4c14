// serve and user add: the web application (web/) on this ledger, and its accounts.
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/clerk_input.h"
#include "cli/commands.h"
#include "engine/model.h"
#include "accounts/accounts.h"

namespace jifen::cli {
namespace {

// Reads a line from the terminal without echo.
std::optional<std::string> PromptHidden(const std::string& prompt) {
  FILE* tty = std::fopen("/dev/tty", "r+");
  if (!tty) return std::nullopt;
  std::fputs(prompt.c_str(), tty);
  std::fflush(tty);
  termios old_mode{};
  bool restore = tcgetattr(fileno(tty), &old_mode) == 0;
  if (restore) {
    termios quiet = old_mode;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
  }
  char buffer[1024];
  bool got = std::fgets(buffer, sizeof buffer, tty) != nullptr;
  if (restore) tcsetattr(fileno(tty), TCSAFLUSH, &old_mode);
  std::fputs("\n", tty);
  std::fclose(tty);
  if (!got) return std::nullopt;
  std::string line(buffer);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  return line;
}

Result<std::string> ReadPassword(const std::string& file) {
  if (!file.empty()) {
    std::ifstream in(file);
    std::string line;
    if (!in || !std::getline(in, line))
      return Status::InvalidInput(file + ": cannot read a password from it");
    while (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.size() < 8)
      return Status::InvalidInput(file + ": the password must have at least 8 characters");
    return line;
  }
  auto first = PromptHidden("password: ");
  if (!first)
    return Status::Usage("user add: no terminal to ask for the password; give --password-file F");
  if (first->size() < 8)
    return Status::InvalidInput("user add: the password must have at least 8 characters");
  auto second = PromptHidden("again: ");
  if (!second || *second != *first)
    return Status::InvalidInput("user add: the two passwords differ; nothing written");
  return *first;
}

}  // namespace

int RunUserAdd(const Globals& g, const accounts::Account& account, const std::string& password_file) {
  if (account.role == "scorer" && account.scorer.empty())
    return Fail(Status::Usage(
        "user add: a scorer account needs --scorer S, the registered scorer it records as"));
  auto ledger = OpenLedger(g);
  if (!ledger.ok()) return Fail(ledger.status());
  {
    auto reader = (*ledger)->Snapshot();
    if (!reader.ok()) return Fail(reader.status());
    auto model = engine::LoadVillageStructure(**reader, account.village, (*reader)->HeadSequence());
    if (!model.ok()) return Fail(model.status());
    if (model->adoptions.empty() && model->households.empty())
      return Fail(Status::InvalidInput("village " + account.village + ": not in the ledger"));
    if (!account.scorer.empty() && !model->scorers.count(account.scorer))
      return Fail(Status::InvalidInput("scorer " + account.scorer + ": not registered in village " +
                                       account.village));
  }
  auto password = ReadPassword(password_file);
  if (!password.ok()) return Fail(password.status());
  auto store = accounts::AccountStore::Open(g.ledger_dir + "/accounts", true);
  if (!store.ok()) return Fail(store.status());
  if (Status s = (*store)->AddUser(account, *password); !s.ok()) return Fail(s);
  std::cout << "user " << account.name << " (" << account.role << ", village " << account.village
            << (account.scorer.empty() ? "" : ", scorer " + account.scorer) << ") added\n";
  return 0;
}

int RunServe(const Globals& g, const std::string& listen, const std::string& cert,
             const std::string& key, const std::vector<std::string>& trusted_proxies) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos)
    return Fail(Status::Usage("--listen " + listen + ": write HOST:PORT"));
  std::string host = listen.substr(0, colon);
  int port = 0;
  try {
    port = std::stoi(listen.substr(colon + 1));
  } catch (...) {
    return Fail(Status::Usage("--listen " + listen + ": write HOST:PORT"));
  }
  // The server is a program beside the binary (web/serve_main.cc), run in this process's place.
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::string program = (self.parent_path() / "jifen-serve").string();
  if (const char* given = std::getenv("JIFEN_SERVE_PROGRAM")) program = given;
  std::string port_text = std::to_string(port);
  std::vector<const char*> argv = {program.c_str(),   g.ledger_dir.c_str(), host.c_str(),
                                   port_text.c_str(), cert.c_str(),         key.c_str()};
  for (const std::string& proxy : trusted_proxies) argv.push_back(proxy.c_str());
  argv.push_back(nullptr);
  std::cout << std::flush;
  execv(program.c_str(), const_cast<char* const*>(argv.data()));
  return Fail(Status::IOError("serve: cannot run " + program + ": " + std::strerror(errno)));
}

}  // namespace jifen::cli
