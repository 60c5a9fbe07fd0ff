"""A user's SPARQL query (`kg query`), run so that it can always be stopped.

The query runs in a child process (forked) that opens the store read-only and sends its rows
back a line at a time; the parent stops it at once, whatever the query engine is doing, when
the timeout passes or on Ctrl-C. SERVICE, which would make the engine send requests to
another host, is refused unless the user allows it. Values are printed safely: on a terminal,
control and direction characters of the data are shown escaped, never obeyed.
"""
from __future__ import annotations

import json
import os
import re
import select
import signal
import time
from dataclasses import dataclass
from typing import Iterator

import pyoxigraph as ox

from . import store

DEFAULT_TIMEOUT = 60.0   # seconds
# what is no SPARQL keyword: strings, IRIs and comments (a SERVICE written in one asks for nothing)
_NOT_KEYWORDS = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*')
_SERVICE = re.compile(r"\bSERVICE\b", re.I)
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


class Stopped(Exception):
    """A query stopped at its timeout; the message is one line."""


class WrongFormat(ValueError):
    """A format asked for that the query's kind of result has not (turtle for a SELECT)."""


@dataclass
class Answer:
    """A query's answer in the format asked for: rows as they come (`written` None), or the whole
    text of a W3C results format or an RDF format (`written`)."""
    fmt: str
    columns: tuple = ()
    rows: Iterator[tuple] = iter(())
    written: str | None = None


def asks_service(query: str) -> bool:
    """Whether the query has a SERVICE clause (outside strings, IRIs and comments)."""
    return bool(_SERVICE.search(_NOT_KEYWORDS.sub(" ", query)))


def shown(value):
    """A value as a terminal may print it: control and direction characters written as escapes."""
    if not isinstance(value, str):
        return value
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), value)


def run(out_dir, query: str, timeout: float = DEFAULT_TIMEOUT, allow_service: bool = False,
        fmt: str | None = None) -> Answer:
    """The answer to a query on the build in `out_dir` in format `fmt` (default: a table of rows for
    SELECT and ASK, Turtle for CONSTRUCT and DESCRIBE), rows streamed as they come.

    Raises ValueError (not SPARQL, or SERVICE not allowed), OSError (no readable store), Stopped at
    the timeout, KeyboardInterrupt on Ctrl-C; in every case the child is gone.
    """
    if asks_service(query) and not allow_service:
        raise ValueError("the query asks another server (SERVICE): give --allow-service to let it")
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:                      # the child: answer, then leave without running any cleanup
        try:
            os.close(reader)
            signal.signal(signal.SIGINT, signal.SIG_IGN)   # the parent decides
            with os.fdopen(writer, "w", encoding="utf-8") as out:
                try:
                    _answer(out_dir, query, out, fmt)
                except Exception as e:  # noqa: BLE001  (whatever it is, the parent gets one line)
                    out.write(json.dumps({"error": type(e).__name__, "message": " ".join(str(e).split())}) + "\n")
        finally:
            os._exit(0)
    os.close(writer)
    lines = _lines(reader, child, time.monotonic() + timeout, timeout)
    try:
        head = json.loads(next(lines))
    except StopIteration:
        raise OSError("the query process ended without an answer") from None
    except BaseException:
        lines.close()
        raise
    if "error" in head:
        lines.close()
        raise {"ValueError": ValueError, "WrongFormat": WrongFormat}.get(head["error"], OSError)(head["message"])
    if "written" in head:
        lines.close()
        return Answer(head["fmt"], written=head["written"])
    return Answer(head["fmt"], tuple(head["columns"]), _rows(lines))


def _rows(lines: Iterator[str]) -> Iterator[tuple]:
    for line in lines:
        row = json.loads(line)
        if isinstance(row, dict):       # the query failed after its first rows
            raise OSError(row["message"])
        yield tuple(row)


def _answer(out_dir, query: str, out, fmt: str | None) -> None:
    """Run the query (in the child) and write, as JSON lines to `out`, its columns, then each row;
    or, in a W3C results format or an RDF format, the whole text."""
    st = store.connect(out_dir)
    try:
        result = store.answer(st, query)
        graph = isinstance(result, ox.QueryTriples)
        fmt = fmt or ("turtle" if graph else "table")
        if (fmt in store.RDF_FORMATS) != graph and fmt not in store.ROW_FORMATS:
            raise WrongFormat(f"--format {fmt} is for " + ("SELECT and ASK" if graph else "CONSTRUCT and DESCRIBE"))
        if fmt not in store.ROW_FORMATS:
            out.write(json.dumps({"fmt": fmt, "written": store.written(result, fmt).decode("utf-8")},
                                 ensure_ascii=False) + "\n")
            return
        columns, rows = store.rows(result, store.label if fmt == "table" else store.value)
    except (OSError, RuntimeError) as e:
        raise OSError(f"the query failed: {' '.join(str(e).split())}") from None
    out.write(json.dumps({"fmt": fmt, "columns": columns}) + "\n")
    try:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    except (OSError, RuntimeError) as e:
        out.write(json.dumps({"error": "failed", "message": f"the query failed: {e}"}) + "\n")


def _lines(reader: int, child: int, deadline: float, timeout: float) -> Iterator[str]:
    """The lines the child writes, until it ends; the child is killed at the deadline, on Ctrl-C, or when
    the reader stops early."""
    buffer = b""
    try:
        with os.fdopen(reader, "rb", buffering=0) as pipe:
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([pipe], [], [], left)[0]:
                    raise Stopped(f"the query ran for {timeout:g} s and was stopped (give --timeout SECONDS "
                                  "for more time)")
                chunk = pipe.read(1 << 16)
                if not chunk:
                    break
                *complete, buffer = (buffer + chunk).split(b"\n")
                for line in complete:
                    yield line.decode("utf-8")
    finally:
        try:
            os.kill(child, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(child, 0)
