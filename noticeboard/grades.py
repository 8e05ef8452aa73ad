"""The grades a notice covers, read from the text that staff write (content format v3, ``grades``).

``K-5``, ``9-12``, ``PK-12``, ``K, 3, 5``, ``Grades 6–8``, ``Grade 9-Grade 12``, ``3rd through 5th grade``:
each is read as a set of grades, given in the order of ``GRADE_KEYS``. What cannot be read for certain
(``Ages 3-5``, ``all grades``, ``TK``, ``13``, a range written backwards) is ``None``, never a guess: pages
then show the text as written and ``check`` warns of it.
"""
from __future__ import annotations

import re
from functools import lru_cache

GRADE_KEYS = ("pk", "k", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12")

_DASHES = str.maketrans({dash: "-" for dash in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"})
_ORDINAL_SUFFIX = {"1": "st", "2": "nd", "3": "rd"}

# One token at a time: a grade, a word that only says "grade", the sign of a range, or a list separator.
_TOKEN = re.compile(r"""
    \s*(?:
        (?P<pk>pre\s?-?\s?k(?:indergarten)?|pk)(?![a-z0-9])
      | (?P<k>k(?:indergarten)?)(?![a-z0-9])
      | (?P<number>[0-9]{1,2})(?P<suffix>st|nd|rd|th)?(?![a-z0-9])
      | (?P<grade_word>grades?(?![a-z0-9])|gr\.|gr(?![a-z0-9]))
      | (?P<range>-|to(?![a-z0-9])|through(?![a-z0-9]))
      | (?P<separator>[,;&/]|and(?![a-z0-9]))
    )""", re.VERBOSE)


@lru_cache(maxsize=4096)
def read_grades(text: str) -> tuple[str, ...] | None:
    """The grades that ``text`` names, in the order of ``GRADE_KEYS``; ``None`` when it cannot be read."""
    tokens = _tokens(text.translate(_DASHES).casefold())
    if tokens is None:
        return None
    grades: set[str] = set()
    items: list[list[tuple[str, str]]] = [[]]
    for token in tokens:
        if token[0] == "separator":
            items.append([])
        else:
            items[-1].append(token)
    if not items[0] or not items[-1]:
        return None  # a list that starts or ends with a separator, or no grade at all
    for item in items:
        if not item:
            continue  # "K, 3, and 5": two separators in a row
        covered = _item(item)
        if covered is None:
            return None
        grades.update(covered)
    return tuple(key for key in GRADE_KEYS if key in grades)


def _tokens(text: str) -> list[tuple[str, str]] | None:
    """(kind, grade key or sign) of each token of ``text``, leaving out the words that only say "grade";
    ``None`` at anything else (a word, a number that is no grade, an ordinal such as "3th")."""
    tokens: list[tuple[str, str]] = []
    position, end = 0, len(text.rstrip())
    while position < end:
        match = _TOKEN.match(text, position)
        if match is None:
            return None
        position = match.end()
        kind = match.lastgroup if match.lastgroup != "suffix" else "number"
        if kind == "grade_word":
            continue
        if kind == "pk":
            tokens.append(("grade", "pk"))
        elif kind == "k":
            tokens.append(("grade", "k"))
        elif kind == "number":
            key = match.group("number").lstrip("0")
            suffix = match.group("suffix")
            if key not in GRADE_KEYS[2:] or key != match.group("number"):
                return None
            if suffix and suffix != _ORDINAL_SUFFIX.get(key, "th"):
                return None
            tokens.append(("grade", key))
        else:
            tokens.append((kind, match.group(kind)))
    return tokens


def _item(item: list[tuple[str, str]]) -> list[str] | None:
    """The grades of one item of a list: a grade, or a range "first - last" (also "to", "through")."""
    kinds = [kind for kind, _ in item]
    if kinds == ["grade"]:
        return [item[0][1]]
    if kinds == ["grade", "range", "grade"]:
        first, last = GRADE_KEYS.index(item[0][1]), GRADE_KEYS.index(item[2][1])
        if first > last:
            return None  # written backwards: never guess which was meant
        return list(GRADE_KEYS[first:last + 1])
    return None
