#!/usr/bin/env python3
"""pool4_ready_ms, Python side: Pool(4) made to its first result, median ms; spawn (as mp4j starts JVMs), fork extra."""
import json
import sys

from pool_common import pool4_ready_ms

if __name__ == "__main__":
    rounds = 3 if "--quick" in sys.argv else 10
    spawn = pool4_ready_ms("spawn", rounds)
    fork = pool4_ready_ms("fork", rounds)
    print(json.dumps({"key": "pool4_ready_ms", "value": spawn, "extra": {"fork_ms": fork}}))
