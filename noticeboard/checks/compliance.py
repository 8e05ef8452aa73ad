"""Business days and the compliance report that ``check`` gives staff."""
from __future__ import annotations

from datetime import date, timedelta

import holidays

from .. import codes
from ..diagnostics import Report, plural
from ..load.records import COMPLETE, DRAFT, INCOMPLETE, SIGNING_DATE, BreachRecord, Content, ContractRecord
from ..values import Month

EXPIRY_WARNING_DAYS = 60


# Connecticut's legal holidays (CGS § 1-4), from the maintained ``holidays`` package, whose
# working-day arithmetic skips them and weekends; it adds each year as it is asked about.
_CONNECTICUT = holidays.US(subdiv="CT")


def is_business_day(day: date) -> bool:
    return _CONNECTICUT.is_working_day(day)


def add_business_days(start: date, count: int) -> date:
    """The ``count``-th business day after ``start``: the last day a notice may be posted."""
    return _CONNECTICUT.get_nth_working_day(start, count) if count > 0 else start


def business_days_between(start: date, end: date) -> int:
    """Business days after ``start`` up to and including ``end``."""
    return _CONNECTICUT.get_working_days_count(start + timedelta(days=1), end) if end > start else 0


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
    """Warnings about the law's requirements, for records that are otherwise valid."""
    deadline_days = content.site.notice_deadline_business_days
    renewed = {r.fields.amends for r in content.contracts if r.fields.kind == "renewal" and r.state != DRAFT}
    for record in content.contracts:
        if not record.valid:
            continue  # its errors come first
        if record.state == DRAFT:
            _report_draft(record, report, f"; missing before it can be published: {_missing_for_staff(record)}"
                          if record.missing else "")
            continue
        if record.state == INCOMPLETE:
            _report_incomplete(record, report)
        _check_posting(record, deadline_days, today, report)
        _check_documents(record, report)
        _check_expiry(record, today, renewed, report)
    for breach in content.breaches:
        if breach.valid:  # its errors come first
            _check_breach(breach, today, report)


BREACH_POSTING_BUSINESS_DAYS = 2  # CGS § 10-234dd: the board posts, and tells parents, within two business days
BREACH_REPORTING_DAYS = {False: 30, True: 60}  # the contractor's days from discovery, by sixty_day_case


def breach_posting_deadline(reported: date) -> date:
    return add_business_days(reported, BREACH_POSTING_BUSINESS_DAYS)


def _check_breach(record: BreachRecord, today: date, report: Report) -> None:
    """The law's clocks of a breach: the contractor's report, then the board's posting."""
    fields, source = record.fields, record.source
    if fields.draft:
        _report_draft(record, report, ": parents see nothing of this breach until 'draft: true' is removed")
    deadline = breach_posting_deadline(fields.reported)
    if fields.posted is None:
        report.missing(source, ("posted",), codes.BREACH_NOT_POSTED,
                       f"no posted date; the board posts the notice and tells the parents within "
                       f"{BREACH_POSTING_BUSINESS_DAYS} business days of the report on {fields.reported}: "
                       f"{_when_due(deadline, today)}")
    elif fields.posted > deadline:
        late = business_days_between(fields.reported, fields.posted)
        report.at(source, ("posted",), codes.BREACH_POSTED_LATE,
                  f"posted {fields.posted}, {late} business days after the report on {fields.reported}; the deadline "
                  f"was {deadline} ({BREACH_POSTING_BUSINESS_DAYS} business days)")
    if fields.discovered:
        allowed = BREACH_REPORTING_DAYS[fields.sixty_day_case]
        days = (fields.reported - fields.discovered).days
        if days > allowed:
            report.at(source, ("reported",), codes.BREACH_REPORTED_LATE,
                      f"the contractor reported it {days} days after discovering it on {fields.discovered}; the law "
                      f"allows {allowed} days" + ("" if fields.sixty_day_case else
                                                 " (60 when only directory information, student records or "
                                                 "student-generated content was released: sixty_day_case: true)"))


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


def _report_incomplete(record: ContractRecord, report: Report) -> None:
    if record.missing:
        report.at(record.source, ("incomplete",), codes.INCOMPLETE_NOTICE,
                  f"published as an incomplete notice; the law requires, and the district has not yet "
                  f"posted: {_missing_for_staff(record)}")
    else:
        report.at(record.source, ("incomplete",), codes.INCOMPLETE_BUT_COMPLETE,
                  "the notice has every element the law requires: remove 'incomplete: true'")


def _check_posting(record: ContractRecord, deadline_days: int, today: date, report: Report) -> None:
    fields, source = record.fields, record.source
    if SIGNING_DATE in record.missing:  # an error of its own, or part of the incomplete warning
        return
    deadline = add_business_days(fields.contract_date, deadline_days)
    if fields.posted is None:
        report.missing(source, ("posted",), codes.NO_POSTED_DATE, f"no posted date; {_when_due(deadline, today)}")
    elif fields.posted > today:
        report.at(source, ("posted",), codes.POSTED_IN_FUTURE,
                  f"{fields.posted} is after today ({today}); write the day the notice actually went up")
    elif fields.posted > deadline:
        late = business_days_between(fields.contract_date, fields.posted)
        report.at(source, ("posted",), codes.POSTED_LATE,
                  f"posted {fields.posted}, {late} business days after signing on {fields.contract_date}; "
                  f"the deadline was {deadline} ({deadline_days} business days)")


def _check_documents(record: ContractRecord, report: Report) -> None:
    """The signed contract is posted: a document of type contract, amendment or dpa (a privacy policy is not it)."""
    documents = record.fields.documents
    if not documents:
        report.missing(record.source, ("documents",), codes.NO_DOCUMENT,
                       "no document: the law requires the signed contract to be posted with its notice")
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
