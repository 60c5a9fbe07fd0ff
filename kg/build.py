"""A build: read every input, extract each new article, write the outputs into one directory.

Articles stream from the inputs through an extraction engine (kg.engine) in batches; as each
article arrives its graph goes to graph.nq (its named graph), graph.ttl (the union of all
article graphs, each shared triple written once) and, in chunks, to the store that Oxigraph's
bulk loader builds on disk. Nothing holds the whole graph. graph.html is drawn from the store.

A manifest of article content hashes (DIR/manifest.json) makes builds incremental: an
article seen before is not extracted again, its named graph is read back from where the
manifest says it is in the previous graph.nq; a changed article has a new hash and replaces
its graph; a removed one is gone.

Everything is written under DIR/.staging-* first and renamed into place at the end, so an
interrupted build leaves the previous outputs whole.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, replace
from pathlib import Path

import pyoxigraph as ox

from . import engine, ingest, network, questions, rdf, store, viz

MANIFEST = "manifest.json"
STAGING = ".staging-"
STORE_CHUNK = 2000   # articles per bulk load of the store


def _replace(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    write(tmp)
    tmp.replace(path)


def previous_manifest(out_dir: Path) -> dict:
    """article id -> manifest record of the last build in out_dir, if its outputs are there and whole.

    The manifest gives where each article graph is in graph.nq, so it only holds for the
    graph.nq it was written with (a build interrupted between the two renames leaves another).
    """
    try:
        manifest = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        if store.path(out_dir).is_dir() and manifest["graph.nq"] == (out_dir / "graph.nq").stat().st_size:
            return manifest["articles"]
    except (OSError, ValueError, KeyError):
        pass
    return {}


def _reused(article_id: str, record: dict, old_nquads) -> engine.Extracted:
    """An article of the previous build, with its graph read back from the previous graph.nq."""
    offset, length = record["graph"]
    old_nquads.seek(offset)
    quads = ox.parse(old_nquads.read(length), format=ox.RdfFormat.N_QUADS)
    graph = [(str(q.subject), str(q.predicate), str(q.object)) for q in quads]
    problems = tuple(ingest.Problem(*p) for p in record["problems"])
    return engine.Extracted(article_id, record["source"], record["title"], record["locality"],
                            record["statements"], record["metrics"], problems, rdf.serialise(article_id, graph))


class Outputs:
    """graph.nq, graph.ttl and the store of a build, written under the staging directory as articles arrive."""

    def __init__(self, staging: Path):
        self.folder = staging
        self.nquads = (staging / "graph.nq").open("wb")
        self.turtle = (staging / "graph.ttl").open("wb")
        self.turtle.write(rdf.TURTLE_HEADER)
        self.store = store.create(staging / "store")
        self.spans: dict = {}        # article id -> (offset, length) of its graph in graph.nq
        self._written = 0
        self._shared: set = set()    # triples about shared nodes, written once
        self._chunk: list = []       # the Turtle of each article not loaded yet
        # the bulk loader releases the GIL: a thread loads one chunk while the next is gathered
        self._loader = ThreadPoolExecutor(max_workers=1)
        self._loading = None

    def add(self, article_id: str, graph: rdf.Serialised) -> None:
        self.spans[article_id] = (self._written, len(graph.nquads))
        self._written += self.nquads.write(graph.nquads)
        new = [line for line in graph.shared.splitlines(keepends=True) if line not in self._shared]
        self._shared.update(new)
        body = graph.turtle + b"".join(new)
        self.turtle.write(body)
        self._chunk.append(body)
        if len(self._chunk) >= STORE_CHUNK:
            self._load()

    def _load(self) -> None:
        if self._loading is not None:
            self._loading.result()
        self._loading = self._loader.submit(store.load_turtle, self.store, b"".join(self._chunk))
        self._chunk = []

    def close(self) -> ox.Store:
        """Finish the files and the store, and return the store."""
        self._load()
        self._loading.result()
        self._loader.shutdown()
        self.nquads.close()
        self.turtle.close()
        self.store.flush()
        return self.store


def build(paths, out_dir: Path, jobs: int = 1, engine_name: str = "local", scheduler: str | None = None,
          progress=None) -> dict:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob(STAGING + "*"):     # left by an interrupted build
        shutil.rmtree(stale, ignore_errors=True)
    # a new name each time: the store of a failed build in this process may still hold its lock
    staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=out_dir))
    previous = previous_manifest(out_dir)
    problems: list = []
    files: list = []
    seen: set = set()
    reused_ids: list = []

    def new_articles():
        for article in ingest.read(paths, problems, files, exclude=[out_dir]):
            if article.id in seen:
                problems.append(ingest.Problem(article.source, "the same article again: kept once"))
                continue
            seen.add(article.id)
            if article.id in previous:
                reused_ids.append(article.id)
                continue
            yield article

    extracted: list = []
    outputs = Outputs(staging)
    for item in engine.run(new_articles(), jobs, engine_name, scheduler):
        if progress:
            progress(1)
        problems.extend(item.problems)
        outputs.add(item.article_id, item.graph)
        extracted.append(replace(item, graph=None))
    reused: list = []
    if reused_ids:
        with (out_dir / "graph.nq").open("rb") as old_nquads:
            for article_id in reused_ids:
                item = _reused(article_id, previous[article_id], old_nquads)
                outputs.add(article_id, item.graph)
                problems.extend(item.problems)
                reused.append(replace(item, graph=None))
        if progress:
            progress(len(reused))
    records = extracted + reused
    counts = _finish(outputs, out_dir)
    manifest = {"graph.nq": (out_dir / "graph.nq").stat().st_size,
                "articles": {r.article_id: r.record() | {"graph": outputs.spans[r.article_id]} for r in records}}
    _replace(out_dir / MANIFEST, lambda p: p.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8"))
    summary = {
        "articles": len(records),
        "extracted": len(extracted),
        "reused": len(reused),
        "removed": len(set(previous) - seen),
        "localities": counts["Locality"],
        "mechanisms": counts["Mechanism"],
        "metrics": counts["Metric"],
        "triples": counts["triples"],
        "problems": [asdict(p) for p in problems],
        "files": ingest.input_report(files, problems, records),
        "inputs": [{"source": r.source, "article": r.article_id, "title": r.title, "locality": r.locality,
                    "statements": r.statements, "metrics": r.metrics} for r in records],
    }
    _replace(out_dir / "report.json",
             lambda p: p.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8"))
    return summary


def _finish(outputs: Outputs, out_dir: Path) -> dict:
    """Draw graph.html and count from the store, then put the store and the files in place.

    The store is closed (dropped) before its directory is renamed.
    """
    st = outputs.close()
    _replace(out_dir / "graph.html", lambda p: viz.write_html(network.overview(st), p))
    counts = questions.counts(st)
    _replace(out_dir / "summary.sqlite", lambda p: questions.summarise(st, p, counts))
    del st, outputs.store
    store.put_in_place(outputs.folder / "store", out_dir)
    for name in ("graph.nq", "graph.ttl"):
        (outputs.folder / name).replace(out_dir / name)
    shutil.rmtree(outputs.folder)
    return counts
