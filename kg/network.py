"""The networkx view of the graph: entities as nodes, relations as edges, for analysis and drawing.

Read from the store. Nodes carry kind, label and info (the lines of their tooltip); adopts and
yields edges carry the sentences they were read from, and so do the info lines of the metric
and mechanism at their ends. `followed_by` edges (kg.diffusion) go from a locality to each that
adopted one of its practices later, with their weight (how many) and, as evidence, practices and dates.
"""
from __future__ import annotations

from collections import defaultdict

import networkx as nx

from . import diffusion, store
from .rows import counted
from .store import EVIDENCED, KINDS, RELATIONS
from .summary import ancestors

NODES = "SELECT ?n ?type WHERE { VALUES ?type { %s } ?n a ?type }" % " ".join(KINDS)
EDGES = "SELECT ?s ?p ?o WHERE { VALUES ?p { %s } ?s ?p ?o }" % " ".join(RELATIONS)
# a metric that no mechanism yields hangs from the locality it was reported for
REPORTS = "SELECT ?l ?x WHERE { ?x a rk:Metric ; rk:locality ?l FILTER NOT EXISTS { ?m rk:yields ?x } }"
EVIDENCE = """SELECT DISTINCT ?s ?p ?o ?text ?title WHERE {
  ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o . OPTIONAL { ?st prov:wasDerivedFrom/dcterms:title ?title }
  ?ann oa:hasBody ?st ; oa:hasTarget/oa:hasSelector/rk:sentence ?text
  FILTER(?p IN (%s)) }""" % ", ".join(EVIDENCED)
METRICS = """SELECT ?n ?value ?unit ?year WHERE {
  ?n a rk:Metric ; rk:value ?value ; rk:unit ?unit OPTIONAL { ?n rk:year ?year } }"""
CODES = "SELECT ?n ?code WHERE { ?n a rk:Locality ; rk:adminCode ?code }"
TITLES = "SELECT ?n ?title WHERE { ?n a rk:Article ; dcterms:title ?title }"


def evidence(st, values=None) -> dict:
    """(subject, relation, object) -> the sentences an adopts or yields statement was read from, each
    followed by the title of its article (——《title》).

    `values` may fix the subject (s) or object (o), as in store.select.
    """
    out = defaultdict(list)
    for r in store.select(st, EVIDENCE, values=values):
        out[(r["s"], RELATIONS[store.compact(r["p"])], r["o"])].append(r["text"] + (f"——《{r['title']}》" if r["title"] else ""))
    return {k: sorted(v) for k, v in out.items()}


def _info(st, sentences: dict) -> dict:
    lines = defaultdict(list)
    for r in store.select(st, METRICS):
        lines[r["n"]].append(f"{r['value']} {r['unit']}" + (f" ({r['year']})" if r["year"] else ""))
    for r in store.select(st, CODES):
        lines[r["n"]].append(f"code {r['code']}")
    for r in store.select(st, TITLES):
        lines[r["n"]].append(r["title"])
    for (s, rel, o), texts in sorted(sentences.items()):
        lines[o if rel == "yields" else s].extend(f"证据: {t}" for t in texts)
    return lines


def from_store(st, tooltips: bool = True) -> nx.MultiDiGraph:
    """Typed nodes (kind, label, info) and relation edges (relation, evidence), from the store.

    Without `tooltips` there is no info and no evidence: questions about the structure do not
    need them, and on big graphs they take most of the time.
    """
    labels = store.labels(st)
    sentences = evidence(st) if tooltips else {}
    info = _info(st, sentences) if tooltips else {}
    net = nx.MultiDiGraph()
    for r in store.select(st, NODES):
        n = r["n"]
        net.add_node(n, kind=KINDS[store.compact(r["type"])], label=labels.get(n, n.rsplit("/", 1)[-1]),
                     info="\n".join(dict.fromkeys(info.get(n, ()))))
    for r in store.select(st, EDGES):
        s, rel, o = r["s"], RELATIONS[store.compact(r["p"])], r["o"]
        if s in net and o in net:
            attrs = {"evidence": "\n".join(sentences[(s, rel, o)])} if (s, rel, o) in sentences else {}
            net.add_edge(s, o, relation=rel, **attrs)
    for r in store.select(st, REPORTS):
        if r["l"] in net:
            net.add_edge(r["l"], r["x"], relation="reports")
    for a, b, data in diffusion.network(st).edges(data=True):
        if a in net and b in net:
            net.add_edge(a, b, **data)
    return net


WORK = 2_000_000   # edges visited to estimate betweenness: sampled sources = WORK / edges


def bridges_and_communities(pairs: list) -> tuple:
    """Betweenness centrality of the nodes of the network of these (locality, mechanism) pairs, and
    its Louvain communities (sets of nodes).

    Above 1,000 nodes betweenness is estimated from WORK / edges sampled sources (10 to 200):
    exact, it follows every edge from every node, hours at 10^5 articles.
    """
    graph = nx.Graph(pairs)
    n = graph.number_of_nodes()
    k = None if n <= 1000 else max(10, min(200, n, WORK // max(graph.number_of_edges(), 1)))
    between = nx.betweenness_centrality(graph, k=k, seed=0)
    return between, nx.community.louvain_communities(graph, seed=0) if graph else []


METRICS_OF = "SELECT ?x WHERE { ?x rk:locality ?l }"


def around(net: nx.MultiDiGraph, node: str, depth: int, st=None) -> nx.MultiDiGraph:
    """The part of `net` within `depth` steps of `node`, whichever way the edges point, except that
    the hierarchy is walked down freely and up only from `node` (a city's counties and its province,
    not its sibling cities through the province); with the store `st`, also the metrics reported for
    `node` and its parts. The graph's "focus" is `node`."""
    up = {node: False}          # node -> reached by going up the hierarchy (then only walked further up)
    frontier = [node]
    for _ in range(depth):
        reached = []
        for n in frontier:
            steps = [(o, rel == "partOf") for _, o, rel in net.out_edges(n, data="relation")
                     if rel == "partOf" or not up[n]]
            steps += [] if up[n] else [(s, False) for s, _, _ in net.in_edges(n, data="relation")]
            for m, went_up in steps:
                if m not in up:
                    up[m] = went_up
                    reached.append(m)
        frontier = reached
    if st is not None:
        parts = [n for n in nx.descendants(_hierarchy(net).reverse(copy=False), node) if n in up] + [node]
        up.update((x, False) for x in (r["x"] for r in store.select(st, METRICS_OF, values={"l": parts})) if x in net)
    sub = net.subgraph(up).copy()
    sub.graph["focus"] = node
    return sub


def _hierarchy(net: nx.MultiDiGraph) -> nx.DiGraph:
    """The partOf edges of `net` (child -> parent)."""
    return nx.DiGraph((s, o) for s, o, rel in net.edges(data="relation") if rel == "partOf")


OVERVIEW_NODES = 1500
OVERVIEW_PRACTICES = 60
NODE_COUNT = "SELECT (COUNT(?n) AS ?c) WHERE { VALUES ?type { %s } ?n a ?type }" % " ".join(KINDS)
TOP_PRACTICES = """SELECT ?m (COUNT(DISTINCT ?l) AS ?n) WHERE { ?l rk:adopts ?m }
  GROUP BY ?m ORDER BY DESC(?n) ?m LIMIT %d"""
ADOPTERS = "SELECT ?l ?m WHERE { ?l rk:adopts ?m }"
PARENT = "SELECT ?l ?p WHERE { ?l rk:partOf ?p }"


def overview(st, max_nodes: int = OVERVIEW_NODES) -> nx.MultiDiGraph:
    """The whole network when it has at most `max_nodes` nodes; otherwise the practices most
    localities adopt and the provinces they spread to.

    A browser cannot lay out a corpus of 10^5 articles, and its reader wants to see which
    practices spread where: an edge from a province to a practice says how many of its
    localities adopt it, and names them.
    """
    total = store.select(st, NODE_COUNT)[0]["c"]
    if total <= max_nodes:
        return from_store(st)
    top = {r["m"]: r["n"] for r in store.select(st, TOP_PRACTICES % min(OVERVIEW_PRACTICES, max_nodes))}
    parent = {r["l"]: r["p"] for r in store.select(st, PARENT)}
    adopters = defaultdict(set)        # (province, practice) -> localities
    for r in store.select(st, ADOPTERS, values={"m": sorted(top)}):
        adopters[(ancestors(parent, r["l"]) or [r["l"]])[-1], r["m"]].add(r["l"])
    provinces = {p for p, _ in adopters}
    labels = store.labels(st, set(top) | provinces | set().union(*adopters.values()))
    net = nx.MultiDiGraph()
    for m, n in top.items():
        net.add_node(m, kind="Mechanism", label=labels.get(m, m), info=f"adopted by {counted(n, 'locality')}")
    for p in provinces:
        net.add_node(p, kind="Locality", label=labels.get(p, p), info="")
    for (p, m), places in sorted(adopters.items()):
        names = sorted(labels.get(l, l) for l in places)
        shown = "、".join(names[:20]) + (" …" if len(names) > 20 else "")
        net.add_edge(p, m, relation="adopts", evidence=f"{counted(len(names), 'locality')}: {shown}")
    net.graph["note"] = (f"top {net.number_of_nodes():,} of {total:,} nodes: the {'most adopted practice' if len(top) == 1 else f'{len(top)} most adopted practices'} "
                         f"and the provinces they spread to; kg viz --max-nodes {total} draws them all, "
                         "kg viz --focus NAME everything around one entity")
    return net
