// The ledger as a transparency log (SPEC.md §6, ledger/FORMAT.md "Merkle tree"): its signing key,
// signed checkpoints, inclusion and consistency proofs and tiles, as the texts and bytes the
// C2SP formats define. The entry points `jifen key`, `checkpoint`, `proof`, `tiles` and `board`
// use, and the web's /tlog routes can.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ledger/ledger.h"
#include "tlog/checkpoint.h"
#include "tlog/note.h"
#include "util/status.h"

namespace jifen::tlog {

// LEDGER/log.key: the ledger's Ed25519 note key in Go's signer key form, mode 0600, outside the
// chain. Its name is the log's origin.
inline constexpr std::string_view kLogKeyFile = "log.key";

// The ledger's key. When LEDGER/log.key is absent and `create`, makes it (atomically: a second
// process making it at the same moment reads the first one's) named `origin`, or when none is
// given "jifen-ledger/" and 16 hex digits of the SHA-256 of its public key. When the file exists
// and `origin` names another origin: InvalidInput (an origin never changes). Without `create`
// a missing key is InvalidInput saying how to make it.
Result<SignerKey> LogKey(const std::string& ledger_dir, const std::optional<std::string>& origin,
                         bool create);

// The signed checkpoint (a signed note) of the reader's tree at `size` (<= head). Ed25519 is
// deterministic (RFC 8032), so the same tree and key give the same text every time.
Result<std::string> CheckpointAt(const ledger::Reader& reader, const SignerKey& key,
                                 uint64_t size);

// The c2sp.org/tlog-proof of record `sequence`: its leaf data in `extra`, index sequence - 1,
// against `checkpoint` (a signed checkpoint note of this ledger, kept verbatim with any
// cosignatures) or, when not given, the latest. InvalidInput when the record is not in the
// checkpoint's tree or the checkpoint is not this log's; Corruption when its root is not this
// ledger's tree at its size (the ledger was rewritten since).
Result<std::string> ProofForRecord(const ledger::Reader& reader, const SignerKey& key,
                                   uint64_t sequence,
                                   const std::optional<std::string>& checkpoint);
// The consistency proof from tree size `old_size` to `size`, as a c2sp.org/tlog-witness
// add-checkpoint body (the checkpoint at `size` after the proof).
Result<std::string> ConsistencyProofText(const ledger::Reader& reader, const SignerKey& key,
                                         uint64_t old_size, uint64_t size);
// The tile of c2sp.org/tlog-tiles at `level`, `index` and `width` (1..256; 256 is a full tile):
// width hashes of 32 bytes. InvalidInput when the tile is not complete in the reader's tree.
Result<std::string> TileBytes(const ledger::Reader& reader, unsigned level, uint64_t index,
                              unsigned width);
// The tile's path under the log's prefix: "tile/L/x001/x234/067[.p/W]".
std::string TilePath(unsigned level, uint64_t index, unsigned width);

}  // namespace jifen::tlog
