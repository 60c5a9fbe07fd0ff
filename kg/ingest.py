"""Reading: files, directories and JSONL records into Articles (kg.articles), decoded in any
encoding (kg.decode), HTML pages read as their article text (kg.webpage).

Nothing an input holds stops a build: files that cannot be used (binary, undecodable,
empty, unrelated, too large, malformed JSONL lines) become Problems with their reason,
and every other article is read. For an HTML file the source is the text of the page, as
`webpage.html_page` gives it, dated by its meta tags, so offsets stay valid.
"""
from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .articles import articles_from_text
from . import outdir
from .decode import NotText, decode, decode_utf8
from .model import Article
from .webpage import html_page

SUFFIXES = {".txt", ".md", ".jsonl", ".html", ".htm"}
HTML_SUFFIXES = {".html", ".htm"}
MAX_BYTES = 64 * 1024 * 1024          # larger files are not articles
SKIPPED = "not an article file (skipped)"
BUILD_FOLDER = "the output folder of a kg build (skipped)"


@dataclass
class Problem:
    """An input, or part of one, that could not be used, and why."""

    source: str
    reason: str
    line: int = 0


LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _clean(text: str) -> str:
    """JSON may escape lone surrogates (\\ud800), which are no characters: they become U+FFFD."""
    return LONE_SURROGATE.sub("\ufffd", text)


def read_jsonl(path: str, lines, problems: list) -> Iterator[Article]:
    """The articles of JSONL lines, (line number, text) each: one JSON object a line, split at
    line feeds only (a string may hold U+2028 and other characters str.splitlines splits at)."""
    for n, line in lines:
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            text = obj["text"]
            if not isinstance(text, str):
                raise TypeError("text is not a string")
        except KeyError:
            problems.append(Problem(str(path), 'malformed JSONL line: no "text" field', n))
            continue
        except (ValueError, TypeError) as e:
            problems.append(Problem(str(path), f"malformed JSONL line: {e}", n))
            continue
        source = f"{path}#{_clean(str(obj.get('id') or n))}"
        found = articles_from_text(_clean(text), source, title=_clean(str(obj.get("title") or "")),
                                   date=_clean(str(obj.get("date") or "")))
        if not found:
            problems.append(Problem(str(path), "JSONL line with empty text", n))
        yield from found


def shown(path) -> str:
    """A path as text for the report and the graph: a name in bytes that are not UTF-8 (a GBK name
    from an unzipped archive) is read as GB18030 if it can be, else its stray bytes are written \\xNN."""
    raw = os.fsencode(path)
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            pass
    return raw.decode("utf-8", "backslashreplace")


def _walk(folder: Path, problems: list | None, excluded: list) -> Iterator[Path]:
    """The files under `folder`, in name order; hidden entries, `excluded` folders and earlier builds are
    passed over, folders that cannot be listed are problems. Links to folders are not followed (no loops)."""
    def unlistable(error: OSError) -> None:
        if problems is not None:
            problems.append(Problem(shown(error.filename), f"cannot list this folder: {error.strerror or error}"))

    for root, dirs, names in os.walk(folder, onerror=unlistable):
        here = Path(root)
        kept = []
        for d in sorted(dirs):
            sub = here / d
            if d.startswith(".") or _inside(sub, excluded):
                continue
            if outdir.is_build(sub):
                if problems is not None:
                    problems.append(Problem(shown(sub), BUILD_FOLDER))
                continue
            kept.append(d)
        dirs[:] = kept
        links = [d for d in kept if os.path.islink(here / d)]
        for name in sorted(n for n in names + links if not n.startswith(".")):
            yield here / name


def _inside(folder: Path, excluded: list) -> bool:
    try:
        return any(folder.resolve().is_relative_to(e) for e in excluded)
    except (OSError, RuntimeError):     # a link that loops: never one of ours
        return False


def iter_files(paths, problems: list | None = None, exclude=()) -> Iterator[Path]:
    """The article files under `paths`: files given by name, and under directories the files with an
    article suffix; other files there are `problems` (skipped). Hidden files and directories, and
    whatever lies under a directory of `exclude` (a build's own output directory), are passed over."""
    excluded = [Path(e).resolve() for e in exclude]
    for p in map(Path, paths):
        if not p.is_dir():
            yield p
            continue
        if outdir.is_build(p):
            if problems is not None:
                problems.append(Problem(shown(p), BUILD_FOLDER))
            continue
        for f in _walk(p, problems, excluded):
            if f.suffix.lower() in SUFFIXES:
                yield f
            elif problems is not None:
                problems.append(Problem(shown(f), SKIPPED))


def _kind(mode: int) -> str:
    for test, kind in ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder")):
        if test(mode):
            return kind
    return "not a regular file"


def _bytes(path: Path) -> bytes:
    """The bytes of a regular file (opened without blocking: a FIFO never hangs a build);
    OSError, or NotText for what is no file of text."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise NotText(f"{_kind(info.st_mode)}, not a file (skipped)")
        if info.st_size > MAX_BYTES:
            raise TooLarge
        return f.read()


class TooLarge(Exception):
    """A file larger than MAX_BYTES."""


def read(paths, problems: list, files: list | None = None, exclude=()) -> Iterator[Article]:
    """Every article under `paths`; what cannot be used is appended to `problems`, and every file
    looked at (read or not) to `files`. Directories in `exclude` are not looked into."""
    for path in iter_files(paths, problems, exclude):
        name = shown(path)
        if files is not None:
            files.append(name)
        jsonl = path.suffix.lower() == ".jsonl"
        notes: list = []
        try:
            raw = decode(_bytes(path), notes)
        except TooLarge:
            if jsonl:
                yield from read_jsonl(name, _stream_lines(path, notes), problems)
                problems.extend(Problem(name, reason, line) for line, reason in notes)
            else:
                problems.append(Problem(name, f"file larger than {MAX_BYTES // 2**20} MiB (skipped)"))
            continue
        except OSError as e:
            problems.append(Problem(name, f"cannot read: {e.strerror or e}"))
            continue
        except NotText as e:
            problems.append(Problem(name, str(e)))
            continue
        problems.extend(Problem(name, reason, line) for line, reason in notes)
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
        if jsonl:
            before, n = len(problems), 0
            for a in read_jsonl(name, enumerate(raw.split("\n"), 1), problems):
                n += 1
                yield a
            if not n and len(problems) == before:
                problems.append(Problem(name, "empty file"))
            continue
        published = ""
        if path.suffix.lower() in HTML_SUFFIXES:
            page = html_page(raw)
            raw, published = page.text, page.published
        found = articles_from_text(raw, name, date=published)
        if not found:
            problems.append(Problem(name, "empty file" if not raw.strip() else "no article text"))
        yield from found


def _stream_lines(path: Path, notes: list) -> Iterator[tuple]:
    """(line number, text) of a JSONL file too large to hold, read a line at a time as UTF-8
    (stray bytes are replaced, and noted with their line)."""
    with path.open("rb") as f:
        for n, line in enumerate(f, 1):
            line_notes: list = []
            yield n, decode_utf8(line, line_notes).rstrip("\r\n")
            notes.extend((n, reason) for _, reason in line_notes)


def expected_articles(paths, exclude=()) -> int:
    """How many articles `paths` hold at least, known before reading them: a line of a JSONL file,
    one for any other article file (a newspaper page may hold several); for a progress total."""
    total = 0
    for path in iter_files(paths, exclude=exclude):
        if path.suffix.lower() != ".jsonl":
            total += 1
            continue
        try:
            with path.open("rb") as f:
                total += sum(1 for line in f if line.strip())
        except OSError:
            pass
    return total


# ---- what became of each input ----

def result_problems(result) -> list:
    """What an extraction could not understand (an ArticleResult), as Problems of its article's source:
    the article is kept, and the report says what is missing."""
    reasons = list(result.problems)
    if result.locality is None and not any(r.startswith("no locality") for r in reasons):
        reasons.append("no locality found: the article is kept without statements")
    if not result.mechanisms:
        reasons.append("no mechanism found: the article is kept without adopts statements")
    return [Problem(result.article.source, r) for r in reasons]


def input_report(files: list, problems: list, articles: list) -> list:
    """One entry per input file, in reading order, then the skipped files: articles found,
    statements (adopts + yields) and metrics made from it, and each problem with its line.

    status: "read" (articles, no problem), "partial" (articles and problems), "skipped" (no article).
    """
    entries: dict = {}

    def entry(source: str) -> dict:
        owner = source if source in entries else source.rsplit("#", 1)[0]   # path#id of a JSONL line
        if owner not in entries:
            owner = source
            entries[owner] = {"file": owner, "articles": 0, "statements": 0, "metrics": 0, "problems": []}
        return entries[owner]

    for f in files:
        entry(f)
    for a in articles:      # anything with source, statements and metrics (kg.engine.Extracted)
        e = entry(a.source)
        e["articles"] += 1
        e["statements"] += a.statements
        e["metrics"] += a.metrics
    for p in problems:
        e = entry(p.source)
        item = {"line": p.line, "reason": p.reason}
        if p.source != e["file"]:
            item["article"] = p.source
        e["problems"].append(item)
    for e in entries.values():
        e["status"] = "skipped" if not e["articles"] else "partial" if e["problems"] else "read"
    return list(entries.values())
