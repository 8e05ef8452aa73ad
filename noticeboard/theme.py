"""Where the pages get their markup and their static files: a site's own folders (``templates/`` and
``static/`` beside its content folder), then the package's, which a test may replace with copies."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from . import urls

PACKAGE = Path(__file__).resolve().parent  # templates/ and static/ are package data
SITE_TEMPLATES, SITE_STATIC = "templates", "static"  # a site's own folders, beside its content folder
BUILTIN_PREFIX = "builtin"  # "builtin/base.html": the package's base.html, even where a site has its own
FOLDER_NOTE = "README.md"  # the note at the top of a site's templates/ and static/: what goes there; never published
# The package's static files that every site publishes; a site's own file of the same name replaces one.
BUILT_IN_STATIC = (urls.STYLESHEET, urls.SEARCH_SCRIPT, urls.FAVICON, urls.FAVICON_ICO)


def _beside(content_dir: Path, name: str) -> Path:
    return Path(os.path.abspath(content_dir)).parent / name  # content/ may be "." (abspath keeps the links)


def site_templates_folder(content_dir: Path) -> Path:
    """Where a site keeps the templates that replace built-in ones: ``templates/`` beside ``content/``."""
    return _beside(content_dir, SITE_TEMPLATES)


def site_static_folder(content_dir: Path) -> Path:
    """Where a site keeps its own files (logo, stylesheet), copied to the site's root: ``static/`` beside
    ``content/``."""
    return _beside(content_dir, SITE_STATIC)


@dataclass(frozen=True)
class Theme:
    """The package's templates and static files (``templates``, ``static``) and, before them, a site's own
    (``site_templates``, ``site_static``: either may not exist), which replace built-in files of the same name."""
    templates: Path = PACKAGE / "templates"
    static: Path = PACKAGE / "static"
    site_templates: Path | None = None
    site_static: Path | None = None

    @classmethod
    def for_content(cls, content_dir: Path) -> Theme:
        """The theme of the site whose content is ``content_dir``: its own folders beside it, then the package's.
        Build, check and the preview all take it from here."""
        return cls(site_templates=site_templates_folder(content_dir), site_static=site_static_folder(content_dir))

    def template_folders(self) -> tuple[Path, ...]:
        """Where a template is looked for by its name, in order: the site's folder first."""
        return tuple(folder for folder in (self.site_templates, self.templates) if folder is not None)

    def folders(self) -> tuple[Path, ...]:
        """The folders whose files make the pages look as they do: the preview watches them."""
        return tuple(folder for folder in (self.site_templates, self.site_static, self.templates, self.static)
                     if folder is not None)

    def static_file(self, name: str) -> Path:
        """The static file ``name`` that the site publishes (``style.css``): the site's own, if it has one."""
        if self.site_static is not None and (self.site_static / name).is_file():
            return self.site_static / name
        return self.static / name


PACKAGE_THEME = Theme()
