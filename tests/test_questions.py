"""The ready-made questions on the build of the seed page, checked against the graph itself (rdflib)."""
import csv
import io
import json
import shutil

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.namespace import RDFS, SKOS

from kg import store
from kg.cli import main
from kg.vocab import RK

INJECTION = '临清市" } DROP ALL { "'
SHANDONG = {"临清市", "菏泽市", "任城区", "天衢新区", "南海新区", "巨野县", "淄博市", "汶上县", "宁津县",
            "聊城市", "济宁市", "德州市", "威海市", "山东省"}


def ask(build, *args, fmt="json"):
    result = CliRunner().invoke(main, [*map(str, args), "--out", str(build), "--format", fmt])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if fmt == "json" else result.stdout


def fails(build, *args) -> str:
    result = CliRunner().invoke(main, [*map(str, args), "--out", str(build)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    return result.output


@pytest.fixture(scope="module")
def graph(seed_build):
    return rdflib.Graph().parse(seed_build / "graph.ttl")


def locality(g, name):
    return next(g.subjects(RDFS.label, rdflib.Literal(name, lang="zh")))


def adopted(g, *names):
    return {m for n in names for m in g.objects(locality(g, n), RK.adopts)}


def test_localities_with_parents_codes_and_counts(seed_build, graph):
    rows = {r["locality"]: r for r in ask(seed_build, "localities")}
    assert set(rows) == SHANDONG
    assert rows["任城区"]["parents"] == ["济宁市", "山东省"] and rows["任城区"]["code"] == "370811"
    assert rows["临清市"]["parents"] == ["聊城市", "山东省"] and rows["天衢新区"]["parents"] == ["德州市", "山东省"]
    for name, row in rows.items():
        assert row["mechanisms"] == len(adopted(graph, name))
        assert row["metrics"] == len(set(graph.subjects(RK.locality, locality(graph, name))))


def test_mechanisms_roll_the_hierarchy_up(seed_build, graph):
    jining = ask(seed_build, "mechanisms", "--locality", "济宁市")
    assert len(jining) == len(adopted(graph, "任城区", "汶上县")) > 0
    assert {l for r in jining for l in r["adopted_by"]} == {"任城区", "汶上县"}
    everything = ask(seed_build, "mechanisms")
    assert ask(seed_build, "mechanisms", "--locality", "山东省") == everything
    assert len(everything) == len(set(graph.subjects(rdflib.RDF.type, RK.Mechanism)))
    top = everything[0]
    assert top["localities"] == len(top["adopted_by"]) == max(r["localities"] for r in everything)


def test_mechanisms_under_a_concept(seed_build, graph):
    concept = next(graph.subjects(SKOS.prefLabel, rdflib.Literal("绩效评价", lang="zh")))
    under = {m for m in graph.subjects(RDFS.label | SKOS.prefLabel, None)
             if concept in graph.transitive_objects(m, SKOS.broader) and m != concept and (None, RK.adopts, m) in graph}
    rows = ask(seed_build, "mechanisms", "--concept", "绩效评价")
    assert len(rows) == len(under) and "绩效评价" in {r["mechanism"] for r in rows}
    assert len(ask(seed_build, "mechanisms", "--concept", "绩效评价", "--locality", "济宁市")) < len(rows)


def test_metrics_with_value_unit_year_and_evidence(seed_build):
    rows = ask(seed_build, "metrics", "--locality", "临清市")
    score = next(r for r in rows if r["value"] == 97.42)
    assert (score["unit"], score["year"], score["measure"]) == ("分", 2022, "平均得分")
    assert score["mechanisms"] == ["“全覆盖+双监控”"] and "97.42" in score["evidence"][0]
    assert score["article"].startswith("临清市")
    counts = {r["locality"]: r["metrics"] for r in ask(seed_build, "localities")}
    jining = ask(seed_build, "metrics", "--locality", "济宁市")
    assert {r["locality"] for r in jining} == {"任城区", "汶上县"}
    assert len(jining) == counts["任城区"] + counts["汶上县"]
    everything = ask(seed_build, "metrics")
    assert len(everything) == sum(counts.values())
    bills = ask(seed_build, "metrics", "--mechanism", "电子票据")
    assert bills and all("电子票据" in r["mechanisms"] and r["evidence"] for r in bills)


def test_metrics_no_mechanism_yields(own_build):
    rows = ask(own_build, "metrics")
    assert len(rows) == len(set(rdflib.Graph().parse(own_build / "graph.ttl").subjects(rdflib.RDF.type, RK.Metric)))
    alone = [r for r in rows if not r["mechanisms"]]
    assert alone and all(not r["evidence"] and r["article"] for r in alone)


@pytest.mark.parametrize("name", ["臨清市", "临清", "聊城市临清市", "山东聊城临清市", " “临清市” "])
def test_names_in_either_script_full_or_short(seed_build, name):
    assert ask(seed_build, "show", name) == ask(seed_build, "show", "临清市")


def test_show_everything_with_evidence(seed_build, graph):
    rows = ask(seed_build, "show", "济宁任城区")
    said = {(r["property"], r["value"]) for r in rows}
    assert {("rk:adminCode", "370811"), ("rk:partOf", "济宁市"), ("rdf:type", "rk:Locality")} <= said
    adopts = [r for r in rows if r["property"] == "rk:adopts"]
    assert len({r["value"] for r in adopts}) == len(adopted(graph, "任城区"))
    assert all(r["evidence"] for r in adopts)
    assert ask(seed_build, "show", "任城") == rows
    assert ask(seed_build, "show", "德州天衢新区") == ask(seed_build, "show", "天衢新区")
    metric = ask(seed_build, "show", "平均得分 97.42")
    assert ("rk:value", 97.42) in {(r["property"], r["value"]) for r in metric}
    yields = next(r for r in metric if r["property"] == "← rk:yields")
    assert yields["value"] == "“全覆盖+双监控”" and "97.42" in yields["evidence"][0]


def test_unknown_and_ambiguous_names_fail_in_one_line(seed_build):
    assert "nothing named '北京市'" in fails(seed_build, "show", "北京市")
    assert "Mechanism entities" in fails(seed_build, "show", "绩效")
    assert "nothing named" in fails(seed_build, "mechanisms", "--locality", "绩效评价")


def test_path_is_the_shortest_connection(seed_build):
    steps = ask(seed_build, "path", "临清市", "菏泽市")
    assert [s["step"] for s in steps] == [1, 2]
    assert steps[0]["from"] == "临清市" and steps[-1]["to"] == "菏泽市"
    assert steps[0]["to"] == steps[1]["from"]
    assert steps[0]["relation"] == "adopts" and steps[1]["relation"] == "← adopts"
    up = ask(seed_build, "path", "任城区", "山东省")
    assert [(s["from"], s["relation"], s["to"]) for s in up] == [("任城区", "partOf", "济宁市"),
                                                                 ("济宁市", "partOf", "山东省")]


def test_similar_ranks_by_shared_practices(seed_build, graph):
    rows = ask(seed_build, "similar", "菏泽市")
    mine = adopted(graph, "菏泽市", "巨野县")  # 巨野县 is part of 菏泽市
    assert {r["locality"] for r in rows}.isdisjoint({"菏泽市", "巨野县", "山东省"})
    for r in rows:
        theirs = adopted(graph, r["locality"])
        assert r["jaccard"] == round(len(mine & theirs) / len(mine | theirs), 3)
        assert len(r["shared"]) == len(mine & theirs)
    assert [(r["jaccard"], r["concept_jaccard"]) for r in rows] == sorted(
        ((r["jaccard"], r["concept_jaccard"]) for r in rows), reverse=True)
    assert rows[0]["jaccard"] > 0 and "绩效评价" in rows[0]["shared"]


def test_stats(seed_build):
    report = json.loads((seed_build / "report.json").read_text(encoding="utf-8"))
    rows = ask(seed_build, "stats")
    count = {r["name"]: r["value"] for r in rows if r["section"] == "count"}
    assert (count["Locality"], count["Mechanism"], count["Metric"], count["triples"]) == (
        report["localities"], report["mechanisms"], report["metrics"], report["triples"])
    top = [r for r in rows if r["section"] == "most adopted"]
    assert top[0]["name"] == "绩效评价" and top[0]["value"] == len(top[0]["detail"]) == 5
    central = [r for r in rows if r["section"] == "centrality"]
    assert len(central) == 10 and central[0]["value"] >= central[-1]["value"] > 0
    communities = [set(r["detail"]) for r in rows if r["section"] == "community"]
    assert communities and all(len(c) > 1 and c <= SHANDONG for c in communities)
    assert sum(map(len, communities)) == len(set().union(*communities))


def test_rows_in_every_format(seed_build):
    rows = ask(seed_build, "localities")
    as_csv = list(csv.DictReader(io.StringIO(ask(seed_build, "localities", fmt="csv"))))
    as_tsv = list(csv.DictReader(io.StringIO(ask(seed_build, "localities", fmt="tsv")), delimiter="\t"))
    assert as_csv == as_tsv and len(as_csv) == len(rows)
    assert {"locality": "任城区", "parents": "济宁市; 山东省", "code": "370811"}.items() <= as_csv[3].items()
    table = ask(seed_build, "localities", fmt="table").splitlines()
    assert table[0].split() == ["locality", "parents", "code", "mechanisms", "metrics"]
    assert len(table) == len(rows) + 2 and set(table[1]) <= {"-", " "}


def test_what_the_user_types_is_data(seed_build, tmp_path):
    """A name that would break out of a query string finds nothing and changes nothing."""
    copy = tmp_path / "copy"
    shutil.copytree(seed_build / "store", copy / "store")
    before = len(store.connect(copy))
    for args in (["show", INJECTION], ["similar", INJECTION], ["path", INJECTION, "菏泽市"],
                 ["mechanisms", "--locality", INJECTION], ["mechanisms", "--concept", INJECTION],
                 ["metrics", "--locality", INJECTION], ["metrics", "--mechanism", INJECTION],
                 ["viz", "--focus", INJECTION]):
        assert "nothing named" in fails(copy, *args)
    assert len(store.connect(copy)) == before
