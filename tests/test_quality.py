"""The graph scored against gold annotations with ../shared/eval/score.py: the bars of the issues."""
from conftest import GOLD, HELDOUT, SHARED, score


def test_seed_page_meets_the_bars(scorer, seed_build):
    s = score(scorer, seed_build / "graph.ttl", [SHARED / "gold" / "seed.json"])
    assert s["adopts"]["f1"] >= 0.85, s["adopts"]
    assert s["yields"]["f1"] >= 0.75, s["yields"]
    assert s["metrics"]["f1"] >= 0.90, s["metrics"]
    assert s["localities"]["recall"] == 1.0
    assert s["parents"]["recall"] == 1.0
    assert s["titles"]["found"] == s["titles"]["total"] == 9


def test_dev_articles_meet_the_bars(scorer, dev_build):
    s = score(scorer, dev_build / "graph.ttl", [SHARED / "gold" / "dev.json"])
    assert s["localities"]["recall"] == 1.0
    assert s["parents"]["recall"] == 1.0
    assert s["metrics"]["f1"] >= 0.90, s["metrics"]
    assert s["adopts"]["f1"] >= 0.80, s["adopts"]
    assert s["yields"]["f1"] >= 0.70, s["yields"]


def test_own_articles_generalise(scorer, own_build):
    """Our own articles from other provinces, scripts and formats (tests/corpus, tests/gold)."""
    s = score(scorer, own_build / "graph.ttl", sorted(GOLD.glob("*.json")))
    assert s["localities"]["recall"] == 1.0
    assert s["parents"]["recall"] == 1.0
    assert s["metrics"]["f1"] >= 0.88, s["metrics"]
    assert s["adopts"]["f1"] >= 0.70, s["adopts"]
    assert s["yields"]["f1"] >= 0.60, s["yields"]


def test_kg_eval_equals_the_reference_scorer(scorer, seed_build, dev_build, own_build, real_build):
    import json

    from click.testing import CliRunner

    from kg.cli import main

    cases = [(seed_build, [SHARED / "gold" / "seed.json"]), (dev_build, [SHARED / "gold" / "dev.json"]),
             (own_build, sorted(GOLD.glob("*.json"))), (real_build, [SHARED / "gold" / "real.json"])]
    for build, golds in cases:
        result = CliRunner().invoke(main, ["eval", *map(str, golds), "--out", str(build), "--json"])
        assert result.exit_code == 0, result.output
        ours = json.loads(result.output)
        reference = score(scorer, build / "graph.ttl", golds)
        for kind in ("localities", "parents", "adopts", "yields", "metrics", "titles", "measures"):
            assert ours[kind] == reference[kind], (build, kind)
        assert ours["stray_statements"] == reference["stray_statements"]
        assert sorted(ours["extra_localities"]) == sorted(reference["extra_localities"])


def test_held_out_articles(scorer, heldout_build):
    """Articles written apart from the extractor and never used to tune it (tests/heldout)."""
    s = score(scorer, heldout_build / "graph.ttl", sorted((HELDOUT / "gold").glob("*.json")))
    assert s["localities"]["recall"] >= 0.9, s["localities"]
    assert s["metrics"]["f1"] >= 0.85, s["metrics"]
    assert s["adopts"]["f1"] >= 0.75, s["adopts"]
    assert s["yields"]["f1"] >= 0.70, s["yields"]


def test_real_reports_hold_what_they_reached(scorer, real_build):
    """../shared/corpus/real (35 web reports of many sectors): the figures reached so far, kept from
    falling back below the bars of the real-reports issue (adopts 0.75, yields 0.65, metrics 0.90,
    measures 0.75, localities and parents 0.95; reached: 0.762, 0.739, 0.946, 0.790, 1.0, 1.0)."""
    s = score(scorer, real_build / "graph.ttl", [SHARED / "gold" / "real.json"])
    assert s["localities"]["recall"] == 1.0 and s["parents"]["recall"] == 1.0
    assert s["metrics"]["f1"] >= 0.90, s["metrics"]
    assert s["measures"]["accuracy"] >= 0.75, s["measures"]
    assert s["adopts"]["f1"] >= 0.75, s["adopts"]
    assert s["yields"]["f1"] >= 0.70, s["yields"]  # the issue asks 0.65
