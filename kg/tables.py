"""Plain tables of a build in its summary.sqlite, for people and for SQLite browsers (datasette):
localities, mechanisms, adoptions, yields, metrics and articles, text and numbers only, each row
with the IRIs it joins on and the labels a reader wants. The other tables of the summary serve the
questions (bit masks, packed ids) and are not meant to be read.

The rows of articles, adoptions, yields and metrics are each about one article's own nodes, so a
build's worker computes them from that article's graph alone (article_rows), the same queries on a
small in-memory store; the labels, provinces and titles, which need the whole build, are filled in
by SQL once the summary's entities are in. Run on the whole store instead, the three queries took
over a quarter of a build in its main process.
"""
from __future__ import annotations

import pyoxigraph as ox

from . import store

SCHEMA = """
CREATE TABLE localities(iri TEXT PRIMARY KEY, label TEXT, level TEXT, code TEXT, parent_iri TEXT, parent TEXT,
                        province TEXT);
CREATE TABLE mechanisms(iri TEXT PRIMARY KEY, label TEXT, concepts TEXT, adopters INTEGER);
CREATE TABLE articles(iri TEXT PRIMARY KEY, title TEXT, date TEXT, source TEXT);
CREATE TABLE adoptions(locality_iri TEXT, locality TEXT, mechanism_iri TEXT, mechanism TEXT, article_iri TEXT,
                       evidence TEXT);
CREATE TABLE yields(mechanism_iri TEXT, mechanism TEXT, metric_iri TEXT, article_iri TEXT, evidence TEXT);
CREATE TABLE metrics(iri TEXT PRIMARY KEY, locality_iri TEXT, locality TEXT, province TEXT, measure TEXT, value REAL,
                     unit TEXT, surface TEXT, approximate INTEGER, year INTEGER, article_iri TEXT, article TEXT);
"""
LOCALITIES = """SELECT ?l ?level ?code ?parent WHERE { ?l a rk:Locality
  OPTIONAL { ?l rk:level ?level } OPTIONAL { ?l rk:adminCode ?code } OPTIONAL { ?l rk:partOf ?parent } }"""
ARTICLES = """SELECT ?a ?title ?date ?source WHERE { ?a a rk:Article
  OPTIONAL { ?a dcterms:title ?title } OPTIONAL { ?a dcterms:date ?date } OPTIONAL { ?a dcterms:source ?source } }"""
STATEMENTS = """SELECT ?s ?o ?a ?text WHERE { ?st a rk:Statement ; rdf:predicate %s ; rdf:subject ?s ; rdf:object ?o ;
  prov:wasDerivedFrom ?a OPTIONAL { ?ann oa:hasBody ?st ; oa:hasTarget/oa:hasSelector/rk:sentence ?text } }"""
METRICS = """SELECT ?x ?l ?measure ?value ?unit ?surface ?approximate ?year ?a WHERE {
  ?x a rk:Metric ; rk:locality ?l ; rk:value ?value ; rk:unit ?unit ; prov:wasDerivedFrom ?a
  OPTIONAL { ?x rk:measure ?measure } OPTIONAL { ?x rk:surface ?surface }
  OPTIONAL { ?x rk:approximate ?approximate } OPTIONAL { ?x rk:year ?year } }"""


def article_rows(turtle: bytes) -> list:
    """(table, row) of one article graph (rdf.Serialised.turtle: the triples about its own nodes), without
    the labels, provinces and titles that need the whole build; a worker computes them beside the extraction."""
    st = ox.Store()
    store.load_turtle(st, turtle)
    return list(_rows(st))


def _rows(st):
    """(table, row without labels) of the articles, statements and metrics in `st`."""
    for r in store.select(st, ARTICLES):
        yield "articles", (r["a"], r["title"], r["date"], r["source"])
    for table, predicate in (("adoptions", "rk:adopts"), ("yields", "rk:yields")):
        for r in store.select(st, STATEMENTS % predicate):
            yield table, (r["s"], r["o"], r["a"], r["text"])
    for r in store.select(st, METRICS):
        yield "metrics", (r["x"], r["l"], r["measure"], r["value"], r["unit"], r["surface"], int(bool(r["approximate"])),
                          r["year"], r["a"])


INSERT = {"articles": "INSERT OR IGNORE INTO articles VALUES (?, ?, ?, ?)",
          "adoptions": "INSERT INTO adoptions(locality_iri, mechanism_iri, article_iri, evidence) VALUES (?, ?, ?, ?)",
          "yields": "INSERT INTO yields(mechanism_iri, metric_iri, article_iri, evidence) VALUES (?, ?, ?, ?)",
          "metrics": "INSERT OR IGNORE INTO metrics(iri, locality_iri, measure, value, unit, surface, approximate, year, "
                     "article_iri) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"}
# the labels, provinces and titles of the rows, from the whole build
LABELLED = """
UPDATE adoptions SET locality = (SELECT label FROM entity WHERE iri = locality_iri),
                     mechanism = (SELECT label FROM entity WHERE iri = mechanism_iri);
UPDATE yields SET mechanism = (SELECT label FROM entity WHERE iri = mechanism_iri);
UPDATE metrics SET locality = (SELECT label FROM entity WHERE iri = locality_iri),
                   province = (SELECT province FROM localities WHERE iri = locality_iri),
                   article = (SELECT title FROM articles WHERE iri = article_iri);
"""


def create(db) -> None:
    """Create the plain tables in `db`, for rows that come before the summary is filled (add, then write)."""
    db.executescript(SCHEMA)


def add(db, rows) -> None:
    """Insert (table, row) pairs as article_rows gives them."""
    for table, row in rows:
        db.execute(INSERT[table], row)


def write(db, st, rows_added: bool = False) -> None:
    """Fill the plain tables in `db` (the summary, whose entity and mechanism tables are filled); the rows of
    the articles come from the store unless they were added (create, add) by the build as articles arrived."""
    if not rows_added:
        create(db)
        add(db, _rows(st))
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
