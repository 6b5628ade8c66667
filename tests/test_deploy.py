"""The deployment files keep up with the code: every package in the image, every variable a
real setting, every command one the CLI has. (Building the image needs Docker Hub, which these
machines cannot reach; these checks catch what usually goes stale.)"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from bot.settings import Settings
from cli.main import build_parser

ROOT = Path(__file__).resolve().parent.parent


def setting_names() -> set[str]:
    names = set()
    for name, field in Settings.model_fields.items():
        section = field.annotation
        fields = getattr(section, "model_fields", None)
        if fields is None:
            names.add(name.upper())
        else:
            names |= {f"{name.upper()}__{inner.upper()}" for inner in fields}
    return names


def test_the_image_holds_every_package_and_the_catalogs() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = [p.rstrip("*") for p in project["tool"]["setuptools"]["packages"]["find"]["include"]]
    for package in [*packages, "locales"]:
        assert f"COPY {package} ./{package}" in dockerfile, package
    assert 'CMD ["run", "--webhook"]' in dockerfile and "/healthz" in dockerfile


def test_compose_and_dockerfile_set_only_real_settings() -> None:
    known = setting_names()
    compose = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    used = set(re.findall(r"^\s+([A-Z][A-Z_]*__[A-Z_]+|[A-Z][A-Z_]+):", compose, re.MULTILINE))
    used -= {"POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD"}  # the postgres image's own
    used |= set(re.findall(r"\b([A-Z]+__[A-Z_]+|LOG_FORMAT|EVIDENCE_DIR|DATA_DIR)=", dockerfile))
    assert used and used <= known, used - known
    for service in ("bot:", "postgres:", "redis:"):
        assert f"\n  {service}" in compose


def test_the_systemd_unit_runs_commands_the_cli_has() -> None:
    unit = (ROOT / "deploy" / "roadmap-bot.service").read_text(encoding="utf-8")
    commands = re.findall(r"^Exec\w+=\S+/roadmap-bot (.+)$", unit, re.MULTILINE)
    assert commands == ["db upgrade", "run"]
    parser = build_parser()
    for command in commands:
        parser.parse_args(command.split())  # exits (fails the test) on an unknown command
    assert "KillSignal=SIGTERM" in unit


def test_the_units_data_folder_is_made_by_systemd_outside_the_checkout() -> None:
    """systemd makes StateDirectory (0700, the service user's) before the start; DATA_DIR
    names it, absolute, outside the checkout that `git pull` and `make clean` work in."""
    unit = (ROOT / "deploy" / "roadmap-bot.service").read_text(encoding="utf-8")
    assert "Environment=DATA_DIR=/var/lib/roadmap-bot" in unit
    assert "StateDirectory=roadmap-bot" in unit and "StateDirectoryMode=0700" in unit
    assert "/opt/roadmap-bot/app/data" not in unit.split("[Service]")[1]
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "DATA_DIR=/var/lib/roadmap-bot" in dockerfile
    assert 'VOLUME ["/var/lib/roadmap-bot"]' in dockerfile
