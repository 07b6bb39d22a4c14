#include "ledger/merkle.h"

#include <bit>
#include <cstring>

#include "ledger/codec.h"
#include "ledger/sha256.h"

namespace jifen::ledger {

namespace {
std::string_view View(const Hash& h) {
  return std::string_view(reinterpret_cast<const char*>(h.data()), h.size());
}
}  // namespace

Hash MerkleLeafHash(std::string_view leaf_data) {
  return Sha256Of(std::string_view("\x00", 1), leaf_data);
}

Hash MerkleNodeHash(const Hash& left, const Hash& right) {
  char buffer[1 + 2 * sizeof(Hash)];
  buffer[0] = 0x01;
  std::memcpy(buffer + 1, left.data(), left.size());
  std::memcpy(buffer + 1 + left.size(), right.data(), right.size());
  return Sha256Of(std::string_view(buffer, sizeof(buffer)));
}

Hash MerkleEmptyRoot() { return Sha256Of(std::string_view()); }

std::string_view LeafData(const Record& record, std::string_view stored, std::string* scratch) {
  if (!stored.empty() && static_cast<uint8_t>(stored[kVersionOffset]) == kFormatVersion)
    return stored;
  scratch->clear();
  EncodeRecord(record, scratch);
  return *scratch;
}

Hash MerkleFrontier::Root() const {
  if (hashes_.empty()) return MerkleEmptyRoot();
  Hash root = hashes_.back();
  for (size_t i = hashes_.size() - 1; i-- > 0;) root = MerkleNodeHash(hashes_[i], root);
  return root;
}

std::string MerkleFrontier::Encode() const {
  std::string out(8, '\0');
  PutBigEndian64(size_, out.data());
  for (const Hash& h : hashes_) out.append(View(h));
  return out;
}

bool MerkleFrontier::Decode(std::string_view bytes, MerkleFrontier* out) {
  if (bytes.size() < 8) return false;
  uint64_t size = GetBigEndian64(bytes.data());
  bytes.remove_prefix(8);
  if (bytes.size() != static_cast<size_t>(std::popcount(size)) * sizeof(Hash)) return false;
  out->size_ = size;
  out->hashes_.resize(std::popcount(size));
  for (Hash& h : out->hashes_) {
    std::memcpy(h.data(), bytes.data(), h.size());
    bytes.remove_prefix(h.size());
  }
  return true;
}

std::string TreeKey(unsigned level, uint64_t index) {
  std::string key(9, static_cast<char>(level));
  PutBigEndian64(index, key.data() + 1);
  return key;
}

}  // namespace jifen::ledger
