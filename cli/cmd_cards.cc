// `jifen cards`: one printable card per household with a QR code of its own page on `jifen
// serve` (/h/VILLAGE/HOUSEHOLD/TOKEN, the token an HMAC under the server's secret), and the
// ledger's verifier key when it has one.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/board.h"
#include "cli/clerk_input.h"
#include "cli/commands.h"
#include "cli/qr_code.h"
#include "engine/model.h"
#include "accounts/accounts.h"
#include "tlog/transparency.h"

namespace jifen::cli {
namespace {

const char* kCardsStyle = R"(
@page { size: A4; margin: 10mm; }
body { margin: 0; font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif; color: #222; }
.sheet { display: grid; grid-template-columns: 1fr 1fr; gap: 0; }
.card { border: 1px dashed #888; padding: 5mm; height: 68mm; box-sizing: border-box; display: flex; gap: 4mm;
        break-inside: avoid; page-break-inside: avoid; }
.card .qr { width: 40mm; height: 40mm; flex: none; }
.card h2 { margin: 0 0 2mm; font-size: 14pt; }
.card .village { margin: 0; font-size: 10pt; color: #555; }
.card .what { font-size: 9pt; margin: 2mm 0; }
.card .link { font-size: 7pt; word-break: break-all; color: #333; }
.card .key { font-size: 6pt; word-break: break-all; color: #333; margin: 1mm 0 0; }
.note { font-size: 9pt; color: #555; margin: 0 0 4mm; }
@media print { .note { display: none; } }
)";

// The ledger's verifier key (SPEC.md §6) as a card prints it, to check the record proofs the
// household's page offers; "" when the ledger has no log key: none is made just for printing.
Result<std::string> VerifierKeyLine(const std::string& ledger_dir) {
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::path(ledger_dir) / tlog::kLogKeyFile, ec))
    return std::string();
  auto key = tlog::LogKey(ledger_dir, std::nullopt, false);
  if (!key.ok()) return key.status();
  return "<p class=\"key\">账本验证公钥（核对证明用）：" +
         HtmlEscape(tlog::FormatVerifierKey(tlog::VerifierOf(*key))) + "</p>";
}

}  // namespace

int RunCards(const Globals& g, const std::string& village, const std::string& out,
             std::string base_url) {
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  if (base_url.rfind("http://", 0) != 0 && base_url.rfind("https://", 0) != 0) {
    return Fail(Status::Usage("cards: --base-url " + base_url +
                              ": give the address villagers open, e.g. "
                              "http://192.168.1.10:8080"));
  }
  auto ledger = OpenLedger(g);
  if (!ledger.ok()) return Fail(ledger.status());
  auto reader = (*ledger)->Snapshot();
  if (!reader.ok()) return Fail(reader.status());
  auto model = engine::LoadVillageStructure(**reader, village, (*reader)->HeadSequence());
  if (!model.ok()) return Fail(model.status());
  if (model->adoptions.empty() || model->households.empty()) {
    return Fail(Status::InvalidInput("cards: village " + village +
                                     ": no rules or no households in the ledger"));
  }
  auto qr = LoadQrencode();
  if (!qr.ok()) return Fail(qr.status());
  auto store = accounts::AccountStore::Open(g.ledger_dir + "/accounts", true);
  if (!store.ok()) return Fail(store.status());
  auto key_line = VerifierKeyLine(g.ledger_dir);
  if (!key_line.ok()) return Fail(key_line.status());
  const std::string& name = model->adoptions.back().rules->village.name;
  std::ostringstream html;
  html << "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>"
       << HtmlEscape(name) << " 户积分卡</title><style>" << kCardsStyle << "</style></head><body>\n"
       << "<p class=\"note\">" << HtmlEscape(name)
       << "：每户一张卡，沿虚线剪开。卡上的二维码只打开这一户的页面；"
       << "请交给户主本人保管。</p>\n<div class=\"sheet\">\n";
  for (const auto& [code, household] : model->households) {
    std::string link = base_url + (*store)->CardPath(village, code);
    auto svg = QrSvg(*qr, link, true);
    if (!svg.ok()) return Fail(svg.status());
    html
        << "<div class=\"card\">" << *svg << "<div><p class=\"village\">" << HtmlEscape(name)
        << "</p><h2>" << HtmlEscape(household.name) << "</h2><p>户号 " << HtmlEscape(code) << "</p>"
        << "<p class=\"what\">用手机扫码，查看本户每期的积分、排名和每一笔记录；公示期内可以在网上提异议。</p>"
        << "<p class=\"link\"><a href=\"" << HtmlEscape(link) << "\">" << HtmlEscape(link)
        << "</a></p>" << *key_line << "</div></div>\n";
  }
  html << "</div>\n</body></html>\n";
  std::ofstream file(out, std::ios::binary | std::ios::trunc);
  if (!file) return Fail(Status::IOError("cards: cannot write " + out));
  file << html.str();
  file.close();
  if (!file) return Fail(Status::IOError("cards: cannot write " + out));
  std::cout << model->households.size() << " cards of village " << village << " written to " << out
            << '\n';
  return 0;
}

}  // namespace jifen::cli
