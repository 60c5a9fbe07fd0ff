"""Extraction: a pure function from one Article to its ArticleResult.

Normalise the text, find locality, agency, mechanism and metric mentions (one module
each), choose the article's own locality, then relate them (kg.relate).
"""
from __future__ import annotations

from ..model import Article, ArticleResult
from ..relate import relate
from ..text import normalise, sentences, to_simplified
from . import agencies, localities, mechanisms, metrics


def extract(article: Article) -> ArticleResult:
    norm = normalise(article.text)
    sents = sentences(norm)
    text = norm.text
    title = to_simplified(article.title)
    header = to_simplified(" ".join(filter(None, (article.publisher, article.byline))))
    body_places = localities.find(text)
    own = localities.main_locality(localities.find(title), localities.find(header), body_places, len(text))
    leads = {s.start for s in sents if s.lead}
    lead_spans = [(s.start, s.end) for s in sents if s.lead]
    found_mechanisms = mechanisms.find(text, leads, [s.start for s in sents])
    title_mechanisms = [m for m in mechanisms.find(title, {0}, [0])] if title else []
    result = relate(article, norm, sents, own, found_mechanisms, title_mechanisms,
                    metrics.find(text, lead_spans), agencies.find(text, body_places, own))
    result.localities = sorted({m.locality for m in body_places if m.locality is not own}, key=lambda l: l.key)
    result.agencies = sorted({a.agency for a in agencies.find(text, body_places, own)}, key=lambda a: a.name)
    return result
