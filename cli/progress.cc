#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>

namespace jifen::cli {

Progress::Progress(std::string label, uint64_t total)
    : label_(std::move(label)),
      total_(total),
      active_(isatty(STDOUT_FILENO) && isatty(STDERR_FILENO) && total > 0) {}

Progress::~Progress() {
  if (drawn_) std::fputc('\n', stderr);
}

void Progress::Done() {
  if (drawn_) Draw(total_);
}

void Progress::Update(uint64_t done) {
  if (!active_) return;
  auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  Draw(done);
}

void Progress::Draw(uint64_t done) {
  constexpr int kWidth = 30;
  if (done > total_) done = total_;
  int filled = static_cast<int>(done * kWidth / total_);
  std::fprintf(stderr, "\r%s [%.*s%*s] %3d%% %llu/%llu", label_.c_str(), filled,
               "##############################", kWidth - filled, "",
               static_cast<int>(done * 100 / total_), static_cast<unsigned long long>(done),
               static_cast<unsigned long long>(total_));
  std::fflush(stderr);
  drawn_ = true;
}

}  // namespace jifen::cli
