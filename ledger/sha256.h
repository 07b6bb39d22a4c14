// SHA-256 through OpenSSL's EVP interface, and the chain step of ledger/FORMAT.md.
#pragma once

#include <string_view>

#include "ledger/record.h"

struct evp_md_ctx_st;

namespace jifen::ledger {

// One reusable digest context. Not thread-safe: each reader and writer owns one.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  // SHA-256(a || b).
  Hash Of(std::string_view a, std::string_view b = {});
  // h_n = SHA-256(h_{n-1} || canonical bytes of record n).
  Hash Chain(const Hash& previous, std::string_view canonical_bytes) {
    return Of(std::string_view(reinterpret_cast<const char*>(previous.data()), previous.size()),
              canonical_bytes);
  }

 private:
  evp_md_ctx_st* ctx_ = nullptr;  // made on first use
};

}  // namespace jifen::ledger
