// Transparency log costs on an existing ledger: the signed checkpoint of the whole tree, inclusion
// proofs of records spread over it (c2sp tlog-proof text, signed checkpoint included),
// consistency proofs and full tiles. Run: jifen_bench_tlog LEDGER_DIR [count] (default 1,000).
// The ledger's key is made in LEDGER_DIR at first use, as `jifen key` would.
#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "ledger/ledger.h"
#include "ledger/merkle.h"
#include "tlog/transparency.h"
#include "tlog/tree.h"

namespace {

double CpuNow() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + t.tv_nsec * 1e-9;
}

template <typename Fn>
void Time(const char* what, int count, Fn&& fn) {
  double start = CpuNow();
  for (int i = 0; i < count; ++i) {
    if (!fn(i)) {
      std::fprintf(stderr, "%s failed\n", what);
      std::exit(1);
    }
  }
  double each = (CpuNow() - start) / count;
  std::printf("%-48s %6d times %9.1f us cpu each\n", what, count, each * 1e6);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace jifen;
  if (argc < 2) {
    std::fprintf(stderr, "usage: jifen_bench_tlog LEDGER_DIR [count]\n");
    return 2;
  }
  const int count = argc > 2 ? std::atoi(argv[2]) : 1000;
  auto ledger = ledger::Ledger::Open(argv[1], false);
  auto reader = ledger.ok() ? (*ledger)->Snapshot() : ledger.status();
  auto key = tlog::LogKey(argv[1], std::nullopt, true);
  if (!reader.ok() || !key.ok()) {
    std::fprintf(stderr, "cannot open %s\n", argv[1]);
    return 1;
  }
  const uint64_t size = (*reader)->HeadSequence();
  std::printf("ledger %s: %llu records\n", argv[1], static_cast<unsigned long long>(size));
  std::mt19937_64 random(1);
  std::uniform_int_distribution<uint64_t> any(1, size);
  Time("signed checkpoint of the whole tree", count,
       [&](int) { return tlog::CheckpointAt(**reader, *key, size).ok(); });
  Time("inclusion proof of a record (with checkpoint)", count, [&](int) {
    return tlog::ProofForRecord(**reader, *key, any(random), std::nullopt).ok();
  });
  Time("inclusion path alone (RFC 9162)", count,
       [&](int) { return tlog::InclusionProof(**reader, any(random) - 1, size).ok(); });
  Time("consistency proof (with checkpoint)", count, [&](int) {
    return tlog::ConsistencyProofText(**reader, *key, any(random), size).ok();
  });
  // What an append adds to the write path, without the put once in 256 appends: the leaf hash of
  // a record's bytes (160 here, about an award's) and the merge into the tree's edge.
  {
    std::string bytes(160, 'x');
    ledger::MerkleFrontier frontier;
    uint64_t stored = 0;
    Time("tree upkeep of one append (leaf hash + edge)", static_cast<int>(size), [&](int i) {
      bytes[i % 160] = static_cast<char>(i);
      frontier.Append(ledger::MerkleLeafHash(bytes),
                      [&](unsigned level, uint64_t, const ledger::Hash&) { stored += level > 0; });
      return true;
    });
  }
  const uint64_t full_tiles = size / 256;
  if (full_tiles > 0) {
    Time("full level-0 tile (8 KiB)", count, [&](int) {
      return tlog::TileBytes(**reader, 0, random() % full_tiles, 256).ok();
    });
  }
  return 0;
}
