"""What a posted document is, read from its file: size, pages, and what assistive technology needs.

``inspect_document(path)`` gives the ``DocumentFacts`` of a file under ``files/``; for a PDF it
reads, with pikepdf (QPDF), only what is needed: the trailer, the catalog, the document
information (and XMP metadata when there is no title there), the page tree, the content of
pages (and of the forms they draw) until the first one that shows some text, and the actions
that the file would have a viewer run. QPDF repairs what viewers repair (a lost or broken
cross-reference table, as many scanners and "save as PDF" tools write), so that a file every
browser opens is never reported as unreadable. Loading calls it (``files.py``), so that the
facts are kept on the record, and cached with it by the bytes of the file; ``accessibility.py``
decides what to say about them.

A PDF is the vendor's file, and untrusted: a few kilobytes can inflate to gigabytes, or name
forms within forms a hundred ways at each level. So reading one is bounded under any input:

- in time and memory, by the process model: PDFs are read by one worker process per run
  (``python -m noticeboard.load.documents``), started at the first PDF and kept for the others, one
  after another, so that hundreds of PDFs cost one start: a process per PDF would cost a tenth
  of a second each, and a pool would wait idle, since loading asks for one PDF at a time. (The
  worker made ``check`` of 1,000 notices, each with a PDF, 1.16 times as long: 2.15 s, not
  1.85.) The worker limits its own address space (``PDF_MEMORY``) and CPU time
  (``PDF_SECONDS`` per PDF), and the build waits ``PDF_SECONDS`` for each answer, then kills
  it; the next PDF starts a new one. The answer is a line of JSON, checked field by field,
  never a pickle: a worker that a file took over cannot make the build run code. Where there
  are no such limits (Windows), the build reads in its own process, with the bounds on work
  only;
- in work, within the worker: content is decoded by this module, not by QPDF, with a cap on the
  bytes it gives (``CONTENT_BYTES`` for all the pages and forms of a file, ``METADATA_BYTES``
  for its XMP); a count of the objects looked at (``OBJECTS_LOOKED_AT``); each form read once,
  breadth first, at most ``FORM_DEPTH`` forms deep; text looked for with a small tokenizer of
  its own (a non-blank string shown by ``Tj``, ``TJ``, ``'`` or ``"``).

A file past a bound has ``PdfFacts.over_limit`` set (``TIME``, ``MEMORY``, ``WORK``,
``CRASH``): nothing else is known of it, and ``check`` says so (NB137), never a traceback.
"""
from __future__ import annotations

import atexit
import base64
import binascii
import json
import os
import re
import select
import signal
import subprocess
import sys
import threading
import time
import zlib
from dataclasses import dataclass, fields, replace
from pathlib import Path

END_MARKER, END_WITHIN = b"%%EOF", 2048  # a complete PDF ends with %%EOF (a few bytes of junk may follow)
PDF_SIGNATURE, HEADER_WITHIN = b"%PDF-", 1024  # readers look for %PDF- in the first kilobyte
TEXT_SHOWING = frozenset({b"Tj", b"TJ", b"'", b'"'})  # the operators that show text (ISO 32000-1, 9.4.3)
FORM_DEPTH = 8  # forms within forms looked into for text; deeper is a maze

PDF_SECONDS = 20  # wall-clock seconds to read one PDF, and the worker's CPU seconds for it
PDF_MEMORY = 1 << 30  # bytes of address space of the worker
CONTENT_BYTES = 32 << 20  # decoded bytes of page and form content read of one PDF, all streams together
METADATA_BYTES = 4 << 20  # decoded bytes of its XMP metadata
OBJECTS_LOOKED_AT = 200_000  # pages, content streams, resources, annotations, form fields, actions
REPLY_BYTES = 1 << 20  # a worker's answer is a line of JSON of at most this many bytes
SHORT_TEXT = 1000  # characters of a title or language kept

TIME, MEMORY, WORK, CRASH = "time", "memory", "work", "crash"

# Actions by their /S, that a PDF may have a viewer run (ISO 32000-1, 12.6.4)
JAVASCRIPT, LAUNCH, SUBMIT_FORM, IMPORT_DATA = "JavaScript", "Launch", "SubmitForm", "ImportData"
ACTIONS = (JAVASCRIPT, LAUNCH, SUBMIT_FORM, IMPORT_DATA)


@dataclass(frozen=True)
class PdfFacts:
    """What ``check`` and the pages need to know of a PDF; ``readable`` False: ``why`` says why not."""
    readable: bool
    why: str = ""
    pages: int = 0
    has_text: bool = False  # some page has text that can be extracted (a scan has none)
    tagged: bool = False  # a structure tree, not marked as untagged
    title: str = ""
    language: str = ""
    extraction_allowed: bool = True  # not encrypted so as to forbid extracting the text
    over_limit: str = ""  # not read because reading it went past a limit (TIME, MEMORY, WORK, CRASH)
    actions: tuple[str, ...] = ()  # the kinds of action (ACTIONS) it holds, anywhere that was looked at
    actions_on_open: tuple[str, ...] = ()  # those of them that run when it is opened
    header_offset: int = 0  # bytes before its %PDF- header: a file that is also another kind of file


@dataclass(frozen=True)
class DocumentFacts:
    kind: str  # the type the site names it by: "PDF", "Word", …
    size: int  # bytes
    pdf: PdfFacts | None = None  # for a PDF


def inspect_document(path: Path) -> DocumentFacts:
    """The facts of a file under files/ whose signature was found to be right."""
    from ..values import DOCUMENT_TYPES

    kind = DOCUMENT_TYPES[path.suffix.lower()]
    return DocumentFacts(kind, os.path.getsize(path), inspect_pdf(path) if kind == "PDF" else None)


def inspect_pdf(path: Path) -> PdfFacts:
    """The facts of the PDF at ``path``, read within the limits; a file that cannot be read is ``readable=False``."""
    try:
        with open(path, "rb") as handle:
            header_offset = max(0, handle.read(HEADER_WITHIN).find(PDF_SIGNATURE))
            handle.seek(max(0, os.fstat(handle.fileno()).st_size - END_WITHIN))
            if END_MARKER not in handle.read():
                return PdfFacts(False, "is cut short (it has no end-of-file marker): the upload or copy was "
                                       "interrupted; copy or export the file again")
    except OSError as error:
        return PdfFacts(False, f"cannot be read ({error.strerror})")
    if os.name == "nt" or not sys.executable:
        facts = _read_here(Path(path))
    else:
        with _worker_lock:
            facts = _worker().read(os.path.abspath(path))
    return replace(facts, header_offset=header_offset) if facts.readable else facts


def _read_here(path: Path) -> PdfFacts:
    """``read_pdf`` in this process: the bounds on work hold, but not those on time and memory."""
    try:
        return read_pdf(path)
    except MemoryError:
        return _over_limit(MEMORY)


def _over_limit(limit: str, detail: str = "") -> PdfFacts:
    """The facts of a PDF whose reading went past the limit on TIME or MEMORY, or ended in a CRASH (``detail``)."""
    why = {TIME: f"took more than {PDF_SECONDS} seconds to read",
           MEMORY: f"needed more than {PDF_MEMORY / (1 << 30):g} GB of memory to read",
           CRASH: f"stopped the program that reads it{detail}"}[limit]
    return PdfFacts(False, why, over_limit=limit)


# --- the worker --------------------------------------------------------------------------------------

SCANNED, UNTAGGED, NO_TITLE, NO_LANGUAGE, TEXT_LOCKED = "scanned", "untagged", "no-title", "no-language", "text-locked"


def access_problems(facts: PdfFacts | None) -> list[str]:
    """What keeps a readable PDF from assistive technology (``SCANNED``, …), in the order of the report."""
    if facts is None or not facts.readable:
        return []
    found = [(SCANNED, not facts.has_text), (UNTAGGED, not facts.tagged), (NO_TITLE, not facts.title),
             (NO_LANGUAGE, not facts.language), (TEXT_LOCKED, not facts.extraction_allowed)]
    return [problem for problem, present in found if present]


def _worker_command() -> list[str]:
    return [sys.executable, "-m", "noticeboard.load.documents"]


class _Worker:
    """A process that reads PDFs for this one, one at a time, each within the limits."""

    def __init__(self):
        # Run in the folder that holds this package, and with it on the path: -m finds this very package,
        # not a folder of the same name where the build runs.
        home = str(Path(__file__).resolve().parents[2])
        path = os.pathsep.join(filter(None, [home, os.environ.get("PYTHONPATH")]))
        self.process = subprocess.Popen(_worker_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, cwd=home, env={**os.environ, "PYTHONPATH": path})

    def read(self, path: str) -> PdfFacts:
        try:
            self.process.stdin.write(json.dumps(path).encode() + b"\n")
            self.process.stdin.flush()
        except OSError:
            return self._ended()
        reply = self._reply(time.monotonic() + PDF_SECONDS)
        if reply is None:
            self.stop()
            return _over_limit(TIME)
        if not reply:
            return self._ended()
        try:
            facts, last = _facts_from_json(reply)
        except (ValueError, KeyError, TypeError):
            self.stop()
            return _over_limit(CRASH, " (it gave an answer that is not one)")
        if last:
            self.stop()
        return facts

    def _reply(self, deadline: float) -> bytes | None:
        """The next line the worker writes; None when none came by the ``deadline``, b"" when it ended first."""
        received, stdout = b"", self.process.stdout.fileno()
        while not received.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([stdout], [], [], left)[0]:
                return None
            chunk = os.read(stdout, 65536)
            if not chunk or len(received) + len(chunk) > REPLY_BYTES:
                return b""
            received += chunk
        return received

    def _ended(self) -> PdfFacts:
        """What is said of a PDF during whose reading the worker ended (the CPU limit, a crash)."""
        self.stop()
        status = self.process.returncode
        if status == -getattr(signal, "SIGXCPU", 0):
            return _over_limit(TIME)
        try:
            ending = f"on {signal.Signals(-status).name}" if status < 0 else f"with status {status}"
        except ValueError:
            ending = f"with status {status}"
        return _over_limit(CRASH, f" (it ended {ending})")

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.running:
            self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            try:
                pipe.close()
            except OSError:
                pass


_worker_lock = threading.Lock()  # a preview may rebuild in a thread of its own
_current: _Worker | None = None


def _worker() -> _Worker:
    global _current
    if _current is None or not _current.running:
        _current = _Worker()
    return _current


def stop_worker() -> None:
    """End the worker, if one was started: at exit, or when a test wants a fresh one."""
    global _current
    if _current is not None:
        try:
            _current.process.stdin.close()  # the worker ends when its input does
            _current.process.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            pass
        _current.stop()
        _current = None


def _forget_worker() -> None:
    """In a forked child: the worker is the parent's; a child that reads a PDF starts its own."""
    global _current, _worker_lock
    _current, _worker_lock = None, threading.Lock()


atexit.register(stop_worker)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_worker)

_KINDS = {field.name: type(getattr(PdfFacts(False), field.name)) for field in fields(PdfFacts)}


def _facts_as_json(facts: PdfFacts, last: bool) -> bytes:
    return json.dumps({"facts": {name: getattr(facts, name) for name in _KINDS}, "last": last}).encode() + b"\n"


def _facts_from_json(line: bytes) -> tuple[PdfFacts, bool]:
    """The worker's answer: the facts, and whether it ends after it; ValueError, KeyError or TypeError
    when it is not one."""
    answer = json.loads(line)
    given, last = answer["facts"], answer["last"]
    values = {}
    for name, kind in _KINDS.items():
        value = given[name]
        if kind is tuple:
            if not (isinstance(value, list) and all(item in ACTIONS for item in value)):
                raise ValueError(name)
            value = tuple(value)
        elif type(value) is not kind:
            raise TypeError(name)
        values[name] = value
    if values["over_limit"] not in ("", TIME, MEMORY, WORK, CRASH) or type(last) is not bool:
        raise ValueError("over_limit")
    return PdfFacts(**values), last


def serve(requests=None, replies=None) -> None:
    """The worker: for each line of JSON (a path) read, the facts of that PDF, as a line of JSON.

    QPDF takes a failed allocation for damage ("unfilterable stream"), and goes on to say the
    file cannot be read: a file that could not be read while the worker's memory peaked over a
    quarter of its limit is said to need more memory than the limit. A worker whose memory
    peaked so ends after its answer, so that a peak always belongs to the file being read.
    """
    requests = requests or sys.stdin.buffer
    replies = replies or sys.stdout.buffer
    _limit_memory()
    for line in requests:
        _limit_cpu()
        try:
            facts = read_pdf(Path(json.loads(line)))
        except MemoryError:
            facts = _over_limit(MEMORY)
        except Exception as error:  # a fault of this reader: said of the file, not a traceback in the build
            facts = _over_limit(CRASH, f" ({type(error).__name__})")
        last = _peak_memory() > PDF_MEMORY // 4
        if last and not facts.readable and not facts.over_limit:
            facts = _over_limit(MEMORY)
        replies.write(_facts_as_json(facts, last))
        replies.flush()
        if last:
            return


def _peak_memory() -> int:
    """The most memory (resident bytes) this process has held since it started.

    Linux's VmHWM, the peak of this program's own memory: getrusage's ru_maxrss outlives execve, so a
    worker started by a build that holds a gigabyte would begin with a gigabyte's peak (and end after
    every PDF, each unreadable one said to need too much memory).
    """
    try:
        with open("/proc/self/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource
    except ImportError:
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def _limit_memory() -> None:
    try:
        import resource
    except ImportError:
        return
    for limit, value in ((resource.RLIMIT_AS, PDF_MEMORY), (resource.RLIMIT_CORE, 0)):
        try:
            _, hard = resource.getrlimit(limit)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            resource.setrlimit(limit, (value, value))
        except (ValueError, OSError):  # not on this system; the build's timeout still holds
            pass


def _limit_cpu() -> None:
    """``PDF_SECONDS`` more of CPU time (the soft limit: the worker may read another PDF after this one)."""
    try:
        import resource
        used = resource.getrusage(resource.RUSAGE_SELF)
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        soft = int(used.ru_utime + used.ru_stime) + 1 + PDF_SECONDS
        resource.setrlimit(resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))
    except (ImportError, ValueError, OSError):
        pass


# --- reading, within the bounds on work ---------------------------------------------------------------

class _TooMuchWork(Exception):
    """Reading a PDF went past a bound on work; the message says which, as ``PdfFacts.why``."""


class _Reading:
    """What the reading of one PDF has used of its bounds."""

    def __init__(self):
        self.content_left = CONTENT_BYTES
        self.objects_left = OBJECTS_LOOKED_AT
        self.forms_seen: set[tuple[int, int]] = set()
        self.forms_too_deep = False  # a form at FORM_DEPTH draws further forms, which were not read

    def visit(self) -> None:
        self.objects_left -= 1
        if self.objects_left < 0:
            raise _TooMuchWork(f"has more than {OBJECTS_LOOKED_AT:,} pages, forms, annotations or actions to look at")

    def content(self, streams: list) -> bytes:
        """The decoded data of content ``streams``, one after the other, as a page's parts are."""
        parts = []
        for stream in streams:
            self.visit()
            data = _decoded(stream, self.content_left)
            if data is None:
                raise _TooMuchWork(f"has more than {CONTENT_BYTES >> 20} MB of page content to read before any text "
                                "(content compressed many times over, say)")
            self.content_left -= len(data)
            parts.append(data)
        return b"\n".join(parts)


def read_pdf(path: Path) -> PdfFacts:
    """The facts of the PDF at ``path``, read in this process within the bounds on work (what the worker runs)."""
    import pikepdf  # only when there is a PDF to read

    reading = _Reading()
    try:
        with pikepdf.open(path) as pdf:
            allowed = pdf.allow.extract or pdf.allow.accessibility
            catalog = pdf.Root
            mark_info = catalog.get("/MarkInfo")
            marked = bool(mark_info.get("/Marked", True)) if isinstance(mark_info, pikepdf.Dictionary) else True
            tagged = "/StructTreeRoot" in catalog and marked
            language = str(catalog.get("/Lang", "")).strip()[:SHORT_TEXT]
            title = _title(pdf, reading)[:SHORT_TEXT]
            pages = len(pdf.pages)
            has_text = _has_text(pdf, reading)
            actions, on_open = _actions(pdf, reading)
    except _TooMuchWork as limit:
        return PdfFacts(False, str(limit), over_limit=WORK)
    except pikepdf.PasswordError:
        return PdfFacts(False, "needs a password to open, so parents cannot read it; post it without one")
    except (pikepdf.PdfError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        return PdfFacts(False, f"cannot be read as a PDF ({type(error).__name__}: {str(error)[:120]}); "
                               "export or scan it again")
    if pages == 0:
        return PdfFacts(False, "has no pages; export or scan it again")
    return PdfFacts(True, "", pages, has_text, tagged, title, language, allowed, actions=actions,
                    actions_on_open=on_open)


def _title(pdf, reading: _Reading) -> str:
    import pikepdf

    title = str(pdf.docinfo.get("/Title", "")).strip() if "/Info" in pdf.trailer else ""
    if title:
        return title
    metadata = pdf.Root.get("/Metadata")
    if not isinstance(metadata, pikepdf.Stream):
        return ""
    reading.visit()
    data = _decoded(metadata, METADATA_BYTES)
    if data is None:
        raise _TooMuchWork(f"has more than {METADATA_BYTES >> 20} MB of XMP metadata")
    if not data:
        return ""
    try:  # QPDF decodes it again: no more than was just found within the limit
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            return str(xmp.get("dc:title") or "").strip()
    except Exception:  # damaged XMP is no title
        return ""


def _has_text(pdf, reading: _Reading) -> bool:
    """Whether some page shows text, looked for until the first that does."""
    for page in pdf.pages:
        reading.visit()
        if _shows_text(page.obj, reading):
            return True
    if reading.forms_too_deep:
        raise _TooMuchWork(f"draws forms within forms more than {FORM_DEPTH} deep (a maze), with no text before")
    return False


def _shows_text(page, reading: _Reading) -> bool:
    """Whether the content of a page, or of a form it draws, shows a non-blank string; a scan shows only an image.

    Forms are read breadth first, each once in the whole file: a form drawn a hundred ways at
    each level is still one form to read.
    """
    import pikepdf

    contents = page.get("/Contents")
    streams = [contents] if isinstance(contents, pikepdf.Stream) else list(contents) if isinstance(
        contents, pikepdf.Array) else []
    if _content_shows_text(reading.content([part for part in streams if isinstance(part, pikepdf.Stream)])):
        return True
    level = _new_forms(page, reading)
    for depth in range(1, FORM_DEPTH + 1):
        following = []
        for form in level:
            if _content_shows_text(reading.content([form])):
                return True
            drawn = _new_forms(form, reading)
            if depth == FORM_DEPTH:
                reading.forms_too_deep = reading.forms_too_deep or bool(drawn)
            else:
                following.extend(drawn)
        level = following
    return False


def _new_forms(container, reading: _Reading) -> list:
    """The form XObjects of ``container``'s resources not met before in this file."""
    import pikepdf

    resources = container.get("/Resources")
    named = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
    if not isinstance(named, pikepdf.Dictionary):
        return []
    found = []
    for name in named.keys():
        reading.visit()
        form = named.get(name)
        if isinstance(form, pikepdf.Stream) and form.get("/Subtype") == pikepdf.Name.Form \
                and form.objgen not in reading.forms_seen:
            reading.forms_seen.add(form.objgen)
            found.append(form)
    return found


# --- actions -----------------------------------------------------------------------------------------

def _actions(pdf, reading: _Reading) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The kinds of action the PDF holds, and those that run when it is opened.

    Looked for where viewers find them: the catalog's /OpenAction, additional actions (/AA)
    and document JavaScript (/Names /JavaScript), the form fields of /AcroForm, and each page's
    additional actions and annotations (links, widgets, …), following /Next from each action.
    """
    import pikepdf

    found: dict[str, bool] = {}  # kind → whether it runs when the file is opened
    seen: set[tuple[int, int]] = set()

    def action(value, on_open: bool) -> None:
        pending = [value]
        while pending:
            item = pending.pop()
            reading.visit()
            if isinstance(item, pikepdf.Array):
                pending.extend(item)
                continue
            if not isinstance(item, pikepdf.Dictionary) or item.objgen in seen:
                continue
            if item.is_indirect:
                seen.add(item.objgen)
            kind = str(item.get("/S", ""))[1:]
            if "/JS" in item:
                kind = JAVASCRIPT
            if kind in ACTIONS:
                found[kind] = found.get(kind, False) or on_open
            following = item.get("/Next")
            if following is not None:
                pending.append(following)

    def additional(value, opening: tuple[str, ...] = ()) -> None:
        if isinstance(value, pikepdf.Dictionary):
            for trigger in value.keys():
                action(value.get(trigger), trigger in opening)

    catalog = pdf.Root
    opening = catalog.get("/OpenAction")
    if isinstance(opening, pikepdf.Dictionary):  # else a destination: a page to show
        action(opening, True)
    additional(catalog.get("/AA"))
    names = catalog.get("/Names")
    if isinstance(names, pikepdf.Dictionary) and "/JavaScript" in names:
        found[JAVASCRIPT] = True  # document-level scripts run as the file opens
    _form_field_actions(catalog.get("/AcroForm"), action, additional, reading)
    for number, page in enumerate(pdf.pages):
        reading.visit()
        additional(page.obj.get("/AA"), ("/O",) if number == 0 else ())
        annotations = page.obj.get("/Annots")
        for annotation in annotations if isinstance(annotations, pikepdf.Array) else []:
            reading.visit()
            if isinstance(annotation, pikepdf.Dictionary):
                if "/A" in annotation:
                    action(annotation.get("/A"), False)
                additional(annotation.get("/AA"))
    return tuple(sorted(found)), tuple(sorted(kind for kind, on_open in found.items() if on_open))


def _form_field_actions(form, action, additional, reading: _Reading) -> None:
    import pikepdf

    if not isinstance(form, pikepdf.Dictionary):
        return
    pending, seen = [form.get("/Fields")], set()
    while pending:
        item = pending.pop()
        reading.visit()
        if isinstance(item, pikepdf.Array):
            pending.extend(item)
        elif isinstance(item, pikepdf.Dictionary) and item.objgen not in seen:
            if item.is_indirect:
                seen.add(item.objgen)
            if "/A" in item:
                action(item.get("/A"), False)
            additional(item.get("/AA"))
            if "/Kids" in item:
                pending.append(item.get("/Kids"))


# --- decoding content, within a cap ------------------------------------------------------------------

CHUNK = 1 << 16
_FILTER_NAMES = {"/FlateDecode": "flate", "/Fl": "flate", "/ASCIIHexDecode": "hex", "/AHx": "hex",
                 "/ASCII85Decode": "a85", "/A85": "a85", "/RunLengthDecode": "rle", "/RL": "rle",
                 "/LZWDecode": "lzw", "/LZW": "lzw", "/Crypt": "crypt"}


class _OverCap(Exception):
    pass


def _decoded(stream, cap: int) -> bytes | None:
    """The data of ``stream`` decoded, if no filter gives more than ``cap`` bytes, else None.

    Data in a filter this module does not decode (an image's, or none of the PDF's) is no
    content: b"", as QPDF gives nothing a viewer could show for it. A Flate or LZW predictor
    (never seen in page content) is left to QPDF, once the data without it was found within
    the cap: a predictor only removes bytes.
    """
    import pikepdf

    given, parameters = stream.get("/Filter"), stream.get("/DecodeParms")
    names = [given] if isinstance(given, pikepdf.Name) else list(given) if isinstance(given, pikepdf.Array) else []
    if given is not None and not names and not isinstance(given, pikepdf.Array):
        return b""
    if not isinstance(parameters, pikepdf.Array):
        parameters = [parameters] * len(names)
    filters, predicted = [], False
    for name, options in zip(names, list(parameters) + [None] * len(names)):
        kind = _FILTER_NAMES.get(str(name))
        if kind is None:
            return b""
        options = options if isinstance(options, pikepdf.Dictionary) else None
        predicted = predicted or (kind in ("flate", "lzw") and options is not None
                                  and options.get("/Predictor", 1) not in (None, 1))
        filters.append((kind, options))
    try:
        data = stream.read_raw_bytes()
        for kind, options in filters:
            data = _DECODERS[kind](data, options, cap)
            if len(data) > cap:
                raise _OverCap
    except _OverCap:
        return None
    except (ValueError, binascii.Error, zlib.error):  # damaged: what a viewer would show of it, nothing
        return b""
    if predicted:
        try:
            return stream.read_bytes()
        except pikepdf.PdfError:
            return b""
    return data


def _inflate(data: bytes, options, cap: int) -> bytes:
    """Flate, in steps of CHUNK: no more than ``cap`` (and a step) is ever inflated."""
    inflater, out, size = zlib.decompressobj(), [], 0
    try:
        while not inflater.eof:
            part = inflater.decompress(data, CHUNK)
            data = inflater.unconsumed_tail
            size += len(part)
            if size > cap:
                raise _OverCap
            out.append(part)
            if not part and not data:
                break
    except zlib.error:  # damaged: what came before it, as QPDF keeps it
        pass
    return b"".join(out)


def _unhex(data: bytes, options, cap: int) -> bytes:
    digits = re.sub(rb"[^0-9A-Fa-f]", b"", data.split(b">", 1)[0])
    return binascii.unhexlify(digits + b"0" * (len(digits) % 2))


def _a85(data: bytes, options, cap: int) -> bytes:
    text = re.sub(rb"[\x00\t\n\x0c\r ]", b"", data.split(b"~>", 1)[0]).removeprefix(b"<~")
    if text.count(b"z") * 4 > cap:
        raise _OverCap
    return base64.a85decode(text)


def _run_length(data: bytes, options, cap: int) -> bytes:
    out, position = bytearray(), 0
    while position < len(data):
        length = data[position]
        if length == 128:
            break
        if length < 128:
            out += data[position + 1:position + 2 + length]
            position += 2 + length
        else:
            out += data[position + 1:position + 2] * (257 - length)
            position += 2
        if len(out) > cap:
            raise _OverCap
    return bytes(out)


def _lzw(data: bytes, options, cap: int) -> bytes:
    """LZW as PDF writes it (ISO 32000-1, 7.4.4): codes of 9 to 12 bits, 256 clears the table, 257 ends."""
    early = 0 if options is not None and options.get("/EarlyChange") == 0 else 1
    out = bytearray()
    table: list[bytes] = [bytes([value]) for value in range(256)] + [b"", b""]
    width, previous, buffer, bits = 9, b"", 0, 0
    for byte in data:
        buffer, bits = (buffer << 8) | byte, bits + 8
        while bits >= width:
            bits -= width
            code = (buffer >> bits) & ((1 << width) - 1)
            buffer &= (1 << bits) - 1
            if code == 256:
                table, width, previous = table[:258], 9, b""
                continue
            if code == 257:
                return bytes(out)
            if code < len(table):
                entry = table[code]
                if previous:
                    table.append(previous + entry[:1])
            elif code == len(table) and previous:
                entry = previous + previous[:1]
                table.append(entry)
            else:  # damaged
                return bytes(out)
            out += entry
            if len(out) > cap:
                raise _OverCap
            previous = entry
            if len(table) + early >= 1 << width and width < 12:
                width += 1
    return bytes(out)


_DECODERS = {"flate": _inflate, "hex": _unhex, "a85": _a85, "rle": _run_length, "lzw": _lzw,
             "crypt": lambda data, options, cap: data}  # QPDF gives the raw data decrypted


# --- text in content ----------------------------------------------------------------------------------

_REGULAR = rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]"
# skip: what tells no operator, at most 256 items at a time (a million "<<" in one match would fill
# the stack of the regular expression engine)
_TOKEN = re.compile(rb"""
    (?P<skip>(?:[\x00\t\n\x0c\r {}]+ | %[^\r\n]* | /""" + _REGULAR + rb"""* | << | >>
              | (?:[-+]?(?:\d+\.?\d*|\.\d+)|true|false|null)(?!""" + _REGULAR + rb""")){1,256})
  | (?P<open>\[)
  | (?P<close>\])
  | (?P<literal>\()
  | (?P<hex><[^>]*>?)
  | (?P<operator>""" + _REGULAR + rb"""+)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)
_PARENTHESIS = re.compile(rb"[()\\]")
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|\r\n|.)", re.DOTALL)
_ESCAPED = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"\r\n": b"", b"\r": b"", b"\n": b""}
_IMAGE_END = re.compile(rb"[\x00\t\n\x0c\r ]EI(?!" + _REGULAR + rb")")


def _content_shows_text(data: bytes) -> bool:
    """Whether content shows a non-blank string: one given to Tj, ', " or (in an array) TJ.

    A word within an array is part of it, not an operator (as QPDF parses an array left open).
    """
    if not (b"(" in data or b"<" in data) or not any(operator in data for operator in TEXT_SHOWING):
        return False
    position, shown, end, arrays = 0, False, len(data), 0
    while position < end:
        token = _TOKEN.match(data, position)
        position, kind = token.end(), token.lastgroup
        if kind == "open":
            arrays += 1
        elif kind == "close":
            arrays = max(0, arrays - 1)
        elif kind == "literal":
            position, string = _literal(data, position)
            shown = shown or _not_blank(_unescaped(string))
        elif kind == "hex":
            shown = shown or _not_blank(_hex_string(token[0]))
        elif kind == "operator" and not arrays:
            operator = token[0]
            if shown and operator in TEXT_SHOWING:
                return True
            shown = False
            if operator == b"ID":  # an inline image's data, up to EI
                found = _IMAGE_END.search(data, position)
                position = found.end() if found else end
    return False


def _literal(data: bytes, start: int) -> tuple[int, bytes]:
    """The end of the literal string whose body starts at ``start`` (after its "("), and its body."""
    depth, position = 1, start
    while True:
        found = _PARENTHESIS.search(data, position)
        if found is None:
            return len(data), data[start:]
        position = found.end()
        character = found[0]
        if character == b"\\":
            position += 1
        elif character == b"(":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return position, data[start:position - 1]


def _unescaped(body: bytes) -> bytes:
    if b"\\" not in body:
        return body
    return _ESCAPE.sub(lambda escape: bytes([int(escape[1], 8) & 0xFF]) if escape[1][:1] in b"01234567"
                       else _ESCAPED.get(escape[1], escape[1]), body)


def _hex_string(token: bytes) -> bytes:
    digits = re.sub(rb"[^0-9A-Fa-f]", b"", token)
    return binascii.unhexlify(digits + b"0" * (len(digits) % 2))


def _not_blank(string: bytes) -> bool:
    return bool(string.strip())


if __name__ == "__main__":
    serve()
