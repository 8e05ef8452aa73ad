"""Markdown → HTML, converted once per text.

Loading converts every Markdown text of the content, so that ``check`` reports what a
build could not publish (Python-Markdown recurses once per level of nesting); rendering
then finds the conversion here instead of doing it again.
"""
from __future__ import annotations

from functools import lru_cache

import markdown

MAX_CACHED_TEXTS = 65536


class MarkdownTooDeep(ValueError):
    """Lists or quotes nested so deeply that Python-Markdown runs out of stack."""


def _new_converter() -> markdown.Markdown:
    return markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")


_converter = _new_converter()


@lru_cache(maxsize=MAX_CACHED_TEXTS)
def markdown_to_html(text: str) -> str:
    """Unsanitised HTML of ``text``; raises ``MarkdownTooDeep``."""
    global _converter
    _converter.reset()
    try:
        return _converter.convert(text)
    except RecursionError:
        _converter = _new_converter()  # a conversion cut short leaves state that reset() does not clear
        raise MarkdownTooDeep from None
