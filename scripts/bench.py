#!/usr/bin/env python3
"""Benchmark reformkg against the floor every jieba-based pipeline shares.

    python scripts/bench.py [--sizes 1000,10000,100000] [--quick] [--work DIR]

In one run, on corpora generated from our own sample articles (kg.synthetic: places across
the whole gazetteer, numbers and practice names varied), it measures:
- extraction throughput in one process (KB/s, articles/s), plain `jieba.lcut` on the same
  text, and their ratio; also extraction plus writing the article's graph as text; the
  same on the real reports of ../shared/corpus/real when it is there;
- end-to-end `kg build` wall time and peak memory at each size, with --jobs 1 and --jobs 2
  (peak RSS of the largest process, and of the whole process tree sampled every 0.2 s: its RSS summed,
  which counts each page the forked workers share with the main process once per process, and its
  PSS summed, which counts a shared page once in all), and with
  --engine dask on a local cluster of two workers;
- writing N-Quads and Turtle (the text writer of kg.rdf), the sizes of the files, and all the bytes a
  build writes (files and store) against its text; end-to-end KB/s of each build against jieba.lcut;
- the latency of each ready-made `kg` question and of three SPARQL queries on the largest
  store, in-process after one warm-up call (what a user waits for, without interpreter start-up).
Speed is reported as ratios against baselines measured in the same run, since the machines
are shared and noisy. The last line printed is one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
REAL_REPORTS = ROOT.parent / "shared" / "corpus" / "real"
sys.path.insert(0, str(ROOT))

# {place}, {province} and {practice}: the busiest county of the store whose name is its own, its
# province, and the most adopted mechanism
QUESTIONS = [
    ["localities"], ["mechanisms"], ["mechanisms", "--locality", "{province}"], ["metrics", "--locality", "{place}"],
    ["stats"], ["similar", "{place}"], ["show", "{place}"], ["path", "{place}", "{practice}"],
]
SPARQL = {
    "adopters per concept": "SELECT ?c (COUNT(DISTINCT ?l) AS ?n) WHERE { ?l rk:adopts ?m . ?m skos:broader ?c } "
                            "GROUP BY ?c ORDER BY DESC(?n) LIMIT 20",
    "metrics over 1亿元 with their place": "SELECT ?x ?v ?name WHERE { ?x rk:unit \"元\" ; rk:value ?v ; rk:locality ?l . "
                                         "?l rdfs:label ?name FILTER(?v > 100000000) } LIMIT 100",
    "mechanisms labelled 绩效": "SELECT ?m ?l WHERE { ?m a rk:Mechanism ; rdfs:label ?l . FILTER(CONTAINS(STR(?l), \"绩效\")) }",
}
BUSIEST = """SELECT ?place ?province ?practice WHERE {
  { SELECT ?l (COUNT(?m) AS ?n) WHERE { ?l rk:adopts ?m ; rk:level "county" ; rdfs:label ?name
      FILTER NOT EXISTS { ?namesake rdfs:label ?name FILTER(?namesake != ?l) } }
    GROUP BY ?l ORDER BY DESC(?n) ?l LIMIT 1 }
  { SELECT ?m (COUNT(?a) AS ?k) WHERE { ?a rk:adopts ?m } GROUP BY ?m ORDER BY DESC(?k) ?m LIMIT 1 }
  ?l rdfs:label ?place ; rk:partOf+ ?p . ?p rk:level "province" ; rdfs:label ?province .
  ?m rdfs:label ?practice FILTER(LANG(?practice) = "zh") } LIMIT 1"""


def corpus(work: Path, n: int) -> Path:
    from kg.synthetic import load_templates, write_jsonl
    out = work / f"corpus-{n}"
    if not out.exists():
        write_jsonl(out, load_templates(ROOT / "tests" / "corpus", ROOT / "tests" / "gold"), n, seed=n)
    return out


def _timed_loop(items, work, repeat: int = 1) -> float:
    """Seconds per pass of `work` over `items`: the best of `repeat` passes (a small corpus is timed several times).
    Each pass starts with the caches keyed by text empty, so a pass never reuses what the one before cut."""
    from kg import segment

    best = float("inf")
    for _ in range(repeat):
        segment.tagged.cache_clear()
        start = time.perf_counter()
        for item in items:
            work(item)
        best = min(best, time.perf_counter() - start)
    return best


def extraction_throughput(folder: Path, limit: int, repeat: int = 1) -> dict:
    """Extraction in this process against plain jieba.lcut on the same article texts; and the text writer."""
    import jieba

    from kg import engine, rdf
    from kg.extract import extract
    from kg.ingest import read

    articles = [a for _, a in zip(range(limit), read([folder], []))]
    engine.warm()
    jieba.lcut("预热")
    for a in articles[:20]:
        extract(a)  # warm caches: gazetteer, thesaurus, automata
    kb = sum(len(a.text.encode("utf-8")) for a in articles) / 1024
    ours = _timed_loop(articles, extract, repeat)
    floor = _timed_loop(articles, lambda a: jieba.lcut(a.text), repeat)
    pipeline = _timed_loop(articles, engine.extract_one, repeat)
    results = [extract(a) for a in articles]
    graphs = [(a.id, rdf.triples(r)) for a, r in zip(articles, results)]
    written = []
    writing = _timed_loop(graphs, lambda g: written.append(rdf.serialise(*g)))
    triples = sum(len(t) for _, t in graphs)
    mb = sum(len(piece) for w in written for piece in (*w.nquads(), *w.turtle())) / 2 ** 20
    return {"articles": len(articles), "kb": round(kb), "extract_kb_s": round(kb / ours, 1),
            "extract_articles_s": round(len(articles) / ours, 1), "jieba_kb_s": round(kb / floor, 1),
            "ratio_vs_jieba": round(floor / ours, 3), "extract_and_graph_kb_s": round(kb / pipeline, 1),
            "ratio_vs_jieba_with_graph": round(floor / pipeline, 3),
            "write_triples_s": round(triples / writing), "write_mb_s": round(mb / writing, 1)}


def timed(cmd: list) -> tuple:
    """Wall time (s) and the peak memory (MB) of the largest process (RSS) and of the process tree (RSS and PSS
    summed)."""
    start = time.perf_counter()
    process = psutil.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peaks = {"largest": 0, "tree": 0, "tree_pss": 0}

    def sample():
        while process.poll() is None:
            try:
                tree = [process, *process.children(recursive=True)]
                memory = [p.memory_full_info() for p in tree]
            except psutil.Error:
                continue
            peaks["largest"] = max(peaks["largest"], max(m.rss for m in memory))
            peaks["tree"] = max(peaks["tree"], sum(m.rss for m in memory))
            peaks["tree_pss"] = max(peaks["tree_pss"], sum(getattr(m, "pss", m.rss) for m in memory))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample)
    sampler.start()
    out, err = process.communicate()
    sampler.join()
    wall = time.perf_counter() - start
    if process.returncode:
        raise SystemExit(f"{' '.join(map(str, cmd))} failed:\n{err.decode()[-2000:]}")
    return wall, {name: peak / 2 ** 20 for name, peak in peaks.items()}


def kg(*args) -> list:
    return [sys.executable, "-m", "kg.cli", *map(str, args)]


def text_kb(folder: Path) -> float:
    """KB of article text in a generated corpus (its JSONL lines' text fields)."""
    return sum(len(json.loads(line)["text"].encode("utf-8")) for part in sorted(folder.glob("*.jsonl"))
               for line in part.open(encoding="utf-8")) / 1024


def written_mb(out: Path) -> float:
    """MB a build wrote: every file of its generation folder, the store's included."""
    return sum(f.stat().st_size for f in (out / "current").resolve().rglob("*") if f.is_file()) / 2 ** 20


# each build of a corpus: the name of its figures, its folder under --work, its options
BUILDS = (("jobs1", "j1", ("--jobs", 1)), ("jobs2", "j2", ("--jobs", 2)),
          ("dask2", "dask2", ("--jobs", 2, "--engine", "dask")))


def build_runs(work: Path, sizes: list, jieba_kb_s: float) -> list:
    rows = []
    for n in sizes:
        folder = corpus(work, n)
        row = {"n": n, "text_mb": round(text_kb(folder) / 1024, 1)}
        for name, folder_name, options in BUILDS:
            out = work / f"build-{n}-{folder_name}"
            wall, peaks = timed(kg("build", folder, "--out", out, *options))
            row[f"{name}_s"] = round(wall, 1)
            row[f"{name}_rss_mb"], row[f"{name}_tree_rss_mb"] = round(peaks["largest"]), round(peaks["tree"])
            row[f"{name}_tree_pss_mb"] = round(peaks["tree_pss"])
        row["scaling"] = round(row["jobs1_s"] / row["jobs2_s"], 2)
        row["dask2_vs_jobs2"] = round(row["jobs2_s"] / row["dask2_s"], 2)
        out = work / f"build-{n}-j2"
        row["triples"] = json.loads((out / "report.json").read_text(encoding="utf-8"))["triples"]
        row["graph_nq_gz_mb"] = round((out / "graph.nq.gz").stat().st_size / 2 ** 20)
        row["graph_ttl_mb"] = round((out / "graph.ttl").stat().st_size / 2 ** 20)
        row["written_mb"] = round(written_mb(out))
        row["written_vs_text"] = round(row["written_mb"] / row["text_mb"], 1)
        for jobs in (1, 2):
            row[f"jobs{jobs}_kb_s"] = round(row["text_mb"] * 1024 / row[f"jobs{jobs}_s"])
            row[f"jobs{jobs}_vs_jieba"] = round(row[f"jobs{jobs}_kb_s"] / jieba_kb_s, 3)
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    return rows


def latencies(out: Path) -> dict:
    """Milliseconds of each question and query, run in this process after a warm-up run of each."""
    from click.testing import CliRunner

    from kg.cli import main

    from kg import store

    names = store.select(store.connect(out), BUSIEST)[0]
    runner, result = CliRunner(), {}
    questions = [[a.format(**names) for a in q] for q in QUESTIONS]
    commands = {" ".join(q): q for q in questions} | {"sparql: " + name: ["query", q] for name, q in SPARQL.items()}
    for name, args in commands.items():
        args = [*args, "--out", str(out), "--format", "json"]
        runner.invoke(main, args)
        start = time.perf_counter()
        answer = runner.invoke(main, args)
        result[name] = round((time.perf_counter() - start) * 1000)
        if answer.exit_code:
            result[name] = f"failed: {answer.output.strip()[:200]}"
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help="comma-separated corpus sizes (default: 1000,10000,100000; 200 with --quick)")
    parser.add_argument("--quick", action="store_true", help="one small size, in under a minute")
    parser.add_argument("--work", type=Path, default=None, help="where corpora and builds go (default: a temp dir)")
    args = parser.parse_args()
    sizes = [int(s) for s in (args.sizes or ("200" if args.quick else "1000,10000,100000")).split(",")]
    work = args.work or Path(tempfile.mkdtemp(prefix="reformkg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    machine = {"cpus": os.cpu_count(), "python": platform.python_version(), "machine": platform.machine(),
               "memory_gb": round(psutil.virtual_memory().total / 2 ** 30)}
    print(json.dumps({"machine": machine, "work": str(work)}), flush=True)
    # a small corpus is timed in well under a second: the best of three passes, as for the real reports
    speed = extraction_throughput(corpus(work, sizes[-1]), limit=min(sizes[-1], 2000), repeat=3 if sizes[-1] <= 1000 else 1)
    print(json.dumps(speed), flush=True)
    if REAL_REPORTS.is_dir():
        speed["real_reports"] = extraction_throughput(REAL_REPORTS, limit=1000, repeat=5)
        print(json.dumps({"real_reports": speed["real_reports"]}), flush=True)
    rows = build_runs(work, sizes, speed["jieba_kb_s"])
    summary = {"machine": machine, **speed, "builds": rows,
               "latency_ms": latencies(work / f"build-{sizes[-1]}-j2"),
               "peak_rss_mb": max(max(r["jobs1_rss_mb"], r["jobs2_rss_mb"]) for r in rows),
               "peak_tree_rss_mb": max(max(r["jobs1_tree_rss_mb"], r["jobs2_tree_rss_mb"]) for r in rows),
               "peak_tree_pss_mb": max(max(r["jobs1_tree_pss_mb"], r["jobs2_tree_pss_mb"]) for r in rows)}
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
