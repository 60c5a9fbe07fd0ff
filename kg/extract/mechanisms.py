"""Mechanism mentions: thesaurus terms, quoted names, formulas, numbered schemes, head-noun phrases.

Rules, each named so that every statement can say which rule produced it:
- `quoted-head`: a quoted name followed by a practice head (“全覆盖+双监控”绩效监管, “六免”服务);
- `quoted-formula`: a quoted formula X+Y (“1+2+N”), or a numbered scheme (“四张网”, “五个一”) after an adoption verb;
- `quoted-object`: a bare quotation an adoption verb governs (推行“我帮你办”), or listed right after one;
- `thesaurus`: a term of the SKOS thesaurus, quoted or as the object of an adoption verb, or in a heading;
- `noun-phrase`: a noun phrase headed by 机制/模式/体系/平台 … (建言献策平台, 项目动态调整机制);
- `verb-object`: what a practice verb (实施, 实行, 推行 …) governs to the end of its clause, each listed
  item apart (实施战略性重组、专业化整合), unless it is a goal, a quality, a vague means or a clause;
- `scheme-part`: a part of a numbered scheme, listed as 一是… (“五个一批” … 一是内部挖潜一批);
- `plan`: a plan or rules an adoption verb puts in force (启动《DRG医保支付方式改革三年行动计划》);
- `heading-name`: what a heading line names before its dash (集中采购电子化——让每一笔采购可追溯);
- `instrument`: the means of 以X为抓手/为突破口 (以全链条管理机制为抓手) or the cause of 在X的推动下,
  unless X is a field (票据管理).
Goals and praise (ontology lexicon `goal-phrases`, `non-mechanism-heads`) are not mechanisms, nor
is the role a practice is given (作为健全现代财政体系的抓手), nor the ends of a change (从“一件事”到“一类事”).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from .. import segment
from . import localities
from ..link import canonical, strip_generic_suffix, thesaurus_automaton
from ..spans import Spans
from ..vocab import concept_by_label, lexicon, lexicon_pattern, lexicon_words, thesaurus

QUOTE = re.compile(r"[“\"「『‘]([^“”\"「」『』‘’\n]{1,24})[”\"」』’]")
CN_NUMERAL = "一二两三四五六七八九十百千双"
# 一 opens too many plain phrases (“一摞材料”) to mark a scheme on its own
NUMBERED = re.compile(rf"^[{CN_NUMERAL[1:]}][{CN_NUMERAL}]*[\u4e00-\u9fff]{{1,4}}$")
FORMULA = re.compile(r"\+|＋")
COUNT = re.compile(rf"[\d{CN_NUMERAL}]+[个项条]")  # 形成90个定额标准: a count, no modifier of the term
COUNT_OF_PARTS = re.compile(rf"[{CN_NUMERAL}][\u4e00-\u9fff]")
CLAUSE_BREAK = "，,；;。！？!?：:\n、“”《》()（）"
MAX_MODIFIER = 16
QUOTED_OBJECT_REACH = 12
SENTENCE_MARK = re.compile(r"[，,。！？!?；;]")
# a short bracketed gloss inside a term: DRG（疾病诊断相关分组）付费, PPP（政府和社会资本合作）模式
GLOSS = re.compile(r"(?<=[A-Za-z\u4e00-\u9fff])[（(][^（）()\n]{2,20}[）)](?=[A-Za-z\u4e00-\u9fff])")


@dataclass(frozen=True)
class MechanismMention:
    start: int
    end: int
    label: str           # as written, quotes kept
    rule: str
    core: str = ""       # the quoted name, for names read from quotes
    key: str = ""        # canonical key, set by kg.link: one node per practice
    concepts: tuple = ()  # thesaurus concepts it falls under, set by kg.link


@lru_cache(maxsize=None)
def _verbs() -> re.Pattern:
    """Every adoption verb at every position, overlapping ones included."""
    return re.compile("(?=(" + "|".join(map(re.escape, sorted(lexicon("adoption-verbs")))) + "))")


LEVEL_ITEMS = re.compile(r"(?:[\u4e00-\u9fff]{1,2}、)+$")
LEVELS = re.compile(rf"[\u4e00-\u9fff]{{1,2}}[{CN_NUMERAL[1:]}]级")


@lru_cache(maxsize=4)
def _clause_starts(text: str) -> list:
    """The positions right after each clause break of `text` (asked of one text many times: its hash is kept)."""
    return [m.end() for m in re.finditer(f"[{re.escape(CLAUSE_BREAK)}]", text)]


def _clause_before(text: str, pos: int) -> str:
    """The clause up to `pos`; a list of levels (县、乡、村三级便民服务体系) is one modifier, not a list."""
    starts = _clause_starts(text)
    start = pos
    while True:
        start = _last_start(starts, start)
        items = LEVEL_ITEMS.search(text, max(0, start - 12), start) if text[start - 1:start] == "、" else None
        if not (items and LEVELS.match(text, start)):
            return text[start:pos]
        start = items.start()


def _is_goal(core: str) -> bool:
    return canonical(core).startswith(lexicon("goal-phrases"))


def _quoted(text: str, leads: set, sentence_starts: list) -> list:
    out = []
    practice = lexicon_pattern("practice-heads")
    mech_heads = lexicon_pattern("mechanism-heads")
    non_mech = lexicon_pattern("non-mechanism-heads")
    for m in QUOTE.finditer(text):
        core = m.group(1).strip()
        if len(canonical(core)) < 2 or re.fullmatch(r"[\d.%]+", canonical(core)):
            continue
        if _from_or_to(text, m.start()):
            continue  # 从“一件事”到“一类事”: a change described, not practices named
        if text.startswith("的“", m.end()):
            continue  # 矛盾纠纷“不上岸”的“海上枫桥”体系: it says what the next name does
        after = text[m.end(): m.end() + MAX_MODIFIER + 4]
        head_end = _head_end(after, practice, mech_heads, non_mech)
        if head_end is None:
            continue  # a goal or principle: “……”的工作目标, “项目为王”工作理念
        if _is_goal(core) and not head_end:
            continue  # a goal is a practice only when the text names it as one: “提质增效”行动方案
        if head_end > 0:
            label = text[m.start(): m.end() + head_end]
            out.append(_mention(m.start(), m.end() + head_end, label, core, "quoted-head"))
            continue
        if head := next((h for h in lexicon("mechanism-heads") if core.endswith(h)), None):
            if _names_kind(core[:-len(head)]):
                out.append(_mention(m.start(), m.end(), m.group(), core, "quoted-head"))
            continue  # “新机制”: a new mechanism, said, not named
        if non_mech.fullmatch(core[-2:]) or non_mech.fullmatch(core[-1:]):
            continue
        if strip_generic_suffix(canonical(core)) in concept_by_label():
            out.append(_mention(m.start(), m.end(), m.group(), core, "thesaurus"))
        elif (FORMULA.search(core) or NUMBERED.match(canonical(core))) and (
                _verb_before(text, m.start(), 6) >= 0 or _last_start(sentence_starts, m.start()) in leads):
            out.append(_mention(m.start(), m.end(), m.group(), core, "quoted-formula"))
        elif not SENTENCE_MARK.search(core) and not _is_goal(core) and (
                _verb_before(text, m.start(), QUOTED_OBJECT_REACH, outcomes=False) >= 0 or _listed_with(out, text, m.start())):
            tail = _noun_after(text, m.end())
            out.append(_mention(m.start(), m.end() + len(tail), m.group() + tail, core, "quoted-object"))
    return out


def _names_kind(modifier: str) -> bool:
    """Whether the words before a head name which one it is: a count (“四单”机制) or two characters and more."""
    return len(modifier) >= 2 or bool(re.fullmatch(rf"[{CN_NUMERAL}A-Za-z\d]", modifier))


def _from_or_to(text: str, pos: int) -> bool:
    """A quotation written as one end of a change: after 从, or after 到 that follows 从“…”."""
    before = text[pos - 1:pos]
    return before == "从" or (before == "到" and bool(re.search(r"从“[^”]{1,24}”$", text[max(0, pos - 28):pos - 1])))


def _as_role(text: str, mention) -> bool:
    """A name after 作为 in its clause, or in a list after it, is the role given to a practice
    (把X作为健全现代财政体系、推进政府过紧日子的重要抓手)."""
    item = mention.start - len(_clause_before(text, mention.start))
    first = _enumeration_start(text, item)
    return "作为" in _clause_before(text, first) + text[first:mention.start]


def _noun_after(text: str, pos: int) -> str:
    """The short noun a quotation modifies (“起底式”清查), '' for none or for a longer phrase the
    quotation names the kind of (推行‘我帮你办’志愿服务团队帮办代办业务: the practice is ‘我帮你办’)."""
    tail = re.match(r"[\u4e00-\u9fffA-Za-z]*", text[pos:pos + MAX_MODIFIER]).group()
    tail = re.split("[的等与和及]", tail)[0]
    return "" if tail.startswith("之") or len(tail) > 6 else tail


def _listed_with(found: list, text: str, start: int) -> bool:
    """The quotation follows an accepted one directly or after 、: “党建+网格治理”“党建+市场治理”."""
    return bool(found) and found[-1].end >= start - 1 and text[found[-1].end:start] in ("", "、")


def _head_end(after: str, practice, mech_heads, non_mech):
    """Length of the head phrase right after a quotation: 0 for none, None for a goal head."""
    stop = len(after)
    for i, ch in enumerate(after):
        if ch in CLAUSE_BREAK or ch in "“”、的":
            stop = i
            break
    window = after[:stop].split("作为")[0]   # “稳就业”作为重大民生工程: 工程 is its role, not its head
    if window.startswith(lexicon("goal-phrases")):
        return None  # 打造“六最”营商环境: the quotation qualifies a goal
    if not window and after.startswith("的"):
        # “评估—监控—评价—应用”的管理闭环
        rest = _head_end(after[1:], practice, mech_heads, non_mech)
        return rest + 1 if rest else rest
    best = 0
    for m in mech_heads.finditer(window):
        best = max(best, m.end())
    if best:
        return best
    pm = practice.match(window)
    if pm is None and (count := COUNT_OF_PARTS.match(window)):
        # a head after a count of the quoted parts: “问题清单、整改清单、责任清单”三单管理
        pm = practice.match(window, count.end())
    if pm and not non_mech.match(window, pm.end()):
        return pm.end()
    nm = non_mech.search(window[:6])
    if nm and nm.start() <= 4:
        return None
    return 0


def _mention(start: int, end: int, label: str, core: str, rule: str) -> MechanismMention:
    return MechanismMention(start, end, label, rule, core=core)


def _verb_before(text: str, pos: int, reach: int, outcomes: bool = True) -> int:
    """End of the nearest adoption verb before `pos` in its clause, at most `reach` characters away, or -1;
    with `outcomes=False`, -1 also when that nearest verb names a result (通过预约实现“免跑办”)."""
    clause = _clause_before(text, pos)[-(reach + 4):]
    best, verb = max(((m.start() + len(m.group(1)), m.group(1)) for m in _verbs().finditer(clause)),
                     default=(-1, ""))
    if best < 0 or (not outcomes and verb in lexicon("outcome-verbs")):
        return -1
    gap = clause[best:]
    gap = gap.lstrip("了起好")
    if len(gap) > reach or any(b in gap for b in _breakers()):
        return -1
    return pos - len(gap)


@lru_cache(maxsize=1)
def _breakers() -> tuple:
    return tuple(lexicon("phrase-breakers"))


def _in_enumeration(text: str, start: int, end: int) -> bool:
    return text[start - 1:start] == "、" or text[end:end + 1] == "、"


def _enumeration_start(text: str, start: int) -> int:
    """Where the list holding the item at `start` begins (X、Y、Z: the position of X)."""
    while start > 0 and text[start - 1] == "、":
        item = start - 1
        while item > 0 and text[item - 1] not in CLAUSE_BREAK:
            item -= 1
        start = item
    return start


def _opens_with_verb(text: str, start: int) -> bool:
    return any(m.start() <= 2 for m in _verbs().finditer(text[start:start + 6]))


def _term_spans(text: str):
    """(start, last, term, iri) of every thesaurus term, also those a bracketed gloss interrupts."""
    for end, (term, iri) in thesaurus_automaton().iter(text):
        yield end - len(term) + 1, end, term, iri
    glosses = list(GLOSS.finditer(text))
    if not glosses:
        return
    kept, origin, last = [], [], 0
    for gloss in glosses:
        kept.append(text[last:gloss.start()])
        origin.extend(range(last, gloss.start()))
        last = gloss.end()
    kept.append(text[last:])
    origin.extend(range(last, len(text)))
    for end, (term, iri) in thesaurus_automaton().iter("".join(kept)):
        start, stop = origin[end - len(term) + 1], origin[end]
        if stop - start + 1 > len(term):  # a gloss lies inside: the plain match was found above
            yield start, stop, term, iri


def _thesaurus_terms(text: str, leads: set, sentence_starts: list) -> tuple:
    """(accepted, candidates): a term is accepted as the object of an adoption verb or in a heading."""
    accepted, candidates = [], []
    for start, end, term, iri in _term_spans(text):
        mention = MechanismMention(start, end + 1, term, "thesaurus")
        if not thesaurus()[iri].practice:
            candidates.append(mention)  # a field (预算管理, 政务服务改革) or a place, not a practice, unless quoted
            continue
        in_lead = _last_start(sentence_starts, start) in leads
        listed = _in_enumeration(text, start, end + 1)
        if listed and _opens_with_verb(text, _enumeration_start(text, start)):
            accepted.append(mention)  # 采用成本效益分析法、作业成本法等方法: the verb governs the list
            continue
        begin = _verb_before(text, start, 4)
        if not listed and begin >= 0 and begin < start and not COUNT.search(text, begin, start):
            # the object of the verb, with its modifier: 试行非税收入绩效评价
            label = text[begin:end + 1]
            accepted.append(MechanismMention(begin, end + 1, label, "thesaurus"))
        elif not listed and (begin >= 0 or in_lead or _given_a_role(text, start, end + 1)):
            accepted.append(mention)
        else:
            candidates.append(mention)
    return accepted, candidates


def _given_a_role(text: str, start: int, end: int) -> bool:
    """将网格化服务管理作为健全基层治理体系的重要内容: the practice a locality makes the means of a goal."""
    return _clause_before(text, start).endswith(("将", "把")) and text.startswith("作为", end)


def _last_start(starts: list, pos: int) -> int:
    """The last of the sorted `starts` at or before `pos` (of a sentence, a clause), 0 for none."""
    i = bisect_right(starts, pos)
    return starts[i - 1] if i else 0


def _noun_phrases(text: str) -> list:
    """Noun phrases ending in a mechanism head, introduced by an adoption verb (构建建言献策平台)."""
    out = []
    generic = _generic_words()
    for m in lexicon_pattern("mechanism-heads").finditer(text):
        if text[m.end():m.end() + 1] in ("性", "化"):
            continue
        begin = _verb_before(text, m.start(), MAX_MODIFIER)
        if begin < 0:
            continue
        modifier = text[begin:m.start()]
        if len(modifier) < 2 or modifier in generic or re.match(rf"[\d{CN_NUMERAL}]", modifier):
            continue
        label = modifier + m.group()
        if not label.endswith(lexicon("vague-object-heads")):  # 创新行政审批管理体制机制: said vaguely
            out.append(MechanismMention(begin, m.end(), label, "noun-phrase"))
    return out


UNQUOTED_FORMULA = re.compile(r"[\u4e00-\u9fff]{2,10}(?:\+[\u4e00-\u9fff]{2,10})+")


def _unquoted_formulas(text: str, leads: set, sentence_starts: list) -> list:
    """X+Y written without quotes (部门自评+专家会审+财政复核), after an adoption verb or in a heading."""
    out = []
    for m in UNQUOTED_FORMULA.finditer(text):
        if text[m.start() - 1:m.start()] in "“\"「『" or text[m.end():m.end() + 1] in "”\"」』":
            continue  # quoted: read by _quoted
        begin = _verb_before(text, m.start() + 1, MAX_MODIFIER)
        start = begin if begin >= 0 else m.start()
        if begin < 0 and _last_start(sentence_starts, m.start()) not in leads:
            continue
        out.append(MechanismMention(start, m.end(), text[start:m.end()], "unquoted-formula"))
    return out


@lru_cache(maxsize=1)
def _practice_verbs() -> re.Pattern:
    return re.compile("(" + "|".join(map(re.escape, sorted(lexicon("practice-verbs"), key=len, reverse=True))) + ")[了起]?")


OBJECT_STOP = re.compile(r"[，,；;。！？!?：:\n“”《》()（）等并\d]")
OBJECT_ITEM = (3, 14)


def _verb_objects(text: str) -> list:
    """What a practice verb governs, to the end of its clause, each item of a list apart:
    实施战略性重组、专业化整合; 实行招标文件零收费. The verb must be a word of its own (not 实施期);
    a list closed by 等 and a vague head (采取滚动储备、要素保障等举措) names means, not practices."""
    out = []
    vague = lexicon_pattern("vague-object-heads")
    for m in _practice_verbs().finditer(text):
        stop = OBJECT_STOP.search(text, m.end())
        end = stop.start() if stop else len(text)
        if text[end:end + 1] in "“《" or (text[end:end + 1] == "等" and vague.search(text[end + 1:end + 8].split("，")[0])):
            continue  # the object modifies a quoted name (推行土地出让、规划许可“三证同发”), read by _quoted
        items = text[m.end():end].split("、")
        if text[m.start() - 1:m.start()] == "、" or not items[0]:
            items = items[:1]  # a verb inside a list item governs its item: 取消审批、实行告知承诺制、优化审批服务
        pos, objects = m.end(), []
        for item in items:
            start, pos = pos, pos + len(item) + 1
            if item.startswith(lexicon("direction-words")):
                break  # a direction, not an object: 推广至五个预算单位
            if _names_practice(item):
                objects.append(MechanismMention(start, start + len(item), item, "verb-object"))
        if objects and _whole_word(text, m.start(), m.start() + len(m.group(1))):   # the costly test last
            out += objects
    return out


def _field(label: str) -> bool:
    """A field (预算管理, 票据管理), not a practice: a thesaurus term with nothing broader, or a
    generic head with a word of two characters before it."""
    wording = canonical(label)
    iri = concept_by_label().get(strip_generic_suffix(wording))
    if iri:
        return not thesaurus()[iri].practice
    return any(wording.endswith(h) and len(wording) - len(h) <= 2 for h in lexicon("practice-heads"))


@lru_cache(maxsize=1)
def _instrument_pattern() -> re.Pattern:
    return re.compile(rf"以([^，,。；;：:\n、]{{2,24}}?)为(?:{lexicon_words('instrument-words')})"
                      rf"|(?:在|随着)([^，,。；;：:\n、]{{3,20}}?)的(?:{lexicon_words('driving-words')})下")


def _instruments(text: str) -> list:
    """The means 以X为抓手 names, or the cause 在X的推动下 does, each item of X apart
    (以告知承诺制和“一业一证”改革为突破口, 在集成授权改革的推动下)."""
    out = []
    for m in _instrument_pattern().finditer(text):
        means = 1 if m.group(1) else 2
        pos = m.start(means)
        for item in re.split("[和与及]", m.group(means)):
            if _names_practice(canonical(item), framed=True) and not _field(item):
                named = _known_term_in(item, pos) if means == 2 else None  # 在X高效运转的助力下: X is the practice
                out.append(named or MechanismMention(pos, pos + len(item), item, "instrument"))
            pos += len(item) + 1
    return out


def _known_term_in(item: str, pos: int):
    """The thesaurus term an item names with words around it (嵩明县综治中心高效运转 → 综治中心), or None."""
    terms = [(end - len(term) + 1, end + 1, term) for end, (term, _) in thesaurus_automaton().iter(item)]
    if not terms:
        return None
    start, end, term = min(terms, key=lambda t: (t[0], -t[1]))
    return MechanismMention(pos + start, pos + end, term, "instrument") if end - start < len(item) else None


def _names_practice(item: str, framed: bool = False) -> bool:
    """An object that can name a practice: not generic, a goal, a quality (可行性), a means said vaguely,
    or a clause of its own (结果进行梳理, 促进中小企业发展). One `framed` by words that mark both its
    ends (以…为抓手, a heading's dash) may be longer than one read to the end of its clause."""
    if not OBJECT_ITEM[0] <= len(item) <= OBJECT_ITEM[1] + 6 * framed or "的" in item or item.endswith("性"):
        return False
    if item in _generic_words() or any(g in item for g in lexicon("goal-phrases")):
        return False
    if _opens_with_verb(item, 0) or item.startswith(_breakers()) or "进行" in item:
        return False
    tail = item[-2:]
    return not (lexicon_pattern("non-mechanism-heads").search(tail) or lexicon_pattern("vague-object-heads").search(tail))


@lru_cache(maxsize=1)
def _generic_words() -> frozenset:
    return frozenset(lexicon("practice-heads")) | frozenset(lexicon("generic-modifiers"))


def _whole_word(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is one word of jieba's segmentation of its neighbourhood."""
    left = max(0, start - 6)
    pos = left
    for word in segment.words(text[left:end + 6]):
        if pos == start:
            return pos + len(word) == end
        pos += len(word)
    return False


def _widest(found: list) -> list:
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    out = []
    for m in found:
        if out and m.start < out[-1].end:
            continue
        if m.rule == "quoted-head" or not _is_goal(m.label):
            out.append(m)
    return out


# a heading line that names a practice and then says what it does: 集中采购电子化——让每一笔采购可追溯
HEADED_NAME = re.compile(r"^(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+[、.．]|\d+[、.．])?"
                         r"([^\n，,。；;：:—︱|｜\d]{3,16})(?:——|—)[^\n。！？!?]{2,24}$", re.M)


def _headed_names(text: str) -> list:
    """The name a heading line gives before its dash, unless it is a place (重庆奉节——…); a colon
    more often ends a label of the page (上一篇：, 责任编辑：) or a title's place (海陵区：…)."""
    return [MechanismMention(m.start(1), m.end(1), m.group(1), "heading-name") for m in HEADED_NAME.finditer(text)
            if _names_practice(canonical(m.group(1)), framed=True) and not localities.find(m.group(1))]


BOOK_TITLE = re.compile(r"《([^《》\n]{4,40})》")


def _plans(text: str) -> list:
    """A plan or rules an adoption verb puts in force: 启动《DRG医保支付方式改革三年行动计划》."""
    return [MechanismMention(m.start(), m.end(), m.group(), "plan") for m in BOOK_TITLE.finditer(text)
            if m.group(1).endswith(lexicon("plan-heads")) and _verb_before(text, m.start(), 6) >= 0]


SCHEME_OF_PARTS = re.compile(rf"“[{CN_NUMERAL[1:]}]个([\u4e00-\u9fff]{{2,3}})”")


def _scheme_parts(text: str) -> list:
    """The parts of a numbered scheme, each listed as 一是…, 二是…: after “五个一批”, 一是内部挖潜一批."""
    out = []
    for scheme in SCHEME_OF_PARTS.finditer(text):
        part = re.compile(rf"[{CN_NUMERAL}]是([\u4e00-\u9fff]{{1,8}}{re.escape(scheme.group(1))})")
        out += [MechanismMention(m.start(1), m.end(1), m.group(1), "scheme-part")
                for m in part.finditer(text, scheme.end())]
    return out


def find(text: str, lead_starts: set, sentence_starts: list) -> tuple:
    """(mentions, candidates) in simplified text; overlapping mentions keep the widest.

    Candidates are thesaurus terms named without an adoption cue: they are not adopted
    on their own, but may still be the mechanism a metric of their sentence yields from.
    """
    accepted, candidates = _thesaurus_terms(text, lead_starts, sentence_starts)
    mentions = _widest([m for m in _quoted(text, lead_starts, sentence_starts) + _noun_phrases(text) + accepted
                        + _instruments(text) + _headed_names(text) + _plans(text) + _scheme_parts(text)
                        + _unquoted_formulas(text, lead_starts, sentence_starts) if not _as_role(text, m)])
    taken = Spans((m.start, m.end) for m in mentions)
    objects = [o for o in _verb_objects(text) if not taken.overlaps(o.start, o.end)]
    mentions = sorted(mentions + objects, key=lambda m: m.start)
    taken = Spans((m.start, m.end) for m in mentions)
    free = [c for c in candidates if not taken.overlaps(c.start, c.end) and not _as_role(text, c)]
    return mentions, _widest(free)
