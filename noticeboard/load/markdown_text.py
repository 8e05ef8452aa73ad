"""Markdown → HTML, converted once per text (and place on its page).

Loading converts every Markdown text of the content, so that ``check`` reports what a
build could not publish (Python-Markdown recurses once per level of nesting); rendering
then finds the conversion here instead of doing it again.

What a page needs of the HTML is asked of Python-Markdown's own options rather than done
to its output:

- **one ``h1`` per page**: a text that uses ``#`` headings is converted with the ``toc``
  extension's ``baselevel=2``, so that its headings move down one level as a whole (``#``
  → ``h2``, ``##`` → ``h3``); a text whose headings start at ``##`` is left as written.
  ``toc``'s ``[TOC]`` marker is off: staff text never turns into a table of contents. An
  ``<h1>`` typed as HTML is not a Markdown heading: the sanitiser, which allows no ``h1``,
  keeps only its text.
- **footnote ids unique on a page**: the ``footnotes`` extension's ``SEPARATOR`` carries
  the number of the Markdown block on its page (``fn:2-1`` is footnote 1 of the page's
  second block), so that a notice's description and its data notes never share an id.
  The block number is part of the cache key; a text without footnotes has no ids, and is
  converted once whatever its block.

The conversions are kept in a dict of at most ``MAX_CACHED_TEXTS`` (the oldest goes first).
The build's disk cache (``cache.py``) takes the conversions made while a file is read
(``recorded``) and, when it serves that file from disk, puts them back (``remember``), so that
rendering finds them here all the same.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator, Mapping

import markdown
from markdown.extensions.footnotes import FootnoteExtension

MAX_CACHED_TEXTS = 65536
HEADINGS_FROM_H2 = 2  # toc's baselevel: the level that a `#` heading becomes


class MarkdownTooDeep(ValueError):
    """Lists or quotes nested so deeply that Python-Markdown runs out of stack."""


class _Converter:
    """One Python-Markdown instance, reset before each text, with its footnote extension at hand."""

    def __init__(self, heading_base: int = 1) -> None:
        self.heading_base = heading_base
        self._new()

    def _new(self) -> None:
        self._markdown = markdown.Markdown(
            extensions=["extra", "sane_lists", "toc"],
            extension_configs={"toc": {"baselevel": self.heading_base, "marker": ""}}, output_format="html")
        self._footnotes = next(extension for extension in self._markdown.registeredExtensions
                               if isinstance(extension, FootnoteExtension))

    def convert(self, text: str, footnote_block: int) -> str:
        self._markdown.reset()
        self._footnotes.setConfig("SEPARATOR", f":{footnote_block}-")
        try:
            return self._markdown.convert(text)
        except RecursionError:
            self._new()  # a conversion cut short leaves state that reset() does not clear
            raise MarkdownTooDeep from None

    def heading_levels(self) -> set[int]:
        """The levels of the Markdown headings of the text last converted (``toc``'s list of them)."""
        levels, tokens = set(), list(self._markdown.toc_tokens)
        while tokens:
            token = tokens.pop()
            levels.add(token["level"])
            tokens.extend(token["children"])
        return levels


_as_written = _Converter()
_headings_moved_down = _Converter(heading_base=HEADINGS_FROM_H2)


Conversion = tuple[str, int]  # (text, footnote block): what a conversion is kept by

_conversions: dict[Conversion, str] = {}
_adding = threading.Lock()  # the forgetting of the oldest, under the preview's threads
_recording = threading.local()  # .conversions: what ``recorded`` collects in this thread


def markdown_to_html(text: str, footnote_block: int = 1) -> str:
    """Unsanitised HTML of ``text``, the ``footnote_block``-th Markdown text of its page, with
    no ``h1``; raises ``MarkdownTooDeep``."""
    if "[^" not in text:  # no footnote, so no id that the block number would change
        footnote_block = 1
    key = (text, footnote_block)
    html = _conversions.get(key)
    if html is None:
        html = _converted(text, footnote_block)
        _keep(key, html)
    collected = getattr(_recording, "conversions", None)
    if collected is not None:
        collected[key] = html
    return html


@contextmanager
def recorded() -> Iterator[dict[Conversion, str]]:
    """The conversions asked for in this thread within the ``with`` (made or found kept)."""
    outer = getattr(_recording, "conversions", None)
    _recording.conversions = collected = {}
    try:
        yield collected
    finally:
        _recording.conversions = outer
        if outer is not None:
            outer.update(collected)


def remember(conversions: Mapping[Conversion, str]) -> None:
    """Keep conversions made earlier (``recorded``, from the disk cache), as if made here."""
    collected = getattr(_recording, "conversions", None)
    for key, html in conversions.items():
        if key not in _conversions:
            _keep(key, html)
        if collected is not None:
            collected[key] = html


def _keep(key: Conversion, html: str) -> None:
    with _adding:
        while len(_conversions) >= MAX_CACHED_TEXTS:
            del _conversions[next(iter(_conversions))]
        _conversions[key] = html


def _converted(text: str, footnote_block: int) -> str:
    html = _as_written.convert(text, footnote_block)
    if 1 in _as_written.heading_levels():  # a `#` heading: the whole text moves down a level
        html = _headings_moved_down.convert(text, footnote_block)
    return html
