"""Diffusion: kg spread orders adopters by date, the diffusion network points from earlier to later
adopters, and every row keeps its sentence. tests/dated is our own small dated corpus: one practice
adopted in five counties on dates written five ways (a date line, an HTML meta tag, a month, a JSONL
field, none but a metric's year), another in two provinces."""
from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from kg import diffusion, dates, store
from kg.cli import main
from kg.network import from_store
from kg.questions import open_build

from conftest import ROOT, run_build

DATED = ROOT / "tests" / "dated"


@pytest.fixture(scope="module")
def dated_build(tmp_path_factory):
    return run_build([DATED], tmp_path_factory.mktemp("dated"))


def kg(out, *args) -> list:
    result = CliRunner().invoke(main, [*args, "--format", "json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_spread_orders_adopters_by_date(dated_build):
    rows = kg(dated_build, "spread", "零基预算")
    assert [(r["locality"], r["issued"], r["dated_by"]) for r in rows] == [
        ("任城区", "2021-03-15", "issued"), ("巨野县", "2022-06", "issued"), ("临邑县", "2022-06-08", "issued"),
        ("肥城市", "2023-01-09", "issued"), ("临清市", "2024", "metric")]
    assert [r["locality"] for r in rows if r["first"]] == ["任城区"]
    assert [r["order"] for r in rows] == [1, 2, 3, 4, 5]
    assert all(r["evidence"] and r["article"] for r in rows)
    assert {(r["level"], r["province"]) for r in rows} == {("county", "山东省")}


def test_spread_by_year_province_and_level(dated_build):
    by_year = kg(dated_build, "spread", "告知承诺制", "--by", "year")
    assert [(r["year"], r["adopters"]) for r in by_year] == [(2020, ["吴江区"]), (2022, ["临邑县"]), (2023, ["肥城市"])]
    by_province = kg(dated_build, "spread", "告知承诺制", "--by", "province")
    assert [(r["province"], r["localities"], r["first"]) for r in by_province] == [
        ("江苏省", 1, "2020-11-08"), ("山东省", 2, "2022-06-08")]
    by_level = kg(dated_build, "spread", "零基预算", "--by", "level")
    assert [(r["level"], r["localities"]) for r in by_level] == [("county", 5)]
    assert all(len(r["evidence"]) == r["localities"] == len(r["articles"]) for r in by_year + by_province + by_level)


def test_practices_ranked_by_spread(dated_build):
    rows = kg(dated_build, "spread")
    assert [(r["practice"], r["provinces"], r["localities"], r["years"]) for r in rows[:2]] == [
        ("告知承诺制", 2, 3, 3), ("零基预算", 1, 5, 4)]
    assert rows[1]["span"] == "2021–2024" and rows[1]["first_adopters"] == ["任城区"]
    assert all(r["evidence"] for r in rows)


def test_an_undated_adopter_without_metric_year_comes_last(tmp_path):
    (tmp_path / "a.txt").write_text("江山市推行零基预算\n发布时间：2022-05-06\n\n浙江省江山市财政局推行零基预算改革，全面重塑预算编制流程。\n",
                                    encoding="utf-8")
    (tmp_path / "b.txt").write_text("临清市推行零基预算\n\n山东省聊城市临清市财政局推行零基预算改革，全面重塑预算编制流程。\n",
                                    encoding="utf-8")
    out = run_build([tmp_path / "a.txt", tmp_path / "b.txt"], tmp_path / "out")
    result = CliRunner().invoke(main, ["spread", "零基预算", "--format", "json", "--out", str(out)])
    rows = json.loads(result.stdout)
    assert [(r["locality"], r["order"], r["issued"], r["first"]) for r in rows] == [
        ("江山市", 1, "2022-05-06", True), ("临清市", None, None, False)]
    assert "1 adopter undated" in result.stderr and "adopters" not in result.stderr


def test_a_practice_name_covers_the_variants_under_its_concept(own_build):
    """预算绩效管理 is a top concept: its practice takes in 事前绩效评估 (written 事前评估) and 绩效评价,
    which are narrower; a practice is shown by its one preferred label."""
    build = open_build(own_build)
    labels = set(store.labels(build.store, diffusion.practices_named(build, "预算绩效管理")).values())
    assert {"事前绩效评估", "绩效评价", "财政重点评价"} <= labels and not {"零基预算", "零基预算改革"} & labels
    rows = diffusion.spread(build, "预算绩效管理").rows
    assert {r[8] for r in rows} > {"事前绩效评估"}      # the practice column says which variant


def test_unknown_practice_is_a_one_line_error(dated_build):
    result = CliRunner().invoke(main, ["spread", "不存在的做法", "--out", str(dated_build)])
    assert result.exit_code == 1 and result.output.startswith("Error: no practice named")


def _edge_dates(evidence: str) -> list:
    return [tuple(line.split(": ", 1)[1].split(" → ")) for line in evidence.splitlines()]


def test_diffusion_edges_point_from_earlier_to_later_adopters(dated_build):
    net = from_store(store.connect(dated_build))
    label = {n: d["label"] for n, d in net.nodes(data=True)}
    edges = {(label[a], label[b]): d for a, b, d in net.edges(data=True) if d["relation"] == "followed_by"}
    assert edges[("临邑县", "肥城市")]["weight"] == 2                 # both practices, earlier → later
    assert ("任城区", "临清市") in edges and ("临清市", "任城区") not in edges
    assert ("巨野县", "临邑县") not in edges and ("临邑县", "巨野县") not in edges   # 2022-06 holds 2022-06-08
    for d in edges.values():
        for earlier, later in _edge_dates(d["evidence"]):
            assert dates.period(earlier)[1] < dates.period(later)[0]


def test_diffusion_view_and_timeline_are_offline_pages(dated_build, tmp_path):
    for args in (["--diffusion"], ["--diffusion", "--practice", "零基预算"]):
        page = tmp_path / "view.html"
        result = CliRunner().invoke(main, ["viz", *args, "-o", str(page), "--out", str(dated_build)])
        assert result.exit_code == 0, result.output
        text = page.read_text(encoding="utf-8")
        assert "followed_by" in text and not re.search(r"(src|href)=\"https?:", text)
    assert "2021-03-15" in text          # the timeline writes each adopter's date
    net = diffusion.network(store.connect(dated_build), diffusion.practices_named(open_build(dated_build), "零基预算"))
    xs = sorted((d["x"], d["label"].split("\n")[0]) for _, d in net.nodes(data=True))
    assert [name for _, name in xs] == ["任城区", "巨野县", "临邑县", "肥城市", "临清市"]


def test_real_reports_spread_in_date_order(real_build):
    """On ../shared/corpus/real every practice's adopters come in date order, each dated adoption has its
    article's dcterms:issued, and every diffusion edge points from an earlier to a later date."""
    st = store.connect(real_build)
    issued = {r["a"]: str(r["d"]) for r in store.select(st, "SELECT ?a ?d WHERE { ?a dcterms:issued ?d }")}
    assert len(issued) == 6
    found = diffusion.adoptions(st)
    assert {a.issued for a in found if a.dated_by == "issued"} <= set(issued.values())
    assert all(a.issued == issued[a.article] for a in found if a.dated_by == "issued")
    build = open_build(real_build)
    for row in kg(real_build, "spread", "--limit", "0")[:10]:
        rows = diffusion.spread(build, row["practice"]).rows
        starts = [dates.period(r[4])[0] for r in rows if r[4]]
        assert starts == sorted(starts), row["practice"]
    for pairs in diffusion.followers(diffusion.firsts(found)).values():
        assert all(a.period[1] < b.period[0] for a, b in pairs)
