"""A local MAX Bot API stand-in: MAX's wire protocol, simulated users, limits and faults."""

from standin.max.server import SECRET_HEADER, MaxStandIn
from standin.max.users import MaxUser, as_seen
from standin.max.world import MaxWorld, max_limits

__all__ = ["SECRET_HEADER", "MaxStandIn", "MaxUser", "MaxWorld", "as_seen", "max_limits"]
