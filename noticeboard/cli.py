"""Command line: parse arguments, run a command, hand what it found to the reporter, return the exit code."""
from __future__ import annotations

import argparse
import os
import shlex
import sys
from datetime import date, datetime, timezone
from functools import partial
from pathlib import Path

from . import program
from .diagnostics import one_line, plural
from .load.cache import CacheRefused, DiskCache, open_cache
from .load.reader import display_path
from .load.schema import DEFAULT_JURISDICTION, JURISDICTIONS
from .output.write import InterruptedAfterSwap, OutputFailed, OutputRefused
from .pipeline import BuildResult, announce, build, check
from .reporter import ConsoleReporter, ExitCode, Reporter
from .tools.init import DEFAULT_LANGUAGES, INSTALL_FORMS
from .urls import web_address_problem
from .values import ISO_DATE_PATTERN, did_you_mean

COMMANDS = ("init", "import", "build", "check", "serve", "new", "announce", "schema")


class UsageError(Exception):
    """Bad command-line usage (``ExitCode.USAGE``): the error names the ``command`` where argparse
    would, below its ``usage`` line."""

    def __init__(self, message: str, command: str | None = None, usage: str | None = None):
        super().__init__(message)
        self.command, self.usage = command, usage


class _Parser(argparse.ArgumentParser):
    """argparse, whose help goes to the reporter and whose errors are ``UsageError``s, not printed."""

    def __init__(self, *args, reporter: Reporter, **kwargs):
        super().__init__(*args, **kwargs)
        self.reporter = reporter

    def print_help(self, file=None) -> None:
        self.reporter.result(self.format_help().removesuffix("\n"))

    def error(self, message: str):
        command = self.prog.removeprefix(program()).strip()  # a subcommand's parser is "python build.py build"
        raise UsageError(message, command or None, self.format_usage().removesuffix("\n"))


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


def _parser(reporter: Reporter) -> argparse.ArgumentParser:
    parser = _Parser(
        prog=program(), reporter=reporter,
        description="Build, check and preview a district's student-data-privacy notice site.")
    commands = parser.add_subparsers(dest="command", metavar="{" + ",".join(COMMANDS) + "}",
                                     parser_class=partial(_Parser, reporter=reporter))

    def content_option(command):
        command.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                             help="the content directory (default: content)")

    def cache_option(command):
        command.add_argument("--no-cache", action="store_true",
                             help="neither read nor write the build cache (docs/operators/build-cache.md)")

    init_command = commands.add_parser(
        "init", help="make a new site for a district, complete and without a notice, in a new or empty folder")
    init_command.add_argument("folder", type=_out_argument, metavar="DIR",
                              help="the new site's folder: it must not exist yet, or be empty")
    init_command.add_argument("--district", required=True, metavar="NAME",
                              help="the district's name, as parents know it: Lincoln Public Schools")
    init_command.add_argument("--jurisdiction", default=DEFAULT_JURISDICTION, metavar="CODE",
                              help=f"the law the district follows, which site.yml names and its parent guide "
                                   f"explains: {', '.join(JURISDICTIONS)} (none: no law) (default: "
                                   f"{DEFAULT_JURISDICTION})")
    init_command.add_argument("--languages", default=DEFAULT_LANGUAGES, metavar="LANG,…",
                              help=f"the site's languages, the first being the default (default: {DEFAULT_LANGUAGES})")
    init_command.add_argument("--base-url", type=_base_url_argument, metavar="URL",
                              help="the address where the site will be published (default: an example address, "
                                   "which check warns of until it is replaced)")
    init_command.add_argument("--email", metavar="ADDRESS",
                              help="the e-mail address that parents' questions reach (default: none; check warns "
                                   "until site.yml has a contact)")
    init_command.add_argument("--install", metavar="SPEC",
                              help=f"how the site's workflow installs Notice Board, written into requirements.txt: "
                                   f"{INSTALL_FORMS} (default: this very version, as it was installed)")

    import_command = commands.add_parser(
        "import", help="turn a spreadsheet of contracts (.csv or .xlsx) into one notice per row in "
                       "content/contracts/, never overwriting a record")
    import_command.add_argument("file", type=_out_argument, metavar="FILE.csv|FILE.xlsx",
                                help="the district's list: CSV (UTF-8 or Windows-1252) or an Excel workbook's "
                                     "first sheet")
    import_command.add_argument("--map", type=_out_argument, metavar="MAP.yml",
                                help="a YAML file of field: heading, for columns whose headings are not recognised "
                                     "(vendor: Company Name); docs/staff/importing.md")
    content_option(import_command)
    import_command.add_argument("--dry-run", action="store_true",
                                help="write nothing; print the records that would be written")

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
                                       "environment variables (docs/operators/announcing.md)")
    cache_option(announce_command)

    schema_command = commands.add_parser("schema", help="write the JSON Schema files that let editors check "
                                                         "content while staff type")
    schema_command.add_argument("--out", type=_out_argument, default=Path("schemas"), metavar="DIR",
                                help="the folder to write them into (default: schemas)")
    return parser


def main(argv: list[str] | None = None, reporter: Reporter | None = None) -> ExitCode:
    """Run the command of ``argv``; what it has to say goes to ``reporter`` (by default the terminal's)."""
    reporter = ConsoleReporter() if reporter is None else reporter
    try:
        return _run(list(sys.argv[1:] if argv is None else argv), reporter)
    except UsageError as error:
        if error.usage:
            reporter.usage(error.usage)
        reporter.error(str(error), error.command)
        return ExitCode.USAGE
    except KeyboardInterrupt:
        reporter.interrupted()
        return ExitCode.INTERRUPTED
    except OSError as error:  # the machine, not the content: a folder that cannot be listed, a full disk
        where = f"{error.filename}: " if error.filename else ""
        reporter.error(one_line(where + (error.strerror or str(error))))
        return ExitCode.MACHINE


def _run(argv: list[str], reporter: Reporter) -> ExitCode:
    if argv and not argv[0].startswith("-") and argv[0] not in COMMANDS:
        raise UsageError(f"unknown command '{argv[0]}'{did_you_mean(argv[0], COMMANDS)}; "
                         f"the commands are {', '.join(COMMANDS)}")
    if not argv or argv[0] not in COMMANDS + ("-h", "--help"):
        argv.insert(0, "build")
    try:
        args = _parser(reporter).parse_args(argv)
    except SystemExit:  # after the help of -h; argparse's errors are UsageErrors
        return ExitCode.OK
    if args.command in ("schema", "init"):
        return (_schema if args.command == "schema" else _init)(args, reporter)
    if not args.content.is_dir():
        raise UsageError(f"--content {args.content}: no such directory; in a site's folder, the content is in "
                         f"content/. To start a new site, run: {program()} init DIR --district \"District name\"")
    command = {"build": _build, "check": _check, "announce": _announce, "serve": _serve, "new": _new,
               "import": _import_list}[args.command]
    return command(args, reporter)


def _cache(args, reporter: Reporter, out: Path | None = None) -> DiskCache | None:
    """The build cache, unless --no-cache; a cache inside the content or the output is refused."""
    if args.no_cache:
        return None
    try:
        return open_cache(args.content, out, reporter=reporter)
    except CacheRefused as error:
        raise UsageError(str(error)) from None


def _build(args, reporter: Reporter) -> ExitCode:
    today = args.today or default_today()
    cache = _cache(args, reporter, args.out)
    try:
        result: BuildResult = build(args.content, args.out, today, args.base_url, cache=cache, reporter=reporter)
    except OutputRefused as error:
        raise UsageError(str(error)) from None
    except OutputFailed as error:
        reporter.error(str(error))
        return ExitCode.MACHINE
    except KeyboardInterrupt as interrupt:
        kept = "now holds the new site" if isinstance(interrupt, InterruptedAfterSwap) else "was left as it was"
        reporter.interrupted(f"{args.out}/ {kept}")
        return ExitCode.INTERRUPTED
    reporter.diagnostics(result.report, notes=False)
    if result.report.notes:
        reporter.summary(f"{program()}: {plural(len(result.report.notes), 'note')} not listed; "
                         f"`{program()} check` lists them")
    if result.report.errors:
        reporter.summary(f"Build failed: {result.summary}. {args.out} was left as it was.")
        return ExitCode.CONTENT
    reporter.result(f"Built {result.pages} pages into {args.out}/ ({result.summary}).{_kept(result)}")
    return ExitCode.OK


def _kept(result: BuildResult) -> str:
    """What the build took from the last build's output as it was (``dependencies.py``), when anything."""
    if result.rendered == result.pages and result.search_indexed:
        return ""
    index = "made again" if result.search_indexed else "unchanged"
    return f" {result.rendered} rendered, {result.pages - result.rendered} unchanged since the last build; search index {index}."


def _check(args, reporter: Reporter) -> ExitCode:
    today = args.today or default_today()
    result = check(args.content, today, cache=_cache(args, reporter))
    reporter.diagnostics(result.report)
    reporter.summary(result.summary)
    for line in result.translations:
        reporter.summary(line)
    failed = result.report.errors or (args.strict and result.report.warnings)
    return ExitCode.CONTENT if failed else ExitCode.OK


def _announce(args, reporter: Reporter) -> ExitCode:
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
                     SinceCommit(published_at(args.content, args.since_commit), today))
        result = announce(args.content, selection, checked_on=checked_on, cache=_cache(args, reporter))
        if result.announcement is None:
            reporter.diagnostics(result.report)
            reporter.summary(f"Announcement failed: {result.summary}. "
                             f"Nothing was written{' or sent' if args.send else ''}.")
            return ExitCode.CONTENT
        if result.announcement.empty:
            nothing = (f"Nothing was posted after {args.since} up to {today}" if args.since is not None else
                       f"Nothing was published after commit {one_line(args.since_commit)}")
            reporter.summary(f"{nothing}: no announcement written{' or sent' if args.send else ''}.")
            return ExitCode.OK
        message = compose(result.announcement, os.environ)
    except (SettingsError, RevisionUnreadable) as error:
        raise UsageError(str(error)) from None
    data = message_bytes(message)
    if args.out is None:
        reporter.output(data)
    else:
        write_message(args.out, data)
        reporter.summary(f"Wrote {args.out}: {one_line(str(message['Subject']))}")
    if settings is None:
        return ExitCode.OK
    try:
        accepted = send(message, settings)
    except SendFailed as error:
        reporter.error(str(error))
        return ExitCode.MACHINE
    reporter.summary(f"Sent to {accepted} recipient{'' if accepted == 1 else 's'} through {settings.server}.")
    return ExitCode.OK


def _serve(args, reporter: Reporter) -> ExitCode:
    from .preview.server import serve

    return serve(args.content, args.host, args.port, today=args.today, reporter=reporter)


def _new(args, reporter: Reporter) -> ExitCode:
    from .tools.new import RecordRefused, new_record

    try:
        record = new_record(args.content, args.kind, args.name, vendor=args.vendor, title=args.title,
                            today=args.today or default_today())
    except RecordRefused as error:
        raise UsageError(str(error), "new") from None
    reporter.result(f"Created {display_path(record.path)} (a draft). Fill it in, remove 'draft: true', "
                    f"then run: {program()} check")
    if record.schemas is not None:  # what its first line names, for editors
        reporter.result(f"Editors check its fields while you type once {display_path(record.schemas)}/ holds "
                        f"the schemas: run {program()} schema --out {display_path(record.schemas)}")
    return ExitCode.OK


def _import_list(args, reporter: Reporter) -> ExitCode:
    from .tools.importer import ImportRefused, import_list

    try:
        result = import_list(args.file, args.content, args.map, dry_run=args.dry_run)
    except ImportRefused as error:
        raise UsageError(str(error), "import") from None
    for record in result.records:
        if result.dry_run:
            reporter.result(f"--- {display_path(record.path)} (row {record.row}) ---\n{record.text.rstrip()}")
        else:
            reporter.result(f"Wrote {display_path(record.path)} (row {record.row}"
                            f"{', incomplete' if record.incomplete else ''})")
    columns = ", ".join(f"{name} ← '{one_line(heading)}'" for name, heading in result.columns.items())
    reporter.summary(f"Columns: {columns}")
    if result.ignored:
        reporter.summary(f"Columns not imported: {', '.join(repr(one_line(h)) for h in result.ignored)}")
    for remark in result.dates:
        reporter.summary(f"Row {remark.row}: {remark.field} '{one_line(remark.value)}': {remark.problem}")
    if result.unmatched:
        reporter.summary(f"Data terms that match no key, label or alias of the vocabulary ({len(result.unmatched)}), "
                         "kept word for word in student_data_notes; add an alias to content/data-elements.yml "
                         "and import again:")
        for term in result.unmatched:
            rows = ", ".join(map(str, term.rows))
            hint = f"; closest: {', '.join(term.suggestions)}" if term.suggestions else ""
            reporter.summary(f"  '{one_line(term.term)}' (row{'s' if len(term.rows) > 1 else ''} {rows}){hint}")
    for left in result.left_out:
        reporter.summary(f"Row {left.row} not imported: {left.reason}")
    reporter.summary(f"{display_path(result.source)}: {plural(result.complete, 'complete notice')} and "
                     f"{plural(result.incomplete, 'incomplete notice')} (marked incomplete: true; fill them in) "
                     f"{'would be written' if result.dry_run else 'written'}; "
                     f"{plural(len(result.left_out), 'row')} not imported" +
                     ("; --dry-run: nothing was written." if result.dry_run else f". Next: {program()} check"))
    return ExitCode.OK if result.every_row_imported else ExitCode.CONTENT


def _schema(args, reporter: Reporter) -> ExitCode:
    from .tools.schemas import write_schemas

    if args.out.exists() and not args.out.is_dir():
        raise UsageError(f"--out {args.out}: is a file, not a folder")
    written = write_schemas(args.out)
    for path in written:
        reporter.result(f"Wrote {display_path(path)}")
    reporter.result(f"{len(written)} JSON Schema files (draft 2020-12) in {display_path(args.out)}/; "
                    "Notice Board's docs/staff/editors.md says how editors use them.")
    return ExitCode.OK


def _init(args, reporter: Reporter) -> ExitCode:
    from .tools.init import InitRefused, init_site

    languages = [lang.strip() for lang in args.languages.split(",")]
    try:
        site = init_site(args.folder, args.district, languages, args.jurisdiction, base_url=args.base_url,
                         email=args.email, install=args.install)
    except InitRefused as error:
        raise UsageError(str(error), "init") from None
    folder = display_path(site.folder)
    reporter.result(f"Made a new site for {one_line(args.district)} in {folder}/, {len(site.written)} files:")
    for path in site.written:
        reporter.result(f"  {path}")
    reporter.result(f"Notice Board's version for the workflow, in requirements.txt: {site.requirement.line}")
    if site.requirement.caution:
        reporter.note(site.requirement.caution)
    here = os.path.abspath(site.folder) == os.getcwd()
    installed = program() == "noticeboard"  # runs from any folder; build.py from the checkout, with --content
    steps = [] if here or not installed else [f"cd {shlex.quote(folder)}"]
    content = "" if here or installed else f" --content {shlex.quote(folder + '/content')}"
    steps += [f"{program()} check{content}", f"{program()} serve{content}"]
    reporter.result("Next: fill in content/site.yml (the contact, base_url), then\n" +
                    "\n".join(f"  {step}" for step in steps))
    reporter.result(f"{'' if here else folder + '/'}README.md has the rest of the steps, up to the published site.")
    return ExitCode.OK
