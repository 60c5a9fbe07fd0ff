"""A build: read every input, extract each new article, write the outputs into one directory.

Articles stream from the inputs through an extraction engine (kg.engine) in batches. A
manifest of article content hashes (DIR/manifest.json) makes builds incremental: an article
seen before is not extracted again, its named graph is copied from the previous store; a
changed article has a new hash and replaces its graph; a removed one is gone. The graph is
staged in an in-memory pyoxigraph store, saved as DIR/store, and graph.trig, graph.ttl and
graph.html are written from it. Every output is written to a temporary name and renamed into
place, so an interrupted build leaves the previous outputs whole.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, replace
from pathlib import Path

from . import engine, ingest, network, questions, rdf, store, viz

MANIFEST = "manifest.json"


def _replace(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    write(tmp)
    tmp.replace(path)


def previous_manifest(out_dir: Path) -> dict:
    """article id -> report record of the last build in out_dir, if its store is there."""
    try:
        if store.path(out_dir).is_dir():
            return json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))["articles"]
    except (OSError, ValueError, KeyError):
        pass
    return {}


def _reused(article_id: str, record: dict) -> engine.Extracted:
    problems = tuple(ingest.Problem(*p) for p in record["problems"])
    return engine.Extracted(article_id, record["source"], record["title"], record["locality"],
                            record["statements"], record["metrics"], problems, b"")


def build(paths, out_dir: Path, jobs: int = 1, engine_name: str = "local", scheduler: str | None = None,
          progress=None) -> dict:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    previous = previous_manifest(out_dir)
    problems: list = []
    files: list = []
    seen: set = set()
    reused: list = []

    def new_articles():
        for article in ingest.read(paths, problems, files, exclude=[out_dir]):
            if article.id in seen:
                problems.append(ingest.Problem(article.source, "the same article again: kept once"))
                continue
            seen.add(article.id)
            if article.id in previous:
                reused.append(_reused(article.id, previous[article.id]))
                continue
            yield article

    extracted: list = []

    def graphs():
        for item in engine.run(new_articles(), jobs, engine_name, scheduler):
            if progress:
                progress(1)
            problems.extend(item.problems)
            extracted.append(replace(item, nquads=b""))
            yield item.nquads

    st = store.stage(graphs())
    store.copy_graphs(st, out_dir, [str(rdf.graph_iri(r.article_id)) for r in reused])
    store.add_union(st)
    for item in reused:
        problems.extend(item.problems)
    records = extracted + reused
    store.save(st, out_dir)
    _replace(out_dir / "graph.trig", lambda p: store.dump(st, p, "trig"))
    _replace(out_dir / "graph.ttl", lambda p: store.dump(st, p, "turtle"))
    _replace(out_dir / "graph.html", lambda p: viz.write_html(network.from_store(st), p))
    manifest = {"articles": {r.article_id: r.record() for r in records}}
    _replace(out_dir / MANIFEST, lambda p: p.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8"))
    counts = questions.counts(st)
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
