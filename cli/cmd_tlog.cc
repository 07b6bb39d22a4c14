#include "cli/cmd_tlog.h"

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/clerk_input.h"
#include "ledger/codec.h"
#include "ledger/merkle.h"
#include "formats/record_json.h"
#include "tlog/cosigned.h"
#include "tlog/transparency.h"
#include "tlog/tree.h"
#include "tlog/witness.h"

namespace jifen::cli {
namespace {

Result<std::string> ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidInput(path + ": cannot read");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The ledger, a snapshot and its key (made at first use).
struct OpenLog {
  std::unique_ptr<ledger::Ledger> ledger;
  std::unique_ptr<ledger::Reader> reader;
  tlog::SignerKey key;
};
Result<OpenLog> Open(const Globals& g) {
  OpenLog log;
  auto ledger = OpenLedger(g);
  if (!ledger.ok()) return ledger.status();
  log.ledger = std::move(*ledger);
  auto reader = log.ledger->Snapshot();
  if (!reader.ok()) return reader.status();
  log.reader = std::move(*reader);
  auto key = tlog::LogKey(g.ledger_dir, std::nullopt, true);
  if (!key.ok()) return key.status();
  log.key = std::move(*key);
  return log;
}

int RunKey(const Globals& g, const std::optional<std::string>& origin) {
  if (!std::filesystem::is_directory(g.ledger_dir))
    return Fail(Status::InvalidInput("ledger " + g.ledger_dir + ": not found"));
  auto key = tlog::LogKey(g.ledger_dir, origin, true);
  if (!key.ok()) return Fail(key.status());
  std::cout << tlog::FormatVerifierKey(tlog::VerifierOf(*key)) << '\n';
  return 0;
}

int RunCheckpoint(const Globals& g, std::optional<uint64_t> size) {
  auto log = Open(g);
  if (!log.ok()) return Fail(log.status());
  auto note = tlog::CheckpointAt(*log->reader, log->key, size.value_or(log->reader->HeadSequence()));
  if (!note.ok()) return Fail(note.status());
  std::cout << *note;
  return 0;
}

// The sequence of the record `id` (its idempotency key, KeyOf) in `village`, or in the one
// village that has it.
Result<uint64_t> FindRecord(const ledger::Reader& reader, const std::string& id,
                            const std::string& village) {
  std::vector<std::string> villages =
      village.empty() ? reader.Villages() : std::vector<std::string>{village};
  std::optional<uint64_t> found;
  for (const std::string& v : villages) {
    if (auto sequence = reader.FindKey(v, id)) {
      if (found) {
        return Status::InvalidInput("record " + id +
                                    ": in more than one village (name one with --village)");
      }
      found = sequence;
    }
  }
  if (!found) return Status::InvalidInput("record " + id + ": not in the ledger");
  return *found;
}

struct ProofArgs {
  std::string record, village, checkpoint, out;
  uint64_t sequence = 0;
  std::optional<uint64_t> from, to;
};

int RunProof(const Globals& g, const ProofArgs& a) {
  auto log = Open(g);
  if (!log.ok()) return Fail(log.status());
  Result<std::string> text = Status::Usage("proof: give --record ID, --sequence N or --from/--to");
  if (a.from) {
    if (!a.record.empty() || a.sequence != 0 || !a.checkpoint.empty())
      return Fail(Status::Usage("proof: --from/--to is a consistency proof; no --record"));
    text = tlog::ConsistencyProofText(*log->reader, log->key, *a.from,
                                      a.to.value_or(log->reader->HeadSequence()));
  } else if (!a.record.empty() || a.sequence != 0) {
    uint64_t sequence = a.sequence;
    if (!a.record.empty()) {
      auto found = FindRecord(*log->reader, a.record, a.village);
      if (!found.ok()) return Fail(found.status());
      sequence = *found;
    }
    std::optional<std::string> checkpoint;
    if (!a.checkpoint.empty()) {
      auto file = ReadTextFile(a.checkpoint);
      if (!file.ok()) return Fail(file.status());
      checkpoint = std::move(*file);
    }
    text = tlog::ProofForRecord(*log->reader, log->key, sequence, checkpoint);
  }
  if (!text.ok()) return Fail(text.status());
  if (a.out.empty()) {
    std::cout << *text;
    return 0;
  }
  std::ofstream out(a.out, std::ios::binary);
  if (!(out << *text) || !out.flush()) return Fail(Status::IOError(a.out + ": cannot write"));
  return 0;
}

struct VerifyProofArgs {
  std::string file, key, record, old;
  std::vector<std::string> witnesses;
};

// The witnesses named by --witness must all have cosigned `note`.
Status CheckWitnesses(const tlog::Note& note, const std::vector<std::string>& witnesses) {
  for (const std::string& text : witnesses) {
    auto key = tlog::ParseVerifierKey(text);
    if (!key.ok()) return key.status();
    uint64_t timestamp = 0;
    if (!tlog::CosignedBy(note, *key, &timestamp))
      return Status::Corruption("checkpoint: no valid cosignature by witness " + key->name);
    std::cout << "cosigned by " << key->name << " at " << timestamp << '\n';
  }
  return Status::Ok();
}

int VerifyInclusionFile(const VerifyProofArgs& a, const std::string& text,
                        const tlog::VerifierKey& key) {
  auto file = tlog::ParseInclusionProof(text);
  if (!file.ok()) return Fail(file.status());
  auto opened = tlog::OpenCheckpoint(file->checkpoint, key);
  if (!opened.ok()) return Fail(opened.status());
  std::string leaf = file->extra;
  if (!a.record.empty()) {
    auto record = formats::RecordFromJson(a.record);
    if (!record.ok()) return Fail(Status::InvalidInput("--record: " + record.status().message()));
    record->sequence = file->index + 1;
    std::string encoded;
    ledger::EncodeRecord(*record, &encoded);
    if (!leaf.empty() && leaf != encoded)
      return Fail(Status::Corruption("--record: not the record the proof's extra holds"));
    leaf = encoded;
  }
  if (leaf.empty()) return Fail(Status::InvalidInput("proof: no extra and no --record to check"));
  ledger::Record record;
  if (Status s = ledger::DecodeRecord(leaf, &record); !s.ok() || record.sequence != file->index + 1)
    return Fail(Status::InvalidInput("proof: extra is not the canonical bytes of record " +
                                     std::to_string(file->index + 1)));
  if (!tlog::VerifyInclusion(ledger::MerkleLeafHash(leaf), file->index,
                             opened->checkpoint.size, file->proof, opened->checkpoint.root)) {
    return Fail(Status::Corruption("proof: record " + std::to_string(file->index + 1) +
                                   " is not in the checkpoint's tree (the proof does not verify)"));
  }
  if (Status s = CheckWitnesses(opened->note, a.witnesses); !s.ok()) return Fail(s);
  std::cout << "ok: record " << file->index + 1 << " is in " << opened->checkpoint.origin
            << " at tree size " << opened->checkpoint.size << '\n'
            << formats::RecordToJson(record) << '\n';
  return 0;
}

int VerifyConsistencyFile(const VerifyProofArgs& a, const std::string& text,
                          const tlog::VerifierKey& key) {
  auto file = tlog::ParseConsistencyProof(text);
  if (!file.ok()) return Fail(file.status());
  auto opened = tlog::OpenCheckpoint(file->checkpoint, key);
  if (!opened.ok()) return Fail(opened.status());
  if (a.old.empty())
    return Fail(Status::Usage("a consistency proof is checked against --old CHECKPOINT"));
  auto old_text = ReadTextFile(a.old);
  if (!old_text.ok()) return Fail(old_text.status());
  auto old = tlog::OpenCheckpoint(*old_text, key);
  if (!old.ok()) return Fail(old.status());
  if (old->checkpoint.size != file->old_size) {
    return Fail(Status::InvalidInput("--old: checkpoint at size " +
                                     std::to_string(old->checkpoint.size) +
                                     ", the proof is from size " + std::to_string(file->old_size)));
  }
  if (!tlog::VerifyConsistency(file->old_size, opened->checkpoint.size, old->checkpoint.root,
                               opened->checkpoint.root, file->proof)) {
    return Fail(Status::Corruption("proof: the tree at size " +
                                   std::to_string(opened->checkpoint.size) +
                                   " does not extend the one at size " +
                                   std::to_string(file->old_size) + " (history was rewritten)"));
  }
  if (Status s = CheckWitnesses(opened->note, a.witnesses); !s.ok()) return Fail(s);
  std::cout << "ok: " << opened->checkpoint.origin << " at tree size " << opened->checkpoint.size
            << " extends tree size " << file->old_size << '\n';
  return 0;
}

int RunVerifyProof(const VerifyProofArgs& a) {
  auto text = ReadTextFile(a.file);
  if (!text.ok()) return Fail(text.status());
  auto key = tlog::ParseVerifierKey(a.key);
  if (!key.ok()) return Fail(key.status());
  if (text->starts_with(tlog::kProofHeader)) return VerifyInclusionFile(a, *text, *key);
  if (text->starts_with("old ")) return VerifyConsistencyFile(a, *text, *key);
  return Fail(Status::InvalidInput(a.file + ": neither a tlog-proof nor a consistency proof"));
}

struct WitnessArgs {
  std::string dir, log_key, request;
  std::optional<std::string> name;
};

int RunWitness(const WitnessArgs& a) {
  auto witness = tlog::Witness::Open(a.dir, a.name);
  if (!witness.ok()) return Fail(witness.status());
  if (a.request.empty()) {
    std::cout << tlog::FormatVerifierKey(witness->key()) << '\n';
    return 0;
  }
  if (a.log_key.empty()) return Fail(Status::Usage("witness: --log-key is needed with a request"));
  auto log_key = tlog::ParseVerifierKey(a.log_key);
  if (!log_key.ok()) return Fail(log_key.status());
  Result<std::string> request = Status::InvalidInput("");
  if (a.request == "-") {
    std::ostringstream text;
    text << std::cin.rdbuf();
    request = text.str();
  } else {
    request = ReadTextFile(a.request);
  }
  if (!request.ok()) return Fail(request.status());
  auto cosignature =
      witness->AddCheckpoint(*request, *log_key, static_cast<uint64_t>(std::time(nullptr)));
  if (!cosignature.ok()) return Fail(cosignature.status());
  std::cout << witness->Latest(log_key->name).value_or("");
  return 0;
}

struct CosignedArgs {
  std::string file;
  std::vector<std::string> witness_keys;
};

// Without a file: which witnesses cosigned which tree size, as the board and the card say it.
int ListCosigners(const ledger::Reader& reader, const Globals& g, const tlog::VerifierKey& key) {
  auto cosigners = tlog::KeptCosigners(reader, g.ledger_dir, key);
  if (!cosigners.ok()) return Fail(cosigners.status());
  if (cosigners->empty())
    std::cout << "no witness has cosigned a checkpoint of " << key.name << " yet\n";
  for (const tlog::Cosigner& c : *cosigners) {
    std::cout << c.name << " cosigned tree size " << c.size << " at " << c.timestamp << '\n';
  }
  return 0;
}

// Keeps the cosignatures of a checkpoint a witness sent back (tlog/cosigned.h), or lists them.
int RunCosigned(const Globals& g, const CosignedArgs& a) {
  auto ledger = OpenLedger(g);
  if (!ledger.ok()) return Fail(ledger.status());
  auto reader = (*ledger)->Snapshot();
  if (!reader.ok()) return Fail(reader.status());
  auto log_key = tlog::LogKey(g.ledger_dir, std::nullopt, false);
  if (!log_key.ok()) return Fail(log_key.status());
  const tlog::VerifierKey key = tlog::VerifierOf(*log_key);
  if (a.file.empty()) {
    if (!a.witness_keys.empty())
      return Fail(Status::Usage("cosigned: --witness-key goes with a cosigned checkpoint FILE"));
    return ListCosigners(**reader, g, key);
  }
  std::vector<tlog::VerifierKey> witnesses;
  for (const std::string& text : a.witness_keys) {
    auto witness = tlog::ParseVerifierKey(text);
    if (!witness.ok())
      return Fail(Status::InvalidInput("--witness-key: " + witness.status().message()));
    witnesses.push_back(std::move(*witness));
  }
  auto note = ReadTextFile(a.file);
  if (!note.ok()) return Fail(note.status());
  auto kept = tlog::KeepCosigned(**reader, g.ledger_dir, key, *note, a.file, witnesses);
  if (!kept.ok()) return Fail(kept.status());
  const std::string where = g.ledger_dir + "/cosigned/" + std::to_string(kept->size) + ".note";
  if (kept->added.empty()) {
    std::cout << a.file << ": its cosignatures of tree size " << kept->size
              << " were kept already (" << Join(kept->already, ", ") << "); nothing written\n";
    return 0;
  }
  std::cout << "kept the cosignature(s) of tree size " << kept->size << " by "
            << Join(kept->added, ", ") << " in " << where << '\n';
  return 0;
}

// Writes every full tile (when not yet there: they never change), the partial tiles of the
// current size and the checkpoint under `out`, as c2sp.org/tlog-tiles lays them out.
int RunTiles(const Globals& g, const std::string& out) {
  auto log = Open(g);
  if (!log.ok()) return Fail(log.status());
  const uint64_t size = log->reader->HeadSequence();
  auto write = [&](const std::filesystem::path& path, std::string_view bytes) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    std::ofstream file(path, std::ios::binary);
    return !ec && (file << bytes) && file.flush();
  };
  uint64_t tiles = 0;
  for (unsigned level = 0; level < 8 && (size >> (8 * level)) > 0; ++level) {
    const uint64_t hashes = size >> (8 * level);
    for (uint64_t index = 0; index * 256 < hashes; ++index) {
      unsigned width = static_cast<unsigned>(std::min<uint64_t>(256, hashes - index * 256));
      std::filesystem::path path = std::filesystem::path(out) / tlog::TilePath(level, index, width);
      if (width == 256 && std::filesystem::exists(path)) continue;
      auto bytes = tlog::TileBytes(*log->reader, level, index, width);
      if (!bytes.ok()) return Fail(bytes.status());
      if (!write(path, *bytes)) return Fail(Status::IOError(path.string() + ": cannot write"));
      ++tiles;
    }
  }
  auto note = tlog::CheckpointAt(*log->reader, log->key, size);
  if (!note.ok()) return Fail(note.status());
  if (!write(std::filesystem::path(out) / "checkpoint", *note))
    return Fail(Status::IOError(out + "/checkpoint: cannot write"));
  std::cout << "wrote " << tiles << " tile(s) and the checkpoint of tree size " << size << " to "
            << out << '\n';
  return 0;
}

void AddWitnessSubcommands(CLI::App& app, Globals& g, int& rc) {
  auto w = std::make_shared<WitnessArgs>();
  auto* witness = app.add_subcommand(
      "witness",
      "cosign a log's checkpoint when it extends the last one cosigned (c2sp.org/tlog-witness)\n"
      "  example: jifen witness --dir county-witness --log-key 'NAME+1234abcd+AQ...' request.txt");
  witness->add_option("--dir", w->dir, "the witness's state directory")->required();
  witness->add_option("--name", w->name, "its name, at first use (default jifen-witness/HEX)");
  witness->add_option("--log-key", w->log_key, "the log's verifier key");
  witness->add_option("request", w->request,
                      "the add-checkpoint body (`jifen proof --from`), - for stdin; without it, "
                      "prints the witness's verifier key");
  witness->callback([&rc, w] { rc = RunWitness(*w); });

  auto c = std::make_shared<CosignedArgs>();
  auto* cosigned = app.add_subcommand(
      "cosigned",
      "keep the cosignatures of a checkpoint of this ledger that witnesses sent back, for the\n"
      "board and the cards; without FILE, list which witnesses cosigned which tree size\n"
      "  example: jifen cosigned cosigned-1350.txt --witness-key 'county.example/witness+1234abcd+"
      "BA...'");
  cosigned->add_option("file", c->file, "the cosigned checkpoint (what `jifen witness` prints)");
  cosigned->add_option("--witness-key", c->witness_keys,
                       "a witness's verifier key (repeatable); kept in LEDGER/witnesses once it "
                       "cosigned; keys listed there need not be given again");
  cosigned->callback([&g, &rc, c] { rc = RunCosigned(g, *c); });

  auto out = std::make_shared<std::string>();
  auto* tiles = app.add_subcommand(
      "tiles", "write the tree as static tiles (c2sp.org/tlog-tiles)\n  example: jifen tiles --out site/tlog");
  tiles->add_option("--out", *out, "directory")->required();
  tiles->callback([&g, &rc, out] { rc = RunTiles(g, *out); });
}

}  // namespace

void AddTransparencySubcommands(CLI::App& app, Globals& g, int& rc) {
  auto origin = std::make_shared<std::optional<std::string>>();
  auto* key = app.add_subcommand(
      "key",
      "print the ledger's verifier key (made at first use)\n  example: jifen key --origin xx-township.example/jifen");
  key->add_option("--origin", *origin, "the log's name, at first use (default jifen-ledger/HEX)");
  key->callback([&g, &rc, origin] { rc = RunKey(g, *origin); });

  auto size = std::make_shared<std::optional<uint64_t>>();
  auto* checkpoint = app.add_subcommand(
      "checkpoint", "print the signed checkpoint of the ledger's tree\n  example: jifen checkpoint");
  checkpoint->add_option("--size", *size, "tree size (default: every record)");
  checkpoint->callback([&g, &rc, size] { rc = RunCheckpoint(g, *size); });

  auto p = std::make_shared<ProofArgs>();
  auto* proof = app.add_subcommand(
      "proof",
      "write an inclusion proof of a record, or a consistency proof between tree sizes\n"
      "  example: jifen proof --record SYS-0001 --out SYS-0001.tlog-proof\n"
      "  example: jifen proof --from 1200 --to 1350");
  proof->add_option("--record", p->record, "the record's id");
  proof->add_option("--village", p->village, "the record's village (when ids repeat)");
  proof->add_option("--sequence", p->sequence, "the record's sequence number");
  proof->add_option("--checkpoint", p->checkpoint, "against this signed checkpoint file");
  proof->add_option("--from", p->from, "consistency proof from this tree size");
  proof->add_option("--to", p->to, "... to this one (default: every record)");
  proof->add_option("--out", p->out, "write to this file instead of stdout");
  proof->callback([&g, &rc, p] { rc = RunProof(g, *p); });

  auto v = std::make_shared<VerifyProofArgs>();
  auto* verify = app.add_subcommand(
      "verify-proof",
      "check a proof file offline, without any ledger\n"
      "  example: jifen verify-proof SYS-0001.tlog-proof --key 'NAME+1234abcd+AQ...'");
  verify->add_option("file", v->file, "the proof")->required();
  verify->add_option("--key", v->key, "the log's verifier key (as `jifen key` prints it)")
      ->required();
  verify->add_option("--record", v->record, "the record's JSON line (as `jifen log` prints it)");
  verify->add_option("--old", v->old, "the earlier checkpoint a consistency proof starts from");
  verify->add_option("--witness", v->witnesses, "a witness's key that must have cosigned");
  verify->callback([&rc, v] { rc = RunVerifyProof(*v); });

  AddWitnessSubcommands(app, g, rc);
}

}  // namespace jifen::cli
