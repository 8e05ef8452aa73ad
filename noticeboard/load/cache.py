"""What reading each content file gave, kept on disk between builds: the build cache.

``build``, ``check`` and ``announce`` read every file of ``content/`` (its YAML, the validation
of its fields, the documents it links, the Markdown of its texts); at 1,000 notices that is
two seconds of each run, nearly all of it spent on files that did not change. The loader asks
this cache through the same two functions that ask the preview's ``FileMemo``
(``content._remembered``); the cache gives back what the file gave last time, with its
diagnostics, when nothing it was read from has changed, and reads it otherwise.

An entry is found by its key, a SHA-256 over everything the reading of a file depends on:

- the version of this cache's format, and of the code (``code_version``: every source file and
  template of the package, its shipped vocabulary and series, and the versions of Python and of
  the libraries that shape what is read: PyYAML and libyaml, Markdown, pydantic, nh3);
- the kind of file (a notice, a policy, site.yml…) and the context the loader reads it with
  (the languages of the site; never the build date: loading does not depend on it);
- the file's path as the loader spells it, its absolute path, the working directory (the paths
  of diagnostics are relative to it), where the file and its folders lead when they are links;
- the file's bytes.

An entry holds the value, its diagnostics, the further files the reading looked at (the
documents a notice links, the interface catalogs of site.yml), each with its fingerprint: where
it leads, a digest of its bytes, and for a PDF the versions of pikepdf and QPDF that read it
(there, not in the key, so that a run that reads no PDF does not import pikepdf). The value
carries the Markdown conversions made while the file was read (``Source.markdown_html``), so a
hit converts nothing again. A further file that differs now (in its bytes, or gone, or come,
or read by another pikepdf) makes the entry a miss: an entry is never used stale.

The loader names the further files only after reading them, so their digests are taken after
the read. Before the first read of a run, the cache touches its folder, and waits until the
clock that stamps files has moved past that mark (at once where timestamps are fine-grained,
one tick of the kernel otherwise); an entry is stored only when the file has the bytes of its
key after the read, and no further file, link to it or folder of it has a ctime after the mark
(or within 2 s before it, on a filesystem that stamps whole seconds). A document saved while it
was read leaves no entry, and the next run reads it again. (This takes the content's and the
cache's filesystems to keep one clock: a network server's clock that runs behind can hide a
change.)

Entries are pickle files, ``<folder>/<first two hex digits>/<key>``, written to a temporary
file ``.<key>.<pid>.tmp`` and renamed into place, so that a reader sees a whole entry or none;
a temporary file an hour older than the one a run writes was left by a run that was killed,
and is deleted when a later run first writes into its folder. Unpickling runs code that an entry
names, so the cache is used only when nobody else can have written it: the folder, each of its
folders and each entry must belong to the user who runs the build and be writable by nobody
else, none may be a link, and every folder above it must belong to that user or to root and
be writable by nobody else unless it is sticky, like /tmp (as ssh's StrictModes). A folder of
the wrong mode is not repaired (whoever could write it may have left entries there): the run
goes on without the cache, after one note that says why and what to do. The cache is made
with mode 0700. It may not be the working directory, the user's home, the root, or a folder
that holds the content, the output or the working directory, nor lie inside the content or
the output (``CacheRefused``): it would fill them with its 256 folders.

Anything else wrong with the cache (an entry unreadable, truncated or from elsewhere, a folder
that cannot be made or written) is a miss, never an error: the build reads the file, and the
output is what it would be without the cache. A cache that cannot be written is left alone for
the rest of the run, after one note on standard error.
"""
from __future__ import annotations

import copyreg
import functools
import hashlib
import io
import os
import pickle
import re
import stat
import sys
import time
from pathlib import Path
from typing import Any, Callable, Hashable, Iterable, Mapping

from ..codes import CODES, DOCUMENT_NOT_CHECKABLE, Code
from ..diagnostics import Diagnostic, Report
from ..reporter import NullReporter, Reporter
from ..values import DOCUMENT_TYPES
from .reader import MAX_FILE_BYTES

FORMAT = 2  # of the key and of an entry; a change makes every entry a miss
VARIABLE = "NOTICEBOARD_CACHE_DIR"
STALE_AFTER_NS = 3600 * 10**9  # a temporary file this old was left by a run killed while writing it
COARSEST_STAMPS_NS = 2 * 10**9  # FAT stamps a file with the even second before
TEMPORARY_NAME = re.compile(r"\.[0-9a-f]{64}\.[0-9]+\.tmp")
OWNERS_CHECKED = hasattr(os, "geteuid")  # POSIX; a Windows profile's folders are the user's by their ACLs
_BINARY = getattr(os, "O_BINARY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO where a file should be is not waited on

# What a run found that depends on the machine at the time (a PDF not read within the limits: a busy
# machine may take longer than the time limit), not on the bytes alone: never kept for the next run.
OF_THE_MACHINE = frozenset({DOCUMENT_NOT_CHECKABLE})

Read = Callable[[Report], tuple[Any, Iterable[str]]]  # a file's value, and the further files it looked at
Fingerprint = tuple  # what a further file was when a value was read: where it leads, and its bytes or its absence
Identity = tuple  # a file's device, inode, size, mtime and ctime: it has not changed while they are the same
Mark = tuple[int, int]  # ``_clock_mark``: a time by the clock that stamps files, and how coarse that clock may be


class CacheRefused(ValueError):
    """The cache's location is one where its folders would be written among others'."""


def location(environ: Mapping[str, str] = os.environ) -> tuple[Path, str]:
    """The cache's folder, and where it comes from (for messages)."""
    given = environ.get(VARIABLE)
    if given:
        return Path(os.path.abspath(os.path.expanduser(given))), f"{VARIABLE}={given}"
    xdg = environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):  # the XDG specification ignores a relative path
        return Path(xdg) / "noticeboard", f"XDG_CACHE_HOME={xdg}"
    return Path(os.path.expanduser("~")) / ".cache" / "noticeboard", "the default location"


def open_cache(content: Path, out: Path | None = None, environ: Mapping[str, str] = os.environ,
               reporter: Reporter | None = None) -> DiskCache:
    """The cache of ``location`` (which tells ``reporter`` when it is not used or cannot be written);
    raises ``CacheRefused`` when it lies inside ``content`` or ``out``, or is a folder among whose files
    it would put its own."""
    folder, origin = location(environ)
    misplaced = _misplaced(os.path.realpath(folder), content, out)
    if misplaced:
        where, elsewhere = misplaced
        raise CacheRefused(f"the build cache {folder} ({origin}) {where}; "
                           f"set {VARIABLE} to {elsewhere}, or use --no-cache")
    return DiskCache(folder, origin, reporter)


def _misplaced(real: str, content: Path, out: Path | None) -> tuple[str, str] | None:
    """Where the cache at ``real`` is, when it may not be there, and where to put it instead."""
    places = [(os.path.realpath(content), f"the content directory {content}", "where nothing is ever written")]
    if out is not None:
        places.append((os.path.realpath(out), f"the output directory {out}", "which each build replaces"))
    for place, what, why in places:
        if _inside(real, place):
            return f"is inside {what}, {why}", "a folder outside it"
    working = os.path.realpath(os.getcwd())
    own = "a folder of its own, such as ~/.cache/noticeboard"
    if real == os.path.dirname(real):
        return "is the root of the filesystem", own
    if real in _homes():
        return "is your home directory", own
    if real == working:
        return "is the working directory", own
    for place, what, _ in places + [(working, f"the working directory {os.getcwd()}", "")]:
        if _inside(place, real):
            return f"holds {what}", own
    return None


def _homes() -> set[str]:
    homes = {os.path.realpath(os.path.expanduser("~"))}
    try:
        import pwd
        homes.add(os.path.realpath(pwd.getpwuid(os.geteuid()).pw_dir))
    except (ImportError, KeyError):
        pass
    return homes


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


@functools.cache
def code_version() -> str:
    """A digest of what the code that reads content is: the package's sources, templates and shipped
    settings files, read once per process, and the versions of Python and of the libraries whose behaviour shapes what
    a file gives."""
    return package_digest(Path(__file__).resolve().parents[1], _library_versions())


CODE_FOLDERS = ("templates", "defaults", "jurisdictions")  # package data the digest covers too: a site's file may
# extend defaults/, and a site's jurisdiction decides what a notice must give


def package_digest(package: Path, libraries: tuple) -> str:
    """SHA-256 of every ``.py`` file, template and shipped settings file of ``package``, by path, and of
    ``libraries``."""
    digest = hashlib.sha256()
    sources = [path for path in package.rglob("*") if path.is_file() and "__pycache__" not in path.parts
               and (path.suffix == ".py" or path.relative_to(package).parts[0] in CODE_FOLDERS)]
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


@functools.cache
def _pdf_reader() -> tuple[str, str]:
    """The versions of pikepdf and of its QPDF, whose repairs and parsing make a PDF's facts."""
    import pikepdf
    return pikepdf.__version__, pikepdf.__libqpdf_version__


def _code_named(code: str) -> Code:
    return _CODES[code]


_CODES = {code.code: code for code in CODES}
_DISPATCH = copyreg.dispatch_table.copy()
_DISPATCH[Code] = lambda code: (_code_named, (code.code,))  # a code is its entry in codes.py, not a copy of it


class DiskCache:
    """The entries under ``folder``; one instance for one run (it remembers what it saw of folders)."""

    def __init__(self, folder: Path, origin: str = "", reporter: Reporter | None = None) -> None:
        self.folder = Path(folder)
        self.origin = origin  # where the location comes from, for messages
        self.reporter = reporter or NullReporter()
        self.hits = self.misses = self.written = 0
        self._unwritable = False
        self._refused = False  # someone else could have written the cache: it is not used in this run
        self._folder_checked = False  # the folder exists, and nobody else can write it
        self._shards: set[str] = set()  # the shard folders that exist and that nobody else can write
        self._swept: set[str] = set()  # the shard folders whose stale temporary files this run deleted
        self._mark: Mark | None = None  # the clock of files before the first read of the run
        self._folders: dict[str, tuple[str, bool]] = {}  # a folder → where it leads, and whether it is a link
        self._further: dict[str, tuple[Fingerprint, Identity | None]] = {}  # a further file → as first seen this run

    def load(self, kind: str, path: str, context: Hashable, read: Read, report: Report) -> Any:
        """``read(report)``'s value for the file at ``path``, from the entry of its key when there is one
        and every further file it looked at is as it was; its diagnostics are added to ``report``."""
        data = _contents(path)
        if data is None or not self._usable():  # not a file (a folder, missing, too large), or not to be trusted
            return read(report)[0]
        key = self._key(kind, path, context, data)
        entry = self._entry(key)
        if entry is not None:
            _, _, value, diagnostics, further = entry
            if all(self._fingerprint(file) == known for file, known in further):
                self.hits += 1
                report.diagnostics.extend(diagnostics)
                return value
        if self._refused:
            return read(report)[0]
        self.misses += 1
        mark = self._mark_before_reading()
        own = Report()
        value, others = read(own)
        if mark is not None and not self._unwritable:
            seen = [(file, *self._settled(file)) for file in dict.fromkeys(others) if file != path]
            if (_contents(path) == data  # not saved while it was read: what was read is what the key says
                    and not any(_changed_after(ctime, mark) for _, _, ctimes in seen for ctime in ctimes)
                    and not any(diagnostic.code in OF_THE_MACHINE for diagnostic in own.diagnostics)):
                further = tuple((file, fingerprint) for file, fingerprint, _ in seen)
                self._store(key, (FORMAT, key, value, tuple(own.diagnostics), further))
        report.diagnostics.extend(own.diagnostics)
        return value

    def load_each(self, kind: str, paths: list[str], context: Hashable,
                  read: Callable[[str, Report], tuple[Any, Iterable[str]]], report: Report) -> list[Any]:
        """``load`` of each of ``paths`` (``read(path, report)``)."""
        return [self.load(kind, path, context, lambda own, path=path: read(path, own), report) for path in paths]

    def recall(self, name: str) -> Any:
        """What ``keep`` last stored under ``name`` (a build's record of the output it wrote), or None."""
        if not self._usable():
            return None
        entry = self._entry(self._record_key(name))
        return None if entry is None else entry[2]

    def keep(self, name: str, value: Any) -> None:
        """Store ``value`` under ``name``, replacing what was there."""
        try:
            if not self._folder_checked and not self._refused and not self._unwritable:
                self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                self._check_folder()
        except OSError as error:
            self._cannot_write(error)
        if self._folder_checked:
            key = self._record_key(name)
            self._store(key, (FORMAT, key, value, (), ()))

    @staticmethod
    def _record_key(name: str) -> str:
        return hashlib.sha256(repr((FORMAT, "record", name)).encode()).hexdigest()

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
        """A further file's fingerprint, taken once per run."""
        known = self._further.get(path)
        if known is None:
            known = self._further[path] = self._examined(path)
        return known[0]

    def _settled(self, path: str) -> tuple[Fingerprint, list[int]]:
        """A further file's fingerprint now, and the ctimes of the file, of the link to it and of its
        folder: the fingerprint is of what a read saw only if they are all from before the read began."""
        absolute = os.path.abspath(path)
        known = self._further.get(path)
        if known is None or known[1] is None or known[1] != _identity(absolute):
            known = self._further[path] = self._examined(path)
        fingerprint, identity = known
        changes = [identity[-1]] if identity else []
        try:
            changes.append(os.lstat(absolute).st_ctime_ns)
        except OSError:
            pass
        folder = os.path.dirname(absolute)
        while True:  # the nearest folder that exists: removing a file, or its folder, changes it
            try:
                changes.append(os.stat(folder).st_ctime_ns)
                break
            except OSError:
                if os.path.dirname(folder) == folder:
                    break
                folder = os.path.dirname(folder)
        return fingerprint, changes

    def _examined(self, path: str) -> tuple[Fingerprint, Identity | None]:
        """Where a further file leads, and the digest of its bytes (or why there are none: missing, a
        folder), with the identity of what was digested."""
        absolute = os.path.abspath(path)
        where = (self._leads_to(absolute), self._folder(os.path.dirname(absolute)))
        reader = (_pdf_reader(),) if DOCUMENT_TYPES.get(os.path.splitext(path)[1].lower()) == "PDF" else ()
        try:
            with open(os.open(absolute, os.O_RDONLY | _NONBLOCK | _BINARY), "rb") as handle:
                mode = os.fstat(handle.fileno()).st_mode
                bytes_ = _digest(handle) if stat.S_ISREG(mode) else None
                status = os.fstat(handle.fileno())  # after the digest: a change while digesting shows in its ctime
            return where + (stat.S_IFMT(mode), bytes_) + reader, _identity_of(status)
        except OSError as error:
            return where + (None, error.errno) + reader, None

    def _usable(self) -> bool:
        """Whether entries may be read: nobody else can have written the folder (checked once it exists)."""
        if not self._folder_checked and not self._refused:
            self._check_folder()
        return not self._refused

    def _check_folder(self) -> None:
        try:
            status = os.lstat(self.folder)
        except OSError:  # none yet, or out of reach: no entry to read; making it tells what is wrong
            return
        if stat.S_ISLNK(status.st_mode):
            real = os.path.realpath(self.folder)
            self._refuse(f"it is a link to {real}", f"set {VARIABLE} to {real} itself, or to a folder of your own")
        elif not stat.S_ISDIR(status.st_mode):
            return
        elif problem := _owner_problem(status):
            self._refuse(f"it {problem}", f"chmod 700 {self.folder}, or set {VARIABLE} to a folder of your own"
                         if "written" in problem else f"set {VARIABLE} to a folder of your own")
        elif above := _ancestor_problem(self.folder):
            folder, problem = above
            self._refuse(f"{folder}, which holds it, {problem}, so someone else could put another folder in its place",
                         f"set {VARIABLE} to a folder inside one that only you (or root) can change")
        else:
            self._folder_checked = True

    def _check_shard(self, shard: str) -> bool:
        """Whether the shard folder exists and nobody else can write it (once per run)."""
        if shard in self._shards:
            return True
        place = self.folder / shard
        try:
            status = os.lstat(place)
        except OSError:
            return False
        if stat.S_ISLNK(status.st_mode):
            self._refuse(f"its folder {place} is a link", self._delete_it)
        elif not stat.S_ISDIR(status.st_mode):
            return False
        elif problem := _owner_problem(status):
            self._refuse(f"its folder {place} {problem}", self._delete_it)
        else:
            self._shards.add(shard)
        return shard in self._shards

    @property
    def _delete_it(self) -> str:
        return f"delete {self.folder} (deleting the cache is always safe)"

    def _refuse(self, why: str, advice: str) -> None:
        self._refused = True
        origin = f" ({self.origin})" if self.origin else ""
        self.reporter.note(f"not using the build cache {self.folder}{origin}: {why}, and loading "
                           f"its entries can run any code; {advice}")

    def _entry(self, key: str) -> tuple | None:
        if not self._check_shard(key[:2]):
            return None
        place = self.folder / key[:2] / key
        try:
            descriptor = os.open(place, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _BINARY)
        except FileNotFoundError:
            return None
        except OSError:
            if os.path.islink(place):
                self._refuse(f"its entry {place} is a link", self._delete_it)
            return None
        try:
            with open(descriptor, "rb") as handle:
                status = os.fstat(descriptor)
                problem = _owner_problem(status) if stat.S_ISREG(status.st_mode) else "is not a file"
                if problem:
                    self._refuse(f"its entry {place} {problem}", self._delete_it)
                    return None
                entry = pickle.loads(handle.read())  # at once: pickle.load reads a file in many small pieces
        except Exception:  # unreadable, truncated, corrupt, of another version: any of these is a miss
            return None
        if (not isinstance(entry, tuple) or len(entry) != 5 or entry[:2] != (FORMAT, key)
                or not isinstance(entry[3], tuple) or not all(isinstance(d, Diagnostic) for d in entry[3])
                or not isinstance(entry[4], tuple)):
            return None
        return entry

    def _mark_before_reading(self) -> Mark | None:
        """``_clock_mark`` of the cache folder, made if need be, taken before the first read of the run;
        None when entries cannot be written."""
        if self._mark is None and not self._unwritable and not self._refused:
            try:
                if not self._folder_checked:
                    self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                    self._check_folder()
                if self._folder_checked:
                    self._mark = _clock_mark(self.folder)
            except OSError as error:
                self._cannot_write(error)
        return self._mark

    def _store(self, key: str, entry: tuple) -> None:
        if self._unwritable or self._refused:
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
                shard.mkdir(mode=0o700, exist_ok=True)
                if not self._check_shard(key[:2]):
                    return
            temporary = shard / f".{key}.{os.getpid()}.tmp"  # another run writes the same entry under its own name
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NOFOLLOW | _BINARY, 0o600)
            with open(descriptor, "wb", closefd=True) as handle:
                handle.write(buffer.getbuffer())
                handle.flush()
                written = os.fstat(descriptor).st_mtime_ns
            if key[:2] not in self._swept:
                self._sweep(key[:2], written)
            os.replace(temporary, shard / key)
            temporary = None
            self.written += 1
        except OSError as error:
            self._cannot_write(error)
        finally:
            if temporary is not None:
                try:
                    os.unlink(temporary)
                except OSError:
                    pass

    def _cannot_write(self, error: OSError) -> None:
        self._unwritable = True
        self.reporter.note(f"the build cache cannot be written ({error.filename or self.folder}: "
                           f"{error.strerror or error}); going on without it")

    def _sweep(self, shard: str, now: int) -> None:
        """Delete the temporary files of ``shard`` left by runs killed while writing them (``now`` by the
        clock that stamps files, which may not be ``time.time``'s: a fresh one is another run's)."""
        self._swept.add(shard)
        try:
            with os.scandir(self.folder / shard) as found:
                for item in found:
                    if TEMPORARY_NAME.fullmatch(item.name):
                        try:
                            if item.stat(follow_symlinks=False).st_mtime_ns < now - STALE_AFTER_NS:
                                os.unlink(item.path)
                        except OSError:
                            pass
        except OSError:
            pass


def _clock_mark(folder: Path) -> Mark:
    """The time now by the clock that stamps files (the folder's, touched), once that clock has moved
    past it: a file whose ctime is not later is as it was before any read that follows. With it, how
    much earlier than a change a filesystem of coarse timestamps may stamp it.

    The folder's ctime, not its mtime: ``utime`` sets the mtime to a time the process gives (the C
    library's, which a tool such as libfaketime may move), while the kernel stamps the ctime, as it
    stamps the ctimes compared with the mark."""
    os.utime(folder)
    mark = os.stat(folder).st_ctime_ns
    if mark % 10**9 == 0:  # whole seconds: FAT, HFS+, some network filesystems
        return mark, COARSEST_STAMPS_NS
    for _ in range(100):  # the kernel's clock moves every 1 to 10 ms (at once where timestamps are multigrain)
        os.utime(folder)
        if os.stat(folder).st_ctime_ns > mark:
            return mark, 0
        time.sleep(0.001)
    return mark, COARSEST_STAMPS_NS


def _changed_after(changed: int, mark: Mark) -> bool:
    """Whether ``changed`` (a ctime) may be of a change made after ``mark``: during a read."""
    at, allowance = mark
    if changed % 10**9 == 0:
        allowance = COARSEST_STAMPS_NS
    return changed >= at - allowance if allowance else changed > at


def _owner_problem(status: os.stat_result) -> str | None:
    """Why someone other than the user who runs the build could have written this file or folder."""
    if not OWNERS_CHECKED:
        return None
    if status.st_uid != os.geteuid():
        return f"belongs to another user ({_user(status.st_uid)})"
    if status.st_mode & 0o022:
        return f"can be written by others (mode {stat.S_IMODE(status.st_mode):o})"
    return None


def _ancestor_problem(folder: Path) -> tuple[str, str] | None:
    """The first folder above ``folder``, as named and where links lead, that someone other than the
    user or root could change, and how; a sticky folder (/tmp) lets nobody rename what is not theirs."""
    if not OWNERS_CHECKED:
        return None
    seen: set[str] = set()
    for path in (str(folder), os.path.realpath(folder)):
        above = os.path.dirname(path)
        while above not in seen:
            seen.add(above)
            try:
                status = os.stat(above)
            except OSError as error:
                return above, f"cannot be checked ({error.strerror})"
            if status.st_uid not in (0, os.geteuid()):
                return above, f"belongs to another user ({_user(status.st_uid)})"
            if status.st_mode & 0o022 and not status.st_mode & stat.S_ISVTX:
                return above, f"can be written by others (mode {stat.S_IMODE(status.st_mode):o}, not sticky)"
            above = os.path.dirname(above)
    return None


def _user(uid: int) -> str:
    try:
        import pwd
        return f"{pwd.getpwuid(uid).pw_name}, uid {uid}"
    except (ImportError, KeyError):
        return f"uid {uid}"


def _identity(path: str) -> Identity | None:
    try:
        return _identity_of(os.stat(path))
    except OSError:
        return None


def _identity_of(status: os.stat_result) -> Identity:
    return status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns


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
