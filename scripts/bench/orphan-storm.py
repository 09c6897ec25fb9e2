#!/usr/bin/python3
# Run as CMD under an init in a fresh PID namespace: creates N orphans (double
# fork; the grandchild exits at once and is re-parented to PID 1), sampling the
# number of zombies in /proc as it goes, then waits until the init has reaped
# them all. Prints one JSON line.
import json, os, sys, time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 10000

def zombies():
    count = 0
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        if stat[stat.rindex(b")") + 2:stat.rindex(b")") + 3] == b"Z":
            count += 1
    return count

start = time.monotonic()
peak = 0
for i in range(N):
    pid = os.fork()
    if pid == 0:
        if os.fork() == 0:
            os._exit(0)
        os._exit(0)
    os.waitpid(pid, 0)
    if i % 250 == 0:
        peak = max(peak, zombies())
forked = time.monotonic()
while True:
    z = zombies()
    peak = max(peak, z)
    if z == 0:
        break
    time.sleep(0.001)
done = time.monotonic()
print(json.dumps({"orphans": N, "total_ms": round((done - start) * 1000, 1),
                  "drain_ms": round((done - forked) * 1000, 1), "peak_zombies": peak}), flush=True)
