"""What the pages of each further language show untranslated, for ``check``: counted on the pages'
own objects, so that the count is what parents see (a notice known only from its amendments, a
draft left out, the elements some notice lists)."""
from __future__ import annotations

from datetime import date

from ..diagnostics import plural
from ..i18n import language_name_in
from ..languages import untranslated
from ..load.records import Content
from .builder import build_site
from .pages import Site


def _untranslated(site: Site) -> dict[str, int]:
    """What the pages of ``site`` show in the default language for want of a translation, by kind."""
    def shown_untranslated(*texts) -> bool:
        return any(untranslated(text, site.lang) for text in texts if text and text.strip())

    elements = [use.element for use in site.elements]
    return {
        "notice": sum(shown_untranslated(n.title, n.description, n.student_data_notes, n.retention) for n in site.notices),
        "policy": sum(shown_untranslated(p.title, p.body) for p in site.policies),
        "page": sum(shown_untranslated(p.title) for p in site.pages),
        "breach notice": sum(shown_untranslated(b.description) for b in site.breaches),
        "data element": sum(shown_untranslated(e.label, e.category, e.description) for e in elements),
        "setting": sum(shown_untranslated(text) for text in [site.title, site.district]
                       + [group.title for group in site.policy_series]),
    }


def translation_lines(content: Content, today: date) -> list[str]:
    """One line per further language of the site: how much of what parents read is not yet translated."""
    lines = []
    for lang in content.site.languages[1:]:
        counts = _untranslated(build_site(content, today, lang=lang))
        name, default = language_name_in(lang, "en"), language_name_in(content.site.languages[0], "en")
        missing = [plural(count, kind, "policies" if kind == "policy" else None)
                   for kind, count in counts.items() if count]
        if missing:
            lines.append(f"{name} ({lang}): {', '.join(missing)} not yet translated; the {name} pages show their "
                         f"text in {default}, marked as such")
        else:
            lines.append(f"{name} ({lang}): everything is translated")
    return lines
