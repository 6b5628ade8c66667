"""``make demo``: the bot working offline against the local Telegram stand-in."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shlex
import sys
import tempfile
from pathlib import Path

from sqlalchemy import func, select

from bot.app import Application
from bot.settings import BotSection, DbSection, Settings
from demo.transcript import Transcript
from domain.roles import Role, commands_for
from standin import SimulatedUser, StandInServer
from storage.models import AuditEvent, Person


async def cli(transcript: Transcript, env: dict[str, str], *args: str) -> str:
    print("$ roadmap-bot " + shlex.join(args), flush=True)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    stdout, _ = await process.communicate()
    output = stdout.decode().strip()
    print(output, flush=True)
    if process.returncode != 0:
        raise SystemExit(f"demo: `roadmap-bot {args[0]}` failed")
    return output


def token_of(link: str) -> str:
    return link.strip().rsplit("\n", 1)[-1].split("start=", 1)[1]


async def main() -> None:
    logging.basicConfig(level=logging.ERROR)
    workdir = Path(tempfile.mkdtemp(prefix="roadmap-demo-"))
    db_url = f"sqlite+aiosqlite:///{workdir / 'demo.sqlite3'}"
    async with StandInServer() as standin:
        world = standin.world
        transcript = Transcript(world)
        settings = Settings(
            bot=BotSection(token=world.token, api_url=standin.base_url, polling_timeout=2),
            db=DbSection(url=db_url),
            _env_file=None,
        )
        env = {
            **os.environ,
            "BOT__TOKEN": world.token,
            "BOT__API_URL": standin.base_url,
            "DB__URL": db_url,
        }
        print(f"Telegram stand-in on {standin.base_url}; database {workdir / 'demo.sqlite3'}")

        transcript.step("1. The first coordinator is invited from the command line")
        link = await cli(
            transcript,
            env,
            "invite",
            "--name",
            "Антипина Анна Михайловна",
            "--role",
            "coordinator",
            "--org",
            "Управление образованием УКМО",
        )

        app = Application(settings, handle_signals=False)
        polling = asyncio.create_task(app.run())
        await world.wait_until(lambda: world.calls.get("getupdates", 0) > 0, 30)

        transcript.step("2. The coordinator opens the link and presses Start")
        anna = SimulatedUser.join(world, "Анна", label="Анна (координатор)")
        transcript.name(anna.id, anna.label)
        await anna.ask(f"/start {token_of(link)}")
        await anna.wait_menu([f"/{c.value}" for c in commands_for(Role.COORDINATOR)])

        transcript.step("3. The coordinator invites two school heads in the chat")
        links = []
        for details in (
            "Иванова Мария Петровна; МБОУ СОШ № 1",
            "Петров Пётр Петрович; МОУ СОШ № 2",
        ):
            await anna.ask("/invite")
            await anna.press("ответственный исполнитель")
            await anna.next_message()
            links.append((await anna.ask(details))["text"])

        transcript.step(
            "4. The heads join; Пётр's Telegram is in English, so he switches to Russian"
        )
        maria = SimulatedUser.join(world, "Мария", label="Мария (СОШ № 1)")
        petr = SimulatedUser.join(world, "Pyotr", label="Пётр (СОШ № 2)", language_code="en")
        transcript.name(maria.id, maria.label)
        transcript.name(petr.id, petr.label)
        await maria.ask(f"/start {token_of(links[0])}")
        await maria.wait_menu(["/help", "/lang"])
        await petr.ask(f"/start {token_of(links[1])}")
        await petr.wait_menu(["/help", "/lang"])
        await petr.ask("/lang")
        await petr.press("Русский")
        await petr.next_message()
        await petr.ask("/help")

        transcript.step("5. What is refused, politely")
        guest = SimulatedUser.join(world, "Гость", label="Незнакомец")
        transcript.name(guest.id, guest.label)
        await guest.ask("Здравствуйте, как получить отчёт?")
        await guest.ask(f"/start {token_of(links[0])}")
        await maria.ask("/invite")
        await maria.press_data("v1inv:coordinator", label="a forged «invite a coordinator» button")

        transcript.step("6. What the database now holds")
        async with app.session_factory() as session:
            people = (await session.scalars(select(Person).order_by(Person.id))).all()
            refused = await session.scalar(
                select(func.count(AuditEvent.id)).where(AuditEvent.outcome != "ok")
            )
        for person in people:
            status = "joined" if person.telegram_user_id else "invited"
            transcript.note(f"{person.full_name:<28} {person.role:<12} {status}")
        transcript.note(f"refused attempts in the audit log: {refused}")

        await app.stop()
        await standin.api.wake_pollers()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(polling, 10)
    print("\nDemo finished: everything above ran offline against the local Telegram stand-in.")


if __name__ == "__main__":
    asyncio.run(main())
