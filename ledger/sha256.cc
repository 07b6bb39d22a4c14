#include "ledger/sha256.h"

// OpenSSL's SHA-256 functions, not its EVP interface. Both run the same block function, with
// the CPU's SHA instructions where it has them (OpenSSL's x86_64cpuid sets its capability vector
// from the .init section). EVP in OpenSSL 3 first starts the provider machinery (about 1 ms a
// process) and, linked statically, brings every provider's algorithm tables into the binary: 340
// KB of pointers the dynamic loader relocates at every start, about 2 ms of each report
// (docs/PERFORMANCE.md, "Process start"). The SHA256_* functions are deprecated in OpenSSL 3.0
// but kept through 3.x; where a build of OpenSSL drops them, EVP is used.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/opensslv.h>
#if OPENSSL_VERSION_MAJOR == 3 && !defined(OPENSSL_NO_DEPRECATED_3_0)
#include <openssl/sha.h>
#define JIFEN_SHA256_FUNCTIONS 1
#else
#include <openssl/evp.h>
#endif

#include <cstdlib>

#include "ledger/ledger.h"

namespace jifen::ledger {

Hash Sha256Of(std::string_view a, std::string_view b) {
  Hash out{};
#ifdef JIFEN_SHA256_FUNCTIONS
  SHA256_CTX ctx;
  bool ok = SHA256_Init(&ctx) == 1 && SHA256_Update(&ctx, a.data(), a.size()) == 1 &&
            (b.empty() || SHA256_Update(&ctx, b.data(), b.size()) == 1) &&
            SHA256_Final(out.data(), &ctx) == 1;
#else
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  unsigned int size = 0;
  bool ok = ctx != nullptr && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1 &&
            EVP_DigestUpdate(ctx, a.data(), a.size()) == 1 &&
            (b.empty() || EVP_DigestUpdate(ctx, b.data(), b.size()) == 1) &&
            EVP_DigestFinal_ex(ctx, out.data(), &size) == 1 && size == out.size();
  EVP_MD_CTX_free(ctx);
#endif
  if (!ok) std::abort();  // SHA-256 in memory cannot fail
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

std::string Sha256Hex(std::string_view bytes) { return HashToHex(Sha256Of(bytes)); }

}  // namespace jifen::ledger
