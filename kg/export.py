"""Exports for other tools: GraphML and GEXF (Gephi, networkx), CSV (spreadsheets), and the RDF graph
itself as JSON-LD, Turtle, N-Triples or TriG.

GraphML, GEXF and CSV carry the network view (kg.network); JSON-LD, Turtle and N-Triples carry the union
graph (what the store holds), TriG the dataset of graph.nq.gz: a named graph per article.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from . import network, outdir, store
from .rows import counted
from .summary import root
from .viz import KIND_STYLES

NETWORK_FORMATS = ("graphml", "gexf", "csv")
RDF_FORMATS = ("jsonld", "turtle", "ntriples", "trig")
FORMATS = NETWORK_FORMATS + RDF_FORMATS
CSV_COLUMNS = ("source", "source_label", "source_kind", "relation", "target", "target_label", "target_kind",
               "evidence")


class NoGraph(Exception):
    """The build has no graph.nq.gz to export (a store without the files beside it)."""


def export(st, fmt: str, stream, out_dir: Path) -> str:
    """Write the graph of the build in `out_dir` (its store `st`) in `fmt` to `stream` (binary); say what
    was written."""
    if fmt == "jsonld":
        return counted(store.write_jsonld(st.quads_for_pattern(None, None, None, ox.DefaultGraph()), stream), "triple")
    if fmt == "trig":
        return write_trig(Path(out_dir) / outdir.NQUADS, stream)
    if fmt in RDF_FORMATS:
        store.dump(st, stream, fmt)
        return counted(store.triples(st), "triple")
    net = network.from_store(st)
    if fmt == "csv":
        _write_csv(net, stream)
        return f"{counted(net.number_of_nodes(), 'node')}, {counted(net.number_of_edges(), 'edge')}"
    typed = for_gephi(st, net)
    if fmt == "graphml":
        for _, data in typed.nodes(data=True):
            data.pop("viz")
        nx.write_graphml(typed, stream)
    else:
        nx.write_gexf(typed, stream)
    return f"{counted(typed.number_of_nodes(), 'node')}, {counted(typed.number_of_edges(), 'edge')}"


def write_trig(nquads: Path, stream) -> str:
    """The article graphs of `nquads` (a build's graph.nq.gz) as TriG, a named graph per article, with the
    prefixes; streamed quad by quad (a build writes each graph as one run of lines, so one block each)."""
    if not nquads.is_file():
        raise NoGraph(f"no {nquads.name} in {nquads.parent}: run kg build first")
    graphs, quads = set(), 0

    def tallied(parsed):
        nonlocal quads
        for q in parsed:
            graphs.add(q.graph_name)
            quads += 1
            yield q

    ox.serialize(tallied(store.read_nquads(nquads)), stream, ox.RdfFormat.TRIG,
                 prefixes=store.WRITTEN_PREFIXES)
    return f"{counted(quads, 'quad')} in {counted(len(graphs), 'named graph')}"


LEVELS = "SELECT ?n ?level WHERE { ?n a rk:Locality ; rk:level ?level }"


def for_gephi(st, net) -> nx.DiGraph:
    """The network with typed attributes (a metric's value as a number, unit and year; a locality's
    admin code, level and province), Gephi's colour and size by kind (viz), and edges labelled by
    relation; one edge per pair of nodes (relations between the same two joined by "; "), so no
    networkx_key."""
    typed = nx.DiGraph()
    typed.add_nodes_from(net.nodes(data=True))
    for r in store.select(st, network.METRICS):
        typed.nodes[r["n"]].update(value=float(r["value"]), unit=r["unit"], **({"year": int(r["year"])} if r["year"] else {}))
    for query, name in ((network.CODES, "code"), (LEVELS, "level")):
        for r in store.select(st, query):
            typed.nodes[r["n"]][name] = r[name]
    parent = {s: o for s, o, rel in net.edges(data="relation") if rel == "partOf"}
    for n, data in typed.nodes(data=True):
        top = root(parent, n)
        if data["kind"] == "Locality" and typed.nodes[top].get("level") == "province":
            data["province"] = typed.nodes[top]["label"]
        style = KIND_STYLES.get(data["kind"], {"color": "#8c8c8c", "size": 10})
        red, green, blue = (int(style["color"][i:i + 2], 16) for i in (1, 3, 5))
        data["viz"] = {"color": {"r": red, "g": green, "b": blue, "a": 1.0}, "size": float(style["size"])}
    for s, o, data in net.edges(data=True):
        if typed.has_edge(s, o):
            joined = typed.edges[s, o]
            joined["relation"] = joined["label"] = f"{joined['relation']}; {data['relation']}"
            joined["evidence"] = "\n".join(filter(None, (joined.get("evidence"), data.get("evidence"))))
        else:
            typed.add_edge(s, o, **data, label=data["relation"])
    return typed



def _write_csv(net, stream) -> None:
    """One row per edge with both ends' labels and kinds: a table a spreadsheet or Gephi reads as is."""
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
    out = csv.writer(text)
    out.writerow(CSV_COLUMNS)
    for s, o, data in sorted(net.edges(data=True), key=lambda e: (e[0], e[2]["relation"], e[1])):
        out.writerow((s, net.nodes[s]["label"], net.nodes[s]["kind"], data["relation"],
                      o, net.nodes[o]["label"], net.nodes[o]["kind"], data.get("evidence", "")))
    text.flush()
    text.detach()   # the stream stays open: it may be stdout
