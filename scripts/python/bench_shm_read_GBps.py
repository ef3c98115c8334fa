"""shm_read_GBps, Python side: another process attaches to the 1 GiB block and reads it (256 MiB with --quick)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import shm_roundtrip  # noqa: E402

if __name__ == "__main__":
    shm_roundtrip.main("shm_read_GBps", 1)
