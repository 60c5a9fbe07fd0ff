"""The benchmark script runs end to end (how fast is its own business: see BENCHMARKS.md)."""
import json
import subprocess
import sys

from conftest import ROOT


def test_quick_benchmark_prints_its_figures_last(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench.py"), "--quick", "--sizes", "40",
                           "--work", str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    for name in ("extract_kb_s", "jieba_kb_s", "ratio_vs_jieba", "peak_rss_mb", "peak_tree_pss_mb"):
        assert figures[name] > 0, name
    assert [row["n"] for row in figures["builds"]] == [40]
    build = figures["builds"][0]
    assert build["triples"] > 40 * 100 and build["text_mb"] > 0 and build["jobs2_vs_jieba"] > 0
    assert build["written_mb"] > build["graph_ttl_mb"] and build["written_vs_text"] > 1
    assert build["dask2_s"] > 0 and build["dask2_vs_jobs2"] > 0
    assert 0 < build["jobs2_tree_pss_mb"] <= build["jobs2_tree_rss_mb"] + 1   # a shared page counted once
    latency = figures["latency_ms"]
    assert len(latency) == 11 and all(isinstance(ms, int) for ms in latency.values()), latency


def test_profile_samples_count_for_the_innermost_stage_of_our_code(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    from stages import stage_shares

    raw = tmp_path / "profile.txt"
    raw.write_text(
        "<module> (kg:8);build (kg/build.py:140);extract (kg/extract/__init__.py:35);words (kg/segment.py:41);"
        "cut (jieba/__init__.py:300) 3\n"
        "<module> (kg:8);build (kg/build.py:140);load_turtle (/work/main/kg/store.py:43) 1\n"
        "<module> (runpy:88);_bootstrap (threading.py:1002) 1\n", encoding="utf-8")
    shares = dict(stage_shares(raw))
    assert shares["kg/segment.py"] == 0.6 and shares["kg/store.py"] == 0.2
    assert shares["outside kg (start-up, imports, process pool)"] == 0.2
