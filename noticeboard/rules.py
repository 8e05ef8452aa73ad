"""Rules across records: what one file cannot know alone (amends, related, vocabulary, spellings)."""
from __future__ import annotations

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from . import codes
from .diagnostics import Report
from .names import name_key
from .records import DRAFT, ContractRecord, DataElement, PolicyRecord, Series
from .schema import did_you_mean


def check_contracts(contracts: list[ContractRecord], keys: dict[str, DataElement] | None, report: Report) -> None:
    by_slug = {record.slug: record for record in contracts}
    for record in contracts:
        source, fields = record.source, record.fields
        for index, key in enumerate(fields.student_data or []):
            if keys is not None and key not in keys:
                report.at(source, ("student_data",), codes.UNKNOWN_DATA_ELEMENT,
                          f"'{key}' is not a data element of data-elements.yml" + did_you_mean(key, keys), entry=index)
        if not fields.amends:
            continue
        target = by_slug.get(fields.amends)
        if fields.amends == record.slug:
            report.at(source, ("amends",), codes.AMENDS_ITSELF, "a record cannot amend itself")
        elif target is None:
            report.at(source, ("amends",), codes.AMENDS_UNKNOWN,
                      f"no contract record '{fields.amends}' in contracts/" + did_you_mean(fields.amends, by_slug))
        elif target.state == DRAFT and record.state != DRAFT:
            report.at(source, ("amends",), codes.AMENDS_DRAFT,
                      f"'{fields.amends}' is a draft: this notice is published without a link to it")
    _check_cycles(by_slug, report)


def _check_cycles(by_slug: dict[str, ContractRecord], report: Report) -> None:
    for slug, record in by_slug.items():
        seen = {slug}
        current = record.fields.amends
        while current in by_slug and current != slug:
            if current in seen:
                break
            seen.add(current)
            current = by_slug[current].fields.amends
        if current == slug and record.fields.amends != slug:
            report.at(record.source, ("amends",), codes.AMENDS_LOOP,
                      "amendments form a loop; the first record of a chain must be a contract")


def check_policies(policies: list[PolicyRecord], series: list[Series] | None,
                    report: Report) -> list[PolicyRecord]:
    """Cross-policy rules; returns the policies whose series exists."""
    numbers = {policy.fields.number for policy in policies}
    keys = {item.key for item in series or []}
    for policy in policies:
        source, fields = policy.source, policy.fields
        if policy.series not in keys:
            # the series given, or else the number that it comes from
            report.at(source, ("series",) if fields.series else ("number",), codes.SERIES_UNKNOWN,
                      f"series '{policy.series}' is not in policies/series.yml" + did_you_mean(policy.series, keys))
        for index, number in enumerate(fields.related):
            if number == fields.number:
                report.at(source, ("related",), codes.RELATED_ITSELF, "a policy cannot relate to itself", entry=index)
            elif number not in numbers:
                report.at(source, ("related",), codes.RELATED_UNKNOWN,
                          f"no policy {number} in policies/" + did_you_mean(number, numbers), entry=index)
    return [p for p in policies if p.series in keys]


def check_vendor_spellings(contracts: list[ContractRecord], report: Report) -> None:
    """Warn about vendor names that are the same name (``names.name_key``) or one or two
    letters from it.

    The warning goes to a record of the rarer spelling, the likelier typo.
    """
    uses: dict[str, list[ContractRecord]] = {}
    for record in sorted(contracts, key=lambda r: r.source.path):
        uses.setdefault(record.fields.vendor, []).append(record)
    names = sorted(uses)
    normalised = [name_key(name) for name in names]
    for index, name in enumerate(names):
        limit = 2 if len(normalised[index]) >= 5 else 0
        matches = process.extract(normalised[index], normalised[index + 1:], scorer=Levenshtein.distance,
                                  score_cutoff=limit, limit=None)
        for _, _, offset in sorted(matches, key=lambda match: match[2]):
            other = names[index + 1 + offset]
            if limit and len(normalised[index + 1 + offset]) < 5:
                continue
            usual, rare = (other, name) if len(uses[name]) < len(uses[other]) else (name, other)
            record = uses[rare][0]
            report.at(record.source, ("vendor",), codes.VENDOR_SPELLING,
                      f"'{rare}' looks like '{usual}' ({uses[usual][0].source.path}); "
                      "spell one vendor one way so that its notices are grouped")
