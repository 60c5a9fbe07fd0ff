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
    for name in ("extract_kb_s", "jieba_kb_s", "ratio_vs_jieba", "peak_rss_mb"):
        assert figures[name] > 0, name
    assert [row["n"] for row in figures["builds"]] == [40]
    assert figures["builds"][0]["triples"] > 40 * 100
    latency = figures["latency_ms"]
    assert len(latency) == 11 and all(isinstance(ms, int) for ms in latency.values()), latency
