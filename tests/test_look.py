"""The site's own look from site.yml (content-format.md v3, "Site settings"): a logo from static/ in the
header of every page, an accent colour refused below WCAG's 4.5:1, and an e-mail sign-up on the home page,
the guide and every footer. The colour maths first, against WCAG 2.1's own numbers."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from conftest import EXAMPLE_CONTENT, REPO, TODAY, build, build_site, run, soup, text, without_print_dates
from noticeboard import codes, colours
from noticeboard.preview.state import Preview

PACKAGE_STYLESHEET = REPO / "noticeboard" / "static" / "style.css"
WHITE, TINT = "#ffffff", "#f1f4f8"  # what style.css says today: the tests below read them from it too

LOGO_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">'
            '<rect width="120" height="40" fill="#0b4f8a"/></svg>\n')
GUIDE = "---\ntitle: A guide for parents\n---\nWhat the district does with your child's data.\n"
GUIDE_ES = "---\ntitle: Una guía para padres\n---\nLo que el distrito hace con los datos de su hijo.\n"


# --- the colour maths ---------------------------------------------------------------------------------

@pytest.mark.parametrize("colour, expected", [("#767676", 4.54), ("#777777", 4.48), ("#000000", 21.0),
                                              ("#ffffff", 1.0), ("#0000ff", 8.59), ("#ff0000", 4.00)])
def test_contrast_ratios_against_white_are_wcags(colour, expected):
    """#767676 is the lightest grey that passes on white (WebAIM, and WCAG's own understanding document)."""
    assert colours.contrast_ratio(colour, WHITE) == pytest.approx(expected, abs=0.005)
    assert colours.contrast_ratio(WHITE, colour) == colours.contrast_ratio(colour, WHITE)


def test_relative_luminance_follows_wcags_formula():
    assert colours.relative_luminance("#000000") == 0
    assert colours.relative_luminance("#FFFFFF") == pytest.approx(1)
    assert colours.relative_luminance("#808080") == pytest.approx(0.2158605, abs=1e-6)
    assert colours.relative_luminance("#0a0a0a") == pytest.approx(10 / 255 / 12.92)  # the linear part, below 0.04045


def test_a_ratio_is_shown_rounded_down():
    assert colours.ratio_text(4.4999) == "4.49:1"
    assert colours.ratio_text(4.5) == "4.50:1"
    assert colours.ratio_text(colours.contrast_ratio("#777777", WHITE)) == "4.47:1"
    assert colours.ratio_text(21) == "21.00:1"


@pytest.mark.parametrize("colour", ["#0b4f8a", "#6f6f6f", "#994cc8", "#767676", "#ffffff", "#123456", "#00a0ff"])
def test_the_dark_shade_is_darker_and_reads_better_on_white(colour):
    dark = colours.accent_dark(colour)
    assert colours.HEX_COLOUR.fullmatch(dark)
    assert all(shade <= channel for shade, channel in zip(colours.channels(dark), colours.channels(colour)))
    assert colours.contrast_ratio(dark, WHITE) >= colours.contrast_ratio(colour, WHITE)
    if colour != WHITE:
        assert colours.contrast_ratio(dark, WHITE) > colours.contrast_ratio(colour, WHITE)


def test_the_backgrounds_of_the_accent_are_read_from_the_stylesheet():
    css = PACKAGE_STYLESHEET.read_text(encoding="utf-8")
    assert colours.STYLESHEET == PACKAGE_STYLESHEET
    assert colours.accent_backgrounds(css) == {"the page's background": WHITE,
                                               "the tint of the footer and boxes": TINT}
    changed = css.replace("--tint: #f1f4f8;", "--tint: #EEEEEE;", 1)
    assert colours.accent_backgrounds(changed)["the tint of the footer and boxes"] == "#eeeeee"


def test_every_background_of_the_stylesheet_is_one_the_accent_is_checked_against_or_the_accent_itself():
    """A new light background where links could be drawn would need the check to know it: this fails first."""
    css = re.sub(r"/\*.*?\*/", "", PACKAGE_STYLESHEET.read_text(encoding="utf-8"), flags=re.DOTALL)
    backgrounds = set(re.findall(r"(?<![\w-])background(?:-color)?\s*:\s*([^;}]+)", css))
    checked = {f"var({variable})" for variable in colours.ACCENT_BACKGROUNDS}
    drawn_in_the_accent = {"var(--accent)", "var(--accent-dark)"}  # buttons and the header, under white text
    no_link_on_it = {"none", "#fff1a8"}  # print; the search's highlight of words found, inside plain text
    assert {value.strip() for value in backgrounds} <= checked | drawn_in_the_accent | no_link_on_it
    assert re.search(r"\bbody\s*\{[^}]*background:\s*var\(--background\)", css)
    assert re.search(r"\.site-footer\s*\{[^}]*background:\s*var\(--tint\)", css)


def test_custom_properties_come_from_root_rules_only():
    css = ("/* :root { --x: #000000; } */\n:root { --a: #111111; --b: var(--a) }\np { --c: #222222; }\n"
           ":root{--d:#333333}")
    assert colours.custom_properties(css) == {"--a": "#111111", "--b": "var(--a)", "--d": "#333333"}


# --- a site with a logo ---------------------------------------------------------------------------------

def set_up(content, settings: str, logo: str | None = "logo.svg", guide: bool = True) -> None:
    """``settings`` added to site.yml, the logo written under static/ (beside content/), and a guide."""
    content.write("site.yml", (content.root / "site.yml").read_text(encoding="utf-8") + settings)
    if logo:
        path = content.root.parent / "static" / logo
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(LOGO_SVG, encoding="utf-8")
    if guide:
        content.write("pages/guide.md", GUIDE)
        content.write("pages/guide.es.md", GUIDE_ES)


def line_of(content, prefix: str) -> int:
    lines = (content.root / "site.yml").read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.startswith(prefix))


def pages(site: Path) -> list[Path]:
    found = sorted(path for path in site.rglob("*.html") if "pagefind" not in path.relative_to(site).parts)
    assert len(found) > 20, found
    return found


def language(site: Path, page: Path) -> str:
    return "es" if page.relative_to(site).parts[0] == "es" else "en"


def target(site: Path, page: Path, link: str) -> Path:
    """The file that a link of ``page`` leads to (a link from the root, as 404.html's, from the site's)."""
    return (site / link.lstrip("/")) if link.startswith("/") else (page.parent / link).resolve()


def test_the_logo_is_in_the_header_of_every_page_with_its_alt_in_the_pages_language(content):
    set_up(content, "logo: images/logo.svg\nlogo_alt: {en: Test District, es: Distrito de Prueba}\n",
           logo="images/logo.svg")
    site = build_site().resolve()
    kinds = set()
    for page in pages(site):
        logo = soup(page).select("header.site-header .site-name a img.logo")
        assert len(logo) == 1, f"{page}: {len(logo)} logos in the header"
        assert logo[0]["alt"] == {"en": "Test District", "es": "Distrito de Prueba"}[language(site, page)], page
        assert not logo[0].has_attr("lang"), page
        assert target(site, page, logo[0]["src"]).read_text(encoding="utf-8") == LOGO_SVG, page
        assert not logo[0].has_attr("style") and not logo[0].has_attr("width"), "sized by the stylesheet"
        kinds.add(page.relative_to(site).as_posix().removeprefix("es/"))
    assert {"index.html", "contracts/index.html", "contracts/acme-learning/index.html", "vendors/index.html",
            "vendors/acme-learning/index.html", "data/index.html", "data/student_name/index.html",
            "schools/index.html", "guide/index.html", "policies/index.html", "breaches/index.html",
            "search/index.html", "404.html"} <= kinds, "every kind of page was looked at"


def test_a_logo_alt_in_one_language_is_marked_as_that_language_on_the_others_pages(content):
    set_up(content, "logo: logo.svg\nlogo_alt: Test District\n")
    site = build_site()
    english = soup(site / "index.html").select_one("img.logo")
    spanish = soup(site / "es" / "index.html").select_one("img.logo")
    assert english["alt"] == spanish["alt"] == "Test District"
    assert not english.has_attr("lang") and spanish["lang"] == "en"


def test_the_stylesheet_sizes_the_logo_without_stretching_it():
    css = PACKAGE_STYLESHEET.read_text(encoding="utf-8")
    rule = re.search(r"\.site-name \.logo\s*\{([^}]*)\}", css)
    assert rule, "no rule for the logo"
    declarations = dict(re.findall(r"([a-z-]+)\s*:\s*([^;]+)", rule[1]))
    assert declarations["width"] == "auto" and declarations["max-width"] == "100%"
    assert declarations["object-fit"] == "contain"


def test_a_logo_whose_file_is_missing_is_an_error_on_its_line_that_says_where_it_looked(content):
    set_up(content, "logo: logo.png\nlogo_alt: Test District\n", logo=None)
    line = line_of(content, "logo:")
    for result in (run("check", "--today", TODAY), build()):
        assert result.code == 1
        errors = [found for found in result.lines if "[NB138]" in found]
        assert errors == [f"content/site.yml:{line}: error: logo: 'logo.png' is not a file of the site's static "
                          "folder: looked for static/logo.png; copy the image there, or correct the name [NB138]"]
    assert not Path("site").exists(), "a build with an error writes nothing"


def test_a_logo_that_leads_out_of_static_is_refused(content, tmp_path):
    outside = tmp_path / "elsewhere.svg"
    outside.write_text(LOGO_SVG, encoding="utf-8")
    set_up(content, "logo: logo.svg\nlogo_alt: Test District\n", logo=None)
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "logo.svg").symlink_to(outside)
    result = run("check", "--today", TODAY)
    assert result.code == 1
    assert any(f"content/site.yml:{line_of(content, 'logo:')}: error: logo: static/logo.svg is a link that leads "
               "out of the site's static folder" in found and found.endswith("[NB138]") for found in result.lines), \
        result.err


def test_a_logo_copied_in_after_a_check_is_found_by_the_next_one(content):
    """The caches keep what reading site.yml gave: they must know that it looked for the logo."""
    set_up(content, "logo: logo.svg\nlogo_alt: Test District\n", logo=None)
    assert "[NB138]" in run("check", "--today", TODAY).err
    (content.root.parent / "static").mkdir()
    (content.root.parent / "static" / "logo.svg").write_text(LOGO_SVG, encoding="utf-8")
    assert run("check", "--today", TODAY).code == 0
    (content.root.parent / "static" / "logo.svg").unlink()
    assert "[NB138]" in run("check", "--today", TODAY).err


def test_a_logo_without_its_alt_is_an_error_on_the_logo_line(content):
    set_up(content, "logo: logo.svg\n")
    result = run("check", "--today", TODAY)
    assert result.code == 1
    line = line_of(content, "logo:")
    assert [found for found in result.lines if ": error: " in found] == [
        f"content/site.yml:{line}: error: logo: needs logo_alt: beside it, what the logo shows, which screen readers "
        "read out in its place, e.g. logo_alt: Lincoln Public Schools [NB102]"]


def test_an_alt_without_a_logo_is_a_warning_that_strict_refuses(content):
    set_up(content, "logo_alt: Test District\n", logo=None)
    line = line_of(content, "logo_alt:")
    result = run("check", "--today", TODAY)
    assert result.code == 0
    assert f"content/site.yml:{line}: warning: logo_alt: is given without logo, so no page shows it" in result.err
    assert "[NB140]" in result.err
    assert run("check", "--today", TODAY, "--strict").code == 1


def test_the_alt_is_a_translatable_text_of_the_sites_languages(content):
    set_up(content, "logo: logo.svg\nlogo_alt: {es: Distrito de Prueba}\n")
    result = run("check", "--today", TODAY)
    assert result.code == 1
    assert f"content/site.yml:{line_of(content, 'logo_alt:')}: error: logo_alt: has no text in 'en'" in result.err


@pytest.mark.parametrize("logo", ["../logo.svg", "/srv/logo.svg", "images\\logo.svg", "C:/logo.svg", ".logo.svg",
                                  "images//logo.svg", "logo.bmp", "logo.svg.html", "logo"])
def test_a_logo_that_is_no_image_inside_static_is_an_error_on_its_line(content, logo):
    set_up(content, f"logo: '{logo}'\nlogo_alt: Test District\n")
    result = run("check", "--today", TODAY)
    assert result.code == 1
    errors = [found for found in result.lines if ": error: " in found]
    assert len(errors) == 1 and errors[0].startswith(f"content/site.yml:{line_of(content, 'logo:')}: error: logo: ")
    assert errors[0].endswith("[NB131]"), errors


# --- the accent colour ------------------------------------------------------------------------------------

def test_an_accepted_accent_ends_the_stylesheet_and_changes_nothing_else(content, tmp_path):
    before = build_site(out=tmp_path / "before")
    set_up(content, 'accent_colour: "#6F6F6F"\n', logo=None, guide=False)
    after = build_site(out=tmp_path / "after")
    stylesheet = (after / "style.css").read_bytes()
    rule = b"/* accent_colour of site.yml */\n:root { --accent: #6f6f6f; --accent-dark: #484848; }\n"
    assert without_print_dates(stylesheet) == PACKAGE_STYLESHEET.read_bytes() + rule
    assert without_print_dates((before / "style.css").read_bytes()) == PACKAGE_STYLESHEET.read_bytes()
    files = sorted(path.relative_to(before) for path in before.rglob("*") if path.is_file()
                   and "pagefind" not in path.parts and path.name != "style.css")
    assert files == sorted(path.relative_to(after) for path in after.rglob("*") if path.is_file()
                           and "pagefind" not in path.parts and path.name != "style.css")
    changed = [str(path) for path in files if (before / path).read_bytes() != (after / path).read_bytes()]
    assert not changed, f"an accent colour changed more than the stylesheet: {changed}"
    for page in pages(after):
        assert not soup(page).select("[style]"), f"{page}: a style attribute would need the CSP changed"


@pytest.mark.parametrize("colour, shown", [
    ("#ffcc00", ["1.51:1 against the page's background (#ffffff)",
                 "1.37:1 against the tint of the footer and boxes (#f1f4f8)"]),
    ("#767676", ["4.11:1 against the tint of the footer and boxes (#f1f4f8)"]),  # 4.54:1 on white: enough there
])
def test_an_accent_with_too_little_contrast_is_an_error_that_gives_the_ratio(content, colour, shown):
    set_up(content, f'accent_colour: "{colour}"\n', logo=None, guide=False)
    result = build()
    assert result.code == 1 and not Path("site").exists()
    errors = [found for found in result.lines if ": error: " in found]
    assert errors == [f"content/site.yml:{line_of(content, 'accent_colour:')}: error: accent_colour: '{colour}' has "
                      f"a contrast of {' and '.join(shown)}, and links and buttons need at least 4.5:1 (WCAG 2.1 AA) "
                      "to be read: choose a darker colour [NB139]"]
    for ratio in re.findall(r"([0-9.]+):1 against", errors[0]):
        assert float(ratio) < 4.5


def test_the_least_contrast_that_passes_passes_and_the_next_lighter_grey_does_not(content):
    assert colours.contrast_ratio("#6f6f6f", TINT) >= 4.5 > colours.contrast_ratio("#707070", TINT)
    set_up(content, 'accent_colour: "#707070"\n', logo=None, guide=False)
    assert "[NB139]" in run("check", "--today", TODAY).err
    content.write("site.yml", (content.root / "site.yml").read_text(encoding="utf-8").replace("#707070", "#6f6f6f"))
    assert run("check", "--today", TODAY).code == 0


def the_one_error(content, setting: str, code: str) -> str:
    """What ``check`` says of the site.yml whose ``setting`` is wrong: one error, on that setting's line, and
    exit 1."""
    result = run("check", "--today", TODAY)
    assert result.code == 1
    errors = [found for found in result.lines if ": error: " in found]
    assert len(errors) == 1 and errors[0].endswith(code), errors
    assert errors[0].startswith(f"content/site.yml:{line_of(content, setting + ':')}: error: {setting}: ")
    return errors[0]


@pytest.mark.parametrize("written", ['"0b4f8a"', '"#0b4f8"', '"#0b4f8g"', '"#0b4f8a "', "blue", "123456",
                                     '"#fff"', "#0b4f8a"])
def test_a_colour_not_written_rrggbb_is_an_error_on_its_line(content, written):
    set_up(content, f"accent_colour: {written}\n", logo=None, guide=False)
    error = the_one_error(content, "accent_colour", "[NB131]")
    if written == "#0b4f8a":  # YAML reads a comment: the message says to quote it
        assert 'in quotes: write accent_colour: "#0b4f8a"' in error


# --- the e-mail sign-up -------------------------------------------------------------------------------------

SIGN_UPS = {
    "https://lists.district.test/notices": {
        "en": "Sign up (external site) to get an e-mail when a new notice is posted.",
        "es": "Suscríbase (sitio externo) para recibir un correo electrónico cada vez que se publique un aviso "
              "nuevo."},
    "mailto:notices@district.test": {
        "en": "To get an e-mail when a new notice is posted, write to notices@district.test and ask to be added "
              "to the list.",
        "es": "Para recibir un correo electrónico cada vez que se publique un aviso nuevo, escriba a "
              "notices@district.test y pida que le añadan a la lista."},
}


@pytest.mark.parametrize("address", sorted(SIGN_UPS))
def test_the_sign_up_is_on_the_home_page_the_guide_after_its_text_and_every_footer(content, address):
    set_up(content, f"subscribe: {address}\n", logo=None)
    site = build_site().resolve()
    for page in pages(site):
        lang = language(site, page)
        footer = soup(page).select(".site-footer .sign-up")
        assert len(footer) == 1 and text(footer[0]) == SIGN_UPS[address][lang], page
        assert [link["href"] for link in footer[0].select("a")] == [address]
        in_main = soup(page).select("main .sign-up")
        relative = page.relative_to(site).as_posix().removeprefix("es/")
        if relative in ("index.html", "guide/index.html", "follow/index.html"):
            assert len(in_main) == 1 and text(in_main[0]) == SIGN_UPS[address][lang], page
            assert [link["href"] for link in in_main[0].select("a")] == [address]
        else:
            assert not in_main, page
    guide = soup(site / "guide" / "index.html").select_one("main")
    assert guide.select_one(".prose").find_next_sibling() is guide.select_one(".sign-up"), "after the guide's text"


def test_without_a_sign_up_no_page_offers_one(content):
    set_up(content, "", logo=None)
    site = build_site()
    assert not [page for page in pages(site) if soup(page).select(".sign-up")]


@pytest.mark.parametrize("address", ["http://lists.district.test/notices", "javascript:alert(1)",
                                     "ftp://lists.district.test/", "mailto:", "mailto:two@district.test, b@x.test",
                                     "notices@district.test", "https://", "https://lists district.test/"])
def test_a_sign_up_that_is_neither_a_secure_page_nor_an_address_is_an_error_on_its_line(content, address):
    set_up(content, f'subscribe: "{address}"\n', logo=None, guide=False)
    error = the_one_error(content, "subscribe", "[NB131]")
    assert error.startswith(f"content/site.yml:{line_of(content, 'subscribe:')}: error: subscribe: '{address}'")
    if address.startswith("http:"):
        assert "must be secure; write its address starting https://" in error


def test_a_sign_up_at_an_example_domain_is_a_warning(content):
    set_up(content, "subscribe: mailto:notices@example.org\n", logo=None, guide=False)
    result = run("check", "--today", TODAY)
    assert result.code == 0
    assert (f"content/site.yml:{line_of(content, 'subscribe:')}: warning: subscribe: 'mailto:notices@example.org' "
            "is at example.org, a domain reserved for examples: write the address where parents sign up [NB135]"
            in result.lines)


# --- the example site, and the preview ----------------------------------------------------------------------

def test_the_example_site_has_no_logo_no_sign_up_and_the_stylesheet_as_it_ships(example_site):
    assert not {"logo", "logo_alt", "accent_colour", "subscribe"} & set(
        re.findall(r"^([a-z_]+):", (EXAMPLE_CONTENT / "site.yml").read_text(encoding="utf-8"), flags=re.M))
    assert without_print_dates((example_site / "style.css").read_bytes()) == PACKAGE_STYLESHEET.read_bytes()
    for page in pages(example_site):
        assert not soup(page).select("img.logo, .sign-up"), page


def test_the_preview_shows_the_logo_the_accent_and_the_sign_up_and_follows_their_changes(content):
    set_up(content, 'logo: logo.svg\nlogo_alt: Test District\naccent_colour: "#0b4f8a"\n'
                    "subscribe: https://lists.district.test/\n")
    preview = Preview(content.root, "http://127.0.0.1:8000/", date.fromisoformat(TODAY))
    preview.rebuild()
    assert not preview.errors
    home = preview.file("index.html").decode("utf-8")
    assert '<img class="logo" src="logo.svg" alt="Test District">' in home
    assert 'href="https://lists.district.test/"' in home
    assert preview.file("logo.svg") == LOGO_SVG.encode("utf-8")
    assert preview.file("style.css").endswith(b":root { --accent: #0b4f8a; --accent-dark: #073359; }\n")

    site_yml = content.root / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace("#0b4f8a", "#1d5c2e"), encoding="utf-8")
    preview.rebuild([str(site_yml)])
    assert not preview.errors
    assert preview.file("style.css").endswith(b":root { --accent: #1d5c2e; --accent-dark: #123b1d; }\n")

    logo = content.root.parent / "static" / "logo.svg"
    logo.unlink()
    preview.rebuild([str(logo)])
    assert [(error.field, error.code) for error in preview.errors] == [("logo", codes.LOGO_NOT_FOUND)]


def test_the_print_date_rule_escapes_what_would_end_it():
    """The build date's sentence is the catalog's: whatever it holds stays one CSS string."""
    from noticeboard.output.render import _css_string

    written = _css_string('Printed "as built" on \\ 1 </style> {x}\n')
    assert written.startswith('"') and written.endswith('"')
    inside = written[1:-1]
    assert '"' not in inside and "\n" not in inside and "<" not in inside
    assert re.sub(r"\\([0-9a-f]+) ", lambda match: chr(int(match[1], 16)), inside) == \
        'Printed "as built" on \\ 1 </style> {x}\n'
