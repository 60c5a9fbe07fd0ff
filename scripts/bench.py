#!/usr/bin/env python3
"""Benchmark reformkg against the floor every jieba-based pipeline shares.

    python scripts/bench.py [--sizes 1000,10000,100000] [--quick] [--work DIR]

In one run it measures, on corpora generated from our own sample articles
(kg.synthetic: places across the whole gazetteer, numbers and practice names varied):
- extraction throughput in one process (KB/s, articles/s), plain `jieba.lcut` on the
  same text, and their ratio;
- end-to-end `kg build` wall time and peak RSS at each size, with --jobs 1 and --jobs 2;
- writing Turtle and N-Quads of the largest build;
- the latency of each ready-made `kg` question and of three SPARQL queries on the largest store.
Speed is reported as ratios against baselines measured in the same run, since the
machines are shared and noisy. The last line printed is one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTIONS = [
    ["localities"], ["mechanisms"], ["mechanisms", "--locality", "山东省"], ["metrics"],
    ["stats"], ["similar", "临清市"], ["show", "临清市"],
]
SPARQL = {
    "adopters per concept": "SELECT ?c (COUNT(DISTINCT ?l) AS ?n) WHERE { ?l rk:adopts ?m . ?m skos:broader ?c } "
                            "GROUP BY ?c ORDER BY DESC(?n) LIMIT 20",
    "metrics over 1亿元": "SELECT ?x ?v WHERE { ?x rk:unit \"元\" ; rk:value ?v . FILTER(?v > 100000000) } LIMIT 100",
    "labels containing 绩效": "SELECT ?m ?l WHERE { ?m a rk:Mechanism ; rdfs:label ?l . FILTER(CONTAINS(STR(?l), \"绩效\")) }",
}


def corpus(work: Path, n: int) -> Path:
    from kg.synthetic import load_templates, write_jsonl
    out = work / f"corpus-{n}"
    if not out.exists():
        write_jsonl(out, load_templates(ROOT / "tests" / "corpus", ROOT / "tests" / "gold"), n, seed=n)
    return out


def extraction_throughput(folder: Path, limit: int) -> dict:
    """Extraction in this process against plain jieba.lcut on the same article texts."""
    import jieba

    from kg.extract import extract
    from kg.ingest import read
    from kg.segment import tokenizer

    articles = [a for _, a in zip(range(limit), read([folder], []))]
    tokenizer()
    jieba.lcut("预热")
    for a in articles[:20]:
        extract(a)  # warm caches: gazetteer, thesaurus, automata
    kb = sum(len(a.text.encode("utf-8")) for a in articles) / 1024
    start = time.perf_counter()
    for a in articles:
        extract(a)
    ours = time.perf_counter() - start
    start = time.perf_counter()
    for a in articles:
        jieba.lcut(a.text)
    floor = time.perf_counter() - start
    return {"articles": len(articles), "extract_kb_s": round(kb / ours, 1), "extract_articles_s": round(len(articles) / ours, 1),
            "jieba_kb_s": round(kb / floor, 1), "ratio_vs_jieba": round(floor / ours, 3)}


def timed(cmd: list) -> tuple:
    """Wall time, and peak RSS (MB) of the largest process of the command's tree, measured in a fresh wrapper."""
    wrapper = ("import resource, subprocess, sys\n"
               "done = subprocess.run(sys.argv[1:])\n"
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode, file=sys.stderr)")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", wrapper, *cmd], capture_output=True, text=True)
    wall = time.perf_counter() - start
    peak_kb, code = done.stderr.split()[-2:]
    if int(code):
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr[-2000:]}")
    return wall, int(peak_kb) / 1024, done


def kg(*args) -> list:
    return [sys.executable, "-m", "kg.cli", *args]


def build_runs(work: Path, sizes: list) -> list:
    rows = []
    for n in sizes:
        folder = corpus(work, n)
        row = {"n": n}
        for jobs in (1, 2):
            out = work / f"build-{n}-j{jobs}"
            wall, rss, _ = timed(kg("build", str(folder), "--out", str(out), "--jobs", str(jobs)))
            row[f"jobs{jobs}_s"], row[f"jobs{jobs}_rss_mb"] = round(wall, 1), round(rss)
        row["scaling"] = round(row["jobs1_s"] / row["jobs2_s"], 2)
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    return rows


def latencies(out: Path) -> dict:
    result = {}
    for q in QUESTIONS:
        wall, _, _ = timed(kg(*q, "--out", str(out), "--format", "json"))
        result[" ".join(q)] = round(wall * 1000)
    for name, query in SPARQL.items():
        wall, _, _ = timed(kg("query", query, "--out", str(out), "--format", "json"))
        result["sparql: " + name] = round(wall * 1000)
    return result


def writers(out: Path) -> dict:
    """Turtle and N-Quads of a build's store, through pyoxigraph."""
    import pyoxigraph

    store = pyoxigraph.Store.read_only(str(out / "store"))
    times = {}
    with tempfile.TemporaryFile() as f:
        start = time.perf_counter()
        store.dump(f, pyoxigraph.RdfFormat.N_QUADS)
        times["write_nquads_s"] = round(time.perf_counter() - start, 2)
    with tempfile.TemporaryFile() as f:
        start = time.perf_counter()
        pyoxigraph.serialize((q.triple for q in store), f, pyoxigraph.RdfFormat.TURTLE)
        times["write_turtle_s"] = round(time.perf_counter() - start, 2)
    times["quads"] = len(store)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--quick", action="store_true", help="a small N in under a minute")
    parser.add_argument("--work", type=Path, default=None, help="where corpora and builds go (default: a temp dir)")
    args = parser.parse_args()
    sizes = [200] if args.quick else [int(s) for s in args.sizes.split(",")]
    work = args.work or Path(tempfile.mkdtemp(prefix="reformkg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    machine = {"cpus": os.cpu_count(), "python": platform.python_version(), "machine": platform.machine()}
    print(json.dumps({"machine": machine, "work": str(work)}), flush=True)
    speed = extraction_throughput(corpus(work, sizes[-1]), limit=min(sizes[-1], 2000))
    print(json.dumps(speed), flush=True)
    rows = build_runs(work, sizes)
    largest = work / f"build-{sizes[-1]}-j2"
    summary = {**speed, "builds": rows, **writers(largest), "latency_ms": latencies(largest),
               "peak_rss_mb": max(max(r["jobs1_rss_mb"], r["jobs2_rss_mb"]) for r in rows)}
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
