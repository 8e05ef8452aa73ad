"""The words that pages show for codes, in one place.

Templates hold markup. Where a page shows a word for a code of the content or of the site
— a notice's kind, its status, what an incomplete notice has not yet posted, the kind of a
search result — it looks the code up in ``Labels``, whose tables are below, in English,
marked for ``make messages`` and translated from the catalog of the page's language. So is
the number of business days of the law's deadline (site.yml's
``notice_deadline_business_days``): spelled out from one to ten ("five"), in figures above.
"""
from __future__ import annotations

from datetime import date
from typing import Callable

from babel.support import NullTranslations
from markupsafe import Markup

from ..load.records import DESCRIPTION, SIGNING_DATE, STUDENT_DATA
from ..values import Month



def N_(message: str) -> str:
    """Marks ``message`` for extraction into the catalogs; ``Labels`` translates it."""
    return message


NOTICE_KINDS = {
    "contract": N_("Contract"),
    "amendment": N_("Amendment to an earlier contract"),
    "renewal": N_("Renewal of an earlier contract"),
}
STATUSES = {  # model.Notice.status: active only when the end date is known and not past
    "active": N_("Active"),
    "expired": N_("Expired"),
    "no_end_date": N_("No end date posted"),
}
DOCUMENT_KINDS = {  # schema.DOCUMENT_KINDS, as a notice's document links name them
    "contract": N_("Contract"),
    "amendment": N_("Amendment"),
    "dpa": N_("Data privacy agreement"),
    "privacy_policy": N_("Privacy policy"),
    "terms": N_("Terms of service"),
    "other": N_("Other document"),
}
MISSING_ELEMENTS = {  # records.NOTICE_ELEMENTS, as the incomplete notice's page lists them
    SIGNING_DATE: N_("the date the contract was signed"),
    STUDENT_DATA: N_("which student data this company may access"),
    DESCRIPTION: N_("what the contract is for"),
    # The further fields that a jurisdiction may require (its profile's notice.fields)
    "vendor_address": N_("the company's business address"),
    "subprocessors": N_("the other companies that receive the data, or where the company lists them"),
    "subprocessor_safeguards": N_("how the company makes others who receive the data protect it"),
    "expires": N_("when the contract ends"),
    "retention": N_("what happens to the data when the contract ends"),
    "accuracy_challenge": N_("how to challenge the accuracy of the data"),
    "storage_and_security": N_("where the data is stored and how it is protected"),
    "encryption": N_("how the data is encrypted"),
}
SIGNING_MONTH_ONLY = N_("the day the contract was signed (only the month, %(month)s, has been posted)")
SEARCH_KINDS = {  # what each page of the search index is, shown with its result
    "notice": N_("Notice"),
    "company": N_("Company"),
    "data": N_("Student data"),
    "guide": N_("Guide"),
    "page": N_("Page"),
    "policy": N_("Policy"),
    "breach": N_("Data breach"),
    "breaches": N_("Data breaches"),
}
GRADES = {  # grades.GRADE_KEYS, as pages name each grade
    "pk": N_("Pre-kindergarten"),
    "k": N_("Kindergarten"),
    "1": N_("Grade 1"),
    "2": N_("Grade 2"),
    "3": N_("Grade 3"),
    "4": N_("Grade 4"),
    "5": N_("Grade 5"),
    "6": N_("Grade 6"),
    "7": N_("Grade 7"),
    "8": N_("Grade 8"),
    "9": N_("Grade 9"),
    "10": N_("Grade 10"),
    "11": N_("Grade 11"),
    "12": N_("Grade 12"),
}
SPELLED_OUT = 10  # numbers of business days up to this one are words
ONLY_IN = N_("(only in %(language)s)")  # after a text of the content shown for want of a translation


def _business_days_in_words(catalog: NullTranslations) -> list[str]:
    """One to ten, as in "within five business days"."""
    pgettext = catalog.pgettext
    # Translators: a number of business days, spelled out, as in "within five business days".
    return [pgettext("business days", "one"), pgettext("business days", "two"),
            pgettext("business days", "three"), pgettext("business days", "four"),
            pgettext("business days", "five"), pgettext("business days", "six"),
            pgettext("business days", "seven"), pgettext("business days", "eight"),
            pgettext("business days", "nine"), pgettext("business days", "ten")]


class Labels:
    """The tables above in one language, as templates use them: ``labels.notice_kinds[notice.kind]``.

    Like every text of the catalogs that a template shows with ``_()``, a label is markup.
    ``formatted_date`` writes a date or month in the language of ``catalog``.
    """

    def __init__(self, catalog: NullTranslations, formatted_date: Callable[[date | Month], str]) -> None:
        self._catalog, self._formatted_date = catalog, formatted_date

        def translated(table: dict[str, str]) -> dict[str, Markup]:
            return {code: Markup(catalog.gettext(message)) for code, message in table.items()}

        self.notice_kinds = translated(NOTICE_KINDS)
        self.statuses = translated(STATUSES)
        self.document_kinds = translated(DOCUMENT_KINDS)
        self.missing_elements = translated(MISSING_ELEMENTS)
        self.search_kinds = translated(SEARCH_KINDS)
        self.grades = translated(GRADES)
        self._days_in_words = _business_days_in_words(catalog)
        self._only_in: dict[str, Markup] = {}

    def missing(self, elements: list[str], contract_date: date | Month | None) -> list[Markup]:
        """What an incomplete notice has not yet posted (its ``missing`` elements), in words; a month
        ``contract_date`` says that only the month is known. It takes the notice's values, not the notice: what a
        page reads of a notice is what its templates read (``dependencies.py``)."""
        month_only = Markup(self._catalog.gettext(SIGNING_MONTH_ONLY))
        return [month_only % {"month": self._formatted_date(contract_date)}
                if element == SIGNING_DATE and contract_date else self.missing_elements[element]
                for element in elements]

    def only_in(self, language: str) -> Markup:
        """"(only in English)", the note of ``translated`` after a text in ``language`` (its name in the page's
        language, ``language_name_in``): made once per language, not at each of the many texts a page shows untranslated."""
        if language not in self._only_in:
            self._only_in[language] = Markup(self._catalog.gettext(ONLY_IN)) % {"language": language}
        return self._only_in[language]

    def business_days(self, count: int) -> str:
        """``count`` as the deadline's sentence writes it: "five", or "15"."""
        return self._days_in_words[count - 1] if 1 <= count <= SPELLED_OUT else str(count)
