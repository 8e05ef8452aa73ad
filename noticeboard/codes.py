"""The permanent code of every kind of diagnostic, in one table.

Every line that ``check``, ``build`` and the preview print ends with its code in brackets,
``… did you mean 'grade_level'? [NB104]``, so that staff, CI annotations and the documentation
name a problem the same way however its wording changes. A code belongs to one kind of
problem and carries its level (error or warning), a short name, what it means and what
fixes it; the table of docs/staff/codes.md is this table (``python -m noticeboard.codes``
prints it, and a test checks that they agree).

The codes are numbered by family:

- ``NB0xx`` the file itself: size, encoding, characters, front matter, YAML, file names, links;
- ``NB1xx`` the fields of one record or settings file: missing, unknown, wrong values;
- ``NB2xx`` rules across records: what ``amends``, ``related`` and ``series`` name, vendor spellings;
- ``NB3xx`` what the law requires of a notice and its documents: the compliance warnings of ``check``
  (a document's accessibility is a note, not a warning, for a record posted before the ADA Title II date);
- ``NB4xx`` translations and the languages of the site;
- ``NB5xx`` the files pages are made from: the site's own ``templates/`` and ``static/``, and the package's.

A code, once assigned, never changes its meaning or its name, and is never given to
another kind of problem: a new kind gets the next free number of its family, and a kind
that is no longer reported keeps its number, unused.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"
LEVELS = (ERROR, WARNING)
NOTE = "note"  # not a code's level: a warning of a code reported as a note (Report.at(..., note=True))

FAMILIES = {
    "0": "the file itself: reading, encoding, YAML, file names and links",
    "1": "the fields of one record or settings file",
    "2": "rules across records",
    "3": "what the law requires of a notice and its documents (the compliance warnings of `check`)",
    "4": "translations and the languages of the site",
    "5": "the site's own files: its templates and static files, and the package's",
}


@dataclass(frozen=True)
class Code:
    code: str     # NB104: printed at the end of the line, permanent
    name: str     # unknown-data-element: permanent too
    level: str    # ERROR or WARNING
    meaning: str  # what the problem is, in one sentence
    fix: str      # what staff do about it

    def __repr__(self) -> str:
        return f"<{self.code} {self.name}>"


CODES: list[Code] = []


def _code(code: str, name: str, level: str, meaning: str, fix: str) -> Code:
    entry = Code(code, name, level, meaning, fix)
    if not re.fullmatch(r"NB[0-9]{3}", code) or not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name):
        raise ValueError(f"{entry!r}: a code is NB and three digits, a name is lowercase words and hyphens")
    if level not in LEVELS:
        raise ValueError(f"{entry!r}: level {level!r}")
    for other in CODES:
        if other.code == code or other.name == name:
            raise ValueError(f"{entry!r} and {other!r} share a code or a name")
    CODES.append(entry)
    return entry


# --- NB0xx: the file itself -----------------------------------------------------------------------

FILE_TOO_LARGE = _code(
    "NB001", "file-too-large", ERROR,
    "A record or settings file is 1 MB or more.",
    "Shorten it; put a long text in a document under files/ and link it.")
FILE_UNREADABLE = _code(
    "NB002", "file-unreadable", ERROR,
    "The file could not be read (permissions, a disk error).",
    "Check that the file can be opened, and its permissions.")
NOT_UTF8 = _code(
    "NB003", "not-utf8", ERROR,
    "The file is not UTF-8 text; the line named holds the first byte that is not.",
    "Save the file as UTF-8 (any editor's \"Save with encoding\").")
BINARY_FILE = _code(
    "NB004", "binary-file", ERROR,
    "The file contains a NUL byte: it is not a text file.",
    "Replace it with the Markdown or YAML file that belongs there.")
CONTROL_CHARACTER = _code(
    "NB005", "control-character", ERROR,
    "A line holds an invisible control character (a vertical tab or escape pasted from a word processor).",
    "Delete the character, or retype the text of that line.")
NO_FRONT_MATTER = _code(
    "NB006", "no-front-matter", ERROR,
    "The file does not start with a line '---'.",
    "Start the file with '---', then the fields, then another '---', then the text.")
UNCLOSED_FRONT_MATTER = _code(
    "NB007", "unclosed-front-matter", ERROR,
    "The '---' line that ends the fields is missing.",
    "Add a line '---' after the last field.")
YAML_SYNTAX = _code(
    "NB008", "yaml-syntax", ERROR,
    "The fields are not valid YAML, for example a second ': ' in an unquoted value.",
    "Fix the line named; put a value that contains ': ' or '#' in double quotes.")
YAML_ALIAS = _code(
    "NB009", "yaml-alias", ERROR,
    "A YAML alias (`*name`) repeats a value; aliases are refused.",
    "Write the value out in full where the alias is.")
YAML_TAG = _code(
    "NB010", "yaml-tag", ERROR,
    "A YAML tag (`!!set`, `!!binary`, `!!python/…`) is refused.",
    "Remove the tag; write plain text, lists and 'name: value' fields.")
KEY_NOT_TEXT = _code(
    "NB011", "key-not-text", ERROR,
    "A field name is a number, a list or null rather than text.",
    "Rename the field, or put its name in quotes.")
DUPLICATE_KEY = _code(
    "NB012", "duplicate-key", ERROR,
    "A field appears twice in the same place; YAML would silently keep the last.",
    "Keep one of the two lines.")
ESCAPED_CONTROL_CHARACTER = _code(
    "NB013", "escaped-control-character", ERROR,
    "A double-quoted value writes a control character as an escape (`\"\\x1b\"`, `\"\\uD800\"`).",
    "Remove the escape from the value.")
WRONG_STRUCTURE = _code(
    "NB014", "wrong-structure", ERROR,
    "The file as a whole is not the kind of YAML it must be: fields 'name: value' in a record, "
    "a mapping of keys in data-elements.yml, a list in series.yml.",
    "Rewrite the file in the shape that docs/staff/content-format.md shows for it.")
MISSING_FILE = _code(
    "NB015", "missing-file", ERROR,
    "A settings file that the site needs (site.yml) does not exist.",
    "Create it; docs/staff/content-format.md gives its format.")
NOT_A_FILE = _code(
    "NB016", "not-a-file", ERROR,
    "A settings file is a folder or something else that is not a file.",
    "Replace it with the file that docs/staff/content-format.md describes.")
BAD_LINK = _code(
    "NB017", "bad-link", ERROR,
    "The file is a symbolic link out of content/, or one that leads nowhere.",
    "Replace the link with the file itself.")
IGNORED_FILE = _code(
    "NB018", "ignored-file", WARNING,
    "A file in a records folder is not a .md file, so it is not published.",
    "Move it away; documents go under files/.")
HIDDEN_FILE = _code(
    "NB019", "hidden-file", WARNING,
    "A .md file's name starts with '.', so it is hidden and not published.",
    "Remove the leading dot to publish it, or delete the file.")
FILE_NAME_NOT_SLUG = _code(
    "NB020", "file-name-not-slug", ERROR,
    "A record's file name is not a slug: its name is its page address.",
    "Rename the file with lowercase letters, digits and single hyphens, then .md.")
RESERVED_FILE_NAME = _code(
    "NB021", "reserved-file-name", ERROR,
    "A record's file name is taken by a folder or a page that the site makes itself.",
    "Rename the file.")
VALUE_CUT_BY_COMMENT = _code(
    "NB022", "value-cut-by-comment", WARNING,
    "An unquoted value holds ' #', where YAML starts a comment, so the rest of the line is dropped "
    "('title: Imagine Learning Amend #2' is read as 'Imagine Learning Amend').",
    "Put the value in quotes: title: \"Imagine Learning Amend #2\".")

# --- NB1xx: the fields of one record or settings file ---------------------------------------------

UNKNOWN_FIELD = _code(
    "NB101", "unknown-field", ERROR,
    "A field that the format does not have, usually a typo.",
    "Correct its name (the message suggests the closest field) or remove it.")
MISSING_FIELD = _code(
    "NB102", "missing-field", ERROR,
    "A required field is missing; it is reported on the line of what should hold it (line 1 for a record's own "
    "fields).",
    "Add the field; a notice that does not know it yet may be marked 'incomplete: true'.")
MISSING_TEXT = _code(
    "NB103", "missing-text", ERROR,
    "The text below the closing '---' (a notice's description, a policy's or a page's text) is empty.",
    "Write the text below the closing '---'; a notice that does not have it yet may be marked 'incomplete: true'.")
UNKNOWN_DATA_ELEMENT = _code(
    "NB104", "unknown-data-element", ERROR,
    "A student_data entry is not a key of data-elements.yml.",
    "Correct the key (the message suggests the closest one) or add the element to data-elements.yml.")
INVALID_DATE = _code(
    "NB105", "invalid-date", ERROR,
    "A date is not written YYYY-MM-DD, is not a real day, or has an implausible year.",
    "Write the date as YYYY-MM-DD, e.g. 2025-01-21.")
MONTH_WITHOUT_DAY = _code(
    "NB106", "month-without-day", ERROR,
    "A complete notice gives only the month it was signed (2022-04).",
    "Write the day it was signed, or mark the notice 'incomplete: true' until it is known.")
DATE_IN_FUTURE = _code(
    "NB107", "date-in-future", ERROR,
    "contract_date is after the build date; a notice is posted after signing.",
    "Correct the date, or keep the record a draft until it is signed.")
DATES_OUT_OF_ORDER = _code(
    "NB108", "dates-out-of-order", ERROR,
    "A date comes before the date it follows: posted or expires before contract_date, revised before adopted.",
    "Correct whichever of the two dates is wrong.")
VALUE_NOT_ALLOWED = _code(
    "NB109", "value-not-allowed", ERROR,
    "A field that takes one of a few values (kind) has another.",
    "Write one of the values the message lists.")
WRONG_TYPE = _code(
    "NB110", "wrong-type", ERROR,
    "A value is the wrong kind of value: text where a list belongs, 'yes' for a flag, words for a number.",
    "Write the kind of value the message expects: [a, b] for a list, true or false for a flag.")
EMPTY_VALUE = _code(
    "NB111", "empty-value", ERROR,
    "A value that must say something is empty.",
    "Write the value, or remove the field when it is optional.")
BAD_NAME = _code(
    "NB112", "bad-name", ERROR,
    "A name or title is longer than 200 characters or more than one line; it heads pages and makes addresses.",
    "Shorten it to one line; put longer text in the description.")
NOT_A_SLUG = _code(
    "NB113", "not-a-slug", ERROR,
    "A value that names a record (amends) is not a slug.",
    "Write the record's file name without .md: lowercase letters, digits and single hyphens.")
BAD_POLICY_NUMBER = _code(
    "NB114", "bad-policy-number", ERROR,
    "A policy number is not four digits, optionally followed by .digits parts.",
    "Write it in quotes as the board numbers it: \"5125\", \"6141.321\".")
DOCUMENT_PATH = _code(
    "NB115", "document-path", ERROR,
    "A document's file is an absolute path or leads out of files/ with '..'.",
    "Write the path of the file relative to the files/ folder beside the records.")
DOCUMENT_TYPE = _code(
    "NB116", "document-type", ERROR,
    "A document's file is not a type the site publishes (PDF or an office document).",
    "Export the document as PDF (or .docx, .xlsx, .pptx, .odt, .ods, .odp) and link that.")
DOCUMENT_TARGET = _code(
    "NB117", "document-target", ERROR,
    "A document gives both 'file' and 'url', or neither.",
    "Give exactly one of the two.")
BAD_WEB_ADDRESS = _code(
    "NB118", "bad-web-address", ERROR,
    "A web address (a document's url, sdpc_agreement, subprocessors, base_url) is not a plain https:// or "
    "http:// address.",
    "Copy the address from the browser's address bar; it has no spaces or quotes.")
DOCUMENT_NOT_FOUND = _code(
    "NB119", "document-not-found", ERROR,
    "A document's file does not exist under files/, is not a file, cannot be read, or is a link out of files/.",
    "Copy the file into files/ under the name that the record gives, or correct the name.")
DOCUMENT_NOT_ITS_TYPE = _code(
    "NB120", "document-not-its-type", ERROR,
    "A document's file does not start as the type its name says (a web page renamed .pdf).",
    "Save or export the document again in the type that its name ends with.")
OUT_OF_RANGE = _code(
    "NB121", "out-of-range", ERROR,
    "A number is outside the range the field allows.",
    "Write a number in the range the message gives.")
BAD_LANGUAGE_CODE = _code(
    "NB122", "bad-language-code", ERROR,
    "A language is not written as a lowercase code of two or three letters.",
    "Write the code, e.g. en, es, pt.")
LISTED_TWICE = _code(
    "NB123", "listed-twice", ERROR,
    "An entry that must be listed once is listed twice (a language, a policy series).",
    "Remove one of the two.")
DRAFT_AND_INCOMPLETE = _code(
    "NB124", "draft-and-incomplete", ERROR,
    "A record is marked both draft (never published) and incomplete (published with what is known).",
    "Remove one of the two marks.")
AMENDS_ON_A_CONTRACT = _code(
    "NB125", "amends-on-a-contract", ERROR,
    "A record of kind contract says which record it amends.",
    "Add 'kind: amendment' or 'kind: renewal', or remove 'amends'.")
AMENDS_MISSING = _code(
    "NB126", "amends-missing", ERROR,
    "An amendment or renewal does not say which record it changes; reported on its 'kind' line.",
    "Add 'amends:' with the slug of the contract that it changes.")
NUMBER_NOT_FILE_NAME = _code(
    "NB127", "number-not-file-name", ERROR,
    "A policy's number differs from its file name.",
    "Name the file after the number (5125.md), or correct the number.")
MARKDOWN_TOO_DEEP = _code(
    "NB128", "markdown-too-deep", ERROR,
    "Markdown lists or quotes are nested deeper than a page can show.",
    "Flatten the lists or quotes.")
RESERVED_DATA_ELEMENT_KEY = _code(
    "NB129", "reserved-data-element-key", ERROR,
    "A data-element key is one that the site's page layout uses itself.",
    "Choose another key.")
BAD_DATA_ELEMENT_KEY = _code(
    "NB130", "bad-data-element-key", ERROR,
    "A data-element key is not lowercase letters, digits and underscores (at most 64).",
    "Rename the key, e.g. date_of_birth, and the notices that use it.")
INVALID_VALUE = _code(
    "NB131", "invalid-value", ERROR,
    "A value breaks a rule of its field that no more specific code covers.",
    "Correct the value as the message says.")
DOCUMENT_NOT_READABLE = _code(
    "NB132", "document-not-readable", ERROR,
    "A document's file starts as a PDF but cannot be read as one: cut short, damaged, or locked with a password "
    "to open it.",
    "Copy, export or scan the document again (without a password to open it) and replace the file.")
TEMPLATE_TEXT = _code(
    "NB133", "template-text", ERROR,
    "A published record still holds the placeholder text that `new` wrote (its description).",
    "Replace it with what the contract is for, in one to three sentences a parent understands.")
STUDENT_DATA_UNANSWERED = _code(
    "NB134", "student-data-unanswered", ERROR,
    "A published notice leaves 'student_data:' empty, as `new` writes it: every notice says which student data "
    "the company may access.",
    "List the keys of content/data-elements.yml, or write [] only if the company receives no student "
    "information; a notice that does not know yet may be marked 'incomplete: true'.")
EXAMPLE_ADDRESS = _code(
    "NB135", "example-address", WARNING,
    "site.yml's base_url, contact e-mail or subscribe address is at a domain reserved for examples (example.org, "
    "example.com, example.net): the feed, the sitemap, parents' questions or their sign-up would go nowhere.",
    "Write the published site's address, the e-mail address that parents write to and where they sign up.")
NO_CONTACT = _code(
    "NB136", "no-contact", WARNING,
    "site.yml gives no contact (e-mail, phone or address): parents would have no one to ask, and pages have no "
    "'Ask about this notice' link.",
    "Add contact: with the email (and phone or address) of the office that answers questions on student data.")

DOCUMENT_NOT_CHECKABLE = _code(
    "NB137", "document-not-checkable", WARNING,
    "A PDF could not be checked within Notice Board's limits on the time, memory and work that reading one "
    "file may take (content compressed many times over, forms nested in a maze): nothing is known of its "
    "accessibility, and a file made this way may be built to stall the tools that open it.",
    "Open the file and export or print it again as a PDF (an ordinary export is far inside the limits), or ask "
    "the vendor for another copy; then run check again.")
LOGO_NOT_FOUND = _code(
    "NB138", "logo-not-found", ERROR,
    "site.yml's logo names no file in the site's static/ folder (beside content/), or a link that leads out "
    "of it.",
    "Copy the image into static/ under the name that logo gives (a path inside static/, such as logo.svg), or "
    "correct the name.")
ACCENT_CONTRAST = _code(
    "NB139", "accent-contrast", ERROR,
    "site.yml's accent_colour has less than 4.5:1 contrast (WCAG 2.1 AA) against a background that links and "
    "buttons of that colour are drawn on: the page's white, or the tint of the footer and boxes.",
    "Choose a darker colour; the message gives its contrast, and any colour with 4.5:1 or more against both "
    "backgrounds is accepted.")
LOGO_ALT_WITHOUT_LOGO = _code(
    "NB140", "logo-alt-without-logo", WARNING,
    "site.yml gives logo_alt but no logo: no page shows the text.",
    "Add logo: with the image's path in static/, or remove logo_alt.")
UNKNOWN_JURISDICTION = _code(
    "NB141", "unknown-jurisdiction", ERROR,
    "site.yml's jurisdiction is not one that Notice Board ships a profile for; the message lists the known ones.",
    "Write one of the known codes (CT, IL, NY, or none for no law); docs/staff/jurisdictions.md says what each "
    "checks.")
GRADES_UNREADABLE = _code(
    "NB142", "grades-unreadable", WARNING,
    "A notice's grades (or removes_grades) cannot be read as a set of grades (PK, K, 1 to 12): its page shows the "
    "text as written, and no grade's page lists the notice.",
    "Write the grades as K-5, 9-12, PK-12, 'K, 3, 5' or 'Grades 6-8'; ages, 'TK' or 'all grades' cannot be read.")
REMOVES_ON_A_CONTRACT = _code(
    "NB143", "removes-on-a-contract", ERROR,
    "A record of kind contract says which schools or grades it removes: only an amendment or renewal removes them "
    "from the contract it changes.",
    "Add 'kind: amendment' or 'kind: renewal' with 'amends:', or remove 'removes_schools' and 'removes_grades'.")

# --- NB2xx: rules across records ------------------------------------------------------------------

AMENDS_UNKNOWN = _code(
    "NB201", "amends-unknown", ERROR,
    "'amends' names no contract record in contracts/.",
    "Write the slug of an existing record (the message suggests the closest one).")
AMENDS_ITSELF = _code(
    "NB202", "amends-itself", ERROR,
    "A record names itself in 'amends'.",
    "Write the slug of the contract that this record changes.")
AMENDS_LOOP = _code(
    "NB203", "amends-loop", ERROR,
    "Records amend each other in a loop, so that none is the original contract.",
    "Make the first record of the chain 'kind: contract', without 'amends'.")
AMENDS_DRAFT = _code(
    "NB204", "amends-draft", WARNING,
    "A published notice amends a draft, so its page cannot link the record that it changes.",
    "Publish the original (remove its 'draft: true'), or correct 'amends'.")
RELATED_UNKNOWN = _code(
    "NB205", "related-unknown", ERROR,
    "'related' names a policy that does not exist in policies/.",
    "Correct the number (the message suggests the closest one) or add that policy.")
RELATED_ITSELF = _code(
    "NB206", "related-itself", ERROR,
    "A policy names itself in 'related'.",
    "Remove its own number from 'related'.")
SERIES_UNKNOWN = _code(
    "NB207", "series-unknown", ERROR,
    "A policy's series (given, or the first digit of its number followed by 000) is not in policies/series.yml.",
    "Add the series to series.yml, or correct 'series' or the number.")
VENDOR_SPELLING = _code(
    "NB208", "vendor-spelling", WARNING,
    "Two vendor names differ only in case, punctuation or a letter or two (Franklin Cover, Franklin Covey), "
    "so one company's notices would be listed as two.",
    "Spell the vendor one way in every notice.")

BREACH_CONTRACT_UNKNOWN = _code(
    "NB209", "breach-contract-unknown", ERROR,
    "A breach notice's contract names no contract notice of contracts/.",
    "Write the slug of the vendor's contract notice (its file name without .md), or remove 'contract'.")
KNOWN_FROM_UNKNOWN = _code(
    "NB210", "known-from-unknown", ERROR,
    "'known_from' names no published notice of contracts/ (or the record itself).",
    "Write the slug of the published notice that the contract is known from, e.g. its amendment's.")

# --- NB3xx: what the law requires of a notice -------------------------------------------------------

INCOMPLETE_NOTICE = _code(
    "NB301", "incomplete-notice", WARNING,
    "An incomplete notice is published without elements of a notice or fields that the jurisdiction's law "
    "requires; the message names them, and which of them the law requires.",
    "Add what is missing, then remove 'incomplete: true'.")
INCOMPLETE_BUT_COMPLETE = _code(
    "NB302", "incomplete-but-complete", WARNING,
    "A notice marked incomplete has every element of a notice, and every field that the jurisdiction's law "
    "requires.",
    "Remove 'incomplete: true'.")
DRAFT_NOT_PUBLISHED = _code(
    "NB303", "draft-not-published", WARNING,
    "A draft is checked but not published; the message names what it still lacks.",
    "Complete it and remove 'draft: true' once the contract is signed.")
NO_POSTED_DATE = _code(
    "NB304", "no-posted-date", WARNING,
    "A published notice has no posted date, so the deadline cannot be checked.",
    "Add 'posted:' with the day the notice went up.")
POSTED_IN_FUTURE = _code(
    "NB305", "posted-in-future", WARNING,
    "The posted date is after the build date.",
    "Write the day that the notice actually went up.")
POSTED_LATE = _code(
    "NB306", "posted-late", WARNING,
    "The notice was posted after the deadline: the jurisdiction's (business or calendar days after contract_date; "
    "business days skip weekends and the jurisdiction's holidays), or site.yml's notice_deadline_business_days. "
    "A note instead of a warning where the law's text could not be read.",
    "Check both dates; if they are right, the notice was late: post the next one within the deadline.")
NO_DOCUMENT = _code(
    "NB307", "no-document", WARNING,
    "A published notice links no document: a notice posts the signed contract with it (the message says when the "
    "jurisdiction's law requires it).",
    "Add the signed contract under 'documents:'.")
EXPIRING_SOON = _code(
    "NB308", "expiring-soon", WARNING,
    "A contract expires within 60 days and no renewal amends it.",
    "Post the renewal's notice when it is signed (kind: renewal, amends: this notice).")

BREACH_NOT_POSTED = _code(
    "NB309", "breach-not-posted", WARNING,
    "A breach notice has no posted date: the jurisdiction's law gives the district a number of days after the "
    "contractor's report to tell the parents (and post it), which the message names.",
    "Post it, tell the parents (announce), and add 'posted:' with that day.")
BREACH_POSTED_LATE = _code(
    "NB310", "breach-posted-late", WARNING,
    "A breach notice was posted later than the jurisdiction's clock allows after the contractor reported the "
    "breach; the message gives the clock's days.",
    "Nothing to fix in the file if the dates are right; the warning records that the deadline was missed.")
BREACH_REPORTED_LATE = _code(
    "NB311", "breach-reported-late", WARNING,
    "The contractor reported the breach later than the jurisdiction's law allows after discovering it; the "
    "message gives the days (where the law allows longer in some cases, e.g. sixty_day_case, it says so).",
    "Nothing to fix in the file if the dates are right; raise it with the contractor, whose contract "
    "promises the law's deadline.")

# The documents that a record links (ADA Title II, WCAG 2.1 AA): warnings for records posted on or after
# site.yml's accessibility_compliance_date, notes for older ones (docs/staff/documents.md).
_NOTE_BEFORE = " A note instead of a warning for records posted before accessibility_compliance_date."
DOCUMENT_SCANNED = _code(
    "NB312", "document-scanned", WARNING,
    "A PDF has no text layer on any page (a scan): screen readers have nothing to read aloud." + _NOTE_BEFORE,
    "Ask the vendor for the accessible original, or run OCR on it (e.g. ocrmypdf in.pdf out.pdf) and post that.")
DOCUMENT_UNTAGGED = _code(
    "NB313", "document-untagged", WARNING,
    "A PDF is not tagged (no structure tree, or /MarkInfo says Marked false): assistive technology cannot tell "
    "headings, paragraphs and tables apart." + _NOTE_BEFORE,
    "Ask the vendor for the accessible original, or add tags (Acrobat: Accessibility, Autotag; LibreOffice: "
    "export as PDF with 'Tagged PDF').")
DOCUMENT_NO_TITLE = _code(
    "NB314", "document-no-title", WARNING,
    "A PDF has no document title (none in its XMP metadata or document information)." + _NOTE_BEFORE,
    "Set the title in the document's properties (Acrobat: File, Properties; LibreOffice: File, Properties, "
    "Title) and export it again.")
DOCUMENT_NO_LANGUAGE = _code(
    "NB315", "document-no-language", WARNING,
    "A PDF does not name its language (/Lang), so screen readers may read it with the wrong voice." + _NOTE_BEFORE,
    "Set the document's language (Acrobat: File, Properties, Advanced; LibreOffice: the text's language) and "
    "export it again.")
DOCUMENT_TEXT_LOCKED = _code(
    "NB316", "document-text-locked", WARNING,
    "A PDF is encrypted so that its text may not be extracted, which keeps screen readers from it." + _NOTE_BEFORE,
    "Post a copy without security restrictions (or one that allows text access for accessibility).")
DOCUMENT_TOO_LARGE = _code(
    "NB317", "document-too-large", WARNING,
    "A document is over 10 MB: slow to open on a phone on a slow connection.",
    "Post a smaller copy (an accessible original from the vendor is usually far smaller than a scan; or "
    "reduce the images' resolution when exporting).")

DOCUMENT_ACTIVE_CONTENT = _code(
    "NB318", "document-active-content", WARNING,
    "A PDF does something when it is opened (JavaScript, launching a program or another file, submitting a "
    "form) or has bytes before its PDF header (a file that is also another kind of file); reported as a note: "
    "posting it is the district's choice.",
    "Post a copy printed or exported again as a plain PDF (a 'Print to PDF' copy carries no actions), or keep "
    "it if the district has checked the file.")

# --- NB4xx: translations and languages -----------------------------------------------------------------

TRANSLATION_FIELD = _code(
    "NB401", "translation-field", ERROR,
    "A translation gives a field that comes from its main record; a translation holds only text.",
    "Remove the field from the translation; change it in the main record.")
TRANSLATION_WITHOUT_RECORD = _code(
    "NB402", "translation-without-record", ERROR,
    "A translation (`<name>.<lang>.md`) has no main record `<name>.md`.",
    "Rename the translation after its record, or add the record.")
TRANSLATION_LANGUAGE = _code(
    "NB403", "translation-language", ERROR,
    "A translation's language is not a further language of site.yml (or is the default language).",
    "Rename the file with a language of site.yml's 'languages' other than the first, or add the language.")
LANGUAGE_NOT_IN_SITE = _code(
    "NB404", "language-not-in-site", ERROR,
    "A text given by language names a language that is not in site.yml's 'languages'.",
    "Correct the language code, or add the language to site.yml.")
NO_DEFAULT_LANGUAGE_TEXT = _code(
    "NB405", "no-default-language-text", ERROR,
    "A text given by language has none in the site's default language, which pages fall back to.",
    "Add the text in the first language of site.yml's 'languages'.")
NO_INTERFACE_CATALOG = _code(
    "NB406", "no-interface-catalog", WARNING,
    "A language of site.yml has no catalog of interface text, so its pages show menus in English.",
    "Add the catalog as docs/staff/translating-the-interface.md says.")
LANGUAGE_NOT_PUBLISHED = _code(
    "NB407", "language-not-published", WARNING,
    "A file gives texts in a language that site.yml's 'languages' does not list, or is a translation "
    "(`<name>.<lang>.md`) into such a language: they are ignored, and one note per file says so.",
    "Nothing, if the site does not publish that language; otherwise add it to site.yml's 'languages' (or "
    "correct the language code).")
TEMPLATE_ERROR = _code(
    "NB501", "template-error", ERROR,
    "A template cannot be read or fails while a page is made (a syntax error, an unknown name, a missing "
    "template).",
    "Fix the template at the line given; a build writes nothing, and the preview shows the last good pages, "
    "until then.")
SITE_FILE_UNREADABLE = _code(
    "NB502", "site-file-unreadable", ERROR,
    "A file the site is made from (a template, the stylesheet, the search script, a file of static/) cannot be "
    "read.",
    "Restore the file named; a build writes nothing, and the preview shows the last good pages, until then.")
BUILD_FAILED = _code(
    "NB503", "build-failed", ERROR,
    "A build or the preview could not make the site for a reason in Notice Board's own code, named with its "
    "line.",
    "Report it with the line shown; the preview shows the last good pages until then.")
STATIC_FILE_CONFLICT = _code(
    "NB504", "static-file-conflict", ERROR,
    "A file of the site's static/ folder would land on a page or file that the site writes itself (index.html, "
    "feed.xml, anything under contracts/, a further language's folder such as es/, a page of content/pages/).",
    "Move the file into a folder of its own, such as static/images/; to change a page, put your own template "
    "in templates/ instead (docs/operators/theming.md).")
TEMPLATE_NOT_USED = _code(
    "NB505", "template-not-used", WARNING,
    "A file of the site's templates/ folder is used by no page: its name is no built-in template's and no "
    "template of the site includes it (often a misspelt name), or it is an e-mail template, which the site "
    "cannot replace.",
    "Rename it to the built-in template it is meant to replace (the message suggests one), or remove it.")


# The code of each type of error that validation (schema.py) reports: pydantic's own types,
# and those that schema.py's validators raise (PydanticCustomError's first argument).
VALIDATION_ERRORS: dict[str, Code] = {
    "extra_forbidden": UNKNOWN_FIELD,
    "missing": MISSING_FIELD,
    "literal_error": VALUE_NOT_ALLOWED,
    **dict.fromkeys(["list_type", "string_type", "bool_type", "bool_parsing", "int_type", "int_parsing",
                     "dict_type", "model_type", "model_attributes_type"], WRONG_TYPE),
    "greater_than_equal": OUT_OF_RANGE,
    "less_than_equal": OUT_OF_RANGE,
    "too_short": EMPTY_VALUE,
    "blank": EMPTY_VALUE,
    "date_format": INVALID_DATE,
    "date_value": INVALID_DATE,
    "date_range": INVALID_DATE,
    "slug": NOT_A_SLUG,
    "policy_number": BAD_POLICY_NUMBER,
    "one_line": BAD_NAME,
    "name_length": BAD_NAME,
    "document_file": DOCUMENT_PATH,
    "document_type": DOCUMENT_TYPE,
    "document_target": DOCUMENT_TARGET,
    "subprocessors": WRONG_TYPE,
    "web_address": BAD_WEB_ADDRESS,
    "base_url": BAD_WEB_ADDRESS,
    "language": BAD_LANGUAGE_CODE,
    "jurisdiction": UNKNOWN_JURISDICTION,
    "deadline": WRONG_TYPE,
    "repeated": LISTED_TWICE,
    "email_address": INVALID_VALUE,
    "logo_file": INVALID_VALUE,
    "logo_type": INVALID_VALUE,
    "colour": INVALID_VALUE,
    "subscribe": INVALID_VALUE,
}


def validation_error_code(kind: str) -> Code:
    """The code of a validation error of type ``kind``; INVALID_VALUE for a type that has none of its own."""
    return VALIDATION_ERRORS.get(kind, INVALID_VALUE)


def markdown_table() -> str:
    """The table of docs/staff/codes.md."""
    rows = ["| code | name | level | what it means | what fixes it |", "|---|---|---|---|---|"]
    for code in CODES:
        cells = [code.code, f"`{code.name}`", code.level, code.meaning, code.fix]
        rows.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(markdown_table(), end="")
