"""``roadmap-bot doctor``: every check against the stand-ins (Telegram, MAX, SMTP), each
failure with what to fix, and a list with a non-zero exit when nothing is configured."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.settings import DbSection, EmailSection, Settings
from cli.doctor import run_doctor
from standin import StandInServer
from standin.max import MaxStandIn
from standin.smtp import MailServer
from storage.engine import create_engine
from storage.migrate import upgrade
from tests.conftest import make_settings, max_settings


async def test_nothing_configured_gives_a_list_of_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(
        db=DbSection(url=f"sqlite+aiosqlite:///{tmp_path / 'data' / 'bot.sqlite3'}"),
        evidence_dir=str(tmp_path / "data" / "evidence"),
        _env_file=None,
    )

    assert await run_doctor(settings) == 1

    out = capsys.readouterr().out
    assert "✘ База данных: файл" in out and "`roadmap-bot db upgrade`" in out
    assert "✘ Папка файлов-подтверждений:" in out and "install -d -m 700" in out
    assert "✘ Мессенджеры: не задан ни BOT__TOKEN (Telegram), ни MAX__TOKEN (MAX)" in out
    assert "– Почта (SMTP): не настроена" in out
    assert "Не в порядке: 4 из 8" in out
    assert not (tmp_path / "data").exists()  # the doctor creates nothing


def private_folders(tmp_path: Path) -> Path:
    """The database's folder and the evidence folder, closed to other users."""
    tmp_path.chmod(0o700)
    evidence = tmp_path / "evidence"
    evidence.mkdir(mode=0o700)
    return evidence


async def ready_settings(
    standin: StandInServer, max_standin: MaxStandIn, tmp_path: Path, mail_port: int
) -> Settings:
    database = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    engine = create_engine(database)
    await upgrade(engine)
    await engine.dispose()
    evidence = private_folders(tmp_path)
    return make_settings(standin, database, evidence, max_standin).model_copy(
        update={
            "email": EmailSection(
                host="127.0.0.1",
                port=mail_port,
                starttls=False,
                user="bot@uo.ru",
                password=SecretStr("secret"),
                **{"from": "Управление образования <bot@uo.ru>"},
            )
        }
    )


async def test_everything_reachable_passes(
    standin: StandInServer,
    max_standin: MaxStandIn,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with MailServer(login=("bot@uo.ru", "secret")) as mail:
        settings = await ready_settings(standin, max_standin, tmp_path, mail.port)
        code = await run_doctor(settings)

    out = capsys.readouterr().out
    assert code == 0, out
    for line in (
        "✔ База данных: открывается, версия схемы",
        "✔ Папка файлов-подтверждений:",
        "✔ Telegram: бот @",
        "✔ MAX: бот",
        f"✔ Почта (SMTP): 127.0.0.1:{mail.port} принимает подключение",
        "✔ Часы сервера: идут верно",
        "Всё в порядке",
    ):
        assert line in out


async def test_each_failure_says_what_to_fix(
    standin: StandInServer,
    max_standin: MaxStandIn,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with MailServer(login=("bot@uo.ru", "secret")) as mail:
        settings = await ready_settings(standin, max_standin, tmp_path, mail.port)
        wrong = settings.model_copy(
            update={
                "max": max_settings(max_standin).model_copy(update={"token": SecretStr("wrong")}),
                "email": settings.email.model_copy(update={"password": SecretStr("wrong")}),
                "evidence_dir": str(tmp_path / "open"),
            }
        )
        (tmp_path / "open").mkdir(mode=0o755)
        (tmp_path / "open").chmod(0o755)
        code = await run_doctor(wrong)

    out = capsys.readouterr().out
    assert code == 1
    assert "✘ MAX: токен не принят" in out and "MAX__TOKEN" in out
    assert "не принял логин или пароль" in out and "EMAIL__PASSWORD" in out
    assert "доступна другим пользователям сервера" in out and "chmod 700" in out
    assert "✔ Telegram" in out
