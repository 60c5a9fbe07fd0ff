"""Reading: files, directories, JSONL and HTML into Articles; newspaper pages split into their articles.

A page extracted from a PDF prints each article's title after its body, marks bylines
as `□姓名` before a body or `（姓名）` after it, and may carry section headings inside
bodies. A web page carries navigation, source and date lines around one article.
Each Article's text is one contiguous slice of its source, so offsets stay valid (for an
HTML file the source is the text of the page, as `html_text` gives it).

Nothing an input holds stops a build: files that cannot be used (binary, undecodable,
empty, unrelated, too large, malformed JSONL lines) become Problems with their reason,
and every other article is read.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterator

from . import text as textmod
from .gazetteer import gazetteer
from .model import Article
from .vocab import lexicon

SUFFIXES = {".txt", ".md", ".jsonl", ".html", ".htm"}
HTML_SUFFIXES = {".html", ".htm"}
MAX_BYTES = 64 * 1024 * 1024          # larger files are not articles
BINARY_SHARE = 0.05                   # a text with more control/unassigned characters than this is binary
SKIPPED = "not an article file (skipped)"
NAME = r"[\u3400-\u4dbf\u4e00-\u9fff·]{2,4}"
BYLINE_BEFORE = re.compile(rf"^\s*[□■]\s*(?P<names>{NAME}(?:[ \u3000]+{NAME})*)\s*$")
BYLINE_AFTER = re.compile(rf"(?:[。！？!?”]\s*|\s{{2,}})[(（]\s*(?:记者|通讯员|作者)?\s*(?P<names>{NAME}(?:[ \u3000]+{NAME})*)\s*[)）]\s*$")
# a line of its own that credits the reporters: names, and the outlet they write for (自贡融媒记者)
CREDIT = re.compile(r"(?P<outlet>[\u4e00-\u9fff]{0,8}?)(?:本报|本台)?(?:记者|記者|通讯员|通訊員|见习记者|特约记者)")
REPORTER = re.compile(rf"[(（]\s*(?:记者|通讯员|本报记者)[ \u3000]*(?P<names>{NAME}(?:[ \u3000、]+{NAME})*)\s*[)）]")


@dataclass
class Problem:
    """An input, or part of one, that could not be used, and why."""

    source: str
    reason: str
    line: int = 0


@dataclass
class Paragraph:
    start: int                # offsets into the source text
    end: int
    text: str
    kind: str = "body"        # body, short (heading or title line), byline_before, header (of the page)
    names: str = ""           # byline names, when the paragraph carries them
    outlet: str = ""          # the outlet a credit line names (自贡融媒 in 自贡融媒记者)


@dataclass
class Draft:
    """An article being assembled from the paragraphs of a page."""

    paragraphs: list = field(default_factory=list)
    byline: str = ""
    title_lines: list = field(default_factory=list)
    publisher: str = ""
    date: str = ""
    skip: int = 0             # characters before the body proper (a timestamp run into it)

    @property
    def start(self) -> int:
        return self.paragraphs[0].start

    @property
    def end(self) -> int:
        return self.paragraphs[-1].end


_SPACES = re.compile(rf"[\s{re.escape(''.join(sorted(textmod.ZERO_WIDTH)))}]")   # \s is str.isspace


def article_id(text: str) -> str:
    """A content hash of the body: the same article gets the same id whatever its encoding,
    line ends, layout spaces, zero-width characters or full-width forms."""
    key = _SPACES.sub("", unicodedata.normalize("NFKC", text))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def paragraphs(raw: str) -> list:
    """Split raw text into paragraphs, joining lines cut at column edges (text.line_joins)."""
    lines, pos = [], 0
    for line in raw.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    joins = textmod.line_joins([l for _, l in lines])
    out, start = [], None
    for (pos, line), join in zip(lines, joins):
        if not line.strip():
            continue
        if start is None:
            start = pos
        if not join:
            out.append(_paragraph(raw, start, pos + len(line.rstrip())))
            start = None
    return out


def _paragraph(raw: str, start: int, end: int) -> Paragraph:
    while start < end and raw[start].isspace():
        start += 1
    text = raw[start:end]
    p = Paragraph(start, end, text)
    flat = text.replace("\n", "")
    if textmod.is_page_header(flat):
        p.kind = "header"
    elif m := BYLINE_BEFORE.match(flat):
        p.kind, p.names = "byline_before", m.group("names")
    elif credit := _credit_line(flat):
        p.kind, (p.names, p.outlet) = "byline_before", credit
    elif "\n" not in text.strip() and not textmod.ends_sentence(flat) and len(flat.strip()) <= 40:
        p.kind = "short"
    elif m := BYLINE_AFTER.search(flat):
        p.names = m.group("names")
    return p


def _credit_line(line: str) -> tuple | None:
    """(names, outlet) of a line that only credits reporters: `曾佳麗 唐斌 自貢融媒記者 周馨鈺`.

    Its words are personal names and reporter credits, with at least one credit or three names,
    so a title of short phrases is not taken for one.
    """
    words = line.split()
    if not 2 <= len(words) <= 8:
        return None
    credits = [m for w in words if (m := CREDIT.fullmatch(w))]
    names = [w for w in words if not CREDIT.fullmatch(w)]
    if not all(re.fullmatch(NAME, w) for w in names) or not (credits or len(names) >= 3):
        return None
    return " ".join(names), next((m.group("outlet") for m in credits if m.group("outlet")), "")


def looks_like_title(lines: list) -> int:
    """How strongly a run of short lines reads as an article title: it names a place."""
    text = "".join(p.text for p in lines)
    zones = sum(text.count(s) for s in lexicon("zone-suffixes"))
    return len(gazetteer().hits(textmod.to_simplified(text))) + zones


def split_page(raw: str, paras: list) -> list:
    """Drafts of the articles of a newspaper page; an empty list when the text is not a page.

    Page headers are no article: they are left out, and date the articles below them.
    A header is a paragraph of its own (text.line_joins joins no furniture), so no body text goes with it.
    """
    bylines = sum(1 for p in paras if p.kind == "byline_before" or p.names)
    if bylines < 2:
        return []
    headers = [p for p in paras if p.kind == "header"]
    chunks = _chunks_by_byline([p for p in paras if p.kind != "header"])
    drafts, titles = [], []
    for chunk in chunks:
        for piece, trailing in _split_chunk(chunk):
            if piece.paragraphs:
                drafts.append(piece)
            if trailing:
                titles.append((len(drafts), trailing))
    _assign_titles(drafts, titles, raw)
    _date_by_headers(drafts, headers)
    return drafts


def _date_by_headers(drafts: list, headers: list) -> None:
    """Each article takes the date of the last page header above it (an article above all: the first)."""
    dated = [(h.start, date) for h in headers if (date := _furniture_date(h.text.replace("\n", "")))]
    for d in drafts:
        above = [date for start, date in dated if start < d.start] or [date for _, date in dated[:1]]
        d.date = above[-1] if above else ""


def _chunks_by_byline(paras: list) -> list:
    """Cut before every `□姓名` and after every paragraph that ends with `（姓名）`."""
    chunks, current = [], []
    for p in paras:
        if p.kind == "byline_before" and current:
            chunks.append(current)
            current = []
        current.append(p)
        if p.names and p.kind == "body":
            chunks.append(current)
            current = []
    if current:
        chunks.append(current)
    return chunks


def _split_chunk(chunk: list) -> list:
    """One chunk holds one article, or two when it opens with `□姓名` and closes with `（姓名）`.

    Returns (draft, short lines after it that are titles) pairs; short runs that lead
    the chunk are titles of an earlier article and are returned with an empty draft.
    """
    out = []
    runs = _runs(chunk)
    lead_titles = []
    while runs and runs[0][0] == "short":
        lead_titles.extend(runs.pop(0)[1])
    if lead_titles:
        out.append((Draft(), lead_titles))
    if not runs:
        return out
    trailing = runs.pop()[1] if runs[-1][0] == "short" else []
    opens = any(p.kind == "byline_before" for p in runs[0][1])
    closes = bool(runs[-1][1][-1].names) and runs[-1][1][-1].kind == "body"
    cut = None
    middle = [i for i, (kind, _) in enumerate(runs) if kind == "short"]
    if opens and closes and middle:
        cut = max(middle, key=lambda i: (looks_like_title(runs[i][1]), i))
    if cut is None:
        out.append((_draft(runs), trailing))
    else:
        out.append((_draft(runs[:cut]), runs[cut][1]))
        out.append((_draft(runs[cut + 1:]), trailing))
    return out


def _runs(chunk: list) -> list:
    runs = []
    for p in chunk:
        kind = "short" if p.kind == "short" else "body"
        if runs and runs[-1][0] == kind:
            runs[-1][1].append(p)
        else:
            runs.append((kind, [p]))
    return runs


def _draft(runs: list) -> Draft:
    d = Draft()
    for _, ps in runs:
        for p in ps:
            if p.kind == "byline_before":
                d.byline = p.names
            else:
                d.paragraphs.append(p)
    if not d.byline:
        d.byline = next((p.names for p in reversed(d.paragraphs) if p.names), "")
    return d


def _split_title_run(lines: list) -> list:
    """A run of title lines may hold several titles: a new one starts at a line that opens with a place."""
    titles = []
    for p in lines:
        hits = gazetteer().hits(textmod.to_simplified(p.text.strip()))
        first = hits[0] if hits and hits[0].start == 0 else None
        # a full name, or a short one before a zone (威海南海新区)
        opens_with_place = first is not None and (
            not first.short or any(s in p.text for s in lexicon("zone-suffixes")))
        if titles and opens_with_place:
            titles.append([p])
        elif titles:
            titles[-1].append(p)
        else:
            titles.append([p])
    return titles


def _assign_titles(drafts: list, titles: list, raw: str) -> None:
    """Give each title to the untitled article before it that names its place, else the nearest one."""
    bodies = {id(d): textmod.to_simplified(raw[d.start:d.end]) for d in drafts}
    for position, run in titles:
        for lines in _split_title_run(run):
            before = [d for d in drafts[:position] if not d.title_lines]
            if not before:
                continue
            places = [h.name for h in gazetteer().hits(textmod.to_simplified("".join(p.text for p in lines)))]
            named = [d for d in before if any(pl in bodies[id(d)] for pl in places)]
            (named or before)[-1].title_lines = lines


def title_text(lines: list) -> str:
    return " ".join(re.sub(r"\s+", " ", p.text.replace("\n", "")).strip() for p in lines)


def single_article(raw: str, paras: list) -> Draft:
    """The one article of a text: its title line, byline, source line and date set apart from its body."""
    d = Draft()
    for p in paras:
        flat = p.text.replace("\n", "").strip()
        if not d.paragraphs and (m := textmod.SOURCE_LINE.match(flat)):
            d.date = d.date or _date(m.group("rest"))
            d.publisher = d.publisher or _publisher(m.group("rest"))
        elif not d.paragraphs and textmod.is_page_furniture(flat):
            d.date = d.date or _furniture_date(flat)
        elif not d.paragraphs and not d.title_lines and p.kind == "short" and len(paras) > 1:
            d.title_lines = [p]
        elif p.kind == "byline_before":
            d.byline = p.names
            d.publisher = d.publisher or p.outlet
        else:
            d.paragraphs.append(p)
    if not d.paragraphs:
        return d
    if m := textmod.TIMESTAMP_LEAD.match(raw[d.start:d.end]):
        d.date = d.date or _date(m.group())
        d.skip = m.end()
    body = raw[d.start:d.end]
    if not d.byline and (m := REPORTER.search(body[:200]) or BYLINE_AFTER.search(body.rstrip())):
        d.byline = re.sub(r"[ \u3000、]+", " ", m.group("names"))
    return d


def _date(text: str) -> str:
    m = textmod.DATE.search(text)
    return m.group("date") if m else ""


def _furniture_date(line: str) -> str:
    """The date a furniture line carries; a page header may space its digits (2 0 2 4 年 6 月)
    and has no time of day that taking its spaces out would run into the date."""
    return _date(re.sub(r"\s+", "", line) if textmod.is_page_header(line) else line)


def _publisher(rest: str) -> str:
    """The organisation named in a source line, without the dates and counters beside it."""
    rest = re.sub(r"\d{1,2}:\d{2}(?::\d{2})?", " ", textmod.DATE.sub(" ", rest))
    first = re.split(r"\s|发布|發佈|时间|時間|浏览|瀏覽|作者|日期", rest.strip())[0]
    return first if re.search(r"[\u4e00-\u9fff]", first) else ""


def articles_from_text(raw: str, source: str, *, title: str = "", date: str = "") -> list:
    """Every article in one text: a page gives several, anything else gives one."""
    paras = paragraphs(raw)
    drafts = split_page(raw, paras) or [single_article(raw, paras)]
    return [_article(raw, source, d, title, date) for d in drafts if d.paragraphs]


def _article(raw: str, source: str, d: Draft, title: str, date: str) -> Article:
    start = d.start + d.skip
    body = raw[start:d.end]
    title_span = (d.title_lines[0].start, d.title_lines[-1].end) if d.title_lines and not title else (-1, -1)
    return Article(id=article_id(body), text=body, source=source, title=title or title_text(d.title_lines),
                   byline=d.byline, publisher=d.publisher, date=date or d.date, offset=start, title_span=title_span)


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


class NotText(ValueError):
    """Bytes that are not text in any encoding: binary, or undecodable."""


def _text_like(text: str) -> bool:
    """Few control, unassigned, private-use or replacement characters: text, not decoded binary."""
    if not text:
        return True
    bad = sum(1 for ch in text if ch == "\ufffd" or (unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn")
                                                     and ch not in "\t\n\r\f\v"))
    return bad <= BINARY_SHARE * len(text)


def _plausible(text: str) -> float:
    """Share of characters that Chinese reports are written in: ideographs, CJK and general
    punctuation, full-width forms, printable ASCII and whitespace."""
    ok = sum(1 for ch in text if " " <= ch <= "~" or ch in "\t\n\r" or "\u4e00" <= ch <= "\u9fff"
             or "\u3000" <= ch <= "\u303f" or "\uff01" <= ch <= "\uff5e" or "\u2010" <= ch <= "\u206f"
             or "\u3400" <= ch <= "\u4dbf" or ch in "\ufeff\u00b7\u00d7\u00b0\ufffd")
    return ok / len(text) if text else 0.0


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM (it has NUL bytes: the high bytes of ASCII): the byte order
    whose decoding reads as Chinese text."""
    if len(data) % 2:
        return None
    best, score = None, 0.0
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if (p := _plausible(text)) > score:
            best, score = text, p
    return best if score >= CHINESE_SHARE else None


CHINESE_SHARE = 0.9


def _chinese(data: bytes) -> str | None:
    """The bytes read in a Chinese encoding (GB18030, a superset of GBK and GB2312, or Big5),
    when one reads them as Chinese text; charset detection chooses between the two."""
    from charset_normalizer import from_bytes
    best = from_bytes(data, cp_isolation=["gb18030", "big5"]).best()
    candidates = [str(best)] if best is not None else []
    for enc in ("gb18030", "big5"):
        try:
            candidates.append(data.decode(enc))
        except UnicodeDecodeError:
            pass
    return next((t for t in candidates if _plausible(t) >= CHINESE_SHARE), None)


DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)


def decode(data: bytes) -> str:
    """Decode bytes of unknown encoding: BOMs, UTF-8, a charset an HTML page declares, then
    charset detection (GBK, GB18030, Big5, UTF-16 …). Raises NotText for binary data."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                raise NotText("not text in the encoding its byte order mark names") from None
            if not _text_like(text):
                raise NotText("binary file")
            return text
    text = None
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            try:
                text = data.decode("utf-8")     # a stray NUL in text; _text_like judges
            except UnicodeDecodeError:
                raise NotText("binary file") from None
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    if text is None and (m := DECLARED_CHARSET.search(data[:4096])):
        try:
            text = data.decode(m.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    if text is None:
        from charset_normalizer import from_bytes
        # UTF-16/32 with NUL bytes was read above; a guess of it for bytes without NUL is noise
        best = next((m for m in from_bytes(data) if not m.encoding.startswith(("utf_16", "utf_32"))), None)
        text = str(best) if best is not None else None
    if text is None or _plausible(text) < CHINESE_SHARE:
        # Short or unusual Chinese text is often taken for Korean, Japanese or Cyrillic, and GBK
        # bytes can be valid UTF-8 (一 is D2 BB, Cyrillic һ): the Chinese encodings come first when
        # they read it as Chinese; UTF-16 without BOM and without ASCII has no NUL byte (万 is 07 4E).
        text = _chinese(data) or _utf16_without_bom(data) or text
    if text is None:
        raise NotText("binary file, or text in no known encoding")
    if not _text_like(text):
        raise NotText("binary file")
    return text


# ---- HTML: the article text of a page ----

SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "object", "canvas", "select",
             "button", "textarea", "head"}
CHROME_TAGS = {"nav", "aside", "footer", "form", "menu"}      # page furniture around an article
BLOCK_TAGS = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "table",
              "section", "article", "main", "header", "footer", "blockquote", "pre", "dd", "dt", "dl",
              "figcaption", "figure", "hr", "title", "td", "th", "address", "center"}
VOID_TAGS = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "track", "wbr"}


MENU_SEPARATOR = re.compile(r"\s*[|｜]\s*|\s{2,}|\u3000+")


@dataclass
class _Chunk:
    text: str
    in_article: bool = False      # inside <article> or <main>
    in_chrome: bool = False       # inside nav, aside, footer, form, menu
    in_header: bool = False
    heading: bool = False         # inside h1 or h2
    link: bool = False            # inside <a>


BREAK = _Chunk("\n")


class _PageText(HTMLParser):
    """Text chunks of a page, each tagged with where it stands."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list = []
        self.chunks: list = []
        self.title = ""
        self.has_article = False

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.chunks.append(BREAK)
        if tag in ("article", "main"):
            self.has_article = True
        if tag not in VOID_TAGS:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.chunks.append(BREAK)

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass
        if tag in BLOCK_TAGS:
            self.chunks.append(BREAK)

    def handle_data(self, data):
        inside = set(self.stack)
        if "title" in inside and "body" not in inside:
            self.title += data
            return
        if inside & SKIP_TAGS:
            return
        if "pre" not in inside:
            data = re.sub(r"\s+", " ", data)
        self.chunks.append(_Chunk(data, bool(inside & {"article", "main"}), bool(inside & CHROME_TAGS),
                                  "header" in inside, bool(inside & {"h1", "h2"}), "a" in inside))


def _is_menu(line: str, link_chars: int) -> bool:
    """A line of links, or of short items between separators, without a sentence: navigation."""
    text = line.strip()
    if textmod.ends_sentence(text) and not text.endswith(("：", ":")) and len(text) > 1:
        return False
    if link_chars > 0.5 * len(text.replace(" ", "")):
        return True
    items = [i for i in MENU_SEPARATOR.split(text) if i]
    return len(items) >= 3 and all(len(i) <= 8 for i in items)


def html_text(raw: str) -> str:
    """The article text of an HTML page: the <article> or <main> element when there is one, else
    the body without header, navigation, footer, asides and forms; never scripts or styles; lines
    that are mostly links or menus are dropped. Block elements end lines; the page <title>
    (without its site name) leads when the text has no heading of its own."""
    page = _PageText()
    try:
        page.feed(raw)
        page.close()
    except Exception:        # html.parser is lenient; a page it still cannot read gives what it got
        pass
    lines, current, links, headed = [], "", 0, False
    for c in page.chunks + [BREAK]:
        if c is BREAK:
            if current.strip() and not _is_menu(current, links):
                lines.append(current.strip())
            current, links = "", 0
            continue
        if c.in_chrome or (page.has_article and not c.in_article) or \
                (not page.has_article and c.in_header and not c.heading):
            continue
        current += c.text
        links += len(c.text.replace(" ", "")) if c.link else 0
        headed = headed or (c.heading and bool(c.text.strip()))
    title = re.split(r"\s*(?:[_|｜]|\s[-–—]\s)\s*", page.title.strip())[0].strip()
    if title and not headed and (not lines or title not in lines[0]):
        lines.insert(0, title)
    return "\n\n".join(lines)


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
        if path.suffix.lower() in HTML_SUFFIXES:
            raw = html_text(raw)
        found = articles_from_text(raw, str(path))
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
