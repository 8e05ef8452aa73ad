"""The characters that no published text may contain, in one place.

Reading refuses them in what staff typed; rendering drops any that a Markdown character
reference (``&#27;``) brings back, so that no page and no feed ever carries one.
"""
from __future__ import annotations

import re

# C0 controls but tab and line breaks, DEL, C1 controls, lone surrogates, Unicode's noncharacters
# (U+FDD0–U+FDEF and the last two code points of every plane: errors in HTML); and U+2028/U+2029,
# line breaks to YAML that would shift every line number after them.
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF)
                                          for plane in range(17))
_FORBIDDEN = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff{_NONCHARACTERS}]")
_NAMES = {"\x00": "NUL", "\x0b": "vertical tab, often pasted from a word processor", "\x0c": "form feed",
          "\x1b": "escape", "\x7f": "delete", "\u2028": "line separator, often pasted from a web page",
          "\u2029": "paragraph separator, often pasted from a web page"}


# What ends a line of a protocol or a header (CR, LF) and every other control character, tab included:
# none belongs in a one-line setting or header.
_CONTROL_OR_LINE_BREAK = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def control_or_line_break(text: str) -> re.Match | None:
    """The first control character or line break of ``text``, if any (tab, CR and LF included)."""
    return _CONTROL_OR_LINE_BREAK.search(text)


def on_one_line(text: str) -> str:
    """``text`` with each control character or line break made a space."""
    return _CONTROL_OR_LINE_BREAK.sub(" ", text)


def forbidden_character(text: str) -> str | None:
    """The first character of ``text`` that no published text may contain, if any."""
    found = _FORBIDDEN.search(text)
    return found[0] if found else None


def without_forbidden_characters(text: str) -> str:
    return _FORBIDDEN.sub("", text)


def describe_character(character: str) -> str:
    code = f"U+{ord(character):04X}"
    if "\ud800" <= character <= "\udfff":
        return f"{code} (half of a surrogate pair, not a character)"
    if ord(character) > 0x9f and character not in _NAMES:
        return f"{code} (a Unicode noncharacter)"
    return f"{code} ({_NAMES.get(character, 'a control character')})"
