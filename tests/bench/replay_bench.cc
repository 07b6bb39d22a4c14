// Replay of every village of a ledger over a year, as `compare --year` does it, split into its
// steps, with the heap allocations of each step counted by a replaced operator new.
// Run: jifen_bench_replay LEDGER [YEAR] [ROUNDS]   (default 2022, 5 rounds; the median is printed)
// Prints, per step, CPU seconds, records per CPU second and allocations per thousand events; the
// replay's allocations should not grow with its events (a handful per household and period).
#include <stdlib.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <new>
#include <string>
#include <vector>

#include "engine/compare.h"
#include "engine/replay.h"
#include "engine/window.h"
#include "ledger/ledger.h"

namespace {

std::atomic<uint64_t> allocations{0};

double CpuNow() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + t.tv_nsec * 1e-9;
}

struct Step {
  double cpu = 0;
  uint64_t allocations = 0;
};

struct Round {
  Step load, replay;
  size_t events = 0;
  uint64_t twice_allocations = 0;  // replaying with every event twice
};

// Allocations of a replay of `model` with each of its events twice: the replay's own allocations
// (per period and household) plus any that grow with the events.
uint64_t AllocationsWithEventsTwice(const jifen::engine::WindowModel& loaded) {
  using namespace jifen::engine;
  std::vector<Event> twice;
  twice.reserve(loaded.model.events.size() * 2);
  for (const Event& e : loaded.model.events) twice.push_back(e), twice.push_back(e);
  ReplayOptions options;
  options.keep_events = true;
  options.events = &twice;
  uint64_t before = allocations.load(std::memory_order_relaxed);
  auto periods = Replay(loaded.model, loaded.first, loaded.last, options);
  return allocations.load(std::memory_order_relaxed) - before;
}

// One pass over every village: load its year's window, then replay it keeping every event.
Round OnePass(const jifen::ledger::Reader& reader, int year) {
  using namespace jifen::engine;
  Round round;
  ReportWindow window;
  window.year = year;
  for (const std::string& village : reader.Villages()) {
    double t0 = CpuNow();
    uint64_t a0 = allocations.load(std::memory_order_relaxed);
    auto loaded = LoadWindow(reader, village, reader.HeadSequence(), window);
    double t1 = CpuNow();
    uint64_t a1 = allocations.load(std::memory_order_relaxed);
    if (!loaded.ok()) continue;
    round.events += loaded->model.events.size();
    ReplayOptions options;
    options.keep_events = true;
    auto periods = Replay(loaded->model, loaded->first, loaded->last, options);
    double t2 = CpuNow();
    uint64_t a2 = allocations.load(std::memory_order_relaxed);
    if (!periods.ok())
      std::fprintf(stderr, "%s: %s\n", village.c_str(), periods.status().message().c_str());
    round.load.cpu += t1 - t0;
    round.load.allocations += a1 - a0;
    round.replay.cpu += t2 - t1;
    round.replay.allocations += a2 - a1;
    round.twice_allocations += AllocationsWithEventsTwice(*loaded);
  }
  return round;
}

void Print(const char* what, std::vector<Round>& rounds, Step Round::*step, uint64_t records) {
  std::sort(rounds.begin(), rounds.end(),
            [&](const Round& a, const Round& b) { return (a.*step).cpu < (b.*step).cpu; });
  const Round& median = rounds[rounds.size() / 2];
  const Step& s = median.*step;
  std::printf(
      "%-8s %7.3f s CPU %12.0f records/CPU-s %10.2f allocations per 1,000 events "
      "(%llu for %zu events)\n",
      what, s.cpu, records / s.cpu, 1000.0 * s.allocations / median.events,
      static_cast<unsigned long long>(s.allocations), median.events);
}

}  // namespace

void* operator new(size_t bytes) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = malloc(bytes == 0 ? 1 : bytes)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { free(p); }
void operator delete(void* p, size_t) noexcept { free(p); }

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: jifen_bench_replay LEDGER [YEAR] [ROUNDS]\n");
    return 2;
  }
  int year = argc > 2 ? atoi(argv[2]) : 2022;
  int rounds_wanted = argc > 3 ? atoi(argv[3]) : 5;
  auto ledger = jifen::ledger::Ledger::Open(argv[1], false);
  if (!ledger.ok()) {
    std::fprintf(stderr, "%s\n", ledger.status().message().c_str());
    return 1;
  }
  auto reader = (*ledger)->Snapshot();
  if (!reader.ok()) return 1;
  uint64_t records = (*reader)->HeadSequence();
  std::vector<Round> rounds;
  for (int i = 0; i < rounds_wanted; ++i) rounds.push_back(OnePass(**reader, year));
  std::printf("%llu records in the ledger, %zu events replayed in %d villages' %d, %d rounds:\n",
              static_cast<unsigned long long>(records), rounds[0].events,
              static_cast<int>((*reader)->Villages().size()), year, rounds_wanted);
  Print("load", rounds, &Round::load, records);
  Print("replay", rounds, &Round::replay, records);
  std::printf("replay with every event twice: %llu allocations (%llu with each once)\n",
              static_cast<unsigned long long>(rounds[0].twice_allocations),
              static_cast<unsigned long long>(rounds[0].replay.allocations));
  return 0;
}
