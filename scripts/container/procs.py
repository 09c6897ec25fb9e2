"""Summarises the processes of the example container from /proc (the image
has no ps). Run inside it: podman exec -i C python3 - < procs.py
Prints key=value lines:
  pid1=CMDLINE            vigil's command line
  master=PID              gunicorn's master (a child of PID 1), or empty
  workers=PID PID ...     gunicorn's workers (children of the master)
  worker=PID ...          the worker program (worker.py)
  zombies=PID:PPID ...    every process in state Z
"""
import os


def read_processes():
    processes = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue  # gone between listdir and open
        # The command name (field 2) may hold spaces and parentheses: the
        # fields after it start after its last ')' (proc(5)).
        fields = stat[stat.rindex(")") + 2 :].split()
        processes[int(entry)] = {"state": fields[0], "ppid": int(fields[1]), "cmdline": cmdline}
    return processes


processes = read_processes()
masters = [pid for pid, p in processes.items() if p["ppid"] == 1 and "gunicorn" in p["cmdline"]]
master = masters[0] if masters else None
workers = sorted(pid for pid, p in processes.items() if master is not None and p["ppid"] == master and p["state"] != "Z")
worker = sorted(pid for pid, p in processes.items() if "worker.py" in p["cmdline"])
zombies = sorted(f"{pid}:{p['ppid']}" for pid, p in processes.items() if p["state"] == "Z")
print(f"pid1={processes.get(1, {}).get('cmdline', '')}")
print(f"master={master or ''}")
print(f"workers={' '.join(map(str, workers))}")
print(f"worker={' '.join(map(str, worker))}")
print(f"zombies={' '.join(zombies)}")
