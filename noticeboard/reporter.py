"""The one place that prints, and the one table of exit codes.

Commands and the stages below them hand what they have to say to a reporter, as in Lektor's
``reporter.py``: ``ConsoleReporter`` writes to the terminal, ``BufferReporter`` keeps every event
for a test to read, ``NullReporter`` drops them. What a command made goes to standard output (a
``result`` line, or announce's message as ``output``); everything else goes to standard error,
so that ``announce > message.eml`` holds the message alone.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from enum import IntEnum

from . import program
from .diagnostics import Diagnostic, Report, annotation


class ExitCode(IntEnum):
    """The exit status of every command. The numbers are public (scripts and CI act on them; the content
    format fixes 0, 1 and 2): never renumber one."""

    meaning: str

    OK = 0, "done; warnings and notes do not change it (except under check --strict)"
    CONTENT = 1, "the content has errors (or warnings, under check --strict): nothing was written"
    USAGE = 2, "bad command-line usage: an unknown command or option, a bad value, a folder that is not there"
    MACHINE = 3, "the machine, not the content: a file that cannot be read or written, an SMTP server that refuses"
    INTERRUPTED = 130, "stopped by Ctrl+C (128 + SIGINT, as shells count)"

    def __new__(cls, value: int, meaning: str) -> ExitCode:
        member = int.__new__(cls, value)
        member._value_ = value
        member.meaning = meaning
        return member


RESULT, OUTPUT, SUMMARY, PROGRESS, NOTE, USAGE, ERROR, DIAGNOSTIC = (
    "result", "output", "summary", "progress", "note", "usage", "error", "diagnostic")


class Reporter:
    """What a run tells its user. Subclasses decide where it goes; ``emit`` is the one thing they write."""

    def emit(self, kind: str, text: str, diagnostic: Diagnostic | None = None) -> None:
        raise NotImplementedError

    def result(self, text: str) -> None:
        """A line of what the command made, on standard output: ``Built 302 pages into site/ (…)``."""
        self.emit(RESULT, text)

    def output(self, data: bytes) -> None:
        """Bytes that reach standard output unchanged: announce's message, with its CRLF line ends."""
        self.emit(OUTPUT, data.decode("utf-8", "surrogateescape"))

    def summary(self, text: str) -> None:
        """How the run went, on standard error: check's counts, ``Build failed: …``, ``Sent to 3 recipients …``."""
        self.emit(SUMMARY, text)

    def progress(self, text: str) -> None:
        """What is happening, on standard error, at once: ``Preview rebuilt in 0.21 s …``."""
        self.emit(PROGRESS, text)

    def note(self, text: str) -> None:
        """``noticeboard: note: …``: something the user may want to know that changes no outcome."""
        self.emit(NOTE, f"{program()}: note: {text}")

    def usage(self, text: str) -> None:
        """How to call the command (argparse's ``usage: …``), above the error of a bad call."""
        self.emit(USAGE, text)

    def error(self, text: str, command: str | None = None) -> None:
        """``noticeboard: error: …`` (``noticeboard new: error: …`` with ``command``): why the command
        stopped, when that is not a diagnostic of a content file."""
        self.emit(ERROR, f"{program()}{' ' + command if command else ''}: error: {text}")

    def interrupted(self, detail: str = "") -> None:
        """``noticeboard: interrupted; site/ was left as it was``: Ctrl+C, and what became of the output."""
        self.emit(ERROR, f"{program()}: interrupted{'; ' + detail if detail else ''}")

    def diagnostic(self, diagnostic: Diagnostic, suffix: str = "") -> None:
        self.emit(DIAGNOSTIC, diagnostic.format() + suffix, diagnostic)

    def diagnostics(self, report: Report, notes: bool = True) -> None:
        """Every diagnostic, sorted. Without ``notes`` the notes are left out (``build`` counts them;
        ``check`` lists them): a district's older scanned contracts give thousands of lines that would
        bury the errors and warnings of a build's log."""
        for diagnostic in report.sorted():
            if notes or not diagnostic.note:
                self.diagnostic(diagnostic)


class ConsoleReporter(Reporter):
    """Standard output and error; under GitHub Actions each diagnostic also as an annotation on its line."""

    def __init__(self, annotate: bool | None = None):
        self.annotate = os.environ.get("GITHUB_ACTIONS") == "true" if annotate is None else annotate

    def emit(self, kind: str, text: str, diagnostic: Diagnostic | None = None) -> None:
        if kind == OUTPUT:
            _write_unchanged(text)
            return
        stream = sys.stdout if kind == RESULT else sys.stderr
        print(text, file=stream, flush=kind == PROGRESS)
        if diagnostic is not None and self.annotate:
            print(annotation(diagnostic), file=stream)


def _write_unchanged(text: str) -> None:
    """``Reporter.output``'s bytes as they were; as text where standard output is not a file (a test's)."""
    sys.stdout.flush()
    if hasattr(sys.stdout, "buffer"):
        sys.stdout.buffer.write(text.encode("utf-8", "surrogateescape"))
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(text)


@dataclass(frozen=True)
class Event:
    kind: str
    text: str
    diagnostic: Diagnostic | None = None


@dataclass
class BufferReporter(Reporter):
    """Keeps every event, in order, for a test to assert on."""

    events: list[Event] = field(default_factory=list)

    def emit(self, kind: str, text: str, diagnostic: Diagnostic | None = None) -> None:
        self.events.append(Event(kind, text, diagnostic))

    def texts(self, kind: str | None = None) -> list[str]:
        return [event.text for event in self.events if kind is None or event.kind == kind]


class NullReporter(Reporter):
    def emit(self, kind: str, text: str, diagnostic: Diagnostic | None = None) -> None:
        pass
