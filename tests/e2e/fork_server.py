"""``roadmap-bot run`` started again and again, each a real process of its own, without paying
for its imports each time (aiogram's alone take seconds): this process imports what the bot
loads, then forks a child for every ``start`` line read from stdin and prints the child's pid.
The child runs the command line exactly as ``roadmap-bot run`` does; the test kills it with
SIGKILL whenever it likes.

    python -m tests.e2e.fork_server LOG_FILE
"""

from __future__ import annotations

import os
import signal
import sys


def main() -> None:
    log_path = sys.argv[1]
    # What ``run`` imports on its way to polling, loaded once here.
    import alembic.command  # noqa: F401

    import bot.app  # noqa: F401
    import cli.commands
    import cli.run  # noqa: F401
    import handlers.routing  # noqa: F401
    from cli.main import main as roadmap_bot

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # killed children are reaped by the kernel
    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() != "start":
            continue
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            os.dup2(log, 1)
            os.dup2(log, 2)
            os.close(0)
            os._exit(roadmap_bot(["run"]))
        print(pid, flush=True)


if __name__ == "__main__":
    main()
