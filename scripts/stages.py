#!/usr/bin/env python3
"""Where a build spends its time, by pipeline stage, from a py-spy profile.

    python scripts/stages.py CORPUS [--jobs 1] [--rate 100] [--svg profile.svg]

Runs `kg build CORPUS` under py-spy (sampling the build and its worker processes) and
prints the share of samples of each stage module: a sample counts for the innermost frame
of our own code, so time in jieba counts for kg/segment.py, time in pyoxigraph for the kg
module that called it. Waiting threads are not sampled. With --svg, also writes a flame graph.
"""
from __future__ import annotations

import argparse
import collections
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

OWN = re.compile(r"\((?:.*/)?(kg/[\w/]+\.py):\d+\)")


def stage_shares(raw: Path) -> list:
    """(stage, share of samples) from py-spy's raw (collapsed stack) output, largest first."""
    counts: collections.Counter = collections.Counter()
    for line in raw.read_text(encoding="utf-8").splitlines():
        stack, _, n = line.rpartition(" ")
        own = OWN.findall(stack)
        counts[own[-1] if own else "outside kg (start-up, imports, process pool)"] += int(n)
    total = sum(counts.values()) or 1
    return [(stage, n / total) for stage, n in counts.most_common()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus")
    parser.add_argument("--jobs", default="1")
    parser.add_argument("--rate", default="100", help="samples a second")
    parser.add_argument("--svg", type=Path, help="also write a flame graph here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        raw = Path(work) / "profile.txt"
        build = [sys.executable, "-m", "kg.cli", "build", args.corpus, "--out", str(Path(work) / "out"),
                 "--jobs", args.jobs]
        spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))   # in the venv
        subprocess.run([spy, "record", "--subprocesses", "-r", args.rate, "-f", "raw", "-o", str(raw), "--", *build],
                       check=True, capture_output=True)
        if args.svg:
            subprocess.run([spy, "record", "--subprocesses", "-r", args.rate, "-o", str(args.svg), "--", *build],
                           check=True, capture_output=True)
        for stage, share in stage_shares(raw):
            if share >= 0.005:
                print(f"{share:6.1%}  {stage}")


if __name__ == "__main__":
    main()
