"""The house as data flows through it: sub-packages by stage, imported in one direction only.

load → checks → site → output → preview/tools, with the leaf modules at the top (codes, urls, …)
below them all and cli.py/pipeline.py above them all. A module that reaches back up the flow (loading
that knows of pages, a check that builds them, a leaf that imports a stage) fails here, with the line.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "noticeboard"
STAGES = ("load", "checks", "site", "output", "preview", "tools")
ENTRY = {"cli", "pipeline"}  # the command line and the one call per stage: they may import anything
LEAF = "leaf"  # the modules at the top that are neither a stage nor an entry: codes, urls, values, …

# What each part may import, besides itself and the leaves.
MAY_IMPORT = {
    LEAF: set(),
    "load": set(),
    "checks": {"load"},
    "site": {"load"},
    "output": {"load", "site"},
    "preview": {"load", "checks", "site", "output"},
    "tools": {"load", "checks", "site", "output"},
}


def part_of(module: str) -> str:
    """``noticeboard.load.cache`` → ``load``; ``noticeboard.urls`` → ``leaf``; ``noticeboard.cli`` → ``cli``."""
    parts = module.split(".")[1:]
    if not parts:
        return LEAF  # noticeboard/__init__.py: program()
    if parts[0] in STAGES:
        return parts[0]
    return parts[0] if parts[0] in ENTRY else LEAF


def module_name(path: Path) -> str:
    relative = path.relative_to(REPO).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


def imports_of(path: Path, source: str | None = None) -> list[tuple[int, str]]:
    """Every module of the package that ``path`` (or ``source``, as if it were there) imports, absolute,
    with the line of the import."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    source = path.read_text(encoding="utf-8") if source is None else source
    for node in ast.walk(ast.parse(source, str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "noticeboard":
                continue
            if node.module is None or target.count(".") == 0:  # from . import codes: each name is a module or not
                found.extend((node.lineno, f"{target}.{alias.name}") for alias in node.names)
            else:
                found.append((node.lineno, target))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names if alias.name.startswith("noticeboard."))
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_the_package_has_its_stages_and_no_other_folder_of_code():
    folders = {path.parent.name for path in MODULES if path.parent != PACKAGE}
    assert folders == set(STAGES)


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.relative_to(PACKAGE).as_posix())
def test_imports_go_one_way(path):
    here = part_of(module_name(path))
    if here in ENTRY:
        return
    allowed = MAY_IMPORT[here] | {here, LEAF}
    wrong = [f"{path.relative_to(REPO)}:{line}: {here} imports {target} ({part_of(target)})"
             for line, target in imports_of(path) if part_of(target) not in allowed]
    assert not wrong, "\n".join(wrong)


def test_the_rule_catches_an_import_against_the_flow():
    """The walk itself: a module of load/ that imported the builder of pages would be caught."""
    path = PACKAGE / "load" / "content.py"
    source = path.read_text(encoding="utf-8") + "\nfrom ..site.builder import build_site\nfrom .. import urls\n"
    found = {target for _, target in imports_of(path, source)}
    assert {"noticeboard.site.builder", "noticeboard.urls", "noticeboard.load.records"} <= found
    assert part_of("noticeboard.site.builder") not in MAY_IMPORT["load"] | {"load", LEAF}


# The attributes of a library that its documentation gives although they start with "_": namedtuple's, and
# enum's "_sunder_" names (``_value_``, set in an Enum's ``__new__``).
PUBLIC_UNDERSCORED = {"_replace", "_asdict", "_fields", "_make"}


def private_attributes(source: str) -> list[tuple[int, str]]:
    """(line, name) of each ``x._name`` where ``x`` is not the object's own ``self`` or ``cls``: a private
    attribute of something else, which a library may change in any release."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                and node.attr not in PUBLIC_UNDERSCORED and not (node.attr.endswith("_") and len(node.attr) > 2)
                and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))):
            found.append((node.lineno, node.attr))
    return sorted(found)


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.relative_to(PACKAGE).as_posix())
def test_no_module_reaches_a_private_attribute_of_another_object(path):
    found = private_attributes(path.read_text(encoding="utf-8"))
    assert not found, [f"{path.relative_to(REPO)}:{line}: .{name}" for line, name in found]


def test_the_rule_finds_a_private_attribute():
    source = ("class Server(Base):\n    def go(self):\n        self._own = super()._theirs()\n"
              "        Handler._tasks = []\n        return parts._replace(path='/')\n")
    assert private_attributes(source) == [(3, "_theirs"), (4, "_tasks")]
