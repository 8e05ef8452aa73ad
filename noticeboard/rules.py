"""Rules across records: what one file cannot know alone (amends, related, vocabulary, spellings)."""
from __future__ import annotations

from typing import Iterable

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from . import codes
from .diagnostics import Report
from .names import name_key
from .records import DRAFT, BreachRecord, ContractRecord, DataElement, PolicyRecord, Series
from .schema import did_you_mean


def check_contracts(contracts: list[ContractRecord], keys: dict[str, DataElement] | None, report: Report) -> None:
    by_slug = {record.slug: record for record in contracts}
    known = set(keys) if keys is not None else None
    amending = []
    for record in contracts:
        source, fields = record.source, record.fields
        if known is not None and fields.student_data and not known.issuperset(fields.student_data):
            _check_vocabulary(source, fields.student_data, keys, report)
        if not fields.amends:
            continue
        amending.append(record)
        target = by_slug.get(fields.amends)
        if fields.amends == record.slug:
            report.at(source, ("amends",), codes.AMENDS_ITSELF, "a record cannot amend itself")
        elif target is None:
            report.at(source, ("amends",), codes.AMENDS_UNKNOWN,
                      f"no contract record '{fields.amends}' in contracts/" + did_you_mean(fields.amends, by_slug))
        elif target.state == DRAFT and record.state != DRAFT:
            report.at(source, ("amends",), codes.AMENDS_DRAFT,
                      f"'{fields.amends}' is a draft: this notice is published without a link to it")
    _check_cycles(amending, by_slug, report)


def _check_vocabulary(source, student_data: list[str] | None, keys: dict[str, DataElement] | None,
                      report: Report) -> None:
    """Each key of a record's ``student_data`` is an element of data-elements.yml."""
    if keys is None or not student_data or keys.keys() >= set(student_data):
        return
    for index, key in enumerate(student_data):
        if key not in keys:
            report.at(source, ("student_data",), codes.UNKNOWN_DATA_ELEMENT,
                      f"'{key}' is not a data element of data-elements.yml" + did_you_mean(key, keys), entry=index)


def check_breaches(breaches: list[BreachRecord], contracts: list[ContractRecord],
                   keys: dict[str, DataElement] | None, report: Report) -> None:
    """A breach's contract is a notice of contracts/, and its data are elements of the vocabulary."""
    if not breaches:
        return  # on every save of the preview: no set of ten thousand slugs for nothing
    slugs = {record.slug for record in contracts}
    for record in breaches:
        source, fields = record.source, record.fields
        if fields.contract and fields.contract not in slugs:
            report.at(source, ("contract",), codes.BREACH_CONTRACT_UNKNOWN,
                      f"no contract notice '{fields.contract}' in contracts/" + did_you_mean(fields.contract, slugs))
        _check_vocabulary(source, fields.student_data, keys, report)


def _check_cycles(amending: list[ContractRecord], by_slug: dict[str, ContractRecord], report: Report) -> None:
    for record in amending:
        slug = record.slug
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


def check_vendor_spellings(contracts: list[ContractRecord], report: Report,
                           spellings: "VendorSpellings | None" = None) -> None:
    """Warn about vendor names that are the same name (``names.name_key``) or one or two
    letters from it.

    The warning goes to a record of the rarer spelling, the likelier typo (the first by path).
    ``contracts`` are in the order of their files, as ``load_content`` reads them. ``spellings``,
    kept by the preview between rebuilds, compares only the names that are new since the last time.
    """
    uses: dict[str, list[ContractRecord]] = {}
    for record in contracts:
        uses.setdefault(record.fields.vendor, []).append(record)
    spellings = spellings if spellings is not None else VendorSpellings()
    for name, other in spellings.similar_pairs(uses):
        usual, rare = (other, name) if len(uses[name]) < len(uses[other]) else (name, other)
        record = uses[rare][0]
        report.at(record.source, ("vendor",), codes.VENDOR_SPELLING,
                  f"'{rare}' looks like '{usual}' ({uses[usual][0].source.path}); "
                  "spell one vendor one way so that its notices are grouped")


SHORT_NAME = 5  # letters: shorter names (after ``name_key``) are alike only when equal, not one letter apart


def _alike(key: str, other_key: str, distance: int) -> bool:
    if min(len(key), len(other_key)) < SHORT_NAME:
        return distance == 0
    return distance <= 2


class VendorSpellings:
    """The pairs of vendor names that look alike, kept up to date as names come and go.

    Comparing every name with every other is most of ``check``'s rules at ten thousand
    notices; the preview keeps one of these, so that a save compares only a new name with the others.
    """

    def __init__(self) -> None:
        self._keys: dict[str, str] = {}  # name → name_key(name)
        self._alike: dict[str, set[str]] = {}

    def similar_pairs(self, names: Iterable[str]) -> list[tuple[str, str]]:
        """Every pair of ``names`` that look alike, each (earlier, later) in sorted order, sorted."""
        names = set(names)
        for gone in [name for name in self._keys if name not in names]:
            del self._keys[gone]
            for other in self._alike.pop(gone):
                self._alike[other].discard(gone)
        new = sorted(name for name in names if name not in self._keys)
        old = list(self._keys)
        for name in new:
            self._keys[name] = name_key(name)
            self._alike[name] = set()
        old_keys = [self._keys[name] for name in old]
        new_keys = [self._keys[name] for name in new]
        for index, name in enumerate(new):  # each new name with the old ones and the new ones after it
            others = old + new[index + 1:]
            for _, distance, at in process.extract(new_keys[index], old_keys + new_keys[index + 1:],
                                                   scorer=Levenshtein.distance, score_cutoff=2, limit=None):
                other = others[at]
                if _alike(new_keys[index], self._keys[other], distance):
                    self._alike[name].add(other)
                    self._alike[other].add(name)
        return sorted((name, other) for name in self._alike for other in self._alike[name] if name < other)
