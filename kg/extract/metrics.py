"""Metric mentions: a number, its scale and unit, what it measures, and the word that makes it approximate.

Values are normalised to base units (4.56亿元 → 456000000 元; 83.28万份 → 832800 份;
2500多万元 → 25000000 元, approximate: 多). The words that make a figure approximate are the
ontology's lexicons rk:approximate-before (约, 超过 …), -inside (多, 余), -after (左右 …) and
-clause-end (以上); a figure records the ones written with it. Years, dates, ordinals, ranges, thresholds
(90分及以上; but a result that ends its clause with 以上, 压缩40%以上。, is one,
approximate), formulas (“5+2”), numbers in document titles and hypothetical examples
(如果…) are not metrics. A change (由45个工作日压缩至7个工作日) is two figures, the one it reached
pointing to the one it started from (changes).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from .. import segment
from ..spans import Spans
from ..vocab import lexicon, lexicon_pattern, lexicon_words

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
SCALES = {"十": 10, "百": 100, "千": 1000, "万": 10**4, "十万": 10**5, "百万": 10**6, "千万": 10**7,
          "亿": 10**8, "万亿": 10**12}
UNIT_ALIASES = {"个工作日": "工作日", "余项": "项", "个百分点": "百分点"}
HYPOTHETICAL = re.compile(r"如果|假如|假设|若是")
SCORE_CUE = re.compile(r"(?:平均得分|得分|评分|分数|平均分|综合得分)(?:为|达|达到|是)?$")
YEAR = re.compile(r"((?:19|20)\d{2})年")


@dataclass(frozen=True)
class MetricMention:
    start: int
    end: int
    value: Decimal
    unit: str
    surface: str
    approximate: str   # the words that make it approximate, as written (约, 多, 约…余), "" when it is exact


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
    words = lexicon_words
    scales = "|".join(map(re.escape, sorted(SCALES, key=len, reverse=True)))
    cn = "零〇一二两三四五六七八九十百千"
    inside = words("approximate-inside")
    return re.compile(
        rf"(?P<num>\d+(?:\.\d+)?|[{cn}]+)"
        rf"(?P<approx1>{inside})?(?P<scale>{scales})?(?!分点)(?P<approx2>{inside})?"
        rf"(?P<unit>(?:{words('measure-words')})(?:(?<!次)次)?)"   # a measure word and 次 count visits (1686家次, 300台次)
        rf"(?P<approx3>{words('approximate-after')}|(?:{words('approximate-clause-end')})(?=[，,。；;、！!\n]|$))?"
    )


def _approximate(text: str, m: re.Match) -> str:
    """The words written with a figure that make it approximate, in reading order (约, 多, 约…余), "" for none."""
    unit = m.group("unit")
    inside = next((w for w in lexicon("approximate-inside") if unit.startswith(w)), None)  # 余项: an alias of 项
    marks = [_marker_before(text, m.start()), m.group("approx1"), m.group("approx2"), inside, m.group("approx3")]
    return "…".join(w for w in marks if w)


def _marker_before(text: str, start: int) -> str:
    """The word of rk:approximate-before written right before the figure at `start`, "" if none.

    Only a whole word counts (约 of 节约20万元 does not), and not one negated (不超过5个工作日 is a limit).
    """
    head = text[max(0, start - 8):start]
    if not head.endswith(lexicon("approximate-before")):
        return ""   # no marker even inside a word: no need to cut the words
    words = segment.words(head)
    if words[-1] in lexicon("approximate-before") and words[-2:-1] != ["不"]:
        return words[-1]
    return ""


def _score_metrics(text: str) -> list:
    out = []
    for m in re.finditer(r"\d+(?:\.\d+)?(?![\d.%]|[\u4e00-\u9fff]*?分)", text):
        if SCORE_CUE.search(text[max(0, m.start() - 6): m.start()]):
            out.append(MetricMention(m.start(), m.end(), Decimal(m.group()), "分", m.group() + "分", ""))
    return out


def _excluded(text: str, m: re.Match, quoted: Spans, titles: Spans) -> bool:
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
    if m.group("unit") == "周" and text[end:end + 1] == "年":
        return True  # 55周年: an anniversary
    if titles.holds(start):
        return True
    if not num[0].isdigit():
        if num == "一" or text[end:end + 1].isdigit() or quoted.holds(start):
            return True
        if m.group("unit") in ("%", "分", "元", "年"):
            return True
    return False


def _spans(pattern: str, text: str) -> Spans:
    return Spans((m.start(), m.end()) for m in re.finditer(pattern, text))


def find(text: str, lead_spans: list) -> list:
    """Metric mentions in simplified text, excluding those inside heading sentences."""
    quoted = _spans(r"“[^”\n]*”", text)
    titles = _spans(r"《[^》\n]*》", text)
    hypothetical = Spans((h.start(), _sentence_end(text, h.start())) for h in HYPOTHETICAL.finditer(text))
    leads = Spans(lead_spans)
    out = []
    for m in _pattern().finditer(text):
        if _excluded(text, m, quoted, titles):
            continue
        if hypothetical.holds(m.start()):
            continue
        num = m.group("num")
        value = Decimal(num) if num[0].isdigit() else Decimal(chinese_number(num) or 0)
        if not num[0].isdigit() and (chinese_number(num) is None or leads.holds(m.start())):
            continue
        if m.group("scale"):
            value *= SCALES[m.group("scale")]
        unit = UNIT_ALIASES.get(m.group("unit"), m.group("unit"))
        out.append(MetricMention(m.start(), m.end(), value, unit, m.group(), _approximate(text, m)))
    taken = [(x.start, x.end) for x in out]
    out += [s for s in _score_metrics(text) if not any(a <= s.start < b for a, b in taken)]
    return sorted(out, key=lambda x: x.start)


def _sentence_end(text: str, pos: int) -> int:
    m = re.compile(r"[。！？!?\n]").search(text, pos)
    return m.end() if m else len(text)


def year_in(sentence: str) -> int | None:
    m = YEAR.search(sentence)
    return int(m.group(1)) if m else None


CLAUSE_BREAK = "，,；;。！？!?：:、\n(（"
BRACKETS = {")": "(", "）": "（", "”": "“", "’": "‘", "》": "《"}
OPENERS = "".join(BRACKETS.values())
MAX_BRACKETED = 24
CLOSING = re.compile(r"[)）]")

COMPARED = re.compile(r"^(?:同比|环比|较|比)")
REACHES = "到|至"
# the figure after these is the value a change reaches (审批时间压减到50个工作日)
CHANGE_TO = re.compile(rf"(?:压缩|压减|减少|缩短|缩减|降低|下降|降|精简|提高|提升|增加|增长|扩大|减)(?:{REACHES})$")
# the year a figure is for, written right before it (由2022年的93.1%提升至2023年的97.8%)
YEAR_OF = r"(?:19|20)\d{2}年(?:底|末)?的?"
LEADING = re.compile(r"^(?:其中|共计|共有|共|累计|全年|目前|今年|去年|同时|此外|并|已经|已有|已|还|均|先后|陆续|"
                     rf"达到|达|将|把|对|向|为|的|{YEAR_OF})+")
# the figure after these opens a change (由原来45个工作日压缩到7个, 由2022年的93.1%): what stands before them is measured
CHANGE_FROM = re.compile(rf"[由从](?:原来的?|原先的?|原|{YEAR_OF}|[\u4e00-\u9fff]{{1,5}}时的|[\u4e00-\u9fff]{{1,3}}前的)?$")
# what stands between the two figures of a change (由45个工作日压缩至7个工作日, 从720万元涨到1860万元): a few
# words of its clause that end with 到 or 至
CHANGE_GAP = re.compile(rf"[^{CLAUSE_BREAK}\d]{{0,6}}(?:{REACHES})(?:{YEAR_OF})?")


def year_before(text: str, start: int) -> int | None:
    """The year written right before the figure at `start` (由2022年的93.1%提升至2023年的97.8%: 2022, 2023)."""
    m = re.search(rf"{YEAR_OF}$", text[max(0, start - 8):start])
    return int(m.group()[:4]) if m else None


def changes(text: str, mentions: list) -> dict:
    """Index of each figure a change reaches -> index of the figure it changed from, among `mentions` (in text
    order): 由原来的45个工作日压缩至7个工作日, 从720万元涨到1860万元; the two figures follow each other in one
    clause, the first opened by 由 or 从."""
    return {i: i - 1 for i, (a, b) in enumerate(zip(mentions, mentions[1:]), 1)
            if CHANGE_FROM.search(text, max(0, a.start - 12), a.start) and CHANGE_GAP.fullmatch(text, a.end, b.start)}


def measure(text: str, start: int, end: int) -> str:
    """What a number measures (_whole: from its first word to its last), as _measure finds it."""
    return _whole(_measure(text, start, end))


def _whole(words: str) -> str:
    """Words from their first word to their last: not from the punctuation or the bracket before it (、联审 …,
    (支持)事项, an opening quote that closes nowhere), nor to an opening quote after (事项整合为“一个平台”: 事项整合为);
    a quotation that opens them and closes in them stays (“银龄安康工程”累计投入财政资金)."""
    while words and unicodedata.category(words[0]).startswith("P"):
        closer = next((c for c, o in BRACKETS.items() if o == words[0]), "")
        ends = words.find(closer, 1) if closer else -1
        if ends > 0 and closer not in ")）":
            break
        words = words[ends + 1 if ends > 0 else 1:]
    return words.rstrip(OPENERS)


def _measure(text: str, start: int, end: int) -> str:
    """What a number measures: the words of its clause before it, else the words right after it.

    An earlier figure in the clause ends what it measures (发放贷款856笔、金额1.5亿元) unless
    it opens a change (由5天减少至1.17天, 由原来45个: both ends measure what stands before 由, and
    so does the value a change reaches, 审批时间压减到50个工作日: 审批时间); when, where
    (a locality that opens the clause) and linking words (达, 为 …) are left out; when no
    words are left, or only verbs, the noun after the number joins them (完成327个不见面开标
    → 完成不见面开标), and counts listed together share what follows the last (105个乡镇、
    1079个村陆续开展…); a measure of verbs alone takes the object of the figure before it
    (受理矛盾纠纷1221件，成功化解1005件 → 成功化解矛盾纠纷). A change against another time (同比提升12.2%, 较年初增长3.44%) measures
    what the figure before it in the sentence measures, and so does a figure listed right
    after another (856笔、1.53亿元).
    """
    left = _clause_start(text, start)
    words = _own_words(text[left:start].strip())
    earlier = _figure_before(text, left)
    if earlier and (COMPARED.match(words) or (not words and earlier.end() == left - 1)):
        return measure(text, earlier.start(), earlier.end()) + words
    if (opening := CHANGE_FROM.search(words)) and opening.start() >= 2:
        return words[:opening.start()]  # 人员由175人精简至80人: 175人 measures 人员
    if (target := CHANGE_TO.search(words)) and target.start() >= 2:
        return words[:target.start()]  # 审批时间压减到50个工作日: the time, now 50 days
    after = _noun_after(text, end)
    counted = re.sub(r"^(?:以内|以下|以上|内|左右)", "", after)
    if counted and _starts_with_noun(counted):
        return _last_words(words, 8) + counted + _shared_predicate(text, end + len(after))
    if words and not counted and earlier and _counts(text[start:end]) and _without_noun(words):
        # 受理矛盾纠纷1221件，成功化解1005件: what is 化解 is the object of the figure before
        return words + _object_of(measure(text, earlier.start(), earlier.end()))
    if len(words) >= 2 and not _only_verbs(words):
        return words
    return words + counted


def _object_of(words: str) -> str:
    """The words after the last verb of a measure (综治中心共受理矛盾纠纷 → 矛盾纠纷), '' when it has none."""
    tags = segment.tagged(words)
    verb = max((i for i, (_, flag) in enumerate(tags[:-1]) if flag in ("v", "vn")), default=None)
    return "" if verb is None else "".join(w for w, _ in tags[verb + 1:])


def _clause_start(text: str, pos: int) -> int:
    """Where the clause before `pos` begins; a bracket or a quotation inside it is part of it
    (下放管理事项镇(办)覆盖率, 办理“网上申领、邮寄发票”业务)."""
    left = pos
    while left > 0 and text[left - 1] not in CLAUSE_BREAK:
        opener = BRACKETS.get(text[left - 1])
        inner = text.rfind(opener, max(0, left - 1 - MAX_BRACKETED), left - 1) if opener else -1
        left = inner if inner >= 0 and not any(c in "。；;\n" for c in text[inner:left]) else left - 1
    return left


def _shared_predicate(text: str, pos: int) -> str:
    """What counts listed with 、 share (105个乡镇、1079个村陆续开展“三变”改革: 乡镇 too 陆续开展…):
    the words after the noun of the last count, when a count follows `pos` directly."""
    last = None
    while text[pos:pos + 1] == "、" and (m := _pattern().match(text, pos + 1)) and m.group("num")[0].isdigit():
        last = _noun_after(text, m.end())
        pos = m.end() + len(last)
    if last is None:
        return ""
    tags = segment.tagged(last)
    nouns = next((i for i, (_, flag) in enumerate(tags) if flag.startswith(("v", "d", "p", "a"))), len(tags))
    return "".join(w for w, _ in tags[nouns:]) if nouns else ""


def _closing(text: str, opening: int) -> int:
    """Where the bracket opened at `opening` closes, within a few characters, else -1."""
    close = CLOSING.search(text, opening + 1, opening + 1 + MAX_BRACKETED)
    return close.start() if close and not re.search(r"[，,。；;\n]", text[opening:close.start()]) else -1


def _starts_with_noun(words: str) -> bool:
    tags = segment.tagged(words)
    return bool(tags) and tags[0][1].startswith("n") and tags[0][1] not in ("nr", "ns")


def _figure_before(text: str, pos: int) -> re.Match | None:
    """The last figure written with digits before `pos` in its sentence (up to a semicolon)."""
    begin = pos
    while begin > 0 and text[begin - 1] not in "。！？!?；;\n":
        begin -= 1
    figures = [m for m in _pattern().finditer(text, begin, pos) if m.group("num")[0].isdigit()]
    return figures[-1] if figures else None


def _own_words(words: str) -> str:
    """The words of a clause before its number that say what the number measures; the 由 … that opens a
    change stays after them, not counted in their length (满意度由2022年的93.1%)."""
    figures = [m for m in _pattern().finditer(words) if m.group("num")[0].isdigit()]
    if figures:
        last = figures[-1]
        change = CHANGE_FROM.search(words[:last.start()])
        after = "" if change else _trimmed(words[last.end():])
        words = after if len(after) >= 2 else words[:change.start() if change else figures[0].start()]
    opening = CHANGE_FROM.search(words)
    if opening and opening.start():
        return _last_words(_trimmed(words[:opening.start()]), 16) + opening.group()
    return _last_words(_trimmed(words), 16)


def _trimmed(words: str) -> str:
    """Words without the place, time and adverbs that open them and the linking words that close them."""
    while (shorter := LEADING.sub("", _without_place(words))) != words:
        words = shorter
    return _trailing().sub("", words)


@lru_cache(maxsize=1)
def _trailing() -> re.Pattern:
    """Words that only link a measure to its number (审减率达19.3%, 金额为, 费用约), the approximate-before ones too."""
    return re.compile(rf"(?:达到|达|为|是|共计|共有|共|有|{lexicon_words('approximate-before')}|多达|计|合计|总计|的|了|也|已)+$")


def _without_place(words: str) -> str:
    """The words without the locality that opens them (同心县实现… → 实现…)."""
    from ..gazetteer import gazetteer
    g = gazetteer()
    hit = g.hit_at_start(words)
    if hit and (not hit.short or any(g.unit(c).level != "county" for c in hit.codes)):
        return words[hit.end:]
    ref = lexicon_pattern("locality-references").match(words)
    return words[ref.end():] if ref else words


def _last_words(words: str, limit: int) -> str:
    """The last whole words of `words` within `limit` characters, not a cut through one, nor through a
    quotation or a bracket (_quoted)."""
    if len(words) <= limit:
        return words
    tail = ""
    for w in reversed(segment.words(words)):
        if len(tail) + len(w) > limit:
            break
        tail = w + tail
    return _quoted(words, tail)


def _quoted(words: str, tail: str) -> str:
    """`tail`, an ending of `words`, from the opening of the quotation or bracket that it closes and does not
    open (“预审、联审、代办”3项机制联动: not 、联审、代办”机制联动, which starts inside it)."""
    closing = max((i for i, ch in enumerate(tail) if ch in BRACKETS and BRACKETS[ch] not in tail[:i]), default=None)
    if closing is None:
        return tail
    opening = words.rfind(BRACKETS[tail[closing]], 0, len(words) - len(tail) + closing)
    return words[opening:] if opening >= 0 else tail[closing + 1:]


def _counts(surface: str) -> bool:
    """A count of things (1005件), not a score, a rate or an amount (97.42, 30%, 1.5亿元)."""
    return not re.search(r"[\d%分元]$", surface)


def _without_noun(words: str) -> bool:
    """Only verbs, adverbs and adjectives (成功化解): a measure that does not say what it counts."""
    return all(flag.startswith(("v", "d", "a")) and flag != "vn" for _, flag in segment.tagged(words))


def _only_verbs(words: str) -> bool:
    return all(flag.startswith("v") for _, flag in segment.tagged(words))


def _noun_after(text: str, end: int) -> str:
    """The words after a number up to the end of its clause, the next figure or a conjunction; a
    bracket is part of them."""
    right = end
    while right < len(text) and right - end < 12:
        if text[right] in "(（" and (close := _closing(text, right)) > 0:
            right = close + 1   # 151个村(社区)建立便民服务站: the bracket is part of the noun
            continue
        if text[right] in CLAUSE_BREAK:
            break
        right += 1
    after = text[end:right]
    if nxt := _pattern().search(after):
        after = after[:nxt.start()]
    return re.split(r"[和及与并]", after.lstrip("的"), maxsplit=1)[0]
