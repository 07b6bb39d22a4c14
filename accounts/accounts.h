// Accounts and sessions of `jifen serve`, kept OUTSIDE the hash chain: a separate LMDB environment
// at LEDGER_DIR/accounts/ (the ledger's own format is untouched). Passwords are hashed with scrypt;
// sessions are random 256-bit tokens with an expiry and a CSRF token of their own; the store also
// keeps the server secret that household card links are signed with.
#pragma once

#include <lmdb.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "util/status.h"

namespace jifen::accounts {

// The roles of docs/WEB.md. "public" is not a role an account can have: it marks routes open
// to anyone in the route table.
inline const std::vector<std::string>& AccountRoles() {
  static const std::vector<std::string> roles{"clerk", "scorer", "township", "auditor"};
  return roles;
}

struct Account {
  std::string name;
  std::string role;     // one of AccountRoles()
  std::string village;  // the village the account works in
  std::string scorer;   // the registered scorer it records as; required for role "scorer"
};

// Sessions one account may hold at once (phones, the office PC, a browser that lost its cookie).
inline constexpr size_t kSessionsPerAccountMax = 16;

struct Session {
  std::string token;  // 64 hex (256 random bits): the cookie's value
  std::string csrf;   // 64 hex: the hidden field every form of the session carries
  std::string account;
  int64_t expires = 0;  // UTC seconds
};

class AccountStore {
 public:
  // Opens (creating when `create`) the store at `dir` (LEDGER_DIR/accounts). Creates the server
  // secret on first open.
  static Result<std::unique_ptr<AccountStore>> Open(const std::string& dir, bool create);
  ~AccountStore();
  AccountStore(const AccountStore&) = delete;
  AccountStore& operator=(const AccountStore&) = delete;

  // Adds `account` with `password` (hashed here). InvalidInput when the name is taken.
  Status AddUser(const Account& account, const std::string& password);
  std::optional<Account> FindUser(const std::string& name) const;
  // The account when `password` is its password (constant-time compare), else nullopt.
  std::optional<Account> CheckPassword(const std::string& name, const std::string& password) const;

  // A new session for `account`, valid for `seconds` from `now`. Purges expired sessions, and
  // ends the account's oldest when it has kSessionsPerAccountMax.
  Result<Session> CreateSession(const std::string& account, int64_t now, int64_t seconds);
  // Sessions kept, expired or not (for tests and the log).
  size_t SessionCount() const;
  // The session of `token` when it exists and has not expired at `now`.
  std::optional<Session> FindSession(const std::string& token, int64_t now) const;
  Status DeleteSession(const std::string& token);

  // 32 random bytes, created once per store: the key of the household card links.
  const std::string& secret() const { return secret_; }
  // A household's card link, /h/VILLAGE/HOUSEHOLD/TOKEN (docs/WEB.md), and its token: the
  // HMAC-SHA256 of "VILLAGE|HOUSEHOLD" under secret(), so that one card's link tells nothing of
  // another's. The printed cards, the demo and every page behind a card use these two.
  std::string CardToken(const std::string& village, const std::string& household) const;
  std::string CardPath(const std::string& village, const std::string& household) const;
  // Whether `token` is the card token of `household` (a constant-time comparison).
  bool IsCardToken(const std::string& village, const std::string& household,
                   const std::string& token) const;

 private:
  AccountStore() = default;
  Status Put(MDB_dbi dbi, const std::string& key, const std::string& value, bool no_overwrite);
  std::optional<std::string> Get(MDB_dbi dbi, const std::string& key) const;
  MDB_env* env_ = nullptr;
  MDB_dbi users_ = 0, sessions_ = 0, meta_ = 0;
  std::string secret_;
};

// scrypt (N=2^15, r=8, p=1) of `password` under a fresh 16-byte salt, as
// "scrypt$N$r$p$SALT_HEX$HASH_HEX".
Result<std::string> HashPassword(const std::string& password);
// Whether `password` matches `stored` (a HashPassword result); the comparison is constant-time.
bool VerifyPassword(const std::string& password, const std::string& stored);
// `n` random bytes in hex (RAND_bytes).
std::string RandomHex(size_t n);
// HMAC-SHA256(key, text) in hex.
std::string HmacHex(const std::string& key, const std::string& text);
// Constant-time equality of two strings (false when their lengths differ).
bool SafeEqual(const std::string& a, const std::string& b);

}  // namespace jifen::accounts
