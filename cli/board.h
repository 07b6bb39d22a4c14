// The public notice (公示榜) of `jifen board`: a ranking table with the facts that let anyone check
// it (rule version, ledger fingerprint), rendered as a printable A4 HTML page or an Excel
// workbook (cli/xlsx.h). Rendering is pure: the command fills a Board from the replayed figures,
// and these functions turn it into bytes without reading the ledger, the clock or the locale.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "util/date.h"
#include "util/period_label.h"  // ChinesePeriodLabel, for the board's title

namespace jifen::cli {

struct BoardColumn {
  std::string header;
  bool numeric = false;  // right-aligned; a number cell in the workbook
};

struct BoardRow {
  std::vector<std::string> cells;  // one per column, already formatted
  bool titled = false;             // holds a title: highlighted
  bool vetoed = false;             // one-vote veto: marked discreetly
};

struct Board {
  std::string title;         // "双杨树村 2022年3月 积分公示榜"
  std::string township;      // empty when the rules name none
  std::string village_name;  // "双杨树村"
  std::string village_code;  // "SYS"
  std::string basis;         // what the ranking is by, e.g. "按本期得分排名"
  std::vector<BoardColumn> columns;
  std::vector<BoardRow> rows;  // rank order
  int titled_column = -1;      // index of the 称号 column, highlighted in titled rows
  int veto_column = -1;        // index of the 备注 column that carries the 否决 note
  std::string rules_sha256;    // full hex; the notice shows the first 12
  std::string rules_effective;
  std::string rules_approved_by;
  std::string head_hash_hex;   // 64 hex: the ledger head the board was made from
  uint64_t records = 0;        // records in the ledger at that head
  uint64_t as_of_records = 0;  // records counted when --as-of cut the ledger, else == records
  std::string as_of;           // the moment the figures stand at, formatted for people
  bool as_of_given = false;    // --as-of was given (else `as_of` is the latest recorded time)
  std::string command;         // the command that reproduces the board, for the notice
  // The workflow (SPEC.md §3 "Posting"): the period's state in words, how and until when to
  // object, what became of the objections (empty lines are left out), and the day it was posted.
  std::string state;
  std::string how_to_object;
  std::string objections;
  std::string posted_on;  // "2022年6月30日", or empty: the date line is left to fill in by hand
  // The ledger as a transparency log (SPEC.md §6); the section is left out without a checkpoint.
  std::string checkpoint;          // the signed checkpoint of the tree at `records`
  std::string verifier_key;        // the log's verifier key, to check it with
  std::vector<std::string> witnesses;  // "见证：NAME 已联署 (树大小 N)", or that none has
  std::string checkpoint_qr_svg;   // a QR code of `checkpoint`: an inline SVG jifen drew
  uint64_t previous_post_size = 0;  // the tree the village's previous post showed; 0: none
  std::string consistency_proof;   // from that size to `records` (`jifen proof --from`)
};

struct BoardStatusInput {
  std::string state;                 // "open", "notice", "awaiting_rulings", "final"
  std::optional<int> notice_days;    // the village's window; nullopt: none
  std::optional<Date> posted;        // the latest post's day
  std::optional<Date> notice_until;  // its window's last day
  int objections = 0, open_objections = 0, upheld = 0;
};

// The notice's workflow lines (state, how to object, objections, date posted) for a period.
void FillBoardStatus(Board& board, const BoardStatusInput& input);

// "2022-03-31 20:00:00（UTC+08:00）": a recorded time for a notice.
std::string ChineseTimestamp(const Timestamp& t);
// `hex` split into space-separated groups of 8 characters.
std::string GroupHex(const std::string& hex);

// The notice as one self-contained HTML5 document: inline CSS, no scripts, no network, A4 print
// layout, readable on a phone. Every text from the ledger or the rules is escaped.
std::string RenderBoardHtml(const Board& board);

}  // namespace jifen::cli
