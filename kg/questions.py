"""Ready-made questions on the store: localities, mechanisms, metrics, one entity, paths, likeness, statistics.

Each question returns a Table. What the user types is data, never query text: a name is matched
against labels as the bound value of a variable (`find`), and only the IRIs of the entities found
go into queries (`store.select`), so no input can change a query's structure.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations, pairwise

import networkx as nx
import pyoxigraph as ox

from . import network, store
from .text import to_simplified

ORDER = ("Locality", "Mechanism", "Metric", "Concept", "Agency", "Article")  # who wins when names tie
IGNORED = r"[\s\"'“”‘’「」『』《》]"  # compared names drop spaces and quotes
TOP = 10

CANDIDATES = """SELECT ?e ?type ?key ?q WHERE {
  VALUES ?type { %s }
  ?e a ?type ; rdfs:label|skos:prefLabel ?label .
  BIND(REPLACE(STR(?label), %s, "") AS ?key)
  FILTER(?key != "" && (CONTAINS(?key, ?q) || CONTAINS(?q, ?key))) }""" % (
    " ".join(network.KINDS), str(ox.Literal(IGNORED)))
PARENTS = "SELECT ?l ?p WHERE { ?l rk:partOf ?p }"
ADOPTIONS = "SELECT ?l ?m WHERE { ?l rk:adopts ?m }"
BROADER = "SELECT ?m ?c WHERE { ?m a rk:Mechanism ; skos:broader ?c }"
ALL_BROADER = "SELECT ?m ?c WHERE { ?m a rk:Mechanism ; skos:broader+ ?c }"
COUNTS = """SELECT ?type (COUNT(?e) AS ?n) WHERE { VALUES ?type { %s rk:Statement } ?e a ?type }
GROUP BY ?type""" % " ".join(network.KINDS)
LOCALITIES = """SELECT ?l ?code ?mechanisms ?metrics WHERE {
  ?l a rk:Locality OPTIONAL { ?l rk:adminCode ?code }
  OPTIONAL { SELECT ?l (COUNT(DISTINCT ?m) AS ?mechanisms) WHERE { ?l rk:adopts ?m } GROUP BY ?l }
  OPTIONAL { SELECT ?l (COUNT(?x) AS ?metrics) WHERE { ?x rk:locality ?l } GROUP BY ?l } }"""
METRICS = """SELECT ?x ?l ?value ?unit ?year ?measure ?title ?m ?text WHERE {
  ?x a rk:Metric ; rk:value ?value ; rk:unit ?unit ; rk:locality ?l .
  OPTIONAL { ?x rk:year ?year } OPTIONAL { ?x rk:measure ?measure }
  OPTIONAL { ?x prov:wasDerivedFrom/dcterms:title ?title }
  OPTIONAL { ?m rk:yields ?x
    OPTIONAL { ?st rdf:object ?x ; rdf:subject ?m ; rdf:predicate rk:yields .
               ?ann oa:hasBody ?st ; oa:hasTarget/oa:hasSelector/oa:exact ?text } } %s }"""
OUTGOING = "SELECT ?p ?o (isIRI(?o) AS ?ref) WHERE { ?e ?p ?o }"
# statements and annotation targets point at entities too; they are the evidence, shown beside the relation
INCOMING = """SELECT ?s ?p WHERE { ?s ?p ?e
  FILTER NOT EXISTS { ?s a rk:Statement } FILTER NOT EXISTS { ?s a oa:SpecificResource } }"""


class NotFound(Exception):
    """Nothing (or no one thing) answers to a name; the message says which."""


@dataclass
class Table:
    columns: tuple
    rows: list


@dataclass(frozen=True)
class Entity:
    iri: str
    kind: str
    label: str


def key(name: str) -> str:
    """A name as compared: simplified script, no spaces or quotes."""
    return re.sub(IGNORED, "", to_simplified(name))


def _parents(st) -> dict:
    return {r["l"]: r["p"] for r in store.select(st, PARENTS)}


def ancestors(parents: dict, iri: str) -> list:
    """The localities `iri` is part of, nearest first."""
    out = []
    while iri in parents and parents[iri] not in out:
        iri = parents[iri]
        out.append(iri)
    return out


def _written_with_parents(prefix: str, ancestor_keys: list) -> bool:
    """Whether `prefix` is the parents written before a name, full or short (济宁市, 济宁, 山东济宁)."""
    for a in ancestor_keys:
        prefix = next((prefix[:-n] for n in range(len(a), 1, -1) if prefix.endswith(a[:n])), prefix)
    return prefix == ""


def _rank(q: str, k: str, kind: str, ancestor_keys: list) -> int | None:
    """0: the name; 1: a locality's short form (任城) or full form (济宁市任城区); 2: part of a longer name."""
    if k == q:
        return 0
    if kind == "Locality" and (k.startswith(q) and len(q) >= 2
                               or q.endswith(k) and _written_with_parents(q[:-len(k)], ancestor_keys)):
        return 1
    if q in k and len(q) >= 2:
        return 2
    return None


def find(st, name: str, kinds=ORDER) -> list:
    """The entities of `kinds` that `name` names best, in ORDER of kinds (several when it is ambiguous)."""
    q = key(name)
    if not q:
        return []
    rows = [r | {"kind": network.KINDS[store.compact(r["type"])]}
            for r in store.select(st, CANDIDATES, bind={"q": ox.Literal(q)})]
    parents = _parents(st)
    up = {r["e"]: ancestors(parents, r["e"]) if r["kind"] == "Locality" else [] for r in rows if r["kind"] in kinds}
    labels = store.labels(st, set(up).union(*up.values()))
    ranked = {}
    for r in rows:
        if r["kind"] in kinds:
            rank = _rank(q, r["key"], r["kind"], [key(labels.get(a, "")) for a in up[r["e"]]])
            if rank is not None and rank <= ranked.get((r["e"], r["kind"]), rank):
                ranked[(r["e"], r["kind"])] = rank
    if not ranked:
        return []
    best = min(ranked.values())
    found = [Entity(e, kind, labels.get(e, e)) for (e, kind), rank in ranked.items() if rank == best]
    return sorted(found, key=lambda e: (ORDER.index(e.kind), e.label, e.iri))


def one(st, name: str, kinds=ORDER) -> Entity:
    """The one entity `name` names; NotFound when there is none or several of the same kind."""
    found = find(st, name, kinds)
    if not found:
        raise NotFound(f"nothing named {name!r}" + ("" if kinds == ORDER else f" among {', '.join(kinds)}"))
    first = [e for e in found if e.kind == found[0].kind]
    if len(first) > 1:
        names = ", ".join(e.label for e in first[:8]) + (" …" if len(first) > 8 else "")
        raise NotFound(f"{name!r} names {len(first)} {first[0].kind} entities: {names}; be more precise")
    return first[0]


def counts(st) -> dict:
    """Entities of each kind, statements and triples."""
    out = {kind: 0 for kind in network.KINDS.values()} | {"Statement": 0}
    for r in store.select(st, COUNTS):
        out[network.KINDS.get(store.compact(r["type"]), "Statement")] = r["n"]
    out["triples"] = store.triples(st)
    return out


def localities(st) -> Table:
    """Each locality with its parents, code, and how many mechanisms it adopts and metrics it reports."""
    parents, labels = _parents(st), store.labels(st)
    found = [(r, ancestors(parents, r["l"])) for r in store.select(st, LOCALITIES)]
    codes = {r["l"]: r["code"] or labels[r["l"]] for r, _ in found}
    found.sort(key=lambda f: [codes[a] for a in reversed([f[0]["l"], *f[1]])])  # provinces down, by code
    rows = [(labels[r["l"]], [labels[a] for a in chain], r["code"], r["mechanisms"] or 0, r["metrics"] or 0)
            for r, chain in found]
    return Table(("locality", "parents", "code", "mechanisms", "metrics"), rows)


def _scope(st, locality) -> tuple:
    """The pattern and values that keep ?l to a locality and the localities that are part of it."""
    if not locality:
        return "", {}
    return "?l rk:partOf* ?scope .", {"scope": one(st, locality, ("Locality",)).iri}


def mechanisms(st, locality=None, concept=None) -> Table:
    """Mechanisms adopted in a locality (its parts included) or under a concept, by how many localities."""
    where, values = _scope(st, locality)
    if concept:
        where += " ?m skos:broader+ ?concept ."
        values["concept"] = one(st, concept, ("Concept",)).iri
    adopters = defaultdict(set)
    for r in store.select(st, f"SELECT DISTINCT ?m ?l WHERE {{ ?l rk:adopts ?m . {where} }}", values=values):
        adopters[r["m"]].add(r["l"])
    labels, concepts = store.labels(st), defaultdict(set)
    for r in store.select(st, BROADER):
        concepts[r["m"]].add(labels.get(r["c"], r["c"]))
    rows = [(labels[m], sorted(concepts[m]), len(ls), sorted(labels[l] for l in ls)) for m, ls in adopters.items()]
    rows.sort(key=lambda row: (-row[2], row[0]))
    return Table(("mechanism", "concepts", "localities", "adopted_by"), rows)


def metrics(st, locality=None, mechanism=None) -> Table:
    """Metrics of a locality (its parts included) or of a mechanism: value, unit, year, measure, evidence."""
    where, values = _scope(st, locality)
    if mechanism:
        values["m"] = [e.iri for e in find(st, mechanism, ("Mechanism",))]
        if not values["m"]:
            raise NotFound(f"nothing named {mechanism!r} among Mechanism")
        where += " ?m rk:yields ?x ."
    found = {}
    for r in store.select(st, METRICS % where, values=values):
        _, mechs, texts = found.setdefault(r["x"], (r, set(), set()))
        mechs.update({r["m"]} - {None})
        texts.update({r["text"]} - {None})
    labels = store.labels(st, {r["l"] for r, _, _ in found.values()}.union(*(m for _, m, _ in found.values())))
    rows = [(labels[r["l"]], r["measure"], r["value"], r["unit"], r["year"],
             sorted(labels[m] for m in mechs), sorted(texts), r["title"])
            for r, mechs, texts in found.values()]
    rows.sort(key=lambda row: (row[0], row[7] or "", row[1] or "", row[2]))
    return Table(("locality", "measure", "value", "unit", "year", "mechanisms", "evidence", "article"), rows)


def show(st, name: str) -> Table:
    """Everything the graph says about one entity; adopts and yields with the sentences they come from.

    A relation pointing at the entity is marked ←.
    """
    e = one(st, name)
    outgoing = store.select(st, OUTGOING, values={"e": e.iri})
    incoming = store.select(st, INCOMING, values={"e": e.iri})
    sentences = network.evidence(st, {"s": e.iri}) | network.evidence(st, {"o": e.iri})
    labels = store.labels(st, {r["o"] for r in outgoing if r["ref"]} | {r["s"] for r in incoming})

    def said(s, p, o):
        return sentences.get((s, network.RELATIONS.get(store.compact(p)), o), [])

    out = [("iri", e.iri, [])]
    for r in sorted(outgoing, key=lambda r: (store.compact(r["p"]) != "rdf:type", store.compact(r["p"]), str(r["o"]))):
        shown = labels.get(r["o"], store.compact(r["o"])) if r["ref"] else r["o"]
        out.append((store.compact(r["p"]), shown, said(e.iri, r["p"], r["o"])))
    for r in sorted(incoming, key=lambda r: (store.compact(r["p"]), labels.get(r["s"], r["s"]))):
        out.append(("← " + store.compact(r["p"]), labels.get(r["s"], store.compact(r["s"])), said(r["s"], r["p"], e.iri)))
    return Table(("property", "value", "evidence"), out)


def path(st, a: str, b: str) -> Table:
    """The shortest chain of relations between two entities, whichever way each relation points."""
    start, end = one(st, a), one(st, b)
    net = network.from_store(st, tooltips=False)
    try:
        nodes = nx.shortest_path(net.to_undirected(as_view=True), start.iri, end.iri)
    except nx.NetworkXNoPath:
        raise NotFound(f"no connection between {start.label} and {end.label}") from None
    rows = []
    for step, (u, v) in enumerate(pairwise(nodes), 1):
        if net.has_edge(u, v):
            relation = min(d["relation"] for d in net[u][v].values())
        else:
            relation = "← " + min(d["relation"] for d in net[v][u].values())
        rows.append((step, net.nodes[u]["label"], relation, net.nodes[v]["label"]))
    return Table(("step", "from", "relation", "to"), rows)


def _practices(st) -> tuple:
    """(locality -> mechanisms it or its parts adopt, localities that adopt themselves, parents)."""
    parents, adopted, own = _parents(st), defaultdict(set), set()
    for r in store.select(st, ADOPTIONS):
        own.add(r["l"])
        for l in (r["l"], *ancestors(parents, r["l"])):
            adopted[l].add(r["m"])
    return adopted, own, parents


def _jaccard(a: set, b: set) -> float:
    return round(len(a & b) / len(a | b), 3) if a | b else 0.0


def similar(st, name: str) -> Table:
    """Localities ranked by how alike their practices are to those of `name`.

    Jaccard over the mechanisms adopted (a locality's parts included), then over the thesaurus
    concepts above them, which tells related practices under different names apart from unrelated
    ones. The locality's own parents and parts are not compared with it.
    """
    target = one(st, name, ("Locality",))
    adopted, own, parents = _practices(st)
    if not adopted[target.iri]:
        raise NotFound(f"{target.label} adopts no mechanism")
    above = defaultdict(set)
    for r in store.select(st, ALL_BROADER):
        above[r["m"]].add(r["c"])

    def concepts(ms):
        return set().union(*(above[m] for m in ms))

    kin = {target.iri, *ancestors(parents, target.iri)} | {l for l in own if target.iri in ancestors(parents, l)}
    labels, mine = store.labels(st), adopted[target.iri]
    rows = []
    for other in own - kin:
        theirs = adopted[other]
        score = (_jaccard(mine, theirs), _jaccard(concepts(mine), concepts(theirs)))
        if any(score):
            rows.append((labels[other], *score, sorted(labels[m] for m in mine & theirs)))
    rows.sort(key=lambda row: (-row[1], -row[2], row[0]))
    return Table(("locality", "jaccard", "concept_jaccard", "shared"), rows)


def stats(st) -> Table:
    """Counts, the most adopted mechanisms, the entities that bridge the adoption network, communities.

    Centrality is betweenness in the network of localities and the mechanisms they adopt (from 200
    sampled sources above 1,000 nodes); communities are Louvain communities of localities linked by the mechanisms
    they share.
    """
    rows = [("count", kind, n, "") for kind, n in counts(st).items()]
    rows += [("most adopted", m, n, by) for m, _, n, by in mechanisms(st).rows[:TOP]]
    labels, adoption, sharing = store.labels(st), nx.Graph(), nx.Graph()
    by_mechanism = defaultdict(set)
    for r in store.select(st, ADOPTIONS):
        adoption.add_edge(r["l"], r["m"])
        by_mechanism[r["m"]].add(r["l"])
    kinds = {l: "Locality" for ls in by_mechanism.values() for l in ls} | dict.fromkeys(by_mechanism, "Mechanism")
    n = adoption.number_of_nodes()
    between = nx.betweenness_centrality(adoption, k=200 if n > 1000 else None, seed=0)
    for node, c in sorted(between.items(), key=lambda kv: (-kv[1], labels[kv[0]]))[:TOP]:
        rows.append(("centrality", labels[node], round(c, 3), kinds[node]))
    for ls in by_mechanism.values():
        for a, b in combinations(sorted(ls), 2):
            weight = sharing.get_edge_data(a, b, {"weight": 0})["weight"]
            sharing.add_edge(a, b, weight=weight + 1)
    communities = nx.community.louvain_communities(sharing, weight="weight", seed=0) if sharing else []
    communities = sorted((sorted(labels[l] for l in c) for c in communities if len(c) > 1), key=lambda c: (-len(c), c))
    rows += [("community", str(i), len(c), c) for i, c in enumerate(communities, 1)]
    return Table(("section", "name", "value", "detail"), rows)
