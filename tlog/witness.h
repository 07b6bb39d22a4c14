// A witness (c2sp.org/tlog-witness): keeps, per log origin, the last checkpoint it cosigned, and
// cosigns a new checkpoint (c2sp.org/tlog-cosignature, Ed25519) only when the log's signature
// verifies and a consistency proof shows that it extends that one. `jifen witness` runs it over a
// state directory; the request is the add-checkpoint body `jifen proof --from` writes.
//
// DIR/witness.key   its key (Go's signer key form, type 0x04), 0600, made at first use
// DIR/state/ORIGIN  the last checkpoint it cosigned for ORIGIN (percent-escaped), with signatures
// DIR/refusals.log  one line per refused request whose checkpoint the log did sign: time, origin,
//                   size, reason; the request itself in DIR/refused/TIME-ORIGIN-SIZE
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tlog/note.h"
#include "util/status.h"

namespace jifen::tlog {

class Witness {
 public:
  // Opens (creating) the state directory; the key is made at first use, named `name` (default
  // "jifen-witness/" and 16 hex digits of its public key). InvalidInput when the key exists
  // under another name.
  static Result<Witness> Open(const std::string& dir, const std::optional<std::string>& name);

  VerifierKey key() const { return VerifierOf(key_); }

  // The add-checkpoint call. On success returns the cosignature line(s) and keeps the checkpoint.
  // Refusals, mapped from the HTTP statuses of c2sp.org/tlog-witness: InvalidInput for a request
  // that does not parse (400), a checkpoint not signed by `log_key` or of another origin
  // (403/404), an old size above the checkpoint's (400) or not the one last cosigned (409: the
  // message names the size kept); Corruption when the consistency proof does not verify (422) or
  // the same size comes with another root (409): the log rewrote its history. Every refusal of a
  // checkpoint `log_key` did sign is kept (refusals.log). `now` is the cosignature's POSIX time.
  Result<std::string> AddCheckpoint(std::string_view request, const VerifierKey& log_key,
                                    uint64_t now);

  // The checkpoint last cosigned for `origin`, if any.
  std::optional<std::string> Latest(std::string_view origin) const;

 private:
  Status Refuse(std::string_view origin, uint64_t size, std::string_view request,
                Status reason, uint64_t now);
  std::string dir_;
  SignerKey key_;
};

}  // namespace jifen::tlog
