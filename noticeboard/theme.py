"""Where the pages get their markup and their static files: the package's own folders, unless a
caller passes others (a test's copy to break; with issue 21, a district's own templates)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent  # templates/ and static/ are package data
SITE_TEMPLATES, SITE_STATIC = "templates", "static"  # a site's own folders, beside its content folder


def site_templates_folder(content_dir: Path) -> Path:
    """Where a site keeps the templates that replace built-in ones: ``templates/`` beside ``content/``."""
    return content_dir.parent / SITE_TEMPLATES


def site_static_folder(content_dir: Path) -> Path:
    """Where a site keeps its own files (logo, stylesheet), copied to the site's root: ``static/`` beside
    ``content/``."""
    return content_dir.parent / SITE_STATIC


@dataclass(frozen=True)
class Theme:
    templates: Path = PACKAGE / "templates"
    static: Path = PACKAGE / "static"

    def folders(self) -> tuple[Path, Path]:
        """The folders whose files make the pages look as they do: the preview watches them."""
        return self.templates, self.static


PACKAGE_THEME = Theme()
