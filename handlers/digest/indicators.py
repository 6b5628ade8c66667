"""The digest's target indicators: those behind their target, and those still missing schools'
figures after their date («Доля педагогов … — 8 % при плане 10 %; ответили 3 из 4 школ»)."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from domain.indicators.municipal import russian_number
from domain.progress.digest import IndicatorBehind


def indicator_entries(indicators: list[IndicatorBehind]) -> list[str]:
    heading = _("Target indicators that need attention ({count}):").format(count=len(indicators))
    return [heading, *(_line(indicator) for indicator in indicators)]


def _line(indicator: IndicatorBehind) -> str:
    if indicator.value is None:
        value = _("no data yet")
    else:
        value = russian_number(indicator.value) + (" %" if indicator.percent else "")
    parts = [f"• {indicator.number}. {indicator.name} — {value}"]
    if indicator.behind and indicator.target:
        parts[0] += " " + _("against the target of {target}").format(target=indicator.target)
    if indicator.expected and indicator.answered < indicator.expected:
        missing = indicator.expected - indicator.answered
        parts.append(
            ngettext(
                "figures missing from {n} school",
                "figures missing from {n} schools",
                missing,
            ).format(n=missing)
        )
    return "; ".join(parts)
