"""Bytes on disk → (metadata, body, line of each key).

Everything that can go wrong below the level of fields — size, encoding, byte-order
mark, line endings, front-matter fences, YAML syntax, aliases, duplicate keys — becomes
a diagnostic here and nowhere else.

python-frontmatter is not used for the split: it reports no line numbers and its
fence pattern swallows blank lines after the opening ``---``, which would shift every
line that the error messages name.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .. import codes
from ..characters import describe_character, forbidden_character
from ..diagnostics import Report, field_name

MAX_FILE_BYTES = 1_000_000
FENCE = "---"

Loc = tuple  # a path into the YAML document: ("documents", 0, "file")


class _Body:
    def __repr__(self) -> str:
        return "BODY"


BODY = _Body()  # the place of a record's text below the front matter: ``report.at(source, BODY, …)``


@dataclass
class Source:
    """One file read and parsed, before its fields are validated; it knows where each field is."""

    path: str  # as shown to staff: relative to the working directory
    data: Any
    body: str = ""
    body_line: int = 1
    lines: dict[Loc, int] = field(default_factory=dict)
    markdown_html: dict[str, str] = field(default_factory=dict, compare=False, repr=False)  # loading's conversions

    def line(self, loc: Loc = ()) -> int:
        """The line of ``loc``, or of its nearest parent that has one."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)

    def place(self, loc: Loc | _Body, missing: bool = False, entry: int | None = None) -> tuple[int, str]:
        """The line and the field name of a diagnostic about ``loc`` (``BODY``: the text).

        A ``missing`` field has no line of its own: it is reported on the line of what should
        hold it (line 1, the opening ``---``, for a field of the record itself). An ``entry`` of
        the list at ``loc`` is reported on the entry's line, under the name of the list.
        """
        if loc is BODY:
            return self.body_line, "body"
        loc = tuple(loc)
        if missing:
            return self.line(loc[:-1]), field_name(loc)
        return self.line(loc if entry is None else loc + (entry,)), field_name(loc)


class _AliasRefused(yaml.composer.ComposerError):
    pass


class _ContentLoader(yaml.SafeLoader):
    """YAML for hand-written records: no aliases, dates and floats stay text.

    Dates stay text so that the schema can say what was wrong with ``2025-02-30``
    instead of PyYAML raising; floats stay text so that policy ``6141.30`` keeps its
    zero. Aliases are refused because no record needs them and they allow
    exponential "billion laughs" documents.
    """

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _AliasRefused(
                None, None,
                f"YAML aliases (*{event.anchor}) are not allowed; write the value out",
                event.start_mark,
            )
        return super().compose_node(parent, index)


_TEXT_TAG = "tag:yaml.org,2002:str"
_INT_TAG = "tag:yaml.org,2002:int"
_BOOL_TAG = "tag:yaml.org,2002:bool"
# YAML 1.1 reads 0x1F, 010, 6:30, 1_000, yes, no, on and off as numbers and booleans:
# only plain decimal numbers and true/false are, everything else stays the text staff typed.
_RESOLVED_AS_TYPED = {_INT_TAG, _BOOL_TAG, "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:float",
                      "tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"}
_ContentLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _RESOLVED_AS_TYPED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_ContentLoader.add_implicit_resolver(_INT_TAG, re.compile(r"^(?:0|-?[1-9][0-9]*)$"), list("-0123456789"))
_ContentLoader.add_implicit_resolver(_BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                     list("tTfF"))
_ALLOWED_TAGS = {_TEXT_TAG, _INT_TAG, _BOOL_TAG, "tag:yaml.org,2002:null",
                 "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}


class _FastLoader(getattr(yaml, "CSafeLoader", _ContentLoader)):
    """``_ContentLoader`` with libyaml's reader and composer, four times as fast on well-formed text.

    It takes the same resolvers (ours, in Python). ``_compose`` falls back on ``_ContentLoader``
    for a text with an error or an alias, so that what staff are told of a broken file (its
    line, its message) stays the same.
    """
    yaml_implicit_resolvers = _ContentLoader.yaml_implicit_resolvers


def _compose(text: str) -> tuple[yaml.BaseLoader, yaml.Node | None]:
    """The loader and the node of ``text``: libyaml's when it reads the text without an error or an alias."""
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
        if "*" not in text or not _shares_a_node(node):  # an alias needs a '*', and composes a node twice
            return loader, node
    except yaml.YAMLError:
        pass
    loader.dispose()
    loader = _ContentLoader(text)
    try:
        return loader, loader.get_single_node()
    except BaseException:
        loader.dispose()
        raise


def _shares_a_node(node: yaml.Node | None) -> bool:
    """Whether a node is reached twice, which is what an alias composes to. It stops at the first,
    so that a "billion laughs" document costs no more than its text."""
    seen, stack = set(), [node] if node is not None else []
    while stack:
        current = stack.pop()
        if id(current) in seen:
            return True
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            stack += [part for pair in current.value for part in pair]
        elif isinstance(current, yaml.SequenceNode):
            stack += current.value
    return False


def display_path(path: Path) -> str:
    """``path`` relative to the working directory when inside it, never resolving links.

    A record that is a link is named by the link, the file staff see in ``content/``.
    """
    absolute, here = os.path.abspath(path), os.getcwd()
    if absolute.startswith(here.rstrip(os.sep) + os.sep):
        return os.path.relpath(absolute, here)
    return str(path)


def resolved_inside(path: Path, *folders: Path) -> tuple[Path, bool]:
    """Where ``path`` leads, links followed, and whether that is inside each of ``folders`` (resolved
    too): a file of ``contracts/files/`` must stay there and in ``content/``, whichever part of its
    path is a link. Raises OSError or RuntimeError when it leads nowhere (a missing target, a loop)."""
    target = path.resolve(strict=True)
    return target, all(target.is_relative_to(folder.resolve(strict=True)) for folder in folders)


def _read_text(path: Path, shown: str, report: Report) -> str | None:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            report.in_file(shown, codes.FILE_TOO_LARGE,
                           f"file is {size / 1_000_000:.1f} MB; a record must be under "
                           f"{MAX_FILE_BYTES // 1_000_000} MB (put long documents in a PDF under files/)")
            return None
        raw = path.read_bytes()
    except OSError as exc:
        report.in_file(shown, codes.FILE_UNREADABLE, f"cannot read the file: {exc.strerror}")
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        report.in_file(shown, codes.NOT_UTF8, f"byte 0x{raw[exc.start]:02x} is not UTF-8; save the file as UTF-8",
                       line=line, field="encoding")
        return None
    if "\x00" in text:
        report.in_file(shown, codes.BINARY_FILE, "the file contains a NUL byte; is it a binary file?",
                       line=text[: text.index("\x00")].count("\n") + 1, field="encoding")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text if _characters_allowed(text, shown, report) else None


def _characters_allowed(text: str, shown: str, report: Report) -> bool:
    """Report each line that holds a control character; the whole file is refused."""
    if not forbidden_character(text):
        return True
    lines = [(number, character) for number, line in enumerate(text.split("\n"), 1)
             if (character := forbidden_character(line))]
    for number, character in lines:
        report.in_file(shown, codes.CONTROL_CHARACTER,
                       f"{describe_character(character)} is not allowed in a record; delete it or retype the text",
                       line=number, field="character")
    return not lines


_Problem = tuple  # (loc, line, code, message, fatal)


def _line_map(node: yaml.Node, first_line: int) -> tuple[dict[Loc, int], list[_Problem]]:
    """Line of every key and list item, and the keys that are wrong as keys (fatal or not)."""
    lines: dict[Loc, int] = {(): first_line}
    problems: list[_Problem] = []

    def walk(current: yaml.Node, loc: Loc) -> None:
        if current.tag not in _ALLOWED_TAGS:
            tag = current.tag.replace("tag:yaml.org,2002:", "!!")
            problems.append((loc, current.start_mark.line + first_line, codes.YAML_TAG,
                             f"the YAML tag {tag} is not allowed; write plain text, lists and 'name: value' fields",
                             True))
            return
        if isinstance(current, yaml.MappingNode):
            seen = set()
            for key_node, value_node in current.value:
                line = key_node.start_mark.line + first_line
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _TEXT_TAG:
                    shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
                    problems.append((loc + (str(shown),), line, codes.KEY_NOT_TEXT,
                                     "a field name must be text; quote it or rename it", True))
                    continue
                key = key_node.value
                if key in seen:
                    problems.append((loc + (key,), line, codes.DUPLICATE_KEY,
                                     "appears twice; keep one (YAML would silently use the last)", False))
                seen.add(key)
                lines.setdefault(loc + (key,), line)
                walk(value_node, loc + (key,))
        elif isinstance(current, yaml.SequenceNode):
            for index, item in enumerate(current.value):
                lines[loc + (index,)] = item.start_mark.line + first_line
                walk(item, loc + (index,))

    walk(node, ())
    return lines, problems


# What YAML takes for a comment after an unquoted value that it cut short: one space (or tab), then '#'
# and, at once, more text ("Amend #2", "#1 Tutors"). Two spaces or more before the '#', or a space after
# it ("value   # a note", "value # a note"), is a comment written on purpose, as `new`'s templates write them.
_CUT = re.compile(r"[ \t]#\S[^\n]*")
_MAY_BE_CUT = re.compile(r"[ \t]#\S")  # whether a text holds such a comment at all: most hold none
# Values that a comment after them cannot have cut short, because they are whole as they are: a number,
# true or false, a date or a month (``posted: 2025-01-24 #late`` is a date and a note, not a cut name).
_WHOLE_VALUE = re.compile(r"-?[0-9]+(?:\.[0-9]+)?|true|false|True|False|TRUE|FALSE|[0-9]{4}-[0-9]{2}(?:-[0-9]{2})?")
_PLAIN_STYLES = (None, "")  # PyYAML's and libyaml's style of an unquoted scalar


def _quoted(text: str) -> str:
    """``text`` as a double-quoted YAML scalar that reads back as ``text``."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _values_cut_by_comments(node: yaml.Node, text: str, first_line: int) -> list[tuple[Loc, int, str]]:
    """Each unquoted value (of a field or a list) that YAML cut at ' #', with its line and what to tell staff."""
    if not _MAY_BE_CUT.search(text):
        return []
    text_lines = text.split("\n")
    found: list[tuple[Loc, int, str]] = []

    def check(value: yaml.Node, loc: Loc, key: str | None) -> None:
        if isinstance(value, yaml.MappingNode):
            for key_node, item in value.value:
                if isinstance(key_node, yaml.ScalarNode):
                    check(item, loc + (key_node.value,), key_node.value)
            return
        if isinstance(value, yaml.SequenceNode):
            for index, item in enumerate(value.value):
                check(item, loc + (index,), None)
            return
        if not isinstance(value, yaml.ScalarNode) or value.style not in _PLAIN_STYLES:
            return
        if value.value and (value.tag != _TEXT_TAG or _WHOLE_VALUE.fullmatch(value.value)):
            return
        mark = value.end_mark
        if mark.line >= len(text_lines):
            return
        cut = _CUT.match(text_lines[mark.line], mark.column)
        if cut is None:
            return
        comment = cut.group().rstrip()
        whole = (value.value + comment) if value.value else comment[1:]
        read = f"read as '{value.value}'" if value.value else "read as empty"
        fix = f"{key}: {_quoted(whole)}" if key is not None else f"- {_quoted(whole)}"
        found.append((loc, mark.line + first_line,
                      f"{read}: YAML took '{comment}' for a comment; put the value in quotes: {fix}"))

    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):  # a lone text is no record: another error says so
        check(node, (), None)
    return found


def parse_yaml(text: str, shown: str, first_line: int, report: Report,
               what: str = "front matter") -> tuple[Any, dict[Loc, int]] | None:
    """Parse YAML whose first line is line ``first_line`` of the file."""
    loader = None
    try:
        loader, node = _compose(text)
        if node is None:
            return None, {(): first_line}
        lines, problems = _line_map(node, first_line)
        for loc, line, code, message, _ in problems:
            report.in_file(shown, code, message, line=line, field=field_name(loc))
        if any(fatal for *_, fatal in problems):
            return None
        data = loader.construct_document(node)
        for loc, line, message in _values_cut_by_comments(node, text, first_line):
            report.in_file(shown, codes.VALUE_CUT_BY_COMMENT, message, line=line, field=field_name(loc))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else first_line
        problem = (exc.problem or exc.context or "not valid YAML") + _flow_cut_hint(exc, text)
        code = codes.YAML_ALIAS if isinstance(exc, _AliasRefused) else codes.YAML_SYNTAX
        report.in_file(shown, code, f"YAML syntax error: {problem}", line=line, field=what)
        return None
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        report.in_file(shown, codes.YAML_SYNTAX, f"YAML syntax error: {' '.join(str(exc).split())}",
                       line=first_line, field=what)
        return None
    finally:
        if loader is not None:
            loader.dispose()
    escapes = _escaped_characters(data, ()) if "\\" in text else []  # an escape needs a backslash
    for loc, character in escapes:
        report.in_file(shown, codes.ESCAPED_CONTROL_CHARACTER,
                       f"{describe_character(character)}, written as a YAML escape, is not allowed in text; remove it",
                       line=lines.get(loc, first_line) if loc else first_line, field=field_name(loc))
    return None if escapes else (data, lines)


def _flow_cut_hint(exc: yaml.MarkedYAMLError, text: str) -> str:
    """A list or mapping written on one line, ``[A #1, B]``, that YAML cut at ' #' and so found unclosed."""
    if not (exc.context or "").startswith("while parsing a flow") or exc.context_mark is None:
        return ""
    last = exc.problem_mark.line if exc.problem_mark else exc.context_mark.line
    lines = text.split("\n")[exc.context_mark.line:last + 1]
    cut = next((found for line in lines if (found := _CUT.search(line))), None)
    if cut is None:
        return ""
    return (f" (YAML took '{cut.group().rstrip()}' for a comment, which ends the line: put an item "
            "that holds ' #' in quotes, e.g. [\"A #1\", B])")


def _escaped_characters(value: Any, loc: Loc) -> list[tuple[Loc, str]]:
    """Forbidden characters that a double-quoted YAML escape (``"\\x1b"``, ``"\\uD800"``) let in."""
    if isinstance(value, str):
        character = forbidden_character(value)
        return [(loc, character)] if character else []
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _escaped_characters(key, loc) + _escaped_characters(item, loc + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _escaped_characters(item, loc + (index,))
    return found


def read_record(path: Path, report: Report) -> Source | None:
    """A Markdown file with YAML front matter between two ``---`` lines."""
    shown = display_path(path)
    text = _read_text(path, shown, report)
    if text is None:
        return None
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        report.in_file(shown, codes.NO_FRONT_MATTER,
                       "the file must start with a line '---', then the fields, then another '---'",
                       field="front matter")
        return None
    closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() in (FENCE, "...")), None)
    if closing is None:
        report.in_file(shown, codes.UNCLOSED_FRONT_MATTER, "the closing '---' line after the fields is missing",
                       field="front matter")
        return None
    parsed = parse_yaml("\n".join(lines[1:closing]), shown, 2, report)
    if parsed is None:
        return None
    data, line_map = parsed
    line_map[()] = 1
    if data is None:
        data = {}
    if not isinstance(data, dict):
        report.in_file(shown, codes.WRONG_STRUCTURE, "expected fields written as 'name: value' lines",
                       line=2, field="front matter")
        return None
    body = "\n".join(lines[closing + 1:]).strip("\n")
    return Source(shown, data, body, closing + 2, line_map)


def read_yaml_file(path: Path, report: Report) -> Source | None:
    """A plain YAML settings file such as ``site.yml``."""
    shown = display_path(path)
    text = _read_text(path, shown, report)
    if text is None:
        return None
    parsed = parse_yaml(text, shown, 1, report, what="yaml")
    if parsed is None:
        return None
    data, line_map = parsed
    return Source(shown, data, "", 1, line_map)
