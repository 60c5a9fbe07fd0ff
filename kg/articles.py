"""Articles: one text into the articles it holds; a newspaper page split into its articles.

A page extracted from a PDF prints each article's title after its body, marks bylines
as `□姓名` before a body or `（姓名）` after it, and may carry section headings inside
bodies. A web page carries navigation, source and date lines around one article.
Each Article's text is one contiguous slice of its source, so offsets stay valid.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from . import dates, text as textmod
from .gazetteer import gazetteer
from .model import Article
from .vocab import lexicon

NAME = r"[\u3400-\u4dbf\u4e00-\u9fff·]{2,4}"
BYLINE_BEFORE = re.compile(rf"^\s*[□■]\s*(?P<names>{NAME}(?:[ \u3000]+{NAME})*)\s*$")
BYLINE_AFTER = re.compile(rf"(?:[。！？!?”]\s*|\s{{2,}})[(（]\s*(?:记者|通讯员|作者)?\s*(?P<names>{NAME}(?:[ \u3000]+{NAME})*)\s*[)）]\s*$")
# a line of its own that credits the reporters: names, and the outlet they write for (自贡融媒记者)
CREDIT = re.compile(r"(?P<outlet>[\u4e00-\u9fff]{0,8}?)(?:本报|本台)?(?:记者|記者|通讯员|通訊員|见习记者|特约记者)")
REPORTER = re.compile(rf"[(（]\s*(?:记者|通讯员|本报记者)[ \u3000]*(?P<names>{NAME}(?:[ \u3000、]+{NAME})*)\s*[)）]")


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
    return " ".join(re.sub(r"\s+", " ", textmod.visible(p.text).replace("\n", "")).strip() for p in lines)


def single_article(raw: str, paras: list) -> Draft:
    """The one article of a text: its title line, byline, source line and date set apart from its body."""
    d = Draft()
    for p in paras:
        flat = p.text.replace("\n", "").strip()
        if not d.paragraphs and (m := textmod.SOURCE_LINE.match(flat)):
            d.date = d.date or dates.in_text(flat)
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
        d.date = d.date or dates.in_text(m.group())
        d.skip = m.end()
    body = raw[d.start:d.end]
    if not d.byline and (m := REPORTER.search(body[:200]) or BYLINE_AFTER.search(body.rstrip())):
        d.byline = re.sub(r"[ \u3000、]+", " ", m.group("names"))
    return d


def _furniture_date(line: str) -> str:
    """The date a furniture line carries; a page header may space its digits (2 0 2 4 年 6 月)
    and has no time of day that taking its spaces out would run into the date."""
    return dates.in_text(re.sub(r"\s+", "", line) if textmod.is_page_header(line) else line)


def _publisher(rest: str) -> str:
    """The organisation named in a source line, without the dates and counters beside it."""
    rest = re.sub(r"\d{1,2}:\d{2}(?::\d{2})?", " ", textmod.DATE.sub(" ", rest))
    first = re.split(r"\s|发布|發佈|时间|時間|浏览|瀏覽|作者|日期", rest.strip())[0]
    return first if re.search(r"[\u4e00-\u9fff]", first) else ""


def articles_from_text(raw: str, source: str, *, title: str = "", date: str = "") -> list:
    """Every article in one text: a page gives several, anything else gives one.

    `date`, given beside the text (a JSONL field, an HTML meta tag) in any form, dates every
    article of the text before a date line in it does; dates are kept in ISO form (kg.dates).
    """
    paras = paragraphs(raw)
    drafts = split_page(raw, paras) or [single_article(raw, paras)]
    return [_article(raw, source, d, title, dates.from_value(date)) for d in drafts if d.paragraphs]


def _article(raw: str, source: str, d: Draft, title: str, date: str) -> Article:
    start = d.start + d.skip
    body = raw[start:d.end]
    title_span = (d.title_lines[0].start, d.title_lines[-1].end) if d.title_lines and not title else (-1, -1)
    return Article(id=article_id(body), text=body, source=source,
                   title=textmod.visible(title) or title_text(d.title_lines),
                   byline=d.byline, publisher=d.publisher, date=date or d.date, offset=start, title_span=title_span)
