"""The ways in that parents use: companies A–Z, schools, grades, kinds of data, and the company × data grid.

Pure functions over the notices and vendors that ``builder.py`` builds; no I/O.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

from .. import urls
from ..grades import GRADE_KEYS
from ..load.records import DataElement
from ..names import group_names, initial, slugify

if TYPE_CHECKING:
    from .model import Notice, Vendor


def vendor_order(vendor: "Vendor") -> tuple:
    return (vendor.name.casefold(), vendor.slug)


# --- kinds of data --------------------------------------------------------------------------

@dataclass
class Category:
    name: str
    elements: list[DataElement]

    @property
    def sensitive(self) -> list[DataElement]:
        return [element for element in self.elements if element.sensitive]


def categorised(elements: Iterable[DataElement], order: dict[str, int]) -> list[Category]:
    """Elements grouped by category for parents: sensitive first, then in vocabulary order.

    Within a category sensitive elements come first; categories that hold one come
    before those that hold none. The one rule of every page that lists data.
    """
    grouped: dict[str, list[DataElement]] = {}
    for element in sorted(elements, key=lambda e: order[e.key]):
        grouped.setdefault(element.category, []).append(element)
    categories = [Category(name, sorted(items, key=lambda e: not e.sensitive)) for name, items in grouped.items()]
    return sorted(categories, key=lambda category: not category.sensitive)


@dataclass
class ElementUse:
    """One kind of data, with every notice that lists it (newest first) and their companies (A–Z)."""
    element: DataElement
    url: str
    notices: list["Notice"]
    vendors: list["Vendor"]


@dataclass
class ElementCategory:
    name: str
    uses: list[ElementUse]

    @property
    def anchor(self) -> str:
        return "category-" + slugify(self.name)


def element_uses(elements: dict[str, DataElement], notices: list["Notice"]) -> list[ElementUse]:
    """Every element of the vocabulary, in its order, each with the notices that list it."""
    listing: dict[str, list["Notice"]] = defaultdict(list)
    for notice in notices:  # already newest first
        for element in notice.student_data or []:
            listing[element.key].append(notice)
    return [ElementUse(element, urls.data_element(element.key), listing[element.key],
                       sorted({notice.vendor for notice in listing[element.key]}, key=vendor_order))
            for element in elements.values()]


def element_categories(uses: list[ElementUse], order: dict[str, int]) -> list[ElementCategory]:
    """``uses`` grouped by ``categorised``: sensitive first, by what these uses hold."""
    by_key = {use.element.key: use for use in uses}
    return [ElementCategory(category.name, [by_key[element.key] for element in category.elements])
            for category in categorised((use.element for use in uses), order)]


@dataclass
class GridRow:
    vendor: "Vendor"
    cells: list[list[DataElement]]  # one per column: what the vendor may see in that category


@dataclass
class DataGrid:
    """Companies × the categories of data that any notice lists; unused categories are left out."""
    categories: list[str]
    rows: list[GridRow]


def data_grid(vendors: list["Vendor"], columns: list[str]) -> DataGrid:
    """``columns``: the categories that some notice lists, in the order of /data/."""
    rows = []
    for vendor in vendors:
        if vendor.data_by_category:
            by_name = {category.name: category.elements for category in vendor.data_by_category}
            rows.append(GridRow(vendor, [by_name.get(name, []) for name in columns]))
    return DataGrid(columns, rows)


# --- companies A–Z ---------------------------------------------------------------------------

@dataclass
class Letter:
    letter: str
    anchor: str
    vendors: list["Vendor"]


def letters(vendors: list["Vendor"]) -> list[Letter]:
    grouped: dict[str, list["Vendor"]] = defaultdict(list)
    for vendor in vendors:
        grouped[initial(vendor.name)].append(vendor)
    return [Letter(letter, "letter-" + ("other" if letter == "#" else letter.lower()),
                   sorted(grouped[letter], key=vendor_order))
            for letter in sorted(grouped, key=lambda l: (l == "#", l))]


def alphabet(grouped: list[Letter]) -> list[tuple[str, Letter | None]]:
    present = {letter.letter: letter for letter in grouped}
    result = [(chr(code), present.get(chr(code))) for code in range(ord("A"), ord("Z") + 1)]
    if "#" in present:
        result.append(("#", present["#"]))
    return result


# --- schools ------------------------------------------------------------------------------------

@dataclass(eq=False)
class School:
    slug: str
    name: str
    url: str
    notices: list["Notice"] = field(default_factory=list)  # newest first
    removed_by: list["Notice"] = field(default_factory=list)  # amendments and renewals that remove it, newest first


def schools(names: Iterable[str]) -> dict[str, School]:
    """``names.name_key`` → School, for every school name given (one per name, as for companies)."""
    return {key: School(slugify(name), name, urls.school(slugify(name))) for key, name in group_names(names).items()}


# --- grades -------------------------------------------------------------------------------------

@dataclass(eq=False)
class Grade:
    key: str  # of grades.GRADE_KEYS: pk, k, 1 … 12; labels.grades[key] names it
    url: str
    notices: list["Notice"] = field(default_factory=list)  # that cover it, newest first
    removed_by: list["Notice"] = field(default_factory=list)  # amendments and renewals that remove it, newest first


def grades() -> dict[str, Grade]:
    """Key → Grade, for every grade of ``GRADE_KEYS``, in their order."""
    return {key: Grade(key, urls.grade(key)) for key in GRADE_KEYS}
