"""Plain tables of a build in its summary.sqlite, for people and for SQLite browsers (datasette):
localities, mechanisms, adoptions, yields, metrics and articles, text and numbers only, each row
with the IRIs it joins on and the labels a reader wants. The other tables of the summary serve the
questions (bit masks, packed ids) and are not meant to be read.

The rows of articles, adoptions, yields and metrics are each about one article's own nodes, so a
build's worker computes them from that article's graph alone (article_rows), read from an index of its
triples by subject; the labels, provinces and article names, which need the whole build, are filled in
by SQL once the summary's entities are in. Run on the whole store instead, the three queries took
over a quarter of a build in its main process.
"""
from __future__ import annotations

import re
from collections import defaultdict, deque

import pyoxigraph as ox

from . import store

SCHEMA = """
CREATE TABLE localities(iri TEXT PRIMARY KEY, label TEXT, level TEXT, code TEXT, parent_iri TEXT, parent TEXT,
                        province TEXT);
CREATE TABLE mechanisms(iri TEXT PRIMARY KEY, label TEXT, concepts TEXT, adopters INTEGER);
CREATE TABLE articles(iri TEXT PRIMARY KEY, label TEXT, title TEXT, date TEXT, source TEXT);
CREATE TABLE adoptions(locality_iri TEXT, locality TEXT, mechanism_iri TEXT, mechanism TEXT, article_iri TEXT,
                       evidence TEXT);
CREATE TABLE yields(mechanism_iri TEXT, mechanism TEXT, metric_iri TEXT, article_iri TEXT, evidence TEXT);
CREATE TABLE metrics(iri TEXT PRIMARY KEY, locality_iri TEXT, locality TEXT, province TEXT, measure TEXT, value REAL,
                     unit TEXT, before REAL, before_unit TEXT, before_iri TEXT, surface TEXT, approximate TEXT,
                     year INTEGER, article_iri TEXT, article TEXT);
"""
LOCALITIES = """SELECT ?l ?level ?code ?parent WHERE { ?l a rk:Locality
  OPTIONAL { ?l rk:level ?level } OPTIONAL { ?l rk:adminCode ?code } OPTIONAL { ?l rk:partOf ?parent } }"""


def article_rows(triples) -> list:
    """(table, row) of one article graph (the N-Triples terms of rdf.triples), without the labels, provinces
    and article names that need the whole build; a worker computes them beside the extraction."""
    passing, rows = rows_beside(triples)
    deque(passing, maxlen=0)     # every triple through
    return rows()


def rows_beside(triples) -> tuple:
    """(the triples of one article graph passed on as they come, a function that gives article_rows of them
    once they have all passed): a worker makes the rows in the pass that writes the graph."""
    index = _Index(_term_value)
    iris: dict = {}      # each subject and predicate unbracketed once, not once a triple (a third of the memory)
    unbracketed = lambda term: iris.get(term) or iris.setdefault(term, term[1:-1])

    def passing():
        for s, p, o in triples:
            index.add(unbracketed(s), unbracketed(p), o)
            yield s, p, o
    return passing(), lambda: list(index.rows())


def store_rows(st) -> list:
    """(table, row) of every article in a store (a build before summaries; memory grows with the store)."""
    index = _Index(store.value)
    for q in st.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        index.add(q.subject.value, q.predicate.value, q.object)
    return list(index.rows())


_ESCAPED = re.compile(r"\\(u[0-9A-Fa-f]{4}|.)")
_UNESCAPE = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_LITERAL = re.compile(r'"(.*)"(?:@[A-Za-z-]+|\^\^<([^>]*)>)?', re.S)


def _term_value(term: str):
    """An N-Triples term as store.value gives the store's term: IRIs as strings, numbers as numbers."""
    if term[0] == "<":
        return term[1:-1]
    m = _LITERAL.fullmatch(term)
    text = _ESCAPED.sub(lambda e: _UNESCAPE.get(e[1]) or chr(int(e[1][1:], 16)), m[1])
    return store.value(ox.Literal(text, datatype=ox.NamedNode(m[2]))) if m[2] else text


class _Index:
    """The objects of each subject and predicate that a row of the articles, statements and metrics reads,
    from triples (subject IRI, predicate IRI, object) with `value` for the objects; of a large article, the
    largest object made, and so only what is read: of most predicates the first object."""

    def __init__(self, value):
        self.value = value
        self.first: dict = {p: {} for p in READ}     # predicate -> subject -> its first object
        self.every: dict = {p: defaultdict(list) for p in MANY}   # predicate -> subject -> its objects
        self.typed = defaultdict(list)      # kind -> its nodes, in the order they are typed
        self.bodies = defaultdict(list)     # statement -> the annotations whose body it is

    def add(self, s: str, p: str, o) -> None:
        if p == TYPE:
            self.typed[self.value(o)].append(s)
        elif p == HAS_BODY:
            self.bodies[self.value(o)].append(s)
        elif p in MANY:
            self.every[p][s].append(o)
        elif p in READ:
            self.first[p].setdefault(s, o)

    def rows(self):
        """(table, row without labels) of what was added, as SPARQL would select them."""
        value, first, typed = self.value, self.first, self.typed
        objects = lambda node, p: self.every[p].get(node, ())
        one = lambda node, p: None if (o := first[p].get(node)) is None else value(o)
        for a in typed[KIND["Article"]]:
            yield "articles", (a, one(a, LABEL), one(a, TITLE), one(a, DATE), one(a, SOURCE))
        for st in typed[KIND["Statement"]]:
            table = {PREDICATE["adopts"]: "adoptions", PREDICATE["yields"]: "yields"}.get(one(st, RDF_PREDICATE))
            if table is None or not all(st in first[p] for p in (RDF_SUBJECT, RDF_OBJECT, DERIVED)):
                continue
            texts = [value(text) for ann in self.bodies[st] for target in objects(ann, HAS_TARGET)
                     for selector in objects(value(target), HAS_SELECTOR)
                     for text in objects(value(selector), SENTENCE)]
            for text in texts or [None]:
                yield table, (one(st, RDF_SUBJECT), one(st, RDF_OBJECT), one(st, DERIVED), text)
        for x in typed[KIND["Metric"]]:
            if all(x in first[p] for p in (LOCALITY, VALUE, UNIT, DERIVED)):
                yield "metrics", (x, one(x, LOCALITY), one(x, MEASURE), one(x, VALUE), one(x, UNIT), one(x, BEFORE),
                                  one(x, SURFACE), one(x, APPROXIMATE), one(x, YEAR), one(x, DERIVED))


TYPE, LABEL, TITLE, DATE, SOURCE, RDF_PREDICATE, RDF_SUBJECT, RDF_OBJECT, DERIVED, HAS_BODY, HAS_TARGET, HAS_SELECTOR, SENTENCE, \
    LOCALITY, VALUE, UNIT, MEASURE, SURFACE, APPROXIMATE, YEAR, BEFORE = map(store.expand, (
        "rdf:type", "rdfs:label", "dcterms:title", "dcterms:issued", "dcterms:source", "rdf:predicate", "rdf:subject",
        "rdf:object", "prov:wasDerivedFrom", "oa:hasBody", "oa:hasTarget", "oa:hasSelector", "rk:sentence", "rk:locality",
        "rk:value", "rk:unit", "rk:measure", "rk:surface", "rk:approximate", "rk:year", "rk:before"))
KIND = {kind: store.expand(f"rk:{kind}") for kind in ("Article", "Statement", "Metric")}
# the predicates a row reads: of some every object, of the others the first
MANY = {HAS_TARGET, HAS_SELECTOR, SENTENCE}
READ = {LABEL, TITLE, DATE, SOURCE, RDF_PREDICATE, RDF_SUBJECT, RDF_OBJECT, DERIVED, LOCALITY, VALUE, UNIT, MEASURE,
        SURFACE, APPROXIMATE, YEAR, BEFORE}
PREDICATE = {p: store.expand(f"rk:{p}") for p in ("adopts", "yields")}


INSERT = {"articles": "INSERT OR IGNORE INTO articles VALUES (?, ?, ?, ?, ?)",
          "adoptions": "INSERT INTO adoptions(locality_iri, mechanism_iri, article_iri, evidence) VALUES (?, ?, ?, ?)",
          "yields": "INSERT INTO yields(mechanism_iri, metric_iri, article_iri, evidence) VALUES (?, ?, ?, ?)",
          "metrics": "INSERT OR IGNORE INTO metrics(iri, locality_iri, measure, value, unit, before_iri, surface, approximate, "
                     "year, article_iri) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"}
# the labels, provinces and article names (title, else file name) of the rows, from the whole build
LABELLED = """
UPDATE adoptions SET locality = (SELECT label FROM entity WHERE iri = locality_iri),
                     mechanism = (SELECT label FROM entity WHERE iri = mechanism_iri);
UPDATE yields SET mechanism = (SELECT label FROM entity WHERE iri = mechanism_iri);
UPDATE metrics SET locality = (SELECT label FROM entity WHERE iri = locality_iri),
                   province = (SELECT province FROM localities WHERE iri = locality_iri),
                   article = (SELECT label FROM articles WHERE iri = article_iri);
UPDATE metrics SET (before, before_unit) = (SELECT b.value, b.unit FROM metrics b WHERE b.iri = metrics.before_iri)
 WHERE before_iri IS NOT NULL;
"""


def create(db) -> None:
    """Create the plain tables in `db`, for rows that come before the summary is filled (add, then write)."""
    db.executescript(SCHEMA)


def add(db, rows) -> None:
    """Insert (table, row) pairs as article_rows gives them."""
    for table, row in rows:
        db.execute(INSERT[table], row)


def write(db, st) -> None:
    """Fill the plain tables in `db` (the summary, whose entity and mechanism tables are filled) other than the
    rows of the articles, which are in it already (create, add: as a build's articles arrive, or store_rows)."""
    label = dict(db.execute("SELECT iri, label FROM entity"))
    _localities(db, st, label)
    db.executemany("INSERT INTO mechanisms VALUES (?, ?, ?, ?)", db.execute(
        "SELECT e.iri, e.label, (SELECT group_concat(value, '; ') FROM json_each(m.concepts)), m.adopters "
        "FROM mechanism m JOIN entity e USING (id)").fetchall())
    db.executescript(LABELLED)


def _localities(db, st, label: dict) -> None:
    """Fill the localities table, with the label of each locality's province (itself for a province)."""
    from .summary import root   # kg.summary imports this module

    rows = {r["l"]: r for r in store.select(st, LOCALITIES)}
    parents = {iri: r["parent"] for iri, r in rows.items() if r["parent"]}
    province = {}
    for iri, r in rows.items():
        highest = rows[root(parents, iri)]
        if highest["level"] == "province":
            province[iri] = label.get(highest["l"])
    db.executemany("INSERT INTO localities VALUES (?, ?, ?, ?, ?, ?, ?)", (
        (iri, label.get(iri), r["level"], r["code"], r["parent"], label.get(r["parent"]), province.get(iri))
        for iri, r in rows.items()))
