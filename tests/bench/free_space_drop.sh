#!/bin/sh
# The peak drop in free space on the file system holding /tmp while a command runs
# (docs/RELIABILITY.md, "Disk"): `df` is sampled every 0.2 s in a background loop, from before the
# command starts until it ends.
#
#   sh tests/bench/free_space_drop.sh COMMAND [ARGS...]
#   sh tests/bench/free_space_drop.sh sh -c 'sh scripts/setup.sh && ctest --test-dir build --output-on-failure -j2'
#
# Prints the command's output, then the free space before, the least seen and the drop, and exits
# with the command's status. Other work on the same file system moves the figure too. Not part of
# ctest.
set -u
samples=$(mktemp /tmp/free-space-XXXXXX)
free_bytes() { df -B1 --output=avail /tmp | tail -1 | tr -d ' '; }
before=$(free_bytes)
(
  while :; do
    free_bytes >> "$samples"
    sleep 0.2
  done
) &
sampler=$!
"$@"
status=$?
kill "$sampler"
wait "$sampler" 2>/dev/null
least=$(sort -n "$samples" | head -1)
count=$(wc -l < "$samples")
rm -f "$samples"
[ -n "$least" ] && [ "$least" -lt "$before" ] || least=$before
echo "free space on /tmp: $before bytes before, least $least bytes in $count samples;" \
  "peak drop $((before - least)) bytes ($(( (before - least) >> 20 )) MiB)"
exit $status
