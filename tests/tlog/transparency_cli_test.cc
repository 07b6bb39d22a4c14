// The ledger as a transparency log end to end, with the real `jifen` binary: proofs of every
// record, a dishonest holder's one-byte rewrite caught by consistency and by a witness, and Go's
// golang.org/x/mod/sumdb packages as an independent verifier.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "ledger/merkle.h"
#include "tests/common/run_binary.h"
#include "tests/ledger/ledger_test_util.h"
#include "tlog/cosigned.h"
#include "tlog/transparency.h"
#include "tlog/tree.h"

namespace jifen::tlog {
namespace {

const std::string kJifen = JIFEN_BINARY;

std::vector<ledger::Record> Households(int count) {
  std::vector<ledger::Record> out;
  for (int i = 0; i < count; ++i) {
    char code[16];
    std::snprintf(code, sizeof(code), "H%05d", i);
    out.push_back(ledger::testing::Household("SYS", code));
  }
  return out;
}

class TransparencyCli : public tests::ScratchTest {
 protected:
  TransparencyCli() : ScratchTest("jifen-tlog") {}

  void SetUp() override {
    ASSERT_TRUE(ledger::testing::AppendAll(*ledger::testing::OpenOrDie(Path("A")), Households(300))
                    .ok());
    auto key = Jifen({"key", "--ledger", Path("A"), "--origin", "township.example/jifen"});
    ASSERT_EQ(key.rc, 0) << key.err;
    vkey_ = key.out.substr(0, key.out.find('\n'));
  }

  tests::Outcome Jifen(std::vector<std::string> args) {
    args.insert(args.begin(), kJifen);
    tests::Outcome r = tests::RunProgram(args, scratch_);
    EXPECT_EQ(tests::Misbehaved(r), "");
    return r;
  }
  // Runs jifen and writes its stdout to NAME; returns the outcome.
  tests::Outcome JifenTo(const std::string& name, std::vector<std::string> args) {
    tests::Outcome r = Jifen(std::move(args));
    Write(name, r.out);
    return r;
  }

  // Ledger B: A's records with one byte of record 57 changed and the chain and tree rebuilt around
  // it, signed with A's key, as a holder of the ledger and its key could make it.
  void Forge() {
    std::vector<ledger::Record> records = Households(320);
    records[56].name[1] = '1';  // "H00056家" -> "H10056家"
    ASSERT_TRUE(ledger::testing::AppendAll(*ledger::testing::OpenOrDie(Path("B")), records).ok());
    std::filesystem::copy_file(Path("A/log.key"), Path("B/log.key"));
  }

  // A witness at DIR named NAME cosigns A's (or LEDGER's) tree from size 0 to SIZE; returns its
  // verifier key, and writes the cosigned checkpoint it prints to FILE.
  std::string Cosign(const std::string& dir, const std::string& name, const std::string& size,
                     const std::string& file, const std::string& ledger = "A") {
    auto key = Jifen({"witness", "--dir", Path(dir), "--name", name});
    EXPECT_EQ(key.rc, 0) << key.err;
    EXPECT_EQ(JifenTo(file + ".request",
                      {"proof", "--ledger", Path(ledger), "--from", "0", "--to", size})
                  .rc,
              0);
    auto cosigned = Jifen({"witness", "--dir", Path(dir), "--log-key", vkey_for(ledger),
                           Path(file + ".request")});
    EXPECT_EQ(cosigned.rc, 0) << cosigned.err;
    Write(file, cosigned.out);
    return key.out.substr(0, key.out.find('\n'));
  }
  std::string vkey_for(const std::string& ledger) {
    auto key = Jifen({"key", "--ledger", Path(ledger)});
    return key.out.substr(0, key.out.find('\n'));
  }

  std::string vkey_;
};

TEST_F(TransparencyCli, EveryRecordHasAProofThatVerifies) {
  auto ledger = ledger::testing::OpenOrDie(Path("A"), false);
  auto reader = std::move(ledger->Snapshot().value());
  auto key = LogKey(Path("A"), std::nullopt, false);
  ASSERT_TRUE(key.ok()) << key.status().message();
  for (uint64_t sequence = 1; sequence <= 300; ++sequence) {
    auto text = ProofForRecord(*reader, *key, sequence, std::nullopt);
    ASSERT_TRUE(text.ok()) << text.status().message();
    auto file = ParseInclusionProof(*text);
    ASSERT_TRUE(file.ok());
    auto checkpoint = OpenCheckpoint(file->checkpoint, VerifierOf(*key));
    ASSERT_TRUE(checkpoint.ok()) << checkpoint.status().message();
    ASSERT_TRUE(VerifyInclusion(ledger::MerkleLeafHash(file->extra), file->index,
                                checkpoint->checkpoint.size, file->proof,
                                checkpoint->checkpoint.root))
        << sequence;
  }
  // The binary, without the ledger: the proof and the record's line from `jifen log`.
  std::string log = Jifen({"log", "--ledger", Path("A")}).out;
  std::string line57 = log;
  for (int i = 1; i < 57; ++i) line57 = line57.substr(line57.find('\n') + 1);
  line57 = line57.substr(0, line57.find('\n'));
  ASSERT_EQ(JifenTo("57.tlog-proof", {"proof", "--ledger", Path("A"), "--record",
                                      "household:H00056"}).rc, 0);
  auto ok = Jifen({"verify-proof", Path("57.tlog-proof"), "--key", vkey_, "--record", line57});
  EXPECT_EQ(ok.rc, 0) << ok.err;
  EXPECT_EQ(ok.out, "ok: record 57 is in township.example/jifen at tree size 300\n" + line57 + "\n");
  // Another record's line, another key, a proof bent by one character: refused.
  std::string line58 = log.substr(log.find(line57) + line57.size() + 1);
  line58 = line58.substr(0, line58.find('\n'));
  auto other = Jifen({"verify-proof", Path("57.tlog-proof"), "--key", vkey_, "--record", line58});
  EXPECT_EQ(other.rc, 3);
  EXPECT_EQ(other.err, "jifen: --record: not the record the proof's extra holds\n");
  auto key_b = Jifen({"key", "--ledger", Path("A"), "--origin", "elsewhere.example"});
  EXPECT_EQ(key_b.rc, 1);
  EXPECT_EQ(key_b.err, "jifen: ledger " + Path("A") +
                           ": its origin is township.example/jifen, not elsewhere.example (an "
                           "origin never changes)\n");
  std::string bent = Read(Path("57.tlog-proof"));
  size_t index_line = bent.find("index 56\n") + 9;
  bent[index_line] = bent[index_line] == 'A' ? 'B' : 'A';
  Write("bent.tlog-proof", bent);
  auto refused = Jifen({"verify-proof", Path("bent.tlog-proof"), "--key", vkey_});
  EXPECT_EQ(refused.rc, 3);
  EXPECT_EQ(refused.err,
            "jifen: proof: record 57 is not in the checkpoint's tree (the proof does not verify)\n");
  auto unknown = Jifen({"proof", "--ledger", Path("A"), "--record", "no-such-id"});
  EXPECT_EQ(unknown.rc, 1);
  EXPECT_EQ(unknown.err, "jifen: record no-such-id: not in the ledger\n");
}

TEST_F(TransparencyCli, ARewrittenRecordIsCaughtByConsistencyAndByAWitness) {
  // Last month's board: the checkpoint at 200, cosigned by the county's witness.
  ASSERT_EQ(JifenTo("board-200", {"checkpoint", "--ledger", Path("A"), "--size", "200"}).rc, 0);
  auto witness_key = Jifen({"witness", "--dir", Path("W"), "--name", "county.example/witness"});
  ASSERT_EQ(witness_key.rc, 0) << witness_key.err;
  std::string wkey = witness_key.out.substr(0, witness_key.out.find('\n'));
  ASSERT_EQ(JifenTo("req-0-200", {"proof", "--ledger", Path("A"), "--from", "0", "--to", "200"}).rc,
            0);
  auto first = Jifen({"witness", "--dir", Path("W"), "--log-key", vkey_, Path("req-0-200")});
  ASSERT_EQ(first.rc, 0) << first.err;
  EXPECT_TRUE(first.out.starts_with(Read(Path("board-200"))));

  Forge();
  ASSERT_EQ(JifenTo("forged", {"proof", "--ledger", Path("B"), "--from", "200"}).rc, 0);
  auto caught = Jifen({"verify-proof", Path("forged"), "--key", vkey_, "--old", Path("board-200")});
  EXPECT_EQ(caught.rc, 3);
  EXPECT_EQ(caught.err,
            "jifen: proof: the tree at size 320 does not extend the one at size 200 (history was "
            "rewritten)\n");
  auto refused = Jifen({"witness", "--dir", Path("W"), "--log-key", vkey_, Path("forged")});
  EXPECT_EQ(refused.rc, 3);
  EXPECT_EQ(refused.err,
            "jifen: checkpoint at size 320: not consistent with the one cosigned at size 200 "
            "(history rewritten)\n");
  std::string refusals = Read(Path("W/refusals.log"));
  EXPECT_NE(refusals.find(" township.example/jifen 320 checkpoint at size 320: not consistent"),
            std::string::npos)
      << refusals;
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(Path("W/refused")),
                          std::filesystem::directory_iterator()),
            1);

  // The honest ledger grows and is cosigned; its proofs then carry the cosignature.
  ASSERT_TRUE(ledger::testing::AppendAll(*ledger::testing::OpenOrDie(Path("A"), false),
                                         {ledger::testing::Household("SYS", "H99999")})
                  .ok());
  ASSERT_EQ(JifenTo("honest", {"proof", "--ledger", Path("A"), "--from", "200"}).rc, 0);
  auto extends = Jifen({"verify-proof", Path("honest"), "--key", vkey_, "--old", Path("board-200")});
  EXPECT_EQ(extends.rc, 0) << extends.err;
  EXPECT_EQ(extends.out, "ok: township.example/jifen at tree size 301 extends tree size 200\n");
  auto second = Jifen({"witness", "--dir", Path("W"), "--log-key", vkey_, Path("honest")});
  ASSERT_EQ(second.rc, 0) << second.err;
  Write("cosigned-301", second.out);
  ASSERT_EQ(JifenTo("5.tlog-proof", {"proof", "--ledger", Path("A"), "--sequence", "5",
                                     "--checkpoint", Path("cosigned-301")}).rc, 0);
  auto witnessed =
      Jifen({"verify-proof", Path("5.tlog-proof"), "--key", vkey_, "--witness", wkey});
  EXPECT_EQ(witnessed.rc, 0) << witnessed.err;
  EXPECT_NE(witnessed.out.find("cosigned by county.example/witness at "), std::string::npos);
  // A replay of the old request is out of date (the witness keeps size 301 now).
  auto stale = Jifen({"witness", "--dir", Path("W"), "--log-key", vkey_, Path("req-0-200")});
  EXPECT_EQ(stale.rc, 1);
  EXPECT_EQ(stale.err,
            "jifen: old size 0: the last checkpoint cosigned for township.example/jifen has size "
            "301\n");
}

TEST_F(TransparencyCli, RefusalsNameWhatIsWrong) {
  Forge();
  ASSERT_EQ(JifenTo("forged-300", {"checkpoint", "--ledger", Path("B"), "--size", "300"}).rc, 0);
  // A checkpoint of another tree: the ledger was rewritten since, or it is not this ledger's.
  auto other = Jifen({"proof", "--ledger", Path("A"), "--sequence", "3", "--checkpoint",
                      Path("forged-300")});
  EXPECT_EQ(other.rc, 3);
  EXPECT_EQ(other.err,
            "jifen: checkpoint at size 300: its root is not this ledger's tree at that size\n");
  auto beyond = Jifen({"proof", "--ledger", Path("A"), "--sequence", "301"});
  EXPECT_EQ(beyond.rc, 1);
  EXPECT_EQ(beyond.err, "jifen: record 301: not in the checkpoint's tree of 300 records\n");
  // Another log's key: the signature is not checked against it.
  auto stranger = Jifen({"witness", "--dir", Path("S"), "--name", "stranger.example/log"});
  ASSERT_EQ(JifenTo("p", {"proof", "--ledger", Path("A"), "--sequence", "3"}).rc, 0);
  // The key's material follows its name and 8-digit id; base64 may hold '+' itself.
  std::string wrong = "township.example/jifen+00000000+" + vkey_.substr(vkey_.find('+') + 10);
  auto wrong_key = Jifen({"verify-proof", Path("p"), "--key", wrong});
  EXPECT_EQ(wrong_key.rc, 1);
  EXPECT_EQ(wrong_key.err, "jifen: verifier key \"" + wrong + "\": key id does not match the key\n");
  ASSERT_EQ(JifenTo("c", {"proof", "--ledger", Path("A"), "--from", "100"}).rc, 0);
  auto no_old = Jifen({"verify-proof", Path("c"), "--key", vkey_});
  EXPECT_EQ(no_old.rc, 2);
  EXPECT_EQ(no_old.err, "jifen: a consistency proof is checked against --old CHECKPOINT\n");
  auto neither = Jifen({"verify-proof", Write("x", "hello\n"), "--key", vkey_});
  EXPECT_EQ(neither.rc, 1);
  EXPECT_EQ(neither.err, "jifen: " + Path("x") + ": neither a tlog-proof nor a consistency proof\n");
  // The witness: a checkpoint signed by another key, an old size above the new one, and the same
  // size with another root (kept as a refusal).
  auto unsigned_by = Jifen({"witness", "--dir", Path("W"), "--log-key",
                            stranger.out.substr(0, stranger.out.find('\n')), Path("c")});
  EXPECT_EQ(unsigned_by.rc, 1);
  ASSERT_EQ(JifenTo("r300", {"proof", "--ledger", Path("A"), "--from", "0", "--to", "300"}).rc, 0);
  ASSERT_EQ(Jifen({"witness", "--dir", Path("W"), "--log-key", vkey_, Path("r300")}).rc, 0);
  ASSERT_EQ(JifenTo("above", {"proof", "--ledger", Path("A"), "--from", "300", "--to", "200"}).rc,
            1);
  ASSERT_EQ(JifenTo("same", {"proof", "--ledger", Path("B"), "--from", "300", "--to", "300"}).rc,
            0);
  std::string above = Read(Path("r300"));
  Write("above", "old 301" + above.substr(above.find('\n')));
  auto above_size = Jifen({"witness", "--dir", Path("W"), "--log-key", vkey_, Path("above")});
  EXPECT_EQ(above_size.rc, 1);
  EXPECT_EQ(above_size.err, "jifen: old size 301 is above the checkpoint's 300\n");
  auto same = Jifen({"witness", "--dir", Path("W"), "--log-key", vkey_, Path("same")});
  EXPECT_EQ(same.rc, 3);
  EXPECT_EQ(same.err,
            "jifen: checkpoint at size 300: another root than the one cosigned at that size\n");
  EXPECT_NE(Read(Path("W/refusals.log")).find("another root"), std::string::npos);
}

// A checkpoint the witnesses cosigned comes back to the office and is kept beside the ledger
// (LEDGER/cosigned/SIZE.note), one cosignature per witness, the witnesses listed; the records and
// the checkpoint the ledger signs are unchanged.
TEST_F(TransparencyCli, CosignaturesSentBackAreKeptBesideTheLedger) {
  auto before = Jifen({"checkpoint", "--ledger", Path("A")});
  auto none = Jifen({"cosigned", "--ledger", Path("A")});
  EXPECT_EQ(none.rc, 0) << none.err;
  EXPECT_EQ(none.out, "no witness has cosigned a checkpoint of township.example/jifen yet\n");
  std::string county = Cosign("W", "county.example/witness", "300", "county-300");
  auto kept =
      Jifen({"cosigned", "--ledger", Path("A"), Path("county-300"), "--witness-key", county});
  ASSERT_EQ(kept.rc, 0) << kept.err;
  EXPECT_EQ(kept.out, "kept the cosignature(s) of tree size 300 by county.example/witness in " +
                          Path("A") + "/cosigned/300.note\n");
  EXPECT_EQ(Read(Path("A/cosigned/300.note")), Read(Path("county-300")));
  EXPECT_EQ(Read(Path("A/witnesses")), county + "\n");
  // Again: nothing new. A second witness's cosignature of the same checkpoint joins the first,
  // its key given once and then listed.
  auto again = Jifen({"cosigned", "--ledger", Path("A"), Path("county-300")});
  EXPECT_EQ(again.rc, 0) << again.err;
  EXPECT_EQ(again.out, Path("county-300") + ": its cosignatures of tree size 300 were kept already "
                                            "(county.example/witness); nothing written\n");
  std::string town = Cosign("T", "town.example/witness", "300", "town-300");
  ASSERT_EQ(
      Jifen({"cosigned", "--ledger", Path("A"), Path("town-300"), "--witness-key", town}).rc, 0);
  std::string note = Read(Path("A/cosigned/300.note"));
  EXPECT_TRUE(note.starts_with(Read(Path("county-300"))));
  std::string town_line = Read(Path("town-300"));
  EXPECT_TRUE(note.ends_with(town_line.substr(town_line.rfind("\xE2\x80\x94 town.example"))));
  EXPECT_EQ(Read(Path("A/witnesses")), county + "\n" + town + "\n");
  auto listed = Jifen({"cosigned", "--ledger", Path("A")});
  EXPECT_EQ(listed.rc, 0) << listed.err;
  EXPECT_TRUE(listed.out.starts_with("county.example/witness cosigned tree size 300 at "))
      << listed.out;
  EXPECT_NE(listed.out.find("\ntown.example/witness cosigned tree size 300 at "),
            std::string::npos);
  // The cosigned note proves a record with both witnesses' cosignatures.
  ASSERT_EQ(JifenTo("9.tlog-proof", {"proof", "--ledger", Path("A"), "--sequence", "9",
                                     "--checkpoint", Path("A/cosigned/300.note")}).rc, 0);
  auto witnessed = Jifen({"verify-proof", Path("9.tlog-proof"), "--key", vkey_, "--witness",
                          county, "--witness", town});
  EXPECT_EQ(witnessed.rc, 0) << witnessed.err;
  EXPECT_EQ(Jifen({"checkpoint", "--ledger", Path("A")}).out, before.out);
  // A ledger rewritten after it was witnessed: the kept checkpoint no longer matches, loudly.
  Forge();
  std::filesystem::copy(Path("A/cosigned"), Path("B/cosigned"));
  std::filesystem::copy_file(Path("A/witnesses"), Path("B/witnesses"));
  auto rewritten = Jifen({"cosigned", "--ledger", Path("B")});
  EXPECT_EQ(rewritten.rc, 3);
  EXPECT_EQ(rewritten.err, "jifen: " + Path("B") + "/cosigned/300.note: its root is not this "
                           "ledger's tree at size 300 (another history than this ledger's)\n");
}

// `jifen verify` checks every kept cosigned checkpoint against the whole ledger: a rewritten
// history, records taken away after a witness saw them, an edited file and a missing log key each
// fail it (exit 3), naming the file.
TEST_F(TransparencyCli, VerifyChecksEveryKeptCosignedCheckpoint) {
  namespace fs = std::filesystem;
  auto plain = Jifen({"verify", "--ledger", Path("A")});
  ASSERT_EQ(plain.rc, 0) << plain.err;
  EXPECT_EQ(plain.out.find("cosigned"), std::string::npos) << plain.out;
  std::string county = Cosign("W", "county.example/witness", "300", "county-300");
  ASSERT_EQ(
      Jifen({"cosigned", "--ledger", Path("A"), Path("county-300"), "--witness-key", county}).rc,
      0);
  auto ok = Jifen({"verify", "--ledger", Path("A")});
  EXPECT_EQ(ok.rc, 0) << ok.err;
  EXPECT_TRUE(ok.out.ends_with(", 1 cosigned checkpoint (1 cosignature)\n")) << ok.out;
  auto json = Jifen({"verify", "--ledger", Path("A"), "--format", "json"});
  EXPECT_NE(json.out.find("\"cosigned_checkpoints\":1"), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"cosignatures\":1"), std::string::npos) << json.out;

  auto fails = [&](const std::string& ledger, const std::string& reason) {
    auto r = Jifen({"verify", "--ledger", Path(ledger)});
    EXPECT_EQ(r.rc, 3) << ledger << ": " << r.out;
    EXPECT_NE(r.err.find("jifen: ledger " + Path(ledger) + ": cosigned checkpoint " + reason),
              std::string::npos)
        << ledger << ": " << r.err;
  };
  // The kept file edited: one character of the witness's cosignature.
  fs::copy(Path("A"), Path("E"), fs::copy_options::recursive);
  std::string note = Read(Path("E/cosigned/300.note"));
  note[note.size() - 8] = note[note.size() - 8] == 'A' ? 'B' : 'A';
  Write("E/cosigned/300.note", note);
  fails("E", Path("E") + "/cosigned/300.note: the cosignature by county.example/witness does "
                         "not verify (the file was edited)");
  // The history rewritten after the witness saw it (B: record 57 changed, chain rebuilt).
  Forge();
  fs::copy(Path("A/cosigned"), Path("B/cosigned"));
  fs::copy_file(Path("A/witnesses"), Path("B/witnesses"));
  fails("B", Path("B") + "/cosigned/300.note: its root is not this ledger's tree at size 300");
  // Records taken away: a ledger of the first 200 records under the same key.
  ASSERT_TRUE(ledger::testing::AppendAll(*ledger::testing::OpenOrDie(Path("D")), Households(200))
                  .ok());
  fs::copy_file(Path("A/log.key"), Path("D/log.key"));
  fs::copy(Path("A/cosigned"), Path("D/cosigned"));
  fs::copy_file(Path("A/witnesses"), Path("D/witnesses"));
  fails("D", Path("D") + "/cosigned/300.note: tree size 300 is beyond this ledger's 200 records");
  // The log's key gone: nothing kept can be checked.
  fs::remove(Path("E/log.key"));
  fails("E", Path("E") + "/cosigned: cosigned checkpoints are kept but the log's key (log.key) "
                         "is gone");
}

// Every cosigned checkpoint that is not this ledger's, or whose signatures do not all verify, is
// refused with the file and the reason, and writes nothing.
TEST_F(TransparencyCli, ACosignedCheckpointThatIsNotThisLedgersIsRefusedAndWritesNothing) {
  std::string county = Cosign("W", "county.example/witness", "300", "good");
  std::string good = Read(Path("good"));
  auto refuse = [&](const std::string& name, const std::string& text, int rc,
                    const std::string& reason, bool with_key = true) {
    Write(name, text);
    std::vector<std::string> args{"cosigned", "--ledger", Path("A"), Path(name)};
    if (with_key) args.insert(args.end(), {"--witness-key", county});
    auto r = Jifen(args);
    EXPECT_EQ(r.rc, rc) << name << ": " << r.err;
    EXPECT_EQ(r.err, "jifen: cosigned checkpoint " + Path(name) + ": " + reason + "\n") << name;
    EXPECT_FALSE(std::filesystem::exists(Path("A/cosigned"))) << name;
    EXPECT_FALSE(std::filesystem::exists(Path("A/witnesses"))) << name;
  };
  // Another history under the same key: the rewritten ledger B, cosigned by another witness.
  Forge();
  Cosign("F", "county.example/witness", "300", "forged", "B");
  refuse("forged", Read(Path("forged")), 3,
         "its root is not this ledger's tree at size 300 (another history than this ledger's)",
         false);
  Cosign("G", "county.example/witness", "310", "beyond", "B");
  refuse("beyond", Read(Path("beyond")), 1, "tree size 310 is beyond this ledger's 300 records");
  // Another log: its own key and origin.
  ASSERT_TRUE(ledger::testing::AppendAll(*ledger::testing::OpenOrDie(Path("C")), Households(5))
                  .ok());
  ASSERT_EQ(Jifen({"key", "--ledger", Path("C"), "--origin", "other.example/log"}).rc, 0);
  Cosign("O", "county.example/witness", "5", "other", "C");
  refuse("other", Read(Path("other")), 1,
         "a checkpoint of other.example/log, not of this ledger (township.example/jifen)");
  // A cosignature bent by one character, the log's signature bent, a witness the office does not
  // know, no cosignature at all, and a file that is no signed note.
  size_t witness_line = good.rfind("\xE2\x80\x94 county.example/witness ");
  std::string bent = good;
  size_t at = bent.size() - 8;
  bent[at] = bent[at] == 'A' ? 'B' : 'A';
  refuse("bent", bent, 3,
         "the cosignature by county.example/witness does not verify (forged, or over another "
         "checkpoint)");
  std::string unsigned_by_log = good;
  at = witness_line - 8;
  unsigned_by_log[at] = unsigned_by_log[at] == 'A' ? 'B' : 'A';
  refuse("log", unsigned_by_log, 1, "no valid signature by this ledger's key (" + vkey_ + ")");
  refuse("stranger", good, 1,
         "signature by county.example/witness: not a witness this ledger knows (give its key with "
         "--witness-key, or list it in LEDGER/witnesses)",
         false);
  refuse("plain", good.substr(0, witness_line), 1,
         "no witness's cosignature, only the log's signature");
  refuse("text", "hello\n", 1,
         "signed note: no blank line before the signatures, or no final line break");
}

// Tiles (c2sp.org/tlog-tiles), checked against the signed root rather than trusted: the level-1
// hash is the root of the full level-0 tile, and the two with the partial tile give the root.
TEST_F(TransparencyCli, TilesHashUpToTheSignedRoot) {
  auto r = Jifen({"tiles", "--ledger", Path("A"), "--out", Path("site")});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "wrote 3 tile(s) and the checkpoint of tree size 300 to " + Path("site") + "\n");
  std::string full = Read(Path("site/tile/0/000")), partial = Read(Path("site/tile/0/001.p/44"));
  std::string upper = Read(Path("site/tile/1/000.p/1"));
  ASSERT_EQ(full.size(), 256u * 32);
  ASSERT_EQ(partial.size(), 44u * 32);
  ASSERT_EQ(upper.size(), 32u);
  auto hashes = [](const std::string& bytes, size_t from, size_t count) {
    std::vector<ledger::Hash> out(count);
    for (size_t i = 0; i < count; ++i) std::memcpy(out[i].data(), bytes.data() + 32 * (from + i), 32);
    return out;
  };
  // MTH of consecutive hashes, by RFC 9162's definition.
  std::function<ledger::Hash(const std::vector<ledger::Hash>&, size_t, size_t)> mth =
      [&](const std::vector<ledger::Hash>& h, size_t lo, size_t hi) {
        if (hi - lo == 1) return h[lo];
        size_t k = 1;
        while (k * 2 < hi - lo) k *= 2;
        return ledger::MerkleNodeHash(mth(h, lo, lo + k), mth(h, lo + k, hi));
      };
  EXPECT_EQ(mth(hashes(full, 0, 256), 0, 256), hashes(upper, 0, 1)[0]);
  ledger::Hash root = ledger::MerkleNodeHash(hashes(upper, 0, 1)[0], mth(hashes(partial, 0, 44), 0, 44));
  auto key = ParseVerifierKey(vkey_);
  auto checkpoint = OpenCheckpoint(Read(Path("site/checkpoint")), *key);
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status().message();
  EXPECT_EQ(checkpoint->checkpoint.root, root);
  // A tile the tree does not have yet is refused, not padded.
  auto ledger = ledger::testing::OpenOrDie(Path("A"), false);
  auto reader = std::move(ledger->Snapshot().value());
  EXPECT_FALSE(TileBytes(*reader, 0, 1, 256).ok());
  EXPECT_FALSE(TileBytes(*reader, 0, 0, 0).ok());
}

// Go's golang.org/x/mod/sumdb/note and sumdb/tlog (Debian's golang-golang-x-mod-dev), built
// offline, check jifen's signed checkpoints, an inclusion proof and consistency proofs.
TEST_F(TransparencyCli, GoSumdbPackagesVerifyTheCheckpointsAndProofs) {
  if (Shell("command -v go").rc != 0 ||
      !std::filesystem::exists("/usr/share/gocode/src/golang.org/x/mod/sumdb/tlog")) {
    GTEST_SKIP() << "go or golang-golang-x-mod-dev is not installed (`sh scripts/setup.sh test` "
                    "installs them): the independent check by Go's sumdb packages did not run";
  }
  auto built = Shell("cd " JIFEN_SOURCE_DIR "/tests/tlog/gocheck && GOCACHE=" + Path("gocache") +
                     " GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS= go build -o " +
                     Path("gocheck") + " main.go");
  ASSERT_EQ(built.rc, 0) << built.err;
  auto go = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {Path("gocheck"), vkey_});
    return tests::RunProgram(args, scratch_);
  };
  for (const char* sequence : {"1", "128", "256", "257", "300"}) {
    ASSERT_EQ(JifenTo("p", {"proof", "--ledger", Path("A"), "--sequence", sequence}).rc, 0);
    auto r = go({"inclusion", Path("p")});
    EXPECT_EQ(r.out, "ok\n") << sequence << ": " << r.err;
  }
  for (const char* old_size : {"1", "64", "199", "256", "299"}) {
    ASSERT_EQ(JifenTo("old", {"checkpoint", "--ledger", Path("A"), "--size", old_size}).rc, 0);
    ASSERT_EQ(JifenTo("c", {"proof", "--ledger", Path("A"), "--from", old_size}).rc, 0);
    auto r = go({"consistency", Path("old"), Path("c")});
    EXPECT_EQ(r.out, "ok\n") << old_size << ": " << r.err;
  }
  Forge();
  ASSERT_EQ(JifenTo("old", {"checkpoint", "--ledger", Path("A"), "--size", "200"}).rc, 0);
  ASSERT_EQ(JifenTo("c", {"proof", "--ledger", Path("B"), "--from", "200"}).rc, 0);
  auto forged = go({"consistency", Path("old"), Path("c")});
  EXPECT_EQ(forged.rc, 1);
  EXPECT_EQ(forged.out, "");
}

}  // namespace
}  // namespace jifen::tlog
