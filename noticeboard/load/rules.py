"""Rules across records: what one file cannot know alone (amends, related, vocabulary, spellings)."""
from __future__ import annotations

import difflib
from typing import Iterable

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from .. import codes
from ..diagnostics import Report
from ..names import folded_words, name_key
from ..values import did_you_mean
from .records import DRAFT, BreachRecord, ContractRecord, ElementDefinition, PolicyRecord, Series


def check_contracts(contracts: list[ContractRecord], keys: dict[str, ElementDefinition] | None, report: Report) -> None:
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
    _check_known_from(contracts, by_slug, report)


def _check_known_from(contracts: list[ContractRecord], by_slug: dict[str, ContractRecord], report: Report) -> None:
    """A notice that the district never posted names the published notice that it is known from."""
    for record in contracts:
        known_from = record.fields.known_from
        if not known_from:
            continue
        source = by_slug.get(known_from)
        if known_from == record.slug or source is None or source.state == DRAFT:
            problem = ("a notice cannot be known from itself" if known_from == record.slug else
                       f"'{known_from}' is a draft, which parents cannot see" if source is not None else
                       f"no contract record '{known_from}' in contracts/" + did_you_mean(known_from, by_slug))
            report.at(record.source, ("known_from",), codes.KNOWN_FROM_UNKNOWN, problem)


def _check_vocabulary(source, student_data: list[str] | None, keys: dict[str, ElementDefinition] | None,
                      report: Report) -> None:
    """Each key of a record's ``student_data`` is an element of data-elements.yml."""
    if keys is None or not student_data or keys.keys() >= set(student_data):
        return
    names = ElementNames(keys)  # made only for a record that names an unknown key
    for index, key in enumerate(student_data):
        if key not in keys:
            report.at(source, ("student_data",), codes.UNKNOWN_DATA_ELEMENT,
                      f"'{key}' is not a data element of data-elements.yml" + names.did_you_mean(key), entry=index)


# --- "did you mean" for a data element: its key, its label in every language, its aliases ------------------

CLOSE_NAME = 0.8  # difflib's ratio from which a folded name is a likely misspelling of another
MOST_SUGGESTED = 3  # more elements than this that a word could mean: it is too vague to suggest any


class ElementNames:
    """Every name of the elements of a vocabulary (key, label in every language, aliases), folded, for the
    "did you mean" of a word that is not a key."""

    def __init__(self, elements: dict[str, ElementDefinition]) -> None:
        self.elements = elements
        self.names: list[tuple[str, frozenset[str], str]] = []  # (key, words, the words joined)
        for key, element in elements.items():
            named = [key] + [label for _, label in element.label.texts]
            named += [alias for _, aliases in element.aliases for alias in aliases]
            for text in named:
                words = folded_words(text)
                if words:
                    self.names.append((key, frozenset(words), "".join(words)))
        self.keys = {"".join(folded_words(key)) for key in elements}

    def suggestions(self, word: str) -> tuple[list[str], bool]:
        """The keys that ``word`` likely means, and whether it was their label or an alias that matched
        (rather than their key, misspelt). First an exact match of a folded name; else the elements that
        have every word of ``word`` in one of their names, when there are few; else the closest name."""
        words = folded_words(str(word))
        joined = "".join(words)
        if not joined:
            return [], False
        exact = self._keys_of(lambda name_words, name: name == joined)
        if exact:
            return exact[:MOST_SUGGESTED], joined not in self.keys
        within = self._keys_of(lambda name_words, name: set(words) <= name_words)
        if 1 <= len(within) <= MOST_SUGGESTED:
            return within, True
        if within:
            return [], False  # a word of many names ("student", "data"): too vague to guess which
        close = difflib.get_close_matches(joined, sorted({name for *_, name in self.names}), n=1, cutoff=CLOSE_NAME)
        if close:
            return self._keys_of(lambda name_words, name: name == close[0])[:1], close[0] not in self.keys
        return [], False

    def did_you_mean(self, word: str) -> str:
        """``; did you mean 'student_address' (Student address)?``, or nothing; the label is said when it is
        the label or an alias that matched, which the key alone would not explain."""
        keys, by_name = self.suggestions(word)
        if not keys:
            return ""
        said = [f"'{key}' ({self._label(key)})" if by_name else f"'{key}'" for key in keys]
        return "; did you mean " + (said[0] if len(said) == 1 else ", ".join(said[:-1]) + " or " + said[-1]) + "?"

    def _keys_of(self, matches) -> list[str]:
        """The keys, in the order of the vocabulary, of the names that ``matches``."""
        return list(dict.fromkeys(key for key, words, name in self.names if matches(words, name)))

    def _label(self, key: str) -> str:
        texts = dict(self.elements[key].label.texts)
        return texts.get("", next(iter(texts.values()), key))


def check_breaches(breaches: list[BreachRecord], contracts: list[ContractRecord],
                   keys: dict[str, ElementDefinition] | None, report: Report) -> None:
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
