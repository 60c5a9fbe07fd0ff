"""The networkx view of the graph: entities as nodes, relations as edges, for analysis and drawing."""
from __future__ import annotations

import networkx as nx
from rdflib import Graph
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from .vocab import RK

KINDS = {RK.Locality: "Locality", RK.Mechanism: "Mechanism", RK.Metric: "Metric", RK.Article: "Article",
         RK.Agency: "Agency", SKOS.Concept: "Concept"}
RELATIONS = {RK.adopts: "adopts", RK.yields: "yields", RK.partOf: "partOf", SKOS.broader: "broader",
             RK.jurisdiction: "jurisdiction", RK.mentions: "mentions"}


def _label(g: Graph, node) -> str:
    zh = [str(l) for l in g.objects(node, RDFS.label) if getattr(l, "language", None) == "zh"]
    zh += [str(l) for l in g.objects(node, SKOS.prefLabel) if getattr(l, "language", None) == "zh"]
    return sorted(zh, key=len)[0] if zh else str(node).rsplit("/", 1)[-1]


def _info(g: Graph, node, kind: str) -> str:
    lines = []
    if kind == "Metric":
        value = next(g.objects(node, RK.value), None)
        unit = next(g.objects(node, RK.unit), "")
        year = next(g.objects(node, RK.year), None)
        lines.append(f"{value} {unit}" + (f" ({year})" if year else ""))
    if kind == "Locality":
        code = next(g.objects(node, RK.adminCode), None)
        if code:
            lines.append(f"code {code}")
    if kind == "Article":
        title = next(g.objects(node, DCTERMS.title), None)
        if title:
            lines.append(str(title))
    return "\n".join(lines)


def from_rdf(g: Graph) -> nx.MultiDiGraph:
    """Typed nodes (kind, label, info) and relation edges, from the RDF union graph."""
    net = nx.MultiDiGraph()
    for cls, kind in KINDS.items():
        for node in g.subjects(RDF.type, cls):
            net.add_node(str(node), kind=kind, label=_label(g, node), info=_info(g, node, kind))
    for pred, rel in RELATIONS.items():
        for s, o in g.subject_objects(pred):
            if str(s) in net and str(o) in net:
                net.add_edge(str(s), str(o), relation=rel)
    for metric, loc in g.subject_objects(RK.locality):
        if str(metric) in net and not net.in_degree(str(metric)):
            net.add_edge(str(loc), str(metric), relation="reports")
    return net
