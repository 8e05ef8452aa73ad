"""``noticeboard init``: a new site for a district, complete and without a notice, in a folder that is new or empty.

What it writes comes from the package: the starter files (``noticeboard/starter/``: the settings, the notes of
each folder, the staff's README, the workflow, and a parent guide per jurisdiction in ``starter/<code>/``), the
jurisdiction's profile (the law that ``site.yml`` names) and the shipped vocabulary and policy series, with only
the site's languages. Everything is written into a staging folder inside the new site's folder, then moved into
place: a failure half-way leaves nothing behind.
The files hold no date, so the same options always write the same bytes.
"""
from __future__ import annotations

import importlib.metadata
import json
import os
import re
import shutil
import sysconfig
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from pydantic import TypeAdapter, ValidationError

from .. import __version__, program
from ..i18n import catalog_path
from ..load.jurisdictions import JURISDICTIONS, Jurisdiction, load_jurisdiction
from ..load.schema import DEFAULT_JURISDICTION, EmailAddress
from ..load.settings import SHIPPED_ELEMENTS, SHIPPED_SERIES, shipped_text
from ..theme import FOLDER_NOTE, SITE_STATIC, SITE_TEMPLATES
from ..urls import web_address_problem
from .new import name_problem, yaml_text

PACKAGE = Path(__file__).resolve().parents[1]
STARTER = PACKAGE / "starter"
NOTES = STARTER / "notes"
WORKFLOW_TEMPLATE = STARTER / "notices.yml"
WORKFLOW = ".github/workflows/notices.yml"
CONTENT = "content"
GUIDE = "guide"  # content/pages/guide.md, and guide.<lang>.md in the other languages
DEFAULT_LANGUAGES = "en,es"
PLACEHOLDER_BASE_URL = "https://notices.example.org/"  # check warns of it until the real address is written
DISTRIBUTION = "noticeboard"  # the name that pip installs Notice Board by

_PLACEHOLDER = re.compile(r"@([a-z_]+)@")


@dataclass(frozen=True)
class Install:
    """How a workflow installs Notice Board: the pip command, and the file that pip's download cache keys on."""
    command: str
    cache_key: str


THIS_REPOSITORY = Install("pip install .", "pyproject.toml")  # Notice Board's own workflow, from its sources
SITE_REPOSITORY = Install("pip install -r requirements.txt", "requirements.txt")  # a district's, at one version


def fill(template: str, **values: str) -> str:
    """``template`` with each ``@name@`` replaced by ``values[name]``; a name without a value is a KeyError
    (a starter file and this module disagree), and the values are not read again for placeholders."""
    return _PLACEHOLDER.sub(lambda match: values[match[1]], template)


def workflow_text(install: Install) -> str:
    """The GitHub workflow of a site that installs Notice Board so: a district's (``SITE_REPOSITORY``), and
    this repository's own .github/workflows/notices.yml (``THIS_REPOSITORY``, which a test holds it to)."""
    return fill(WORKFLOW_TEMPLATE.read_text(encoding="utf-8"), install=install.command, cache_key=install.cache_key)


def starter_guides() -> list[str]:
    """The jurisdictions that ``starter/`` has a parent guide for (a folder of ``guide.<lang>.md``): a test holds
    them to the shipped profiles, ``JURISDICTIONS``."""
    return sorted(folder.name for folder in STARTER.iterdir()
                  if folder.is_dir() and any(folder.glob(f"{GUIDE}.*.md")))


def languages_offered(jurisdiction: str) -> list[str]:
    """The languages that init writes a site in, for ``jurisdiction``: those with a catalog of interface text,
    a site title and a parent guide."""
    titles = _site_titles()
    guides = [path.name.split(".")[1] for path in (STARTER / jurisdiction).glob(f"{GUIDE}.*.md")]
    return sorted(lang for lang in guides if lang in titles and catalog_path(lang).is_file())


def _site_titles() -> dict[str, str]:
    return yaml.safe_load((STARTER / "titles.yml").read_text(encoding="utf-8"))


class InitRefused(ValueError):
    """The site cannot be made as asked (a folder in use, an unknown language…): nothing was written."""


# --------------------------------------------------------------------------- Notice Board's line in requirements.txt

@dataclass(frozen=True)
class Requirement:
    """The line of requirements.txt that installs Notice Board, and, when init chose it from how it was itself
    installed and it may not install elsewhere, why."""
    line: str
    caution: str | None = None


_VERSION = r"[0-9]+(?:\.[0-9]+)*(?:(?:a|b|rc)[0-9]+)?(?:\.post[0-9]+)?(?:\.dev[0-9]+)?"
_ON_AN_INDEX = re.compile(rf"{DISTRIBUTION}==({_VERSION})")
_WHEEL_NAME = re.compile(rf"{DISTRIBUTION}-{_VERSION}(?:-[A-Za-z0-9_.]+){{3}}\.whl")
_GIT_REVISION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")
INSTALL_FORMS = (f"{DISTRIBUTION}==X.Y.Z (a version on a package index), "
                 f"https://HOST/PATH/{DISTRIBUTION}-X.Y.Z-py3-none-any.whl (a wheel), or "
                 "git+https://HOST/OWNER/REPOSITORY@TAG (a tag or commit of a git repository)")


def requirement(spec: str) -> Requirement:
    """The line of requirements.txt for ``--install SPEC``: a version on an index, a wheel's https address, or
    a git repository's https address at a tag or commit; anything else is refused, saying the three forms."""
    spec = spec.strip()
    if _ON_AN_INDEX.fullmatch(spec):
        return Requirement(spec)
    address = spec.removeprefix("git+")
    problem = web_address_problem(address, site_root=True) if "://" in spec else "is not an address"
    if problem is None and urlsplit(address).scheme != "https":
        problem = "must start with https:// (or git+https://): the workflow downloads Notice Board with it"
    if problem is None and spec.startswith("git+"):
        repository, at, revision = address.rpartition("@")
        if not at or "/" not in urlsplit(repository).path.strip("/") or not _GIT_REVISION.fullmatch(revision):
            problem = "names no tag or commit: end it with @ and the tag (git+https://HOST/OWNER/REPOSITORY@v1.2.0)"
    elif problem is None and not _WHEEL_NAME.fullmatch(urlsplit(address).path.rpartition("/")[2]):
        problem = f"is not the address of a wheel of Notice Board ({DISTRIBUTION}-X.Y.Z-py3-none-any.whl)"
    if problem:
        raise InitRefused(f"--install '{spec}' {problem}; give {INSTALL_FORMS}")
    return Requirement(f"{DISTRIBUTION} @ {spec}")


def requirement_of_install(version: str, direct_url: dict | None, from_an_index: bool) -> Requirement:
    """The line that installs this very Notice Board, from what PEP 610's ``direct_url.json`` says of how it was
    installed: from a git repository, that repository at its commit; from an archive's address, that address;
    otherwise ``noticeboard==VERSION``, with a caution unless it came from an index (``from_an_index``)."""
    pinned = f"{DISTRIBUTION}=={version}"
    how = "runs from a checkout of its sources"
    if direct_url is not None:
        url = str(direct_url.get("url", ""))
        vcs = direct_url.get("vcs_info")
        try:
            if isinstance(vcs, dict) and vcs.get("vcs") == "git" and vcs.get("commit_id"):
                return requirement(f"git+{url}@{vcs['commit_id']}")
            if "archive_info" in direct_url:
                return requirement(url)
        except InitRefused:
            pass
        folder = direct_url.get("dir_info")
        how = "was installed " + (
            f"from {url}" if not isinstance(folder, dict) else
            f"{'editable ' if folder.get('editable') else ''}from the folder {url.removeprefix('file://')}")
        from_an_index = False
    if from_an_index:
        return Requirement(pinned)
    return Requirement(pinned, f"requirements.txt names {pinned}, but this Notice Board {how}, so that version "
                               "may not be on a package index that the workflow can reach. Give --install with the "
                               f"wheel or the git tag to install ({program()} init --help), or change "
                               "requirements.txt.")


def running_requirement() -> Requirement:
    """The line that installs the Notice Board that is running, as its installation's metadata says."""
    package = PACKAGE / "__init__.py"
    try:
        distribution = importlib.metadata.distribution(DISTRIBUTION)
        installed = Path(str(distribution.locate_file(f"{DISTRIBUTION}/__init__.py"))).resolve() == package
    except importlib.metadata.PackageNotFoundError:
        installed = False
    if not installed:  # run from a checkout, not from what pip installed (or another copy of it)
        return requirement_of_install(__version__, None, from_an_index=False)
    try:
        direct_url = json.loads(distribution.read_text("direct_url.json") or "null")
    except ValueError:
        direct_url = None
    site_packages = {Path(sysconfig.get_paths()[name]).resolve() for name in ("purelib", "platlib")}
    in_site_packages = any(package.is_relative_to(folder) for folder in site_packages)
    return requirement_of_install(distribution.version, direct_url if isinstance(direct_url, dict) else None,
                                  from_an_index=in_site_packages)


# --------------------------------------------------------------------------- the options

def checked_languages(languages: list[str], jurisdiction: str) -> list[str]:
    offered = languages_offered(jurisdiction)
    accepted = f"the languages that Notice Board has a parent guide and an interface in are {', '.join(offered)}"
    for index, lang in enumerate(languages):
        if lang not in offered:
            raise InitRefused(f"--languages: '{lang}' is not a language that init writes a site in; {accepted}")
        if lang in languages[:index]:
            raise InitRefused(f"--languages: '{lang}' is listed twice; list each language once")
    if not languages:
        raise InitRefused(f"--languages names no language; {accepted}")
    return languages


def checked_jurisdiction(jurisdiction: str) -> str:
    if jurisdiction not in JURISDICTIONS:
        raise InitRefused(f"--jurisdiction: '{jurisdiction}' is not a jurisdiction that Notice Board knows; the "
                          f"known ones are {', '.join(JURISDICTIONS)}")
    return jurisdiction


def _checked_email(email: str) -> str:
    try:
        return TypeAdapter(EmailAddress).validate_python(email)
    except ValidationError as error:
        raise InitRefused(f"--email '{email}': {error.errors()[0]['msg']}") from None


def _checked_folder(folder: Path) -> None:
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise InitRefused(f"{folder}: is {'a link' if folder.is_symlink() else 'a file'}; init makes a new site in "
                          "a folder that does not exist yet or is empty")
    if folder.is_dir():
        found = sorted(entry.name for entry in os.scandir(folder))
        if found:
            shown = ", ".join(found[:3]) + (", …" if len(found) > 3 else "")
            raise InitRefused(f"{folder}: is not empty (it holds {shown}); init makes a new site only in a folder "
                              "that does not exist yet or is empty, so that it never overwrites anything")


# --------------------------------------------------------------------------- the files

def _markdown(text: str) -> str:
    """``text`` as Markdown shows it literally (a district named with * or _ is not emphasis)."""
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


def _translatable_yaml(name: str, texts: dict[str, str], note: str = "") -> str:
    """A setting given in one language as plain text, in several as a mapping by language (the default first)."""
    if len(texts) == 1:
        return f"{name}: {yaml_text(next(iter(texts.values())))}"
    lines = [f"{name}:"]
    for index, (lang, text) in enumerate(texts.items()):
        lines.append(f"  {lang}: {yaml_text(text)}" + (f"  # {note}" if note and index else ""))
    return "\n".join(lines)


def _law(profile: Jurisdiction) -> str:
    """The law that site.yml's comment names: its name and citation, or that there is none."""
    return f"{profile.law.name} ({profile.law.citation})" if profile.law else "no law (notices are posted by choice)"


def _default_deadline(profile: Jurisdiction) -> str:
    """What site.yml's comment says of the deadline when the setting is absent."""
    deadline = profile.notice.deadline
    if deadline is None:
        return "the law's: none" if profile.law else "default: none"
    return f"the law's: {deadline.days}" + (" calendar days" if deadline.count == "calendar" else "")


def site_yml(district: str, languages: list[str], jurisdiction: str, base_url: str, email: str | None) -> str:
    titles = _site_titles()
    profile = load_jurisdiction(jurisdiction)
    contact = (f"contact:\n  email: {email}\n  # phone: …\n  # address: …" if email else
               "# contact:\n#   email: dataprivacy@example.org\n#   phone: 555-0100\n#   address: 1 Main Street")
    return fill(
        (STARTER / "site.yml").read_text(encoding="utf-8"),
        jurisdiction=jurisdiction, jurisdictions=", ".join(JURISDICTIONS), law=_law(profile),
        deadline=_default_deadline(profile),
        in_each_language=", in each language" if len(languages) > 1 else "",
        title=_translatable_yaml("title", {lang: titles[lang] for lang in languages}),
        district=_translatable_yaml("district", {lang: district for lang in languages},
                                    note="its name in this language, if it has another"),
        base_url=base_url, contact=contact, languages=f"[{', '.join(languages)}]", logo_alt=yaml_text(district))


_TEXT_BY_LANGUAGE = re.compile(r" {4}[a-z]{2,3}: (.*\n?)")  # the shipped files' form: settings.shipped_text


def shipped_in_languages(shipped: Path, languages: list[str]) -> str:
    """A shipped file (vocabulary, series) with its comments and the texts of ``languages`` only; on a site of one
    language each text is plain (``label: IP addresses``), as staff would write it."""
    preface = ("# Written by `noticeboard init` from the file that ships with Notice Board, with the texts of this\n"
               "# site's languages: this file is the site's own now, and replaces the shipped one. Delete it to\n"
               "# use the shipped one, as each upgrade of Notice Board brings it.\n#\n")
    text = shipped_text(shipped, languages)
    if len(languages) > 1:
        return preface + text
    lines: list[str] = []
    for line in text.splitlines(keepends=True):
        match = _TEXT_BY_LANGUAGE.fullmatch(line)
        if match and lines and lines[-1].endswith(":\n") and not lines[-1].lstrip().startswith("#"):
            lines[-1] = lines[-1].removesuffix("\n") + " " + match[1]  # one language: one text per run
        else:
            lines.append(line)
    return preface + "".join(lines)


def site_files(district: str, languages: list[str], jurisdiction: str, base_url: str, email: str | None,
               requirement_line: str) -> dict[str, str]:
    """Every file of the new site, by its path inside the site's folder, in the order they are listed."""
    guides = STARTER / jurisdiction
    notes = {name: (NOTES / f"{name}.md").read_text(encoding="utf-8") for name in (
        "contracts", "policies", "breaches", "templates", "static")}
    shown_district = _markdown(district)
    files = {
        f"{CONTENT}/site.yml": site_yml(district, languages, jurisdiction, base_url, email),
        f"{CONTENT}/data-elements.yml": shipped_in_languages(SHIPPED_ELEMENTS, languages),
        f"{CONTENT}/policies/series.yml": shipped_in_languages(SHIPPED_SERIES, languages),
    }
    for index, lang in enumerate(languages):
        name = f"{GUIDE}.md" if index == 0 else f"{GUIDE}.{lang}.md"
        files[f"{CONTENT}/pages/{name}"] = fill((guides / f"{GUIDE}.{lang}.md").read_text(encoding="utf-8"),
                                                district=shown_district)
    for folder in ("contracts", "policies", "breaches"):
        files[f"{CONTENT}/{folder}/{FOLDER_NOTE}"] = notes[folder]
    files[f"{SITE_TEMPLATES}/{FOLDER_NOTE}"] = notes["templates"]
    files[f"{SITE_STATIC}/{FOLDER_NOTE}"] = notes["static"]
    files[WORKFLOW] = workflow_text(SITE_REPOSITORY)
    files["requirements.txt"] = fill((STARTER / "requirements.txt").read_text(encoding="utf-8"),
                                     requirement=requirement_line)
    files["README.md"] = fill((STARTER / "README.md").read_text(encoding="utf-8"), district=shown_district)
    files[".gitignore"] = (STARTER / "gitignore").read_text(encoding="utf-8")
    return files


# --------------------------------------------------------------------------- writing

@dataclass(frozen=True)
class NewSite:
    """What init wrote: the site's folder, each file's path inside it, and Notice Board's line in
    requirements.txt."""
    folder: Path
    written: tuple[str, ...]
    requirement: Requirement


def init_site(folder: Path, district: str, languages: list[str], jurisdiction: str = DEFAULT_JURISDICTION,
              base_url: str | None = None, email: str | None = None, install: str | None = None) -> NewSite:
    """Write a new site into ``folder`` (absent or empty), or raise ``InitRefused`` having written nothing.
    An ``OSError`` while writing (a full disk) leaves nothing behind either, and is raised."""
    problem = name_problem("--district", district)
    if problem:
        raise InitRefused(problem)
    jurisdiction = checked_jurisdiction(jurisdiction)
    languages = checked_languages(languages, jurisdiction)
    email = _checked_email(email) if email is not None else None
    pinned = requirement(install) if install is not None else running_requirement()
    _checked_folder(folder)
    files = site_files(district, languages, jurisdiction, base_url or PLACEHOLDER_BASE_URL, email, pinned.line)
    _write_all(folder, files)
    return NewSite(folder, tuple(files), pinned)


def _write_all(folder: Path, files: dict[str, str]) -> None:
    """Write ``files`` into a staging folder inside ``folder``, then move each top-level entry into place; on any
    failure, remove what was written and moved, and ``folder`` itself if it was made here."""
    made = next((parent for parent in reversed((folder, *folder.parents)) if not parent.exists()), None)
    folder.mkdir(parents=True, exist_ok=True)
    moved: list[Path] = []
    staging = Path(tempfile.mkdtemp(prefix=".noticeboard-init-", dir=folder))
    try:
        for relative, text in files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        for entry in sorted(staging.iterdir()):
            target = folder / entry.name
            os.rename(entry, target)
            moved.append(target)
        staging.rmdir()
    except BaseException:
        for target in moved:
            if target.is_dir():
                shutil.rmtree(target)
            else:
                target.unlink()
        shutil.rmtree(staging, ignore_errors=True)
        if made is not None:
            shutil.rmtree(made, ignore_errors=True)
        raise
