"""Where extraction runs: in this process, in local processes (`--jobs N`), or on Dask (`--engine dask`).

Every engine maps the same pure function over articles, `extract_one`, which returns what a
build keeps of an article: its graph, serialised, and a small record for the report.
Articles stream through: a bounded number of batches is in flight at any time, so memory
does not grow with the corpus.
"""
from __future__ import annotations

import itertools
import multiprocessing
from collections import deque
from dataclasses import dataclass
from typing import Iterable, Iterator

from . import ingest, rdf, tables
from .articles import articles_from_text
from .extract import extract

BATCH = 64


@dataclass(frozen=True, slots=True)
class Extracted:
    """What a build keeps of one article (one for each of 10^5 articles: slots, not a dict each)."""

    article_id: str
    source: str
    title: str
    locality: str | None
    statements: int
    metrics: int
    problems: tuple          # ingest.Problem
    graph: rdf.Serialised | None = None   # None once written
    key: str = ""            # what the graph is made from (kg.build.reuse_key)
    rows: tuple = ()         # its rows of the summary's plain tables (kg.tables.article_rows); () once written

    def record(self) -> dict:
        """The manifest entry that lets a later build reuse the article without extracting it."""
        return {"key": self.key, "source": self.source, "title": self.title, "locality": self.locality,
                "statements": self.statements, "metrics": self.metrics,
                "problems": [[p.source, p.reason, p.line] for p in self.problems]}


def extract_one(article) -> Extracted:
    result = extract(article)
    # one pass over the triples, not a list of them: a large article's would be its largest object
    triples, rows = tables.rows_beside(rdf.each_triple(result))
    graph = rdf.serialise(article.id, triples)
    return Extracted(article.id, article.source, article.title, result.locality.name if result.locality else None,
                     len(result.adoptions) + len(result.yields), len(result.metrics),
                     tuple(ingest.result_problems(result)), graph, rows=tuple(rows()))


def extract_batch(articles: list) -> list:
    return [extract_one(a) for a in articles]


def warm() -> None:
    """Load the gazetteer, thesaurus and automata once, before worker processes fork from us."""
    extract(articles_from_text("临清市推行“零基预算”改革，压减资金1亿元。", "warm-up")[0])


def run(articles: Iterable, jobs: int = 1, engine: str = "local", scheduler: str | None = None) -> Iterator[Extracted]:
    """Extract every article, in order."""
    if engine == "dask":
        yield from _dask(articles, jobs, scheduler)
    elif jobs <= 1:
        yield from map(extract_one, articles)
    else:
        warm()
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            yield from _windowed(articles, lambda batch: pool.apply_async(extract_batch, (batch,)).get, jobs)


def _batches(items: Iterable) -> Iterator[list]:
    it = iter(items)
    while batch := list(itertools.islice(it, BATCH)):
        yield batch


def _windowed(articles: Iterable, submit, jobs: int) -> Iterator[Extracted]:
    """Results of batches submitted in order, with at most 4 × jobs of them in flight.

    `submit(batch)` starts a batch and returns a function that waits for its results.
    (Pool.imap would read the whole corpus ahead into its task queue.)
    """
    pending: deque = deque()
    for batch in _batches(articles):
        pending.append(submit(batch))
        if len(pending) > 4 * max(jobs, 1):
            yield from pending.popleft()()
    while pending:
        yield from pending.popleft()()


def _dask(articles: Iterable, jobs: int, scheduler: str | None) -> Iterator[Extracted]:
    """Batches submitted to a dask.distributed cluster (a LocalCluster of `jobs` processes without an address)."""
    from dask.distributed import Client, LocalCluster

    cluster = None if scheduler else LocalCluster(n_workers=max(jobs, 1), threads_per_worker=1, processes=True,
                                                  dashboard_address=None)
    try:
        with Client(scheduler or cluster) as client:
            yield from _windowed(articles, lambda batch: client.submit(extract_batch, batch, pure=False).result, jobs)
    finally:
        if cluster is not None:
            cluster.close()
