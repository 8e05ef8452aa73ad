"""The one place that prints: commands and stages hand what they have to say to a reporter.

As Lektor's ``reporter.py``: ``ConsoleReporter`` writes to the terminal, ``BufferReporter``
keeps every event for a test to read, ``NullReporter`` drops them. Results go to standard
output, everything else (diagnostics, progress, notes, errors) to standard error.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

from . import program
from .diagnostics import Diagnostic, Report, annotation

RESULT, PROGRESS, NOTE, ERROR, DIAGNOSTIC = "result", "progress", "note", "error", "diagnostic"


class Reporter:
    """What a run tells its user. Subclasses decide where it goes; ``emit`` is the one thing they write."""

    def emit(self, kind: str, text: str, diagnostic: Diagnostic | None = None) -> None:
        raise NotImplementedError

    def result(self, text: str) -> None:
        """What the command made, on standard output: ``Built 302 pages into site/ (…)``."""
        self.emit(RESULT, text)

    def progress(self, text: str) -> None:
        """What is happening, on standard error: ``Preview rebuilt in 0.21 s …``."""
        self.emit(PROGRESS, text)

    def note(self, text: str) -> None:
        """``noticeboard: note: …``: something the user may want to know that changes no outcome."""
        self.emit(NOTE, f"{program()}: note: {text}")

    def error(self, text: str) -> None:
        """``noticeboard: error: …``: why the command stopped (not a diagnostic of a content file)."""
        self.emit(ERROR, f"{program()}: error: {text}")

    def diagnostic(self, diagnostic: Diagnostic, suffix: str = "") -> None:
        self.emit(DIAGNOSTIC, diagnostic.format() + suffix, diagnostic)

    def diagnostics(self, report: Report, notes: bool = True) -> None:
        """Every diagnostic, sorted. Without ``notes`` the notes are left out (``build`` counts them;
        ``check`` lists them): a district's older scanned contracts give thousands of lines."""
        for diagnostic in report.sorted():
            if notes or not diagnostic.note:
                self.diagnostic(diagnostic)


class ConsoleReporter(Reporter):
    """Standard output and error; under GitHub Actions each diagnostic also as an annotation on its line."""

    def __init__(self, annotate: bool | None = None):
        self.annotate = os.environ.get("GITHUB_ACTIONS") == "true" if annotate is None else annotate

    def emit(self, kind: str, text: str, diagnostic: Diagnostic | None = None) -> None:
        stream = sys.stdout if kind == RESULT else sys.stderr
        print(text, file=stream, flush=kind == PROGRESS)
        if diagnostic is not None and self.annotate:
            print(annotation(diagnostic), file=stream)


@dataclass
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
