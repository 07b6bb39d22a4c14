#include "cli/board.h"

#include <cstdio>
#include <sstream>

#include "util/text.h"

namespace jifen::cli {
namespace {

// Common Chinese system fonts of Windows, macOS, Linux and Android, then any serif: a notice
// must render offline, so no web fonts.
constexpr const char* kFontFamily =
    "\"Noto Serif CJK SC\", \"Source Han Serif SC\", \"Songti SC\", SimSun, \"宋体\", "
    "\"Noto Sans CJK SC\", \"Source Han Sans SC\", \"PingFang SC\", \"Microsoft YaHei\", "
    "\"微软雅黑\", "
    "\"WenQuanYi Micro Hei\", \"Droid Sans Fallback\", serif";
constexpr const char* kMonoFamily =
    "\"DejaVu Sans Mono\", \"Noto Sans Mono\", \"Liberation Mono\", Menlo, Consolas, \"Courier "
    "New\", monospace";

constexpr const char* kCss = R"css(
@page { size: A4; margin: 15mm; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 180mm; padding: 16px 12px; color: #111; background: #fff;
  line-height: 1.5; font-size: 11pt; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
header { text-align: center; margin-bottom: 10px; }
.township { margin: 0; font-size: 13pt; letter-spacing: .3em; }
h1 { margin: 2px 0 6px; font-size: 22pt; letter-spacing: .08em; color: #a40000;
  break-after: avoid; page-break-after: avoid; }
.meta { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 4px 16px;
  font-size: 10pt; color: #333; border-bottom: 2px solid #a40000; padding-bottom: 4px; }
.wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: 10px 0; }
table { width: 100%; border-collapse: collapse; font-size: 11pt; }
thead { display: table-header-group; }
th, td { border: 1px solid #444; padding: 4px 6px; text-align: center; white-space: nowrap; }
th { background: #efefef; font-weight: bold; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.text { text-align: left; white-space: normal; min-width: 4em; }
tr { break-inside: avoid; page-break-inside: avoid; }
tr.titled td { background: #fff1cc; }
tr.titled td.honour { color: #a40000; font-weight: bold; }
td.honour { white-space: nowrap; }
td.note { color: #777; font-size: 9pt; }
tr.empty td { color: #777; padding: 12px; }
.facts { font-size: 10pt; margin-top: 8px; break-inside: avoid; page-break-inside: avoid; }
.facts p { margin: 3px 0; }
.facts .label { font-weight: bold; }
.tlog { font-size: 8pt; margin-top: 8px; break-inside: avoid; page-break-inside: avoid; display: flex; gap: 4mm; }
.tlog .qr { width: 45mm; height: 45mm; flex: none; }
.tlog pre { font-size: 7pt; white-space: pre-wrap; word-break: break-all; margin: 2px 0; }
.tlog .witness { font-weight: bold; margin: 2px 0; }
.hash { display: inline-block; margin: 2px 0 2px 2em; padding: 3px 8px; border: 1px solid #bbb;
  background: #f6f6f6; font-size: 10pt; letter-spacing: .02em; word-spacing: .4em; }
code, .hash { font-family: MONO; }
code { font-size: 9.5pt; word-break: break-all; }
code.cmd { display: block; margin: 2px 0 2px 2em; }
.objection { font-weight: bold; }
.sign { margin-top: 24px; text-align: right; break-inside: avoid; page-break-inside: avoid; }
.sign p { margin: 4px 0; }
.generated { margin-top: 16px; font-size: 8.5pt; color: #888; text-align: center; }
@media (max-width: 600px) {
  body { font-size: 12pt; padding: 10px 8px; }
  h1 { font-size: 17pt; }
  .hash, code.cmd { margin-left: 0; }
}
@media print {
  body { max-width: none; padding: 0; }
  .wrap { overflow: visible; }
}
)css";

std::string Css() {
  std::string css = kCss;
  size_t at = css.find("MONO");
  css.replace(at, 4, kMonoFamily);
  return "body { font-family: " + std::string(kFontFamily) + "; }" + css;
}

void RenderTable(const Board& b, std::ostream& out) {
  out << "<div class=\"wrap\"><table>\n<thead><tr>";
  for (const auto& c : b.columns) out << "<th scope=\"col\">" << HtmlEscape(c.header) << "</th>";
  out << "</tr></thead>\n<tbody>\n";
  if (b.rows.empty()) {
    out << "<tr class=\"empty\"><td colspan=\"" << b.columns.size()
        << "\">本期没有参加排名的农户</td></tr>\n";
  }
  for (const auto& row : b.rows) {
    out << (row.titled ? "<tr class=\"titled\">" : "<tr>");
    for (size_t i = 0; i < row.cells.size() && i < b.columns.size(); ++i) {
      const char* cls = b.columns[i].numeric ? "num" : "text";
      if (static_cast<int>(i) == b.titled_column) cls = "text honour";
      if (static_cast<int>(i) == b.veto_column) cls = "note";
      out << "<td class=\"" << cls << "\">" << HtmlEscape(row.cells[i]);
      if (static_cast<int>(i) == b.veto_column && row.vetoed) out << "<sup>※</sup>";
      out << "</td>";
    }
    out << "</tr>\n";
  }
  out << "</tbody></table></div>\n";
}

// The hash in two lines of four groups: short enough for a phone, easy to read aloud.
std::string HashBlock(const std::string& hex) {
  std::string grouped = GroupHex(hex);
  size_t middle = grouped.size() / 2;
  if (hex.size() == 64) middle = 4 * 9 - 1;  // after the fourth group
  if (middle >= grouped.size()) return HtmlEscape(grouped);
  return HtmlEscape(grouped.substr(0, middle)) + "<br>" + HtmlEscape(grouped.substr(middle + 1));
}

void RenderFacts(const Board& b, std::ostream& out) {
  bool any_veto = false;
  for (const auto& r : b.rows) any_veto = any_veto || r.vetoed;
  out << "<section class=\"facts\">\n";
  if (any_veto) {
    out << "<p>※ 备注“否决”：该户本年度有一票否决事项，按规定不参加称号评选。</p>\n";
  }
  out << "<p><span class=\"label\">规则版本：</span><code>"
      << HtmlEscape(b.rules_sha256.substr(0, 12)) << "</code>（" << HtmlEscape(b.rules_effective)
      << " 起施行"
      << (b.rules_approved_by.empty() ? "" : "；通过：" + HtmlEscape(b.rules_approved_by))
      << "）</p>\n";
  out << "<p><span class=\"label\">账本指纹</span>（共 " << b.records << " 条记录）：<br>"
      << "<span class=\"hash\">" << HashBlock(b.head_hash_hex) << "</span></p>\n";
  out << "<p><span class=\"label\">数据截至：</span>" << HtmlEscape(b.as_of);
  if (b.as_of_given && b.as_of_records != b.records) {
    out << "（计入此前录入的 " << b.as_of_records << " 条记录）";
  }
  out << "</p>\n";
  out << "<p><span class=\"label\">如何核对：</span>在村务电脑上运行 <code>jifen verify</code>，"
         "显示的 head 应与上面的账本指纹一致（不计空格；此后每录入一条记录，指纹都会改变）。"
         "运行下面的命令可重新生成本榜，数字应完全相同：<code class=\"cmd\">"
      << HtmlEscape(b.command) << "</code></p>\n";
  if (!b.state.empty())
    out << "<p><span class=\"label\">状态：</span>" << HtmlEscape(b.state) << "</p>\n";
  if (!b.objections.empty())
    out << "<p><span class=\"label\">异议：</span>" << HtmlEscape(b.objections) << "</p>\n";
  if (!b.how_to_object.empty())
    out << "<p class=\"objection\">" << HtmlEscape(b.how_to_object) << "</p>\n";
  out << "</section>\n";
}

// The signed checkpoint, its QR code, the verifier key, the witnesses who cosigned it and the
// consistency proof from the previous post: what lets anyone who keeps this paper check later
// boards (docs/AUDIT.md).
void RenderTransparency(const Board& b, std::ostream& out) {
  if (b.checkpoint.empty()) return;
  out << "<section class=\"tlog\">\n" << b.checkpoint_qr_svg << "\n<div>\n"
      << "<p><span class=\"label\">账本检查点（签名，请保留本榜）：</span></p><pre>"
      << HtmlEscape(b.checkpoint) << "</pre>\n"
      << "<p><span class=\"label\">验证公钥：</span><code>" << HtmlEscape(b.verifier_key)
      << "</code></p>\n";
  for (const std::string& line : b.witnesses)
    out << "<p class=\"witness\">" << HtmlEscape(line) << "</p>\n";
  if (b.previous_post_size > 0) {
    out << "<p><span class=\"label\">与上次公示（前 " << b.previous_post_size
        << " 条记录）的一致性证明：</span></p><pre>" << HtmlEscape(b.consistency_proof)
        << "</pre>\n";
  }
  out << "<p>核对：<code>jifen verify-proof 证明文件 --key 验证公钥 --old 上次公示的检查点</code>"
         "，不需要账本；方法见 docs/AUDIT.md。</p>\n</div>\n</section>\n";
}

}  // namespace

namespace {

std::string ChineseDate(Date day) {
  return std::to_string(day.year()) + "年" + std::to_string(day.month()) + "月" +
         std::to_string(day.day()) + "日";
}

}  // namespace

void FillBoardStatus(Board& b, const BoardStatusInput& in) {
  const std::string who = "向村两委或村务监督委员会提出";
  if (in.state == "open") {
    b.state = "未公示（张贴后请用 jifen post 登记公示）";
    b.how_to_object = in.notice_days
                          ? "如有异议，请于公示之日起" + std::to_string(*in.notice_days) +
                                "日内（含公示当日）" + who + "。"
                          : "如有异议，请" + who + "。";
  } else if (in.state == "notice") {
    b.state = "公示中";
    b.how_to_object = "公示期至 " + ChineseDate(*in.notice_until) +
                      "（含当日）。如有异议，请于该日前" + who +
                      "，写明对哪条记录或哪一户的积分有异议及理由。";
  } else if (in.state == "awaiting_rulings") {
    b.state = "公示期已满（" + ChineseDate(*in.notice_until) + "），尚有异议待裁定";
    b.how_to_object = "公示期已满，不再受理新的异议。";
  } else {
    b.state = in.notice_until && in.notice_days
                  ? "已定稿（公示期至 " + ChineseDate(*in.notice_until) + "，异议均已裁定）"
                  : "已定稿";
    b.how_to_object = "本期积分已定稿，不再更改。";
  }
  if (in.objections > 0) {
    b.objections =
        "共受理 " + std::to_string(in.objections) + " 件，成立 " + std::to_string(in.upheld) +
        " 件" +
        (in.open_objections > 0 ? "，待裁定 " + std::to_string(in.open_objections) + " 件" : "");
  } else if (in.state != "open") {
    b.objections = "无";
  }
  if (in.posted) b.posted_on = ChineseDate(*in.posted);
}

std::string ChineseTimestamp(const Timestamp& t) {
  std::string rfc = t.ToString();  // YYYY-MM-DDTHH:MM:SS+HH:MM
  if (rfc.size() < 25) return rfc;
  return rfc.substr(0, 10) + " " + rfc.substr(11, 8) + "（UTC" + rfc.substr(19) + "）";
}

std::string GroupHex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 8) {
    if (!out.empty()) out += ' ';
    out += hex.substr(i, 8);
  }
  return out;
}

std::string RenderBoardHtml(const Board& b) {
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>" << HtmlEscape(b.title) << "</title>\n<style>" << Css()
      << "</style>\n</head>\n<body>\n";
  out << "<header>\n";
  if (!b.township.empty()) out << "<p class=\"township\">" << HtmlEscape(b.township) << "</p>\n";
  out << "<h1>" << HtmlEscape(b.title) << "</h1>\n";
  out << "<div class=\"meta\"><span>村代码：" << HtmlEscape(b.village_code) << "</span><span>"
      << HtmlEscape(b.basis) << "</span><span>截至 " << HtmlEscape(b.as_of) << "</span></div>\n";
  out << "</header>\n<main>\n";
  RenderTable(b, out);
  RenderFacts(b, out);
  RenderTransparency(b, out);
  out << "<div class=\"sign\"><p>" << HtmlEscape(b.village_name) << "村民委员会（盖章）</p>"
      << "<p>公示日期："
      << (b.posted_on.empty() ? "　　　　年　　月　　日" : HtmlEscape(b.posted_on))
      << "</p></div>\n";
  out << "</main>\n<p class=\"generated\">本榜由 jifen "
         "积分系统根据账本自动生成</p>\n</body>\n</html>\n";
  return out.str();
}

}  // namespace jifen::cli
