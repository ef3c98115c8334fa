"""pipe_8B_msgs_s, Python side: mp.Pipe, 8-byte values, 1 producer process -> 1 consumer process, msgs/s."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import messaging_bench  # noqa: E402

if __name__ == "__main__":
    messaging_bench.main("pipe_8B_msgs_s", "pipe")
