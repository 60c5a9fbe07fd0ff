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
    assert back.number_of_nodes() == net.number_of_nodes() and back.number_of_edges() == net.number_of_edges()
    kinds = nx.get_node_attributes(back, "kind")
    assert {kinds[n] for n in back} == {"Locality", "Mechanism", "Metric", "Article", "Agency", "Concept"}


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


def test_jsonld_is_the_graph(seed_build, tmp_path):
    path = tmp_path / "graph.jsonld"
    kg(seed_build, "export", "--format", "jsonld", "-o", path)
    back = rdflib.Graph().parse(path, format="json-ld")
    assert rdflib.compare.isomorphic(back, rdflib.Graph().parse(seed_build / "graph.ttl"))


def test_export_to_an_unwritable_place_fails_in_one_line(seed_build, tmp_path):
    result = CliRunner().invoke(main, ["export", "--format", "csv", "-o", str(tmp_path / "no" / "x.csv"),
                                       "--out", str(seed_build)])
    assert result.exit_code == 1 and result.output.startswith("Error: cannot write")


def test_tooltips_and_edges_carry_evidence(net):
    score = next(n for n, d in net.nodes(data=True) if d["kind"] == "Metric" and d["label"] == "平均得分 97.42")
    info = net.nodes[score]["info"].splitlines()
    assert info[0] == "97.42 分 (2022)" and any(l.startswith("证据: ") and "97.42" in l for l in info)
    for _, _, d in net.edges(data=True):
        assert bool(d.get("evidence")) == (d["relation"] in ("adopts", "yields", "followed_by"))


def test_viz_focus_draws_the_neighbourhood_offline(seed_build, net, tmp_path):
    page = tmp_path / "jining.html"
    out = kg(seed_build, "viz", "--focus", "济宁市", "--depth", "1", "-o", page)
    jining = next(n for n, d in net.nodes(data=True) if d["label"] == "济宁市")
    near = around(net, jining, 1)
    assert {net.nodes[n]["label"] for n in near if net.nodes[n]["kind"] == "Locality"} == {
        "济宁市", "山东省", "任城区", "汶上县"}
    assert out == f"{len(near)} nodes -> {page}\n"
    html = page.read_text(encoding="utf-8")
    assert "<title>reformkg: 济宁市</title>" in html and "任城区" in html and "临清市" not in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    kg(seed_build, "viz")
    assert (seed_build / "view.html").read_text(encoding="utf-8").count('"kind":') >= len(net)
