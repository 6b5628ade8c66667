"""``roadmap-bot doctor``: before launch, every connection and folder the bot needs, each with
what to fix; exit code 1 when anything fails."""

from __future__ import annotations

from bot.settings import Settings

MARKS = {True: "✔", False: "✘", None: "–"}


async def run_doctor(settings: Settings) -> int:
    # aiogram takes seconds to import; only the commands that talk to a messenger pay for it.
    from bot.doctor import run_checks

    checks = await run_checks(settings)
    for check in checks:
        print(f"{MARKS[check.ok]} {check.name}: {check.found}")
        if check.ok is False and check.fix:
            print(f"    Что сделать: {check.fix}")
    failed = sum(1 for check in checks if check.ok is False)
    if failed:
        print(f"\nНе в порядке: {failed} из {len(checks)}. Исправьте и запустите проверку снова.")
        return 1
    print("\nВсё в порядке: бота можно запускать.")
    return 0
