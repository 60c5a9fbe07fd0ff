"""Metric mentions: a number, its scale and unit, what it measures, and whether it is approximate.

Values are normalised to base units (4.56亿元 → 456000000 元; 83.28万份 → 832800 份;
2500多万元 → 25000000 元, approximate). Years, dates, ordinals, ranges, thresholds
(90分及以上), formulas (“5+2”), numbers in document titles and hypothetical examples
(如果…) are not metrics.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from .. import segment
from ..vocab import lexicon

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
SCALES = {"十": 10, "百": 100, "千": 1000, "万": 10**4, "十万": 10**5, "百万": 10**6, "千万": 10**7,
          "亿": 10**8, "万亿": 10**12}
UNIT_ALIASES = {"个工作日": "工作日", "余项": "项", "个百分点": "百分点"}
HYPOTHETICAL = re.compile(r"如果|假如|假设|若是|例如|比如|譬如")
SCORE_CUE = re.compile(r"(?:平均得分|得分|评分|分数|平均分|综合得分)(?:为|达|达到|是)?$")
YEAR = re.compile(r"((?:19|20)\d{2})年")


@dataclass(frozen=True)
class MetricMention:
    start: int
    end: int
    value: Decimal
    unit: str
    surface: str
    approximate: bool


def chinese_number(s: str) -> int | None:
    """五 → 5, 十二 → 12, 三百五十 → 350; None for what is not a Chinese numeral."""
    if not s or any(ch not in CN_DIGITS and ch not in CN_UNITS for ch in s):
        return None
    total, digit = 0, None
    for ch in s:
        if ch in "零〇" and total:
            continue  # 一百零五: the zero only holds a place
        if ch in CN_DIGITS:
            if digit is not None:
                return None  # 二三: not a number
            digit = CN_DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * CN_UNITS[ch]
            digit = None
    return total + (digit or 0)


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    units = "|".join(map(re.escape, lexicon("measure-words")))
    scales = "|".join(map(re.escape, sorted(SCALES, key=len, reverse=True)))
    cn = "零〇一二两三四五六七八九十百千"
    return re.compile(
        rf"(?P<num>\d+(?:\.\d+)?|[{cn}]+)"
        rf"(?P<approx1>多|余)?(?P<scale>{scales})?(?!分点)(?P<approx2>多|余)?"
        rf"(?P<unit>{units})"
        rf"(?P<approx3>左右|上下|许)?"
    )


def _score_metrics(text: str) -> list:
    out = []
    for m in re.finditer(r"\d+(?:\.\d+)?(?![\d.%]|[\u4e00-\u9fff]*?分)", text):
        if SCORE_CUE.search(text[max(0, m.start() - 6): m.start()]):
            out.append(MetricMention(m.start(), m.end(), Decimal(m.group()), "分", m.group() + "分", False))
    return out


def _excluded(text: str, m: re.Match, quoted: list, titles: list) -> bool:
    start, end = m.start(), m.end()
    before = text[max(0, start - 1):start]
    after = text[end:end + 3]
    num = m.group("num")
    if before and before in "第-—~～":
        return True
    if before == "至" and re.search(r"[\d零〇一二两三四五六七八九十百千万亿]$", text[max(0, start - 3):start - 1]):
        return True  # a range (5至10天), not a result (压缩至2天)
    if before.isdigit() or before == ".":
        return True
    if after.startswith(("及以上", "以上", "以下", "及以下", "-", "—", "~", "至", "+")):
        return True
    if m.group("unit") in ("日",) and re.search(r"月$", text[max(0, start - 3):start]):
        return True
    if m.group("unit") == "日" and text[end:end + 1] == "讯":
        return True
    if any(s <= start < e for s, e in titles):
        return True
    if not num[0].isdigit():
        if num == "一" or text[end:end + 1].isdigit() or any(s <= start < e for s, e in quoted):
            return True
        if m.group("unit") in ("%", "分", "元", "年"):
            return True
    return False


def _spans(pattern: str, text: str) -> list:
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]


def find(text: str, lead_spans: list) -> list:
    """Metric mentions in simplified text, excluding those inside heading sentences."""
    quoted = _spans(r"“[^”\n]*”", text)
    titles = _spans(r"《[^》\n]*》", text)
    hypothetical = [(h.start(), _sentence_end(text, h.start())) for h in HYPOTHETICAL.finditer(text)]
    out = []
    for m in _pattern().finditer(text):
        if _excluded(text, m, quoted, titles):
            continue
        if any(s <= m.start() < e for s, e in hypothetical):
            continue
        num = m.group("num")
        value = Decimal(num) if num[0].isdigit() else Decimal(chinese_number(num) or 0)
        if not num[0].isdigit() and (chinese_number(num) is None or any(s <= m.start() < e for s, e in lead_spans)):
            continue
        if m.group("scale"):
            value *= SCALES[m.group("scale")]
        unit = UNIT_ALIASES.get(m.group("unit"), m.group("unit"))
        approx = bool(m.group("approx1") or m.group("approx2") or m.group("approx3") or m.group("unit") == "余项")
        out.append(MetricMention(m.start(), m.end(), value, unit, m.group(), approx))
    taken = [(x.start, x.end) for x in out]
    out += [s for s in _score_metrics(text) if not any(a <= s.start < b for a, b in taken)]
    return sorted(out, key=lambda x: x.start)


def _sentence_end(text: str, pos: int) -> int:
    m = re.compile(r"[。！？!?\n]").search(text, pos)
    return m.end() if m else len(text)


def year_in(sentence: str) -> int | None:
    m = YEAR.search(sentence)
    return int(m.group(1)) if m else None


def measure(text: str, start: int, end: int) -> str:
    """What a number measures: the words of its clause before it, else the words right after it."""
    left = start
    while left > 0 and text[left - 1] not in "，,；;。！？!?：:、\n(（":
        left -= 1
    words = text[left:start].strip()
    words = re.sub(r"^(?:其中|共|累计|全年|目前|今年|去年|同时|此外|并|已|还|均|达|达到)+", "", words)
    if len(words) > 16:
        tail = ""
        for w in reversed(segment.words(words)):  # whole words, not a cut through one
            if len(tail) + len(w) > 16:
                break
            tail = w + tail
        words = tail
    if len(words) >= 2:
        return words
    right = end
    while right < len(text) and text[right] not in "，,；;。！？!?：:、\n" and right - end < 12:
        right += 1
    return text[end:right]
