"""Problems found in content, collected for the whole run and reported together."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"

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
    level: str = ERROR

    def format(self) -> str:
        return f"{one_line(self.path)}:{self.line}: {self.level}: {one_line(self.field)}: {one_line(self.message)}"

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.level != ERROR, self.field, self.message)


@dataclass
class Report:
    """Every diagnostic of one run, so that staff fix all of them in one round."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def error(self, path: str, line: int, field_name: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(path, line, field_name, message, ERROR))

    def warning(self, path: str, line: int, field_name: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(path, line, field_name, message, WARNING))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.level == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.level == WARNING]

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.diagnostics), key=Diagnostic.sort_key)

    def lines(self) -> list[str]:
        return [d.format() for d in self.sorted()]


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
