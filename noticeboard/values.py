"""Values of content with no pydantic: the patterns of slugs, keys and dates, months, the
documents the site publishes, e-mail addresses and domains, "did you mean". Modules that need a
value and not a model import it from here."""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
POLICY_NUMBER_PATTERN = re.compile(r"\d{4}(?:\.\d+)*")
LANGUAGE_PATTERN = re.compile(r"[a-z]{2,3}")
ELEMENT_KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,63}")
ISO_DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")  # the one way dates are written, in content and --today

# Dates written another way, for the "did you mean" of an error: what spreadsheets, contracts and web pages
# write (6/14/2021, June 14, 2021, Monday, June 14, 2021, 14 June 2021, 14 de junio de 2021,
# 2021-06-14T05:00:00Z, June 14, 2021 at 5:00:00 AM), a time of day after any of them.
_TIME = (r"(?:(?:\s*,)?(?:\s+at|\s*T|\s)\s*[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?"
         r"(?:\s*[AaPp]\.?\s?[Mm]\.?)?(?:\s*(?:Z|UTC|GMT|[+-][0-9]{2}(?::?[0-9]{2})?))?)?")
_US_DATE = re.compile(rf"(\d{{1,2}})/(\d{{1,2}})/(\d{{2}}|\d{{4}}){_TIME}")
_ISO_DATE_TIME = re.compile(rf"(\d{{4}})-(\d{{2}})-(\d{{2}}){_TIME}")
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_MONTH_DAY_YEAR = re.compile(rf"{_WEEKDAY}([a-z]+)\.?\s*(\d{{1,2}})(?:st|nd|rd|th)?(?:\s*,\s*|\s+)(\d{{4}}){_TIME}",
                             re.IGNORECASE)
_DAY_MONTH_YEAR = re.compile(rf"{_WEEKDAY}(\d{{1,2}})(?:st|nd|rd|th)?\.?(?:\s+|-)(?:de\s+)?([a-z]+)\.?,?(?:\s+|-)"
                             rf"(?:de\s+|del\s+)?(\d{{4}}){_TIME}", re.IGNORECASE)
_MONTHS = {name: number for number, names in enumerate((
    "january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul",
    "august aug", "september sep sept", "october oct", "november nov", "december dec"), 1)
    for name in names.split()}
_MONTHS.update({name: number for number, name in enumerate((  # Spanish, for a site in Spanish
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre").split(), 1)})
_MONTHS["setiembre"] = 9
US_MONTH = re.compile(r"(\d{1,2})/(\d{4})")
ISO_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True, order=True)
class Month:
    """A signing date known only to the month (``2022-04``): allowed in incomplete notices only."""

    year: int
    month: int

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def isoformat(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def __str__(self) -> str:
        return self.isoformat()


def first_day(value: "date | Month | None") -> date | None:
    """The day a date or month counts as when notices are ordered and compared."""
    return value.first_day if isinstance(value, Month) else value


def date_written_otherwise(text: str) -> date | None:
    """The day that ``text``, a date not written YYYY-MM-DD, names (``June 14, 2021`` → 2021-06-14), if any."""
    if found := _ISO_DATE_TIME.fullmatch(text):
        year, month, day = (int(part) for part in found.groups())
    elif found := _US_DATE.fullmatch(text):
        month, day, year = (int(part) for part in found.groups())
        year += 2000 if year < 100 else 0
    elif found := _MONTH_DAY_YEAR.fullmatch(text):
        month, day, year = _MONTHS.get(found[1].lower()), int(found[2]), int(found[3])
    elif found := _DAY_MONTH_YEAR.fullmatch(text):
        day, month, year = int(found[1]), _MONTHS.get(found[2].lower()), int(found[3])
    else:
        return None
    if month is None or not 1900 <= year <= 2999:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


MAX_NAME_LENGTH = 200

# The documents the site publishes, by ending: PDF, and office formats that browsers download
# rather than run (never .html, .svg or anything else that could run a script on the site).
ADA_TITLE_II_DATE = date(2027, 4, 26)  # 28 CFR 35.200: public entities of 50,000 people or more (2028-04-26 below)
DOCUMENT_TYPES = {".pdf": "PDF", ".docx": "Word", ".xlsx": "Excel", ".pptx": "PowerPoint",
                  ".odt": "OpenDocument", ".ods": "OpenDocument", ".odp": "OpenDocument"}
# The images that site.yml's logo may be: what every browser shows in an <img> (where an SVG runs no script).
IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif")

# --- contact.email: one e-mail address -------------------------------------------------------------------
# It is the Reply-To (or From) of the announcement e-mail and the target of the site's mailto: links, so
# it is one address and nothing else, written as parents type it. The part before the @ takes letters
# and digits of any script and . _ - + ' (not the rarer characters that the RFCs allow, which mailto:
# links would have to escape); the domain is a domain name, in any script, that IDNA can write in ASCII
# (xn--…) for the message's headers and the SMTP envelope. An address with letters outside ASCII before
# the @ is accepted: announce sends it with SMTPUTF8, and says so when the server cannot.
MAX_LOCAL_PART_OCTETS, MAX_DOMAIN_OCTETS, MAX_ADDRESS_OCTETS = 64, 253, 254  # RFC 5321 4.5.3.1
MAX_LABEL_OCTETS = 63  # RFC 1035 2.3.4
_LOCAL_PUNCTUATION = "._-+'"
_ASCII_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?", re.IGNORECASE)
_LINE_OR_CONTROL = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
EMAIL_EXAMPLE = "privacy@district.org"


def _letter_or_digit(character: str) -> bool:
    return character.isalnum() or unicodedata.category(character).startswith("M")


def ascii_domain(name: str) -> str | None:
    """``name`` in the ASCII form of the DNS (IDNA: ``escuela-ñ.org`` → ``xn--escuela--9za.org``), or
    None when it is no host name: labels of letters, digits and inner hyphens, each at most 63 octets.

    Python's own codec (IDNA 2003, with its nameprep mapping) does it, as ``socket`` does when it looks
    a name up: what it cannot encode, the machine could not reach either.
    """
    try:
        encoded = name.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    labels = encoded.split(".")
    if len(encoded) > MAX_DOMAIN_OCTETS or not all(
            _ASCII_LABEL.fullmatch(label) and len(label) <= MAX_LABEL_OCTETS for label in labels):
        return None
    return encoded


def email_address_problem(text: str) -> str | None:
    """What keeps ``text`` from being exactly one e-mail address such as privacy@district.org, or None."""
    if "<" in text or ">" in text:
        return f"is written with a name or < >; write the address alone, such as {EMAIL_EXAMPLE}"
    odd = next((c for c in text if c.isspace() or unicodedata.category(c) in _LINE_OR_CONTROL), None)
    if text.count("@") > 1 and (odd is not None or any(separator in text for separator in ",;")):
        return "holds more than one address; write only one"
    if odd is not None:
        what = "a space" if odd == " " else f"the character U+{ord(odd):04X}"
        return f"contains {what}; write one address, such as {EMAIL_EXAMPLE}"
    if text.count("@") != 1:
        return f"is not an e-mail address: it needs one @, as in {EMAIL_EXAMPLE}"
    local, _, domain = text.partition("@")
    if not local:
        return "has nothing before the @"
    if not all(_letter_or_digit(c) or c in _LOCAL_PUNCTUATION for c in local):
        return f"may have before the @ only letters, digits and {' '.join(_LOCAL_PUNCTUATION)}"
    if "" in local.split("."):
        return "has a dot at the start or end of the part before the @, or two dots in a row"
    if len(local.encode("utf-8")) > MAX_LOCAL_PART_OCTETS:
        return f"has more than {MAX_LOCAL_PART_OCTETS} characters before the @"
    encoded = ascii_domain(domain)
    if encoded is None or "." not in encoded or encoded.rpartition(".")[2].isdigit():
        return f"has '{domain}' after the @, which is not a domain name such as district.org"
    if len(local.encode("utf-8")) + 1 + len(encoded) > MAX_ADDRESS_OCTETS:
        return f"is longer than an e-mail address can be ({MAX_ADDRESS_OCTETS} characters)"
    return None


def did_you_mean(word: str, choices) -> str:
    match = difflib.get_close_matches(str(word), sorted(choices), n=1, cutoff=0.6)
    return f"; did you mean '{match[0]}'?" if match else ""
