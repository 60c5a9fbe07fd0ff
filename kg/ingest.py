"""Reading: files, directories and JSONL records into Articles (kg.articles), decoded in any
encoding (kg.decode), HTML pages read as their article text (kg.webpage).

Nothing an input holds stops a build: files that cannot be used (binary, undecodable,
empty, unrelated, too large, malformed JSONL lines) become Problems with their reason,
and every other article is read. For an HTML file the source is the text of the page, as
`webpage.html_page` gives it, dated by its meta tags, so offsets stay valid.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .articles import articles_from_text
from .decode import NotText, decode
from .model import Article
from .webpage import html_page

SUFFIXES = {".txt", ".md", ".jsonl", ".html", ".htm"}
HTML_SUFFIXES = {".html", ".htm"}
MAX_BYTES = 64 * 1024 * 1024          # larger files are not articles
SKIPPED = "not an article file (skipped)"


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


def read_jsonl(path: Path, raw: str, problems: list) -> Iterator[Article]:
    for n, line in enumerate(raw.splitlines(), 1):
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


def iter_files(paths, problems: list | None = None, exclude=()) -> Iterator[Path]:
    """The article files under `paths`: files given by name, and under directories the files with an
    article suffix; other files there are `problems` (skipped). Hidden files and directories, and
    whatever lies under a directory of `exclude` (a build's own output directory), are passed over."""
    excluded = [Path(e).resolve() for e in exclude]
    for p in map(Path, paths):
        if not p.is_dir():
            yield p
            continue
        for f in sorted(p.rglob("*")):
            rel = f.relative_to(p)
            if any(part.startswith(".") for part in rel.parts) or not f.is_file():
                continue
            if excluded and any(f.resolve().is_relative_to(e) for e in excluded):
                continue
            if f.suffix.lower() in SUFFIXES:
                yield f
            elif problems is not None:
                problems.append(Problem(str(f), SKIPPED))


def read(paths, problems: list, files: list | None = None, exclude=()) -> Iterator[Article]:
    """Every article under `paths`; what cannot be used is appended to `problems`, and every file
    looked at (read or not) to `files`. Directories in `exclude` are not looked into."""
    for path in iter_files(paths, problems, exclude):
        if files is not None:
            files.append(str(path))
        try:
            if path.stat().st_size > MAX_BYTES:
                problems.append(Problem(str(path), f"file larger than {MAX_BYTES // 2**20} MiB (skipped)"))
                continue
            raw = decode(path.read_bytes())
        except OSError as e:
            problems.append(Problem(str(path), f"cannot read: {e.strerror or e}"))
            continue
        except NotText as e:
            problems.append(Problem(str(path), str(e)))
            continue
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
        if path.suffix.lower() == ".jsonl":
            before, n = len(problems), 0
            for a in read_jsonl(path, raw, problems):
                n += 1
                yield a
            if not n and len(problems) == before:
                problems.append(Problem(str(path), "empty file"))
            continue
        published = ""
        if path.suffix.lower() in HTML_SUFFIXES:
            page = html_page(raw)
            raw, published = page.text, page.published
        found = articles_from_text(raw, str(path), date=published)
        if not found:
            problems.append(Problem(str(path), "empty file" if not raw.strip() else "no article text"))
        yield from found


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
