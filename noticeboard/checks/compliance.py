"""Business days and the compliance report that ``check`` gives staff."""
from __future__ import annotations

from datetime import date, timedelta

import holidays

from .. import codes
from ..diagnostics import Report, plural
from ..load.jurisdictions import BUSINESS, BreachClock, Clock, Jurisdiction
from ..load.records import COMPLETE, DRAFT, INCOMPLETE, SIGNING_DATE, BreachRecord, Content, ContractRecord
from ..values import Month

EXPIRY_WARNING_DAYS = 60


def is_business_day(day: date, calendar: holidays.HolidayBase) -> bool:
    return calendar.is_working_day(day)


def add_business_days(start: date, count: int, calendar: holidays.HolidayBase) -> date:
    """The ``count``-th business day after ``start`` in ``calendar`` (a jurisdiction's holidays, whose working-day
    arithmetic skips them and weekends): the last day a notice may be posted."""
    return calendar.get_nth_working_day(start, count) if count > 0 else start


def business_days_between(start: date, end: date, calendar: holidays.HolidayBase) -> int:
    """Business days after ``start`` up to and including ``end``."""
    return calendar.get_working_days_count(start + timedelta(days=1), end) if end > start else 0


def clock_deadline(clock: Clock, start: date, calendar: holidays.HolidayBase) -> date:
    """The last day of ``clock`` running from ``start``."""
    if clock.count == BUSINESS:
        return add_business_days(start, clock.days, calendar)
    return start + timedelta(days=clock.days)


def days_between(clock: Clock, start: date, end: date, calendar: holidays.HolidayBase) -> int:
    """The days of ``clock``'s count after ``start`` up to and including ``end``."""
    if clock.count == BUSINESS:
        return business_days_between(start, end, calendar)
    return max((end - start).days, 0)


def _unit(clock: Clock) -> str:
    return "business days" if clock.count == BUSINESS else "calendar days"


def _unverified(clock: Clock) -> str:
    """What a note adds of a clock that the law's text could not confirm."""
    return "" if clock.verified else "; the law's text could not be read to confirm this deadline, so this is a note"


def summary_line(content: Content | None, report: Report) -> str:
    """``40 notices (17 complete, 23 incomplete, 0 drafts), 6 policies, 2 pages: 0 errors, 52 warnings``,
    then ``, 3 notes`` when there are notes."""
    counts = f"{plural(len(report.errors), 'error')}, {plural(len(report.warnings), 'warning')}"
    if report.notes:
        counts += f", {plural(len(report.notes), 'note')}"
    if content is None:
        return f"the settings in site.yml or data-elements.yml are unusable: {counts}"
    states = content.state_counts()
    return (f"{plural(len(content.contracts), 'notice')} ({states[COMPLETE]} complete, "
            f"{states[INCOMPLETE]} incomplete, {plural(states[DRAFT], 'draft')}), "
            f"{plural(len(content.policies), 'policy', 'policies')}, "
            f"{plural(len(content.pages), 'page')}"
            f"{', ' + plural(len(content.breaches), 'breach notice') if content.breaches else ''}: {counts}")


def check_compliance(content: Content, today: date, report: Report) -> None:
    """Warnings about the law's requirements (``content.jurisdiction``), for records that are otherwise valid."""
    jurisdiction = content.jurisdiction
    renewed = {r.fields.amends for r in content.contracts if r.fields.kind == "renewal" and r.state != DRAFT}
    for record in content.contracts:
        if not record.valid:
            continue  # its errors come first
        if record.state == DRAFT:
            _report_draft(record, report, f"; missing before it can be published: {_missing_for_staff(record)}"
                          if record.missing else "")
            continue
        if record.state == INCOMPLETE:
            _report_incomplete(record, jurisdiction, report)
        _check_posting(record, jurisdiction, today, report)
        _check_documents(record, jurisdiction, report)
        _check_expiry(record, today, renewed, report)
    for breach in content.breaches:
        if breach.valid:  # its errors come first
            _check_breach(breach, jurisdiction, today, report)


_FROM_WORDS = {"discovered": "discovery", "reported": "report"}  # "… of the report on 2026-03-02"


def _check_breach(record: BreachRecord, jurisdiction: Jurisdiction, today: date, report: Report) -> None:
    """The law's clocks of a breach: the contractor's report, then the board's posting."""
    fields = record.fields
    if fields.draft:
        _report_draft(record, report, ": parents see nothing of this breach until 'draft: true' is removed")
    rules = jurisdiction.breach
    for clock in (rules.district, rules.contractor) if rules else ():
        if clock is not None and getattr(fields, clock.from_) is not None:
            _check_clock(record, clock, jurisdiction.holidays, today, report)


def _check_clock(record: BreachRecord, clock: BreachClock, calendar: holidays.HolidayBase, today: date,
                 report: Report) -> None:
    fields, source = record.fields, record.source
    start, end, unit = getattr(fields, clock.from_), getattr(fields, clock.to), _unit(clock)
    allowed = clock.longer.days if clock.longer and getattr(fields, clock.longer.when) else clock.days
    deadline = clock_deadline(clock.model_copy(update={"days": allowed}), start, calendar)
    since = f"the {_FROM_WORDS.get(clock.from_, clock.from_)} on {start}"
    if clock.to != "reported":
        if end is None:
            report.missing(source, (clock.to,), codes.BREACH_NOT_POSTED,
                           f"no {clock.to} date; the district tells the parents within {allowed} {unit} of {since}, "
                           f"and the posted date records when: {_when_due(deadline, today)}{_unverified(clock)}",
                           note=not clock.verified)
        elif end > deadline:
            report.at(source, (clock.to,), codes.BREACH_POSTED_LATE,
                      f"{clock.to} {end}, {days_between(clock, start, end, calendar)} {unit} after {since}; the "
                      f"deadline was {deadline} ({allowed} {unit}){_unverified(clock)}", note=not clock.verified)
        return
    if end > deadline:
        longer = clock.longer
        report.at(source, ("reported",), codes.BREACH_REPORTED_LATE,
                  f"the contractor reported it {days_between(clock, start, end, calendar)} {unit} after discovering "
                  f"it on {start}; the law allows {allowed} {unit}"
                  + ("" if longer is None or getattr(fields, longer.when) else
                     f" ({longer.days} when only directory information, student records or student-generated "
                     f"content was released: {longer.when}: true)") + _unverified(clock), note=not clock.verified)


def _when_due(deadline: date, today: date) -> str:
    """What staff are told of a notice not yet posted: the deadline passed, or the day to post it by."""
    return f"the deadline was {deadline}" if today > deadline else f"post it by {deadline}"


def _missing_for_staff(record: ContractRecord) -> str:
    """The missing elements by their field names; a month date says that only the month is known."""
    signed = record.fields.contract_date
    return ", ".join(f"{element} (only the month, {signed}, is known)"
                     if element == SIGNING_DATE and isinstance(signed, Month) else element
                     for element in record.missing)


def _report_draft(record: ContractRecord | BreachRecord, report: Report, detail: str = "") -> None:
    report.at(record.source, ("draft",), codes.DRAFT_NOT_PUBLISHED, f"not published{detail}")


def _report_incomplete(record: ContractRecord, jurisdiction: Jurisdiction, report: Report) -> None:
    """What the notice lacks, saying whether the law asks for it (the profile's fields and required_by_law) or
    every notice of the site gives it."""
    if record.missing:
        by_law = jurisdiction.notice.by_law(record.missing)
        if len(by_law) == len(record.missing):
            requires, of_law = "the law requires", ""
        else:
            requires, of_law = "a notice gives", f" (the law requires {', '.join(by_law)})" if by_law else ""
        report.at(record.source, ("incomplete",), codes.INCOMPLETE_NOTICE,
                  f"published as an incomplete notice; {requires}, and the district has not yet "
                  f"posted: {_missing_for_staff(record)}{of_law}")
    else:
        every = jurisdiction.elements
        report.at(record.source, ("incomplete",), codes.INCOMPLETE_BUT_COMPLETE,
                  "the notice has every element "
                  f"{'the law requires' if len(jurisdiction.notice.by_law(every)) == len(every) else 'of a notice'}: "
                  "remove 'incomplete: true'")


def _check_posting(record: ContractRecord, jurisdiction: Jurisdiction, today: date, report: Report) -> None:
    """The posting deadline of the jurisdiction (or of the site), if any; a posted date is never in the future."""
    fields, source, clock = record.fields, record.source, jurisdiction.notice.deadline
    if fields.posted is not None and fields.posted > today:
        report.at(source, ("posted",), codes.POSTED_IN_FUTURE,
                  f"{fields.posted} is after today ({today}); write the day the notice actually went up")
        return
    if clock is None or SIGNING_DATE in record.missing:  # no deadline; no day to count from (an error, or incomplete)
        return
    calendar = jurisdiction.holidays
    deadline = clock_deadline(clock, fields.contract_date, calendar)
    if fields.posted is None:
        report.missing(source, ("posted",), codes.NO_POSTED_DATE,
                       f"no posted date; {_when_due(deadline, today)}{_unverified(clock)}", note=not clock.verified)
    elif fields.posted > deadline:
        late = days_between(clock, fields.contract_date, fields.posted, calendar)
        report.at(source, ("posted",), codes.POSTED_LATE,
                  f"posted {fields.posted}, {late} {_unit(clock)} after signing on {fields.contract_date}; "
                  f"the deadline was {deadline} ({clock.days} {_unit(clock)}){_unverified(clock)}",
                  note=not clock.verified)


def _check_documents(record: ContractRecord, jurisdiction: Jurisdiction, report: Report) -> None:
    """The signed contract is posted: a document of type contract, amendment or dpa (a privacy policy is not it)."""
    documents = record.fields.documents
    if not documents:
        report.missing(record.source, ("documents",), codes.NO_DOCUMENT,
                       "no document: " + ("the law requires the signed contract to be posted with its notice"
                                          if "contract" in jurisdiction.notice.required_by_law
                                          else "a notice posts the signed contract with it"))
    elif not any(document.posts_the_contract for document in documents):
        kinds = ", ".join(sorted({document.kind for document in documents}))
        report.at(record.source, ("documents",), codes.NO_DOCUMENT,
                  f"no signed contract posted: the documents are of type {kinds}, which are not the contract; "
                  "add the signed contract (type: contract, amendment or dpa)")


def _check_expiry(record: ContractRecord, today: date, renewed: set, report: Report) -> None:
    expires = record.fields.expires
    if expires is None or record.slug in renewed:
        return
    days = (expires - today).days
    if 0 <= days <= EXPIRY_WARNING_DAYS:
        report.at(record.source, ("expires",), codes.EXPIRING_SOON,
                  f"expires {expires}, in {plural(days, 'day')}: post the renewal's notice when it is signed")
