"""The embedded SPARQL store (pyoxigraph) in DIR/store: queries and large serialisations go through it.

rdflib builds the graph; pyoxigraph answers the questions and writes the files. On a million
triples rdflib's Turtle writer takes about 30 s and a CONTAINS filter 6.7 s, pyoxigraph under
1 s and 0.16 s.

The store holds one named graph per article and, in the default graph, their union. Queries
run on the default graph, so each statement is seen once: Oxigraph's "default graph as union"
mode would repeat a triple once for every article graph that holds it.
"""
from __future__ import annotations

import itertools
import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox
from rdflib.namespace import RDF, RDFS, XSD

from .rdf import PREFIXES as RDF_PREFIXES

PREFIXES = {"rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD), **{k: str(v) for k, v in RDF_PREFIXES.items()}}
FORMATS = {"trig": ox.RdfFormat.TRIG, "turtle": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD}
_NUMBERS = {str(XSD.integer), str(XSD.decimal), str(XSD.double), str(XSD.nonNegativeInteger), str(XSD.gYear)}


def path(out_dir) -> Path:
    return Path(out_dir) / "store"


def stage(graphs: Iterable[bytes]) -> ox.Store:
    """An in-memory store of article graphs, each given as N-Quads.

    A build writes its files from this store, then saves it: reading an on-disk store is about
    ten times slower (12 µs a quad on our machines).
    """
    st = ox.Store()
    for data in graphs:
        st.bulk_load(input=data, format=ox.RdfFormat.N_QUADS)
    return st


def copy_graphs(st: ox.Store, out_dir, graphs: list) -> None:
    """Copy named graphs from the store of the build in out_dir (an incremental build reuses them)."""
    if graphs:
        old = ox.Store.read_only(str(path(out_dir)))
        st.bulk_extend(itertools.chain.from_iterable(
            old.quads_for_pattern(None, None, None, ox.NamedNode(g)) for g in graphs))


def add_union(st: ox.Store) -> None:
    """The union of the article graphs as the default graph, where queries look."""
    st.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")


def save(st: ox.Store, out_dir) -> None:
    """Bulk-load a staged store into DIR/store.tmp, then put that in place of DIR/store.

    A failed load leaves the previous store whole; only the two renames are not atomic.
    """
    target = path(out_dir)
    tmp, old = target.with_name("store.tmp"), target.with_name("store.old")
    for stale in (tmp, old):
        shutil.rmtree(stale, ignore_errors=True)
    try:
        _load(st.dump(format=ox.RdfFormat.N_QUADS), tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if target.exists():
        target.rename(old)
    tmp.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _load(nquads: bytes, where: Path) -> None:
    # the store is closed when `disk` is dropped on return, before its directory is renamed
    disk = ox.Store(str(where))
    disk.bulk_load(input=nquads, format=ox.RdfFormat.N_QUADS)
    disk.flush()


def connect(out_dir) -> ox.Store:
    """The store of the build in `out_dir`, read-only: no query can change it."""
    where = path(out_dir)
    if not where.is_dir():
        raise FileNotFoundError(f"no store in {out_dir}: run kg build first")
    return ox.Store.read_only(str(where))


def dump(st: ox.Store, destination, fmt: str) -> None:
    """Write the union graph (turtle, jsonld) or the article graphs (trig) to `destination`."""
    if fmt == "trig":
        quads = itertools.chain.from_iterable(st.quads_for_pattern(None, None, None, g) for g in st.named_graphs())
        ox.serialize(quads, str(destination), FORMATS[fmt], prefixes=PREFIXES)
    else:
        st.dump(str(destination), FORMATS[fmt], from_graph=ox.DefaultGraph(), prefixes=PREFIXES)


def triples(st: ox.Store) -> int:
    """Statements in the union graph."""
    return select(st, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]


def value(term):
    """A term as a Python value: IRIs as strings, numbers and years as numbers, other literals as text."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        if term.datatype.value in _NUMBERS:
            number = Decimal(term.value)
            return int(number) if number == number.to_integral_value() else float(number)
        if term.datatype.value == str(XSD.boolean):
            return term.value == "true"
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value if isinstance(term, ox.NamedNode) else str(term)


def select(st: ox.Store, query: str, bind: dict | None = None, values: dict | None = None) -> list:
    """Rows of a SELECT on the predeclared prefixes, as dicts of Python values.

    `bind` (variable -> term) is for what a user typed: the engine gets it as the value of the
    variable (a SPARQL substitution), so it never becomes query text. Oxigraph wants such a
    variable in the projection. `values` (variable -> IRI or IRIs, read from the store) are
    joined as a trailing VALUES block written by pyoxigraph, which validates IRIs; unlike a
    substitution, it lets the planner start from them (0.4 s instead of 4 s on 770k triples).
    """
    if values:
        choices = itertools.product(*([v] if isinstance(v, str) else v for v in values.values()))
        rows = " ".join(f"({' '.join(str(ox.NamedNode(i)) for i in row)})" for row in choices)
        query += f"\nVALUES ({' '.join('?' + v for v in values)}) {{ {rows} }}"
    solutions = st.query(query, prefixes=PREFIXES, substitutions={ox.Variable(k): v for k, v in (bind or {}).items()})
    names = [v.value for v in solutions.variables]
    return [dict(zip(names, map(value, s))) for s in solutions]


def run(st: ox.Store, query: str) -> tuple:
    """(columns, rows) of any query: SELECT rows, ASK as one boolean, CONSTRUCT/DESCRIBE as triples.

    Raises ValueError with a one-line message that points at the problem when the query is not SPARQL.
    """
    try:
        result = st.query(query, prefixes=PREFIXES)
    except SyntaxError as e:
        raise ValueError(_syntax_message(query, str(e))) from None
    if isinstance(result, ox.QueryBoolean):
        return ("ask",), [(bool(result),)]
    if isinstance(result, ox.QueryTriples):
        return ("subject", "predicate", "object"), [tuple(map(value, (t.subject, t.predicate, t.object)))
                                                    for t in result]
    names = [v.value for v in result.variables]
    return tuple(names), [tuple(value(s[n]) for n in names) for s in result]


def _syntax_message(query: str, error: str) -> str:
    """Oxigraph's error as one line: where it stopped, the text just before, what it expected.

    Oxigraph lists the character classes it expected as well; they are dropped as noise.
    """
    m = re.match(r"error at (\d+):(\d+)\S*: (.*)", error, re.S)
    if not m:
        return "bad SPARQL: " + " ".join(error.split())
    line, column = int(m[1]), int(m[2])
    detail = " ".join(re.sub(r"\[[^\]]*\]", "", m[3]).split())
    head, _, items = detail.partition("expected one of ")
    if items:
        detail = head + "expected one of " + ", ".join(i.strip() for i in items.split(",") if i.strip())
    lines = query.splitlines() or [""]
    before = lines[min(line, len(lines)) - 1][:column - 1][-30:].strip()
    return f"bad SPARQL at line {line}, column {column}, after {before!r}: {detail}"


def compact(iri: str) -> str:
    """rk:adopts for https://w3id.org/reformkg/ontology#adopts; IRIs outside the prefixes stay whole."""
    for prefix, ns in sorted(PREFIXES.items(), key=lambda p: -len(p[1])):
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def labels(st: ox.Store, iris=None) -> dict:
    """IRI -> display label (the shortest simplified-Chinese rdfs:label or skos:prefLabel), of `iris` or all."""
    rows = select(st, 'SELECT ?e ?l WHERE { ?e rdfs:label|skos:prefLabel ?l FILTER(LANG(?l) = "zh") }',
                  values=None if iris is None else {"e": sorted(iris)})
    out: dict = {}
    for r in rows:
        e, label = r["e"], r["l"]
        if e not in out or (len(label), label) < (len(out[e]), out[e]):
            out[e] = label
    return out
