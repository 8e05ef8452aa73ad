"""The files of content/: listing a folder, refusing links out of it, and checking each document a
record links (that it is there, inside content/, and of its type) before reading its facts."""
from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from pydantic import ValidationError

from .. import codes
from ..codes import Code
from ..diagnostics import Report
from ..theme import FOLDER_NOTE
from ..values import DOCUMENT_TYPES
from .documents import HEADER_WITHIN, PDF_SIGNATURE, DocumentFacts, inspect_document
from .memo import Listing
from .reader import Source, display_path, resolved_inside
from .records import FILES_DIR
from .schema import Document

ZIP_SIGNATURE = b"PK\x03\x04"  # every office format of DOCUMENT_TYPES is a zip archive


def link_problem(path: Path, folder: Path, root: Path | None = None) -> str | None:
    """Why ``path``, which must lie in ``folder`` (and in the content ``root``), cannot be read there
    (a link out of it, a loop)."""
    try:
        target, inside = resolved_inside(path, folder, *([root] if root else []))
    except (OSError, RuntimeError):
        return "is a symbolic link that leads nowhere (its target is missing, or links loop); replace it with the file"
    if inside:
        return None
    link = next((parent for parent in path.parents if parent.is_symlink()), None)
    if path.is_symlink() or link is None:
        return (f"is a link to {target}, outside {display_path(folder)}/; "
                f"copy the file into {display_path(folder)}/ instead")
    return (f"leads to {target}, outside {display_path(root or folder)}/, because {display_path(link)} is a link; "
            f"make {display_path(link)} a folder of its own and copy the files into it")


def readable(path: Path, root: Path, report: Report) -> bool:
    """``path`` is a file of the content, not a link out of it; anything else is reported."""
    linked = path.is_symlink() or path.parent.is_symlink()  # a file, or its folder (contracts/), is a link
    problem = link_problem(path, root) if linked else None
    if problem:
        report.in_file(display_path(path), codes.BAD_LINK, problem)
    return problem is None


def list_markdown_files(folder: Path, report: Report) -> Listing:
    """One listing of the folder, without a look at each file unless it is a link."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except (NotADirectoryError, FileNotFoundError):
        return Listing([], frozenset())
    folder_is_link = folder.is_symlink()
    found = []
    for entry in entries:
        name = entry.name
        if name in (FILES_DIR, "series.yml", FOLDER_NOTE):  # README.md: a folder's note, never a record (not a slug)
            continue
        markdown = name.endswith(".md") and len(name) > 3
        if name.startswith("."):
            if markdown and not name.startswith(".#"):  # .#name.md: an editor's lock
                report.in_file(display_path(Path(entry.path)), codes.HIDDEN_FILE,
                               "ignored: a name that starts with '.' is hidden; remove the dot to publish it")
            continue
        link = entry.is_symlink()
        if markdown and (link or entry.is_file()):
            if not (link or folder_is_link) or readable(Path(entry.path), folder.parent, report):
                found.append(entry.path)
        else:
            report.in_file(display_path(Path(entry.path)), codes.IGNORED_FILE,
                           "ignored: only .md files belong here (documents go under files/)")
    return Listing(found, frozenset(entry.name for entry in entries))


def check_documents(files_dir: Path, source: Source, report: Report) -> tuple[list[str], dict[str, DocumentFacts]]:
    """Every entry's file, each on its own: one wrong entry hides nothing about the others.

    Returns the paths of the files looked at, and the facts of each file that could be read, by
    the name the record gives it (``documents.py``: size, pages, what assistive technology needs);
    ``accessibility.py`` reports on those, knowing site.yml. The facts are read here, with the
    record, so that the build cache keeps them by the bytes of the record and of the file. A PDF
    that could not be checked within the limits on reading one is a warning: it is the district's
    file to post, but nothing is known of it beyond its type and size.
    """
    entries = source.data.get("documents")
    looked_at, facts = [], {}
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        try:
            document = Document.model_validate(entry)
        except ValidationError:
            continue  # reported by validation
        if document.file is not None:
            target = files_dir / document.file
            looked_at.append(str(target))
            problem = _document_file_problem(files_dir, target)
            if problem:
                code, message = problem
                report.at(source, ("documents", index, "file"), code, message)
                continue
            found = inspect_document(target)
            if found.pdf is not None and found.pdf.over_limit:
                report.at(source, ("documents", index, "file"), codes.DOCUMENT_NOT_CHECKABLE,
                          f"{display_path(target)} could not be checked within the limits on reading one PDF: it "
                          f"{found.pdf.why}; nothing is known of its accessibility. Open it and export or print it "
                          "again as a PDF (an ordinary export is far inside the limits), or ask the vendor for another "
                          "copy; then run check again")
                facts[document.file] = replace(found, pdf=None)
                continue
            if found.pdf is not None and not found.pdf.readable:
                report.at(source, ("documents", index, "file"), codes.DOCUMENT_NOT_READABLE,
                          f"{display_path(target)} {found.pdf.why}")
                continue
            facts[document.file] = found
    return looked_at, facts


def _document_file_problem(files_dir: Path, target: Path) -> tuple[Code, str] | None:
    shown = display_path(target)
    if not target.is_symlink() and not target.exists():
        return codes.DOCUMENT_NOT_FOUND, f"{shown} does not exist"
    problem = link_problem(target, files_dir, files_dir.parent.parent)  # content/contracts/files/x.pdf
    if problem:
        return codes.DOCUMENT_NOT_FOUND, f"{shown} {problem}"
    if not target.is_file():
        return codes.DOCUMENT_NOT_FOUND, f"{shown} is not a file"
    kind = DOCUMENT_TYPES[target.suffix.lower()]
    try:
        with target.open("rb") as handle:
            head = handle.read(HEADER_WITHIN)
    except OSError as error:
        return codes.DOCUMENT_NOT_FOUND, f"cannot read {shown}: {error.strerror}"
    if not (PDF_SIGNATURE in head if kind == "PDF" else head.startswith(ZIP_SIGNATURE)):
        return (codes.DOCUMENT_NOT_ITS_TYPE,
                f"{shown} is not a {kind} file (it does not start as one); save or export it again as {kind}")
    return None

