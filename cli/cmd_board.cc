// board: the public notice (公示榜) of a period or a year, from the same figures as score/annual.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/board.h"
#include "cli/commands.h"
#include "cli/qr_code.h"
#include "cli/xlsx.h"
#include "cli/xlsxwriter_library.h"
#include "engine/annual.h"
#include "engine/replay.h"
#include "tlog/cosigned.h"
#include "tlog/transparency.h"

namespace jifen::cli {
namespace {

using engine::HouseholdName;

std::string JoinTitles(const std::vector<std::string>& titles) {
  std::string out;
  for (const auto& t : titles) out += (out.empty() ? "" : "、") + t;
  return out;
}

void AddTail(Board& b, BoardRow& row, const std::vector<std::string>& titles, bool vetoed) {
  row.cells.push_back(JoinTitles(titles));
  row.cells.push_back(vetoed ? "否决" : "");
  row.titled = !titles.empty();
  row.vetoed = vetoed;
  b.rows.push_back(std::move(row));
}

void FillRules(Board& b, const engine::Adoption& a, const std::string& village) {
  const grammar::RuleFile& rules = *a.rules;
  b.township = rules.village.township;
  b.village_name = rules.village.name;
  b.village_code = village;
  b.rules_sha256 = a.sha256;
  b.rules_effective = a.effective.ToString();
  b.rules_approved_by = a.approved_by;
}

void FillPeriod(Board& b, const engine::VillageModel& m, const engine::PeriodFigures& p,
                const std::string& village) {
  FillRules(b, *p.adoption, village);
  b.title = b.village_name + " " + ChinesePeriodLabel(p.period) + " 积分公示榜";
  bool by_balance = p.adoption->rules->village.rank == grammar::RankBy::kBalance;
  b.basis = by_balance ? "按本期余额排名" : "按本期得分排名";
  b.columns = {{"名次", true}, {"户号", false}, {"户名", false}, {"得分", true},
               {"兑换", true}, {"余额", true},  {"称号", false}, {"备注", false}};
  b.titled_column = 6;
  b.veto_column = 7;
  for (const auto& f : p.households) {
    BoardRow row{{std::to_string(f.rank), f.household, HouseholdName(m, f.household),
                  f.earned.ToString(), f.redeemed.ToString(), f.balance.ToString()}};
    AddTail(b, row, f.titles, f.vetoed);
  }
}

void FillYear(Board& b, const engine::VillageModel& m, const engine::AnnualFigures& a,
              const std::string& village) {
  FillRules(b, *a.adoption, village);
  b.title = b.village_name + " " + std::to_string(a.year) + "年度 积分评比公示";
  bool mean = a.adoption->rules->village.annual == grammar::AnnualBy::kMean;
  b.basis = mean ? "按年度平均得分排名" : "按年度合计得分排名";
  if (mean) {
    b.columns = {{"名次", true}, {"户号", false},    {"户名", false}, {"期数", true},
                 {"合计", true}, {"年度平均", true}, {"称号", false}, {"备注", false}};
  } else {
    b.columns = {{"名次", true},     {"户号", false}, {"户名", false}, {"期数", true},
                 {"年度合计", true}, {"称号", false}, {"备注", false}};
  }
  b.titled_column = static_cast<int>(b.columns.size()) - 2;
  b.veto_column = static_cast<int>(b.columns.size()) - 1;
  for (const auto& h : a.households) {
    BoardRow row{{std::to_string(h.rank), h.household, HouseholdName(m, h.household),
                  std::to_string(h.periods)}};
    if (mean) row.cells.push_back(h.total.ToString());
    row.cells.push_back(h.annual.ToString());
    AddTail(b, row, h.titles, h.vetoed);
  }
}

// The ledger facts: which head the board was made from and the moment its figures stand at. The
// reproducing command always names that moment, so it gives the same figures after later imports.
Status FillLedger(Board& b, const ledger::Reader& reader, const std::optional<std::string>& as_of,
                  const std::string& window_arg) {
  b.head_hash_hex = ledger::HashToHex(reader.HeadHash());
  b.records = reader.HeadSequence();
  b.as_of_records = b.records;
  std::optional<Timestamp> moment = reader.LatestRecorded();
  if (as_of) {
    auto t = ParseAsOfArg(as_of);
    if (!t.ok()) return t.status();
    moment = **t;
    b.as_of_given = true;
    b.as_of_records = reader.SequenceAsOf(*moment);
  }
  b.as_of = moment ? ChineseTimestamp(*moment) : "—";
  b.command = "jifen board --village " + b.village_code + " " + window_arg +
              (moment ? " --as-of " + moment->ToString() : "") + " --out 公示榜.html";
  return Status::Ok();
}

// Which witnesses cosigned the board's checkpoint, or a later one: their tree includes the
// board's (SPEC.md §6 "Witnesses"); said plainly when none has, with the ones that cosigned an
// earlier tree. When a cosigned checkpoint of the board's size is kept, it is the one printed.
Status FillWitnesses(Board& b, const std::string& ledger_dir, const ledger::Reader& reader,
                     const tlog::SignerKey& key) {
  auto cosigners = tlog::KeptCosigners(reader, ledger_dir, tlog::VerifierOf(key));
  if (!cosigners.ok()) return cosigners.status();
  std::vector<std::string> earlier;
  for (const tlog::Cosigner& c : *cosigners) {
    std::string line = c.name + " 已联署 (树大小 " + std::to_string(c.size) + ")";
    if (c.size >= b.records) {
      b.witnesses.push_back("见证：" + line);
    } else {
      earlier.push_back(line);
    }
  }
  if (b.witnesses.empty()) {
    b.witnesses.push_back("见证：还没有见证人联署本榜的检查点 (树大小 " +
                          std::to_string(b.records) + ") 或其后的检查点");
    for (const std::string& line : earlier) b.witnesses.push_back("此前：" + line);
  }
  if (auto kept = tlog::KeptCosignedAt(ledger_dir, b.records)) b.checkpoint = *kept;
  return Status::Ok();
}

// The transparency log's part of the notice (SPEC.md §6): the signed checkpoint of the board's
// tree (as witnesses cosigned it, when kept), a QR code of it, the verifier key (the key is made
// at first use), which witnesses cosigned it, and the consistency proof from the tree the
// village's latest post put on its board: a post names the ledger head before it (admission
// refuses any other), so that board showed the tree of sequence - 1 records, and its paper
// carries that checkpoint.
Status FillTransparency(Board& b, const std::string& ledger_dir, const ledger::Reader& reader,
                        const std::string& village) {
  auto key = tlog::LogKey(ledger_dir, std::nullopt, true);
  if (!key.ok()) return key.status();
  auto checkpoint = tlog::CheckpointAt(reader, *key, b.records);
  if (!checkpoint.ok()) return checkpoint.status();
  b.checkpoint = *checkpoint;
  b.verifier_key = tlog::FormatVerifierKey(tlog::VerifierOf(*key));
  if (Status s = FillWitnesses(b, ledger_dir, reader, *key); !s.ok()) return s;
  auto qr = LoadQrencode();
  if (!qr.ok()) return qr.status();
  auto svg = QrSvg(*qr, b.checkpoint, false);
  if (!svg.ok()) return svg.status();
  b.checkpoint_qr_svg = *svg;
  Status s = reader.ForEachStructural(village, b.records, [&](const ledger::Record& r) {
    if (r.type == ledger::RecordType::kPost && r.sequence - 1 < b.records)
      b.previous_post_size = r.sequence - 1;
    return true;
  });
  if (!s.ok()) return s;
  if (b.previous_post_size == 0) return Status::Ok();
  auto proof = tlog::ConsistencyProofText(reader, *key, b.previous_post_size, b.records);
  if (!proof.ok()) return proof.status();
  b.consistency_proof = *proof;
  return Status::Ok();
}

// Moves the finished `tmp` to `path`; on failure removes `tmp`, so no half file is left.
Status RenameIntoPlace(const std::string& tmp, const std::string& path) {
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::remove(tmp.c_str());
    return Status::IOError(path + ": cannot write: " + ec.message());
  }
  return Status::Ok();
}

// Writes `bytes` next to `path` and renames it into place, so a failure leaves no half file.
Status WriteFileAtomically(const std::string& path, const std::string& bytes) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << bytes;
    out.close();
    if (!out) {
      std::remove(tmp.c_str());
      return Status::IOError(path + ": cannot write");
    }
  }
  return RenameIntoPlace(tmp, path);
}

Status WriteOutputs(const Board& b, const std::string& out_html, const std::string& out_xlsx) {
  std::string html = RenderBoardHtml(b);
  if (!out_xlsx.empty()) {
    // A missing libxlsxwriter is said as such, before anything is written.
    if (auto library = LoadXlsxwriter(); !library.ok()) return library.status();
    std::string tmp = out_xlsx + ".tmp";
    if (!WriteBoardXlsx(b, tmp).ok()) {
      std::remove(tmp.c_str());
      return Status::IOError(out_xlsx + ": cannot write the workbook");
    }
    if (Status s = RenameIntoPlace(tmp, out_xlsx); !s.ok()) return s;
  }
  return WriteFileAtomically(out_html, html);
}

}  // namespace

int RunBoard(const Globals& g, const std::string& village, const std::string& period_text, int year,
             const std::optional<std::string>& as_of, const std::string& out_html,
             const std::string& out_xlsx) {
  if (period_text.empty() == (year == 0))
    return Fail(Status::Usage("board: give one of --period and --year"));
  if (out_html.empty()) return Fail(Status::Usage("board: --out FILE.html is required"));
  Board b;
  std::optional<Loaded> loaded;
  std::optional<engine::PeriodStatus> status;
  std::string window_arg = "--year " + std::to_string(year);
  if (!period_text.empty()) {
    auto period = ParsePeriodArg(period_text);
    if (!period.ok()) return Fail(period.status());
    auto l = LoadVillageForPeriods(g, village, *period, *period, as_of);
    if (!l.ok()) return Fail(l.status());
    loaded.emplace(std::move(*l));
    auto figures = engine::Replay(loaded->model, *period, *period);
    if (!figures.ok()) return Fail(figures.status());
    FillPeriod(b, loaded->model, figures->back(), village);
    window_arg = "--period " + period->ToString();
    status = engine::StatusOf(loaded->model, *period, loaded->at);
    BoardStatusInput in;
    in.state = engine::PeriodStateName(status->state);
    in.notice_days = status->notice_days;
    if (status->post) in.posted = status->post->recorded.LocalDate();
    in.notice_until = status->notice_until;
    in.objections = status->objections;
    in.open_objections = status->open_objections;
    in.upheld = status->upheld;
    FillBoardStatus(b, in);
  } else {
    Period jan{PeriodKind::kMonth, year, 1}, dec{PeriodKind::kMonth, year, 12};
    auto l = LoadVillageForPeriods(g, village, jan, dec, as_of);
    if (!l.ok()) return Fail(l.status());
    loaded.emplace(std::move(*l));
    auto annual = engine::ComputeAnnual(loaded->model, year);
    if (!annual.ok()) return Fail(annual.status());
    FillYear(b, loaded->model, *annual, village);
  }
  Status s = FillLedger(b, *loaded->reader, as_of, window_arg);
  if (s.ok()) s = FillTransparency(b, g.ledger_dir, *loaded->reader, village);
  if (!s.ok()) return Fail(s);
  s = WriteOutputs(b, out_html, out_xlsx);
  if (!s.ok()) return Fail(s);
  if (g.format == Format::kJson) {
    Json j{{"village", village},      {"window", window_arg},
           {"html", out_html},        {"xlsx", out_xlsx.empty() ? Json() : Json(out_xlsx)},
           {"head", b.head_hash_hex}, {"records", b.records}};
    if (status) AddStatusJson(*status, &j);
    std::cout << j.dump() << '\n';
  } else if (g.format == Format::kCsv) {
    std::cout << "file,path\nhtml," << CsvField(out_html) << '\n';
    if (!out_xlsx.empty()) std::cout << "xlsx," << CsvField(out_xlsx) << '\n';
  } else {
    std::cout << out_html << '\n';
    if (!out_xlsx.empty()) std::cout << out_xlsx << '\n';
  }
  return 0;
}

}  // namespace jifen::cli
