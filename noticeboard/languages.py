"""Text of the content in several languages: what a file gives, and what a page shows.

Content gives a text either plainly (in the site's default language) or as a mapping
from language code to text. A page in one language shows each text in that language
where it exists, and otherwise in the default language: such a text keeps its language
(``Localized.lang``) so that the page can mark it, never silently.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

DEFAULT = ""  # the key of a text written plainly: it is in the site's default language


class Localized(str):
    """A text together with the language it is written in."""

    lang: str

    def __new__(cls, text: str, lang: str) -> "Localized":
        value = super().__new__(cls, text)
        value.lang = lang
        return value

    def __getnewargs__(self) -> tuple[str, str]:
        return str(self), self.lang


def untranslated(text: object, page_lang: str) -> bool:
    """A text of the content that a page in ``page_lang`` shows in another language, for want of a
    translation; interface text and names (plain ``str``) are never untranslated."""
    return getattr(text, "lang", page_lang) != page_lang


@dataclass(frozen=True)
class Translatable:
    """A text in one or more languages, as the content gives it."""

    texts: tuple[tuple[str, str], ...]  # (language, text); DEFAULT for plain text

    @classmethod
    def of(cls, value: "str | Mapping[str, str]") -> "Translatable":
        if isinstance(value, str):
            return cls(((DEFAULT, value),))
        return cls(tuple(value.items()))

    def in_language(self, lang: str, default: str) -> Localized:
        """The text in ``lang``, or else in ``default`` (which validation makes sure exists)."""
        texts = dict(self.texts)
        if DEFAULT in texts:
            texts.setdefault(default, texts.pop(DEFAULT))
        if lang in texts:
            return Localized(texts[lang], lang)
        if default in texts:
            return Localized(texts[default], default)
        first_lang, first_text = next(iter(texts.items()))
        return Localized(first_text, first_lang)
