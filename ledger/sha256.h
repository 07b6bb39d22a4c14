// SHA-256 through OpenSSL's libcrypto (ledger/sha256.cc), and the chain step of ledger/FORMAT.md.
#pragma once

#include <string_view>

#include "ledger/record.h"

namespace jifen::ledger {

// SHA-256(a || b).
Hash Sha256Of(std::string_view a, std::string_view b = {});

// h_n = SHA-256(h_{n-1} || canonical bytes of record n).
inline Hash ChainHash(const Hash& previous, std::string_view canonical_bytes) {
  return Sha256Of(std::string_view(reinterpret_cast<const char*>(previous.data()), previous.size()),
                  canonical_bytes);
}

}  // namespace jifen::ledger
