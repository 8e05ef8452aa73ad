"""The search index: Pagefind run on the staged site, before it is swapped in.

Pagefind (PyPI ``pagefind[bin]``, whose wheel carries the binary) reads the pages and
writes ``pagefind/``: the index, per language, and ``pagefind.js``, which ``search.js``
loads. Everything stays on the site's own address.

Pagefind indexes on one core, and each language's index is its own set of files: so each
language is indexed by a Pagefind of its own, at the same time, into a folder of its own,
and the folders are then merged. The result is the same bytes as one Pagefind over the
whole site (a test compares them).
"""
from __future__ import annotations

import functools
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Callable

import cbor2
import yaml

from .. import urls
from ..load.settings import DEFAULTS
from .write import FileIdentity

ENTRY_FILE = "pagefind-entry.json"
TIMEOUT_SECONDS, PER_PAGE_SECONDS = 300, 0.1  # far more than Pagefind takes; a hung one is stopped
SAID_BYTES, SAID_LINES, SAID_LINE = 16_384, 3, 300  # what of Pagefind's messages an error line quotes


SEARCH_WORDS = DEFAULTS / "search-words.yml"


@functools.cache
def search_words(lang: str) -> dict[str, tuple[str, ...]]:
    """Page kind → the words parents search for that its pages do not use, in ``lang``
    (``defaults/search-words.yml``): indexed with those pages, never shown."""
    words: dict[str, tuple[str, ...]] = {}
    for entry in yaml.safe_load(SEARCH_WORDS.read_text(encoding="utf-8")):
        for kind in entry["pages"]:
            words[kind] = words.get(kind, ()) + tuple(entry["words"].get(lang, ()))
    return words


class SearchIndexFailed(OSError):
    """Pagefind could not index the staged site."""


def index_site(staging: Path, languages: list[str] | None = None) -> None:
    """Write the search index into ``staging``; the same pages always give the same bytes.

    ``languages`` are the site's, the default first; the pages of each further language are
    under its own folder (``es/``). Without them, one Pagefind indexes every page.
    """
    output = staging / urls.SEARCH_INDEX
    deadline = time.monotonic() + TIMEOUT_SECONDS + PER_PAGE_SECONDS * _pages(staging)
    if not languages or len(languages) == 1:
        _finished(_start_pagefind(staging, output, None), deadline)
        _readable_index(_make_reproducible, output)
    else:
        _index_each_language(staging, output, languages, deadline)


def _pages(staging: Path) -> int:
    return sum(name.endswith(".html") for _, _, names in os.walk(staging) for name in names)


def _index_each_language(staging: Path, output: Path, languages: list[str], deadline: float) -> None:
    default, *others = languages
    folders = {lang: staging / f".{urls.SEARCH_INDEX.strip('/')}-{lang}" for lang in languages}
    sections = sorted(entry.name for entry in staging.iterdir()
                      if entry.is_dir() and entry.name not in others and not entry.name.startswith("."))
    globs = {lang: f"{lang}/**/*.html" for lang in others}
    globs[default] = "{" + ",".join(["*.html", *(f"{name}/**/*.html" for name in sections)]) + "}"
    running: dict[str, _Indexing] = {}
    try:
        for lang in languages:
            running[lang] = _start_pagefind(staging, folders[lang], globs[lang])
        for indexing in running.values():
            _finished(indexing, deadline)
        _readable_index(_merge, folders, output)
        _readable_index(_make_reproducible, output)
    finally:
        for indexing in running.values():
            indexing.stop()
        for folder in folders.values():
            shutil.rmtree(folder, ignore_errors=True)


def _readable_index(step: Callable, *args) -> None:
    """Run a step that reads what Pagefind wrote; an index it cannot read is one clear error."""
    try:
        step(*args)
    except SearchIndexFailed:
        raise
    except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError) as error:
        where = f" ({Path(error.filename).name})" if getattr(error, "filename", None) else ""
        raise SearchIndexFailed(f"Pagefind wrote an index that cannot be read{where}: {type(error).__name__}: "
                                f"{_first_lines(str(error))}") from error


def _merge(folders: dict[str, Path], output: Path) -> None:
    """The languages' index folders as one: their files side by side, their entry files as one."""
    entry = None
    for folder in folders.values():
        own = json.loads((folder / ENTRY_FILE).read_text(encoding="utf-8"))
        if entry is None:
            entry = own
        else:
            entry["languages"].update(own["languages"])
        for root, _, names in os.walk(folder):
            target = output / Path(root).relative_to(folder)
            target.mkdir(parents=True, exist_ok=True)
            for name in names:
                if name != ENTRY_FILE:
                    os.replace(Path(root) / name, target / name)
    (output / ENTRY_FILE).write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


@dataclass
class _Indexing:
    """A Pagefind running, and the file that takes what it says (a pipe could fill, and hang it)."""
    process: subprocess.Popen
    said: IO[bytes]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.said.close()


def pagefind_command(staging: Path, output: Path, glob: str | None) -> list[str]:
    command = [*_pagefind_program(), "--site", str(staging), "--output-path", str(output), "--quiet"]
    return command + ["--glob", glob] if glob else command


def _pagefind_program() -> list[str]:
    """Pagefind's binary, found as ``python -m pagefind`` finds it (``pagefind.service.get_executable``:
    $PAGEFIND_BINARY_PATH, the wheel's, then PATH) but without a Python process before each run."""
    from pagefind.service import get_executable

    found = get_executable()
    return [str(found)] if found is not None else [sys.executable, "-m", "pagefind"]


def _start_pagefind(staging: Path, output: Path, glob: str | None) -> _Indexing:
    said = tempfile.TemporaryFile()
    try:
        process = subprocess.Popen(pagefind_command(staging, output, glob), stdin=subprocess.DEVNULL,
                                   stdout=said, stderr=subprocess.STDOUT)
    except OSError as error:
        said.close()
        raise SearchIndexFailed(f"Pagefind could not be started: {error.strerror}") from error
    return _Indexing(process, said)


def _finished(indexing: _Indexing, deadline: float) -> None:
    try:
        indexing.process.wait(timeout=max(0.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        indexing.stop()
        raise SearchIndexFailed("Pagefind did not finish in the time a site of this size takes; it was stopped. "
                                "Build again; if it stops again, report it with the Pagefind version") from None
    if indexing.process.returncode != 0:
        indexing.said.seek(0)
        said = _first_lines(indexing.said.read(SAID_BYTES).decode("utf-8", "replace"))
        raise SearchIndexFailed(f"Pagefind could not index the site: {said or f'exit {indexing.process.returncode}'}")


def _first_lines(text: str) -> str:
    """What a tool said, cut to its first few lines: its first error, never megabytes of log."""
    lines = [line.strip()[:SAID_LINE] for line in text.splitlines() if line.strip()][:SAID_LINES]
    return " / ".join(lines)


# Pagefind's index files: gzip, then this signature, then CBOR.
_SIGNATURE = b"pagefind_dcd"


def _read(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise SearchIndexFailed(f"Pagefind wrote {path.name} in a form this version does not know")
    return cbor2.loads(data[len(_SIGNATURE):])


def _write(folder: Path, prefix: str, name_length: int, suffix: str, value) -> str:
    """Write ``value`` as a Pagefind file named by its content; returns the name's hash part."""
    data = _SIGNATURE + cbor2.dumps(value)
    digest = f"{prefix}_{hashlib.sha256(data).hexdigest()[:name_length]}"
    (folder / f"{digest}{suffix}").write_bytes(gzip.compress(data, mtime=0))
    return digest


def _make_reproducible(output: Path) -> None:
    """Give the files that Pagefind writes in hash-map order one order, and names from their content.

    Pagefind 1.x lists languages, filters and filter values in an order that varies from run
    to run (its fragments and word index are stable). Each language's ``.pf_meta`` names its
    filter files, and ``pagefind-entry.json`` names the ``.pf_meta`` files: both are rewritten.
    """
    entry_path = output / ENTRY_FILE
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, about in entry.get("languages", {}).items():
        meta_path = output / f"pagefind.{about['hash']}.pf_meta"
        meta = _read(meta_path)
        filters = []
        for name, digest in meta[3]:
            filter_path = output / "filter" / f"{digest}.pf_filter"
            filter_name, values = _read(filter_path)
            filter_path.unlink()
            ordered = sorted([value, sorted(pages)] for value, pages in values)
            filters.append([name, _write(output / "filter", language, 7, ".pf_filter", [filter_name, ordered])])
        meta[3] = sorted(filters)
        meta_path.unlink()
        about["hash"] = _write(output, f"pagefind.{language}", 10, ".pf_meta", meta).removeprefix("pagefind.")
    entry["languages"] = dict(sorted(entry.get("languages", {}).items()))
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def index_made_from(pages: dict[str, bytes | None]) -> bytes | None:
    """What the index is made from: every page, by its path and a digest of its bytes (None: a page whose
    bytes are not known, so the index is made again), and the Pagefind that indexes them."""
    if any(content is None for content in pages.values()):
        return None
    program = _pagefind_program()
    status = os.stat(program[0])
    digest = hashlib.blake2b(repr((program, status.st_size, status.st_mtime_ns)).encode(), digest_size=16)
    for path in sorted(pages):
        digest.update(f"{path}\0".encode())
        digest.update(pages[path])
    return digest.digest()


def index_files(out: Path) -> dict[str, FileIdentity]:
    """The files of the search index in ``out``, by their paths in the site."""
    folder = out / urls.SEARCH_INDEX
    return {Path(root, name).relative_to(out).as_posix(): FileIdentity.of(Path(root, name))
            for root, _, names in os.walk(folder) for name in names}


def link_index(staging: Path, previous: Path, files: dict[str, FileIdentity]) -> bool:
    """Link the search index of the ``previous`` output into ``staging``, when each of its ``files`` is as the
    build that made it left it; False when one is not (nothing is linked then)."""
    folders: set[Path] = set()
    try:
        for relative, identity in files.items():
            source, target = previous / relative, staging / relative
            if not identity.matches(source):
                raise FileNotFoundError(relative)
            if target.parent not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            os.link(source, target)
    except OSError:
        shutil.rmtree(staging / urls.SEARCH_INDEX, ignore_errors=True)
        return False
    return bool(files)
