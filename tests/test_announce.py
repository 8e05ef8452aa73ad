"""``announce``: the e-mail that tells parents what was posted after --since, up to --today, or
what the site publishes that it did not at the commit --since-commit.

What parents receive is checked where they receive it: a real SMTP server (aiosmtpd) runs on
127.0.0.1 in the test, and the message that arrives is parsed as a mail client would: its
recipients, subject, parts, languages, links and the notices it names. Failures of the server
(down, refusing recipients, refusing the login, no STARTTLS, an untrusted certificate, no SMTPUTF8
for an address that needs it) must end in exit 3 with one line that names the server, and never in
a "Sent" line. --since-commit is run over a real git repository whose commits are made here. Every
value of site.yml that check accepts (an internationalised host, an IP address, an address with
letters outside ASCII) makes a well-formed message; what it refuses of contact.email is refused on
the line of the field; a setting with a line break in it is refused by name.
"""
from __future__ import annotations

import email
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import DATA_ELEMENTS_YML, SENSITIVE_ELEMENTS_YML, SITE_YML, pdf, run
from noticeboard.load.jurisdictions import JURISDICTIONS, load_jurisdiction
from noticeboard.tools import announce

aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller", reason="aiosmtpd comes with the test extra")
from aiosmtpd.smtp import AuthResult  # noqa: E402

BASE_URL = "https://notices.district.test/"
SINCE, TODAY = "2025-01-10", "2025-01-31"
CHECK_DAY = "2025-03-03"  # after every date of the content, which check would find in the future on TODAY
SENDER = "notices@district.example.org"
PARENTS = ["parent.one@example.net", "parent.two@example.net"]
SMTP_VARIABLES = ["HOST", "PORT", "USER", "PASSWORD", "FROM", "TO"]

# slug → (contract_date, posted): which of them the period 2025-01-10 (excluded) … 2025-01-31 (included) takes.
ANNOUNCED = {
    "day-after-since": ("2025-01-05", "2025-01-11"),  # the first day of the period
    "acme-learning": ("2025-01-21", "2025-01-24"),  # conftest's notice
    "on-today": ("2025-01-30", "2025-01-31"),  # the last day of the period
    "signed-in-range": ("2025-01-15", None),  # no posted date: its signing date counts
    "signed-before-posted-in": ("2024-12-20", "2025-01-20"),  # the posted date counts, not the signing date
}
NOT_ANNOUNCED = {
    "on-since": ("2025-01-02", "2025-01-10"),  # --since is the last day already announced
    "after-today": ("2025-02-01", "2025-02-03"),  # after the period, though valid content today
    "signed-in-range-posted-after": ("2025-01-20", "2025-02-02"),
    "signed-before": ("2024-12-01", None),
}


def notice_front_matter(slug: str, signed: str, posted: str | None) -> str:
    data = "[disability, student_name, grade_level]" if slug == "on-today" else "[student_name]"
    return (f"vendor: {slug.replace('-', ' ').title()}\ncontract_date: {signed}\n"
            + (f"posted: {posted}\n" if posted else "") + f"student_data: {data}\n")


@pytest.fixture
def notices(content, monkeypatch):
    """Content with a notice on each side of each end of the period, and no SMTP settings inherited."""
    for name in SMTP_VARIABLES:
        monkeypatch.delenv(f"NOTICEBOARD_SMTP_{name}", raising=False)
    content.write("data-elements.yml", DATA_ELEMENTS_YML + SENSITIVE_ELEMENTS_YML)
    for slug, (signed, posted) in {**ANNOUNCED, **NOT_ANNOUNCED}.items():
        if slug != "acme-learning":
            content.contract(slug, notice_front_matter(slug, signed, posted))
    content.write("contracts/on-today.es.md", "---\ntitle: Aviso de hoy\n---\nDescripción.\n")
    return content


# --------------------------------------------------------------------------- a real SMTP server

@dataclass
class Delivery:
    sender: str
    recipients: list[str]
    data: bytes
    mail_options: list[str] = field(default_factory=list)


@dataclass
class Inbox:
    """What the server accepted; the recipients it refuses get 550."""
    refuse: set[str] = field(default_factory=set)
    deliveries: list[Delivery] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.deliveries.append(Delivery(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content,
                                        list(envelope.mail_options)))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    inbox: Inbox
    port: int

    @property
    def name(self) -> str:
        return f"127.0.0.1:{self.port}"


@pytest.fixture
def smtp_server(monkeypatch):
    """Start an SMTP server on 127.0.0.1 (``inbox`` and SMTP options as arguments) and point the
    NOTICEBOARD_SMTP_* settings at it."""
    controllers = []

    def start(inbox: Inbox | None = None, **options) -> Server:
        inbox = inbox or Inbox()
        port = free_port()
        controller = aiosmtpd_controller.Controller(inbox, hostname="127.0.0.1", port=port, **options)
        controller.start()
        controllers.append(controller)
        monkeypatch.setenv("NOTICEBOARD_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("NOTICEBOARD_SMTP_PORT", str(port))
        monkeypatch.setenv("NOTICEBOARD_SMTP_FROM", SENDER)
        monkeypatch.setenv("NOTICEBOARD_SMTP_TO", " , ".join(PARENTS))
        return Server(inbox, port)

    yield start
    for controller in controllers:
        controller.stop()


def announce_args(*more: str) -> list[str]:
    return ["announce", "--since", SINCE, "--today", TODAY, *more]


def parsed(data: bytes) -> EmailMessage:
    """The message as a mail client reads it; one in UTF-8 (RFC 6532) is read as text."""
    if data.isascii():
        return email.message_from_bytes(data, policy=default_policy)
    return email.message_from_string(data.decode("utf-8"), policy=default_policy)


def html_part(message: EmailMessage) -> BeautifulSoup:
    return BeautifulSoup(message.get_body(("html",)).get_content(), "html5lib")


def text_part(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")  # lines end in CRLF on the wire


def linked_slugs(section) -> list[str]:
    return [re.search(r"contracts/([\w-]+)/$", a["href"])[1] for a in section.select("h3 a")
            if "/contracts/" in a["href"]]


def assert_one_line_error(result, *words: str) -> None:
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert "Traceback" not in result.err
    for word in words:
        assert word in lines[0], lines[0]


# --------------------------------------------------------------------------- what arrives

def test_send_delivers_one_message_in_both_languages_to_every_recipient(notices, smtp_server):
    server = smtp_server()
    result = run(*announce_args("--send"))
    assert result.code == 0, result.err
    assert result.err.splitlines() == [f"Sent to 2 recipients through {server.name}."]

    [delivery] = server.inbox.deliveries
    assert delivery.sender == SENDER
    assert delivery.recipients == PARENTS
    assert delivery.data.replace(b"\r\n", b"\n") == result.out.encode("ascii").replace(b"\r\n", b"\n"), \
        "what was sent is what was written"
    message = parsed(delivery.data)
    assert message["Subject"] == ("Test District: 5 new student-data notices (2025-01-11 to 2025-01-31)"
                                  " / 5 avisos nuevos sobre datos estudiantiles")
    assert message["Date"] == "Fri, 31 Jan 2025 12:00:00 +0000"
    assert message["From"] == f"Test District <{SENDER}>"
    assert message["Reply-To"] == "privacy@district.test"  # site.yml's contact
    assert not any(parent in delivery.data.decode("ascii") for parent in PARENTS), "no parent sees another's address"
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]

    text = text_part(message)
    english, spanish = text.split("\n" + "-" * 70 + "\n")
    assert "# Test District: new student-data privacy notices" in english
    assert "Posted from 11 January 2025 to 31 January 2025." in english
    assert "Publicados del 11 de enero de 2025 al 31 de enero de 2025." in spanish
    assert "## Nuevos avisos de contratos" in spanish and "Firmado el 30 de enero de 2025" in spanish


def test_the_message_names_exactly_the_notices_posted_in_the_period(notices, smtp_server):
    """--since is excluded, --today included; a notice without a posted date counts by its signing date."""
    server = smtp_server()
    assert run(*announce_args("--send")).code == 0
    page = html_part(parsed(server.inbox.deliveries[0].data))
    english, spanish = page.select("section")
    assert english["lang"] == "en" and spanish["lang"] == "es"
    newest_posted_first = ["on-today", "acme-learning", "signed-before-posted-in", "signed-in-range", "day-after-since"]
    assert linked_slugs(english) == newest_posted_first
    assert linked_slugs(spanish) == newest_posted_first
    text = text_part(parsed(server.inbox.deliveries[0].data))
    for slug in NOT_ANNOUNCED:
        assert f"/contracts/{slug}/" not in text and f"/contracts/{slug}/" not in str(page)


def test_each_notice_says_title_vendor_date_and_data_sensitive_first_in_its_language(notices):
    result = run(*announce_args())
    assert result.code == 0, result.err
    message = parsed(result.out.encode("ascii"))
    text = text_part(message)
    assert ("- On Today\n"
            "  On Today · Signed 30 January 2025\n"
            "  Student data: Sensitive: Disability information. Also: Student name, Grade level\n"
            f"  {BASE_URL}contracts/on-today/\n") in text
    assert ("- Aviso de hoy\n"
            "  On Today · Firmado el 30 de enero de 2025\n") in text
    assert "- Acme Learning (solo en inglés)\n" not in text  # a vendor's name is a name in every language
    page = html_part(message)
    english, spanish = page.select("section")
    entry = english.select_one('li:has(a[href$="/contracts/on-today/"])')
    assert entry.h3.get_text() == "On Today"
    assert "Sensitive: Disability information. Also: Student name, Grade level" in entry.get_text(" ", strip=True)
    assert spanish.select_one('a[href="https://notices.district.test/es/contracts/on-today/"]').get_text() \
        == "Aviso de hoy"
    assert spanish.h1.get_text() == ("Test District (solo en inglés): "
                                     "nuevos avisos sobre la privacidad de los datos estudiantiles")
    assert spanish.select_one('h1 span[lang="en"]').get_text() == "Test District"


def test_the_html_part_is_accessible_and_loads_nothing(notices):
    result = run(*announce_args())
    page = html_part(parsed(result.out.encode("ascii")))
    assert page.html["lang"] == "en"
    assert page.title.get_text().startswith("Test District: 5 new student-data notices")
    sections = page.select("body > section")
    assert [section["lang"] for section in sections] == ["en", "es"]
    for section in sections:
        assert len(section.find_all("h1")) == 1
        assert [h2.get_text() for h2 in section.find_all("h2")][-1] in ("On the district's site",
                                                                        "En el sitio del distrito")
        assert len(section.select("ul.notices > li > h3 > a")) == 5, "the notices are a real list"
    assert page.select_one('p[lang="es"]').get_text() == "La versión en español de este mensaje está más abajo."

    links = page.find_all("a")
    assert links and all(a["href"].startswith(BASE_URL) for a in links), [a["href"] for a in links]
    assert all(a.get_text(strip=True) and a.get_text(strip=True).lower() not in ("here", "click here", "link")
               for a in links)
    english_links = {a.get_text(): a["href"] for a in sections[0].find_all("a")}
    assert english_links["All notices"] == BASE_URL + "contracts/"
    assert english_links["Notices feed (Atom)"] == BASE_URL + "feed.xml"
    spanish_links = {a.get_text(): a["href"] for a in sections[1].find_all("a")}
    assert spanish_links["Todos los avisos"] == BASE_URL + "es/contracts/"
    assert spanish_links["Canal de avisos (Atom)"] == BASE_URL + "es/feed.xml"

    for tag in ("img", "script", "iframe", "object", "embed", "link", "table", "form", "video", "audio", "picture"):
        assert page.find(tag) is None, tag
    assert not page.select("[src], [style], [background], [id]"), "no remote files, inline styles or tracking ids"
    style = page.find("style").get_text()
    assert "url(" not in style and "@import" not in style


def test_the_text_part_links_only_to_the_site(notices):
    text = text_part(parsed(run(*announce_args()).out.encode("ascii")))
    addresses = re.findall(r"\S+://\S+", text)
    assert addresses and all(address.startswith(BASE_URL) for address in addresses), addresses
    assert f"Notices feed (Atom): {BASE_URL}feed.xml" in text
    assert f"Canal de avisos (Atom): {BASE_URL}es/feed.xml" in text
    assert "Questions: write to privacy@district.test." in text


# --------------------------------------------------------------------------- the same bytes

def test_out_writes_what_standard_output_shows_and_the_same_bytes_every_time(notices):
    first = run(*announce_args())
    second = run(*announce_args("--out", "announcement.eml"))
    third = run(*announce_args("--out", "again.eml"))
    assert first.code == second.code == third.code == 0
    written = Path("announcement.eml").read_bytes()
    assert written == first.out.encode("ascii") == Path("again.eml").read_bytes()
    assert written.count(b"\r\n") == written.count(b"\n"), "RFC 5322 lines end in CRLF"
    assert second.out == "" and second.err.startswith("Wrote announcement.eml: Test District: 5 new")
    message_id = parsed(written)["Message-ID"]
    assert re.fullmatch(r"<announce\.[0-9a-f]{32}@notices\.district\.test>", message_id)

    notices.contract("day-after-since", notice_front_matter("day-after-since", "2025-01-05", "2025-01-11")
                     .replace("vendor: Day After Since", "vendor: Day After Since Renamed"))
    changed = parsed(run(*announce_args()).out.encode("ascii"))
    assert changed["Message-ID"] != message_id, "another message, another Message-ID"


def test_an_out_that_cannot_be_written_is_exit_3_and_names_it(notices):
    result = run(*announce_args("--out", "no-such-folder/announcement.eml"))
    assert result.code == 3
    assert_one_line_error(result, "no-such-folder/announcement.eml")
    assert not Path("no-such-folder").exists() and result.out == ""


def test_the_day_of_the_run_does_not_change_the_message(notices, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")  # 2030-01-01: only --today dates the message
    later = run(*announce_args()).out
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert later == run(*announce_args()).out


# --------------------------------------------------------------------------- breach notices

# Breach notices of the content, each as the format writes it.
BREACHES = {
    "acme-2025": "vendor: Acme Learning\nreported: 2025-01-20\nposted: 2025-01-21\nstudents_affected: 120\n"
                 "student_data: [student_name, disability]\n",
    "older": "vendor: Old Vendor\nreported: 2025-01-02\nposted: 2025-01-03\nstudent_data: [student_name]\n",  # before
    "unposted": "vendor: Quiet Vendor\nreported: 2025-01-25\nstudents_affected: 3\nstudent_data: []\n",  # not posted
}


@pytest.fixture
def with_breaches(notices):
    for slug, front_matter in BREACHES.items():
        notices.write(f"breaches/{slug}.md", f"---\n{front_matter}---\nWhat happened.\n")
    return notices


def test_breaches_come_first_with_vendor_dates_data_and_link(notices, with_breaches, smtp_server):
    server = smtp_server()
    assert run(*announce_args("--send")).code == 0
    message = parsed(server.inbox.deliveries[0].data)
    assert message["Subject"].startswith("Test District: 1 data breach notice, 5 new student-data notices (")
    english, spanish = html_part(message).select("section")
    assert [h2.get_text() for h2 in english.find_all("h2")][:2] == ["Data breaches", "New contract notices"]
    assert [h2.get_text() for h2 in spanish.find_all("h2")][:2] == ["Filtraciones de datos",
                                                                     "Nuevos avisos de contratos"]
    [breach] = english.select('h3:has(a[href*="/breaches/"])')
    assert breach.a["href"] == BASE_URL + "breaches/acme-2025/"
    assert breach.get_text() == "Data breach at Acme Learning"
    facts = [li.get_text(" ", strip=True) for li in breach.find_next_sibling("ul").find_all("li")]
    assert facts == ["Reported to the district on 20 January 2025", "Notice posted on 21 January 2025",
                     "120 students affected",
                     "Student data exposed: Sensitive: Disability information. Also: Student name"]
    assert spanish.select_one('h3 a[href*="/breaches/"]')["href"] == BASE_URL + "es/breaches/acme-2025/"
    text = text_part(message)
    assert "Old Vendor" not in text and "Quiet Vendor" not in text
    assert text.index("## Data breaches") < text.index("## New contract notices")
    assert f"{BASE_URL}breaches/acme-2025/" in text


def test_a_breach_alone_is_announced(notices, with_breaches):
    result = run("announce", "--since", "2025-01-20", "--today", "2025-01-21")
    assert result.code == 0, result.err
    message = parsed(result.out.encode("ascii"))
    assert message["Subject"] == ("Test District: 1 data breach notice (2025-01-21) "
                                  "/ 1 aviso de filtración de datos")
    assert "Posted on 21 January 2025." in text_part(message)
    assert "## New contract notices" not in text_part(message)


# --------------------------------------------------------------------------- the law it cites

# What would name a law, in either language: a word for it, a section sign, a state, a citation.
NAMES_A_LAW = re.compile(r"\blaw\b|\bley\b|§|statute|estatuto|Connecticut|Illinois|New York|CGS|ILCS|NYCRR", re.I)


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
def test_the_message_cites_no_law_but_the_sites_own_and_none_on_a_site_of_no_law(notices, with_breaches,
                                                                                 jurisdiction):
    notices.write("site.yml", SITE_YML + f"jurisdiction: {jurisdiction}\n")
    result = run(*announce_args())
    assert result.code == 0, result.err
    message = parsed(result.out.encode("ascii"))
    assert "Data breach at Acme Learning" in text_part(message), "a breach notice is announced too"
    words = " ".join([message["Subject"], text_part(message), html_part(message).get_text(" ")])
    law = load_jurisdiction(jurisdiction).law
    for other in JURISDICTIONS:
        other_law = load_jurisdiction(other).law
        if other != jurisdiction and other_law is not None:
            assert other_law.citation not in words and other_law.name not in words, other
    if NAMES_A_LAW.search(words):  # it names a law: only the site's own, cited, and never on a site of no law
        assert law is not None and law.citation in words, NAMES_A_LAW.search(words)


# --------------------------------------------------------------------------- nothing to say, errors

def test_nothing_posted_says_so_and_writes_and_sends_nothing(notices, smtp_server):
    server = smtp_server()
    result = run("announce", "--since", "2025-01-24", "--today", "2025-01-29", "--out", "announcement.eml", "--send")
    assert result.code == 0, result.err
    assert result.err.splitlines() == [
        "Nothing was posted after 2025-01-24 up to 2025-01-29: no announcement written or sent."]
    assert result.out == ""
    assert not Path("announcement.eml").exists()
    assert server.inbox.deliveries == []


def test_since_equal_to_today_is_an_empty_period(notices):
    result = run("announce", "--since", TODAY, "--today", TODAY)
    assert (result.code, result.out) == (0, "")
    assert "Nothing was posted" in result.err


def test_content_errors_stop_it_like_a_build(notices, smtp_server):
    server = smtp_server()
    notices.contract("broken", "vendor: Broken\ncontract_dat: 2025-01-20\nposted: 2025-01-20\nstudent_data: []\n")
    result = run(*announce_args("--out", "announcement.eml", "--send"))
    assert result.code == 1
    assert re.search(r"^content/contracts/broken\.md:3: error: contract_dat: .*\[NB\d+\]$", result.err, re.M), \
        result.err
    assert result.err.splitlines()[-1].startswith("Announcement failed: ")
    assert result.err.splitlines()[-1].endswith(": 2 errors, 0 warnings. Nothing was written or sent.")
    assert result.out == "" and not Path("announcement.eml").exists()
    assert server.inbox.deliveries == []


@pytest.mark.parametrize("unset", ["HOST", "FROM", "TO"])
def test_send_without_its_settings_is_a_usage_error(notices, smtp_server, monkeypatch, unset):
    server = smtp_server()
    monkeypatch.delenv(f"NOTICEBOARD_SMTP_{unset}")
    result = run(*announce_args("--send"))
    assert result.code == 2
    assert_one_line_error(result, f"NOTICEBOARD_SMTP_{unset}", "--send")
    assert result.out == "" and server.inbox.deliveries == []


@pytest.mark.parametrize("variable, value, words", [
    ("PORT", "smtp", ["NOTICEBOARD_SMTP_PORT", "smtp"]),
    ("PORT", "70000", ["NOTICEBOARD_SMTP_PORT"]),
    ("USER", "district", ["NOTICEBOARD_SMTP_PASSWORD"]),
    ("TO", "parents at example.net", ["NOTICEBOARD_SMTP_TO", "parents at example.net"]),
    ("TO", " , ", ["NOTICEBOARD_SMTP_TO"]),
    ("FROM", "district", ["NOTICEBOARD_SMTP_FROM"]),
])
def test_unusable_smtp_settings_are_usage_errors(notices, smtp_server, monkeypatch, variable, value, words):
    smtp_server()
    monkeypatch.setenv(f"NOTICEBOARD_SMTP_{variable}", value)
    result = run(*announce_args("--send"))
    assert result.code == 2
    assert_one_line_error(result, *words)


@pytest.mark.parametrize("args, words", [
    (["announce", "--since", "2025-02-01", "--today", "2025-01-31"], ["--since 2025-02-01", "--today 2025-01-31"]),
    (["announce", "--today", "2025-01-31"], ["--since"]),
    (["announce", "--since", "1/10/2025", "--today", "2025-01-31"], ["1/10/2025"]),
    (["announce", "--since", SINCE, "--out", "content"], ["--out content"]),
])
def test_usage_errors(notices, args, words):
    result = run(*args)
    assert result.code == 2, result.err
    assert "Traceback" not in result.err and result.out == ""
    for word in words:
        assert word in result.err, result.err


def test_the_default_port_is_587(monkeypatch):
    settings = announce.smtp_settings({"NOTICEBOARD_SMTP_HOST": "smtp.example.org", "NOTICEBOARD_SMTP_FROM": SENDER,
                                       "NOTICEBOARD_SMTP_TO": "a@example.net, a@example.net, b@example.net"})
    assert (settings.port, settings.user, settings.recipients) == (587, None, ["a@example.net", "b@example.net"])


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("127.0.0.2", True), ("localhost", True),
                                            ("::1", True), ("[::1]", True), ("smtp.example.org", False),
                                            ("192.0.2.1", False), ("localhost.example.org", False)])
def test_only_a_loopback_server_goes_without_starttls(host, loopback):
    settings = announce.SmtpSettings(host, 587, None, None, SENDER, PARENTS)
    assert settings.loopback is loopback


# --------------------------------------------------------------------------- a server that refuses

def assert_machine_error(result, server_name: str, *words: str) -> None:
    assert result.code == 3, result.err
    assert_one_line_error(result, server_name, *words)
    assert not re.search(r"^Sent", result.err, re.M | re.I)


def test_server_down_is_exit_3_and_nothing_sent(notices, monkeypatch):
    port = free_port()  # nothing listens there
    for name, value in [("HOST", "127.0.0.1"), ("PORT", str(port)), ("FROM", SENDER), ("TO", PARENTS[0])]:
        monkeypatch.setenv(f"NOTICEBOARD_SMTP_{name}", value)
    result = run(*announce_args("--out", "announcement.eml", "--send"))
    lines = result.err.splitlines()
    assert lines[0].startswith("Wrote announcement.eml")  # the message is kept, to send by hand
    result.err = "\n".join(lines[1:])
    assert_machine_error(result, f"127.0.0.1:{port}", "connection refused", "nothing was sent")


def test_some_recipients_refused_names_them_and_is_exit_3(notices, smtp_server):
    server = smtp_server(Inbox(refuse={PARENTS[1]}))
    result = run(*announce_args("--out", "announcement.eml", "--send"))
    assert_machine_error(result.__class__(result.code, "", "\n".join(result.err.splitlines()[1:])), server.name,
                         "sent to 1 of 2 recipients", f"refused: {PARENTS[1]} (550 5.1.1 No such mailbox here)")
    assert [delivery.recipients for delivery in server.inbox.deliveries] == [[PARENTS[0]]]


def test_every_recipient_refused_is_exit_3(notices, smtp_server):
    server = smtp_server(Inbox(refuse=set(PARENTS)))
    result = run(*announce_args("--out", "announcement.eml", "--send"))
    result.err = "\n".join(result.err.splitlines()[1:])
    assert_machine_error(result, server.name, "every recipient was refused", PARENTS[0], PARENTS[1],
                         "nothing was sent")
    assert server.inbox.deliveries == []


def test_login_refused_is_exit_3_and_never_shows_the_password(notices, smtp_server, monkeypatch):
    def refuse(server, session, envelope, mechanism, auth_data):
        return AuthResult(success=False, handled=False)

    server = smtp_server(auth_require_tls=False, authenticator=refuse)
    monkeypatch.setenv("NOTICEBOARD_SMTP_USER", "district")
    monkeypatch.setenv("NOTICEBOARD_SMTP_PASSWORD", "s3cret-password")
    result = run(*announce_args("--out", "announcement.eml", "--send"))
    result.err = "\n".join(result.err.splitlines()[1:])
    assert_machine_error(result, server.name, "user name or password was refused", "535")
    assert "s3cret-password" not in result.err
    assert server.inbox.deliveries == []


def test_login_accepted_sends(notices, smtp_server, monkeypatch):
    logins = []

    def accept(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=True)

    server = smtp_server(auth_require_tls=False, authenticator=accept)
    monkeypatch.setenv("NOTICEBOARD_SMTP_USER", "district")
    monkeypatch.setenv("NOTICEBOARD_SMTP_PASSWORD", "s3cret-password")
    result = run(*announce_args("--send"))
    assert result.code == 0, result.err
    assert logins == [(b"district", b"s3cret-password")]
    assert len(server.inbox.deliveries) == 1


@pytest.fixture
def across_a_network(monkeypatch):
    """The server on 127.0.0.1 taken for one across a network, where STARTTLS is required."""
    monkeypatch.setattr(announce.SmtpSettings, "loopback", property(lambda settings: False))


def test_no_starttls_is_exit_3_before_any_password_is_sent(notices, smtp_server, monkeypatch, across_a_network):
    logins = []

    def accept(server, session, envelope, mechanism, auth_data):
        logins.append(auth_data)
        return AuthResult(success=True)

    server = smtp_server(auth_require_tls=False, authenticator=accept)
    monkeypatch.setenv("NOTICEBOARD_SMTP_USER", "district")
    monkeypatch.setenv("NOTICEBOARD_SMTP_PASSWORD", "s3cret-password")
    result = run(*announce_args("--out", "announcement.eml", "--send"))
    result.err = "\n".join(result.err.splitlines()[1:])
    assert_machine_error(result, server.name, "does not offer STARTTLS", "nothing was sent")
    assert logins == [] and server.inbox.deliveries == []


@pytest.fixture
def certificate(tmp_path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key, made with the openssl command."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command makes the test's certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


def tls_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


def test_starttls_with_a_trusted_certificate_sends(notices, smtp_server, monkeypatch, across_a_network, certificate):
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))  # what ssl.create_default_context() trusts
    server = smtp_server(tls_context=tls_context(certificate), require_starttls=True)
    result = run(*announce_args("--send"))
    assert result.code == 0, result.err
    assert len(server.inbox.deliveries) == 1


def test_starttls_with_an_untrusted_certificate_is_exit_3(notices, smtp_server, monkeypatch, across_a_network,
                                                          certificate, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    monkeypatch.setenv("SSL_CERT_FILE", str(other / "none.pem"))
    monkeypatch.setenv("SSL_CERT_DIR", str(other))
    server = smtp_server(tls_context=tls_context(certificate), require_starttls=True)
    result = run(*announce_args("--out", "announcement.eml", "--send"))
    result.err = "\n".join(result.err.splitlines()[1:])
    assert_machine_error(result, server.name, "TLS failed", "CERTIFICATE_VERIFY_FAILED")
    assert server.inbox.deliveries == []


# --------------------------------------------------------------------------- since a commit

GIT_PEOPLE = {"GIT_AUTHOR_NAME": "Staff", "GIT_AUTHOR_EMAIL": "staff@district.test",
              "GIT_COMMITTER_NAME": "Staff", "GIT_COMMITTER_EMAIL": "staff@district.test"}


@dataclass
class Repository:
    """The test's folder as a git repository holding content/, committed to with fixed names and dates."""
    root: Path

    def git(self, *arguments: str, day: str = "2025-01-31") -> str:
        moment = f"{day}T12:00:00+00:00"
        environment = {**os.environ, **GIT_PEOPLE, "GIT_AUTHOR_DATE": moment, "GIT_COMMITTER_DATE": moment,
                       "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "TZ": "UTC"}
        return subprocess.run(["git", "-C", str(self.root), *arguments], capture_output=True, text=True, check=True,
                              env=environment).stdout.strip()

    def commit(self, message: str, day: str = "2025-01-31") -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, day=day)
        return self.git("rev-parse", "HEAD")


@pytest.fixture
def repository(notices) -> Repository:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repository = Repository(notices.root.parent)
    repository.git("init", "-q", "-b", "main")
    return repository


def since_commit(revision: str, *more: str) -> list[str]:
    return ["announce", "--since-commit", revision, "--today", "2025-01-31", *more]


def test_since_commit_announces_a_notice_merged_after_a_later_dated_one(notices, repository):
    """Review lag: the second merge posts a notice dated before the first merge's. By the day of the
    commit before it, that notice would never be e-mailed; by commits, it is."""
    base = repository.commit("the site as published", day="2025-01-21")
    notices.contract("merged-first", notice_front_matter("merged-first", "2025-01-27", "2025-01-29"))
    first = repository.commit("merge: merged-first", day="2025-01-29")
    notices.contract("merged-second", notice_front_matter("merged-second", "2025-01-20", "2025-01-22"))
    repository.commit("merge: merged-second, reviewed for a week", day="2025-01-30")

    second_push = run(*since_commit(first))
    assert second_push.code == 0, second_push.err
    message = parsed(second_push.out.encode("ascii"))
    english, spanish = html_part(message).select("section")
    assert linked_slugs(english) == linked_slugs(spanish) == ["merged-second"]
    assert message["Subject"] == ("Test District: 1 new student-data notice (2025-01-22 to 2025-01-31)"
                                  " / 1 aviso nuevo sobre datos estudiantiles")
    day_of_the_commit_before = repository.git("log", "-1", "--format=%cd", "--date=format-local:%Y-%m-%d", first)
    by_that_day = run("announce", "--since", day_of_the_commit_before, "--today", "2025-01-31")
    assert by_that_day.code == 0 and "merged-second" not in by_that_day.out, "what --since-commit is for"

    both_pushes = parsed(run(*since_commit(base)).out.encode("ascii"))
    assert linked_slugs(html_part(both_pushes).select("section")[0]) == ["merged-first", "merged-second"]


def test_since_commit_gives_the_same_bytes_every_time(notices, repository):
    first = repository.commit("the site as published")
    notices.contract("merged", notice_front_matter("merged", "2025-01-20", "2025-01-22"))
    repository.commit("merge: merged")
    once, again = run(*since_commit(first)), run(*since_commit(first, "--out", "announcement.eml"))
    assert once.code == again.code == 0, once.err + again.err
    assert once.out.encode("ascii") == Path("announcement.eml").read_bytes()


def test_since_commit_takes_what_became_published_whatever_its_dates(notices, repository):
    """A draft published, a breach notice given its posted date, an old contract added: each is new on the
    site. What was published already, changed or not, with its documents or not, is not announced again."""
    notices.contract("was-draft", notice_front_matter("was-draft", "2024-11-04", "2024-11-05") + "draft: true\n")
    notices.write("contracts/files/signed.pdf", pdf())
    notices.contract("with-document", notice_front_matter("with-document", "2024-10-01", "2024-10-02")
                     + "documents:\n  - {title: Signed contract, file: signed.pdf, type: contract}\n")
    notices.write("breaches/quiet.md", "---\n" + BREACHES["unposted"] + "---\nWhat happened.\n")
    before = repository.commit("a draft, and a breach notice not yet posted")
    notices.contract("was-draft", notice_front_matter("was-draft", "2024-11-04", "2024-11-05"))
    notices.write("breaches/quiet.md", "---\n" + BREACHES["unposted"] + "posted: 2025-01-27\n---\nWhat happened.\n")
    notices.contract("from-2019", notice_front_matter("from-2019", "2019-08-01", None))
    notices.contract("acme-learning", notice_front_matter("acme-learning", "2025-01-21", "2025-01-25"))  # changed
    repository.commit("publish them")

    result = run(*since_commit(before))
    assert result.code == 0, result.err
    message = parsed(result.out.encode("ascii"))
    english = html_part(message).select("section")[0]
    assert linked_slugs(english) == ["was-draft", "from-2019"]
    assert [a["href"] for a in english.select('h3 a[href*="/breaches/"]')] == [BASE_URL + "breaches/quiet/"]
    assert message["Subject"].startswith("Test District: 1 data breach notice, 2 new student-data notices "
                                         "(2019-08-01 to 2025-01-31)")


def test_since_commit_with_nothing_new_says_so_and_writes_nothing(notices, repository):
    head = repository.commit("the site as published")
    result = run(*since_commit(head, "--out", "announcement.eml"))
    assert (result.code, result.out) == (0, "")
    assert result.err.splitlines() == [f"Nothing was published after commit {head}: no announcement written."]
    assert not Path("announcement.eml").exists()


def test_since_commit_of_a_commit_that_is_not_there_is_a_usage_error(notices, repository):
    repository.commit("the site as published")
    result = run(*since_commit("f" * 40))
    assert result.code == 2
    assert_one_line_error(result, f"--since-commit {'f' * 40}", "no such commit")
    assert result.out == ""


def test_since_commit_outside_a_git_repository_is_a_usage_error(notices):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    result = run(*since_commit("HEAD"))
    assert result.code == 2
    assert_one_line_error(result, "--since-commit", "not a git repository")


def test_since_commit_before_the_content_existed_is_a_usage_error_not_every_notice_again(notices, repository):
    (repository.root / "README.md").write_text("A district's notices.\n")
    repository.git("add", "README.md")
    repository.git("commit", "-q", "-m", "start")
    empty = repository.git("rev-parse", "HEAD")
    repository.commit("the content")
    result = run(*since_commit(empty))
    assert result.code == 2
    assert_one_line_error(result, f"--since-commit {empty}", "did not exist", "--since")


def test_since_and_since_commit_exclude_each_other(notices):
    result = run("announce", "--since", SINCE, "--since-commit", "HEAD")
    assert result.code == 2 and "not allowed with argument" in result.err


# --------------------------------------------------------------------------- what check accepts of site.yml

def write_site(content, base_url: str = BASE_URL, email_address: str = "privacy@district.test") -> None:
    """site.yml with another base_url or contact e-mail, written as a YAML string that holds any character."""
    content.write("site.yml", SITE_YML.replace(BASE_URL, base_url)
                  .replace("email: privacy@district.test", f"email: {json.dumps(email_address)}"))


def well_formed(data: bytes) -> EmailMessage:
    """The message parsed back, with every address and the Message-ID read without a defect."""
    message = parsed(data)
    for name in ("From", "To", "Reply-To"):
        header = message[name]
        if header is not None:
            unicode_local_part = not data.isascii()  # RFC 6532: allowed in a message of UTF-8 headers
            assert all(type(defect).__name__ == "NonASCIILocalPartDefect" and unicode_local_part
                       for defect in header.defects), (name, header.defects)
            assert [address.addr_spec for address in header.addresses], name
    assert message["Message-ID"].defects == (), message["Message-ID"]
    assert re.fullmatch(r"<announce\.[0-9a-f]{32}@[^\s<>@]+>", str(message["Message-ID"]).strip())  # folded if long
    return message


def message_links(message: EmailMessage) -> list[str]:
    return re.findall(r"\S+://\S+", text_part(message)) + [a["href"] for a in html_part(message).find_all("a")]


def test_an_internationalised_host_is_written_in_idna_in_the_message_id_and_the_links(notices):
    write_site(notices, base_url="https://Escuelas-Ñ.test:8443/avisos-año/")
    assert run("check", "--today", CHECK_DAY).code == 0
    result = run(*announce_args())
    assert result.code == 0, result.err
    message = well_formed(result.out.encode("ascii"))
    assert message["Message-ID"].endswith("@xn--escuelas--t6a.test>")
    links = message_links(message)
    assert links and all(link.startswith("https://xn--escuelas--t6a.test:8443/avisos-a%C3%B1o/") for link in links), \
        links


@pytest.mark.parametrize("base_url, domain", [
    ("https://192.0.2.1/", "[192.0.2.1]"),
    ("https://[2001:db8::1]:8443/notices/", "[IPv6:2001:db8::1]"),
    ("http://notices.district.test.:8080/", "notices.district.test"),
    ("https://a(b).test/", announce.FALLBACK_MESSAGE_ID_DOMAIN),
])
def test_the_message_id_has_a_valid_domain_whatever_the_host(notices, base_url, domain):
    write_site(notices, base_url=base_url)
    assert run("check", "--today", CHECK_DAY).code == 0
    result = run(*announce_args())
    assert result.code == 0, result.err
    message = well_formed(result.out.encode("ascii"))
    assert message["Message-ID"].endswith(f"@{domain}>"), message["Message-ID"]


@pytest.mark.parametrize("hostile", [
    "x@[1.2.3.4", "x@[1.2.3.4]", "@SUM(A1)", "privacy@", "privacy", "privacy@district", "privacy@@district.test",
    "a@district.test, b@district.test", "a@district.test;b@district.test", "a@district.test b@district.test",
    "Privacy Office <privacy@district.test>", "<privacy@district.test>", "pri vacy@district.test",
    "privacy@district.test\r\nBcc: everyone@district.test", "privacy@district.test\u2028", "privacy\x00@district.test",
    '"privacy"@district.test', "privacy.@district.test", "pri..vacy@district.test", "=cmd|x@district.test",
    "privacy@-district.test", "privacy@district..test", "privacy@district.test.", "privacy@192.0.2.1",
    "privacy@district_office.test", "privacy@" + "a" * 64 + ".test", "p" * 65 + "@district.test",
])
def test_check_refuses_contact_email_unless_it_is_one_address(notices, hostile):
    write_site(notices, email_address=hostile)
    result = run("check", "--today", CHECK_DAY)
    assert result.code == 1
    errors = [line for line in result.err.splitlines() if ": error: " in line]
    assert len(errors) == 1 and re.fullmatch(r"content/site\.yml:5: error: contact\.email: .* \[NB[0-9]{3}\]",
                                             errors[0]), result.err


@pytest.mark.parametrize("address", ["josé@escuela.test", "info@escuela-ñ.test", "INFO@ESCUELA-Ñ.TEST",
                                     "o'brien+privacy@district.test", "数据@学校.test", "privacy@xn--escuela--k3a.test"])
def test_check_accepts_one_address_in_any_script(notices, address):
    write_site(notices, email_address=address)
    result = run("check", "--today", CHECK_DAY)
    assert not [line for line in result.err.splitlines() if "contact.email" in line], result.err


def test_a_contact_address_with_letters_outside_ascii_is_the_sender_in_utf8_headers(notices):
    """Without NOTICEBOARD_SMTP_FROM the contact address is the sender: not an error blamed on that setting."""
    write_site(notices, email_address="josé@escuela-ñ.test")
    result = run(*announce_args("--out", "announcement.eml"))
    assert result.code == 0, result.err
    data = Path("announcement.eml").read_bytes()
    message = well_formed(data)
    assert message["From"].addresses[0].addr_spec == "josé@xn--escuela--k3a.test"
    assert message["From"].addresses[0].display_name == "Test District"


def test_a_district_name_with_a_control_character_that_check_accepts_stays_on_its_header_lines(notices):
    notices.write("site.yml", SITE_YML.replace("district: Test District", 'district: "Test\\rDistrict\\t"'))
    assert run("check", "--today", CHECK_DAY).code == 0
    result = run(*announce_args())
    assert result.code == 0, result.err
    message = well_formed(result.out.encode("ascii"))
    assert str(message["From"]) == "Test District <privacy@district.test>"
    assert message["Subject"].startswith("Test District: 5 new student-data notices")


def test_a_contact_domain_outside_ascii_is_written_in_idna_and_the_message_stays_ascii(notices, monkeypatch):
    write_site(notices, email_address="info@escuela-ñ.test")
    monkeypatch.setenv("NOTICEBOARD_SMTP_FROM", SENDER)
    result = run(*announce_args())
    assert result.code == 0, result.err
    message = well_formed(result.out.encode("ascii"))
    assert message["Reply-To"].addresses[0].addr_spec == "info@xn--escuela--k3a.test"
    assert "Questions: write to info@escuela-ñ.test." in text_part(message), "the text shows it as the site does"


def test_a_message_that_needs_smtputf8_is_sent_with_it(notices, smtp_server):
    write_site(notices, email_address="josé@escuela.test")
    server = smtp_server(enable_SMTPUTF8=True)
    result = run(*announce_args("--out", "announcement.eml", "--send"))
    assert result.code == 0, result.err
    [delivery] = server.inbox.deliveries
    assert "SMTPUTF8" in delivery.mail_options
    assert delivery.data.replace(b"\r\n", b"\n") == Path("announcement.eml").read_bytes().replace(b"\r\n", b"\n")
    assert well_formed(delivery.data)["Reply-To"].addresses[0].addr_spec == "josé@escuela.test"


def test_a_server_without_smtputf8_gets_nothing_and_it_says_why(notices, smtp_server):
    write_site(notices, email_address="josé@escuela.test")
    server = smtp_server(enable_SMTPUTF8=False)  # aiosmtpd's Controller offers it unless told not to
    result = run(*announce_args("--out", "announcement.eml", "--send"))
    result.err = "\n".join(result.err.splitlines()[1:])
    assert_machine_error(result, server.name, "SMTPUTF8", "nothing was sent")
    assert server.inbox.deliveries == []


def test_recipients_and_sender_at_idn_domains_go_in_idna_without_smtputf8(notices, smtp_server, monkeypatch):
    server = smtp_server(enable_SMTPUTF8=False)
    monkeypatch.setenv("NOTICEBOARD_SMTP_FROM", "Distrito Ñ <avisos@escuela-ñ.test>")
    monkeypatch.setenv("NOTICEBOARD_SMTP_TO", "padres@escuela-ñ.test, padres@xn--escuela--k3a.test")
    result = run(*announce_args("--send"))
    assert result.code == 0, result.err
    [delivery] = server.inbox.deliveries
    assert (delivery.sender, delivery.recipients) == ("avisos@xn--escuela--k3a.test", ["padres@xn--escuela--k3a.test"])
    assert "SMTPUTF8" not in delivery.mail_options
    assert str(well_formed(delivery.data)["From"]) == "Distrito Ñ <avisos@xn--escuela--k3a.test>"


# --------------------------------------------------------------------------- settings: one line each, never sent

@pytest.mark.parametrize("variable, value", [
    ("FROM", "notices@district.example.org\r\nBcc: everyone@example.net"),
    ("FROM", "Notices\r\n <notices@district.example.org>"),
    ("TO", "parent.one@example.net\r\nRCPT TO:<someone@example.net>"),
    ("HOST", "127.0.0.1\nsmtp.example.org"),
    ("PORT", "5\t87"),
    ("USER", "district\u2028admin"),
    ("PASSWORD", "s3cret\rpassword"),
    ("PASSWORD", "s3cret\x85password"),
])
def test_a_setting_with_a_line_break_or_control_character_is_refused_by_name(notices, smtp_server, monkeypatch,
                                                                            variable, value):
    server = smtp_server()
    if variable in ("USER", "PASSWORD"):
        monkeypatch.setenv("NOTICEBOARD_SMTP_USER", "district")
        monkeypatch.setenv("NOTICEBOARD_SMTP_PASSWORD", "s3cret-password")
    monkeypatch.setenv(f"NOTICEBOARD_SMTP_{variable}", value)
    result = run(*announce_args("--out", "announcement.eml", "--send"))
    assert result.code == 2
    assert_one_line_error(result, f"NOTICEBOARD_SMTP_{variable}", "control character")
    parts = re.split(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", value)
    printed = [part for part in parts if len(part) > 2 and part in result.err]
    assert printed == [], "a setting with a control character is named, never printed"
    assert server.inbox.deliveries == [] and not Path("announcement.eml").exists()


def test_a_from_with_a_line_break_is_refused_without_send_too(notices, monkeypatch):
    monkeypatch.setenv("NOTICEBOARD_SMTP_FROM", "notices@district.example.org\nBcc: everyone@example.net")
    result = run(*announce_args())
    assert result.code == 2 and result.out == ""
    assert_one_line_error(result, "NOTICEBOARD_SMTP_FROM")


@pytest.mark.parametrize("variable, value, words", [
    ("FROM", "a@district.test, b@district.test", ["NOTICEBOARD_SMTP_FROM", "more than one address"]),
    ("FROM", "District <>", ["NOTICEBOARD_SMTP_FROM"]),
    ("TO", "parent.one@example.net, @SUM(A1)", ["NOTICEBOARD_SMTP_TO", "@SUM(A1)"]),
    ("TO", "x@[1.2.3.4", ["NOTICEBOARD_SMTP_TO", "x@[1.2.3.4"]),
    ("HOST", "smtp..example.org", ["NOTICEBOARD_SMTP_HOST"]),
])
def test_addresses_and_hosts_of_the_settings_are_checked_as_check_checks_contact_email(notices, smtp_server,
                                                                                      monkeypatch, variable, value,
                                                                                      words):
    smtp_server()
    monkeypatch.setenv(f"NOTICEBOARD_SMTP_{variable}", value)
    result = run(*announce_args("--send"))
    assert result.code == 2
    assert_one_line_error(result, *words)


@pytest.fixture
def utf8_login(smtp_server, monkeypatch):
    """A server that records each login (mechanism, user, password) and takes 'contraseña-ü' only."""
    def start(**options):
        logins = []

        def authenticate(server, session, envelope, mechanism, auth_data):
            logins.append((mechanism, auth_data.login, auth_data.password))
            accepted = auth_data.password == "contraseña-ü".encode("utf-8")
            return AuthResult(success=accepted, handled=False)

        server = smtp_server(auth_require_tls=False, authenticator=authenticate, **options)
        monkeypatch.setenv("NOTICEBOARD_SMTP_USER", "distrito-ñ")
        return server, logins

    return start


def test_a_login_with_letters_outside_ascii_goes_by_auth_plain_in_utf8(notices, utf8_login, monkeypatch):
    server, logins = utf8_login()
    monkeypatch.setenv("NOTICEBOARD_SMTP_PASSWORD", "contraseña-ü")
    result = run(*announce_args("--send"))
    assert result.code == 0, result.err
    assert logins == [("PLAIN", "distrito-ñ".encode("utf-8"), "contraseña-ü".encode("utf-8"))]
    assert len(server.inbox.deliveries) == 1


def test_a_wrong_password_with_letters_outside_ascii_is_refused_in_one_line(notices, utf8_login, monkeypatch):
    server, logins = utf8_login()
    monkeypatch.setenv("NOTICEBOARD_SMTP_PASSWORD", "contraseña-mala")
    result = run(*announce_args("--out", "announcement.eml", "--send"))
    result.err = "\n".join(result.err.splitlines()[1:])
    assert_machine_error(result, server.name, "user name or password was refused", "535")
    assert "mala" not in result.err and server.inbox.deliveries == []


def test_letters_outside_ascii_without_auth_plain_is_exit_3_and_nothing_sent(notices, utf8_login, monkeypatch):
    server, logins = utf8_login(auth_exclude_mechanism=["PLAIN"])
    monkeypatch.setenv("NOTICEBOARD_SMTP_PASSWORD", "contraseña-ü")
    result = run(*announce_args("--out", "announcement.eml", "--send"))
    result.err = "\n".join(result.err.splitlines()[1:])
    assert_machine_error(result, server.name, "NOTICEBOARD_SMTP_USER or NOTICEBOARD_SMTP_PASSWORD", "AUTH PLAIN",
                         "LOGIN", "nothing was sent")
    assert "contraseña" not in result.err and logins == [] and server.inbox.deliveries == []
