// Output for people and programs: an aligned table (CJK text counted in display columns), CSV,
// and JSON numbers that never pass through binary floating point unless they have a fraction.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/points.h"

namespace jifen::cli {

using Json = nlohmann::ordered_json;

enum class Format { kTable, kJson, kCsv };

// A JSON number with at most two fractional digits: an integer when there is no fraction.
Json JsonPoints(Points p);

class Table {
 public:
  // A column whose header starts with '>' is right-aligned (the '>' is not printed).
  explicit Table(std::vector<std::string> headers);
  void AddRow(std::vector<std::string> cells);
  void Print(std::ostream& out) const;     // aligned, for a terminal or a notice
  void PrintCsv(std::ostream& out) const;  // RFC 4180, UTF-8
  bool empty() const { return rows_.empty(); }

 private:
  std::vector<std::string> headers_;
  std::vector<bool> right_;
  std::vector<std::vector<std::string>> rows_;
};

std::string CsvField(const std::string& field);

}  // namespace jifen::cli
