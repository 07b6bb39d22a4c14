#include "ledger/sha256.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstdlib>

#include "ledger/ledger.h"

namespace jifen::ledger {
namespace {

// Fetched once: OpenSSL 3 otherwise looks the algorithm up again on every EVP_DigestInit.
// OpenSSL is set up without reading openssl.cnf or loading its error strings: the ledger only
// hashes with the default provider's SHA-256, and reading them cost each report about 0.5 ms.
const EVP_MD* Sha256Md() {
  static EVP_MD* md = [] {
    OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG | OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS, nullptr);
    return EVP_MD_fetch(nullptr, "SHA256", nullptr);
  }();
  return md;
}

}  // namespace

// The context is made on first use: fetching the algorithm starts OpenSSL's provider machinery
// (about 2 ms), which reports that read only index entries never need.
Sha256::Sha256() = default;

Sha256::~Sha256() { EVP_MD_CTX_free(ctx_); }

Hash Sha256::Of(std::string_view a, std::string_view b) {
  if (ctx_ == nullptr) {
    ctx_ = EVP_MD_CTX_new();
    // Allocation failure of a 200-byte context is not an operating error we can report.
    if (ctx_ == nullptr || Sha256Md() == nullptr) std::abort();
  }
  Hash out{};
  unsigned int size = 0;
  bool ok = EVP_DigestInit_ex2(ctx_, Sha256Md(), nullptr) == 1 &&
            EVP_DigestUpdate(ctx_, a.data(), a.size()) == 1 &&
            (b.empty() || EVP_DigestUpdate(ctx_, b.data(), b.size()) == 1) &&
            EVP_DigestFinal_ex(ctx_, out.data(), &size) == 1;
  if (!ok || size != out.size()) std::abort();  // SHA-256 in memory cannot fail
  return out;
}

std::string HashToHex(const Hash& hash) {
  static const char kDigits[] = "0123456789abcdef";
  std::string hex(hash.size() * 2, '0');
  for (size_t i = 0; i < hash.size(); ++i) {
    hex[2 * i] = kDigits[hash[i] >> 4];
    hex[2 * i + 1] = kDigits[hash[i] & 15];
  }
  return hex;
}

std::string Sha256Hex(std::string_view bytes) {
  Sha256 sha;
  return HashToHex(sha.Of(bytes));
}

}  // namespace jifen::ledger
