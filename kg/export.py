"""Exports for other tools: GraphML and GEXF (Gephi, networkx), CSV (spreadsheets), and the RDF graph
itself as JSON-LD, Turtle, N-Triples or TriG.

GraphML, GEXF and CSV carry the network view (kg.network); the RDF formats carry the union graph.
"""
from __future__ import annotations

import csv
import io

import networkx as nx

from . import network, store

NETWORK_FORMATS = ("graphml", "gexf", "csv")
RDF_FORMATS = ("jsonld", "turtle", "ntriples", "trig")
FORMATS = NETWORK_FORMATS + RDF_FORMATS
CSV_COLUMNS = ("source", "source_label", "source_kind", "relation", "target", "target_label", "target_kind",
               "evidence")


def export(st, fmt: str, stream) -> str:
    """Write the graph in `fmt` to `stream` (binary); say what was written."""
    if fmt in RDF_FORMATS:
        store.dump(st, stream, fmt)
        return f"{store.triples(st)} triples"
    net = network.from_store(st)
    if fmt == "graphml":
        nx.write_graphml(net, stream)
    elif fmt == "gexf":
        nx.write_gexf(net, stream)
    else:
        _write_csv(net, stream)
    return f"{net.number_of_nodes()} nodes, {net.number_of_edges()} edges"


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
