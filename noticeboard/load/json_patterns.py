"""What ``python build.py schema`` writes for each type (tools/schemas.py): the ECMA-262 twins of
the validators of ``schema.py``, so that editors check a file as staff type. Validation never reads
these; tests/test_json_schema.py holds the two in step. Patterns are ECMA-262 regular expressions,
as JSON Schema wants: [0-9] rather than \\d, and "$(?!\\n)" to end a pattern, which reads the same in
Python's re (whose "$" alone also matches before a last newline)."""
from __future__ import annotations

from ..values import DOCUMENT_TYPES, IMAGE_TYPES, MAX_NAME_LENGTH

TEXT_TYPES = ("string", "number")  # Strict.coerce_numbers_to_str: a number written without quotes is text
JSON_PATTERN_END = r"$(?!\n)"
_YEAR = r"(?:19|2[0-9])[0-9]{2}"  # _plausible_year
_MONTH_DAY = (r"(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
              r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
              r"|02-(?:0[1-9]|1[0-9]|2[0-8]))")
_LEAP_YEAR = r"(?:(?:19|2[0-9])(?:0[48]|[2468][048]|[13579][26])|2[048]00)"
_DAY = rf"(?:{_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29)"
_YEAR_MONTH = rf"{_YEAR}-(?:0[1-9]|1[0-2])"
DATE_JSON_PATTERN = rf"^\s*{_DAY}\s*$"  # a real date of a plausible year; surrounding spaces are stripped
DATE_OR_MONTH_JSON_PATTERN = rf"^\s*(?:{_DAY}|{_YEAR_MONTH})\s*$"
MONTH_JSON_PATTERN = rf"^\s*{_YEAR_MONTH}\s*$"
DATE_HELP = "a date written YYYY-MM-DD, e.g. 2025-01-21 (quoted or not)"

# A name: after stripping the spaces around it, one line of 1 to MAX_NAME_LENGTH characters.
NAME_JSON_PATTERN = rf"^\s*\S(?:[^\n]{{0,{MAX_NAME_LENGTH - 2}}}\S)?\s*$"


def _endings(types) -> str:
    """The endings of ``types`` (".pdf", …) without their dots, in either case: pdf|PDF|Pdf…"""
    return "|".join("".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in ending[1:]) for ending in types)


_DOCUMENT_ENDING = _endings(DOCUMENT_TYPES)

# _document_file, after stripping: no leading / or \, no drive (C:), no '..' part, a DOCUMENT_TYPES ending.
DOCUMENT_FILE_JSON_PATTERN = (r"^(?!\s*[/\\])(?!\s*[A-Za-z]:)(?!\s*(?:[\s\S]*[/\\])?\.\.(?:[/\\]|\s*$))"
                              rf"[\s\S]*\.(?:{_DOCUMENT_ENDING})\s*$")

# web_address_problem (urls.py): http(s)://, a host, an optional port up to 65535, none of the characters
# that no address holds, no user name; a site root has no '?' query or '#' fragment.
_NOT_IN_ADDRESS = r"""\s"'<>`\\{}|^\x00-\x1f\x7f"""  # urls._NOT_IN_ADDRESS
_URL_CHARACTER = rf"[^{_NOT_IN_ADDRESS}]"
_HOST = rf"[^{_NOT_IN_ADDRESS}/?#@:\[\]]+"
_PORT = r"0*(?:[0-9]{1,4}|[0-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])"
_AUTHORITY = rf"^https?://{_HOST}(?::(?:{_PORT})?)?"  # urlsplit reads "host:" as no port
WEB_ADDRESS_JSON_PATTERN = rf"{_AUTHORITY}(?:[/?#]{_URL_CHARACTER}*)?{JSON_PATTERN_END}"
SITE_ROOT_JSON_PATTERN = rf"{_AUTHORITY}(?:/[^?#{_NOT_IN_ADDRESS}]*)?{JSON_PATTERN_END}"

# email_address_problem, as far as a pattern can say it: letters of other scripts are any character
# beyond Latin-1's controls (the validator takes only letters and digits there, and their IDNA form),
# and the lengths are not counted.
_OTHER_SCRIPT = r"[^\x00-\x9f\s\ufeff]"
_LOCAL_ATOM = rf"(?:[A-Za-z0-9_+'-]|{_OTHER_SCRIPT})+"
_LABEL_END = rf"(?:[A-Za-z0-9]|{_OTHER_SCRIPT})"
_LABEL = rf"{_LABEL_END}(?:(?:[A-Za-z0-9-]|{_OTHER_SCRIPT})*{_LABEL_END})?"
EMAIL_JSON_PATTERN = (rf"^\s*{_LOCAL_ATOM}(?:\.{_LOCAL_ATOM})*@{_LABEL}(?:\.{_LABEL})*"
                      rf"\.(?![0-9]+\s*$){_LABEL}\s*{JSON_PATTERN_END}")

# _logo_file: a path inside static/, parts separated by '/', none empty or starting with '.', without '\\', ':' or
# a control character, ending in an IMAGE_TYPES ending.
_LOGO_PART = r"[^/\\:.\x00-\x1f\x7f][^/\\:\x00-\x1f\x7f]*"
LOGO_FILE_JSON_PATTERN = rf"^(?:{_LOGO_PART}/)*{_LOGO_PART}\.(?:{_endings(IMAGE_TYPES)}){JSON_PATTERN_END}"
ACCENT_COLOUR_JSON_PATTERN = rf"^#[0-9a-fA-F]{{6}}{JSON_PATTERN_END}"  # colours.HEX_COLOUR

# _subscribe_address: an https:// address as web_address_problem takes it, or mailto: and one e-mail address
# (email_address_problem, as EMAIL_JSON_PATTERN says it, without spaces around it).
_MAILTO = (rf"mailto:{_LOCAL_ATOM}(?:\.{_LOCAL_ATOM})*@{_LABEL}(?:\.{_LABEL})*"
           rf"\.(?![0-9]+{JSON_PATTERN_END}){_LABEL}")
SUBSCRIBE_JSON_PATTERN = (rf"^(?:https://{_HOST}(?::(?:{_PORT})?)?(?:[/?#]{_URL_CHARACTER}*)?|{_MAILTO})"
                          rf"{JSON_PATTERN_END}")
