"""A user's SPARQL query (`kg query`), run so that it can always be stopped.

The query runs in a child process (forked) that opens the store read-only and sends its rows
back a line at a time; the parent stops it at once, whatever the query engine is doing, when
the timeout passes or on Ctrl-C. SERVICE, which would make the engine send requests to
another host, is refused unless the user allows it. Values are printed safely: on a terminal,
control and direction characters of the data are shown escaped, never obeyed.
"""
from __future__ import annotations

import codecs
import json
import os
import re
import select
import signal
import time
from contextlib import closing
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
    """A query's answer in the format asked for, its parts read from the child as they come: rows
    (tuples, under `columns`), or pieces of the text of a W3C results format or an RDF format
    (`columns` None). `triples` counts an RDF answer's statements once its parts are all read."""
    fmt: str
    columns: tuple | None
    parts: Iterator = iter(())
    triples: int | None = None


def asks_service(query: str) -> bool:
    """Whether the query has a SERVICE clause (outside strings, IRIs and comments)."""
    return bool(_SERVICE.search(_NOT_KEYWORDS.sub(" ", query)))


def shown(value):
    """A value as a terminal may print it: control and direction characters written as escapes."""
    if not isinstance(value, str):
        return value
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), value)


def run(out_dir, query: str, timeout: float = DEFAULT_TIMEOUT, allow_service: bool = False,
        fmt: str | None = None, idle=lambda: None) -> Answer:
    """The answer to a query on the build in `out_dir` in format `fmt` (default: a table of rows for
    SELECT and ASK, Turtle for CONSTRUCT and DESCRIBE), its parts streamed as the engine gives them.
    `idle` is called whenever the next part is not there yet (to flush what was printed).

    Raises ValueError (not SPARQL, or SERVICE not allowed), OSError (no readable store), Stopped at
    the timeout, KeyboardInterrupt on Ctrl-C, at once or while the parts are read; in every case the
    child is gone. Closing `parts` early stops the child too.
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
                send = _Sender(out)
                try:
                    _answer(out_dir, query, send, fmt)
                except Exception as e:  # noqa: BLE001  (whatever it is, the parent gets one line)
                    send({"error": type(e).__name__, "message": " ".join(str(e).split())})
        finally:
            os._exit(0)
    os.close(writer)
    messages = (json.loads(line) for line in _lines(reader, child, time.monotonic() + timeout, timeout, idle))
    try:
        head = next(messages)
    except StopIteration:
        raise OSError("the query process ended without an answer") from None
    except Stopped as stopped:
        messages.close()
        raise (_damage(out_dir) or stopped) from None
    except BaseException:
        messages.close()
        raise
    if "error" in head:
        messages.close()
        _raise(head)
    answer = Answer(head["fmt"], tuple(head["columns"]) if "columns" in head else None)
    answer.parts = _parts(messages, answer)
    return answer


def _raise(error: dict):
    raise {"ValueError": ValueError, "WrongFormat": WrongFormat}.get(error["error"], OSError)(error["message"])


def _parts(messages: Iterator, answer: Answer) -> Iterator:
    """Rows (lists sent) as tuples and pieces of text (strings sent) as they are; the child's last
    word (a dict) is an error, raised, or the count of an RDF answer's statements."""
    with closing(messages):
        for message in messages:
            if isinstance(message, dict):
                if "error" in message:
                    _raise(message)
                answer.triples = message["triples"]
            else:
                yield tuple(message) if isinstance(message, list) else message


class _Sender:
    """The child's side of the pipe: one JSON value a line, flushed at least every FLUSH seconds
    (a slow query's rows are not held back) and by the buffer filling (a fast one's go in blocks)."""
    FLUSH = 0.1

    def __init__(self, out):
        self.out, self.flushed = out, time.monotonic()

    def __call__(self, message) -> None:
        self.out.write(json.dumps(message, ensure_ascii=False) + "\n")
        if time.monotonic() - self.flushed > self.FLUSH:
            self.out.flush()
            self.flushed = time.monotonic()


class _TextSender:
    """A binary stream for pyoxigraph's serialisers that sends what they write as pieces of text
    (a UTF-8 character cut between two writes waits for its end)."""

    def __init__(self, send: _Sender):
        self.send, self.decoder = send, codecs.getincrementaldecoder("utf-8")()

    def write(self, data) -> int:
        text = self.decoder.decode(bytes(data))
        if text:
            self.send(text)
        return len(data)

    def flush(self) -> None:
        pass


def _answer(out_dir, query: str, send: _Sender, fmt: str | None) -> None:
    """Run the query (in the child) on the build's store and send its answer."""
    st = store.connect(out_dir)
    try:
        _send_answer(store.answer(st, query), send, fmt)
    except (OSError, RuntimeError) as e:
        if str(e).startswith(store.DAMAGED):
            raise store.unreadable(e, out_dir) from None
        raise OSError(f"the query failed: {' '.join(str(e).split())}") from None


def _send_answer(result, send: _Sender, fmt: str | None) -> None:
    """Send a result's columns, then each row; or, in a W3C results format or an RDF format, that the
    answer is text, then the text in pieces (and an RDF answer's count of statements)."""
    graph = isinstance(result, ox.QueryTriples)
    fmt = fmt or ("turtle" if graph else "table")
    if (fmt in store.RDF_FORMATS) != graph and fmt not in store.ROW_FORMATS:
        raise WrongFormat(f"--format {fmt} is for " + ("SELECT and ASK" if graph else "CONSTRUCT and DESCRIBE"))
    if fmt in store.ROW_FORMATS:
        columns, rows = store.rows(result, store.label if fmt == "table" else store.value)
        send({"fmt": fmt, "columns": columns})
        for row in rows:
            send(row)
        return
    send({"fmt": fmt})
    counted = [0]

    def counting(triples):
        for counted[0], triple in enumerate(triples, 1):
            yield triple

    store.write(counting(result) if graph else result, fmt, _TextSender(send))
    if graph:
        send({"triples": counted[0]})


DAMAGE_CHECK = 10.0   # seconds a store is read, after a query timed out, for a damaged block


def _damage(out_dir) -> store.Unreadable | None:
    """The damage a query that timed out may have met: on a damaged block oxigraph's COUNT never ends, where
    reading every statement (store.triples) meets it at once. Read in a child, for DAMAGE_CHECK seconds at most."""
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:
        try:
            os.close(reader)
            try:
                store.triples(store.connect(out_dir))
            except OSError as e:
                os.write(writer, str(e).encode("utf-8")[:4096])
        finally:
            os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        found = pipe.read() if select.select([pipe], [], [], DAMAGE_CHECK)[0] else b""
    try:
        os.kill(child, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(child, 0)
    return store.Unreadable(found.decode("utf-8")) if found else None


def _lines(reader: int, child: int, deadline: float, timeout: float, idle) -> Iterator[str]:
    """The lines the child writes, until it ends; the child is killed at the deadline, on Ctrl-C, or when
    the reader stops early. `idle` is called before waiting for the child."""
    buffer = b""
    try:
        with os.fdopen(reader, "rb", buffering=0) as pipe:
            while True:
                if not select.select([pipe], [], [], 0)[0]:
                    idle()
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
