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

Loading keeps each conversion on the file's ``Source`` (``markdown_html``), so the disk cache
keeps it with what the file gave; the builder hands them to rendering on the ``Site``. Nothing
here is kept between calls.
"""
from __future__ import annotations


import re

import markdown
from markdown.extensions.footnotes import FootnoteExtension

HEADINGS_FROM_H2 = 2  # toc's baselevel: the level that a `#` heading becomes
MAX_NESTING = 100  # levels of lists, quotes and blocks that a text may nest: far more than any page needs
_NESTING_TAG = re.compile(r"<(/?)(?:ul|ol|blockquote|div)\b[^>]*>")


class MarkdownTooDeep(ValueError):
    """Lists or quotes nested more than ``MAX_NESTING`` levels deep.

    One limit of our own, whatever the version of Python-Markdown: some versions run out of
    stack on such a text, others convert it, and the same content must check the same way.
    """


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
            html = self._markdown.convert(text)
        except RecursionError:
            self._new()  # a conversion cut short leaves state that reset() does not clear
            raise MarkdownTooDeep from None
        if _nesting(html) > MAX_NESTING:
            raise MarkdownTooDeep
        return html

    def heading_levels(self) -> set[int]:
        """The levels of the Markdown headings of the text last converted (``toc``'s list of them)."""
        levels, tokens = set(), list(self._markdown.toc_tokens)
        while tokens:
            token = tokens.pop()
            levels.add(token["level"])
            tokens.extend(token["children"])
        return levels


def _nesting(html: str) -> int:
    """How many lists, quotes and blocks the deepest point of ``html`` is inside."""
    depth = deepest = 0
    for tag in _NESTING_TAG.finditer(html):
        depth = depth - 1 if tag[1] else depth + 1
        deepest = max(deepest, depth)
    return deepest


_as_written = _Converter()
_headings_moved_down = _Converter(heading_base=HEADINGS_FROM_H2)


def markdown_to_html(text: str, footnote_block: int = 1) -> str:
    """Unsanitised HTML of ``text``, the ``footnote_block``-th Markdown text of its page, with
    no ``h1``; raises ``MarkdownTooDeep``."""
    if "[^" not in text:  # no footnote, so no id that the block number would change
        footnote_block = 1
    return _converted(text, footnote_block)


def _converted(text: str, footnote_block: int) -> str:
    html = _as_written.convert(text, footnote_block)
    if 1 in _as_written.heading_levels():  # a `#` heading: the whole text moves down a level
        html = _headings_moved_down.convert(text, footnote_block)
    return html
