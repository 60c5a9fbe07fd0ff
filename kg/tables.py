"""Plain tables of a build in its summary.sqlite, for people and for SQLite browsers (datasette):
localities, mechanisms, adoptions, yields, metrics and articles, text and numbers only, each row
with the IRIs it joins on and the labels a reader wants. The other tables of the summary serve the
questions (bit masks, packed ids) and are not meant to be read.
"""
from __future__ import annotations

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


def write(db, st) -> None:
    """Create and fill the plain tables in `db` (the summary, whose entity and mechanism tables are filled)."""
    db.executescript(SCHEMA)
    label = dict(db.execute("SELECT iri, label FROM entity"))
    province = _localities(db, st, label)
    db.executemany("INSERT INTO mechanisms VALUES (?, ?, ?, ?)", db.execute(
        "SELECT e.iri, e.label, (SELECT group_concat(value, '; ') FROM json_each(m.concepts)), m.adopters "
        "FROM mechanism m JOIN entity e USING (id)").fetchall())
    titles = {}
    for r in store.select(st, ARTICLES):
        titles[r["a"]] = r["title"]
        db.execute("INSERT OR IGNORE INTO articles VALUES (?, ?, ?, ?)", (r["a"], r["title"], r["date"], r["source"]))
    db.executemany("INSERT INTO adoptions VALUES (?, ?, ?, ?, ?, ?)", (
        (r["s"], label.get(r["s"]), r["o"], label.get(r["o"]), r["a"], r["text"])
        for r in store.select(st, STATEMENTS % "rk:adopts")))
    db.executemany("INSERT INTO yields VALUES (?, ?, ?, ?, ?)", (
        (r["s"], label.get(r["s"]), r["o"], r["a"], r["text"]) for r in store.select(st, STATEMENTS % "rk:yields")))
    db.executemany("INSERT OR IGNORE INTO metrics VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (
        (r["x"], r["l"], label.get(r["l"]), province.get(r["l"]), r["measure"], r["value"], r["unit"], r["surface"],
         int(bool(r["approximate"])), r["year"], r["a"], titles.get(r["a"]))
        for r in store.select(st, METRICS)))


def _localities(db, st, label: dict) -> dict:
    """Fill the localities table; locality IRI -> its province's label (itself for a province)."""
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
    return province
