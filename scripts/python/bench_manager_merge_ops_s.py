"""manager_merge_ops_s, Python side: see manager_bench.py."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import manager_bench  # noqa: E402

if __name__ == "__main__":
    manager_bench.main("manager_merge_ops_s", "merge")
