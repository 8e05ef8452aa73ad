"""What counts as the same name, in one place: companies, schools, page addresses, letters A–Z.

Two rules, both made from the same folding (accents dropped, letters such as Æ, Ø, Ł
spelled out, case ignored):

- **Companies** (``vendor_key``, format v3): two names are one company when they fold to the
  same text with case, accents, spaces, hyphens and a trailing period or comma aside
  ("Acme Learning, Inc." and "ACME-learning, inc" are one company). Any other character counts:
  "C++ Academy" and "C# Academy", "Prodigy+" and "Prodigy", "AT&T" and "ATT" are two companies,
  each on a page of its own.
- **Schools** and the typo warning of ``check`` (``name_key``): only letters and digits count
  ("St. Mary's" and "St Marys" are one school; "C++ Academy" and "C# Academy" look alike, so
  ``check`` asks whether they are one company spelled two ways).

Page addresses (``slugify``) and the letters of "Companies A–Z" (``initial``) are made from
the same folding; ``addresses`` gives companies whose names make the same address an address
each; ``folded_words`` gives the words of a name, plurals aside, that "did you mean" compares.
Pure functions.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from typing import Callable, Iterable, Mapping

# Letters that Unicode does not decompose into an ASCII letter and a mark.
_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans({
    "Æ": "AE", "æ": "ae", "Ø": "O", "ø": "o", "Œ": "OE", "œ": "oe", "ß": "ss", "Ł": "L", "ł": "l",
    "Đ": "D", "đ": "d", "Ð": "D", "ð": "d", "Þ": "TH", "þ": "th", "Ħ": "H", "ħ": "h", "ı": "i"})
_NOT_LETTER_OR_DIGIT = re.compile(r"[^a-z0-9]+")
# Characters that a company's name may have or lack and stay the name: spaces of any width,
# hyphens and dashes (Unicode category Pd), and the invisible ones that copying from a page brings.
_INVISIBLE = frozenset("\u00ad\u200b\u2060\ufeff")
_TRAILING = ".,"
# Signs that a page address spells out when two companies' names differ only in them.
SIGN_WORDS = {"+": "plus", "#": "sharp", "♯": "sharp", "&": "and", "@": "at", "%": "percent"}

MAX_SLUG_LENGTH = 80
_DIGEST_LENGTH = 8


def ascii_letters(name: str) -> str:
    """``name`` in ASCII, accents dropped and letters such as Æ, Ø, Ł spelled out: Ørsted → Orsted."""
    folded = unicodedata.normalize("NFKD", name.translate(_LETTERS_WITHOUT_DECOMPOSITION))
    return folded.encode("ascii", "ignore").decode()


def _folded(name: str) -> str:
    return ascii_letters(name).lower()


def _without_accents(name: str) -> str:
    """``name`` with the accents of Latin letters dropped (Café → Cafe, Ørsted → Orsted), every
    other character kept: signs, and the letters of other scripts with their marks (が stays が)."""
    decomposed = unicodedata.normalize("NFD", name.translate(_LETTERS_WITHOUT_DECOMPOSITION))
    kept: list[str] = []
    base = ""
    for char in decomposed:
        if unicodedata.combining(char):
            if not (base.isascii() and base.isalpha()):
                kept.append(char)
            continue
        base = char
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def _is_spacing(char: str) -> bool:
    return char.isspace() or char in _INVISIBLE or unicodedata.category(char) == "Pd"


def vendor_key(name: str) -> str:
    """The key under which companies' names are one (content format v3): the name folded, with
    case, accents, spaces, hyphens and a trailing period or comma aside ("acmelearning,inc").

    Every other character is kept: "C++ Academy" (``c++academy``) and "C# Academy"
    (``c#academy``) are two companies. A name of signs only is its own key.
    """
    folded = _without_accents(name).casefold()
    return "".join(char for char in folded if not _is_spacing(char)).rstrip(_TRAILING) or name


def name_key(name: str) -> str:
    """The key under which schools' names are one, and that the typo warning of ``check``
    compares: their letters and digits, folded ("acmelearning").

    A name with none (written in another script, "日本語") is its own key.
    """
    return _NOT_LETTER_OR_DIGIT.sub("", _folded(name)) or name


def group_names(names: Iterable[str], key: Callable[[str], str] = name_key) -> dict[str, str]:
    """``key`` (``name_key``, or ``vendor_key`` for companies) → the spelling to show.

    The most frequent spelling wins, then the first in code-point order, so that the
    choice never depends on the order of the files.
    """
    spellings: dict[str, Counter] = defaultdict(Counter)
    for name in names:
        spellings[key(name)][name] += 1
    return {folded: min(counter, key=lambda spelling: (-counter[spelling], spelling))
            for folded, counter in spellings.items()}


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:_DIGEST_LENGTH]


def _with_suffix(slug: str, suffix: str) -> str:
    return slug[:MAX_SLUG_LENGTH - len(suffix) - 1].rstrip("-") + "-" + suffix


def slugify(name: str) -> str:
    """The part of a page address made from a name: its folded letters and digits joined by
    hyphens ("acme-learning"), at most ``MAX_SLUG_LENGTH`` characters.

    Compatibility forms can spell one character as several (``㎯`` is ``rad∕s2``), so a name
    of 200 characters could exceed a file system's limit of 255 bytes per name: a long slug
    is cut and made unique with a hash of the whole name.
    """
    slug = _NOT_LETTER_OR_DIGIT.sub("-", _folded(name)).strip("-")
    digest = _digest(name)
    if len(slug) > MAX_SLUG_LENGTH:
        slug = _with_suffix(slug, digest)
    return slug or "vendor-" + digest


def signed_slug(name: str) -> str:
    """``slugify`` with the signs of ``SIGN_WORDS`` spelled out: "C++ Academy" → "c-plus-plus-academy"."""
    return slugify("".join(f" {SIGN_WORDS[char]} " if char in SIGN_WORDS else char
                           for char in unicodedata.normalize("NFKC", name)))


def _signs(key: str) -> int:
    """How many characters of a key are neither letters nor digits: the plainer name keeps a shared address."""
    return sum(not char.isalnum() for char in key)


def addresses(spellings: Mapping[str, str]) -> dict[str, str]:
    """``vendor_key`` → the slug of the company's page, a different one for each company.

    ``spellings`` is ``group_names(…, key=vendor_key)``. A company whose ``slugify`` no other
    company shares has that address. When several share one ("C++ Academy", "C# Academy" and
    "C Academy" all make ``c-academy``), the plainest name that makes it with its signs
    spelled out keeps it ("C Academy"), the others have their signs spelled out
    ("c-plus-plus-academy", "c-sharp-academy"), and a name that still meets another
    ("St. Mary's" next to "St Mary's") gets a short hash of its key ("st-mary-s-1a2b3c4d").
    The result depends on the set of names only, never on the order of the files.
    """
    plain = {key: slugify(name) for key, name in spellings.items()}
    sharing: dict[str, list[str]] = defaultdict(list)
    for key in sorted(plain):
        sharing[plain[key]].append(key)
    slugs: dict[str, str] = {}
    wanted: dict[str, str] = {}  # key → the address it would have with its signs spelled out
    for slug, keys in sharing.items():
        if len(keys) == 1:
            slugs[keys[0]] = slug
            continue
        spelled = {key: signed_slug(spellings[key]) for key in keys}
        keepers = sorted((key for key in keys if spelled[key] == slug), key=lambda key: (_signs(key), key))
        if keepers:
            slugs[keepers[0]] = slug
        wanted.update((key, spelled[key]) for key in keys if key not in slugs)
    taken = set(slugs.values())
    demand = Counter(wanted.values())
    for key in sorted(wanted):
        slug = wanted[key]
        if slug in taken or demand[slug] > 1:
            slug = _with_suffix(slug, _digest(key))
        while slug in taken:  # a company named "… 1a2b3c4d" has that address: hash again until it is free
            slug = _with_suffix(slug, hashlib.sha1(slug.encode("utf-8")).hexdigest()[:_DIGEST_LENGTH])
        taken.add(slug)
        slugs[key] = slug
    return slugs


# --- the words of a name, for "did you mean" (rules.ElementNames) -------------------------------------

_JOINING = re.compile(r"[-'\u2019.\u00ad]")  # e-mail is email, Pick-up is Pickup, student's is students
_BETWEEN_WORDS = re.compile(r"[^0-9a-z]+")


def _folded_word(word: str) -> str:
    """A word without its plural ending, English or Spanish: addresses, address → address; datos → dato."""
    if len(word) <= 3:
        return word  # IEP, bus, 504
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    return word[:-1] if word.endswith("e") and len(word) > 3 else word  # phones, phone → phon; direcciones → direccion


def folded_words(text: str) -> tuple[str, ...]:
    """The words of a name, folded so that case, accents, punctuation and plurals do not count:
    ``"Student e-mail addresses"`` → ``("student", "email", "address")``."""
    text = ascii_letters(text).casefold()
    return tuple(_folded_word(word) for word in _BETWEEN_WORDS.split(_JOINING.sub("", text)) if word)


def initial(name: str) -> str:
    """The letter A–Z that ``name`` is listed under, or ``#``: Ørsted → O, 3M → #."""
    letter = ascii_letters(name)[:1].upper()
    return letter if "A" <= letter <= "Z" else "#"
