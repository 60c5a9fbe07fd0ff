"""Comparable measures: metrics map to the SKOS scheme of ontology/measures.ttl, and kg compare lists
one measure across localities, only the values that compare unless --all, each with its sentence."""
from __future__ import annotations

import json
from collections import Counter

from click.testing import CliRunner

from kg import measures
from kg.cli import main

from conftest import ROOT, run_build


def compare(out, *args):
    result = CliRunner().invoke(main, ["compare", *args, "--format", "json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), result.stderr


def label(written, unit):
    m = measures.measure_of(written, unit)
    return m.label if m else None


def test_words_and_unit_map_a_metric_to_its_measure():
    assert label("平均审减率", "%") == "审减率" and label("资金核减率", "%") == "审减率"
    assert label("审批时限平均压减", "%") == "压缩率"           # a rate: not the time limit its words also name
    assert label("一般社会投资项目审批时限", "工作日") == "办结时限"
    assert label("压减一般性支出", "元") == "压减支出" and label("同比压减", "%") == "预算压减率"
    assert label("申请材料平均压减", "%") == "材料精简率"
    assert label("注册用户", "人") is None


def test_values_that_cannot_be_compared_are_flagged():
    rate = measures.named("节约率")
    assert measures.flag(rate, "%") == ""
    assert measures.flag(rate, "元") == "an amount (元), not a rate (%)"
    assert measures.flag(measures.named("办结时限"), "天") == "in 天, not 工作日"
    assert label("节约率", "元") == "节约资金"        # an amount named by a rate's words is an amount saved…
    coverage = measures.measure_of("自评覆盖率", "元")        # …but no amount is named 覆盖: a rate, flagged
    assert coverage.label == "覆盖率" and measures.flag(coverage, "元") == "an amount (元), not a rate (%)"


def test_the_scheme_gives_each_measure_a_unit_of_its_dimension_and_each_label_one_measure():
    found, dimensions = measures.scheme()
    assert {"审减率", "节约率", "办结时限", "压缩率", "覆盖率", "资金规模"} <= {m.label for m in found}
    assert all(m.unit in dimensions[m.dimension][1] for m in found)
    twice = Counter((m.dimension, l) for m in found for l in m.labels)
    assert [k for k, n in twice.items() if n > 1] == []


def test_compare_returns_only_comparable_values(own_build):
    rows, notes = compare(own_build, "办结时限")
    assert rows and all(r["unit"] == "工作日" and r["comparable"] and r["note"] is None for r in rows)
    assert [r["value"] for r in rows] == sorted((r["value"] for r in rows), reverse=True)
    assert "values of 办结时限 left out: they cannot be compared" in notes
    everything, _ = compare(own_build, "办结时限", "--all")
    flagged = [r for r in everything if not r["comparable"]]
    assert flagged and {r["unit"] for r in flagged} >= {"天", "分钟"} and all(r["note"] for r in flagged)
    assert len(everything) == len(rows) + len(flagged)


def test_a_note_counts_one_value_in_the_singular(seed_build):
    _, notes = compare(seed_build, "办结时限")
    assert "1 value of 办结时限 left out: it cannot be compared" in notes


def test_every_compared_value_has_its_source_and_sentence(tmp_path):
    out = run_build([ROOT / "tests" / "dated"], tmp_path / "out")
    rows, _ = compare(out, "审减率")
    assert [(r["locality"], r["value"], r["year"], r["year_from"]) for r in rows] == [
        ("任城区", 18.5, 2021, "issued"), ("临邑县", 12.3, 2022, "issued"), ("肥城市", 9.6, 2023, "issued")]
    assert all(r["article"] and any(str(r["value"]) in s for s in r["evidence"]) for r in rows)


def test_compare_lists_the_measures_and_names_them_clearly(own_build):
    rows, _ = compare(own_build)
    assert {r["measure"] for r in rows} == {m.label for m in measures.scheme()[0]}
    assert all(r["comparable"] + r["flagged"] >= 0 for r in rows)
    result = CliRunner().invoke(main, ["compare", "不存在", "--out", str(own_build)])
    assert result.exit_code == 1 and "the measures are" in result.output
