"""One small job: the work a pipeline does per input line.

Run alone it handles one input given as an argument (what `xargs -n 1 python3 job.py` calls);
worker.py imports `work` and handles many inputs in one long-lived process.
"""
import hashlib
import os
import sys


def work(line: str) -> str:
    digest = hashlib.sha256(line.encode()).hexdigest()[:16]
    return f"{line} {digest}"


if __name__ == "__main__":
    # One write per result: under `xargs -P 4` several jobs share one stdout pipe, and print()
    # may hand the line and its newline to the pipe separately, so lines from two jobs interleave.
    for arg in sys.argv[1:]:
        os.write(1, f"{work(arg)}\n".encode())
