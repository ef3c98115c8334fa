#!/usr/bin/env python3
"""apply_async_p99_us, Python side: sequential apply_async(inc, (i,)).get() on a warm Pool(4), p99 us."""
import json
import sys

from pool_common import apply_async_us

if __name__ == "__main__":
    median, p99 = apply_async_us(2_000 if "--quick" in sys.argv else 20_000)
    print(json.dumps({"key": "apply_async_p99_us", "value": p99, "extra": {"median_us": median}}))
