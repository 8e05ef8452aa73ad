"""Interface text and date formats, per language: one place for each."""
from __future__ import annotations

from datetime import date

from .schema import Month

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
           "octubre", "noviembre", "diciembre"],
}

DATE_FORMAT = {"en": "{day} {month} {year}", "es": "{day} de {month} de {year}"}
MONTH_FORMAT = {"en": "{month} {year}", "es": "{month} de {year}"}

LANGUAGE_NAMES = {"en": "English", "es": "Español"}

STRINGS = {
    "en": {
        "skip": "Skip to main content",
        "nav_label": "Main",
        "home": "Home",
        "notices": "Notices",
        "vendors": "Companies A–Z",
        "data": "Student data",
        "schools": "Schools",
        "last_updated": "Notices last updated:",
        "printed_from": "Printed from the site as built on",
        "guide": "Parent guide",
        "policies": "Policies",
        "contact": "Contact",
        "feed": "Notices feed (Atom)",
        "open_data": "Open data",
        "page_not_translated": "This page is not yet available in English; it is shown in its original language.",
        "other_languages": "This page in other languages",
        "search": "Search",
    },
    "es": {
        "skip": "Saltar al contenido principal",
        "nav_label": "Principal",
        "home": "Inicio",
        "notices": "Avisos",
        "vendors": "Empresas de la A a la Z",
        "data": "Datos estudiantiles",
        "schools": "Escuelas",
        "last_updated": "Última actualización de los avisos:",
        "printed_from": "Impreso del sitio publicado el",
        "guide": "Guía para padres",
        "policies": "Políticas",
        "contact": "Contacto",
        "feed": "Canal de avisos (Atom)",
        "open_data": "Datos abiertos",
        "page_not_translated": "Esta página aún no está traducida al español; se muestra en inglés.",
        "other_languages": "Esta página en otros idiomas",
        "search": "Buscar",
    },
}

SUPPORTED = tuple(STRINGS)


def strings(lang: str) -> dict[str, str]:
    return STRINGS.get(lang, STRINGS["en"])


def format_date(value: date | Month, lang: str = "en") -> str:
    """``21 January 2025``, or ``April 2022`` for a month: unambiguous for every reader."""
    months = MONTHS.get(lang, MONTHS["en"])
    if isinstance(value, Month):
        return MONTH_FORMAT.get(lang, MONTH_FORMAT["en"]).format(month=months[value.month - 1], year=value.year)
    pattern = DATE_FORMAT.get(lang, DATE_FORMAT["en"])
    return pattern.format(day=value.day, month=months[value.month - 1], year=value.year)
