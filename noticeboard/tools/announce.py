"""``announce``: the e-mail that tells parents what was posted in a range of days, or since a commit.

What was posted (``gather``), the message in every language of the site (``compose``), and
sending it through the district's SMTP server (``send``). The message is a function of the
content, the dates (or the commit) and the sender only, so that the same announcement is the same
bytes: its date is noon UTC of the last day, and its Message-ID and MIME boundary are made from its
text.

Every value that reaches a header or the SMTP conversation is one that ``check`` accepted or a
setting checked here, written in the form that the protocol carries: host names, and the domains of
addresses, in IDNA (``xn--…``); the headers in UTF-8 (and the message sent with SMTPUTF8) only where
an address has letters outside ASCII before its @.
"""
from __future__ import annotations

import base64
import hashlib
import ipaddress
import os
import re
import smtplib
import socket
import ssl
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Mapping, Protocol
from urllib.parse import quote, urlsplit

from markupsafe import Markup

from .. import urls
from ..characters import control_or_line_break, on_one_line
from ..diagnostics import Report, one_line
from ..i18n import language_name_in, translations
from ..load.content import load_content
from ..load.records import FILES_DIR
from ..output.render import environment
from ..site.pages import Breach, Notice, Site
from ..values import ascii_domain, email_address_problem, first_day

DEFAULT_PORT = 587
TIMEOUT_SECONDS = 30
SETTINGS = "NOTICEBOARD_SMTP_"
REQUIRED_SETTINGS = ("HOST", "FROM", "TO")
# A Message-ID needs a domain; this one (RFC 2606: .invalid) when the site's host cannot be written as one.
FALLBACK_MESSAGE_ID_DOMAIN = "noticeboard.invalid"


class SettingsError(ValueError):
    """The SMTP settings of the environment are missing or unusable: a usage error."""


class SendFailed(Exception):
    """The server did not take the message for every recipient: one line that names the server and why."""


class RevisionUnreadable(Exception):
    """What the site published at the commit of ``--since-commit`` cannot be known: one line that says why."""


# --------------------------------------------------------------------------- what was posted

class Selection(Protocol):
    """Which notices and breach notices an announcement takes, and the days it says they were posted in."""
    today: date

    def takes_notice(self, notice: Notice) -> bool: ...

    def takes_breach(self, breach: Breach) -> bool: ...

    def covering(self, days: list[date]) -> "Period": ...


@dataclass(frozen=True)
class Period:
    """The days an announcement covers: after ``since``, up to and including ``today``."""
    since: date
    today: date

    def __contains__(self, day: date | None) -> bool:
        return day is not None and self.since < day <= self.today

    @property
    def first(self) -> date:
        return self.since + timedelta(days=1)

    @property
    def single_day(self) -> bool:
        return self.first == self.today

    def takes_notice(self, notice: Notice) -> bool:
        """By ``posted``, or the signing date where none is recorded."""
        return notice.recency_date in self

    def takes_breach(self, breach: Breach) -> bool:
        return breach.posted in self

    def covering(self, days: list[date]) -> Period:
        return self


@dataclass(frozen=True)
class Published:
    """The slugs of the notices and breach notices that the site published at a commit and an
    announcement could have named: notices with a date, breach notices with a posted date."""
    notices: frozenset[str]
    breaches: frozenset[str]


@dataclass(frozen=True)
class SinceCommit:
    """What the site publishes now, as of ``today``, that it did not publish at a commit: the notices
    and breach notices that the commits after it added, took out of draft or gave their first date,
    whatever those dates are, so that a change merged after a later-dated one is announced all the same."""
    published: Published
    today: date

    def takes_notice(self, notice: Notice) -> bool:
        return notice.slug not in self.published.notices

    def takes_breach(self, breach: Breach) -> bool:
        return breach.slug not in self.published.breaches

    def covering(self, days: list[date]) -> Period:
        """From the earliest date of what is announced (no later than ``today``) to ``today``."""
        return Period(min([*days, self.today]) - timedelta(days=1), self.today)


def _newest_breach_first(breach: Breach) -> tuple:
    return (-breach.posted.toordinal(), breach.vendor_name.casefold(), breach.slug)


@dataclass
class Section:
    """What one language's part of the message shows: the site in that language, and what it posted."""
    site: Site
    breaches: list[Breach]  # newest posted first
    notices: list[Notice]  # newest posted first

    @property
    def lang(self) -> str:
        return self.site.lang

    def address(self, url: str) -> str:
        """The absolute address of a page of the site, in this section's language (``link_base``)."""
        return urls.absolute(link_base(self.site.base_url), urls.in_language(url, self.lang,
                                                                              self.site.default_language))


@dataclass
class Announcement:
    period: Period
    sections: list[Section]  # one per language of the site, the default first

    @property
    def empty(self) -> bool:
        return not (self.sections[0].breaches or self.sections[0].notices)


def gather(sites: list[Site], selection: Selection) -> Announcement:
    """What ``selection`` takes of each language's site: its breach notices that have a posted date,
    and its notices that have a date (those of its feed)."""
    sections = [Section(site,
                        sorted((b for b in site.breaches if b.posted is not None and selection.takes_breach(b)),
                               key=_newest_breach_first),
                        [notice for notice in site.feed_notices if selection.takes_notice(notice)])
                for site in sites]
    default = sections[0]
    days = [breach.posted for breach in default.breaches] + [notice.recency_date for notice in default.notices]
    return Announcement(selection.covering(days), sections)


def published_at(content_dir: Path, revision: str) -> Published:
    """What the site published at ``revision``, a commit of the git repository that holds
    ``content_dir``: the content folder as it was there, read into a temporary folder and loaded as
    the build loads it, a record counting as the model counts it for the public site (``is_public``;
    a notice with a date, as ``Notice.recency_date``; a breach notice with a posted date). Errors of that content
    are left aside: they were reported when it was merged. ``RevisionUnreadable`` when the commit, the
    folder in it or its settings files cannot be read."""
    commit = _git(content_dir, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}",
                  missing=f"--since-commit {revision}: no such commit in the git repository of {content_dir}")
    top = Path(_git(content_dir, "rev-parse", "--show-toplevel").decode("utf-8", "surrogateescape").strip())
    prefix = _git(content_dir, "rev-parse", "--show-prefix").decode("utf-8", "surrogateescape").strip()
    unknown = "what the site published then is unknown; announce with --since DAY instead"
    with tempfile.TemporaryDirectory(prefix="noticeboard-announce-") as temporary:
        folder = Path(temporary) / "content"
        if not _extract(top, commit.decode("ascii").strip(), prefix, folder):
            raise RevisionUnreadable(one_line(f"--since-commit {revision}: {content_dir} did not exist at that "
                                              f"commit, so {unknown}"))
        content = load_content(folder, Report())
    if content is None:
        raise RevisionUnreadable(one_line(f"--since-commit {revision}: the site.yml or data-elements.yml of that "
                                          f"commit cannot be read, so {unknown}"))
    return Published(
        frozenset(record.slug for record in content.contracts
                  if record.is_public() and (record.fields.posted or first_day(record.fields.contract_date))),
        frozenset(record.slug for record in content.breaches if record.is_public() and record.fields.posted))


def _git(directory: Path, *arguments: str, missing: str | None = None, stdin: bytes | None = None) -> bytes:
    """The output of ``git -C directory ARGUMENTS``; ``RevisionUnreadable`` with git's own words when it
    fails (``missing`` for a failure that prints nothing, such as an unknown commit)."""
    try:
        done = subprocess.run(["git", "--literal-pathspecs", "-C", str(directory), *arguments], input=stdin,
                              capture_output=True, timeout=600)
    except FileNotFoundError:
        raise RevisionUnreadable("--since-commit needs git, which is not installed") from None
    except (OSError, subprocess.TimeoutExpired) as error:
        raise RevisionUnreadable(one_line(f"--since-commit: git failed: {error}")) from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RevisionUnreadable(one_line(missing if missing and not said else
                                          f"--since-commit: git {arguments[0]}: {said[-1] if said else 'failed'}"))
    return done.stdout


def _extract(top: Path, commit: str, prefix: str, folder: Path) -> bool:
    """Write the files under ``prefix`` (a folder of the repository at ``top``, ``content/``) at ``commit``
    into ``folder``, as git stores them (no filter, no attribute applies); False when there are none.
    Links, submodules and the documents of ``files/`` are left out: whether a record is published does
    not depend on them, and reading the documents would be most of the work."""
    listing = _git(top, "ls-tree", "-r", "-z", "--full-tree", commit, "--", *([prefix] if prefix else []))
    blobs = []
    for entry in filter(None, listing.split(b"\0")):
        info, _, name = entry.partition(b"\t")
        mode, kind, object_id = info.split()
        relative = PurePosixPath(name.decode("utf-8", "surrogateescape")[len(prefix):])
        document = relative.parts[1:2] == (FILES_DIR,)
        if kind == b"blob" and mode in (b"100644", b"100755") and relative.parts and not relative.is_absolute() \
                and not {"..", "."} & set(relative.parts) and not document:
            blobs.append((object_id, relative))
    if not blobs:
        return False
    stream = _git(top, "cat-file", "--batch", stdin=b"".join(object_id + b"\n" for object_id, _ in blobs))
    position = 0
    for object_id, relative in blobs:
        header_end = stream.index(b"\n", position)
        size = int(stream[position:header_end].split()[2])
        target = folder.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(stream[header_end + 1:header_end + 1 + size])
        position = header_end + 1 + size + 1
    return True


# --------------------------------------------------------------------------- the message

def subject(announcement: Announcement) -> str:
    """``District: 1 data breach notice, 3 new student-data notices (2025-01-01 to 2025-01-31)``,
    then `` / `` and what was posted in the second language, if there is one."""
    period = announcement.period
    default, *others = announcement.sections
    gettext = translations(default.lang).gettext
    days = (period.today.isoformat() if period.single_day else
            # Translators: the days that an announcement covers, in its subject: "2025-01-01 to 2025-01-31".
            gettext("%(first)s to %(last)s") % {"first": period.first.isoformat(), "last": period.today.isoformat()})
    # Translators: the subject of the announcement: "Waterbury Public Schools: 3 new student-data notices
    # (2025-01-01 to 2025-01-31)".
    line = gettext("%(district)s: %(posted)s (%(days)s)") % {
        "district": default.site.district, "posted": _what_was_posted(default), "days": days}
    return " / ".join([line] + [_what_was_posted(section) for section in others[:1]])


def _what_was_posted(section: Section) -> str:
    ngettext = translations(section.lang).ngettext
    parts = []
    if section.breaches:
        count = len(section.breaches)
        parts.append(ngettext("%(count)s data breach notice", "%(count)s data breach notices", count)
                     % {"count": count})
    if section.notices:
        count = len(section.notices)
        parts.append(ngettext("%(count)s new student-data notice", "%(count)s new student-data notices", count)
                     % {"count": count})
    return ", ".join(parts)


@dataclass(frozen=True)
class Pointer:
    """A line at the top of the message, in a further language, that says its part follows."""
    lang: str
    text: str


def _pointers(sections: list[Section]) -> list[Pointer]:
    # Translators: the first line of the announcement e-mail, in each language but the first.
    return [Pointer(section.lang, translations(section.lang).gettext(
                "The %(language)s version of this message is below.")
                % {"language": language_name_in(section.lang, section.lang)})
            for section in sections]


def _bodies(announcement: Announcement, title: str) -> tuple[str, str]:
    """The plain text and the HTML: each section rendered with its language's catalog, then the message."""
    texts, htmls = [], []
    for section in announcement.sections:
        env = environment(section.lang)
        context = dict(site=section.site, lang=section.lang, period=announcement.period, breaches=section.breaches,
                       notices=section.notices, address=section.address)
        texts.append(env.get_template("email/_section.txt").render(context))
        htmls.append(Markup(env.get_template("email/_section.html").render(context)))
    default = environment(announcement.sections[0].lang)
    pointers = _pointers(announcement.sections[1:])
    message = dict(title=title, lang=announcement.sections[0].lang, pointers=pointers)
    return (default.get_template("email/announce.txt").render(message, sections=texts),
            default.get_template("email/announce.html").render(message, sections=htmls))


@lru_cache(maxsize=64)
def link_base(base_url: str) -> str:
    """``base_url`` as a URI of ASCII only: a host with letters outside ASCII in its IDNA form
    (``https://escuelas-ñ.test/`` → ``https://xn--escuelas--t6a.test/``), the rest of such letters
    percent-encoded as UTF-8; an address that is ASCII already is left as the site writes it.

    The links of the message are written so because mail clients find the links of a plain-text part
    by the characters that a URI may hold, and many end the link at the first letter outside ASCII
    (``https://escuelas-`` would be the link); in the HTML part an ASCII ``href`` is the one that every
    client and webmail opens without a rewrite of its own. This is the address that the browser sends
    anyway, and it shows the host in its own letters again in its address bar. A host that IDNA cannot
    encode (the site could not be reached at it by that name either) is percent-encoded too, which
    keeps the link one well-formed URI.
    """
    if base_url.isascii():
        return base_url
    parts = urlsplit(base_url)
    host, colon, port = parts.netloc.rpartition(":") if ":" in parts.netloc.rpartition("]")[2] else (
        parts.netloc, "", "")
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            host = quote(host, safe="")
    printable_ascii = "".join(map(chr, range(0x21, 0x7f)))
    return parts._replace(netloc=host + colon + port, path=quote(parts.path, safe=printable_ascii)).geturl()


def message_id_domain(base_url: str) -> str:
    """The domain of the Message-ID: the site's host, in IDNA form, or as an address literal
    (``[192.0.2.1]``, ``[IPv6:2001:db8::1]``, RFC 5322 3.6.4 and RFC 5321 4.1.3) when it is an IP
    address; ``FALLBACK_MESSAGE_ID_DOMAIN`` when it is neither."""
    host = (urlsplit(base_url).hostname or "").rstrip(".")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return ascii_domain(host) or FALLBACK_MESSAGE_ID_DOMAIN
    literal = ipaddress.ip_address(address.packed)  # without an IPv6 zone (%eth0), which is no part of a domain
    return f"[IPv6:{literal.compressed}]" if literal.version == 6 else f"[{literal}]"


@dataclass(frozen=True)
class Mailbox:
    """One address as headers and the SMTP envelope carry it: its domain in IDNA form, the part before
    the @ as written, which needs SMTPUTF8 when it has letters outside ASCII; with a display name."""
    local: str
    domain: str
    name: str = ""

    @property
    def address(self) -> str:
        return f"{self.local}@{self.domain}"

    @property
    def international(self) -> bool:
        return not self.local.isascii()

    def header(self) -> str:
        return str(Address(display_name=_header_text(self.name), username=self.local, domain=self.domain))


def mailbox(address: str, name: str = "") -> Mailbox:
    """The ``Mailbox`` of an address that ``schema.email_address_problem`` accepts."""
    local, _, domain = address.partition("@")
    return Mailbox(local, ascii_domain(domain) or domain, name)


def _header_text(text: str) -> str:
    """Text of a header (a display name, the subject) on one line: a control character of the content
    would otherwise end the header, or start another."""
    return on_one_line(text)


def _contact_mailbox(site: Site) -> Mailbox | None:
    """``contact.email``, which ``check`` has accepted, if the site gives one."""
    email_address = site.contact.email
    return mailbox(email_address) if email_address and email_address_problem(email_address) is None else None


def sender_mailbox(environ: Mapping[str, str], site: Site) -> Mailbox | None:
    """The sender: ``NOTICEBOARD_SMTP_FROM``, else the site's contact address, else none; an address
    given alone is shown with the district's name."""
    configured = _setting(environ, "FROM")
    if configured:
        sender = _settings_mailbox(configured, "FROM")
    else:
        sender = _contact_mailbox(site)
        if sender is None:
            return None
    return sender if sender.name else Mailbox(sender.local, sender.domain, str(site.district))


def compose(announcement: Announcement, environ: Mapping[str, str]) -> EmailMessage:
    """The RFC 5322 message: ``multipart/alternative``, plain text then HTML, every language in each.

    The recipients are never named in it (they are only the envelope's, like Bcc), so that no
    parent sees another's address: the message is addressed to its sender. Its headers are ASCII
    unless an address in them has letters outside ASCII before its @: then they are UTF-8 (RFC
    6532), and ``send`` asks the server for SMTPUTF8.
    """
    site = announcement.sections[0].site
    title = subject(announcement)
    text, html = _bodies(announcement, title)
    sender = sender_mailbox(environ, site)
    contact = _contact_mailbox(site)
    reply_to = contact if contact and (sender is None or contact.address != sender.address) else None
    international = any(box.international for box in (sender, reply_to) if box)
    message = EmailMessage(policy=SMTP.clone(utf8=True) if international else SMTP)
    if sender:
        message["From"] = sender.header()
        message["To"] = sender.header()
    if reply_to:
        message["Reply-To"] = reply_to.header()
    message["Subject"] = _Subject(_header_text(title))
    message["Date"] = format_datetime(datetime.combine(announcement.period.today, time(12), timezone.utc))
    sender_header = sender.header() if sender else ""
    fingerprint = hashlib.sha256("\0".join([sender_header, title, text, html]).encode("utf-8")).hexdigest()
    message["Message-ID"] = f"<announce.{fingerprint[:32]}@{message_id_domain(site.base_url)}>"
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    # After set_content, which removes every Content-* header.
    message["Content-Language"] = ", ".join(section.lang for section in announcement.sections)
    # Quoted-printable never writes "=_", so that the boundary cannot occur in a part.
    message.set_boundary(f"=_{fingerprint[32:56]}")
    return message


class _Subject(str):
    """The subject, folded by ``email.header.Header``.

    The folder of ``email.policy`` (Python 3.11) may end a line with a space just before an
    encoded word and begin the next line with another: parents would read "aviso de  filtración".
    ``Header`` folds between encoded words, where the folding whitespace is not part of the text.
    """
    name = "Subject"

    def fold(self, *, policy) -> str:
        encoded = Header(str(self), "us-ascii" if self.isascii() else "utf-8", header_name=self.name)
        return f"{self.name}: {encoded.encode(linesep=policy.linesep)}{policy.linesep}"


def message_bytes(message: EmailMessage) -> bytes:
    """The message as written and sent, by its own policy (``SMTP``, or ``SMTP`` in UTF-8)."""
    return message.as_bytes(policy=message.policy)


def write_message(path: Path, data: bytes) -> None:
    """The whole file or, on failure, what was there before: written beside it, then renamed.
    A failure names ``path``, not the temporary file."""
    temporary = None
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException as error:
        if temporary:
            Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            error.filename, error.filename2 = str(path), None
        raise


# --------------------------------------------------------------------------- sending

@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str | None
    password: str | None
    sender: str  # the envelope's address
    recipients: list[str]

    @property
    def server(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def loopback(self) -> bool:
        """A server on this machine, where the message never crosses a network: no STARTTLS."""
        return urls.is_loopback(self.host)


def smtp_settings(environ: Mapping[str, str]) -> SmtpSettings:
    """The ``NOTICEBOARD_SMTP_*`` settings; ``SettingsError`` names each one missing or wrong."""
    values = {name: _setting(environ, name) for name in ("HOST", "PORT", "USER", "PASSWORD", "FROM", "TO")}
    missing = [SETTINGS + name for name in REQUIRED_SETTINGS if not values[name]]
    if missing:
        raise SettingsError(f"--send needs the environment variable{'s' if len(missing) > 1 else ''} "
                            f"{', '.join(missing)} (see docs/operators/announcing.md)")
    port = values["PORT"] or str(DEFAULT_PORT)
    if not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
        raise SettingsError(f"{SETTINGS}PORT='{port}' is not a port; a port is a number from 1 to 65535")
    if not _host_name(values["HOST"]):
        raise SettingsError(f"{SETTINGS}HOST='{values['HOST']}' is not a host name or an IP address")
    if bool(values["USER"]) != bool(values["PASSWORD"]):
        given, lacking = ("USER", "PASSWORD") if values["USER"] else ("PASSWORD", "USER")
        raise SettingsError(f"{SETTINGS}{given} is set but {SETTINGS}{lacking} is not; set both, or neither "
                            "for a server that needs no login")
    sender = _settings_mailbox(values["FROM"], "FROM").address
    recipients = list(dict.fromkeys(_settings_mailbox(item, "TO").address
                                    for item in values["TO"].split(",") if item.strip()))
    if not recipients:
        raise SettingsError(f"{SETTINGS}TO names no recipient; write addresses separated by commas")
    return SmtpSettings(values["HOST"], int(port), values["USER"] or None, values["PASSWORD"] or None, sender,
                        recipients)


def _setting(environ: Mapping[str, str], name: str) -> str:
    """The value of ``NOTICEBOARD_SMTP_<name>`` without the spaces around it. A control character or line
    break within it, which would end an SMTP command or a header and start another, is refused by its
    position alone, so that no value, and no password, is printed."""
    value = environ.get(SETTINGS + name, "").strip()
    found = control_or_line_break(value)
    if found:
        raise SettingsError(f"{SETTINGS}{name} contains a control character or line break (U+{ord(found[0]):04X}, "
                            f"character {found.start() + 1} of its value); a setting is one line of text")
    return value


def _host_name(host: str) -> bool:
    """Whether ``host`` is an IP address or a name that the resolver can be asked for (in IDNA form,
    as ``socket`` encodes it)."""
    try:
        ipaddress.ip_address(host.removeprefix("[").removesuffix("]"))
        return True
    except ValueError:
        pass
    try:
        host.encode("idna")
    except UnicodeError:
        return False
    return not any(character.isspace() for character in host)


_NAMED_ADDRESS = re.compile(r"(?P<name>[^<>]*)<(?P<address>[^<>]*)>")


def _settings_mailbox(text: str, setting: str) -> Mailbox:
    """One address of a setting, ``privacy@district.org`` or ``District <privacy@district.org>`` (the name
    may be in double quotes), checked as ``check`` checks ``contact.email``."""
    text = text.strip()
    named = _NAMED_ADDRESS.fullmatch(text)
    name, address = (named["name"].strip(), named["address"].strip()) if named else ("", text)
    if len(name) >= 2 and name[0] == name[-1] == '"':
        name = re.sub(r"\\(.)", r"\1", name[1:-1])
    problem = email_address_problem(address)
    if problem:
        raise SettingsError(f"{SETTINGS}{setting}: '{one_line(address)}' {problem}")
    return mailbox(address, name)


def send(message: EmailMessage, settings: SmtpSettings) -> int:
    """Hand ``message`` to the server for every recipient; the number it accepted.

    ``SendFailed`` unless the server accepted it for every one; when it accepted some, the
    error says for whom, and whom it refused.
    """
    data = message_bytes(message)
    international = message.policy.utf8 or not "".join([settings.sender, *settings.recipients]).isascii()
    try:
        server = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
        try:
            server.ehlo()
            if not settings.loopback:
                _start_tls(server, settings)
            if international and not server.has_extn("smtputf8"):
                raise _failed(settings, "an address of the message or of NOTICEBOARD_SMTP_FROM or _TO has letters "
                                        "outside ASCII before its @, which needs a server that offers SMTPUTF8, "
                                        "and this one does not")
            if settings.user:
                _log_in(server, settings)
            options = (["SMTPUTF8"] + (["BODY=8BITMIME"] if server.has_extn("8bitmime") else [])
                       if international else [])
            refused = server.sendmail(settings.sender, settings.recipients, data, options)
        finally:
            _close(server)
    except smtplib.SMTPRecipientsRefused as error:
        raise _failed(settings, f"every recipient was refused: {_refusals(error.recipients)}") from None
    except smtplib.SMTPSenderRefused as error:
        raise _failed(settings, f"the sender {error.sender} was refused ({_reply(error)})") from None
    except smtplib.SMTPDataError as error:
        raise _failed(settings, f"the message was refused ({_reply(error)})") from None
    except smtplib.SMTPServerDisconnected as error:
        raise _failed(settings, f"the server closed the connection{_detail(error)}") from None
    except smtplib.SMTPResponseException as error:
        raise _failed(settings, f"the server answered {_reply(error)}") from None
    except smtplib.SMTPException as error:
        raise _failed(settings, str(error) or type(error).__name__) from None
    except ssl.SSLError as error:
        raise _failed(settings, f"TLS failed: {error.reason or error}") from None
    except socket.gaierror:
        raise _failed(settings, "no such host") from None
    except ConnectionRefusedError:
        raise _failed(settings, "connection refused (is the server running on that port?)") from None
    except TimeoutError:
        raise _failed(settings, f"no answer within {TIMEOUT_SECONDS} seconds") from None
    except OSError as error:
        raise _failed(settings, error.strerror or str(error)) from None
    except UnicodeError:  # the name of this machine in EHLO, say; never a setting's value in the message
        raise _failed(settings, "a name in the conversation with the server has letters outside ASCII that "
                                "it cannot carry") from None
    accepted = len(settings.recipients) - len(refused)
    if refused:
        raise _failed(settings, f"sent to {accepted} of {len(settings.recipients)} recipients; "
                                f"refused: {_refusals(refused)}", sent=True)
    return accepted


def _close(server: smtplib.SMTP) -> None:
    """Say goodbye if the server still listens: once it has taken the message, a failing QUIT changes nothing."""
    try:
        server.quit()
    except (smtplib.SMTPException, OSError):
        server.close()


def _start_tls(server: smtplib.SMTP, settings: SmtpSettings) -> None:
    if not server.has_extn("starttls"):
        raise SendFailed(f"{settings.server}: the server does not offer STARTTLS, so the message and the "
                         "password would cross the network unencrypted; nothing was sent")
    server.starttls(context=ssl.create_default_context())
    server.ehlo()


def _log_in(server: smtplib.SMTP, settings: SmtpSettings) -> None:
    try:
        if settings.user.isascii() and settings.password.isascii():
            server.login(settings.user, settings.password)
        else:
            _log_in_with_utf8(server, settings)
    except smtplib.SMTPAuthenticationError as error:
        raise _failed(settings, f"the user name or password was refused ({_reply(error)})") from None
    except smtplib.SMTPNotSupportedError:
        raise _failed(settings, "the server offers no login (AUTH); unset NOTICEBOARD_SMTP_USER and "
                                "NOTICEBOARD_SMTP_PASSWORD if it needs none") from None


def _log_in_with_utf8(server: smtplib.SMTP, settings: SmtpSettings) -> None:
    """AUTH PLAIN, whose user name and password are UTF-8 by definition (RFC 4616): ``smtplib`` writes
    the answers of every mechanism in ASCII, and so cannot send a name or password with other letters.
    LOGIN and CRAM-MD5 say nothing of the encoding, so such credentials go with PLAIN only, which
    crosses the network inside TLS like the rest (``send`` logs in after STARTTLS)."""
    if not server.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError("the server offers no AUTH")
    offered = server.esmtp_features["auth"].upper().split()
    if "PLAIN" not in offered:
        raise _failed(settings, f"{SETTINGS}USER or {SETTINGS}PASSWORD has letters outside ASCII, which only AUTH "
                                f"PLAIN carries (as UTF-8, RFC 4616), and the server offers AUTH "
                                f"{' '.join(offered) or 'with no mechanism'}")
    answer = base64.b64encode(b"\0" + settings.user.encode("utf-8") + b"\0"
                              + settings.password.encode("utf-8")).decode("ascii")
    code, reply = server.docmd("AUTH", f"PLAIN {answer}")
    if code == 334:  # a server that wants the answer on a line of its own (RFC 4954 4)
        code, reply = server.docmd(answer)
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def _failed(settings: SmtpSettings, reason: str, sent: bool = False) -> SendFailed:
    ending = "" if sent else "; nothing was sent"
    return SendFailed(one_line(f"{settings.server}: {reason}{ending}"))


def _reply(error: smtplib.SMTPResponseException) -> str:
    return _said(error.smtp_code, error.smtp_error)


def _said(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(words.split())}".strip()


def _refusals(recipients: dict) -> str:
    return ", ".join(f"{address} ({_said(code, text)})" for address, (code, text) in recipients.items())


def _detail(error: Exception) -> str:
    return f": {error}" if str(error) else ""
