// RFC 9162 §2.1 over the ledger's Merkle tree (ledger/merkle.h): tree heads, inclusion and
// consistency proofs made from the hashes the store keeps, and their verification, which needs
// no ledger.
#pragma once

#include <cstdint>
#include <vector>

#include "ledger/ledger.h"
#include "util/status.h"

namespace jifen::tlog {

using ledger::Hash;

// The hash of the complete subtree of 2^level leaves starting at leaf index << level, from the
// stored level at or below `level` (at most 255 node hashes).
Result<Hash> SubtreeHash(const ledger::Reader& reader, unsigned level, uint64_t index);
// MTH(D[0:size]) for size <= the reader's head sequence.
Result<Hash> TreeRoot(const ledger::Reader& reader, uint64_t size);
// PATH(index, D[0:size]) (RFC 9162 §2.1.3.1), from the leaf's sibling up. InvalidInput unless
// index < size <= head.
Result<std::vector<Hash>> InclusionProof(const ledger::Reader& reader, uint64_t index,
                                         uint64_t size);
// PROOF(old_size, D[0:size]) (RFC 9162 §2.1.4.1); empty when old_size is 0 or equals size.
// InvalidInput unless old_size <= size <= head.
Result<std::vector<Hash>> ConsistencyProof(const ledger::Reader& reader, uint64_t old_size,
                                           uint64_t size);

// RFC 9162 §2.1.3.2.
bool VerifyInclusion(const Hash& leaf_hash, uint64_t index, uint64_t size,
                     const std::vector<Hash>& proof, const Hash& root);
// RFC 9162 §2.1.4.2; a tree is consistent with itself (empty proof, same root) and with the
// empty tree (empty proof).
bool VerifyConsistency(uint64_t old_size, uint64_t size, const Hash& old_root, const Hash& root,
                       const std::vector<Hash>& proof);

}  // namespace jifen::tlog
