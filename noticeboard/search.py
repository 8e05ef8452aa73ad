"""The search index: Pagefind run on the staged site, before it is swapped in.

Pagefind (PyPI ``pagefind[bin]``, whose wheel carries the binary) reads the pages and
writes ``pagefind/``: the index, per language, and ``pagefind.js``, which ``search.js``
loads. Everything stays on the site's own address.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import cbor2

from . import urls

ENTRY_FILE = "pagefind-entry.json"


class SearchIndexFailed(OSError):
    """Pagefind could not index the staged site."""


def index_site(staging: Path) -> None:
    """Write the search index into ``staging``; the same pages always give the same bytes."""
    output = staging / urls.SEARCH_INDEX
    command = [sys.executable, "-m", "pagefind", "--site", str(staging), "--output-path", str(output), "--quiet"]
    try:
        result = subprocess.run(command, capture_output=True, text=True)
    except OSError as error:
        raise SearchIndexFailed(f"Pagefind could not be started: {error.strerror}") from error
    if result.returncode != 0:
        reason = (result.stderr or result.stdout).strip().splitlines()
        raise SearchIndexFailed(f"Pagefind could not index the site: {reason[-1] if reason else result.returncode}")
    _make_reproducible(output)


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
