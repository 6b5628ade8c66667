"""``roadmap-bot doctor``'s webhook check against a real HTTPS server on this machine: a
self-signed certificate is refused with what to get instead, a certificate of a centre the
host trusts passes, an http:// address is refused before any connection, and an address
nothing answers on says what to check. The certificates are made here; no network."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import os
import socket
import ssl
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import web

# cryptography comes with pdfplumber (pdfminer.six needs it), so it is there wherever the bot is.
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from bot.doctor import Check, webhooks
from bot.settings import Settings, WebhookSection

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ipaddress.IPv4Address("127.0.0.1")
TRUSTED_NEEDED = (
    "Нужен сертификат доверенного центра (например, Let's Encrypt через certbot) с полной "
    "цепочкой; самоподписанный MAX не принимает."
)
NOT_ANSWERING = (
    "Проверьте, что обратный прокси (nginx) запущен, порт 443 открыт снаружи и адрес указан верно."
)


@dataclass(frozen=True, slots=True)
class Pem:
    certificate: Path
    key: Path


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _write(folder: Path, stem: str, cert: x509.Certificate, key: ec.EllipticCurvePrivateKey) -> Pem:
    pem = Pem(folder / f"{stem}.crt", folder / f"{stem}.key")
    pem.certificate.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pem.key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return pem


def _certificate(
    subject: str,
    key: ec.EllipticCurvePrivateKey,
    issuer: tuple[str, ec.EllipticCurvePrivateKey] | None,
    *,
    authority: bool,
) -> x509.Certificate:
    """Signed by ``issuer`` (its name and key), or by itself when ``issuer`` is None."""
    issuer_name, issuer_key = issuer or (subject, key)
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=authority, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    )
    if authority:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    else:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(LOCAL), x509.DNSName("localhost")]),
            critical=False,
        ).add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def certificate_authority(folder: Path) -> tuple[Pem, Pem]:
    """A certificate centre and the server certificate it signed for 127.0.0.1."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate("Test Root CA", ca_key, None, authority=True)
    server_key = ec.generate_private_key(ec.SECP256R1())
    server = _certificate("127.0.0.1", server_key, ("Test Root CA", ca_key), authority=False)
    return _write(folder, "ca", ca, ca_key), _write(folder, "server", server, server_key)


def self_signed(folder: Path) -> Pem:
    """A certificate for 127.0.0.1 that vouches for itself, as `openssl req -x509` makes."""
    key = ec.generate_private_key(ec.SECP256R1())
    return _write(folder, "self", _certificate("127.0.0.1", key, None, authority=False), key)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.asynccontextmanager
async def webhook_server(pem: Pem | None) -> AsyncIterator[str]:
    """The bot's webhook route behind HTTPS with ``pem`` (plain HTTP when None): its base URL.
    Only POST is routed, as on the bot's server, so the doctor's GET gets 405."""

    async def update(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/telegram", update)
    app.router.add_post("/max", update)
    context = None
    if pem is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(pem.certificate, pem.key)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port, ssl_context=context).start()
    try:
        yield f"{'https' if pem is not None else 'http'}://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


async def webhook_check(url: str) -> Check:
    settings = Settings(webhook=WebhookSection(enabled=True, url=url), _env_file=None)
    (check,) = await webhooks(settings)
    return check


async def test_a_self_signed_certificate_is_refused_with_what_to_get(tmp_path: Path) -> None:
    async with webhook_server(self_signed(tmp_path)) as base:
        check = await webhook_check(f"{base}/telegram")
    assert check.ok is False
    assert check.found == f"сертификат {base}/telegram не принят"
    assert check.fix == TRUSTED_NEEDED


async def test_an_http_address_is_refused_though_it_answers() -> None:
    async with webhook_server(None) as base:
        check = await webhook_check(f"{base}/telegram")
    assert check.ok is False
    assert check.found == f"{base}/telegram — не https"
    assert check.fix == "Мессенджеры присылают сообщения только на https://."


async def test_an_address_nothing_answers_on_says_what_to_check() -> None:
    url = f"https://127.0.0.1:{free_port()}/telegram"  # free: nobody listens there
    check = await webhook_check(url)
    assert check.ok is False
    assert check.found.startswith(f"{url} не отвечает (")
    assert check.fix == NOT_ANSWERING


@pytest.mark.process
async def test_a_certificate_the_server_trusts_passes(tmp_path: Path) -> None:
    """``roadmap-bot doctor`` as the IT person runs it, on a host whose trust store
    (SSL_CERT_FILE, read once as the process starts) holds the centre: the Telegram webhook
    with the centre's certificate passes; the MAX one, self-signed, is still refused."""
    authority, server = certificate_authority(tmp_path)
    (tmp_path / "other").mkdir()
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BOT__", "DB__", "MAX__"))}
    clean = {k: v for k, v in clean.items() if not k.startswith(("WEBHOOK__", "SSL_CERT_"))}
    async with (
        webhook_server(server) as trusted,
        webhook_server(self_signed(tmp_path / "other")) as untrusted,
    ):
        doctor = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "doctor",
            env={
                **clean,
                "PYTHONPATH": str(ROOT),
                "SSL_CERT_FILE": str(authority.certificate),
                "DATA_DIR": str(tmp_path),
                "DB__URL": f"sqlite+aiosqlite:///{tmp_path / 'roadmap.sqlite3'}",
                "WEBHOOK__ENABLED": "true",
                "WEBHOOK__URL": f"{trusted}/telegram",
                "MAX__WEBHOOK_URL": f"{untrusted}/max",
            },
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(doctor.communicate(), 120)
    said = out.decode()
    assert doctor.returncode == 1, err.decode()  # no messenger, no database: not ready
    assert (
        f"✔ Вебхук Telegram: {trusted}/telegram отвечает (HTTP 405), сертификат действителен\n"
        in said
    ), said
    assert f"✘ Вебхук MAX: сертификат {untrusted}/max не принят\n" in said, said
    assert f"    Что сделать: {TRUSTED_NEEDED}\n" in said
