"""Locality mentions: gazetteer names, designated zones, and the article's own locality.

Full names are taken as they stand. A short name (临清 for 临清市) is taken only where the
text confirms it: the full name of the same unit appears in the article, the short
name prefixes a child (德州天衢新区, 济宁任城区), or the article names a unit above it
and speaks of a unit of its level as its own (全县, 该县 for 新晃 in an article of
湖南日报), the short name not being part of a longer word (通道 in 绿色通道; nor is a
two-character full name: 开县 in 离不开县镇村). An
outlet is named after its place: short names of provinces and cities in it are taken
as they stand (湖南日报, 自贡融媒), and so is a province's short name a verb follows (浙江探索, 北京围绕); a
short name right after its province (福建宁德) or listed after a sibling (宁德、泉州) is
confirmed by it. A zone (新区, 开发区 …) is named by the characters
before its suffix and belongs to the city written before it; written bare (高新区), it
is the zone of the one city the title or source names.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache

from .. import segment
from ..gazetteer import Unit, gazetteer
from ..model import Locality
from ..spans import Spans
from ..vocab import lexicon, lexicon_pattern

NOT_IN_ZONE_NAME = set("的在将和与及为对把向从等全该本我各是了、，,。:：;；“”《》()（） ")
LEVEL_RANK = {"province": 0, "city": 1, "county": 2, "zone": 3}


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    locality: Locality
    prefix: bool = False     # a parent written before its child (济宁市 in 济宁市任城区)


@lru_cache(maxsize=None)
def unit_locality(code: str) -> Locality:
    g = gazetteer()
    u: Unit = g.unit(code)
    parent = unit_locality(u.parent) if u.parent else None
    return Locality(key=u.code, name=u.name, code=u.code, level=u.level, parent=parent)


def zone_locality(name: str, parent: Locality | None) -> Locality:
    key = f"zone:{parent.key if parent else ''}:{name}"
    return Locality(key=key, name=name, level="zone", parent=parent)


def _zone_pattern() -> re.Pattern:
    return lexicon_pattern("zone-suffixes")


def _choose(codes: tuple, named: set) -> str:
    """Pick among units sharing a name: one whose ancestor the article names, else the first."""
    g = gazetteer()
    for code in codes:
        if any(a.code in named for a in g.ancestors(code)):
            return code
    return codes[0]


def find(text: str, known: frozenset = frozenset(), *, outlet: bool = False, lone: bool = False) -> list:
    """Locality mentions in simplified text, in order of position.

    `known` holds codes named in full elsewhere (the title, the source line): they
    confirm short names in this text. `outlet` reads the text as the name of an outlet.
    `lone` is for an article that names no locality otherwise: a short name that only one
    unit bears is taken where the text speaks of a unit of its level as its own (钟楼 and 全区).
    """
    g = gazetteer()
    hits = g.hits(text)
    full_codes = {c for h in hits if not h.short for c in h.codes if len(h.codes) == 1} | known
    mentions: list = []
    named = set(full_codes)
    for i, h in enumerate(hits):
        nxt = hits[i + 1] if i + 1 < len(hits) else None
        if not h.short:
            if len(h.name) == 2 and (_inside_word(text, h) or _conjoined(text, h)):
                continue  # 开县 in 离不开县镇村, 任县 in 兼任县级, 和县 in 13个单位和县自然资源局
            code = _choose(h.codes, named)
        else:
            confirmed = _confirmed(text, h, nxt, mentions[-1] if mentions else None, full_codes,
                                   outlet=outlet, lone=lone)
            if not confirmed:
                continue
            code = confirmed[0]
        mentions.append(Mention(h.start, h.end, unit_locality(code)))
        named.add(code)
    mentions = _with_zones(text, mentions, known)
    return _mark_prefixes(mentions)


def _inside_word(text: str, hit) -> bool:
    """True when a dictionary word that is no place name runs across an edge of the name or holds it
    (通道 in 绿色通道, 开县 in 离不开县镇村)."""
    vocabulary = segment.tokenizer().FREQ
    g = gazetteer()
    for a in range(max(0, hit.start - 3), hit.end):
        for b in range(a + 2, min(len(text), a + 6) + 1):
            crosses = (a < hit.start < b) or (a < hit.end < b)
            word = text[a:b]
            if crosses and vocabulary.get(word) and word not in g.by_name and word not in g.by_short:
                return True
    return False


def _conjoined(text: str, hit) -> bool:
    """A two-character name that opens with a conjunction after a word: 单位和县自然资源局 names no 和县."""
    return hit.name[0] in "和与及或并" and hit.start > 0 and "\u4e00" <= text[hit.start - 1] <= "\u9fff"


def _confirmed(text: str, hit, nxt, before: Mention | None, full_codes: set, *, outlet: bool, lone: bool) -> list:
    """The codes a short name is confirmed as, best first (see the module docstring); none when the
    text does not confirm it."""
    g = gazetteer()
    confirmed = [c for c in hit.codes if c in full_codes]
    if nxt is not None and nxt.start == hit.end:
        confirmed += [c for c in hit.codes if any(c in {a.code for a in g.ancestors(n)} for n in nxt.codes)]
    if _zone_pattern().match(text, hit.end + 2, hit.end + 16) or _zone_pattern().match(text, hit.end):
        confirmed += [c for c in hit.codes if g.unit(c).level != "county"]  # 德州天衢新区
    provinces = [c for c in hit.codes if g.unit(c).level == "province"]
    if outlet:
        confirmed += [c for c in hit.codes if g.unit(c).level != "county"]
    elif provinces and _acts(text, hit):
        confirmed += provinces  # 浙江探索, 北京围绕
    if before is not None:
        confirmed += _after_kin(text, hit, before)
    if confirmed or _inside_word(text, hit):
        return confirmed
    if lone:
        confirmed = [c for c in hit.codes if len(hit.codes) == 1 and _spoken_of_as_own(text, c, None)]
    return confirmed or [c for c in hit.codes if _spoken_of_as_own(text, c, full_codes)]


def _acts(text: str, hit) -> bool:
    """A short name that a verb, preposition, adverb, pronoun or punctuation follows stands for its
    unit (安徽通过…, 北京围绕…); before a noun it names a thing (安徽政务服务网)."""
    if _inside_word(text, hit):
        return False
    flag = segment.first_flag(text[hit.end:hit.end + 6])
    return not flag or flag[:1] in ("v", "p", "d", "r", "c", "x")


def _after_kin(text: str, hit, before: Mention) -> list:
    """Codes of a short name written right after its province or city (福建宁德), or listed after
    a unit of the same parent (宁德、泉州)."""
    g = gazetteer()
    gap = text[before.end:hit.start]
    if gap == "":
        return [c for c in hit.codes if before.locality.code in {a.code for a in g.ancestors(c)}]
    if gap == "、" and before.locality.parent:
        return [c for c in hit.codes if g.unit(c).parent == before.locality.parent.code]
    return []


def _spoken_of_as_own(text: str, code: str, named: set | None) -> bool:
    """The article names a unit above this one (unless `named` is None) and says 全县/该县 … of a unit
    of its level."""
    g = gazetteer()
    if named is not None and not any(a.code in named for a in g.ancestors(code)):
        return False
    level_word = g.unit(code).name[-1]
    return any(ref in text for ref in lexicon("locality-references") if ref.endswith(level_word))


def _with_zones(text: str, mentions: list, known: frozenset = frozenset()) -> list:
    """Add designated zones; a zone overrides the gazetteer names inside it (南海 in 南海新区)."""
    zones = []
    home_city = _one_city(known)
    starts = [x.start for x in mentions]                 # in order: find gives them so
    longest = max((x.end - x.start for x in mentions), default=0)
    for m in _zone_pattern().finditer(text):
        near = mentions[bisect_left(starts, m.start() - 6 - longest):bisect_left(starts, m.start())]
        before = [x for x in near if x.end <= m.start() and m.start() - x.end <= 6]
        parent_mention = before[-1] if before else None
        name_start = parent_mention.end if parent_mention else m.start() - 2
        name = text[max(name_start, 0):m.start()]
        if parent_mention and not name:
            name, name_start = parent_mention.locality.name.rstrip("市"), parent_mention.start
        parent = parent_mention.locality if parent_mention else None
        if not parent and home_city and m.group() in lexicon("bare-zones") and _bare(name):
            name, name_start, parent = _short(home_city), m.start(), home_city
        if len(name) < 2 or any(ch in NOT_IN_ZONE_NAME or ch.isspace() for ch in name) or re.search(r"\d", name):
            continue
        zones.append(Mention(name_start, m.end(), zone_locality(name + m.group(), parent)))
    if not zones:
        return mentions
    zones = _parents_from_other_mentions(zones)
    covered = Spans((z.start, z.end) for z in zones)
    kept = [x for x in mentions if not covered.covers(x.start, x.end)
            or any(z.start == x.end or (z.start <= x.start and x.end <= z.start + len(x.locality.name)
                                        and z.locality.parent == x.locality) for z in zones)]
    return sorted(kept + zones, key=lambda x: (x.start, -x.end))


def _one_city(known: frozenset) -> Locality | None:
    """The one city among the codes named in the title or the source line, if there is exactly one."""
    cities = [c for c in known if gazetteer().unit(c).level == "city"]
    return unit_locality(cities[0]) if len(cities) == 1 else None


def _bare(name: str) -> bool:
    """The characters before a zone suffix name nothing: the zone is written without its name."""
    return len(name) < 2 or any(ch in NOT_IN_ZONE_NAME or ch.isspace() for ch in name[-1:])


def _short(city: Locality) -> str:
    return gazetteer().unit(city.code).short or city.name.rstrip("市")


def _parents_from_other_mentions(mentions: list, others: list = ()) -> list:
    """A zone written with its city (重庆两江新区) has that city wherever it is written bare (两江新区), in
    the same text or in `others`, when the name is written with that one city only: one zone, one node."""
    parents: dict = {}
    for m in (*mentions, *others):
        if m.locality.level == "zone" and m.locality.parent:
            parents.setdefault(m.locality.name, set()).add(m.locality.parent)
    return [replace(m, locality=zone_locality(m.locality.name, *parents[m.locality.name]))
            if m.locality.level == "zone" and not m.locality.parent and len(parents.get(m.locality.name, ())) == 1
            else m for m in mentions]


def share_zone_parents(*texts: list) -> list:
    """The mentions of each text of one article (title, source line, body), a zone written bare in one
    taking its city from another (a title 两江新区… over a body 重庆两江新区…)."""
    every = [m for ms in texts for m in ms]
    return [_parents_from_other_mentions(ms, every) for ms in texts]


def _mark_prefixes(mentions: list) -> list:
    out = []
    for i, m in enumerate(mentions):
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        is_prefix = bool(nxt and m.start <= nxt.start <= m.end and m.locality in nxt.locality.chain()[1:])
        out.append(Mention(m.start, m.end, m.locality, prefix=is_prefix))
    return out


def main_locality(title_mentions: list, header_mentions: list, body_mentions: list, body_length: int):
    """The locality the article is about: named in its title or source line, early and often."""
    score: Counter = Counter()
    by_key = {}
    for weight, ms in ((4, title_mentions), (3, header_mentions)):
        for m in ms:
            if not m.prefix:
                score[m.locality.key] += weight
                by_key[m.locality.key] = m.locality
    for m in body_mentions:
        if m.prefix:
            continue
        by_key[m.locality.key] = m.locality
        score[m.locality.key] += 1 + (1 if m.start < max(200, body_length // 5) else 0)
    if not score:
        return None
    best = max(score, key=lambda k: (score[k], LEVEL_RANK.get(by_key[k].level, 0)))
    # prefer a more specific unit of the winner that is nearly as salient (任城区 over 济宁市)
    for key, s in score.most_common():
        loc = by_key[key]
        if loc is not by_key[best] and by_key[best] in loc.chain()[1:] and s * 2 >= score[best]:
            best = key
            break
    return by_key[best]
