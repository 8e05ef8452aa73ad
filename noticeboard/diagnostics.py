"""Problems found in content, collected for the whole run and reported together.

Each diagnostic is one line, ``PATH:LINE: level: FIELD: message [NB104]``, ending with the
permanent code of its kind (``codes.py``); its level is the code's, except that a warning may
be reported as a ``note``: a line that informs only, never changing the exit status, counted
apart (a document's accessibility, for a record posted before the ADA Title II date). Where a problem is in a
field of a file that was read, the place is derived from the field's location in the file
(``report.at(source, ("amends",), codes.AMENDS_UNKNOWN, …)``), so that the line and the
field named can never disagree. A reporter (``reporter.py``) shows them, with a GitHub Actions
annotation for each under CI.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from .codes import ERROR, NOTE, WARNING, Code

__all__ = ["ERROR", "NOTE", "WARNING", "Diagnostic", "Report", "annotation", "field_name", "one_line", "plural"]

_LINE_BREAKING = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def one_line(text: str) -> str:
    """``text`` with line breaks and control characters written as escapes (``\\n``).

    One diagnostic is always one line, so that a value from content can never start a
    line of its own: not a fake diagnostic, not a GitHub Actions workflow command.
    """
    return _LINE_BREAKING.sub(lambda found: found[0].encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True)
class Diagnostic:
    path: str
    line: int
    field: str
    message: str
    code: Code
    note: bool = False  # a warning reported as a note

    @property
    def level(self) -> str:
        return NOTE if self.note else self.code.level

    def format(self) -> str:
        return (f"{one_line(self.path)}:{self.line}: {self.level}: {one_line(self.field)}: "
                f"{one_line(self.message)} [{self.code.code}]")

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.level != ERROR, self.note, self.field, self.message, self.code.code)


class Place(Protocol):
    """What a diagnostic needs of a file that was read: ``reader.Source``."""

    path: str

    def place(self, loc: Any, missing: bool = False, entry: int | None = None) -> tuple[int, str]:
        """The line and the field name of ``loc``."""


@dataclass
class Report:
    """Every diagnostic of one run, so that staff fix all of them in one round."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def at(self, source: Place, loc: Any, code: Code, message: str, *, entry: int | None = None,
           note: bool = False) -> None:
        """A problem of the field at ``loc`` of ``source`` (or of its text, ``reader.BODY``), on its line.

        With ``entry``, a problem of that entry of the list at ``loc``, whose message names the
        entry: on the entry's line, under the list's name (``student_data``, as the format shows).
        With ``note``, a warning's ``code`` reported as a note.
        """
        if note and code.level != WARNING:
            raise ValueError(f"only a warning may be reported as a note, not {code!r}")
        line, name = source.place(loc, entry=entry)
        self._add(Diagnostic(source.path, line, name, message, code, note))

    def missing(self, source: Place, loc: Any, code: Code, message: str, *, note: bool = False) -> None:
        """A field at ``loc`` that ``source`` lacks: on the line of what should hold it (line 1 for a record's own)."""
        if note and code.level != WARNING:
            raise ValueError(f"only a warning may be reported as a note, not {code!r}")
        line, name = source.place(loc, missing=True)
        self._add(Diagnostic(source.path, line, name, message, code, note))

    def in_file(self, path: str, code: Code, message: str, *, line: int = 1, field: str = "file",
                note: bool = False) -> None:
        """A problem of a file as a whole (its name, bytes, YAML), found before or instead of its fields."""
        if note and code.level != WARNING:
            raise ValueError(f"only a warning may be reported as a note, not {code!r}")
        self._add(Diagnostic(path, line, field, message, code, note))

    def _add(self, diagnostic: Diagnostic) -> None:
        if not isinstance(diagnostic.code, Code):
            raise TypeError(f"a diagnostic needs a code of codes.py, not {diagnostic.code!r}")
        self.diagnostics.append(diagnostic)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.level == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.level == WARNING]

    @property
    def notes(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.level == NOTE]

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.diagnostics), key=Diagnostic.sort_key)

    def lines(self) -> list[str]:
        return [d.format() for d in self.sorted()]


def annotation(diagnostic: Diagnostic) -> str:
    """``diagnostic`` as a GitHub Actions workflow command, shown on its line of a pull request."""
    def escape(text: str, property_value: bool = False) -> str:
        text = one_line(text).replace("%", "%25")
        return text.replace(":", "%3A").replace(",", "%2C") if property_value else text

    command = {ERROR: "error", WARNING: "warning", NOTE: "notice"}[diagnostic.level]
    title = f"{diagnostic.field} [{diagnostic.code.code} {diagnostic.code.name}]"
    return (f"::{command} file={escape(diagnostic.path, True)},line={diagnostic.line},"
            f"title={escape(title, True)}::{escape(diagnostic.message)}")


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"


def field_name(loc: tuple) -> str:
    """``("documents", 0, "file")`` → ``documents[1].file``: list items count from 1."""
    name = ""
    for part in loc:
        if isinstance(part, int):
            name += f"[{part + 1}]"
        else:
            name += ("." if name else "") + str(part)
    return name or "front matter"
