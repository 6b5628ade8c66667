"""What a log line needs to say where it came from: this replica, and the update in hand.

Standard library only, so logging can be set up before aiogram or SQLAlchemy are imported.
"""

from __future__ import annotations

import os
import socket
from contextvars import ContextVar

# host:pid names a replica in logs and in job_runs.claimed_by.
REPLICA = f"{socket.gethostname()}:{os.getpid()}"

# Set by the dispatcher's outermost middleware while an update is handled.
current_update_id: ContextVar[int | None] = ContextVar("current_update_id", default=None)
