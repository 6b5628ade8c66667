"""aiogram runs synchronous filters in a worker thread, one hop per message per handler: every
filter the bot registers must be a coroutine."""

from __future__ import annotations

from aiogram import Router

from handlers.routing import build_router


def all_routers(router: Router) -> list[Router]:
    return [router, *(child for sub in router.sub_routers for child in all_routers(sub))]


def test_every_filter_and_handler_runs_on_the_event_loop() -> None:
    synchronous = [
        f"{router.name}: {handler.callback!r} / {flt.callback!r}"
        for router in all_routers(build_router())
        for observer in router.observers.values()
        for handler in observer.handlers
        for flt in [*(handler.filters or []), handler]
        if not flt.awaitable
    ]
    assert synchronous == []
