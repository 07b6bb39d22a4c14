// The ledger as a transparency log on the web (SPEC.md §6, docs/AUDIT.md): the latest signed
// checkpoint and the tree's tiles in the c2sp.org/tlog-tiles layout under /tlog/, so that any
// monitor follows the log without jifen; and from a household's card, the inclusion proof of each
// of its records (c2sp.org/tlog-proof), which `jifen verify-proof` or any tlog library checks
// offline against the verifier key the card shows.
#include "engine/model.h"
#include "tlog/cosigned.h"
#include "tlog/transparency.h"
#include "web/page_util.h"
#include "web/routes.h"

namespace jifen::web {
namespace {

void SendText(RequestContext& c, const std::string& text, const std::string& type,
              const std::string& cache) {
  c.response->status = 200;
  c.response->SetHeader("X-Content-Type-Options", "nosniff");
  c.response->SetHeader("Content-Security-Policy", "default-src 'none'");
  c.response->SetHeader("Cache-Control", cache);
  c.response->SetContent(text, type);
}

// The latest checkpoint, from the server's own ledger handle (LMDB must not be opened twice in
// one process); with the witnesses' cosignatures when the office keeps them for this size.
void CheckpointText(App& app, RequestContext& c) {
  const std::string& dir = app.options().ledger_dir;
  auto key = tlog::LogKey(dir, std::nullopt, true);
  auto reader = app.ledger().Snapshot();
  if (!key.ok() || !reader.ok()) return RenderError(c, 500, "error");
  const uint64_t size = (*reader)->HeadSequence();
  auto checkpoint = tlog::CheckpointAt(**reader, *key, size);
  if (!checkpoint.ok()) return RenderError(c, 500, "error");
  if (auto kept = tlog::KeptCosignedAt(dir, size)) {
    auto ours = tlog::ParseNote(*checkpoint);
    auto theirs = tlog::ParseNote(*kept);
    if (ours.ok() && theirs.ok() && ours->text == theirs->text) checkpoint = std::move(*kept);
  }
  // A new record makes a new checkpoint: never kept by a cache without asking.
  SendText(c, *checkpoint, "text/plain; charset=utf-8", "no-cache");
}

// "x001/x234/067" -> 1234067; nullopt when a group is not three digits.
std::optional<uint64_t> TileIndex(const std::string& path) {
  uint64_t index = 0;
  size_t at = 0;
  while (at < path.size()) {
    if (path[at] == 'x') ++at;
    if (at + 3 > path.size() || index > (uint64_t{1} << 50)) return std::nullopt;
    index = index * 1000 + static_cast<uint64_t>(std::stoul(path.substr(at, 3)));
    at += 3;
    if (at < path.size() && path[at++] != '/') return std::nullopt;
  }
  return index;
}

void Tile(App& app, RequestContext& c) {
  unsigned level = static_cast<unsigned>(std::stoul(c.params[0]));
  auto index = TileIndex(c.params[1]);
  unsigned width = c.params[2].empty() ? 256 : static_cast<unsigned>(std::stoul(c.params[2]));
  if (!index || width == 0 || width > 256 || level > 63) return RenderError(c, 404, "not_found");
  auto reader = app.ledger().Snapshot();
  if (!reader.ok()) return RenderError(c, 500, "error");
  auto bytes = tlog::TileBytes(**reader, level, *index, width);
  if (!bytes.ok()) return RenderError(c, 404, "not_found");  // not (yet) in the tree
  // A tile's bytes never change once it exists (c2sp.org/tlog-tiles).
  SendText(c, *bytes, "application/octet-stream", "public, max-age=31536000, immutable");
}

// Whether `record` is one of `household`'s: a redemption or objection of the household, or an
// award to it or to one of its members on the award's day.
bool OfHousehold(const ledger::Reader& reader, const ledger::Record& record,
                 const std::string& household) {
  if (record.household == household) return true;
  if (record.type != ledger::RecordType::kAward) return false;
  auto model = engine::LoadVillageStructure(reader, record.village, record.sequence);
  if (!model.ok()) return false;
  const std::string* home = model->HouseholdOfSubject(record.subject, record.date);
  return home && *home == household;
}

// The inclusion proof of one of the household's records, from its card (the card's token is the
// key: a card never opens another household's records).
void RecordProof(App& app, RequestContext& c) {
  const std::string &code = c.params[0], &household = c.params[1], &id = c.params[3];
  if (!app.accounts().IsCardToken(code, household, c.params[2]))
    return RenderError(c, 404, "card_invalid");
  auto reader = app.ledger().Snapshot();
  if (!reader.ok()) return RenderError(c, 500, "error");
  auto sequence = (*reader)->FindKey(code, id);
  if (!sequence) return RenderError(c, 404, "not_found");
  auto record = (*reader)->Get(*sequence);
  if (!record.ok() || !OfHousehold(**reader, *record, household)) {
    return RenderError(c, 404, "not_found");
  }
  auto key = tlog::LogKey(app.options().ledger_dir, std::nullopt, true);
  if (!key.ok()) return RenderError(c, 500, "error");
  auto proof = tlog::ProofForRecord(**reader, *key, *sequence, std::nullopt);
  if (!proof.ok()) return RenderError(c, 500, "error");
  c.response->SetHeader("Content-Disposition", "attachment; filename=\"" + id + ".proof\"");
  SendText(c, *proof, "text/plain; charset=utf-8", "no-store");
}

}  // namespace

std::string LogVerifierKey(App& app) {
  auto key = tlog::LogKey(app.options().ledger_dir, std::nullopt, true);
  return key.ok() ? tlog::FormatVerifierKey(tlog::VerifierOf(*key)) : "";
}

std::string CheckpointOfSize(App& app, const ledger::Reader& reader, uint64_t size) {
  auto key = tlog::LogKey(app.options().ledger_dir, std::nullopt, true);
  if (!key.ok() || size == 0 || size > reader.HeadSequence()) return "";
  auto checkpoint = tlog::CheckpointAt(reader, *key, size);
  return checkpoint.ok() ? *checkpoint : "";
}

nlohmann::json CardWitnesses(App& app) {
  nlohmann::json out{{"cosigned", nlohmann::json::array()},
                     {"earlier", nlohmann::json::array()},
                     {"none", false},
                     {"damaged", false}};
  auto key = tlog::LogKey(app.options().ledger_dir, std::nullopt, false);
  auto reader = app.ledger().Snapshot();
  if (!key.ok() || !reader.ok()) return out;
  const uint64_t head = (*reader)->HeadSequence();
  auto cosigners =
      tlog::KeptCosigners(**reader, app.options().ledger_dir, tlog::VerifierOf(*key));
  if (!cosigners.ok()) {
    out["damaged"] = true;
    return out;
  }
  for (const tlog::Cosigner& c : *cosigners) {
    out[c.size >= head ? "cosigned" : "earlier"].push_back({{"name", c.name}, {"size", c.size}});
  }
  out["none"] = out["cosigned"].empty();
  out["head"] = head;
  return out;
}

std::vector<Route> TransparencyRoutes() {
  return {
      {"GET", "/tlog/checkpoint", {"public"}, CheckpointText, "/tlog/checkpoint"},
      {"GET",
       R"(/tlog/tile/([0-9]{1,2})/((?:x[0-9]{3}/){0,5}[0-9]{3})(?:\.p/([0-9]{1,3}))?)",
       {"public"},
       Tile,
       "/tlog/tile/0/000.p/1"},
      {"GET",
       R"(/h/([A-Za-z0-9_-]{1,32})/([^/]{1,64})/([0-9a-f]{1,64})/proof/([A-Za-z0-9_.-]{1,64}))",
       {"public"},
       RecordProof,
       "/h/W/H1/00/proof/W-1"},
  };
}

}  // namespace jifen::web
