"""What reading each content file gave, kept between the preview's rebuilds.

A save changes one file; reading and validating the other ten thousand again would take
seconds. The preview keeps one ``FileMemo`` for as long as it runs and tells it which files
changed (``forget``), from the file-system events of its watcher. Each entry remembers the
files it looked at (the record, and the documents it links) and what it was read with (the
site's languages): a change to any of them, or a different context, reads the
file again. ``stale`` compares every remembered file with the disk, for the preview's audit of
events that a file system may not deliver (a link's target changed elsewhere).

The values are never changed after they are stored: the loader copies a record before it
attaches translations, so that an unchanged value is the very same object as last time, which
is how the preview knows what did not change.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Callable, Hashable, Iterable

from ..diagnostics import Diagnostic, Report

Signature = tuple[int, int, int, int] | None  # what a save changes: time, change time, size, inode; None: no file


def signature(path: str) -> Signature:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_mtime_ns, status.st_ctime_ns, status.st_size, status.st_ino


@dataclass(frozen=True)
class Listing:
    """What a folder holds: the paths to read, and every name in it (to know when that changes)."""
    paths: list[str]
    names: frozenset[str]


@dataclass(frozen=True)
class _Entry:
    context: Hashable
    value: Any
    diagnostics: tuple[Diagnostic, ...]
    files: dict[str, Signature]  # every file the value depends on, as it was when read


class FileMemo:
    """The result of reading each content file, by path (as the loader spells it: absolute)."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self._dependents: dict[str, set[str]] = {}  # a file → the entries that depend on it

    def load(self, kind: str, path: str, context: Hashable, read: Callable[[Report], tuple[Any, Iterable[str]]],
             report: Report) -> Any:
        """``read(report)``'s value for ``path``, or last time's while nothing it depends on changed.

        ``kind`` (a notice, a policy…) is what the cache on disk also keys by (``cache.DiskCache``,
        which the loader asks the same way); a path is of one kind only, so the memo needs no more.

        ``read`` returns the value and the further files it looked at; its diagnostics are kept
        with the value and added to ``report`` each time, as if the file had been read again.
        """
        entry = self._entries.get(path)
        if entry is None or entry.context != context:
            before = signature(path)  # before reading: a save during the read is seen by the next audit
            own = Report()
            value, others = read(own)
            files = {path: before}
            files.update((other, signature(other)) for other in others if other != path)
            entry = _Entry(context, value, tuple(own.diagnostics), files)
            self._store(path, entry)
        report.diagnostics.extend(entry.diagnostics)
        return entry.value

    def load_each(self, kind: str, paths: list[str], context: Hashable,
                  read: Callable[[str, Report], tuple[Any, Iterable[str]]], report: Report) -> list[Any]:
        """``load`` of each of ``paths`` (``read(path, report)``), in a loop of its own: ten thousand
        files at every save, nearly all of them unchanged."""
        values = []
        entries, diagnostics = self._entries, report.diagnostics
        for path in paths:
            entry = entries.get(path)
            if entry is None or entry.context != context:
                values.append(self.load(kind, path, context, lambda own, path=path: read(path, own), report))
                continue
            values.append(entry.value)
            if entry.diagnostics:
                diagnostics.extend(entry.diagnostics)
        return values

    def _store(self, path: str, entry: _Entry) -> None:
        self._drop(path)
        self._entries[path] = entry
        for file in entry.files:
            self._dependents.setdefault(file, set()).add(path)

    def _drop(self, path: str) -> None:
        entry = self._entries.pop(path, None)
        for file in entry.files if entry else ():
            dependents = self._dependents.get(file)
            if dependents is not None:
                dependents.discard(path)
                if not dependents:
                    del self._dependents[file]

    def forget(self, paths: Iterable[str]) -> None:
        """Drop every entry that depends on one of ``paths`` (files, or folders with all they hold)."""
        for changed in paths:
            changed = os.path.abspath(changed)
            folder, name = os.path.split(changed)
            listed = self._entries.get(folder)
            if listed is not None and isinstance(listed.value, Listing) and (
                    (name in listed.value.names) != os.path.lexists(changed) or os.path.islink(changed)):
                self._drop(folder)  # a file came or went (or became a link): list the folder again
            if changed in self._dependents:
                for path in list(self._dependents[changed]):
                    self._drop(path)
                continue
            prefix = changed.rstrip(os.sep) + os.sep  # not a file read: maybe a folder moved or removed
            for file in [file for file in self._dependents if file.startswith(prefix)]:
                for path in list(self._dependents.get(file, ())):
                    self._drop(path)

    def stale(self) -> list[str]:
        """The files that differ on disk from when an entry read them."""
        current: dict[str, Signature] = {}
        found = set()
        for entry in list(self._entries.values()):
            for file, known in entry.files.items():
                if file not in current:
                    current[file] = signature(file)
                if current[file] != known:
                    found.add(file)
        return sorted(found)

    def __len__(self) -> int:
        return len(self._entries)
