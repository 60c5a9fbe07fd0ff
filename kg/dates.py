"""Dates: when an article was published, as the ISO form of an xsd:date, xsd:gYearMonth or xsd:gYear.

A date comes written in a line of the text (`2024年11月08日 09:30 来源：…`, `发布时间：2021-06-07`, a
newspaper page's header) or as a value given beside the text (a JSONL `date` field, an HTML meta
tag). Lines are searched with the patterns below (年月日 and numeric forms, spaces allowed between
the parts as PDFs and some sites print them); values are read by python-dateutil, which knows ISO
8601, RFC 2822 and the numeric forms, with the 年月日 patterns for Chinese ones. What a date leaves
out stays out: `2024年6月` is the month 2024-06, not its first day. A date that is no day of the
calendar (2024-02-30) is no date.
"""
from __future__ import annotations

import re
from datetime import date, datetime

from dateutil import parser as dateutil_parser

_YEAR = r"(?P<y>(?:19|20)\d{2})"
# the forms a line may write a date in, the most precise first
PATTERNS = (
    re.compile(rf"(?<!\d){_YEAR}\s*年\s*(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*[日号]"),
    re.compile(rf"(?<!\d){_YEAR}\s*(?P<sep>[-/.])\s*(?P<m>\d{{1,2}})\s*(?P=sep)\s*(?P<d>\d{{1,2}})(?!\d)"),
    re.compile(rf"(?<!\d){_YEAR}\s*年\s*(?P<m>\d{{1,2}})\s*月(?!\s*\d)"),
)
# two defaults that differ in every field: what a value leaves out comes out different from each
_DEFAULTS = (datetime(1904, 1, 1), datetime(1908, 2, 2))
DATATYPES = {10: "date", 7: "gYearMonth", 4: "gYear"}   # XSD datatype by the length of the ISO form


def iso(year: int, month: int | None = None, day: int | None = None) -> str:
    """`2024-06-21`, `2024-06` or `2024`; "" when the parts are no date of the calendar."""
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        return ""
    if not 1900 <= year <= 2099:
        return ""
    return f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if month and day else "")


def in_text(text: str) -> str:
    """The first date written in `text`, in ISO form; "" when there is none."""
    for m in sorted((m for p in PATTERNS for m in p.finditer(text)), key=lambda m: m.start()):
        parts = m.groupdict()
        if written := iso(int(parts["y"]), int(parts["m"]), int(parts["d"]) if parts.get("d") else None):
            return written
    return ""


def from_value(value) -> str:
    """A date given as a value (a JSONL field, an HTML meta tag), in ISO form; "" when it is none.

    A value with a time of day and a zone (2024-11-08T09:30:00+08:00) gives the day it names
    there: the publisher's own calendar day.
    """
    text = str(value if value is not None else "").strip()
    if not text:
        return ""
    if written := in_text(text):
        return written
    try:
        first, second = (dateutil_parser.parse(text, default=d) for d in _DEFAULTS)
    except (ValueError, OverflowError):
        return ""
    if first.year != second.year:
        return ""
    month = first.month if first.month == second.month else None
    day = first.day if month and first.day == second.day else None
    return iso(first.year, month, day)


def datatype(written: str) -> str:
    """The XSD datatype of a date in ISO form: date, gYearMonth or gYear."""
    return DATATYPES[len(written)]


def period(written: str) -> tuple:
    """The first and last day a date in ISO form covers: a year runs from 1 January to 31 December."""
    parts = [int(p) for p in written.split("-")]
    start = date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    if len(parts) == 3:
        return start, start
    if len(parts) == 2:
        following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        return start, date.fromordinal(following.toordinal() - 1)
    return start, date(start.year, 12, 31)
