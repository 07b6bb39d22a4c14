// The ledger as a transparency log on the web (web/pages_tlog.cc): the checkpoint and tiles for
// monitors, and from a card, each of the household's records' inclusion proofs, which the real
// `jifen verify-proof` checks without the ledger.
#include <regex>

#include <cstring>
#include <functional>

#include "ledger/merkle.h"
#include "tests/common/run_binary.h"
#include "tests/web/serve_fixture.h"
#include "tlog/cosigned.h"
#include "tlog/note.h"
#include "tlog/transparency.h"
#include "tlog/witness.h"

namespace jifen::web::webtest {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST_F(Serve, TheCheckpointAndTilesAreServedForMonitors) {
  auto client = Client();
  auto checkpoint = client.Get("/tlog/checkpoint");
  ASSERT_TRUE(checkpoint);
  ASSERT_EQ(checkpoint->status, 200);
  uint64_t size = Head();
  std::string body = checkpoint->body;
  std::string first = body.substr(0, body.find('\n'));
  std::string rest = body.substr(first.size() + 1);
  EXPECT_EQ(rest.substr(0, rest.find('\n')), std::to_string(size));
  EXPECT_THAT(body, HasSubstr("\n\n\xE2\x80\x94 " + first + " "));  // signed by the log's key

  auto tile = client.Get("/tlog/tile/0/000.p/" + std::to_string(size));
  ASSERT_TRUE(tile);
  ASSERT_EQ(tile->status, 200);
  ASSERT_EQ(tile->body.size(), 32 * size);
  EXPECT_THAT(tile->get_header_value("Cache-Control"), HasSubstr("immutable"));
  // The tile's leaf hashes hash up (RFC 9162 §2.1.1) to the root the checkpoint signs.
  std::vector<ledger::Hash> leaves(size);
  for (uint64_t i = 0; i < size; ++i) std::memcpy(leaves[i].data(), tile->body.data() + 32 * i, 32);
  std::function<ledger::Hash(size_t, size_t)> root = [&](size_t begin, size_t end) {
    if (end - begin == 1) return leaves[begin];
    size_t split = 1;
    while (split * 2 < end - begin) split *= 2;
    return ledger::MerkleNodeHash(root(begin, begin + split), root(begin + split, end));
  };
  ledger::Hash top = root(0, size);
  std::string third = rest.substr(rest.find('\n') + 1);
  third = third.substr(0, third.find('\n'));
  EXPECT_EQ(third,
            tlog::Base64Encode(std::string_view(reinterpret_cast<const char*>(top.data()), 32)));
  EXPECT_EQ(client.Get("/tlog/tile/0/000")->status, 404);  // not a full tile yet
  EXPECT_EQ(client.Get("/tlog/tile/0/000.p/" + std::to_string(size + 1))->status, 404);
}

TEST_F(Serve, ACardLinksEachRecordsProofAndTheProofChecksWithoutTheLedger) {
  Login s = SignIn("scorer");
  auto client = Client();
  auto recorded = client.Post("/record", {{"Cookie", s.cookie}}, Award(s.csrf, "P1", "A1"));
  ASSERT_EQ(recorded->status, 303);
  std::string location = recorded->get_header_value("Location");
  std::string id = location.substr(location.find("done=") + 5);
  auto card = client.Get(Card("H1"));
  ASSERT_EQ(card->status, 200);
  std::smatch m;
  ASSERT_TRUE(
      std::regex_search(card->body, m, std::regex(R"re(<code class="code">([^<]+)</code>)re")));
  std::string key = std::regex_replace(m[1].str(), std::regex("&#x2F;"), "/");
  EXPECT_THAT(card->body, HasSubstr("/proof/" + id + "\""));
  auto proof = client.Get(Card("H1") + "/proof/" + id);
  ASSERT_EQ(proof->status, 200);
  EXPECT_THAT(proof->body, HasSubstr("c2sp.org/tlog-proof@v1"));
  EXPECT_EQ(client.Get(Card("H2") + "/proof/" + id)->status, 404);  // another household's card
  EXPECT_EQ(client.Get("/h/W/H1/" + std::string(64, '0') + "/proof/" + id)->status, 404);

  tests::ScratchDir scratch("jifen-proof");
  std::string file = scratch.Write("record.proof", proof->body);
  auto run = tests::RunProgram({JIFEN_BINARY, "verify-proof", file, "--key", key}, scratch);
  EXPECT_EQ(run.rc, 0) << run.out << run.err;
  std::string forged = proof->body;  // one hash of the path changed
  size_t path = forged.find('\n', forged.find("\nindex ") + 1) + 1;
  forged[path] = forged[path] == 'A' ? 'B' : 'A';
  std::string bad = scratch.Write("forged.proof", forged);
  EXPECT_NE(tests::RunProgram({JIFEN_BINARY, "verify-proof", bad, "--key", key}, scratch).rc, 0);
}

// The card says which witnesses cosigned the ledger's latest checkpoint, plainly when none has;
// a cosigned checkpoint kept by the office shows at once (the page cache is keyed by it too).
TEST_F(Serve, TheCardSaysWhichWitnessesCosigned) {
  auto client = Client();
  auto card = client.Get(Card("H1"));
  ASSERT_EQ(card->status, 200);
  const std::string head = std::to_string(Head());
  EXPECT_THAT(card->body,
              HasSubstr("还没有见证人联署最新的检查点或其后的检查点 (树大小 " + head + ")"));
  EXPECT_THAT(card->body, Not(HasSubstr("已联署")));

  tests::ScratchDir scratch("jifen-card-witness");
  auto witness = tlog::Witness::Open(scratch.path() + "/W", std::string("county-witness"));
  ASSERT_TRUE(witness.ok()) << witness.status().message();
  auto key = tlog::LogKey(dir_, std::nullopt, false);  // made when the card showed it
  ASSERT_TRUE(key.ok()) << key.status().message();
  {
    auto reader = app_->ledger().Snapshot();
    ASSERT_TRUE(reader.ok());
    auto request = tlog::ConsistencyProofText(**reader, *key, 0, Head());
    ASSERT_TRUE(request.ok());
    ASSERT_TRUE(witness->AddCheckpoint(*request, tlog::VerifierOf(*key), 1700000000).ok());
    auto kept = tlog::KeepCosigned(**reader, dir_, tlog::VerifierOf(*key),
                                   *witness->Latest(key->name), "county", {witness->key()});
    ASSERT_TRUE(kept.ok()) << kept.status().message();
  }
  // Monitors get the checkpoint with its cosignature too.
  EXPECT_EQ(client.Get("/tlog/checkpoint")->body, *witness->Latest(key->name));
  card = client.Get(Card("H1"));
  EXPECT_THAT(card->body, HasSubstr("见证：county-witness 已联署 (树大小 " + head + ")"));
  EXPECT_THAT(card->body, Not(HasSubstr("还没有见证人")));
  auto english = client.Get(Card("H1") + "?lang=en");
  EXPECT_THAT(english->body,
              HasSubstr("Witness: county-witness cosigned (tree size " + head + ")"));
  // A record later, the latest checkpoint is not witnessed yet; the earlier cosignature is named.
  Login s = SignIn("scorer");
  ASSERT_EQ(client.Post("/record", {{"Cookie", s.cookie}}, Award(s.csrf, "P1", "A1"))->status, 303);
  card = client.Get(Card("H1"));
  const std::string later = std::to_string(Head());
  EXPECT_THAT(card->body, HasSubstr("还没有见证人联署最新的检查点或其后的检查点 (树大小 " + later +
                                    ")<br>此前：county-witness 已联署 (树大小 " + head + ")"));
}

}  // namespace
}  // namespace jifen::web::webtest
