"""Hypothesis: whatever site.yml's base_url, contact.email and district are, either ``check`` refuses the
value, or ``announce`` writes a well-formed message and a local SMTP server (which offers SMTPUTF8) takes it
as written; never an exception.

Well-formed, as a mail client reads it back: one header per line, each name once; the From, To and
Reply-To addresses read without a defect (but the letters outside ASCII of a local part, in a message
of UTF-8 headers, RFC 6532), their domains ASCII; a Message-ID whose domain is a host name or an address
literal; every link an ASCII URI under the site's address. NOTICEBOARD_FUZZ_EXAMPLES=N runs N examples
with a new seed each time, as tests/test_properties.py does.
"""
from __future__ import annotations

import os
import re
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from conftest import ContentTree, run
from noticeboard.tools import announce
from noticeboard.pipeline import announce as gather, check
from test_announce import (PARENTS, SENDER, SMTP_VARIABLES, Inbox, html_part, smtp_server,  # noqa: F401 (fixture)
                           text_part, well_formed)

pytestmark = pytest.mark.slow  # Hypothesis, each example sent to a real SMTP server

FUZZ_EXAMPLES = int(os.environ.get("NOTICEBOARD_FUZZ_EXAMPLES") or 0)
PROFILE = settings(derandomize=not FUZZ_EXAMPLES, database=None, deadline=timedelta(seconds=3),
                   max_examples=FUZZ_EXAMPLES or 100,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
SINCE, TODAY = "2025-01-10", "2025-01-31"
PERIOD = announce.Period(date.fromisoformat(SINCE), date.fromisoformat(TODAY))
CHECK_DAY = PERIOD.today

HOSTS = st.one_of(
    st.sampled_from(["notices.district.test", "escuelas-ñ.test", "ESCUELAS-Ñ.TEST", "xn--escuelas--t6a.test",
                     "数据.学校.test", "ｅｘａｍｐｌｅ.test", "☃.net", "192.0.2.1", "[2001:db8::1]", "[::ffff:192.0.2.1]",
                     "[fe80::1%25eth0]", "localhost", "a(b).test", "a,b;c.test", "notices.district.test.", "a_b.test",
                     "-x-.test", "%41.test", "a..b.test", "a" * 64 + ".test", "1.2.3.4.5", "0x7f.1", "~!$&*+=.test"]),
    st.text(st.sampled_from("ab9-._ñ()%!$ü数\u0301"), min_size=1, max_size=16))
PORTS = st.sampled_from(["", ":", ":8443", ":0", ":00080", ":65535"])
PATHS = st.sampled_from(["/", "", "/avisos-año/", "/a%20b/", "/x/y/", "/ñ/%C3%B1/"])
BASE_URLS = st.builds("{}://{}{}{}".format, st.sampled_from(["https", "http"]), HOSTS, PORTS, PATHS)

ADDRESS_PIECES = ["privacy", "josé", "数据", "o'brien", "+", ".", "..", "@", "@@", " ", ",", ";", "<", ">", '"', "(",
                  "[", "]", "district.test", "escuela-ñ.test", "xn--escuela--k3a.test", "1.2.3.4", "-", "_", "\r\n",
                  "\u2028", "\x85", "\u200b", "\t", "=SUM(A1)", "Bcc: x@y.test", "localhost", "ÑANDÚ", "\U0001f600"]
WORDS = st.text(st.sampled_from("abZ9ñé数\u0301"), min_size=1, max_size=5)
LOCAL_PARTS = st.builds("{}{}{}".format, WORDS, st.sampled_from(["", ".", "'", "+", "_", "-"]), WORDS)
DOMAINS = st.lists(st.builds("{}{}{}".format, WORDS, st.sampled_from(["", "", "-", "--"]), WORDS),
                   min_size=2, max_size=3).map(".".join)
LIKELY_ADDRESSES = st.builds("{}@{}".format, LOCAL_PARTS, DOMAINS)
EMAILS = st.one_of(
    LIKELY_ADDRESSES, LIKELY_ADDRESSES,
    st.sampled_from(["privacy@district.test", "josé@escuela.test", "info@escuela-ñ.test", "x@[1.2.3.4", "@SUM(A1)",
                     "a@x.test, b@y.test", "District <privacy@district.test>", "privacy@district.test\r\nBcc: x@y.test",
                     "privacy@192.0.2.1", "p@district.test.", "p@" + "a" * 63 + ".test", "p" * 64 + "@district.test"]),
    st.lists(st.sampled_from(ADDRESS_PIECES), min_size=1, max_size=6).map("".join),
    st.text(max_size=24))
DISTRICTS = st.one_of(st.just("Test District"), st.text(st.sampled_from(list('Dé "<>,@:;()\\\r\t\u2028\x85=?ab')),
                                                        min_size=1, max_size=20))


def yaml_string(text: str) -> str:
    """``text`` as a YAML double-quoted string: every character written as an escape, so that YAML reads
    exactly ``text`` back (or refuses a character that it does not allow)."""
    return '"' + "".join(f"\\U{ord(character):08x}" for character in text) + '"'


def site_yml(base_url: str, email_address: str, district: str) -> str:
    return (f"title: Student Data Privacy Notices\ndistrict: {yaml_string(district)}\n"
            f"base_url: {yaml_string(base_url)}\ncontact:\n  email: {yaml_string(email_address)}\n"
            "languages: [en, es]\n")


HEADER_NAMES = {"From", "To", "Reply-To", "Subject", "Date", "Message-ID", "Auto-Submitted", "MIME-Version",
                "Content-Type", "Content-Language"}


def assert_headers_are_lines_of_their_own(data: bytes) -> None:
    """No value of the content starts a header of its own, and none ends the headers early."""
    head = data.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
    names = [line.split(b":", 1)[0].decode("ascii") for line in head if not line.startswith((b" ", b"\t"))]
    assert set(names) <= HEADER_NAMES and len(names) == len(set(names)), names
    assert all(b"\r" not in line and b"\n" not in line for line in head)


@pytest.fixture
def content(tmp_path, monkeypatch) -> ContentTree:
    monkeypatch.chdir(tmp_path)
    return ContentTree(tmp_path / "content")


@pytest.fixture
def server(smtp_server, monkeypatch):
    """One server for every example, which offers SMTPUTF8; no NOTICEBOARD_SMTP_* setting is left set, so
    that the message's sender is the contact address."""
    started = smtp_server(Inbox(), enable_SMTPUTF8=True)
    for name in SMTP_VARIABLES:
        monkeypatch.delenv(f"NOTICEBOARD_SMTP_{name}", raising=False)
    return started


@PROFILE
@given(base_url=BASE_URLS, email_address=EMAILS, district=DISTRICTS)
@example(base_url="https://escuelas-ñ.test/", email_address="josé@escuela-ñ.test", district="Distrito\rÑ\t")
@example(base_url="https://[2001:db8::1]:8443/", email_address="x@[1.2.3.4", district="Test District")
@example(base_url="https://192.0.2.1/", email_address="a@x.test, b@y.test", district="A\rB")
def test_what_check_accepts_of_site_yml_announce_writes_and_sends_well_formed(content, server, base_url,
                                                                              email_address, district):
    content.write("site.yml", site_yml(base_url, email_address, district))
    checked = check(content.root, CHECK_DAY)
    refused = sorted({diagnostic.field for diagnostic in checked.report.errors if diagnostic.path.endswith("site.yml")})
    event(f"check refuses {', '.join(refused)}" if refused else "check accepts")
    if refused:
        return
    assert not checked.report.errors, "\n".join(checked.report.lines())

    result = run("announce", "--since", SINCE, "--today", TODAY, "--out", "announcement.eml")
    assert result.code == 0, result.err
    data = Path("announcement.eml").read_bytes()
    assert_headers_are_lines_of_their_own(data)
    message = well_formed(data)
    for name in ("From", "Reply-To"):
        for address in message[name].addresses if message[name] else ():
            assert address.domain.isascii(), (name, address)
    assert "\r" not in str(message["Subject"]) and "\n" not in str(message["Subject"])
    assert re.fullmatch(r"<announce\.[0-9a-f]{32}@(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[!-Z^-~]+\])>",
                        str(message["Message-ID"]).strip()), message["Message-ID"]
    base = announce.link_base(base_url if base_url.endswith("/") else base_url + "/")
    links = re.findall(r"\S+://\S+", text_part(message)) + [a["href"] for a in html_part(message).find_all("a")]
    assert links and all(link.isascii() and link.startswith(base) and urlsplit(link).hostname for link in links), \
        (base, links)

    composed = announce.compose(gather(content.root, PERIOD, checked_on=CHECK_DAY).announcement, {})
    assert announce.message_bytes(composed) == data
    server.inbox.deliveries.clear()
    assert announce.send(composed, announce.SmtpSettings("127.0.0.1", server.port, None, None, SENDER, PARENTS)) == 2
    [delivery] = server.inbox.deliveries
    assert delivery.data.replace(b"\r\n", b"\n") == data.replace(b"\r\n", b"\n"), "sent as written"
