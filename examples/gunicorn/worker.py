"""A background worker beside gunicorn: one line every 2 s; on SIGTERM it says
goodbye and exits 0 at once (vigil's stopsignal for it is TERM)."""
import signal
import sys
import time

running = True


def stop(signum, frame):
    global running
    running = False


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)

tick = 0
print("worker: started", flush=True)
while running:
    tick += 1
    print(f"worker: tick {tick}", flush=True)
    # Sleep in short steps so a SIGTERM is answered within 0.1 s.
    deadline = time.monotonic() + 2
    while running and time.monotonic() < deadline:
        time.sleep(0.1)
print(f"worker: got SIGTERM after {tick} ticks, goodbye", flush=True)
sys.exit(0)
