"""Error injection: scripted faults (the next N calls of a method fail) and a random rate."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from enum import StrEnum


class FaultKind(StrEnum):
    RETRY_AFTER = "retry_after"  # HTTP 429 with parameters.retry_after
    SERVER_ERROR = "server_error"  # HTTP 500
    BAD_GATEWAY = "bad_gateway"  # HTTP 502
    DROP_BEFORE = "drop_before"  # connection closed before the call took effect
    DROP_AFTER = "drop_after"  # the call took effect, the answer is lost


@dataclass(frozen=True)
class Fault:
    kind: FaultKind
    retry_after: int = 1

    @classmethod
    def retry(cls, seconds: int = 1) -> Fault:
        return cls(FaultKind.RETRY_AFTER, seconds)

    @classmethod
    def server_error(cls) -> Fault:
        return cls(FaultKind.SERVER_ERROR)

    @classmethod
    def drop(cls, *, after: bool = False) -> Fault:
        return cls(FaultKind.DROP_AFTER if after else FaultKind.DROP_BEFORE)


@dataclass
class _Script:
    fault: Fault
    method: str | None
    chat_id: int | None
    remaining: int


@dataclass
class FaultPlan:
    random_rate: float = 0.0
    random_faults: tuple[Fault, ...] = (
        Fault.retry(1),
        Fault.server_error(),
        Fault.drop(after=False),
        Fault.drop(after=True),
    )
    seed: int = 0
    _scripts: list[_Script] = field(default_factory=list, init=False)
    _rng: random.Random = field(init=False)
    injected: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def inject(
        self, fault: Fault, *, method: str | None = None, chat_id: int | None = None, times: int = 1
    ) -> None:
        """Make the next ``times`` matching calls fail with ``fault``."""
        self._scripts.append(_Script(fault, method.lower() if method else None, chat_id, times))

    def pick(self, method: str, chat_id: int | None) -> Fault | None:
        if method in ("getupdates", "get_updates"):  # polling faults are tested on their own
            return None
        for script in self._scripts:
            if script.remaining <= 0:
                continue
            if script.method not in (None, method) or script.chat_id not in (None, chat_id):
                continue
            script.remaining -= 1
            self.injected += 1
            return script.fault
        if self.random_rate and self._rng.random() < self.random_rate:
            self.injected += 1
            return self._rng.choice(self.random_faults)
        return None
