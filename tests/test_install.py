"""``pip install .`` gives a working ``noticeboard`` command, from any folder.

The project is installed non-editable into a fresh virtual environment, from a copy of its
sources (so that nothing is written into the checkout); its dependencies come from the
environment that runs the tests, so that the test needs no network.
"""
from __future__ import annotations

import email
import email.policy
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from conftest import EXAMPLE_CONTENT, REPO, TODAY

pytestmark = pytest.mark.slow  # pip installs into a new virtual environment; the commands run as processes

SOURCES = ["pyproject.toml", "README.md", "noticeboard"]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The ``bin`` folder of a fresh virtual environment with the project installed in it."""
    work = tmp_path_factory.mktemp("install")
    source = work / "source"
    source.mkdir()
    for name in SOURCES:
        copy = shutil.copytree if (REPO / name).is_dir() else shutil.copy
        copy(REPO / name, source / name)
    shutil.rmtree(source / "noticeboard" / "__pycache__", ignore_errors=True)
    environment = work / "venv"
    venv.EnvBuilder(with_pip=False).create(environment)
    python = environment / "bin" / "python"
    site_packages = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                   capture_output=True, text=True, check=True).stdout.strip()
    # The dependencies (pip and setuptools too), as the test's own environment has them.
    Path(site_packages, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    result = subprocess.run([python, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index",
                             "--quiet", str(source)], capture_output=True, text=True, cwd=work)
    assert result.returncode == 0, result.stderr
    return environment / "bin"


def test_the_installed_command_builds_the_example_content_from_another_folder(installed, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copytree(EXAMPLE_CONTENT, elsewhere / "content")
    result = subprocess.run([installed / "noticeboard", "build", "--today", TODAY], capture_output=True, text=True,
                            cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    site = elsewhere / "site"
    assert "Built" in result.stdout
    for page in ("index.html", "es/index.html", "contracts/powerschool-naviance/index.html", "style.css",
                 "search.js", "pagefind/pagefind.js"):
        assert (site / page).is_file(), page
    assert "Avisos" in (site / "es/contracts/index.html").read_text(encoding="utf-8"), "the catalogs are installed"


def test_the_installed_command_announces_in_both_languages(installed, tmp_path):
    """The e-mail's templates and the catalogs are installed with the package."""
    shutil.copytree(EXAMPLE_CONTENT, tmp_path / "content")
    result = subprocess.run([installed / "noticeboard", "announce", "--since", "2024-12-31", "--today", "2025-01-31"],
                            capture_output=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    message = email.message_from_bytes(result.stdout, policy=email.policy.default)
    assert message["Subject"] == ("Waterbury Public Schools: 2 new student-data notices (2025-01-01 to 2025-01-31)"
                                  " / 2 avisos nuevos sobre datos estudiantiles")
    assert "Publicados del 1 de enero de 2025 al 31 de enero de 2025." in message.get_body(("plain",)).get_content()


def test_the_installed_package_is_not_the_checkout(installed, tmp_path):
    found = subprocess.run([installed / "python", "-c", "import noticeboard; print(noticeboard.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path, check=True).stdout.strip()
    assert Path(found).resolve().is_relative_to(installed.parent.resolve()), found


def test_the_installed_command_checks_and_names_itself(installed, tmp_path):
    shutil.copytree(EXAMPLE_CONTENT, tmp_path / "content")
    check = subprocess.run([installed / "noticeboard", "check", "--today", TODAY], capture_output=True, text=True,
                           cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    assert "0 errors" in check.stderr
    wrong = subprocess.run([installed / "noticeboard", "chek"], capture_output=True, text=True, cwd=tmp_path)
    assert wrong.returncode == 2
    assert wrong.stderr.startswith("noticeboard: error: unknown command 'chek'; did you mean 'check'?")


def test_build_py_is_the_same_command(tmp_path):
    shutil.copytree(EXAMPLE_CONTENT, tmp_path / "content")
    result = subprocess.run([sys.executable, REPO / "build.py", "chek"], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.startswith("python build.py: error: unknown command")


@pytest.mark.parametrize("languages", ["en", "en,es"])
def test_the_installed_command_makes_a_site_that_checks_and_builds(installed, tmp_path, languages):
    """A Connecticut district's site in an empty folder, in English only and in English and Spanish: `init`, then
    `check` and `build` in it, as its README says."""
    district = "Lincoln Public Schools"
    made = subprocess.run([installed / "noticeboard", "init", "lincoln", "--district", district, "--languages",
                           languages], capture_output=True, text=True, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "  cd lincoln\n  noticeboard check\n  noticeboard serve\n" in made.stdout
    # Installed from a folder of sources, the version may be on no index: the output says so, and names --install.
    assert "noticeboard: note: requirements.txt names noticeboard==" in made.stderr and "--install" in made.stderr
    site = tmp_path / "lincoln"
    for command in (["check", "--today", TODAY], ["build", "--today", TODAY]):
        result = subprocess.run([installed / "noticeboard", *command], capture_output=True, text=True, cwd=site)
        assert result.returncode == 0, result.stderr
        assert "error:" not in result.stderr and " 0 errors" in result.stdout + result.stderr
    guides = {"en": site / "site/guide/index.html", "es": site / "site/es/guide/index.html"}
    for lang, guide in guides.items():
        assert guide.is_file() == (lang in languages.split(",")), lang
        if guide.is_file():
            assert district in guide.read_text(encoding="utf-8")
    assert not any(b"Waterbury" in path.read_bytes() for path in site.rglob("*") if path.is_file())
