#include "accounts/accounts.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

namespace jifen::accounts {
namespace {

constexpr uint64_t kScryptN = uint64_t{1} << 15;
constexpr uint64_t kScryptR = 8;
constexpr uint64_t kScryptP = 1;
constexpr size_t kHashBytes = 32;

std::string ToHex(const unsigned char* data, size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(digits[data[i] >> 4]);
    out.push_back(digits[data[i] & 15]);
  }
  return out;
}

std::optional<std::string> FromHex(const std::string& hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    auto nibble = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      return -1;
    };
    int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

bool Scrypt(const std::string& password, const std::string& salt, uint64_t n, uint64_t r,
            uint64_t p, unsigned char* out, size_t out_size) {
  // 128*N*r bytes of memory (32 MiB at the defaults), with room to spare.
  uint64_t memory_max = 128 * n * r * p + (uint64_t{64} << 20);
  return EVP_PBE_scrypt(password.data(), password.size(),
                        reinterpret_cast<const unsigned char*>(salt.data()), salt.size(), n, r, p,
                        memory_max, out, out_size) == 1;
}

Status LmdbError(const std::string& what, int rc) {
  return Status::IOError("accounts: " + what + ": " + mdb_strerror(rc));
}

// A write transaction that aborts unless committed.
struct WriteTxn {
  MDB_txn* txn = nullptr;
  ~WriteTxn() {
    if (txn) mdb_txn_abort(txn);
  }
  int Commit() {
    int rc = mdb_txn_commit(txn);
    txn = nullptr;
    return rc;
  }
};

}  // namespace

std::string RandomHex(size_t n) {
  std::string bytes(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(n)) != 1) abort();
  return ToHex(reinterpret_cast<const unsigned char*>(bytes.data()), n);
}

std::string HmacHex(const std::string& key, const std::string& text) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(text.data()), text.size(), out, &size);
  return ToHex(out, size);
}

bool SafeEqual(const std::string& a, const std::string& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string AccountStore::CardToken(const std::string& village,
                                    const std::string& household) const {
  return HmacHex(secret_, village + "|" + household);
}

std::string AccountStore::CardPath(const std::string& village,
                                   const std::string& household) const {
  return "/h/" + village + "/" + household + "/" + CardToken(village, household);
}

bool AccountStore::IsCardToken(const std::string& village, const std::string& household,
                               const std::string& token) const {
  return SafeEqual(token, CardToken(village, household));
}

Result<std::string> HashPassword(const std::string& password) {
  std::string salt_hex = RandomHex(16);
  std::string salt = *FromHex(salt_hex);
  unsigned char hash[kHashBytes];
  if (!Scrypt(password, salt, kScryptN, kScryptR, kScryptP, hash, sizeof hash)) {
    return Status::IOError("scrypt failed (out of memory?)");
  }
  return "scrypt$" + std::to_string(kScryptN) + "$" + std::to_string(kScryptR) + "$" +
         std::to_string(kScryptP) + "$" + salt_hex + "$" + ToHex(hash, sizeof hash);
}

bool VerifyPassword(const std::string& password, const std::string& stored) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t i = 0; i <= stored.size(); ++i) {
    if (i == stored.size() || stored[i] == '$') {
      parts.push_back(stored.substr(start, i - start));
      start = i + 1;
    }
  }
  if (parts.size() != 6 || parts[0] != "scrypt") return false;
  uint64_t n = std::strtoull(parts[1].c_str(), nullptr, 10);
  uint64_t r = std::strtoull(parts[2].c_str(), nullptr, 10);
  uint64_t p = std::strtoull(parts[3].c_str(), nullptr, 10);
  auto salt = FromHex(parts[4]);
  auto expected = FromHex(parts[5]);
  if (!salt || !expected || expected->empty() || n < 2 || n > (uint64_t{1} << 20) || r == 0 ||
      r > 32 || p == 0 || p > 16) {
    return false;
  }
  std::string got(expected->size(), '\0');
  if (!Scrypt(password, *salt, n, r, p, reinterpret_cast<unsigned char*>(got.data()), got.size()))
    return false;
  return SafeEqual(got, *expected);
}

Result<std::unique_ptr<AccountStore>> AccountStore::Open(const std::string& dir, bool create) {
  std::error_code ec;
  if (create) {
    std::filesystem::create_directories(dir, ec);
    if (ec) return Status::IOError(dir + ": cannot create: " + ec.message());
    ::chmod(dir.c_str(), 0700);  // password hashes and session tokens: the owner's only
  } else if (!std::filesystem::is_directory(dir, ec)) {
    return Status::InvalidInput(dir + ": no accounts yet (create one with `jifen user add`)");
  }
  std::unique_ptr<AccountStore> store(new AccountStore());
  int rc = mdb_env_create(&store->env_);
  if (rc != 0) return LmdbError("create", rc);
  mdb_env_set_maxdbs(store->env_, 4);
  mdb_env_set_mapsize(store->env_, size_t{64} << 20);
  rc = mdb_env_open(store->env_, dir.c_str(), 0, 0600);
  if (rc != 0) return LmdbError(dir, rc);
  int dead = 0;
  mdb_reader_check(store->env_, &dead);
  WriteTxn t;
  rc = mdb_txn_begin(store->env_, nullptr, 0, &t.txn);
  if (rc != 0) return LmdbError("begin", rc);
  for (auto [name, dbi] : {std::pair{"users", &store->users_},
                           {"sessions", &store->sessions_},
                           {"meta", &store->meta_}}) {
    rc = mdb_dbi_open(t.txn, name, MDB_CREATE, dbi);
    if (rc != 0) return LmdbError(name, rc);
  }
  MDB_val key{6, const_cast<char*>("secret")}, value;
  rc = mdb_get(t.txn, store->meta_, &key, &value);
  if (rc == MDB_NOTFOUND) {
    std::string secret = *FromHex(RandomHex(32));
    MDB_val v{secret.size(), secret.data()};
    rc = mdb_put(t.txn, store->meta_, &key, &v, 0);
    if (rc != 0) return LmdbError("secret", rc);
    store->secret_ = secret;
  } else if (rc == 0) {
    store->secret_.assign(static_cast<const char*>(value.mv_data), value.mv_size);
  } else {
    return LmdbError("secret", rc);
  }
  rc = t.Commit();
  if (rc != 0) return LmdbError("commit", rc);
  return store;
}

AccountStore::~AccountStore() {
  if (env_) mdb_env_close(env_);
}

Status AccountStore::Put(MDB_dbi dbi, const std::string& key, const std::string& value,
                         bool no_overwrite) {
  WriteTxn t;
  int rc = mdb_txn_begin(env_, nullptr, 0, &t.txn);
  if (rc != 0) return LmdbError("begin", rc);
  MDB_val k{key.size(), const_cast<char*>(key.data())},
      v{value.size(), const_cast<char*>(value.data())};
  rc = mdb_put(t.txn, dbi, &k, &v, no_overwrite ? MDB_NOOVERWRITE : 0);
  if (rc == MDB_KEYEXIST) return Status::InvalidInput("account " + key + ": already exists");
  if (rc != 0) return LmdbError("put", rc);
  rc = t.Commit();
  if (rc != 0) return LmdbError("commit", rc);
  return Status::Ok();
}

std::optional<std::string> AccountStore::Get(MDB_dbi dbi, const std::string& key) const {
  if (key.empty() || key.size() > 500) return std::nullopt;
  MDB_txn* txn = nullptr;
  if (mdb_txn_begin(env_, nullptr, MDB_RDONLY, &txn) != 0) return std::nullopt;
  MDB_val k{key.size(), const_cast<char*>(key.data())}, v;
  std::optional<std::string> out;
  if (mdb_get(txn, dbi, &k, &v) == 0) out.emplace(static_cast<const char*>(v.mv_data), v.mv_size);
  mdb_txn_abort(txn);
  return out;
}

Status AccountStore::AddUser(const Account& account, const std::string& password) {
  auto hash = HashPassword(password);
  if (!hash.ok()) return hash.status();
  nlohmann::json j{{"role", account.role},
                   {"village", account.village},
                   {"scorer", account.scorer},
                   {"password", *hash}};
  return Put(users_, account.name, j.dump(), true);
}

std::optional<Account> AccountStore::FindUser(const std::string& name) const {
  auto text = Get(users_, name);
  if (!text) return std::nullopt;
  auto j = nlohmann::json::parse(*text, nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  return Account{name, j.value("role", ""), j.value("village", ""), j.value("scorer", "")};
}

std::optional<Account> AccountStore::CheckPassword(const std::string& name,
                                                   const std::string& password) const {
  auto text = Get(users_, name);
  // An unknown name costs a hash too, so timing does not tell which names exist.
  static const std::string dummy = *HashPassword("");
  auto j = text ? nlohmann::json::parse(*text, nullptr, false) : nlohmann::json();
  std::string stored = j.is_object() ? j.value("password", dummy) : dummy;
  bool match = VerifyPassword(password, stored);
  if (!text || !match) return std::nullopt;
  return FindUser(name);
}

// In one write: expired sessions are purged, and the account keeps at most kSessionsPerAccountMax
// (its sessions that expire first go), so the store stays bounded however often anyone signs in.
Result<Session> AccountStore::CreateSession(const std::string& account, int64_t now,
                                            int64_t seconds) {
  Session s{RandomHex(32), RandomHex(32), account, now + seconds};
  nlohmann::json j{{"csrf", s.csrf}, {"account", s.account}, {"expires", s.expires}};
  WriteTxn t;
  int rc = mdb_txn_begin(env_, nullptr, 0, &t.txn);
  if (rc != 0) return LmdbError("begin", rc);
  MDB_cursor* cursor = nullptr;
  rc = mdb_cursor_open(t.txn, sessions_, &cursor);
  if (rc != 0) return LmdbError("cursor", rc);
  std::vector<std::pair<int64_t, std::string>> own;  // (expires, token)
  MDB_val k, v;
  for (rc = mdb_cursor_get(cursor, &k, &v, MDB_FIRST); rc == 0;
       rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT)) {
    auto held = nlohmann::json::parse(std::string_view(static_cast<char*>(v.mv_data), v.mv_size),
                                      nullptr, false);
    int64_t expires = held.is_object() ? held.value("expires", int64_t{0}) : 0;
    if (expires <= now) {
      mdb_cursor_del(cursor, 0);
    } else if (held.value("account", "") == account) {
      own.emplace_back(expires, std::string(static_cast<char*>(k.mv_data), k.mv_size));
    }
  }
  mdb_cursor_close(cursor);
  std::sort(own.begin(), own.end());
  for (size_t i = 0; i + kSessionsPerAccountMax <= own.size(); ++i) {
    MDB_val old{own[i].second.size(), own[i].second.data()};
    mdb_del(t.txn, sessions_, &old, nullptr);
  }
  std::string value = j.dump();
  MDB_val key{s.token.size(), s.token.data()}, data{value.size(), value.data()};
  rc = mdb_put(t.txn, sessions_, &key, &data, 0);
  if (rc != 0) return LmdbError("put", rc);
  rc = t.Commit();
  if (rc != 0) return LmdbError("commit", rc);
  return s;
}

size_t AccountStore::SessionCount() const {
  MDB_txn* txn = nullptr;
  if (mdb_txn_begin(env_, nullptr, MDB_RDONLY, &txn) != 0) return 0;
  MDB_stat stat{};
  mdb_stat(txn, sessions_, &stat);
  mdb_txn_abort(txn);
  return stat.ms_entries;
}

std::optional<Session> AccountStore::FindSession(const std::string& token, int64_t now) const {
  if (token.size() != 64) return std::nullopt;
  auto text = Get(sessions_, token);
  if (!text) return std::nullopt;
  auto j = nlohmann::json::parse(*text, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  Session s{token, j.value("csrf", ""), j.value("account", ""), j.value("expires", int64_t{0})};
  if (s.expires <= now) return std::nullopt;
  return s;
}

Status AccountStore::DeleteSession(const std::string& token) {
  WriteTxn t;
  int rc = mdb_txn_begin(env_, nullptr, 0, &t.txn);
  if (rc != 0) return LmdbError("begin", rc);
  MDB_val k{token.size(), const_cast<char*>(token.data())};
  rc = mdb_del(t.txn, sessions_, &k, nullptr);
  if (rc != 0 && rc != MDB_NOTFOUND) return LmdbError("delete", rc);
  rc = t.Commit();
  if (rc != 0) return LmdbError("commit", rc);
  return Status::Ok();
}

}  // namespace jifen::accounts
