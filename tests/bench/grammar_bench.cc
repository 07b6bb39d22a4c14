// Parses a generated rule file of 2,000 items (40 categories x 50 items, varied clauses, 40
// bonuses) several times and reports the median time. Target: under 20 ms per parse.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "grammar/format.h"
#include "grammar/parser.h"

namespace {

std::string Generate(bool chinese) {
  std::string out = chinese ? "村 BENCH “基准村” {\n  镇 “某镇”\n  周期 季度\n  补录 10 天\n}\n"
                            : "village BENCH \"基准村\" {\n  township \"某镇\"\n  period quarter\n"
                              "  late 10 days\n}\n";
  for (int c = 0; c < 40; ++c) {
    std::string code = "C" + std::to_string(c);
    out += (chinese ? "类别 " : "category ") + code + " \"第" + std::to_string(c) + "类\" {\n";
    for (int i = 0; i < 50; ++i) {
      std::string item = code + "." + std::to_string(i);
      int points = (i % 7) - 3;
      if (points == 0) points = 5;
      out += "  item " + item + " \"事项名称第" + std::to_string(i) + "条\" " +
             (points > 0 ? "+" : "") + std::to_string(points) + (i % 3 == 0 ? ".5" : "") +
             (i % 2 ? " per person" : " per household");
      if (i % 4 == 0) out += ", cap " + std::to_string(10 + i) + (i % 8 ? "" : " per year");
      if (i % 5 == 0) out += ", unit \"小时\"";
      if (i % 6 == 0) out += ", evidence";
      if (i % 11 == 0) out += ", veto";
      if (i % 9 == 0) out += ", by \"网格员\" | \"村两委\"";
      if (i % 10 == 0) out += "  # 备注";
      out += "\n";
    }
    out += "}\n";
    out += "bonus B" + std::to_string(c) + " \"加分\" +2 per household when count(category " +
           code + ") >= 3 and (points(" + code + ".1) + points(" + code +
           ".2) * 2 > 4 or not count(negative) > 0)\n";
  }
  for (int r = 0; r < 20; ++r) {
    out += "reward R" + std::to_string(r) + " \"奖品\" cost " + std::to_string(10 + r) +
           (r % 2 ? ", stock 5 per period" : "") + "\n";
  }
  out +=
      "rate 0.5 yuan per point\ntitle \"最美家庭\" period top 3, no veto\n"
      "title \"文明家庭\" annual top 10%, min 5\ndividend shares 70% points 30%\n";
  return out;
}

template <typename F>
double MedianMilliseconds(int runs, F&& f) {
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) {
    auto start = std::chrono::steady_clock::now();
    f();
    times.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace

int main() {
  std::string text = Generate(false);
  auto check = jifen::grammar::ParseRules(text, "bench.rules");
  if (!check.rules || check.rules->items.size() != 2000) {
    for (const auto& d : check.diagnostics)
      std::fputs(jifen::grammar::FormatDiagnostic(d).c_str(), stderr);
    std::fprintf(stderr, "generated file does not parse to 2000 items\n");
    return 1;
  }
  constexpr int kRuns = 21;
  double parse = MedianMilliseconds(kRuns, [&] {
    auto outcome = jifen::grammar::ParseRules(text, "bench.rules");
    if (!outcome.rules) std::abort();
  });
  double format = MedianMilliseconds(kRuns, [&] {
    auto outcome =
        jifen::grammar::FormatRulesText(text, "bench.rules", jifen::grammar::Language::kChinese);
    if (!outcome.text) std::abort();
  });
  std::printf("grammar bench: %zu bytes, 2000 items, 40 bonuses, %d runs\n", text.size(), kRuns);
  std::printf("  ParseRules       median %.2f ms (target < 20 ms)\n", parse);
  std::printf("  FormatRulesText  median %.2f ms (to Chinese keywords)\n", format);
  return 0;
}
