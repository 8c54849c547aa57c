"""A persistent pool worker: reads one job per stdin line (stdin = "payload") and answers each on
jobs.result, in order, so every reply acknowledges the oldest job it holds."""
import sys

from job import work

for line in sys.stdin:
    result = work(line.rstrip("\n"))
    sys.stdout.write(f'"jobs.result": {result}\n')
    sys.stdout.flush()
