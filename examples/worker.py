#!/usr/bin/env python3
"""A round-robin worker in plain Python (stdlib only).

Reads framed messages from stdin (topic line, line count, data lines), does the work and replies
on "<topic>.result", which tells the orchestrator this pod is idle again.
"""
import os
import random
import sys
import time

pod = os.environ.get("ORCHESTRATOR_POD", "worker")
delay = float(os.environ.get("WORK_SECONDS", "0.5"))

while True:
    topic = sys.stdin.readline()
    if not topic:
        break  # stdin closed: the orchestrator is stopping us
    count = int(sys.stdin.readline())
    data = "\n".join(sys.stdin.readline().rstrip("\n") for _ in range(count))
    print(f"working on {data}", flush=True)
    time.sleep(delay * random.uniform(0.5, 1.5))
    print(f'"{topic.strip()}.result": {data} done by {pod}', flush=True)
