"""Shared fixtures: the ../shared data (required under CI=true) and builds made once per session."""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = ROOT / "tests" / "corpus"
GOLD = ROOT / "tests" / "gold"
HELDOUT = ROOT / "tests" / "heldout"
SEED = SHARED / "corpus" / "000_2257256481bb103b.txt"


def need_shared() -> Path:
    """../shared beside the repository; its absence fails under CI=true and skips elsewhere."""
    if not (SHARED / "eval" / "score.py").exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{SHARED} is missing: CI must run with ../shared beside the repository")
        pytest.skip("../shared is not available")
    return SHARED


def run_build(inputs: list, out: Path) -> Path:
    result = CliRunner().invoke(main, ["build", *map(str, inputs), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def scorer():
    spec = importlib.util.spec_from_file_location("shared_score", need_shared() / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score(scorer, graph: Path, gold_files: list) -> dict:
    import json
    golds = [json.loads(Path(g).read_text(encoding="utf-8")) for g in gold_files]
    return scorer.score(scorer.read_prediction(scorer.load_graph(str(graph))), golds)


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory):
    need_shared()
    return run_build([SEED], tmp_path_factory.mktemp("seed"))


@pytest.fixture(scope="session")
def dev_build(tmp_path_factory):
    return run_build([need_shared() / "corpus" / "dev"], tmp_path_factory.mktemp("dev"))


@pytest.fixture(scope="session")
def real_build(tmp_path_factory):
    return run_build([need_shared() / "corpus" / "real"], tmp_path_factory.mktemp("real"))


@pytest.fixture(scope="session")
def own_build(tmp_path_factory):
    return run_build([CORPUS], tmp_path_factory.mktemp("own"))


@pytest.fixture(scope="session")
def heldout_build(tmp_path_factory):
    return run_build([HELDOUT / "corpus"], tmp_path_factory.mktemp("heldout"))
