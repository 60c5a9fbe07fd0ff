"""A build: read every input, extract each article, write the outputs into one directory.

The graph is staged in an in-memory pyoxigraph store and saved as DIR/store; graph.trig,
graph.ttl and graph.html are written from it. Outputs are written to temporary files and renamed into place, so an
interrupted build leaves the previous outputs whole.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path

from . import ingest, network, questions, rdf, store, viz
from .extract import extract


def _replace(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    write(tmp)
    tmp.replace(path)


def build(paths, out_dir: Path) -> dict:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    problems: list = []
    files: list = []
    results, seen = [], set()
    for article in ingest.read(paths, problems, files, exclude=[out_dir]):
        if article.id in seen:
            problems.append(ingest.Problem(article.source, "the same article again: kept once"))
            continue
        seen.add(article.id)
        result = extract(article)
        problems.extend(ingest.result_problems(result))
        results.append(result)
    st = store.stage(rdf.dataset(results))
    store.save(st, out_dir)
    _replace(out_dir / "graph.trig", lambda p: store.dump(st, p, "trig"))
    _replace(out_dir / "graph.ttl", lambda p: store.dump(st, p, "turtle"))
    _replace(out_dir / "graph.html", lambda p: viz.write_html(network.from_store(st), p))
    counts = questions.counts(st)
    summary = {
        "articles": len(results),
        "localities": counts["Locality"],
        "mechanisms": counts["Mechanism"],
        "metrics": counts["Metric"],
        "triples": counts["triples"],
        "problems": [asdict(p) for p in problems],
        "files": ingest.input_report(files, problems, results),
        "inputs": [{"source": r.article.source, "article": r.article.id, "title": r.article.title,
                    "locality": r.locality.name if r.locality else None,
                    "adopts": len(r.adoptions), "metrics": len(r.metrics), "yields": len(r.yields)}
                   for r in results],
    }
    _replace(out_dir / "report.json",
             lambda p: p.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8"))
    return summary
