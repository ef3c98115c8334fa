#!/usr/bin/env bash
# What Python's Pool cannot do: run a long `launcher pool` job, kill one of its worker JVMs with kill -9 in the
# middle, and watch the job complete anyway with every result correct (the pool notices the death, starts a
# replacement and runs the dead worker's tasks again). Exits non-zero if the job hangs, fails or is wrong.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/launcher" --version >/dev/null   # build first, so that the job below starts at once
out="$(mktemp)"
trap 'rm -f "$out"; [ -n "${job:-}" ] && kill -9 "$job" 2>/dev/null || true' EXIT

"$here/launcher" pool --procs 4 --tasks 160 --chunksize 1 --no-sequential --json >"$out" 2>&1 &
job=$!
java_pid="$job"
# scripts/launcher may exec java or run it as a child: find the JVM that owns the worker JVMs
workers() { pgrep -f 'mp4j.worker.WorkerMain' -P "$1" 2>/dev/null || true; }
for _ in $(seq 1 400); do
  for candidate in "$job" $(pgrep -P "$job" 2>/dev/null || true); do
    [ "$(workers "$candidate" | wc -l)" -ge 4 ] && { java_pid="$candidate"; break 2; }
  done
  sleep 0.05
done
victims=$(workers "$java_pid")
[ "$(echo "$victims" | grep -c .)" -ge 4 ] || { echo "kill-worker: FAIL the pool did not start 4 workers"; cat "$out"; exit 1; }
sleep 1   # let the workers get into their tasks
victim=$(echo "$victims" | head -1)
echo "kill-worker: pool parent pid $java_pid has workers $(echo $victims); kill -9 $victim"
kill -9 "$victim"
t0=$(date +%s)
while kill -0 "$job" 2>/dev/null; do
  [ $(( $(date +%s) - t0 )) -gt 120 ] && { echo "kill-worker: FAIL the job hangs"; exit 1; }
  sleep 0.1
done
wait "$job" && status=0 || status=$?
job=""
cat "$out"
[ "$status" -eq 0 ] || { echo "kill-worker: FAIL the job exited with $status"; exit 1; }
grep -q '"ok":true' "$out" || { echo "kill-worker: FAIL results not correct"; exit 1; }
grep -q "\"pid\":$victim,[^}]*\"exitCode\":-9" "$out" || { echo "kill-worker: FAIL the pool did not report worker $victim killed"; exit 1; }
echo "kill-worker: worker $victim was killed with kill -9; the job still completed with all results correct"
