"""Exports (GraphML, GEXF, CSV, JSON-LD), the focused HTML view, and evidence in the network view."""
import csv
import re

import networkx as nx
import pytest
import rdflib
import rdflib.compare
from click.testing import CliRunner

from kg import store
from kg.cli import main
from kg.network import around, from_store
from kg.store import read_nquads


@pytest.fixture(scope="module")
def net(seed_build):
    return from_store(store.connect(seed_build))


def kg(build, *args):
    result = CliRunner().invoke(main, [*map(str, args), "--out", str(build)])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graphml_and_gexf_read_back(seed_build, net, tmp_path, fmt, read):
    path = tmp_path / f"graph.{fmt}"
    assert kg(seed_build, "export", "--format", fmt, "-o", path).startswith(f"{len(net)} nodes")
    back = read(path)
    assert back.number_of_nodes() == net.number_of_nodes() and back.number_of_edges() == len(set(net.edges()))
    kinds = nx.get_node_attributes(back, "kind")
    assert {kinds[n] for n in back} == {"Locality", "Mechanism", "Metric", "Article", "Agency", "Concept"}


@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graphml_and_gexf_carry_typed_attributes_for_gephi(seed_build, tmp_path, fmt, read):
    path = tmp_path / f"graph.{fmt}"
    kg(seed_build, "export", "--format", fmt, "-o", path)
    assert "networkx_key" not in path.read_text(encoding="utf-8")
    back = read(path)
    score = next(d for _, d in back.nodes(data=True) if d["kind"] == "Metric" and d.get("value") == 97.42)
    assert (type(score["value"]), score["unit"], score["year"]) == (float, "分", 2022)
    linqing = next(d for _, d in back.nodes(data=True) if d["label"] == "临清市")
    assert (linqing["code"], linqing["level"], linqing["province"]) == ("371581", "county", "山东省")
    assert {d["label"] for *_, d in back.edges(data=True)} >= {"adopts", "yields", "partOf"}
    if fmt == "gexf":
        assert '<viz:color r="78" g="121" b="167"' in path.read_text(encoding="utf-8")
        assert "viz:size" in path.read_text(encoding="utf-8")


def test_csv_has_one_row_per_edge_with_evidence(seed_build, net, tmp_path):
    path = tmp_path / "edges.csv"
    kg(seed_build, "export", "--format", "csv", "-o", path)
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == net.number_of_edges()
    adopts = [r for r in rows if r["relation"] == "adopts"]
    assert adopts and all(r["source_kind"] == "Locality" and r["target_kind"] == "Mechanism" and r["evidence"]
                          for r in adopts)
    assert any(r["source_label"] == "任城区" and r["target_label"] == "济宁市" for r in rows if r["relation"] == "partOf")


@pytest.mark.parametrize("fmt, syntax", [("jsonld", "json-ld"), ("turtle", "turtle"), ("ntriples", "nt")])
def test_the_rdf_exports_are_the_graph(seed_build, tmp_path, fmt, syntax):
    path = tmp_path / f"graph.{fmt}"
    kg(seed_build, "export", "--format", fmt, "-o", path)
    back = rdflib.Graph().parse(path, format=syntax)
    assert rdflib.compare.isomorphic(back, rdflib.Graph().parse(seed_build / "graph.ttl"))
    assert not list(tmp_path.glob(".*.tmp"))


def test_trig_carries_a_named_graph_per_article_as_graph_nq_does(own_build, tmp_path):
    import json

    import pyoxigraph as ox

    path = tmp_path / "g.trig"
    assert "named graphs" in kg(own_build, "export", "--format", "trig", "-o", path)
    read = lambda p, f: {(q.graph_name, q.triple) for q in ox.parse(path=str(p), format=f)}
    back = read(path, ox.RdfFormat.TRIG)
    assert back == {(q.graph_name, q.triple) for q in read_nquads(own_build / "graph.nq.gz")}
    articles = json.loads((own_build / "report.json").read_text(encoding="utf-8"))["articles"]
    assert all(isinstance(g, ox.NamedNode) for g, _ in back) and len({g for g, _ in back}) == articles > 1
    assert len({t for _, t in back}) == store.triples(store.connect(own_build))


def test_jsonld_is_compacted_with_a_context(seed_build, tmp_path):
    import json

    path = tmp_path / "graph.jsonld"
    kg(seed_build, "export", "--format", "jsonld", "-o", path)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["@context"]["rk"] == "https://w3id.org/reformkg/ontology#"
    linqing = next(n for n in document["@graph"] if n["@id"] == "rkid:locality/371581")
    assert linqing["@type"] == ["rk:Locality"] and {"@value": "临清市", "@language": "zh"} in linqing["rdfs:label"]


@pytest.mark.parametrize("fmt", ["turtle", "trig"])
def test_turtle_and_trig_write_names_that_need_no_escaping(seed_build, tmp_path, fmt):
    """oxigraph writes rkid:locality\\/371581 for a local name with a slash: such an IRI is written whole."""
    path = tmp_path / f"graph.{fmt}"
    kg(seed_build, "export", "--format", fmt, "-o", path)
    text = path.read_text(encoding="utf-8")
    assert "\\/" not in text and "<https://w3id.org/reformkg/id/locality/371581>" in text
    assert " a rk:Locality" in text and "rdfs:label" in text


def test_construct_results_are_readable_turtle_and_compacted_jsonld(seed_build):
    import json

    query = 'CONSTRUCT { ?l rk:adopts ?m ; rdfs:label ?n } WHERE { ?l rk:adopts ?m ; rdfs:label ?n }'
    turtle = kg(seed_build, "query", query)
    assert "\\/" not in turtle and "<https://w3id.org/reformkg/id/locality/371581> rk:adopts" in turtle
    document = json.loads(kg(seed_build, "query", query, "--format", "jsonld"))
    assert document["@context"]["rkid"] == "https://w3id.org/reformkg/id/"
    linqing = [n for n in document["@graph"] if n["@id"] == "rkid:locality/371581"]
    assert linqing and {"@value": "临清市", "@language": "zh"} in linqing[0]["rdfs:label"]
    ntriples = kg(seed_build, "query", query, "--format", "ntriples")
    as_jsonld = rdflib.Graph().parse(data=json.dumps(document), format="json-ld")
    assert rdflib.compare.isomorphic(as_jsonld, rdflib.Graph().parse(data=ntriples, format="nt"))
    assert rdflib.compare.isomorphic(rdflib.Graph().parse(data=turtle, format="turtle"), as_jsonld)


@pytest.mark.parametrize("fmt", ["csv", "turtle"])
def test_an_export_to_dash_goes_to_stdout(seed_build, tmp_path, fmt, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["export", "--format", fmt, "-o", "-", "--out", str(seed_build)])
    assert result.exit_code == 0 and not (tmp_path / "-").exists()
    kg(seed_build, "export", "--format", fmt, "-o", tmp_path / "file")
    assert result.stdout_bytes == (tmp_path / "file").read_bytes() and "-> stdout" in result.stderr


def test_export_to_an_unwritable_place_fails_in_one_line(seed_build, tmp_path):
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    result = CliRunner().invoke(main, ["export", "--format", "csv", "-o", str(tmp_path / "a-file" / "x.csv"),
                                       "--out", str(seed_build)])
    assert result.exit_code == 1 and result.output.startswith("Error: cannot write")


def test_tooltips_and_edges_carry_evidence(net):
    score = next(n for n, d in net.nodes(data=True) if d["kind"] == "Metric" and d["label"].endswith("平均得分 97.42"))
    info = net.nodes[score]["info"].splitlines()
    assert info[0] == "97.42 分 (2022)" and any(l.startswith("证据: ") and "97.42" in l for l in info)
    for _, _, d in net.edges(data=True):
        assert bool(d.get("evidence")) == (d["relation"] in ("adopts", "yields", "followed_by"))


def test_viz_focus_draws_the_neighbourhood_offline(seed_build, net, tmp_path):
    page = tmp_path / "jining.html"
    out = kg(seed_build, "viz", "--focus", "济宁市", "--depth", "1", "-o", page)
    jining = next(n for n, d in net.nodes(data=True) if d["label"] == "济宁市")
    near = around(net, jining, 1, store.connect(seed_build))
    assert {net.nodes[n]["label"] for n in near if net.nodes[n]["kind"] == "Locality"} == {
        "济宁市", "山东省", "任城区", "汶上县"}
    assert out == f"{len(near)} nodes -> {page}\n"
    html = page.read_text(encoding="utf-8")
    assert "<title>reformkg: 济宁市</title>" in html and "任城区" in html and "临清市" not in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    kg(seed_build, "viz")
    assert (seed_build / "view.html").read_text(encoding="utf-8").count('"kind":') >= len(net)


def test_a_focus_walks_down_the_hierarchy_and_up_only_from_itself_with_its_metrics(seed_build, net, tmp_path):
    st = store.connect(seed_build)
    by_label = {d["label"]: n for n, d in net.nodes(data=True) if d["kind"] == "Locality"}

    def places(name, depth):
        near = around(net, by_label[name], depth, st)
        return near, {net.nodes[n]["label"] for n in near if net.nodes[n]["kind"] == "Locality"}

    near, shown = places("任城区", 2)
    assert {"任城区", "济宁市", "山东省"} <= shown and "汶上县" not in shown   # no sibling through the city
    reported = {r["x"] for r in store.select(st, "SELECT ?x WHERE { ?x rk:locality ?l }", values={"l": by_label["任城区"]})}
    assert reported and reported <= set(near) and reported <= set(around(net, by_label["任城区"], 0, st))
    _, shown = places("济宁市", 2)
    assert {"任城区", "汶上县"} <= shown and not {"临清市", "德州市"} & shown
    page = tmp_path / "rencheng.html"
    kg(seed_build, "viz", "--focus", "任城区", "-o", page)
    assert page.read_text(encoding="utf-8").count('"focus":true') == 1


def test_a_capped_view_says_what_it_leaves_out(seed_build, tmp_path):
    from kg import network, viz

    capped = network.overview(store.connect(seed_build), max_nodes=20)
    assert "most adopted practices" in capped.graph["note"] and "kg viz --focus" in capped.graph["note"]
    viz.write_html(capped, tmp_path / "capped.html")
    assert capped.graph["note"].split(";")[0] in (tmp_path / "capped.html").read_text(encoding="utf-8")
