"""Exports for other tools: GraphML and GEXF (Gephi, networkx), CSV (spreadsheets), JSON-LD.

GraphML, GEXF and CSV carry the network view (kg.network); JSON-LD carries the RDF graph itself.
"""
from __future__ import annotations

import csv

import networkx as nx

from . import network, store

FORMATS = ("graphml", "gexf", "csv", "jsonld")
CSV_COLUMNS = ("source", "source_label", "source_kind", "relation", "target", "target_label", "target_kind",
               "evidence")


def export(st, fmt: str, path) -> str:
    """Write the graph in `fmt` to `path`; say what was written."""
    if fmt == "jsonld":
        store.dump_jsonld(st, path)
        return f"{store.triples(st)} triples"
    net = network.from_store(st)
    if fmt == "graphml":
        nx.write_graphml(net, path)
    elif fmt == "gexf":
        nx.write_gexf(net, path)
    else:
        _write_csv(net, path)
    return f"{net.number_of_nodes()} nodes, {net.number_of_edges()} edges"


def _write_csv(net, path) -> None:
    """One row per edge with both ends' labels and kinds: a table a spreadsheet or Gephi reads as is."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(CSV_COLUMNS)
        for s, o, data in sorted(net.edges(data=True), key=lambda e: (e[0], e[2]["relation"], e[1])):
            out.writerow((s, net.nodes[s]["label"], net.nodes[s]["kind"], data["relation"],
                          o, net.nodes[o]["label"], net.nodes[o]["kind"], data.get("evidence", "")))
