"""kg.viz.write_html: static checks of the HTML, then a real render in headless Chromium (offline)."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import networkx as nx
import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import conftest_viz  # noqa: E402

from kg.viz import write_html  # noqa: E402

IN_CI = os.environ.get("CI") == "true"
EX = "https://example.org/reform/"
EVIL = "<img src=x onerror=\"alert(1)\">&治理"
KIND_STYLES = {
    "Locality": "#4e79a7", "Agency": "#f28e2b", "Mechanism": "#e15759",
    "Concept": "#59a14f", "Metric": "#b07aa1", "Article": "#9c755f",
}


def _graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    nodes = [
        ("loc/zj", "Locality", "浙江省", "code: 330000"),
        ("loc/hz", "Locality", "杭州市", "code: 330100"),
        ("loc/sh", "Locality", "上海市", "code: 310000"),
        ("agency/ndrc", "Agency", "国家发展和改革委员会", ""),
        ("agency/samr", "Agency", "国家市场监督管理总局", ""),
        ("mech/zdpyc", "Mechanism", "最多跑一次", "year: 2016\n证据：浙江率先推行“最多跑一次”改革。"),
        ("mech/ywtb", "Mechanism", "一网通办", "year: 2018"),
        ("concept/fgf", "Concept", "放管服改革", ""),
        ("concept/evil", "Concept", EVIL, "<script>alert('x')</script>"),
        ("metric/time", "Metric", "办事时间压缩率", "value: 60\nunit: %\nyear: 2019"),
        ("article/1", "Article", "关于深化“放管服”改革的报道", "证据：……"),
        ("article/2", "Article", "上海“一网通办”三周年", ""),
    ]
    for local, kind, label, info in nodes:
        g.add_node(EX + local, kind=kind, label=label, info=info)
    edges = [
        ("loc/hz", "loc/zj", "partOf"),
        ("loc/zj", "mech/zdpyc", "adopts"),
        ("loc/sh", "mech/ywtb", "adopts"),
        ("mech/zdpyc", "metric/time", "yields"),
        ("mech/zdpyc", "concept/fgf", "broader"),
        ("mech/ywtb", "concept/fgf", "broader"),
        ("concept/evil", "concept/fgf", "broader"),
        ("agency/ndrc", "concept/fgf", "memberOf"),
        ("agency/samr", "agency/ndrc", "memberOf"),
        ("article/1", "mech/zdpyc", "mentions"),
        ("article/1", "mech/zdpyc", "locality"),  # parallel edge
        ("article/1", "loc/zj", "mentions"),
        ("article/2", "mech/ywtb", "mentions"),
        ("article/2", "loc/sh", "locality"),
    ]
    for u, v, rel in edges:
        g.add_edge(EX + u, EX + v, relation=rel)
    return g


def test_html_is_self_contained_and_escaped(tmp_path):
    g = _graph()
    out = tmp_path / "graph.html"
    assert write_html(g, out, title="改革 <图谱>", seed=7) == g.number_of_nodes()
    raw = out.read_bytes()
    page = raw.decode("utf-8")  # valid UTF-8
    assert '<meta charset="utf-8">' in page[:300]
    # nothing the browser would fetch from the network, and no external file either
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"<link\b", page, re.I)
    assert not re.search(r"<script\b[^>]*\bsrc\s*=", page, re.I)
    assert not re.search(r"@import|url\(\s*['\"]?\s*(?:https?:)?//", page, re.I)
    # Chinese text is written as UTF-8, not as escapes
    assert "最多跑一次" in page and "浙江省" in page
    # user text never reaches the markup unescaped
    assert EVIL not in page and "<script>alert('x')</script>" not in page
    assert "<title>改革 &lt;图谱&gt;</title>" in page
    # legend lists every kind present; determinism: seed and byte-identical output
    for kind in KIND_STYLES:
        assert kind in page
    assert '"randomSeed":7' in page
    out2 = tmp_path / "again.html"
    write_html(g, out2, title="改革 <图谱>", seed=7)
    assert out2.read_bytes() == raw


def _need_browser() -> str:
    binary = conftest_viz.find_chromium()
    if not binary:
        if IN_CI:
            pytest.fail("chromium is required under CI=true (apt-get install chromium fonts-noto-cjk)")
        pytest.skip("chromium not installed")
    if IN_CI:
        import PIL  # noqa: F401  (must be installed in CI)
    else:
        pytest.importorskip("PIL")
    return binary


def test_renders_offline_in_chromium(tmp_path):
    _need_browser()
    g = _graph()
    html_path = tmp_path / "graph.html"
    n = write_html(g, html_path, title="改革知识图谱")
    positions_js = "JSON.stringify(window.reformkgNetwork.getPositions())"
    info = conftest_viz.check_rendered(
        html_path, g.number_of_nodes(), tmp_path / "graph.png", timeout=30,
        extra_js={
            "search": "window.reformkgSearch('杭州')",
            "selected": "window.reformkgNetwork.getSelectedNodes()",
            "tooltip": f"window.reformkgNodes.get({EX + 'metric/time'!r}).title",
            "evil_label": f"window.reformkgNodes.get({EX + 'concept/evil'!r}).label",
            "positions": positions_js,
        },
    )
    # (2) vis' DataSet holds every node; physics stopped after stabilisation
    assert info["node_count"] == n == g.number_of_nodes()
    assert info["edge_count"] == g.number_of_edges()
    assert info["physics"] == "off"
    # (1) screenshot taken and not blank; every kind drawn on the canvas in its colour
    png = Path(info["screenshot"]).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert info["png"]["nonwhite_fraction"] > 0.005 and info["png"]["distinct_colours"] > 50
    assert set(info["canvas"]["kind_pixels"]) == set(KIND_STYLES)
    assert all(count >= 20 for count in info["canvas"]["kind_pixels"].values()), info["canvas"]
    assert {k: v["color"] for k, v in info["kinds"].items()} == KIND_STYLES
    # (3) nothing but the page itself was requested
    assert info["external_requests"] == []
    assert all(u.startswith(("file:", "data:", "about:", "blob:")) for u in info["requests"])
    # search box, plain-text tooltip and escaping
    assert info["extra"]["search"] == [EX + "loc/hz"]
    assert info["extra"]["selected"] == [EX + "loc/hz"]
    assert "办事时间压缩率" in info["extra"]["tooltip"] and "unit: %" in info["extra"]["tooltip"]
    assert info["extra"]["evil_label"] == EVIL
    assert info["title"] == "改革知识图谱" and info["charset"] == "UTF-8"

    # negative control: the same page plus one remote image must be caught by check (3),
    # and the layout is the same (deterministic seed) in a fresh browser
    leaky = tmp_path / "leaky.html"
    leaky.write_text(
        html_path.read_text(encoding="utf-8").replace(
            '<div id="mynetwork"></div>',
            '<div id="mynetwork"></div><img alt="" src="http://reformkg.invalid/pixel.png">', 1),
        encoding="utf-8",
    )
    bad = conftest_viz.check_rendered(leaky, n, tmp_path / "leaky.png", timeout=30, strict=False,
                                      extra_js={"positions": positions_js})
    assert "http://reformkg.invalid/pixel.png" in bad["external_requests"]
    assert any("outside itself" in p for p in bad["problems"])
    assert bad["extra"]["positions"] == info["extra"]["positions"]


def test_built_graph_html_renders_offline(seed_build, tmp_path):
    """graph.html of a real build: drawn, every node in vis' data set, evidence in tooltips, no request outside."""
    _need_browser()
    from kg import store
    from kg.network import from_store

    expected = from_store(store.connect(seed_build)).number_of_nodes()
    with_evidence = "window.reformkgNodes.get().filter(function (n) { return n.title.indexOf('证据') !== -1; }).length"
    info = conftest_viz.check_rendered(seed_build / "graph.html", expected, tmp_path / "seed.png", timeout=60,
                                       extra_js={"with_evidence": with_evidence})
    assert info["node_count"] == expected
    assert info["physics"] == "off"
    assert info["external_requests"] == [] and info["canvas"]["ink_pixels"] >= 50
    assert info["extra"]["with_evidence"] > 0  # tooltips carry the sentences statements come from


# the labels vis-network draws at the current scale: on-screen font size and box (page pixels) of each
DRAWN_LABELS = r"""(function () {
  var net = window.reformkgNetwork, scale = net.getScale(), labels = [], edges = [];
  Object.keys(net.body.nodes).forEach(function (id) {
    var node = net.body.nodes[id], l = node.labelModule;
    if (node.options.hidden || !l.visible()) return;
    var a = net.canvasToDOM({x: l.size.left, y: l.size.top});
    var b = net.canvasToDOM({x: l.size.left + l.size.width, y: l.size.top + l.size.height});
    labels.push({id: id, px: l.fontOptions.size * scale, box: [a.x, a.y, b.x, b.y]});
  });
  Object.keys(net.body.edges).forEach(function (id) {
    var l = net.body.edges[id].labelModule;
    if (l.visible()) edges.push(l.fontOptions.size * scale);
  });
  return {scale: scale, labels: labels, edge_px: edges};
})()"""
ZOOM_IN = "(window.reformkgNetwork.moveTo({scale: window.reformkgNetwork.getScale() * 3}), window.reformkgPlaceLabels())"


def _readable(view: dict) -> list:
    """The labels of a view, checked: each at least 12 px high on screen, no two overlapping."""
    labels = view["labels"]
    assert all(label["px"] >= 11.99 for label in labels), sorted(label["px"] for label in labels)[:5]
    assert all(px >= 11.99 for px in view["edge_px"]), view["edge_px"][:5]
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = a["box"], b["box"]
            assert ax1 <= bx0 or bx1 <= ax0 or ay1 <= by0 or by1 <= ay0, (a, b)
    return [label["id"] for label in labels]


@pytest.mark.parametrize("build", ["seed_build", "own_build"])
def test_labels_at_the_first_view_are_readable_and_do_not_overlap(build, request, tmp_path):
    """graph.html of the seed page and of the sample: at the first view every drawn label is at least 12 px
    and none overlaps another; the most connected node is labelled; zooming in labels more."""
    _need_browser()
    from kg import store
    from kg.network import overview

    net = overview(store.connect(request.getfixturevalue(build)))
    page = tmp_path / "graph.html"
    write_html(net, page)
    info = conftest_viz.check_rendered(page, net.number_of_nodes(), tmp_path / "graph.png", timeout=60,
                                       extra_js={"first": DRAWN_LABELS, "zoom": ZOOM_IN, "zoomed": DRAWN_LABELS})
    first, zoomed = _readable(info["extra"]["first"]), _readable(info["extra"]["zoomed"])
    hub = max(net.nodes, key=lambda n: (net.degree(n), n))
    assert len(first) >= 20 and hub in first
    assert info["extra"]["zoomed"]["scale"] > info["extra"]["first"]["scale"] and set(zoomed) - set(first)


# an adopts statement of the build: the locality, its label, the sentence it was read from, its article's title
STATEMENT = """SELECT ?l ?name ?text ?title WHERE {
  ?st rdf:subject ?l ; rdf:predicate rk:adopts ; prov:wasDerivedFrom/dcterms:title ?title .
  ?l rdfs:label ?name . ?ann oa:hasBody ?st ; oa:hasTarget/oa:hasSelector/rk:sentence ?text }
  ORDER BY ?l ?text LIMIT 1"""


def _click_node(iri: str):
    """A probe that centres the node `iri` in the view and clicks it with the mouse; returns the panel's text."""
    def probe(browser, session):
        centre = browser.evaluate(session, f"""(function () {{
            var net = window.reformkgNetwork, at = net.getPositions([{iri!r}])[{iri!r}];
            net.moveTo({{position: at, scale: 1.5}});
            return net.canvasToDOM(at); }})()""")
        browser.click(session, centre["x"], centre["y"])
        return browser.evaluate(session, "document.getElementById('panel').hidden ? null"
                                         " : document.getElementById('pinned').textContent")
    return probe


def test_a_click_pins_a_panel_with_each_statement_its_sentence_and_article_title(seed_build, tmp_path):
    """graph.html of the seed page: clicking a locality pins its statements, each with the sentence it was
    read from and the title of that sentence's article."""
    _need_browser()
    from kg import store
    from kg.network import overview

    st = store.connect(seed_build)
    (row,) = store.select(st, STATEMENT)
    info = conftest_viz.check_rendered(seed_build / "graph.html", overview(st).number_of_nodes(),
                                       tmp_path / "seed.png", timeout=60, extra_js={"panel": _click_node(row["l"])})
    panel = info["extra"]["panel"]
    assert panel and panel.startswith(row["name"]), panel
    assert f"证据: {row['text']}——《{row['title']}》" in panel


def test_a_focused_view_pins_a_panel_highlights_its_focus_and_toggles_kinds(seed_build, tmp_path):
    """kg viz --focus: the focus node drawn apart; a click pins its statements with evidence and article
    titles; a legend row hides and shows its kind."""
    _need_browser()
    from click.testing import CliRunner

    from kg.cli import main

    page = tmp_path / "rencheng.html"
    result = CliRunner().invoke(main, ["viz", "--focus", "任城区", "--out", str(seed_build), "-o", str(page)])
    assert result.exit_code == 0, result.output
    focus = "window.reformkgNodes.get({filter: function (n) { return n.focus; }})"
    info = conftest_viz.check_rendered(page, int(result.output.split()[0]), tmp_path / "rencheng.png", timeout=60,
                                       extra_js={
        "focus": f"{focus}.map(function (n) {{ return [n.label, n.size, n.borderWidth]; }})",
        "panel": f"(window.reformkgPin({focus}[0].id), document.getElementById('pinned').textContent)",
        "shown": "!document.getElementById('panel').hidden",
        "hidden": "(document.querySelector('#legend .kind[data-kind=Metric]').click(),"
                  " window.reformkgNodes.get({filter: function (n) { return n.kind === 'Metric' && !n.hidden; }}).length)",
        "back": "(document.querySelector('#legend .kind[data-kind=Metric]').click(),"
                " window.reformkgNodes.get({filter: function (n) { return n.kind === 'Metric' && !n.hidden; }}).length)",
    })
    (label, size, border), = info["extra"]["focus"]
    assert label == "任城区" and size == 32 and border == 5
    assert info["extra"]["shown"] and "adopts" in info["extra"]["panel"] and "证据: " in info["extra"]["panel"]
    assert "——《" in info["extra"]["panel"]
    assert info["extra"]["hidden"] == 0 < info["extra"]["back"]


def test_a_city_in_focus_is_drawn_apart_with_its_counties_and_their_metrics(seed_build, tmp_path):
    """kg viz --focus 济宁市 on the seed page: the city is the one node drawn large with a dark ring and its
    label at 18 px; the view walks down to its counties and up to its province, never across to a sibling
    city, and holds every metric reported for the city or its counties."""
    _need_browser()
    from click.testing import CliRunner

    from kg import store
    from kg.cli import main

    st = store.connect(seed_build)
    (city,) = store.select(st, "SELECT DISTINCT ?c WHERE { ?c a rk:Locality ; rdfs:label ?n FILTER(str(?n) = '济宁市') }")
    counties = {r["l"] for r in store.select(st, "SELECT ?l WHERE { ?l rk:partOf ?c }", values={"c": city["c"]})}
    siblings = {r["l"] for r in store.select(st, "SELECT ?l WHERE { ?c rk:partOf ?p . ?l rk:partOf ?p }",
                                             values={"c": city["c"]})} - {city["c"]}
    metrics = {r["x"] for r in store.select(st, "SELECT ?x WHERE { ?x rk:locality ?l }",
                                            values={"l": sorted(counties | {city["c"]})})}
    assert counties and siblings and metrics

    page = tmp_path / "jining.html"
    result = CliRunner().invoke(main, ["viz", "--focus", "济宁市", "--out", str(seed_build), "-o", str(page)])
    assert result.exit_code == 0, result.output
    focus = "window.reformkgNodes.get({filter: function (n) { return n.focus; }})"
    info = conftest_viz.check_rendered(page, int(result.output.split()[0]), tmp_path / "jining.png", timeout=60,
                                       extra_js={"ids": "window.reformkgNodes.getIds()",
                                                 "focus": f"{focus}.map(function (n) {{ return [n.id, n.size, n.borderWidth,"
                                                          " n.color.border]; })",
                                                 "labels": DRAWN_LABELS})
    (iri, size, border, ring), = info["extra"]["focus"]
    assert iri == city["c"] and size == 32 and border == 5 and ring == "#111111"
    assert [label["px"] for label in info["extra"]["labels"]["labels"] if label["id"] == iri] == [18]
    ids = set(info["extra"]["ids"])
    assert counties <= ids and not siblings & ids and metrics <= ids


def test_a_capped_view_says_top_n_of_m_and_how_to_see_more(seed_build, tmp_path):
    """kg viz on a graph above --max-nodes draws its most adopted practices, and the page says how many
    nodes of how many it shows and which commands show more."""
    _need_browser()
    from click.testing import CliRunner

    from kg import store
    from kg.cli import main
    from kg.network import from_store

    page = tmp_path / "capped.html"
    result = CliRunner().invoke(main, ["viz", "--max-nodes", "30", "--out", str(seed_build), "-o", str(page)])
    assert result.exit_code == 0, result.output
    shown = int(result.output.split()[0])
    info = conftest_viz.check_rendered(page, shown, tmp_path / "capped.png", timeout=60, extra_js={
        "note": "document.getElementById('note').textContent",
        "kinds": "window.reformkgNodes.distinct('kind')"})
    total = from_store(store.connect(seed_build)).number_of_nodes()
    assert shown < total and info["extra"]["note"].startswith(f"top {shown} of {total} nodes: the 30 most adopted practices")
    assert f"kg viz --max-nodes {total} draws them all" in info["extra"]["note"] and "kg viz --focus NAME" in info["extra"]["note"]
    assert info["extra"]["kinds"] == ["Locality", "Mechanism"]
