"""Where each measure stands for each school: the digest's and the export's shared vocabulary."""

from domain.progress.digest import (
    Digest,
    DigestItem,
    ExtensionWaiting,
    OpenRequest,
    ReportWaiting,
    Unreachable,
)
from domain.progress.export import AnswerRow, ReportLine, SchoolAnswer, SummaryGrid
from domain.progress.messages import split_into_messages, split_text
from domain.progress.standing import WORST_FIRST, Standing, on_time_share, standing

__all__ = [
    "WORST_FIRST",
    "AnswerRow",
    "Digest",
    "DigestItem",
    "ExtensionWaiting",
    "OpenRequest",
    "ReportLine",
    "ReportWaiting",
    "SchoolAnswer",
    "Standing",
    "SummaryGrid",
    "Unreachable",
    "on_time_share",
    "split_into_messages",
    "split_text",
    "standing",
]
