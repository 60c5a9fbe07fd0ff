"""Relations: adopts and yields within sentence and section scope, each with its evidence.

A metric yields from a mechanism whose name holds it (“两个100%”), else from the first
mechanism of its sentence, else from the mechanism that heads its section: a short
heading sentence (`实现“全覆盖+双监控”绩效监管。`) governs the sentences after it in its
paragraph, and a paragraph that is only a heading governs the next paragraph too. A metric
none of these ties yields from the article's practice: the one its title names, else, in an
untitled report, the thesaurus practice it names three times or more, or the one practice
it names at all (a field such as 国有企业改革 is none).

Each statement belongs to the locality acting in its sentence: the place the sentence names
last before what it reports (平凉市已有105个乡镇…, 大竹县将闲置低效的2800平方米房产…), or
the unit it refers to as 全省, 全县 …; a sentence that names none keeps the actor of the
sentence before it in its paragraph, and a paragraph starts with the article's locality.
A list of places that is the subject of its clause (宁德、泉州等地整合…) acts as a whole: each adopts.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter

from .link import canonical
from .spans import Spans
from .model import Adoption, Article, ArticleResult, Evidence, Mechanism, Metric, Yield
from . import segment
from .text import Normalised, Sentence
from .extract import metrics as metric_rules
from .extract.localities import LEVEL_RANK
from .vocab import lexicon, thesaurus


class Located:
    """Finds the sentence that holds a position of the normalised text."""

    def __init__(self, sentences: list):
        self.starts = [s.start for s in sentences]

    def index(self, pos: int) -> int:
        return max(0, bisect_right(self.starts, pos) - 1)


def evidence(article: Article, norm: Normalised, sentence: Sentence, rule: str) -> Evidence:
    start, end = norm.span(sentence.start, sentence.end)
    return Evidence(norm.display[sentence.start:sentence.end], article.offset + start, article.offset + end, rule)


def title_evidence(article: Article, rule: str) -> Evidence:
    return Evidence(article.title, *article.title_span, rule)


def mechanisms_of(mentions: list, norm: Normalised, title_mentions: list) -> dict:
    """One Mechanism per key, labelled with every wording the article used (both scripts)."""
    out: dict = {}
    shown_body = [(m, norm.display[m.start:m.end]) for m in mentions]
    for m, shown in shown_body + [(m, m.label) for m in title_mentions]:
        mech = out.setdefault(m.key, Mechanism(key=m.key, label=m.label, concepts=m.concepts))
        mech.labels.update({m.label, shown})
        if not mech.concepts and m.concepts:
            mech.concepts = m.concepts
    return out


def _scopes(sentences: list, mentions_by_sentence: dict) -> list:
    """For each sentence, the mechanism mentions of the heading that governs it (possibly none)."""
    scopes, scope, heading_only = [], [], {}
    for s in sentences:
        heading_only[s.paragraph] = heading_only.get(s.paragraph, True) and s.lead
    previous_paragraph = None
    for i, s in enumerate(sentences):
        if s.paragraph != previous_paragraph:
            if previous_paragraph is not None and not heading_only.get(previous_paragraph):
                scope = []
            previous_paragraph = s.paragraph
        scopes.append(scope)
        if s.lead and mentions_by_sentence.get(i):
            scope = mentions_by_sentence[i]
    return scopes


class Actors:
    """The locality acting at each position of the text (see the module docstring)."""

    def __init__(self, text: str, sentences: list, places: list, own, metrics: list, mechanisms: list):
        self.located = Located(sentences)
        self.sentences, self.text = sentences, text
        # a place written inside another (长沙 in 长沙经开区) or before its child (济宁市任城区) does not act
        # nor does one of a list of places (与周口市、天水市、南充市等14个市县签订协议), nor a place gone to
        # unless the list is what acts (福建宁德、泉州等地整合…: each of them adopts)
        spans = Spans((o.start, o.end) for o in places)
        acting_places = [m for m in places if not m.prefix and not spans.encloses(m.start, m.end)]
        prefixes = _prefixes(places)
        self.groups = _subject_lists(text, acting_places, prefixes)
        self.places = sorted((m for m in acting_places if not _gone_to(text, m, prefixes) and (
            not _one_of_places(text, m) or m.locality in self.groups)), key=lambda m: m.start)
        self.starts = [m.start for m in self.places]
        first_event: dict = {}
        for pos in sorted(mechanisms, reverse=True) + sorted(metrics, reverse=True):  # a metric comes first
            first_event[self.located.index(pos)] = pos
        self.of_sentence, current, paragraph = [], own, None
        for i, s in enumerate(sentences):
            if s.paragraph != paragraph:
                current, paragraph = own, s.paragraph
            subject = self._subject(text, s.start, first_event.get(i, s.end), current, own)
            self.of_sentence.append(subject or current)
            if i in first_event:  # a sentence that reports nothing sets no actor (这是江苏苏州的…投资人)
                current = subject or current

    def _subject(self, text: str, start: int, end: int, current, own):
        """The most specific place named between `start` and `end` (奉贤区 in 2024年是上海市推进…，上海市奉贤区财政局
        探索…), else the unit a reference (全省, 该县 …) points to."""
        named = [m.locality for m in self._between(start, end)]
        if named:
            return max(named, key=lambda loc: LEVEL_RANK.get(loc.level, 0))
        for ref in lexicon("locality-references"):
            if ref in text[start:end]:
                return next((loc for loc in (*current.chain(), *own.chain()) if loc.name.endswith(ref[-1])), None)
        return None

    def all_at(self, pos: int) -> tuple:
        """The localities acting at `pos`: every place of a list that acts together, else the one."""
        actor = self.at(pos)
        return self.groups.get(actor, (actor,))

    def at(self, pos: int):
        """The place named last before `pos` in its clause, else the actor of its sentence."""
        i = self.located.index(pos)
        start = self.sentences[i].start
        clause_start = max(start, *(self.text.rfind(c, start, pos) + 1 for c in "，,；;"))
        before = self._between(clause_start, pos)
        return before[-1].locality if before else self.of_sentence[i]

    def _between(self, start: int, end: int) -> list:
        """The acting places that begin in [start, end), in order."""
        return self.places[bisect_left(self.starts, start):bisect_left(self.starts, end)]


def relate(article: Article, norm: Normalised, sentences: list, locality, mech_mentions: list,
           candidates: list, title_mentions: list, metric_mentions: list, agency_mentions: list,
           places: list = ()) -> ArticleResult:
    result = ArticleResult(article=article, locality=locality)
    located = Located(sentences)
    by_sentence = _by_sentence(mech_mentions, located)
    candidates_by_sentence = _by_sentence(candidates, located)
    yields_from = _yield_sources(norm.text, metric_mentions, located, by_sentence, candidates_by_sentence,
                                 sentences, title_mentions)
    candidate_set = set(candidates)
    used = [m for sources in yields_from for m, _ in sources if m in candidate_set]
    result.mechanisms = mechanisms_of(mech_mentions + used, norm, title_mentions)
    if locality is None:
        if mech_mentions or metric_mentions:
            result.problems.append("no locality found: mechanisms and metrics are not attributed")
        return result
    acting = Actors(norm.text, sentences, places, locality, [x.start for x in metric_mentions],
                    [m.start for m in mech_mentions + used])
    _adoptions(result, article, norm, sentences, located, sorted(mech_mentions + used, key=lambda m: m.start),
               title_mentions, agency_mentions, acting)
    _metrics_and_yields(result, article, norm, sentences, located, metric_mentions, yields_from, acting)
    return result


def _by_sentence(mentions: list, located: Located) -> dict:
    out: dict = {}
    for m in mentions:
        out.setdefault(located.index(m.start), []).append(m)
    return out


def _adoptions(result, article, norm, sentences, located, mech_mentions, title_mentions, agency_mentions, acting):
    seen = set()
    for m in title_mentions:
        if (result.locality, m.key) not in seen:
            seen.add((result.locality, m.key))
            result.adoptions.append(Adoption(result.locality, m.key, title_evidence(article, m.rule)))
    agencies = sorted(agency_mentions, key=lambda a: a.start)
    agency_starts = [a.start for a in agencies]
    for m in mech_mentions:
        i = located.index(m.start)
        if _planned(norm.text, sentences[i], m.start):
            continue
        # the agency named last before the mention in its sentence
        last = bisect_left(agency_starts, m.start) - 1
        agency = agencies[last].agency if last >= 0 and located.index(agency_starts[last]) == i else None
        for actor in acting.all_at(m.start):
            if (actor, m.key) not in seen:
                seen.add((actor, m.key))
                result.adoptions.append(Adoption(actor, m.key, evidence(article, norm, sentences[i], m.rule), agency))


def _planned(text: str, sentence, pos: int) -> bool:
    """A practice named after a plan marker in its sentence is planned, not adopted (下一步将探索…,
    拟建立…); markers are whole words (拟 in 模拟 is none), and one inside a document title (《…行动计划》) is none."""
    before = re.sub(r"《[^》]*》?", "", text[sentence.start:pos])
    if not any(marker in before for marker in lexicon("plan-markers")):
        return False   # no marker even inside a word: no need to cut the words
    words = segment.words(before)
    said = set(words) | {a + b for a, b in zip(words, words[1:])}
    return not said.isdisjoint(lexicon("plan-markers"))


def _yield_sources(text, metric_mentions, located, by_sentence, candidates_by_sentence, sentences,
                   title_mentions) -> list:
    """For each metric, the (mechanism mention, rule) pairs it yields from; the title's mechanism last."""
    scopes = _scopes(sentences, by_sentence)
    topic = [(m, "article-title") for m in title_mentions[:1]] or [
        (m, "article-topic") for m in _topic(by_sentence, candidates_by_sentence)
        or _sole(by_sentence, _not_places(text, candidates_by_sentence))]
    out = []
    for x in metric_mentions:
        i = located.index(x.start)
        sources = _yielding(text, x, by_sentence.get(i, []), scopes[i], candidates_by_sentence.get(i, []),
                            _previous_in_paragraph(i, sentences, by_sentence, candidates_by_sentence))
        out.append(sources or topic)
    return out


def _topic(*mentions_by_sentence) -> list:
    """The practice an untitled article is about: the thesaurus practice it names most often, at least
    three times (河长制 in a report on rivers), its first mention."""
    mentions = sorted((m for ms in mentions_by_sentence for sentence in ms.values() for m in sentence
                       if m.key.startswith("concept:")), key=lambda m: m.start)
    counts = Counter(m.key for m in mentions)
    best = max(counts, key=counts.__getitem__, default=None)
    return [next(m for m in mentions if m.key == best)] if best and counts[best] >= 3 else []


def _sole(*mentions_by_sentence) -> list:
    """The one practice an article names, when it names one: what all its figures report on. A field
    (国有企业改革) or a facility is no practice."""
    mentions = sorted((m for ms in mentions_by_sentence for sentence in ms.values() for m in sentence
                       if not _names_field(m.key)), key=lambda m: m.start)
    return mentions[:1] if len({m.key for m in mentions}) == 1 else []


def _not_places(text: str, mentions_by_sentence: dict) -> dict:
    return {i: [m for m in ms if not _as_place(text, m)] for i, ms in mentions_by_sentence.items()}


def _concept(key: str):
    """The thesaurus concept a mechanism key names, None for a name of the text's own."""
    kind, _, iri = key.partition(":")
    return thesaurus()[iri] if kind == "concept" else None


def _names_facility(key: str) -> bool:
    """A service centre (rk:Facility) is where practices are carried out; its figures are not its results."""
    return bool((c := _concept(key)) and c.facility)


def _names_field(key: str) -> bool:
    """A field (国有企业改革, a top concept) or a facility: a concept that names no practice."""
    return bool((c := _concept(key)) and not c.practice)


def _previous_in_paragraph(i: int, sentences: list, *mentions_by_sentence) -> list:
    """The practice the paragraph of sentence i opens with, else the last one named before sentence i.

    A paragraph's opening sentence says what it reports on (目前，各区域“一窗通办”成效斐然。…);
    the figures after it belong to that practice, not to the last term named on the way
    (大厅设立跨域通办等特色服务窗口。通过优化，窗口总量由123个压减至80个). Only a practice the
    opening adopts counts: a term it merely names (a candidate) does not.
    """
    first = i
    while first > 0 and sentences[first - 1].paragraph == sentences[i].paragraph:
        first -= 1
    if first < i and (opening := mentions_by_sentence[0].get(first)):
        return [min(opening, key=lambda m: m.start)]
    for j in range(i - 1, first - 1, -1):
        named = sorted((m for ms in mentions_by_sentence for m in ms.get(j, [])), key=lambda m: m.start)
        if named:
            return named[-1:]
    return []


def _metrics_and_yields(result, article, norm, sentences, located, metric_mentions, yields_from, acting):
    opening_year = metric_rules.year_in(norm.text[sentences[0].start:sentences[0].end]) if sentences else None
    before = metric_rules.changes(norm.text, metric_mentions)
    for n, (x, sources) in enumerate(zip(metric_mentions, yields_from)):
        i = located.index(x.start)
        s = sentences[i]
        year = (metric_rules.year_before(norm.text, x.start) or metric_rules.year_in(norm.text[s.start:s.end])
                or opening_year)
        result.metrics.append(Metric(
            value=float(x.value), unit=x.unit, measure=_qualified(norm.text, x, sources),
            surface=norm.display[x.start:x.end], year=year, approximate=x.approximate,
            evidence=evidence(article, norm, s, "number"), locality=acting.at(x.start),
            before=before.get(n)))
        for m, rule in sources:
            result.yields.append(Yield(m.key, len(result.metrics) - 1, evidence(article, norm, s, rule)))


def _qualified(text: str, x, sources: list) -> str:
    """What a figure measures, qualified by the practice it yields from: 开展重大事项事前绩效评估，涉及资金4841万元
    → 事前绩效评估涉及资金 (its clause's words alone, 涉及资金, say nothing of what the money is for). Only a
    practice named before it in the text qualifies it, not the title's. Qualifying longer measures too was
    better on every corpus (measures right: corpus/real odd 0.814 → 0.839, even 0.730 → 0.755, heldout
    0.817 → 0.841) than qualifying only those of six characters or fewer."""
    words = metric_rules.measure(text, x.start, x.end)
    named = [m for m, rule in sources if rule != "article-title" and m.end <= x.start]
    if not named:
        return words
    name = re.sub(r"[“”\"‘’「」『』]", "", named[0].label)
    return words if canonical(name) in canonical(words) else name + words


def _as_place(text: str, m) -> bool:
    """A term written as where something goes or happens (进驻政务服务中心, 走进县政务服务大厅): a place, no practice."""
    return bool(re.search(r"(?:进驻|入驻|走进|进入|来到|在|到)[县市区镇乡村]?$", text[max(0, m.start - 3):m.start]))


# a heading that names a system (构建县、乡、村三级便民服务体系。推广网上办件模式。) governs its section
# before the parts of it a sentence names (建立政务服务中心, 建立便民服务站)
SYSTEM_RULES = ("noun-phrase", "heading-name")


def _yielding(text: str, x, in_sentence: list, scope: list, candidates: list, previous: list) -> list:
    """The mechanisms a metric yields from, nearest scope first.

    A mechanism whose name holds the number (“两个100%”) and those coordinated with it in
    its clause; else the system its section's heading names; else the nearest mechanism
    before the number in its sentence that is not an item of a list; else the heading of
    its section; else a thesaurus term of its
    sentence that is not written as a place (进驻政务服务中心); else the practice its
    paragraph opens with, or the last one named earlier in it.
    """
    holding = [m for m in in_sentence if m.start <= x.start and x.end <= m.end]
    if holding:
        clause = [m for m in in_sentence + candidates
                  if m not in holding and m.end <= holding[0].start and _same_clause(text, m.end, holding[0].start)]
        return [(m, "mechanism-holds-number") for m in holding + clause]
    if scope and scope[0].rule in SYSTEM_RULES:
        return [(scope[0], "section-heading")]  # the parts of a system its sentences name are not its sources
    if in_sentence:
        before = [m for m in in_sentence if m.end <= x.start and not _listed(text, m)]
        return [((before or in_sentence)[-1 if before else 0], "same-sentence")]
    if scope:
        return [(scope[0], "section-heading")]
    candidates = [m for m in candidates if not _as_place(text, m) and not _names_facility(m.key)]
    if candidates:
        return [(candidates[0], "same-sentence-term")]
    return [(m, "earlier-in-paragraph") for m in previous]


def _same_clause(text: str, start: int, end: int) -> bool:
    return not any(ch in "，,；;。" for ch in text[start:end])


def _prefixes(places: list) -> dict:
    """end -> the first place written as the prefix of another (济宁市 in 济宁市任城区) that ends there."""
    out: dict = {}
    for p in places:
        if p.prefix:
            out.setdefault(p.end, p)
    return out


def _gone_to(text: str, m, prefixes: dict) -> bool:
    """A place a sentence goes to or deals with (前往山西省长治市, 与成都市签约), written with its parents or not."""
    start = m.start
    while prefix := prefixes.get(start):
        start = prefix.start
    return bool(re.search(r"(?:前往|到|赴|去|来自|与|同|跟|向)$", text[max(0, start - 2):start]))


def _subject_lists(text: str, places: list, prefixes: dict) -> dict:
    """Each place of a list of places that is the subject of what follows (宁德、泉州等地整合…),
    mapped to the whole list: the list is followed by a verb, an adverb or a preposition."""
    groups, run = {}, []
    for m in places + [None]:
        if m is not None and run and text[run[-1].end:m.start] == "、":
            run.append(m)
            continue
        if len(run) > 1 and not _gone_to(text, run[0], prefixes):
            after = re.match(r"(?:等地|等|两地|三地)?", text[run[-1].end:]).end() + run[-1].end
            if segment.first_flag(text[after:after + 6])[:1] in ("v", "p", "d"):
                groups.update({x.locality: tuple(y.locality for y in run) for x in run})
        run = [m] if m is not None else []
    return groups


def _one_of_places(text: str, m) -> bool:
    return text[m.start - 1:m.start] == "、" or text[m.end:m.end + 1] in ("、", "等")


def _listed(text: str, m) -> bool:
    return text[m.start - 1:m.start] == "、" or text[m.end:m.end + 1] == "、"
