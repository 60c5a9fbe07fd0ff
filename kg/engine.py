"""Where extraction runs: in this process, in local processes (`--jobs N`), or on Dask (`--engine dask`).

Every engine maps the same pure function over articles, `extract_one`, which returns what a
build keeps of an article: its named graph as N-Quads and a small record for the report.
Articles stream through: a bounded number of batches is in flight at any time, so memory
does not grow with the corpus.
"""
from __future__ import annotations

import itertools
import multiprocessing
from collections import deque
from dataclasses import dataclass
from typing import Iterable, Iterator

from . import ingest, rdf
from .extract import extract

BATCH = 64


@dataclass(frozen=True)
class Extracted:
    """What a build keeps of one article."""

    article_id: str
    source: str
    title: str
    locality: str | None
    statements: int
    metrics: int
    problems: tuple          # ingest.Problem
    nquads: bytes            # the article's named graph

    def record(self) -> dict:
        """The manifest entry that lets a later build reuse the article without extracting it."""
        return {"source": self.source, "title": self.title, "locality": self.locality,
                "statements": self.statements, "metrics": self.metrics,
                "problems": [[p.source, p.reason, p.line] for p in self.problems]}


def extract_one(article) -> Extracted:
    result = extract(article)
    graph = rdf.dataset([result]).serialize(format="nquads", encoding="utf-8")
    return Extracted(article.id, article.source, article.title, result.locality.name if result.locality else None,
                     len(result.adoptions) + len(result.yields), len(result.metrics),
                     tuple(ingest.result_problems(result)), graph)


def extract_batch(articles: list) -> list:
    return [extract_one(a) for a in articles]


def warm() -> None:
    """Load the gazetteer, thesaurus and automata once, before worker processes fork from us."""
    extract(ingest.articles_from_text("临清市推行“零基预算”改革，压减资金1亿元。", "warm-up")[0])


def run(articles: Iterable, jobs: int = 1, engine: str = "local", scheduler: str | None = None) -> Iterator[Extracted]:
    """Extract every article, in order."""
    if engine == "dask":
        yield from _dask(articles, jobs, scheduler)
    elif jobs <= 1:
        yield from map(extract_one, articles)
    else:
        warm()
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for batch in pool.imap(extract_batch, _batches(articles), chunksize=1):
                yield from batch


def _batches(items: Iterable) -> Iterator[list]:
    it = iter(items)
    while batch := list(itertools.islice(it, BATCH)):
        yield batch


def _dask(articles: Iterable, jobs: int, scheduler: str | None) -> Iterator[Extracted]:
    """Batches submitted to a dask.distributed cluster (a LocalCluster of `jobs` processes without an address)."""
    from dask.distributed import Client, LocalCluster

    cluster = None if scheduler else LocalCluster(n_workers=max(jobs, 1), threads_per_worker=1, processes=True,
                                                  dashboard_address=None)
    try:
        with Client(scheduler or cluster) as client:
            pending: deque = deque()
            for batch in _batches(articles):
                pending.append(client.submit(extract_batch, batch, pure=False))
                if len(pending) > 2 * max(jobs, 1):
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
    finally:
        if cluster is not None:
            cluster.close()
