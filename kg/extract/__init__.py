"""Extraction: a pure function from one Article to its ArticleResult.

Normalise the text, find locality, agency, mechanism and metric mentions (one module
each), choose the article's own locality, then relate them (kg.relate).
"""
from __future__ import annotations

from ..link import link_mechanisms
from ..model import Article, ArticleResult
from ..spans import Spans
from ..relate import relate
from ..text import normalise, sentences, to_simplified
from . import agencies, localities, mechanisms, metrics


def extract(article: Article) -> ArticleResult:
    norm = normalise(article.text)
    sents = sentences(norm)
    text = norm.text
    title = to_simplified(article.title)
    title_places = localities.find(title)
    header_places = localities.find(to_simplified(article.publisher), outlet=True) + localities.find(
        to_simplified(article.byline))
    known = frozenset(m.locality.code for m in title_places + header_places if m.locality.code)
    body_places = localities.find(text, known)
    if not known and not any(m.locality.code for m in body_places):
        body_places = localities.find(text, known, lone=True)
    title_places, header_places, body_places = localities.share_zone_parents(title_places, header_places, body_places)
    own = localities.main_locality(title_places, header_places, body_places, len(text))
    leads = {s.start for s in sents if s.lead}
    lead_spans = [(s.start, s.end) for s in sents if s.lead]
    agency_mentions = agencies.find(text, body_places, own)
    found, candidates = (_outside(ms, agency_mentions) for ms in mechanisms.find(text, leads, [s.start for s in sents]))
    title_mechanisms = mechanisms.find(title, {0}, [0])[0] if title else []
    linked = link_mechanisms(found + candidates + title_mechanisms)
    found, candidates, title_mechanisms = (linked[:len(found)], linked[len(found):len(found) + len(candidates)],
                                           linked[len(found) + len(candidates):])
    names = Spans((m.start, m.end) for m in found)
    numbers = [x for x in metrics.find(text, lead_spans) if x.surface[0].isdigit()
               or not names.covers(x.start, x.end)]  # 三位一体 in a name is not a count
    result = relate(article, norm, sents, own, found, candidates, title_mechanisms, numbers, agency_mentions,
                    body_places)
    result.localities = sorted({m.locality for m in body_places if m.locality is not own}, key=lambda l: l.key)
    # in the order the text first names them: two agencies may share a name (天衢新区财政局 of two cities),
    # and a set sorted by name would leave their order to the string hash seed
    result.agencies = list(dict.fromkeys(a.agency for a in agency_mentions))
    return result


def _outside(mentions: list, agency_mentions: list) -> list:
    """Mentions that are not part of an agency's name (综合行政执法 in 综合行政执法局)."""
    names = Spans((a.start, a.end) for a in agency_mentions)
    return [m for m in mentions if not names.covers(m.start, m.end)]
