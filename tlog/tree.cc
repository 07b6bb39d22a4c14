#include "tlog/tree.h"

#include <bit>
#include <string>

#include "ledger/merkle.h"

namespace jifen::tlog {
namespace {

using ledger::MerkleNodeHash;

// The largest power of two smaller than n (n > 1).
uint64_t SplitPoint(uint64_t n) { return std::bit_floor(n - 1); }

// MTH(D[lo:hi]) for lo < hi, where [lo, hi) is a subtree of the RFC 9162 recursion over D[0:n]:
// its left part is always complete and aligned.
Result<Hash> RangeHash(const ledger::Reader& reader, uint64_t lo, uint64_t hi) {
  uint64_t n = hi - lo;
  if (std::has_single_bit(n) && lo % n == 0)
    return SubtreeHash(reader, static_cast<unsigned>(std::countr_zero(n)), lo / n);
  uint64_t k = SplitPoint(n);
  auto left = RangeHash(reader, lo, lo + k);
  if (!left.ok()) return left.status();
  auto right = RangeHash(reader, lo + k, hi);
  if (!right.ok()) return right.status();
  return MerkleNodeHash(*left, *right);
}

// PATH(m, D[lo:hi]) appended to *out, deepest first.
Status Path(const ledger::Reader& reader, uint64_t m, uint64_t lo, uint64_t hi,
            std::vector<Hash>* out) {
  uint64_t n = hi - lo;
  if (n == 1) return Status::Ok();
  uint64_t k = SplitPoint(n);
  Status s = m < k ? Path(reader, m, lo, lo + k, out) : Path(reader, m - k, lo + k, hi, out);
  if (!s.ok()) return s;
  auto sibling = m < k ? RangeHash(reader, lo + k, hi) : RangeHash(reader, lo, lo + k);
  if (!sibling.ok()) return sibling.status();
  out->push_back(*sibling);
  return Status::Ok();
}

// SUBPROOF(m, D[lo:hi], b) appended to *out.
Status Subproof(const ledger::Reader& reader, uint64_t m, uint64_t lo, uint64_t hi, bool b,
                std::vector<Hash>* out) {
  uint64_t n = hi - lo;
  if (m == n) {
    if (b) return Status::Ok();
    auto h = RangeHash(reader, lo, hi);
    if (!h.ok()) return h.status();
    out->push_back(*h);
    return Status::Ok();
  }
  uint64_t k = SplitPoint(n);
  Status s = m <= k ? Subproof(reader, m, lo, lo + k, b, out)
                    : Subproof(reader, m - k, lo + k, hi, false, out);
  if (!s.ok()) return s;
  auto other = m <= k ? RangeHash(reader, lo + k, hi) : RangeHash(reader, lo, lo + k);
  if (!other.ok()) return other.status();
  out->push_back(*other);
  return Status::Ok();
}

Status SizeCheck(const ledger::Reader& reader, uint64_t size) {
  if (size > reader.HeadSequence()) {
    return Status::InvalidInput("tree size " + std::to_string(size) + ": the ledger has only " +
                                std::to_string(reader.HeadSequence()) + " records");
  }
  return Status::Ok();
}

}  // namespace

Result<Hash> SubtreeHash(const ledger::Reader& reader, unsigned level, uint64_t index) {
  const unsigned stored = level - level % ledger::kStoredLevelStep;
  const unsigned above = level - stored;
  std::vector<Hash> hashes;
  hashes.reserve(size_t{1} << above);
  if (Status s = reader.TreeHashes(stored, index << above, uint64_t{1} << above, &hashes);
      !s.ok())
    return s;
  for (size_t width = hashes.size(); width > 1; width /= 2) {
    for (size_t i = 0; i < width / 2; ++i)
      hashes[i] = MerkleNodeHash(hashes[2 * i], hashes[2 * i + 1]);
  }
  return hashes[0];
}

Result<Hash> TreeRoot(const ledger::Reader& reader, uint64_t size) {
  if (Status s = SizeCheck(reader, size); !s.ok()) return s;
  if (size == 0) return ledger::MerkleEmptyRoot();
  return RangeHash(reader, 0, size);
}

Result<std::vector<Hash>> InclusionProof(const ledger::Reader& reader, uint64_t index,
                                         uint64_t size) {
  if (Status s = SizeCheck(reader, size); !s.ok()) return s;
  if (index >= size) {
    return Status::InvalidInput("leaf " + std::to_string(index) + " is not in a tree of " +
                                std::to_string(size));
  }
  std::vector<Hash> proof;
  if (Status s = Path(reader, index, 0, size, &proof); !s.ok()) return s;
  return proof;
}

Result<std::vector<Hash>> ConsistencyProof(const ledger::Reader& reader, uint64_t old_size,
                                           uint64_t size) {
  if (Status s = SizeCheck(reader, size); !s.ok()) return s;
  if (old_size > size) {
    return Status::InvalidInput("tree size " + std::to_string(old_size) + " is larger than " +
                                std::to_string(size));
  }
  std::vector<Hash> proof;
  if (old_size == 0 || old_size == size) return proof;
  if (Status s = Subproof(reader, old_size, 0, size, true, &proof); !s.ok()) return s;
  return proof;
}

bool VerifyInclusion(const Hash& leaf_hash, uint64_t index, uint64_t size,
                     const std::vector<Hash>& proof, const Hash& root) {
  if (index >= size) return false;
  uint64_t fn = index, sn = size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) return false;
    if ((fn & 1) || fn == sn) {
      r = MerkleNodeHash(p, r);
      if (!(fn & 1)) {
        while (!(fn & 1) && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = MerkleNodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool VerifyConsistency(uint64_t old_size, uint64_t size, const Hash& old_root, const Hash& root,
                       const std::vector<Hash>& proof) {
  if (old_size > size) return false;
  if (old_size == size) return proof.empty() && old_root == root;
  if (old_size == 0) return proof.empty();
  if (proof.empty()) return false;
  std::vector<Hash> path;
  if (std::has_single_bit(old_size)) path.push_back(old_root);
  path.insert(path.end(), proof.begin(), proof.end());
  uint64_t fn = old_size - 1, sn = size - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0], sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return false;
    if ((fn & 1) || fn == sn) {
      fr = MerkleNodeHash(c, fr);
      sr = MerkleNodeHash(c, sr);
      if (!(fn & 1)) {
        while (!(fn & 1) && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = MerkleNodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == old_root && sr == root && sn == 0;
}

}  // namespace jifen::tlog
