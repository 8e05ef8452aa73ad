"""The checks of records against the build date, which loading leaves out so that what it gives
depends on the files only (and the cache keeps serving it on a new day)."""
from __future__ import annotations

from datetime import date

from .. import codes
from ..diagnostics import Report
from ..load.reader import Source
from ..load.records import Content
from ..values import first_day

BREACH_DATES = ("discovered", "reported", "posted")


def check_dates(content: Content, today: date, report: Report) -> None:
    """No contract signed, and no breach discovered, reported or posted, after ``today``."""
    for record in content.contracts:
        if record.valid:
            signed = record.fields.contract_date
            _not_in_future(record.source, "contract_date", first_day(signed), today, report, signed,
                           "; a notice is posted after signing")
    for breach in content.breaches:
        for name in BREACH_DATES:
            _not_in_future(breach.source, name, getattr(breach.fields, name), today, report)


def _not_in_future(source: Source, name: str, day: date | None, today: date, report: Report,
                   shown: object = None, why: str = "") -> None:
    """``day`` (shown as ``shown``: a month, say) is not after the build date."""
    if day and day > today:
        report.at(source, (name,), codes.DATE_IN_FUTURE, f"{shown or day} is in the future (today is {today}){why}")
