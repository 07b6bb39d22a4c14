// SHA-256 through OpenSSL's libcrypto (ledger/sha256.cc), and the chain step of ledger/FORMAT.md.
#pragma once

#include <string_view>

#include "ledger/record.h"

namespace jifen::ledger {

// SHA-256 of byte strings; it holds no state.
class Sha256 {
 public:
  // SHA-256(a || b).
  Hash Of(std::string_view a, std::string_view b = {});
  // h_n = SHA-256(h_{n-1} || canonical bytes of record n).
  Hash Chain(const Hash& previous, std::string_view canonical_bytes) {
    return Of(std::string_view(reinterpret_cast<const char*>(previous.data()), previous.size()),
              canonical_bytes);
  }
};

}  // namespace jifen::ledger
