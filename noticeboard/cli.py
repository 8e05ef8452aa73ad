"""Command line: parse arguments, run a command, print the report, return the exit status."""
from __future__ import annotations

import argparse
import os
import sys
from datetime import date, datetime, timezone
from pathlib import Path

from . import program
from .load.cache import CacheRefused, DiskCache, open_cache
from .diagnostics import one_line, plural, print_report
from .output.write import InterruptedAfterSwap, OutputFailed, OutputRefused
from .pipeline import BuildResult, announce, build, check
from .load.schema import ISO_DATE_PATTERN, did_you_mean
from .urls import web_address_problem

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_MACHINE, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
COMMANDS = ("build", "check", "serve", "new", "announce", "schema")


class UsageError(Exception):
    pass


def _date_argument(text: str) -> date:
    """``YYYY-MM-DD`` only, as in content (``date.fromisoformat`` would also take 20250121)."""
    try:
        if not ISO_DATE_PATTERN.fullmatch(text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write YYYY-MM-DD") from None


def default_today() -> date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
        except (ValueError, OverflowError, OSError):
            raise UsageError(f"SOURCE_DATE_EPOCH='{epoch}' is not a number of seconds") from None
    return date.today()


def _base_url_argument(text: str) -> str:
    problem = web_address_problem(text, site_root=True)
    if problem:
        raise argparse.ArgumentTypeError(f"'{text}' {problem} (an absolute URL such as https://example.org/)")
    return text if text.endswith("/") else text + "/"


def _port_argument(text: str) -> int:
    """A TCP port; checked here because the server would quietly listen on 99999 modulo 65536."""
    if text.isascii() and text.isdigit() and 1 <= int(text) <= 65535:
        return int(text)
    raise argparse.ArgumentTypeError(f"'{text}' is not a port; a port is a number from 1 to 65535")


def _out_argument(text: str) -> Path:
    return Path(os.path.expanduser(text))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=program(),
        description="Build, check and preview a district's student-data-privacy notice site.")
    commands = parser.add_subparsers(dest="command", metavar="{" + ",".join(COMMANDS) + "}")

    def content_option(command):
        command.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                             help="the content directory (default: content)")

    def cache_option(command):
        command.add_argument("--no-cache", action="store_true",
                             help="neither read nor write the build cache (README: 'Build cache')")

    build_command = commands.add_parser("build", help="build the site (the default command)")
    content_option(build_command)
    build_command.add_argument("--out", type=_out_argument, default=Path("site"), metavar="DIR",
                               help="the output directory (default: site)")
    build_command.add_argument("--today", type=_date_argument, metavar="YYYY-MM-DD",
                               help="the build date (default: today, or SOURCE_DATE_EPOCH)")
    build_command.add_argument("--base-url", type=_base_url_argument, metavar="URL", help="override base_url of site.yml")
    cache_option(build_command)

    check_command = commands.add_parser("check", help="validate the content and report on compliance")
    content_option(check_command)
    check_command.add_argument("--today", type=_date_argument, metavar="YYYY-MM-DD")
    check_command.add_argument("--strict", action="store_true", help="fail (exit 1) on warnings too")
    cache_option(check_command)

    serve_command = commands.add_parser("serve", help="preview the site, rebuilt on every change")
    content_option(serve_command)
    serve_command.add_argument("--port", type=_port_argument, default=8000)
    serve_command.add_argument("--host", default="127.0.0.1")
    serve_command.add_argument("--today", type=_date_argument, metavar="YYYY-MM-DD",
                               help="the build date (default: the day of each rebuild)")

    new_command = commands.add_parser("new", help="start a new contract notice, policy or breach notice from a "
                                                   "template")
    content_option(new_command)
    new_command.add_argument("kind", choices=["contract", "policy", "breach"])
    new_command.add_argument("name", help="the slug of the notice (imagine-learning-amendment-3), the number of "
                                          "the policy (5125) or the slug of the breach notice (acme-2026-11)")
    new_command.add_argument("--vendor", help="the vendor of a new notice or breach notice")
    new_command.add_argument("--title", help="the title of a new policy")
    new_command.add_argument("--today", type=_date_argument, metavar="YYYY-MM-DD",
                             help="the date written into the record (default: today, or SOURCE_DATE_EPOCH)")

    announce_command = commands.add_parser(
        "announce", help="write the e-mail that tells parents what was posted after --since, up to --today "
                         "(or what was published after the commit --since-commit), and --send it")
    content_option(announce_command)
    announced = announce_command.add_mutually_exclusive_group(required=True)
    announced.add_argument("--since", type=_date_argument, metavar="YYYY-MM-DD",
                           help="the last day already announced: what was posted after it (not on it)")
    announced.add_argument("--since-commit", metavar="REV",
                           help="the last commit already announced, of the git repository that holds the content: "
                                "the notices and breach notices published now that were not at REV, whatever "
                                "their dates")
    announce_command.add_argument("--today", type=_date_argument, metavar="YYYY-MM-DD",
                                  help="the last day to announce, included (default: today, or SOURCE_DATE_EPOCH)")
    announce_command.add_argument("--out", type=_out_argument, metavar="FILE.eml",
                                  help="write the message into this file (default: standard output)")
    announce_command.add_argument("--send", action="store_true",
                                  help="send it too, through the SMTP server of the NOTICEBOARD_SMTP_* "
                                       "environment variables (README: 'Announcing new notices by e-mail')")
    cache_option(announce_command)

    schema_command = commands.add_parser("schema", help="write the JSON Schema files that let editors check "
                                                         "content while staff type")
    schema_command.add_argument("--out", type=_out_argument, default=Path("schemas"), metavar="DIR",
                                help="the folder to write them into (default: schemas)")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and not argv[0].startswith("-") and argv[0] not in COMMANDS:
        print(f"{program()}: error: unknown command '{argv[0]}'"
              f"{did_you_mean(argv[0], COMMANDS)}; the commands are {', '.join(COMMANDS)}", file=sys.stderr)
        return EXIT_USAGE
    if not argv or argv[0] not in COMMANDS + ("-h", "--help"):
        argv.insert(0, "build")
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        if args.command == "schema":
            from .tools.schemas import write_schemas
            return write_schemas(args.out)
        if not args.content.is_dir():
            raise UsageError(f"--content {args.content}: no such directory")
        if args.command == "build":
            return _build(args)
        if args.command == "check":
            return _check(args)
        if args.command == "announce":
            return _announce(args)
        if args.command == "serve":
            from .preview.server import serve
            return serve(args.content, args.host, args.port, today=args.today)
        from .tools.new import new_record
        return new_record(args.content, args.kind, args.name, vendor=args.vendor, title=args.title,
                          today=args.today or default_today())
    except UsageError as error:
        print(f"{program()}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"{program()}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as error:  # the machine, not the content: a folder that cannot be listed, a full disk
        where = f"{error.filename}: " if error.filename else ""
        print(f"{program()}: error: {one_line(where + (error.strerror or str(error)))}", file=sys.stderr)
        return EXIT_MACHINE


def _cache(args, out: Path | None = None) -> DiskCache | None:
    """The build cache, unless --no-cache; a cache inside the content or the output is refused."""
    if args.no_cache:
        return None
    try:
        return open_cache(args.content, out)
    except CacheRefused as error:
        raise UsageError(str(error)) from None


def _build(args) -> int:
    today = args.today or default_today()
    cache = _cache(args, args.out)
    try:
        result: BuildResult = build(args.content, args.out, today, args.base_url, cache=cache)
    except OutputRefused as error:
        print(f"{program()}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except OutputFailed as error:
        print(f"{program()}: error: {error}", file=sys.stderr)
        return EXIT_MACHINE
    except KeyboardInterrupt as interrupt:
        kept = "now holds the new site" if isinstance(interrupt, InterruptedAfterSwap) else "was left as it was"
        print(f"{program()}: interrupted; {args.out}/ {kept}", file=sys.stderr)
        return EXIT_INTERRUPTED
    print_report(result.report, notes=False)
    if result.report.notes:
        print(f"{program()}: {plural(len(result.report.notes), 'note')} about documents not listed; "
              f"`{program()} check` lists them", file=sys.stderr)
    if result.report.errors:
        print(f"Build failed: {result.summary}. {args.out} was left as it was.", file=sys.stderr)
        return EXIT_CONTENT
    print(f"Built {result.pages} pages into {args.out}/ ({result.summary}).")
    return EXIT_OK


def _check(args) -> int:
    today = args.today or default_today()
    result = check(args.content, today, cache=_cache(args))
    print_report(result.report)
    print(result.summary, file=sys.stderr)
    for line in result.translations:
        print(line, file=sys.stderr)
    failed = result.report.errors or (args.strict and result.report.warnings)
    return EXIT_CONTENT if failed else EXIT_OK


def _announce(args) -> int:
    from .tools.announce import (Period, RevisionUnreadable, SendFailed, SettingsError, SinceCommit, compose,
                           message_bytes, published_at, send, smtp_settings, write_message)

    today = args.today or default_today()
    checked_on = max(today, default_today())
    if args.since is not None and args.since > today:
        raise UsageError(f"--since {args.since} is after --today {today}; --since is the last day "
                         "already announced, --today the last day to announce")
    if args.out is not None and args.out.is_dir():
        raise UsageError(f"--out {args.out}: is a folder; name the file to write, such as announcement.eml")
    try:
        settings = smtp_settings(os.environ) if args.send else None
        selection = (Period(args.since, today) if args.since is not None else
                     SinceCommit(published_at(args.content, args.since_commit, checked_on), today))
        result = announce(args.content, selection, checked_on=checked_on, cache=_cache(args))
        if result.announcement is None:
            print_report(result.report)
            print(f"Announcement failed: {result.summary}. Nothing was written{' or sent' if args.send else ''}.",
                  file=sys.stderr)
            return EXIT_CONTENT
        if result.announcement.empty:
            nothing = (f"Nothing was posted after {args.since} up to {today}" if args.since is not None else
                       f"Nothing was published after commit {one_line(args.since_commit)}")
            print(f"{nothing}: no announcement written{' or sent' if args.send else ''}.", file=sys.stderr)
            return EXIT_OK
        message = compose(result.announcement, os.environ)
    except (SettingsError, RevisionUnreadable) as error:
        raise UsageError(str(error)) from None
    data = message_bytes(message)
    if args.out is None:
        _write_to_standard_output(data)
    else:
        write_message(args.out, data)
        print(f"Wrote {args.out}: {one_line(str(message['Subject']))}", file=sys.stderr)
    if settings is None:
        return EXIT_OK
    try:
        accepted = send(message, settings)
    except SendFailed as error:
        print(f"{program()}: error: {error}", file=sys.stderr)
        return EXIT_MACHINE
    print(f"Sent to {accepted} recipient{'' if accepted == 1 else 's'} through {settings.server}.", file=sys.stderr)
    return EXIT_OK


def _write_to_standard_output(data: bytes) -> None:
    """The message's bytes as they are (CRLF line ends); as text where standard output is not a file."""
    sys.stdout.flush()
    if hasattr(sys.stdout, "buffer"):
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(data.decode("utf-8"))
