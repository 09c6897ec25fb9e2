#!/usr/bin/python3
"""Resolve a config with supervisord's own code and print `vigil check --json`'s schema.

Usage: /usr/bin/python3 test/tools/supervisord_resolve.py FILE

Uses Debian's supervisor 4.2.5 (/usr/lib/python3/dist-packages): ServerOptions.realize
reads the file exactly as `supervisord -c FILE` does (includes, expansions, converters)
and the ProcessConfig objects it builds are printed with supervisord's key names.
Sentinels are mapped the way vigil documents them: Automatic -> "AUTO", None -> null,
RestartUnconditionally/RestartWhenExitUnexpected/False -> "true"/"unexpected"/"false",
signal numbers -> names without SIG, uid -> user name. On a config error supervisord's
usage() prints the message and exits with status 2.
"""
import json
import os
import pwd
import signal
import sys

from supervisor.datatypes import Automatic, RestartUnconditionally, RestartWhenExitUnexpected
from supervisor.options import ServerOptions


def autorestart(value):
    if value is RestartUnconditionally:
        return "true"
    if value is RestartWhenExitUnexpected:
        return "unexpected"
    return "false"


def logfile(value):
    if value is Automatic:
        return "AUTO"
    return value  # a path, or None


def process_json(config, group_name):
    return {
        "name": config.name,
        "group": group_name,
        "command": config.command,
        "priority": config.priority,
        "autostart": config.autostart,
        "autorestart": autorestart(config.autorestart),
        "startsecs": config.startsecs,
        "startretries": config.startretries,
        "exitcodes": list(config.exitcodes),
        "stopsignal": signal.Signals(config.stopsignal).name[3:],
        "stopwaitsecs": config.stopwaitsecs,
        "stopasgroup": config.stopasgroup,
        "killasgroup": config.killasgroup,
        "user": None if config.uid is None else pwd.getpwuid(config.uid).pw_name,
        "directory": config.directory,
        "umask": config.umask,
        "environment": config.environment or {},
        "redirect_stderr": config.redirect_stderr,
        "stdout_logfile": logfile(config.stdout_logfile),
        "stdout_logfile_maxbytes": config.stdout_logfile_maxbytes,
        "stdout_logfile_backups": config.stdout_logfile_backups,
        "stderr_logfile": logfile(config.stderr_logfile),
        "stderr_logfile_maxbytes": config.stderr_logfile_maxbytes,
        "stderr_logfile_backups": config.stderr_logfile_backups,
    }


def main():
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    path = sys.argv[1]
    options = ServerOptions()
    options.realize(args=["-c", path])
    processes = []
    for group in options.process_group_configs:
        for config in group.process_configs:
            processes.append(process_json(config, group.name))
    json.dump({"config": os.path.abspath(path), "processes": processes}, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
