"""What counts as the same name, in one place: companies, schools, page addresses, letters A–Z.

Names typed by staff are compared folded: accents dropped, letters such as Æ, Ø, Ł
spelled out, then only letters and digits, lowercased. Two names are the same name when
their ``name_key`` is equal ("ACME Learning!" and "Acme-learning" are one company); the
typo warning of ``check`` compares the same keys, page addresses (``slugify``) and the
letters of "Companies A–Z" (``initial``) are made from the same folding. Pure functions.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from typing import Iterable

# Letters that Unicode does not decompose into an ASCII letter and a mark.
_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans({
    "Æ": "AE", "æ": "ae", "Ø": "O", "ø": "o", "Œ": "OE", "œ": "oe", "ß": "ss", "Ł": "L", "ł": "l",
    "Đ": "D", "đ": "d", "Ð": "D", "ð": "d", "Þ": "TH", "þ": "th", "Ħ": "H", "ħ": "h", "ı": "i"})
_NOT_LETTER_OR_DIGIT = re.compile(r"[^a-z0-9]+")

MAX_SLUG_LENGTH = 80


def ascii_letters(name: str) -> str:
    """``name`` in ASCII, accents dropped and letters such as Æ, Ø, Ł spelled out: Ørsted → Orsted."""
    folded = unicodedata.normalize("NFKD", name.translate(_LETTERS_WITHOUT_DECOMPOSITION))
    return folded.encode("ascii", "ignore").decode()


def _folded(name: str) -> str:
    return ascii_letters(name).lower()


def name_key(name: str) -> str:
    """The key under which names are one: their letters and digits, folded ("acmelearning").

    A name with none (written in another script, "日本語") is its own key.
    """
    return _NOT_LETTER_OR_DIGIT.sub("", _folded(name)) or name


def group_names(names: Iterable[str]) -> dict[str, str]:
    """``name_key`` → the spelling to show.

    The most frequent spelling wins, then the first in code-point order, so that the
    choice never depends on the order of the files.
    """
    spellings: dict[str, Counter] = defaultdict(Counter)
    for name in names:
        spellings[name_key(name)][name] += 1
    return {key: min(counter, key=lambda spelling: (-counter[spelling], spelling))
            for key, counter in spellings.items()}


def slugify(name: str) -> str:
    """The part of a page address made from a name: its folded letters and digits joined by
    hyphens ("acme-learning"), at most ``MAX_SLUG_LENGTH`` characters.

    Compatibility forms can spell one character as several (``㎯`` is ``rad∕s2``), so a name
    of 200 characters could exceed a file system's limit of 255 bytes per name: a long slug
    is cut and made unique with a hash of the whole name.
    """
    slug = _NOT_LETTER_OR_DIGIT.sub("-", _folded(name)).strip("-")
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    if len(slug) > MAX_SLUG_LENGTH:
        slug = slug[:MAX_SLUG_LENGTH - len(digest) - 1].rstrip("-") + "-" + digest
    return slug or "vendor-" + digest


def initial(name: str) -> str:
    """The letter A–Z that ``name`` is listed under, or ``#``: Ørsted → O, 3M → #."""
    letter = ascii_letters(name)[:1].upper()
    return letter if "A" <= letter <= "Z" else "#"
