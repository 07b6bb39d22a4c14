// A progress bar for long work (import, verify, simulate), drawn on stderr only when both stdout
// and stderr are terminals: pipes, files and tests see nothing of it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace jifen::cli {

class Progress {
 public:
  Progress(std::string label, uint64_t total);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Redraws at most ten times a second.
  void Update(uint64_t done);
  // Draws the full bar (the work finished); otherwise the bar stays where the work stopped.
  void Done();

 private:
  void Draw(uint64_t done);
  std::string label_;
  uint64_t total_;
  bool active_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace jifen::cli
