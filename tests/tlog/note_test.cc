// Signed notes, keys and cosignatures (tlog/note.h), and the checkpoint and proof texts
// (tlog/checkpoint.h).
#include "tlog/note.h"

#include <gtest/gtest.h>

#include "tlog/checkpoint.h"

namespace jifen::tlog {
namespace {

TEST(Base64, IsStrict) {
  EXPECT_EQ(Base64Encode("jifen"), "amlmZW4=");
  EXPECT_EQ(*Base64Decode("amlmZW4="), "jifen");
  EXPECT_EQ(*Base64Decode(""), "");
  EXPECT_FALSE(Base64Decode("amlmZW4").has_value());    // no padding
  EXPECT_FALSE(Base64Decode("amlm ZW4=").has_value());  // a space
  EXPECT_FALSE(Base64Decode("amlmZW5=").has_value());   // stray bits
  EXPECT_FALSE(Base64Decode("aml*ZW4=").has_value());
}

TEST(Keys, SignerAndVerifierKeysRoundTrip) {
  auto key = GenerateSignerKey("example.org/log", kEd25519Type);
  ASSERT_TRUE(key.ok());
  auto parsed = ParseSignerKey(FormatSignerKey(*key));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->seed, key->seed);
  EXPECT_EQ(parsed->public_key, key->public_key);
  std::string vkey = FormatVerifierKey(VerifierOf(*key));
  EXPECT_TRUE(vkey.starts_with("example.org/log+"));
  auto verifier = ParseVerifierKey(vkey);
  ASSERT_TRUE(verifier.ok()) << verifier.status().message();
  EXPECT_EQ(verifier->key_id, key->key_id);
}

TEST(Keys, RefusesBadVerifierKeys) {
  auto key = *GenerateSignerKey("example.org/log", kEd25519Type);
  std::string vkey = FormatVerifierKey(VerifierOf(key));
  std::string other_id = vkey;
  other_id[vkey.find('+') + 1] = other_id[vkey.find('+') + 1] == '0' ? '1' : '0';
  EXPECT_EQ(ParseVerifierKey(other_id).status().message(),
            "verifier key \"" + other_id + "\": key id does not match the key");
  EXPECT_EQ(ParseVerifierKey("example.org/log").status().message(),
            "verifier key \"example.org/log\": expected NAME+KEYID+KEY (as `jifen key` prints it)");
  EXPECT_FALSE(GenerateSignerKey("has space", kEd25519Type).ok());
  EXPECT_FALSE(GenerateSignerKey("", kEd25519Type).ok());
}

TEST(Notes, SignatureVerifiesOnlyOverTheSameTextAndKey) {
  auto key = *GenerateSignerKey("example.org/log", kEd25519Type);
  auto other = *GenerateSignerKey("example.org/log", kEd25519Type);
  Note note{"example.org/log\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", {}};
  note.signatures.push_back(SignNoteText(key, note.text));
  auto parsed = ParseNote(FormatNote(note));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_TRUE(NoteSignedBy(*parsed, VerifierOf(key)));
  EXPECT_FALSE(NoteSignedBy(*parsed, VerifierOf(other)));
  parsed->text[parsed->text.find('3')] = '4';
  EXPECT_FALSE(NoteSignedBy(*parsed, VerifierOf(key)));
  EXPECT_FALSE(ParseNote("text\n").ok());        // no signatures
  EXPECT_FALSE(ParseNote("text\n\nno dash\n").ok());
}

TEST(Notes, CosignatureCoversTheTimeAndTheText) {
  auto witness = *GenerateSignerKey("county.example/witness", kCosignatureType);
  Note note{"example.org/log\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", {}};
  note.signatures.push_back(Cosign(witness, note.text, 1700000000));
  uint64_t t = 0;
  EXPECT_TRUE(CosignedBy(note, VerifierOf(witness), &t));
  EXPECT_EQ(t, 1700000000u);
  note.signatures[0].bytes[7] ^= 1;  // another time than the one signed
  EXPECT_FALSE(CosignedBy(note, VerifierOf(witness), &t));
  // A cosigner key is not a note key, nor the other way round.
  EXPECT_FALSE(NoteSignedBy(note, VerifierOf(witness)));
}

TEST(CheckpointText, ParsesWhatItWritesAndRefusesTheRest) {
  Checkpoint c{"example.org/log", 20852163, {}, {}};
  c.root[0] = 7;
  auto parsed = ParseCheckpointText(CheckpointText(c));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->size, 20852163u);
  EXPECT_EQ(parsed->root, c.root);
  EXPECT_EQ(ParseCheckpointText("o\n012\nAAAA\n").status().message(),
            "checkpoint: line 2: not a tree size");
  EXPECT_EQ(ParseCheckpointText("o\n12\nAAAA\n").status().message(),
            "checkpoint: line 3: not a base64 SHA-256 root hash");
}

TEST(ProofText, InclusionAndConsistencyFilesRoundTrip) {
  InclusionProofFile file{"leaf", 4, {ledger::Hash{}}, "CHECKPOINT\n"};
  auto parsed = ParseInclusionProof(FormatInclusionProof(file));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->extra, "leaf");
  EXPECT_EQ(parsed->index, 4u);
  EXPECT_EQ(parsed->proof.size(), 1u);
  EXPECT_EQ(parsed->checkpoint, "CHECKPOINT\n");
  EXPECT_TRUE(FormatInclusionProof(file).starts_with("c2sp.org/tlog-proof@v1\nextra bGVhZg==\n"));
  ConsistencyProofFile consistency{12, {ledger::Hash{}}, "CHECKPOINT\n"};
  auto back = ParseConsistencyProof(FormatConsistencyProof(consistency));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->old_size, 12u);
  EXPECT_FALSE(ParseConsistencyProof("old 012\n\nX\n").ok());
  EXPECT_FALSE(ParseInclusionProof("c2sp.org/tlog-proof@v1\nindex 1\nnot-base64\n\nX\n").ok());
}

}  // namespace
}  // namespace jifen::tlog
