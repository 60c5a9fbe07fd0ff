"""Rows printed: an aligned table for a reader at a terminal (IRIs of the build by prefixed names, cells
cut at CELL columns), csv, tsv and json for tools (cells whole), written as the rows come."""
from __future__ import annotations

import csv
import itertools
import json
import sys
import unicodedata

from . import store

TABLE_BLOCK = 200  # rows of a table its column widths are measured on (a query's rows are printed as they come)
CELL = 40  # terminal columns a table cell may take; csv, tsv and json give cells whole


def counted(n: int, one: str) -> str:
    """A count with its noun, as messages say it: 1 article, 2 articles; 1 locality, 14 localities."""
    if n == 1:
        return f"1 {one}"
    return f"{n} {one[:-1]}ies" if one.endswith("y") and one[-2:-1] not in "aeiou" else f"{n} {one}s"


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v).lower()
    return "; ".join(map(_cell, v)) if isinstance(v, list) else str(v)


def _shown(v) -> str:
    """A cell of a table: IRIs of the build by their prefixed names (rkid:locality/321202)."""
    text = _cell(v)
    return store.compact(text) if text.startswith("https://w3id.org/") else text


def _width(c: str) -> int:
    return 2 if unicodedata.east_asian_width(c) in "WF" else 1


def _columns(text: str) -> int:
    return sum(map(_width, text))


def _cut(text: str) -> str:
    """The text on one line, cut with … to at most CELL columns (one pass: a cell may list 10^5 names)."""
    text = " ".join(text.split())
    used = 0
    for n, c in enumerate(text):
        used += _width(c)
        if used > CELL - 1:
            return text if _columns(text[n:]) + used - _width(c) <= CELL else text[:n] + "…"
    return text


def print_rows(columns, rows, fmt: str, *, full: bool = False, excel: bool = False) -> None:
    """Print rows as they come (an iterator is never gathered); a table aligns its columns on its
    first TABLE_BLOCK rows and cuts its cells at CELL columns unless `full`; `excel` begins a CSV
    with the byte-order mark Excel needs to read UTF-8."""
    write = sys.stdout.write
    if fmt == "json":       # what json.dumps(list of objects, indent=1) gives, an object at a time
        before = "["
        for row in rows:
            write(before + "\n " + json.dumps(dict(zip(columns, row)), ensure_ascii=False, indent=1).replace("\n", "\n "))
            before = ","
        write("[]\n" if before == "[" else "\n]\n")
    elif fmt in ("csv", "tsv"):
        if fmt == "csv" and excel:
            write("\ufeff")
        writer = csv.writer(sys.stdout, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_cell(v) for v in row] for row in rows)
    else:
        cut = (lambda text: " ".join(text.split())) if full else _cut
        cells = ([cut(_shown(v)) for v in row] for row in rows)
        first = [list(columns), *itertools.islice(cells, TABLE_BLOCK)]
        widths = [max(_columns(row[i]) for row in first) for i in range(len(columns))]
        first.insert(1, ["-" * w for w in widths])
        for row in itertools.chain(first, cells):
            write("  ".join(c + " " * (w - _columns(c)) for c, w in zip(row, widths)).rstrip() + "\n")
    sys.stdout.flush()
