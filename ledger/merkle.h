// The Merkle tree over the ledger's records (ledger/FORMAT.md "Merkle tree"; RFC 9162 §2.1):
// leaf n-1 is record n, leaf hash = SHA-256(0x00 || leaf data), node = SHA-256(0x01 || left ||
// right). The store keeps the hash of every complete subtree at levels 0, 8, 16, … (the levels of
// c2sp.org/tlog-tiles) from level 8 up, and the right edge of the tree (MerkleFrontier) in meta;
// leaf hashes are hashed from the records when read. An append costs a leaf hash, on average one
// node hash, and a put once in 256 appends; any subtree hash is at most 255 leaves or node hashes
// away from what is stored.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/record.h"

namespace jifen::ledger {

// Levels stored: multiples of this (a tile's height in c2sp.org/tlog-tiles).
inline constexpr unsigned kStoredLevelStep = 8;

Hash MerkleLeafHash(std::string_view leaf_data);
Hash MerkleNodeHash(const Hash& left, const Hash& right);
// The root of the empty tree: SHA-256 of no bytes.
Hash MerkleEmptyRoot();

// The leaf data of a record (ledger/FORMAT.md "Merkle tree"): its canonical bytes as the current
// version encodes them. `stored` is the record's canonical bytes as stored; they are the leaf data
// unless the record was written in version 1, when `record` is encoded again into `*scratch`.
std::string_view LeafData(const Record& record, std::string_view stored, std::string* scratch);

// The right edge of a tree of `size` leaves: the hashes of its largest complete subtrees, one for
// each bit set in `size`, the largest (leftmost) first. Enough to append and to compute the root.
class MerkleFrontier {
 public:
  uint64_t size() const { return size_; }
  // Adds a leaf. Calls stored(level, index, hash) for the leaf (level 0) and for every subtree
  // it completes whose level is a multiple of kStoredLevelStep.
  template <typename Fn>
  void Append(const Hash& leaf, Fn&& stored) {
    uint64_t index = size_;
    unsigned level = 0;
    stored(level, index, leaf);
    hashes_.push_back(leaf);
    for (; index & 1; index >>= 1) {  // a right child: merge it with its left sibling
      Hash node = MerkleNodeHash(hashes_[hashes_.size() - 2], hashes_.back());
      hashes_.pop_back();
      hashes_.back() = node;
      if (++level % kStoredLevelStep == 0) stored(level, index >> 1, node);
    }
    ++size_;
  }
  // The tree's root hash (RFC 9162 §2.1.1 MTH).
  Hash Root() const;
  // size u64 big-endian || the hashes (meta "tree").
  std::string Encode() const;
  // False when `bytes` is not an encoding (wrong length for its size).
  static bool Decode(std::string_view bytes, MerkleFrontier* out);
  bool operator==(const MerkleFrontier&) const = default;

 private:
  uint64_t size_ = 0;
  std::vector<Hash> hashes_;
};

// Key of a stored subtree hash in `tree_nodes` (levels 8, 16, …): level u8 || index u64
// big-endian. Leaf hashes (level 0) are not stored: they are hashed from the records when read.
std::string TreeKey(unsigned level, uint64_t index);

}  // namespace jifen::ledger
