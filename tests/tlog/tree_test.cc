// The Merkle tree the ledger keeps (ledger/merkle.h) and the RFC 9162 proofs made from it
// (tlog/tree.h), against a reference that hashes every leaf from scratch.
#include "tlog/tree.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ledger/codec.h"
#include "ledger/merkle.h"
#include "ledger/sha256.h"
#include "tests/ledger/ledger_test_util.h"

namespace jifen::tlog {
namespace {

using ledger::Hash;
using ledger::Record;

// Distinct records: households of one village, recorded in order.
std::vector<Record> Households(int count, int first = 0) {
  std::vector<Record> out;
  for (int i = first; i < first + count; ++i) {
    char code[16];
    std::snprintf(code, sizeof(code), "H%05d", i);
    out.push_back(ledger::testing::Household("SYS", code));
  }
  return out;
}

// RFC 9162 §2.1.1 MTH over the leaf hashes, by its definition.
Hash Reference(const std::vector<Hash>& leaves, size_t lo, size_t hi) {
  if (hi - lo == 1) return leaves[lo];
  size_t k = 1;
  while (k * 2 < hi - lo) k *= 2;
  return ledger::MerkleNodeHash(Reference(leaves, lo, lo + k), Reference(leaves, lo + k, hi));
}

// The leaf hash of every record, from its canonical bytes as FORMAT.md defines the leaf data.
std::vector<Hash> LeafHashes(const ledger::Reader& reader) {
  std::vector<Hash> out;
  for (uint64_t s = 1; s <= reader.HeadSequence(); ++s) {
    std::string bytes;
    ledger::EncodeRecord(*reader.Get(s), &bytes);
    out.push_back(ledger::MerkleLeafHash(bytes));
  }
  return out;
}

class TreeTest : public ::testing::Test {
 protected:
  // 600 records in batches of uneven sizes, so that batches start mid-tile and mid-subtree.
  void SetUp() override {
    ledger_ = ledger::testing::OpenOrDie(dir_.Path("l"));
    int done = 0;
    for (int batch : {1, 2, 5, 120, 137, 255, 80}) {
      ASSERT_TRUE(ledger::testing::AppendAll(*ledger_, Households(batch, done)).ok());
      done += batch;
    }
    reader_ = std::move(ledger_->Snapshot().value());
    leaves_ = LeafHashes(*reader_);
  }
  tests::ScratchDir dir_;
  std::unique_ptr<ledger::Ledger> ledger_;
  std::unique_ptr<ledger::Reader> reader_;
  std::vector<Hash> leaves_;
};

TEST_F(TreeTest, RootOfEverySizeIsTheReferenceMth) {
  ASSERT_EQ(leaves_.size(), 600u);
  EXPECT_EQ(*TreeRoot(*reader_, 0), ledger::Sha256Of(""));
  for (uint64_t size = 1; size <= 600; ++size)
    ASSERT_EQ(*TreeRoot(*reader_, size), Reference(leaves_, 0, size)) << size;
  EXPECT_FALSE(TreeRoot(*reader_, 601).ok());
}

TEST_F(TreeTest, InclusionProofsOfEveryRecordVerify) {
  for (uint64_t size : {1u, 2u, 3u, 255u, 256u, 257u, 511u, 512u, 513u, 600u}) {
    Hash root = Reference(leaves_, 0, size);
    for (uint64_t index = 0; index < size; ++index) {
      auto proof = InclusionProof(*reader_, index, size);
      ASSERT_TRUE(proof.ok()) << proof.status().message();
      ASSERT_TRUE(VerifyInclusion(leaves_[index], index, size, *proof, root)) << index;
      // Another leaf, index or root does not verify.
      ASSERT_FALSE(VerifyInclusion(leaves_[(index + 1) % 600], index, size, *proof, root));
      if (size > 1) {
        ASSERT_FALSE(VerifyInclusion(leaves_[index], (index + 1) % size, size, *proof, root));
      }
    }
  }
  EXPECT_FALSE(InclusionProof(*reader_, 600, 600).ok());
}

TEST_F(TreeTest, ConsistencyProofsVerifyAndCatchAnotherHistory) {
  // Another history: leaf 100 differs.
  std::vector<Hash> forged = leaves_;
  forged[100] = ledger::MerkleLeafHash("forged");
  for (uint64_t size : {1u, 7u, 256u, 300u, 512u, 600u}) {
    for (uint64_t old_size = 0; old_size <= size; ++old_size) {
      auto proof = ConsistencyProof(*reader_, old_size, size);
      ASSERT_TRUE(proof.ok());
      Hash old_root = old_size ? Reference(leaves_, 0, old_size) : ledger::Sha256Of("");
      Hash root = Reference(leaves_, 0, size);
      ASSERT_TRUE(VerifyConsistency(old_size, size, old_root, root, *proof)) << old_size;
      if (old_size > 100) {
        Hash forged_old = Reference(forged, 0, old_size);
        ASSERT_FALSE(VerifyConsistency(old_size, size, forged_old, root, *proof)) << old_size;
      }
      if (old_size > 0 && old_size < size) {
        std::vector<Hash> bent = *proof;
        bent.back()[0] ^= 1;
        ASSERT_FALSE(VerifyConsistency(old_size, size, old_root, root, bent));
      }
    }
  }
  EXPECT_FALSE(ConsistencyProof(*reader_, 5, 4).ok());
}

TEST_F(TreeTest, VerifyNamesAStoredSubtreeThatDoesNotMatchTheRecords) {
  reader_.reset();
  ledger_.reset();
  ledger::testing::WithRawWriteTxn(dir_.Path("l"), [](MDB_txn* txn) {
    MDB_dbi nodes;
    ASSERT_EQ(mdb_dbi_open(txn, "tree_nodes", 0, &nodes), 0);
    std::string key = ledger::TreeKey(8, 1);  // leaves 256 to 511, complete at record 512
    Hash other = ledger::MerkleLeafHash("other");
    MDB_val k{key.size(), key.data()}, v{other.size(), other.data()};
    ASSERT_EQ(mdb_put(txn, nodes, &k, &v, 0), 0);
  });
  auto ledger = ledger::testing::OpenOrDie(dir_.Path("l"), false);
  auto report = ledger->Verify();
  ASSERT_TRUE(report.ok());
  ASSERT_TRUE(report->first_bad.has_value());
  EXPECT_EQ(*report->first_bad, 512u);
  EXPECT_EQ(report->reason,
            "Merkle tree: stored hash at level 8, index 1 does not match the records");
}

// Leaf hashes are hashed from the records when read, each checked against its chain hash: a
// damaged record is refused rather than hashed into a signed root. (Records inside a stored
// subtree are covered by that subtree's hash, which verify compares with the records.)
TEST_F(TreeTest, ADamagedRecordIsNotHashedIntoTheTree) {
  reader_.reset();
  ledger_.reset();
  ledger::testing::WithRawWriteTxn(dir_.Path("l"), [](MDB_txn* txn) {
    MDB_dbi records;
    ASSERT_EQ(mdb_dbi_open(txn, "records", 0, &records), 0);
    char key_bytes[8] = {0, 0, 0, 0, 0, 0, 0x02, 0x4e};  // record 590, past the stored subtrees
    MDB_val k{8, key_bytes}, v;
    ASSERT_EQ(mdb_get(txn, records, &k, &v), 0);
    std::string value(static_cast<const char*>(v.mv_data), v.mv_size);
    value.back() ^= 1;
    MDB_val changed{value.size(), value.data()};
    ASSERT_EQ(mdb_put(txn, records, &k, &changed, 0), 0);
  });
  auto ledger = ledger::testing::OpenOrDie(dir_.Path("l"), false);
  auto reader = std::move(ledger->Snapshot().value());
  auto root = TreeRoot(*reader, 600);
  ASSERT_FALSE(root.ok());
  EXPECT_EQ(root.status().message(),
            "record 590: hash does not match its bytes and the previous hash");
  EXPECT_TRUE(TreeRoot(*reader, 589).ok());
}

// A ledger of store format 2 has no tree: the first open builds it, and the same tree results.
TEST_F(TreeTest, AFormatTwoLedgerGetsItsTreeWhenOpened) {
  Hash root = *TreeRoot(*reader_, 600);
  reader_.reset();
  ledger_.reset();
  ledger::testing::WithRawWriteTxn(dir_.Path("l"), [](MDB_txn* txn) {
    MDB_dbi meta, nodes;
    ASSERT_EQ(mdb_dbi_open(txn, "meta", 0, &meta), 0);
    ASSERT_EQ(mdb_dbi_open(txn, "tree_nodes", 0, &nodes), 0);
    ASSERT_EQ(mdb_drop(txn, nodes, 1), 0);
    MDB_val tree{4, const_cast<char*>("tree")};
    ASSERT_EQ(mdb_del(txn, meta, &tree, nullptr), 0);
    char two = 2;
    MDB_val key{6, const_cast<char*>("format")}, value{1, &two};
    ASSERT_EQ(mdb_put(txn, meta, &key, &value, 0), 0);
  });
  auto ledger = ledger::testing::OpenOrDie(dir_.Path("l"), false);
  EXPECT_EQ(ledger::testing::VerifiedRecords(*ledger), 600u);
  auto reader = std::move(ledger->Snapshot().value());
  EXPECT_EQ(*TreeRoot(*reader, 600), root);
  // And appends go on from the rebuilt edge.
  ASSERT_TRUE(ledger::testing::AppendAll(*ledger, Households(1, 600)).ok());
  leaves_.push_back(LeafHashes(*ledger->Snapshot().value()).back());
  EXPECT_EQ(*TreeRoot(*ledger->Snapshot().value(), 601), Reference(leaves_, 0, 601));
}

}  // namespace
}  // namespace jifen::tlog
