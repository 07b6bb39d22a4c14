/* What a page fault on a mapped ledger costs on this machine (docs/PERFORMANCE.md, "Where the
 * time goes"): maps FILE read-only, as LMDB does, and touches 2,000 pages, one every STRIDE pages
 * (1: in order, as a full scan reads them; 16 or more: scattered, as one village's index pages lie
 * in a large ledger). ADVICE 1 first applies madvise(MADV_RANDOM). Prints the faults taken, the
 * peak RSS and the time per page touched. Run it twice: the first run may read from disk.
 *
 *   cc -O2 tests/bench/fault_cost.c -o /tmp/fault_cost && /tmp/fault_cost FILE ADVICE STRIDE
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s FILE ADVICE(0|1) STRIDE\n", argv[0]);
    return 2;
  }
  int fd = open(argv[1], O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    perror(argv[1]);
    return 1;
  }
  size_t size = (size_t)st.st_size;
  const char* map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
  if (map == MAP_FAILED) {
    perror("mmap");
    return 1;
  }
  int advice = atoi(argv[2]), stride = atoi(argv[3]);
  if (advice == 1) madvise((void*)map, size, MADV_RANDOM);
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  volatile long sum = 0;
  size_t pages = 0;
  for (size_t offset = 0; offset < size && pages < 2000; offset += 4096 * (size_t)stride, ++pages) sum += map[offset];
  clock_gettime(CLOCK_MONOTONIC, &b);
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  double us = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / 1e3;
  printf("advice %d stride %d: %zu pages touched, %ld minor and %ld major faults, peak RSS %ld KB, %.1f us a page\n",
         advice, stride, pages, ru.ru_minflt, ru.ru_majflt, ru.ru_maxrss, us / (double)pages);
  return 0;
}
