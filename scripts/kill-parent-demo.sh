#!/usr/bin/env bash
# Daemon semantics under SIGKILL, which Python does not give: start `launcher daemon` (a daemon worker that
# would work 30 s and a non-daemon worker that works 3 s), kill the launcher with kill -9, and watch the daemon
# worker exit by itself at once while the non-daemon one finishes its work. Exits non-zero if that fails.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/launcher" --version >/dev/null   # build first, so that timings below are the demo's own
out="$(mktemp)"
trap 'rm -f "$out"' EXIT

"$here/launcher" daemon --daemon-seconds 30 --worker-seconds 3 --parent-seconds 60 >"$out" 2>&1 &
launcher_pid=$!
for _ in $(seq 1 200); do grep -q "started daemon pid" "$out" && break; sleep 0.05; done
cat "$out"
daemon_pid=$(sed -n 's/.*started daemon pid \([0-9]*\) and non-daemon pid \([0-9]*\).*/\1/p' "$out")
worker_pid=$(sed -n 's/.*started daemon pid \([0-9]*\) and non-daemon pid \([0-9]*\).*/\2/p' "$out")
[ -n "$daemon_pid" ] || { echo "demo: the launcher did not start its workers"; exit 1; }
for _ in $(seq 1 200); do grep -q "non-daemon pid $worker_pid: starting" "$out" && grep -q "daemon     pid $daemon_pid: starting" "$out" && break; sleep 0.05; done

alive() { [ -d "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
echo
echo "demo: kill -9 $launcher_pid (the parent)"
kill -9 "$launcher_pid"
t0=$(date +%s%N)
wait "$launcher_pid" 2>/dev/null || true
while alive "$daemon_pid"; do
  [ $(( ($(date +%s%N) - t0) / 1000000 )) -gt 5000 ] && { echo "demo: FAIL daemon $daemon_pid still alive after 5 s"; exit 1; }
  sleep 0.005
done
echo "demo: daemon worker $daemon_pid gone $(( ($(date +%s%N) - t0) / 1000000 )) ms after its parent's SIGKILL"
if alive "$worker_pid"; then
  echo "demo: non-daemon worker $worker_pid still running; waiting for it to finish its work ..."
else
  echo "demo: FAIL the non-daemon worker $worker_pid died with its parent"; exit 1
fi
while alive "$worker_pid"; do sleep 0.05; done
sleep 0.1
cat "$out" | tail -n +3 | grep "non-daemon pid $worker_pid: exiting" && echo "demo: non-daemon worker finished" || {
  echo "demo: FAIL the non-daemon worker did not finish its work"; exit 1; }
leftover=$(ls /dev/shm | grep "^mp4j-$launcher_pid-" || true)
[ -z "$leftover" ] && echo "demo: no session file left in /dev/shm" || { echo "demo: FAIL leaked $leftover"; exit 1; }
