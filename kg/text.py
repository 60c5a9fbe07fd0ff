"""Normalisation: from text as a PDF or a web page gives it to text fit for matching.

Every step edits a list of (character, original offset) pairs, so the result keeps
a map back to the original text: evidence always points into the source.

Steps: full-width ASCII to half-width (NFKC on that block only, so Chinese quotes
stay), pinyin readings that mirror sites insert after characters are dropped,
lines broken at column edges are joined, spaces inside numbers are removed, and
traditional characters are converted to simplified (OpenCC, one character for one).
"""
from __future__ import annotations

import re
import unicodedata
from array import array
from dataclasses import dataclass
from functools import lru_cache

TERMINAL = "。！？!?；;：:…"
CLOSERS = "”’」』）)》】"
SENTENCE_END = re.compile(r"[。！？!?；;]+[”’」』）)]*|\n")
PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])[(（]([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê]{1,6}[1-5]?)[)）]")
# invisible characters dropped before anything reads a text: the format characters (zero-width spaces and
# joiners, direction marks and embeddings, soft hyphens, word joiners, BOMs, tags) and carriage returns
ZERO_WIDTH = {chr(c) for c in [*range(0x10000), *range(0xE0000, 0xE0080)] if unicodedata.category(chr(c)) == "Cf"} | {"\r"}
_INVISIBLE = dict.fromkeys(map(ord, ZERO_WIDTH))


def visible(text: str) -> str:
    """The text without its invisible characters (ZERO_WIDTH)."""
    return text.translate(_INVISIBLE)
# lines that web pages put around an article: source, dates, navigation, counters
# a source line, after the date and the counters it may lead with (2025-10-20 点击数：来源：上海嘉定)
SOURCE_LINE = re.compile(r"^\s*(?:(?:发布时间|發佈時間|发布日期|發佈日期|时间|時間|日期)\s*[:：])?\s*[\d\-/.年月日:：\s]*"
                         r"(?:(?:点击数|點擊數|浏览次数|瀏覽次數|阅读|閱讀)\s*[:：]?\s*[\d,]*\s*)?"
                         r"(?:来源|來源|信息来源|稿件来源|文章来源|发布单位|發佈單位|发布机构)\s*[:：]\s*(?P<rest>.*)$")
DATE = re.compile(r"(?P<date>(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)")
TIMESTAMP_LEAD = re.compile(r"^\s*(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*")
# a line that is only a date written with 年月日, and its time of day (2024年11月08日 09:30)
DATE_LINE = re.compile(r"\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*")
BOILERPLATE = re.compile(
    r"^\s*(?:首页|当前位置|您的位置|當前位置|首頁|发布时间|發佈時間|发布日期|時間|时间|浏览次数|瀏覽次數|点击数|點擊數|"
    r"阅读次数|字号|字體|字体|打印|关闭|關閉|分享到|责任编辑|責任編輯|编辑|作者|【)"
)
NAV = re.compile(r"\s[>›»]\s|^\s*[>›»]")
# a newspaper page header: date, weekday, edition, editor credit, page number and short names
_DIGITS = r"\d(?:\s?\d)*"             # PDF text may space the digits of a date: 2 0 2 4
_NAMES = r"[\u4e00-\u9fff·]{2,4}(?:[ \u3000、]+[\u4e00-\u9fff·]{2,4})*"
HEADER_TOKEN = re.compile(
    r"[ \t\u3000]*(?:(?P<mark>"
    rf"{_DIGITS}\s*年\s*{_DIGITS}\s*月\s*{_DIGITS}\s*日"
    r"|(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}"
    r"|(?:星期|礼拜|禮拜|周|週)[一二三四五六日天]"
    rf"|第\s*[A-Z]?\s*{_DIGITS}\s*版|第[一二三四五六七八九十]+版|[A-Z]?{_DIGITS}\s*版"
    r"|(?:本版)?(?:责任编辑|責任編輯|责编|責編|编辑|編輯|美编|美編|校对|校對|版式|摄影|攝影)\s*[:：]\s*"
    rf"{_NAMES}"
    r"|(?:农历|農曆)[\u4e00-\u9fff]{2,10})"
    r"|(?P<name>[\u4e00-\u9fff·]{2,8})(?=\s|$)"
    r"|[A-Z]?\d{1,3}(?=\s|$))"
)
HEADER_NAMES = 2        # a newspaper name and a column name at most
# a heading-like line is narrower than this share of its column
FULL_LINE_SHARE = 0.8
# a line followed directly by another is cut by the column edge when it fills this share
ADJACENT_LINE_SHARE = 0.5


@dataclass
class Normalised:
    """Normalised text; `text` is simplified for matching, `display` keeps the original script."""

    text: str
    display: str
    index: array           # index[i]: offset in the original of text[i]; one extra entry for the end

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in the original text of the normalised span [start, end)."""
        if end <= start:
            return self.index[start], self.index[start]
        return self.index[start], self.index[end - 1] + 1


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int
    lead: bool             # a short heading sentence that governs what follows it


_ASCII = re.compile(r"[\x00-\x7f]")


def width(line: str) -> float:
    """Display width: a Chinese character counts 1, ASCII half."""
    return len(line) - 0.5 * len(_ASCII.findall(line))


def _half_width(ch: str) -> str:
    if "\uff01" <= ch <= "\uff5e" or ch == "\u3000":
        return unicodedata.normalize("NFKC", ch)
    return ch


# what a character reads as: lone surrogates (no character at all) as U+FFFD, full-width forms as half-width
_READABLE = {**dict.fromkeys(range(0xD800, 0xE000), "\ufffd"),
             **{c: _half_width(chr(c)) for c in [*range(0xFF01, 0xFF5F), 0x3000]}}
_INVISIBLE_RUN = re.compile(f"[{re.escape(''.join(sorted(ZERO_WIDTH)))}]+")
_LAYOUT_SPACES = re.compile(r"[ \t\xa0]+")


def _readable(raw: str) -> tuple:
    """(text, index): the characters of `raw` without the invisible ones, as they read, and their offsets."""
    text, index = _edit(raw, array("q", range(len(raw))),
                        [(m.start(), m.end(), "", 0) for m in _INVISIBLE_RUN.finditer(raw)])
    return text.translate(_READABLE), index


def _edit(text: str, index: array, edits) -> tuple:
    """(text, index) with each edit (start, end, replacement, offset) applied, in order: text[start:end] becomes
    the replacement, each of its characters at `offset` in the original.

    A text and an array of offsets, not a list of (character, offset) pairs: normalising with the
    pairs took 220 bytes a character at its peak (1.2 GB for a 16 MB article), with these 28.
    """
    parts, offsets, pos = [], array("q"), 0
    for start, end, replacement, offset in edits:
        parts += (text[pos:start], replacement)
        offsets += index[pos:start]
        offsets.extend([offset] * len(replacement))
        pos = end
    parts.append(text[pos:])
    offsets += index[pos:]
    return "".join(parts), offsets


def _drop_matches(text: str, index: array, pattern: re.Pattern) -> tuple:
    return _edit(text, index, [(m.start(), m.end(), "", 0) for m in pattern.finditer(text)])


def column_widths(widths: list) -> list:
    """For each line, the width of the column it sits in (high percentile of its neighbours)."""
    out = []
    for i in range(len(widths)):
        near = [w for w in widths[max(0, i - 8): i + 9] if w > 0]
        if not near:
            out.append(0.0)
            continue
        near.sort()
        out.append(near[int(0.75 * (len(near) - 1) + 0.5)])
    return out


TRAILING_NOTE = re.compile(r"\s*[(（][^()（）]{1,16}[)）]\s*$")


def ends_sentence(line: str) -> bool:
    """True when a line ends a sentence, also with a closing quote or a (byline) after it."""
    stripped = TRAILING_NOTE.sub("", line.rstrip()) if TRAILING_NOTE.search(line) else line.rstrip()
    if not stripped:
        return True
    if stripped[-1] in TERMINAL:
        return True
    return stripped[-1] in CLOSERS and len(stripped) > 1 and stripped[-2] in TERMINAL


def is_full(line: str, column: float) -> bool:
    return width(line.strip()) >= FULL_LINE_SHARE * column


def is_page_header(line: str) -> bool:
    """A newspaper page header: `2 0 2 4 年 6 月 2 1 日 星期五 财政视窗 3`, `第05版 编辑：王明`.

    The line is nothing but header items, at least one of them a date, weekday, edition or
    editor credit (a bare number or a short name alone may be text), and no more short names
    than a newspaper and a column have: a sentence never reads so, a title seldom does.
    """
    pos, marks, names = 0, 0, 0
    line = line.rstrip()
    while pos < len(line):
        m = HEADER_TOKEN.match(line, pos)
        if not m:
            return False
        marks += bool(m.group("mark"))
        names += bool(m.group("name"))
        pos = m.end()
    return marks > 0 and names <= HEADER_NAMES


def is_page_furniture(line: str) -> bool:
    """A navigation, source, date or counter line of a web page, or a newspaper page header: not article text."""
    return bool(SOURCE_LINE.match(line) or BOILERPLATE.match(line) or NAV.search(line)
                or TIMESTAMP_LEAD.fullmatch(line) or DATE_LINE.fullmatch(line) or is_page_header(line))


def line_joins(lines: list) -> list:
    """For each line, whether it continues on the next non-blank line.

    A line cut by the column edge ends without punctuation and fills most of its column.
    Directly above the next line it may fall short (digits are narrow); across a blank
    line (a column or page break) it must be full and the next line must look like
    running text too, so that a title line standing alone is not glued to the next one.
    """
    widths = [width(l.strip()) for l in lines]
    columns = column_widths(widths)
    joins = [False] * len(lines)
    for i, line in enumerate(lines):
        if not line.strip() or BYLINE.match(line) or ends_sentence(line) or is_page_furniture(line):
            continue
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j == len(lines) or BYLINE.match(lines[j]) or is_page_furniture(lines[j]):
            continue
        if j == i + 1:
            joins[i] = widths[i] >= ADJACENT_LINE_SHARE * columns[i]
        else:
            joins[i] = is_full(line, columns[i]) and (is_full(lines[j], columns[j]) or ends_sentence(lines[j]))
    return joins


def _join_lines(text: str, index: array) -> tuple:
    """Join lines cut at column edges; paragraphs are set apart by a blank line, blank lines dropped."""
    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    joins = line_joins([line for _, line in lines])
    edits, end, pending_join = [], 0, True
    for (start, line), join in zip(lines, joins):
        if not line.strip():
            continue
        # a blank line between paragraphs: read again, they stay apart (normalise is idempotent)
        edits.append((end, start, "" if pending_join else "\n\n", index[start]))
        end, pending_join = start + len(line), join
    edits.append((end, len(text), "", 0))
    return _edit(text, index, edits)


BYLINE = re.compile(r"^\s*[□■]\s*\S")


def _drop_layout_spaces(text: str, index: array) -> tuple:
    """Spaces in Chinese text are layout: drop them, except one between two Latin words."""
    def between_words(start: int, end: int) -> bool:
        left, right = text[start - 1:start], text[end:end + 1]
        return left.isascii() and left.isalpha() and right.isascii() and right.isalpha()

    return _edit(text, index, [(m.start(), m.end(), " " if between_words(m.start(), m.end()) else "", index[m.start()])
                               for m in _LAYOUT_SPACES.finditer(text)])


@lru_cache(maxsize=1)
def _converter():
    import opencc
    return opencc.OpenCC("t2s.json")


def to_simplified(text: str) -> str:
    """Traditional to simplified, one character for one (OpenCC, per character where a phrase changes length)."""
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    conv = _converter().convert
    return "".join(c if len(s := conv(c)) != 1 else s for c in text)


def normalise(raw: str) -> Normalised:
    text, index = _readable(raw)
    text, index = _drop_matches(text, index, PINYIN)
    text, index = _join_lines(text, index)
    display, index = _drop_layout_spaces(text, index)
    index.append(len(raw))
    return Normalised(text=to_simplified(display), display=display, index=index)


def is_lead(sentence: str) -> bool:
    """A short sentence with no figures that names what the paragraph is about."""
    core = sentence.strip().rstrip("。！？!?")
    if BYLINE.match(core):
        return False
    core = re.sub(r"^(\(\d+\)|[⑴-⒇①-⑳]|[一二三四五六七八九十]+是|[一二三四五六七八九十]+[、.])", "", core)
    return 2 <= len(core) <= 24 and not re.search(r"\d", core)


def sentences(norm: Normalised) -> list:
    """Sentences with their paragraph number; a paragraph is a line of the normalised text."""
    out = []
    text = norm.text
    paragraph, start = 0, 0
    for m in SENTENCE_END.finditer(text + "\n"):
        end = min(m.end(), len(text))
        chunk = text[start:end]
        if chunk.strip():
            s, e = start, end
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            out.append(Sentence(s, e, paragraph, is_lead(text[s:e])))
        if m.group() == "\n":
            paragraph += 1
        start = m.end()
    return out
