"""What reading each content file gave, kept on disk between builds: the build cache.

``build``, ``check`` and ``announce`` read every file of ``content/`` (its YAML, the validation
of its fields, the documents it links, the Markdown of its texts); at 1,000 notices that is
two seconds of each run, nearly all of it spent on files that did not change. The loader asks
this cache through the same two functions that ask the preview's ``FileMemo``
(``content._remembered``); the cache gives back what the file gave last time, with its
diagnostics, when nothing it was read from has changed, and reads it otherwise.

An entry is found by its key, a SHA-256 over everything the reading of a file depends on:

- the version of this cache's format, and of the code (``code_version``: every source file and
  template of the package, and the versions of Python and of the libraries that shape what is
  read: PyYAML and libyaml, Markdown, pydantic, nh3);
- the kind of file (a notice, a policy, site.yml…) and the context the loader reads it with
  (the build date, the languages of the site);
- the file's path as the loader spells it, its absolute path, the working directory (the paths
  of diagnostics are relative to it), where the file and its folders lead when they are links;
- the file's bytes.

An entry holds the value, its diagnostics, the further files the reading looked at (the
documents a notice links, the interface catalogs of site.yml), each with a digest of its bytes
and where it leads, and the Markdown conversions made while the file was read. A further file
that differs now (in its bytes, or gone, or come) makes the entry a miss: an entry is never used
stale. On a hit, the conversions are handed to ``markdown_text`` so that rendering does not
convert again.

Entries are pickle files, ``<folder>/<first two hex digits>/<key>``, written to a temporary
file and renamed into place, so that a reader sees a whole entry or none. Unpickling runs code
that an entry names: the folder must be writable by its user only (it is made with mode 0700).
Anything wrong with the cache (an entry unreadable, truncated or from elsewhere, a folder that
cannot be made or written) is a miss, never an error: the build reads the file, and the output
is what it would be without the cache. A cache that cannot be written is left alone for the
rest of the run, after one note on standard error.
"""
from __future__ import annotations

import copyreg
import functools
import hashlib
import io
import os
import pickle
import stat
import sys
from pathlib import Path
from typing import Any, Callable, Hashable, Iterable, Mapping

from . import markdown_text, program
from .codes import CODES, Code
from .diagnostics import Diagnostic, Report
from .reader import MAX_FILE_BYTES

FORMAT = 1  # of the key and of an entry; a change makes every entry a miss
VARIABLE = "NOTICEBOARD_CACHE_DIR"

Read = Callable[[Report], tuple[Any, Iterable[str]]]  # a file's value, and the further files it looked at
Fingerprint = tuple  # what a further file was when a value was read: where it leads, and its bytes or its absence


class CacheRefused(ValueError):
    """The cache's location is inside the content or the output."""


def location(environ: Mapping[str, str] = os.environ) -> tuple[Path, str]:
    """The cache's folder, and where it comes from (for messages)."""
    given = environ.get(VARIABLE)
    if given:
        return Path(os.path.abspath(os.path.expanduser(given))), f"{VARIABLE}={given}"
    xdg = environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):  # the XDG specification ignores a relative path
        return Path(xdg) / "noticeboard", f"XDG_CACHE_HOME={xdg}"
    return Path(os.path.expanduser("~")) / ".cache" / "noticeboard", "the default location"


def open_cache(content: Path, out: Path | None = None, environ: Mapping[str, str] = os.environ) -> DiskCache:
    """The cache of ``location``; raises ``CacheRefused`` when it lies inside ``content`` or ``out``."""
    folder, origin = location(environ)
    real = os.path.realpath(folder)
    for place, what in ((content, "the content directory {}, where nothing is ever written"),
                        (out, "the output directory {}, which each build replaces")):
        if place is not None and _inside(real, os.path.realpath(place)):
            raise CacheRefused(f"the build cache {folder} ({origin}) is inside {what.format(place)}; "
                               f"set {VARIABLE} to a folder outside it, or use --no-cache")
    return DiskCache(folder)


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


@functools.cache
def code_version() -> str:
    """A digest of what the code that reads content is: the package's sources and templates, read
    once per process, and the versions of Python and of the libraries whose behaviour shapes what
    a file gives."""
    return package_digest(Path(__file__).resolve().parent, _library_versions())


def package_digest(package: Path, libraries: tuple) -> str:
    """SHA-256 of every ``.py`` file and template of ``package``, by path, and of ``libraries``."""
    digest = hashlib.sha256()
    sources = [path for path in package.rglob("*") if path.is_file() and "__pycache__" not in path.parts
               and (path.suffix == ".py" or path.relative_to(package).parts[0] == "templates")]
    for path in sorted(sources):
        data = path.read_bytes()
        digest.update(f"{path.relative_to(package).as_posix()}\0{len(data)}\0".encode())
        digest.update(data)
    digest.update(repr(libraries).encode())
    return digest.hexdigest()


def _library_versions() -> tuple:
    import markdown
    import nh3
    import pydantic
    import pydantic_core
    import yaml

    try:
        from yaml import _yaml
        libyaml = _yaml.get_version_string()
    except ImportError:
        libyaml = None
    return (sys.version, sys.implementation.cache_tag, yaml.__version__, libyaml, markdown.__version__,
            pydantic.VERSION, pydantic_core.__version__, getattr(nh3, "__version__", None))


def _code_named(code: str) -> Code:
    return _CODES[code]


_CODES = {code.code: code for code in CODES}
_DISPATCH = copyreg.dispatch_table.copy()
_DISPATCH[Code] = lambda code: (_code_named, (code.code,))  # a code is its entry in codes.py, not a copy of it


class DiskCache:
    """The entries under ``folder``; one instance for one run (it remembers what it saw of folders)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.hits = self.misses = self.written = 0
        self._unwritable = False
        self._shards: set[str] = set()  # the shard folders known to exist
        self._folders: dict[str, tuple[str, bool]] = {}  # a folder → where it leads, and whether it is a link
        self._further: dict[str, Fingerprint] = {}  # a further file → its fingerprint, taken once per run

    def load(self, kind: str, path: str, context: Hashable, read: Read, report: Report) -> Any:
        """``read(report)``'s value for the file at ``path``, from the entry of its key when there is one
        and every further file it looked at is as it was; its diagnostics are added to ``report``."""
        data = _contents(path)
        if data is None:  # not a file (a folder, missing, too large): read as if there were no cache
            return read(report)[0]
        key = self._key(kind, path, context, data)
        entry = self._entry(key)
        if entry is not None:
            _, _, value, diagnostics, further, conversions = entry
            if all(self._fingerprint(file) == known for file, known in further):
                self.hits += 1
                markdown_text.remember(conversions)
                report.diagnostics.extend(diagnostics)
                return value
        self.misses += 1
        own = Report()
        with markdown_text.recorded() as conversions:
            value, others = read(own)
        further = tuple((file, self._fingerprint(file)) for file in dict.fromkeys(others) if file != path)
        if _contents(path) == data:  # not saved while it was read: what was read is what the key says
            self._store(key, (FORMAT, key, value, tuple(own.diagnostics), further, conversions))
        report.diagnostics.extend(own.diagnostics)
        return value

    def load_each(self, kind: str, paths: list[str], context: Hashable,
                  read: Callable[[str, Report], tuple[Any, Iterable[str]]], report: Report) -> list[Any]:
        """``load`` of each of ``paths`` (``read(path, report)``)."""
        return [self.load(kind, path, context, lambda own, path=path: read(path, own), report) for path in paths]

    def _key(self, kind: str, path: str, context: Hashable, data: bytes) -> str:
        absolute = os.path.abspath(path)
        parent = os.path.dirname(absolute)
        described = repr((FORMAT, code_version(), kind, context, path, absolute, os.getcwd(), self._leads_to(absolute),
                          self._folder(parent), self._folder(os.path.dirname(parent)))).encode()
        digest = hashlib.sha256(b"%d\0" % len(described))
        digest.update(described)
        digest.update(data)
        return digest.hexdigest()

    def _leads_to(self, absolute: str) -> str:
        """``os.path.realpath``, with the folder's taken once per run."""
        if os.path.islink(absolute):
            return os.path.realpath(absolute)
        folder, name = os.path.split(absolute)
        return os.path.join(self._folder(folder)[0], name)

    def _folder(self, folder: str) -> tuple[str, bool]:
        """Where ``folder`` leads and whether it is a link itself (the loader refuses links out of content/)."""
        known = self._folders.get(folder)
        if known is None:
            known = self._folders[folder] = (os.path.realpath(folder), os.path.islink(folder))
        return known

    def _fingerprint(self, path: str) -> Fingerprint:
        """Where a further file leads, and the digest of its bytes (or why there are none: missing, a folder)."""
        known = self._further.get(path)
        if known is None:
            absolute = os.path.abspath(path)
            where = (self._leads_to(absolute), self._folder(os.path.dirname(absolute)))
            try:
                with open(absolute, "rb") as handle:
                    mode = os.fstat(handle.fileno()).st_mode
                    bytes_ = _digest(handle) if stat.S_ISREG(mode) else None
                known = where + (stat.S_IFMT(mode), bytes_)
            except OSError as error:
                known = where + (None, error.errno)
            self._further[path] = known
        return known

    def _entry(self, key: str) -> tuple | None:
        try:
            with open(self.folder / key[:2] / key, "rb") as handle:
                entry = pickle.loads(handle.read())  # at once: pickle.load reads a file in many small pieces
        except FileNotFoundError:
            return None
        except Exception:  # unreadable, truncated, corrupt, of another version: any of these is a miss
            return None
        if (not isinstance(entry, tuple) or len(entry) != 6 or entry[:2] != (FORMAT, key)
                or not isinstance(entry[3], tuple) or not all(isinstance(d, Diagnostic) for d in entry[3])
                or not isinstance(entry[4], tuple) or not isinstance(entry[5], dict)):
            return None
        return entry

    def _store(self, key: str, entry: tuple) -> None:
        if self._unwritable:
            return
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dispatch_table = _DISPATCH
        try:
            pickler.dump(entry)
        except Exception:  # a value that cannot be pickled is read again next time
            return
        shard = self.folder / key[:2]
        temporary = None
        try:
            if key[:2] not in self._shards:
                self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                shard.mkdir(mode=0o700, exist_ok=True)
                self._shards.add(key[:2])
            temporary = shard / f".{key}.{os.getpid()}.tmp"  # another run writes the same entry under its own name
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
            with open(descriptor, "wb", closefd=True) as handle:
                handle.write(buffer.getbuffer())
            os.replace(temporary, shard / key)
            temporary = None
            self.written += 1
        except OSError as error:
            self._unwritable = True
            print(f"{program()}: note: the build cache cannot be written ({error.filename or self.folder}: "
                  f"{error.strerror or error}); going on without it", file=sys.stderr)
        finally:
            if temporary is not None:
                try:
                    os.unlink(temporary)
                except OSError:
                    pass


def _digest(handle) -> str:
    """SHA-256 of what is left to read of ``handle`` (``hashlib.file_digest`` is Python 3.11)."""
    digest = hashlib.sha256()
    while chunk := handle.read(1 << 20):
        digest.update(chunk)
    return digest.hexdigest()


def _contents(path: str) -> bytes | None:
    """The bytes of the regular file at ``path``; None when it is anything else or cannot be read."""
    try:
        with open(path, "rb") as handle:
            status = os.fstat(handle.fileno())
            if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_FILE_BYTES:
                return None
            return handle.read()
    except OSError:
        return None
