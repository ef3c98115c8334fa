"""shm_write_GBps, Python side: create a SharedMemory block and write 1 GiB (256 MiB with --quick), GB/s."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import shm_roundtrip  # noqa: E402

if __name__ == "__main__":
    shm_roundtrip.main("shm_write_GBps", 0)
