"""``roadmap-bot doctor``'s checks: each connection the bot needs, tried before launch.

Each check gives what it found and, when something is wrong, what the IT person should do, in
plain Russian (the department's administrator reads it in a terminal). Nothing is created or
changed: a missing database is reported, not made.
"""

from __future__ import annotations

import asyncio
import os
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
import aiosmtplib
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError, TelegramUnauthorizedError
from aiohttp_socks import ProxyConnector
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.settings import Settings
from messengers.max.api import PROXY_ERRORS, MaxApi
from storage.engine import create_engine

CLOCK_TOLERANCE_SECONDS = 60  # reminders go out by the minute; more than this is noticed
NETWORK_TIMEOUT = aiohttp.ClientTimeout(total=15)


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool | None  # None: not configured or not checked, which is no failure by itself
    found: str
    fix: str = ""


async def run_checks(settings: Settings) -> list[Check]:
    checks = [await database(settings), *data_folders(settings)]
    checks.extend(await messengers(settings))
    checks.append(await mail(settings))
    checks.extend(await webhooks(settings))
    checks.append(time_zone(settings))
    checks.append(await clock(settings))
    return checks


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or not parsed.database:
        return None
    return Path(parsed.database).resolve()


async def database(settings: Settings) -> Check:
    name = "База данных"
    path = _sqlite_path(settings.db.url)
    if path is not None and not path.is_file():
        return Check(
            name,
            False,
            f"файл {path} не найден",
            "Запустите `roadmap-bot db upgrade` в папке установки или проверьте DB__URL.",
        )
    engine = create_engine(settings.db.url)
    try:
        async with engine.connect() as connection:
            version = await connection.scalar(text("SELECT version_num FROM alembic_version"))
    except Exception as error:  # any driver's refusal is reported the same way
        return Check(
            name,
            False,
            f"не открывается ({type(error).__name__})",
            "Проверьте DB__URL, что сервер базы данных запущен и что `roadmap-bot db upgrade` "
            "уже выполнялась.",
        )
    finally:
        await engine.dispose()
    return Check(name, True, f"открывается, версия схемы {version}")


def data_folders(settings: Settings) -> list[Check]:
    folders = {"Папка файлов-подтверждений": Path(settings.evidence_dir).resolve()}
    if (path := _sqlite_path(settings.db.url)) is not None:
        folders["Папка базы данных"] = path.parent
    return [_folder(name, folder) for name, folder in folders.items()]


def _folder(name: str, folder: Path) -> Check:
    if not folder.is_dir():
        return Check(
            name,
            False,
            f"{folder} не существует",
            f"Создайте её от имени пользователя службы: `install -d -m 700 {folder}`.",
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        return Check(
            name,
            False,
            f"в {folder} нельзя записывать",
            f"Сделайте владельцем пользователя службы: `chown -R <пользователь> {folder}`.",
        )
    if folder.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        return Check(
            name,
            False,
            f"{folder} доступна другим пользователям сервера (там персональные данные)",
            f"Закройте доступ: `chmod 700 {folder}`.",
        )
    return Check(name, True, f"{folder}: запись есть, чужим закрыта")


async def messengers(settings: Settings) -> list[Check]:
    if not settings.bot.enabled and not settings.max.enabled:
        return [
            Check(
                "Мессенджеры",
                False,
                "не задан ни BOT__TOKEN (Telegram), ни MAX__TOKEN (MAX)",
                "Получите токен у @BotFather в Telegram или на business.max.ru (Чат-боты → "
                "Интеграция) и впишите его в .env.",
            )
        ]
    checks = []
    if settings.bot.enabled and settings.bot.token is not None:
        checks.append(await _telegram(settings))
    if settings.max.enabled and settings.max.token is not None:
        checks.append(await _max(settings))
    return checks


_UNREACHABLE_FIX = (
    "Разрешите серверу исходящие соединения с {host} на порт 443 или укажите прокси вашей "
    "сети: PROXY=http://адрес:порт."
)


async def _telegram(settings: Settings) -> Check:
    assert settings.bot.token is not None
    session = AiohttpSession(
        api=TelegramAPIServer.from_base(settings.bot.api_url), proxy=settings.proxy_url
    )
    bot = Bot(settings.bot.token.get_secret_value(), session=session)
    try:
        me = await asyncio.wait_for(bot.get_me(), 20)
    except TelegramUnauthorizedError:
        return Check(
            "Telegram",
            False,
            "токен не принят",
            "Скопируйте токен заново у @BotFather (/mybots → API Token) в BOT__TOKEN.",
        )
    except (TelegramNetworkError, TimeoutError, *PROXY_ERRORS) as error:
        return Check(
            "Telegram",
            False,
            f"нет связи с {settings.bot.api_url} ({type(error).__name__})",
            _UNREACHABLE_FIX.format(host="api.telegram.org"),
        )
    except TelegramAPIError as error:
        return Check("Telegram", False, f"ошибка API: {error}", "Повторите проверку позже.")
    finally:
        await session.close()
    return Check("Telegram", True, f"бот @{me.username} отвечает")


async def _max(settings: Settings) -> Check:
    assert settings.max.token is not None
    api = MaxApi(
        settings.max.api_url, settings.max.token.get_secret_value(), proxy=settings.proxy_url
    )
    try:
        me = await api.call(None, "GET", "/me", timeout=20)
    except TelegramUnauthorizedError:
        return Check(
            "MAX",
            False,
            "токен не принят",
            "Скопируйте токен заново на business.max.ru (Чат-боты → Интеграция) в MAX__TOKEN.",
        )
    except TelegramNetworkError as error:
        return Check(
            "MAX",
            False,
            f"нет связи с {settings.max.api_url} ({error.message.split(':')[0]})",
            _UNREACHABLE_FIX.format(host="platform-api2.max.ru"),
        )
    except TelegramAPIError as error:
        return Check("MAX", False, f"ошибка API: {error}", "Повторите проверку позже.")
    finally:
        await api.close()
    return Check("MAX", True, f"бот {me.get('username') or me.get('name') or ''} отвечает")


async def mail(settings: Settings) -> Check:
    options = settings.email
    if not options.enabled:
        return Check("Почта (SMTP)", None, "не настроена: письма не отправляются")
    if problem := options.problem():
        return Check("Почта (SMTP)", False, problem, "Исправьте настройки EMAIL__ в .env.")
    assert options.host is not None
    client = aiosmtplib.SMTP(
        hostname=options.host,
        port=options.port,
        use_tls=options.tls,
        start_tls=options.starttls and not options.tls,
        timeout=15,
    )
    where = f"{options.host}:{options.port}"
    try:
        await client.connect()
        if options.user and options.password is not None:
            await client.login(options.user, options.password.get_secret_value())
    except aiosmtplib.SMTPAuthenticationError:
        return Check(
            "Почта (SMTP)",
            False,
            f"{where} не принял логин или пароль",
            "Проверьте EMAIL__USER и EMAIL__PASSWORD (для Яндекса и Mail.ru — пароль приложения).",
        )
    except (aiosmtplib.SMTPException, OSError) as error:
        return Check(
            "Почта (SMTP)",
            False,
            f"нет связи с {where} ({type(error).__name__})",
            "Проверьте EMAIL__HOST и EMAIL__PORT (587 со STARTTLS или 465 с EMAIL__TLS=true) "
            "и что сервер может к нему подключиться.",
        )
    finally:
        if client.is_connected:
            client.close()
    return Check("Почта (SMTP)", True, f"{where} принимает подключение")


async def webhooks(settings: Settings) -> list[Check]:
    if not settings.webhook.enabled:
        return [Check("Вебхук", None, "не включён: бот получает сообщения опросом")]
    urls = {"Вебхук Telegram": settings.webhook.url, "Вебхук MAX": settings.max.webhook_url}
    return [await _webhook(name, url) for name, url in urls.items() if url]


async def _webhook(name: str, url: str) -> Check:
    if not url.startswith("https://"):
        return Check(
            name, False, f"{url} — не https", "Мессенджеры присылают сообщения только на https://."
        )
    try:
        async with (
            aiohttp.ClientSession(timeout=NETWORK_TIMEOUT) as http,
            http.get(url, allow_redirects=False) as response,
        ):
            status = response.status
    except aiohttp.ClientConnectorCertificateError:
        return Check(
            name,
            False,
            f"сертификат {url} не принят",
            "Нужен сертификат доверенного центра (например, Let's Encrypt через certbot) с "
            "полной цепочкой; самоподписанный MAX не принимает.",
        )
    except (aiohttp.ClientError, TimeoutError) as error:
        return Check(
            name,
            False,
            f"{url} не отвечает ({type(error).__name__})",
            "Проверьте, что обратный прокси (nginx) запущен, порт 443 открыт снаружи и адрес "
            "указан верно.",
        )
    return Check(name, True, f"{url} отвечает (HTTP {status}), сертификат действителен")


def time_zone(settings: Settings) -> Check:
    now = datetime.now(ZoneInfo(settings.timezone))
    return Check("Часовой пояс", True, f"{settings.timezone}: сейчас там {now:%d.%m.%Y %H:%M}")


async def clock(settings: Settings) -> Check:
    """The server's clock against the messenger's, by the Date header of its answer."""
    api = settings.bot.api_url if settings.bot.enabled else settings.max.api_url
    if not (settings.bot.enabled or settings.max.enabled):
        return Check("Часы сервера", None, "не проверены: не настроен ни один мессенджер")
    connector = ProxyConnector.from_url(settings.proxy_url) if settings.proxy_url else None
    try:
        async with (
            aiohttp.ClientSession(timeout=NETWORK_TIMEOUT, connector=connector) as http,
            http.head(api) as response,
        ):
            stamp = response.headers.get("Date")
    except (aiohttp.ClientError, TimeoutError, *PROXY_ERRORS):
        return Check("Часы сервера", None, "не проверены: нет связи с мессенджером")
    if stamp is None:
        return Check("Часы сервера", None, "не проверены: мессенджер не сообщил время")
    skew = (datetime.now(UTC) - parsedate_to_datetime(stamp)).total_seconds()
    if abs(skew) > CLOCK_TOLERANCE_SECONDS:
        direction = "спешат" if skew > 0 else "отстают"
        return Check(
            "Часы сервера",
            False,
            f"{direction} на {abs(round(skew))} с",
            "Включите синхронизацию времени: `timedatectl set-ntp true`.",
        )
    return Check("Часы сервера", True, "идут верно")
