"""``announce``: the e-mail that tells parents what was posted in a range of days.

What was posted (``gather``), the message in every language of the site (``compose``), and
sending it through the district's SMTP server (``send``). The message is a function of the
content, the two dates and the sender only, so that the same announcement is the same bytes: its
date is noon UTC of the last day, and its Message-ID and MIME boundary are made from its text.
"""
from __future__ import annotations

import hashlib
import os
import smtplib
import socket
import ssl
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit

from markupsafe import Markup

from . import urls
from .diagnostics import one_line
from .i18n import language_name_in, translations
from .model import Breach, Notice, Site
from .render import environment

DEFAULT_PORT = 587
TIMEOUT_SECONDS = 30
SETTINGS = "NOTICEBOARD_SMTP_"
REQUIRED_SETTINGS = ("HOST", "FROM", "TO")


class SettingsError(ValueError):
    """The SMTP settings of the environment are missing or unusable: a usage error."""


class SendFailed(Exception):
    """The server did not take the message for every recipient: one line that names the server and why."""


# --------------------------------------------------------------------------- what was posted

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
        """The absolute address of a page of the site, in this section's language."""
        return urls.absolute(self.site.base_url, urls.in_language(url, self.lang, self.site.default_language))


@dataclass
class Announcement:
    period: Period
    sections: list[Section]  # one per language of the site, the default first

    @property
    def empty(self) -> bool:
        return not (self.sections[0].breaches or self.sections[0].notices)


def gather(sites: list[Site], period: Period) -> Announcement:
    """Breach notices by ``posted``; notices by ``posted``, or their signing date where none is recorded."""
    return Announcement(period, [
        Section(site,
                sorted((b for b in site.breaches if b.posted in period), key=_newest_breach_first),
                [notice for notice in site.feed_notices if notice.recency_date in period])
        for site in sites])


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


def sender_address(environ: Mapping[str, str], site: Site) -> tuple[str | None, str | None]:
    """(From header, envelope address): ``NOTICEBOARD_SMTP_FROM``, else the site's contact address,
    else none; a bare address is shown with the district's name."""
    configured = environ.get(SETTINGS + "FROM", "").strip()
    if configured:
        name, address = _parsed(configured, "FROM")
    else:
        name, address = parseaddr(site.contact.email or "")
        if "@" not in address:
            return None, None
    try:
        return str(Address(display_name=name or str(site.district), addr_spec=address)), address
    except (ValueError, IndexError):
        raise SettingsError(f"{SETTINGS}FROM: '{one_line(address)}' is not an e-mail address") from None


def compose(announcement: Announcement, environ: Mapping[str, str]) -> EmailMessage:
    """The RFC 5322 message: ``multipart/alternative``, plain text then HTML, every language in each.

    The recipients are never named in it (they are only the envelope's, like Bcc), so that no
    parent sees another's address: the message is addressed to its sender.
    """
    site = announcement.sections[0].site
    title = subject(announcement)
    text, html = _bodies(announcement, title)
    sender, address = sender_address(environ, site)
    message = EmailMessage(policy=SMTP)
    if sender:
        message["From"] = sender
        message["To"] = sender
    if site.contact.email and site.contact.email != address:
        message["Reply-To"] = site.contact.email
    message["Subject"] = _Subject(title)
    message["Date"] = format_datetime(datetime.combine(announcement.period.today, time(12), timezone.utc))
    fingerprint = hashlib.sha256("\0".join([sender or "", title, text, html]).encode("utf-8")).hexdigest()
    message["Message-ID"] = f"<announce.{fingerprint[:32]}@{urlsplit(site.base_url).hostname}>"
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
    return message.as_bytes(policy=SMTP)


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
    values = {name: environ.get(SETTINGS + name, "").strip() for name in
              ("HOST", "PORT", "USER", "PASSWORD", "FROM", "TO")}
    missing = [SETTINGS + name for name in REQUIRED_SETTINGS if not values[name]]
    if missing:
        raise SettingsError(f"--send needs the environment variable{'s' if len(missing) > 1 else ''} "
                            f"{', '.join(missing)} (see README, 'Announcing new notices by e-mail')")
    port = values["PORT"] or str(DEFAULT_PORT)
    if not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
        raise SettingsError(f"{SETTINGS}PORT='{port}' is not a port; a port is a number from 1 to 65535")
    if bool(values["USER"]) != bool(values["PASSWORD"]):
        given, lacking = ("USER", "PASSWORD") if values["USER"] else ("PASSWORD", "USER")
        raise SettingsError(f"{SETTINGS}{given} is set but {SETTINGS}{lacking} is not; set both, or neither "
                            "for a server that needs no login")
    _, sender = _parsed(values["FROM"], "FROM")
    recipients = list(dict.fromkeys(_parsed(item, "TO")[1] for item in values["TO"].split(",") if item.strip()))
    if not recipients:
        raise SettingsError(f"{SETTINGS}TO names no recipient; write addresses separated by commas")
    return SmtpSettings(values["HOST"], int(port), values["USER"] or None, values["PASSWORD"] or None, sender,
                        recipients)


def _parsed(text: str, setting: str) -> tuple[str, str]:
    """(display name, address) of one address of a setting."""
    name, address = parseaddr(text.strip())
    if "@" not in address:
        raise SettingsError(f"{SETTINGS}{setting}: '{one_line(text.strip())}' is not an e-mail address")
    return name, address


def send(message: EmailMessage, settings: SmtpSettings) -> int:
    """Hand ``message`` to the server for every recipient; the number it accepted.

    ``SendFailed`` unless the server accepted it for every one; when it accepted some, the
    error says for whom, and whom it refused.
    """
    try:
        server = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
        try:
            server.ehlo()
            if not settings.loopback:
                _start_tls(server, settings)
            if settings.user:
                _log_in(server, settings)
            refused = server.send_message(message, from_addr=settings.sender, to_addrs=settings.recipients)
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
        server.login(settings.user, settings.password)
    except smtplib.SMTPAuthenticationError as error:
        raise _failed(settings, f"the user name or password was refused ({_reply(error)})") from None
    except smtplib.SMTPNotSupportedError:
        raise _failed(settings, "the server offers no login (AUTH); unset NOTICEBOARD_SMTP_USER and "
                                "NOTICEBOARD_SMTP_PASSWORD if it needs none") from None


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
