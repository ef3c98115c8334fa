#!/usr/bin/env python3
"""pool_map_chunk1_items_s, Python side: Pool(4).map(square, range(200k), chunksize=1), items/s."""
import json
import sys

from pool_common import map_items_per_s

if __name__ == "__main__":
    n = 20_000 if "--quick" in sys.argv else 200_000
    print(json.dumps({"key": "pool_map_chunk1_items_s", "value": map_items_per_s(n, 1)}))
