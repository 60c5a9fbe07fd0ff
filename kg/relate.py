"""Relations: adopts and yields within sentence and section scope, each with its evidence.

A metric yields from a mechanism whose name holds it (“两个100%”), else from the first
mechanism of its sentence, else from the mechanism that heads its section: a short
heading sentence (`实现“全覆盖+双监控”绩效监管。`) governs the sentences after it in its
paragraph, and a paragraph that is only a heading governs the next paragraph too.
"""
from __future__ import annotations

from bisect import bisect_right

from .model import Adoption, Article, ArticleResult, Evidence, Mechanism, Metric, Yield
from .text import Normalised, Sentence
from .extract import metrics as metric_rules


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


def relate(article: Article, norm: Normalised, sentences: list, locality, mech_mentions: list,
           candidates: list, title_mentions: list, metric_mentions: list, agency_mentions: list) -> ArticleResult:
    result = ArticleResult(article=article, locality=locality)
    located = Located(sentences)
    by_sentence = _by_sentence(mech_mentions, located)
    candidates_by_sentence = _by_sentence(candidates, located)
    yields_from = _yield_sources(norm.text, metric_mentions, located, by_sentence, candidates_by_sentence,
                                 sentences, title_mentions)
    used = [m for sources in yields_from for m, _ in sources if m in candidates]
    result.mechanisms = mechanisms_of(mech_mentions + used, norm, title_mentions)
    if locality is None:
        if mech_mentions or metric_mentions:
            result.problems.append("no locality found: mechanisms and metrics are not attributed")
        return result
    _adoptions(result, article, norm, sentences, located, sorted(mech_mentions + used, key=lambda m: m.start),
               title_mentions, agency_mentions)
    _metrics_and_yields(result, article, norm, sentences, located, metric_mentions, yields_from)
    return result


def _by_sentence(mentions: list, located: Located) -> dict:
    out: dict = {}
    for m in mentions:
        out.setdefault(located.index(m.start), []).append(m)
    return out


def _adoptions(result, article, norm, sentences, located, mech_mentions, title_mentions, agency_mentions):
    seen = set()
    for m in title_mentions:
        if m.key not in seen:
            seen.add(m.key)
            result.adoptions.append(Adoption(result.locality, m.key, title_evidence(article, m.rule)))
    for m in mech_mentions:
        if m.key in seen:
            continue
        seen.add(m.key)
        i = located.index(m.start)
        s = sentences[i]
        agency = next((a.agency for a in reversed(agency_mentions)
                       if a.start < m.start and located.index(a.start) == i), None)
        result.adoptions.append(Adoption(result.locality, m.key, evidence(article, norm, s, m.rule), agency))


def _yield_sources(text, metric_mentions, located, by_sentence, candidates_by_sentence, sentences,
                   title_mentions) -> list:
    """For each metric, the (mechanism mention, rule) pairs it yields from; the title's mechanism last."""
    scopes = _scopes(sentences, by_sentence)
    out = []
    for x in metric_mentions:
        i = located.index(x.start)
        sources = _yielding(text, x, by_sentence.get(i, []), scopes[i], candidates_by_sentence.get(i, []),
                            _previous_in_paragraph(i, sentences, by_sentence, candidates_by_sentence))
        out.append(sources or [(m, "article-title") for m in title_mentions[:1]])
    return out


def _previous_in_paragraph(i: int, sentences: list, *mentions_by_sentence) -> list:
    """The last mechanism named in the sentences before sentence i of its paragraph."""
    j = i - 1
    while j >= 0 and sentences[j].paragraph == sentences[i].paragraph:
        named = sorted((m for ms in mentions_by_sentence for m in ms.get(j, [])), key=lambda m: m.start)
        if named:
            return named[-1:]
        j -= 1
    return []


def _metrics_and_yields(result, article, norm, sentences, located, metric_mentions, yields_from):
    opening_year = metric_rules.year_in(norm.text[sentences[0].start:sentences[0].end]) if sentences else None
    for x, sources in zip(metric_mentions, yields_from):
        s = sentences[located.index(x.start)]
        year = metric_rules.year_in(norm.text[s.start:s.end]) or opening_year
        result.metrics.append(Metric(
            value=float(x.value), unit=x.unit, measure=metric_rules.measure(norm.text, x.start, x.end),
            surface=norm.display[x.start:x.end], year=year, approximate=x.approximate,
            evidence=evidence(article, norm, s, "number")))
        for m, rule in sources:
            result.yields.append(Yield(m.key, len(result.metrics) - 1, evidence(article, norm, s, rule)))


def _yielding(text: str, x, in_sentence: list, scope: list, candidates: list, previous: list) -> list:
    """The mechanisms a metric yields from, nearest scope first.

    A mechanism whose name holds the number (“两个100%”) and those coordinated with it in
    its clause; else the nearest mechanism before the number in its sentence that is not
    an item of a list; else the heading of its section; else a thesaurus term of its
    sentence; else the last mechanism named earlier in its paragraph.
    """
    holding = [m for m in in_sentence if m.start <= x.start and x.end <= m.end]
    if holding:
        clause = [m for m in in_sentence + candidates
                  if m not in holding and m.end <= holding[0].start and _same_clause(text, m.end, holding[0].start)]
        return [(m, "mechanism-holds-number") for m in holding + clause]
    if in_sentence:
        before = [m for m in in_sentence if m.end <= x.start and not _listed(text, m)]
        return [((before or in_sentence)[-1 if before else 0], "same-sentence")]
    if scope:
        return [(scope[0], "section-heading")]
    if candidates:
        return [(candidates[0], "same-sentence-term")]
    return [(m, "earlier-in-paragraph") for m in previous]


def _same_clause(text: str, start: int, end: int) -> bool:
    return not any(ch in "，,；;。" for ch in text[start:end])


def _listed(text: str, m) -> bool:
    return text[m.start - 1:m.start] == "、" or text[m.end:m.end + 1] == "、"
