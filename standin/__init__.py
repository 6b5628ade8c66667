"""A local Telegram Bot API stand-in: the real wire protocol, simulated users, limits and faults.

Used in-process by the fast tests, as an HTTP server on 127.0.0.1 by the end-to-end tests that
start the real bot process, and by ``make demo``. No machine of this project reaches Telegram.
"""

from standin.faults import Fault, FaultPlan
from standin.limits import RateLimits
from standin.server import StandInServer
from standin.users import SimulatedUser
from standin.world import World

__all__ = ["Fault", "FaultPlan", "RateLimits", "SimulatedUser", "StandInServer", "World"]
