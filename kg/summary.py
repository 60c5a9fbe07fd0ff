"""The summary of a build, DIR/summary.sqlite: the small view of the graph the ready-made questions read.

At 10^5 articles the store holds 3*10^7 triples and a million metrics, and a question that reads
every label, every metric or the whole network from it takes seconds. The entities a reader names
and compares (localities, mechanisms, thesaurus concepts, agencies: a few thousand) and the
relations between them are small, so a build writes them here once, with what the questions
count and rank: metric counts, the practices of each locality with its parts, the statistics of
`kg stats`. SQLite rather than one JSON file, so that a question reads only the rows it needs,
through an index, and aggregates them in C. Metrics and articles stay in the store, where a
question reaches them by IRI.
"""
from __future__ import annotations

import json
import re
import sqlite3
from array import array
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

from . import store, tables
from .gazetteer import gazetteer
from .text import to_simplified

NAME = "summary.sqlite"
FORMAT = 3   # the tables below; a summary of another format is computed again
IGNORED = r"[\s\"'“”‘’「」『』《》]"  # compared names drop spaces and quotes
# the entities a reader names and compares, and the relations between them (not yields or mentions,
# which lead to metrics and articles)
KINDS = {k: kind for k, kind in store.KINDS.items() if kind in ("Locality", "Mechanism", "Concept", "Agency")}
RELATIONS = {p: rel for p, rel in store.RELATIONS.items() if rel in ("adopts", "partOf", "broader", "jurisdiction")}
TOP = 10

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value);
CREATE TABLE entity(id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, label TEXT NOT NULL,
                    metrics INTEGER NOT NULL DEFAULT 0);  -- reported for a locality, yielded by a mechanism
-- every adopted mechanism: its bit in the masks of practices, the labels of its concepts (skos:broader,
-- JSON), the localities that adopt it (ids packed in machine order, in the order of their labels)
CREATE TABLE mechanism(id INTEGER PRIMARY KEY, bit INTEGER NOT NULL, concepts TEXT NOT NULL, adopters INTEGER NOT NULL,
                       adopted_by BLOB NOT NULL);
-- metrics reported for a locality that a mechanism yields
CREATE TABLE yielded(mechanism INTEGER NOT NULL, locality INTEGER NOT NULL, metrics INTEGER NOT NULL,
                     PRIMARY KEY(mechanism, locality)) WITHOUT ROWID;
-- the few metrics that several mechanisms yield, so that a count over mechanisms counts them once
CREATE TABLE coyield(metric INTEGER NOT NULL, mechanism INTEGER NOT NULL, locality INTEGER,
                     PRIMARY KEY(metric, mechanism)) WITHOUT ROWID;
CREATE TABLE name(key TEXT NOT NULL, entity INTEGER NOT NULL, PRIMARY KEY(key, entity)) WITHOUT ROWID;
-- practices: the mechanisms the locality or any of its parts adopts, concepts: the concepts above
-- them (skos:broader+), as bit masks (little-endian), which similarity compares in microseconds
CREATE TABLE locality(id INTEGER PRIMARY KEY, code TEXT, parent INTEGER, adopts INTEGER NOT NULL DEFAULT 0,
                      practices BLOB NOT NULL DEFAULT x'', concepts BLOB NOT NULL DEFAULT x'');
CREATE INDEX locality_parent ON locality(parent);
CREATE TABLE edge(s INTEGER NOT NULL, relation TEXT NOT NULL, o INTEGER NOT NULL,
                  PRIMARY KEY(s, relation, o)) WITHOUT ROWID;
CREATE INDEX edge_o ON edge(o, relation, s);
CREATE TABLE above(mechanism INTEGER NOT NULL, concept INTEGER NOT NULL, PRIMARY KEY(concept, mechanism)) WITHOUT ROWID;
CREATE TABLE stat(row INTEGER PRIMARY KEY, section TEXT NOT NULL, name TEXT NOT NULL, value, detail TEXT NOT NULL);
"""

ENTITIES = "SELECT ?e ?type WHERE { VALUES ?type { %s } ?e a ?type }" % " ".join(KINDS)
# a union, not VALUES ?p: with the predicate unbound the engine read every label of the store (15 s at 10^5 articles)
LABELS = """SELECT ?e ?label (LANG(?label) AS ?lang) ?preferred WHERE { VALUES ?type { %s } ?e a ?type .
  { ?e rdfs:label ?label BIND(false AS ?preferred) } UNION { ?e skos:prefLabel ?label BIND(true AS ?preferred) }
  UNION { ?e skos:altLabel ?label BIND(false AS ?preferred) } }""" % " ".join(KINDS)
CODES = "SELECT ?l ?code WHERE { ?l a rk:Locality ; rk:adminCode ?code }"
EDGES = "SELECT ?s ?p ?o WHERE { VALUES ?p { %s } ?s ?p ?o }" % " ".join(RELATIONS)
# the counts of metrics, from the plain tables (kg.tables) of the summary: a metric is a row of `metrics`, each
# mechanism yielding it a row of `yields` for each sentence it is read from; asked of the store, these counts
# held its 10^6 metrics in memory at once (+0.4 GB at 10^5 articles). `yielding`: each metric a mechanism yields.
COUNTED = ["""CREATE TEMP TABLE yielding AS SELECT DISTINCT x.rowid AS metric, m.id AS mechanism, l.id AS locality
  FROM yields y JOIN metrics x ON x.iri = y.metric_iri JOIN entity m ON m.iri = y.mechanism_iri
  LEFT JOIN entity l ON l.iri = x.locality_iri""",
           """UPDATE entity SET metrics = n FROM (SELECT locality_iri, COUNT(*) AS n FROM metrics GROUP BY locality_iri)
  WHERE iri = locality_iri""",
           """UPDATE entity SET metrics = n FROM (SELECT mechanism, COUNT(*) AS n FROM yielding GROUP BY mechanism)
  WHERE id = mechanism""",
           """INSERT INTO yielded SELECT mechanism, locality, COUNT(*) FROM yielding WHERE locality IS NOT NULL
  GROUP BY mechanism, locality""",
           # the few metrics several mechanisms yield
           """INSERT INTO coyield SELECT DENSE_RANK() OVER (ORDER BY metric) - 1, mechanism, locality FROM (
  SELECT *, COUNT(*) OVER (PARTITION BY metric) AS yielders FROM yielding) WHERE yielders > 1""",
           "DROP TABLE yielding"]


def key(name: str) -> str:
    """A name as compared: simplified script, no spaces or quotes."""
    return re.sub(IGNORED, "", to_simplified(name))


def path(out_dir) -> Path:
    return Path(out_dir) / NAME


def connect(out_dir) -> sqlite3.Connection | None:
    """The summary of the build in `out_dir`, read-only; None when there is none of this FORMAT."""
    where = path(out_dir)
    if not where.is_file():
        return None
    db = sqlite3.connect(f"{where.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        if db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone() == (FORMAT,):
            return db
    except sqlite3.DatabaseError:
        pass
    db.close()
    return None


def summarise(st: ox.Store, db: sqlite3.Connection, counts: dict, rows_added: bool = False) -> None:
    """Fill the summary `db` of a build from its store (`counts` as questions.counts gives), commit and close it;
    `rows_added`: the rows of the plain tables are in it already (kg.tables.add, as articles arrived)."""
    fill(db, st, counts, rows_added)
    db.commit()
    db.close()


def fill(db: sqlite3.Connection, st: ox.Store, counts: dict, rows_added: bool = False) -> None:
    """Create the tables in `db` and fill them from the store (the plain tables' article rows, unless added)."""
    db.executescript(SCHEMA)
    if not rows_added:
        tables.create(db)
        tables.add(db, tables.store_rows(st))
    ids = _entities(db, st)
    edges = _edges(db, st, ids)
    for counting in COUNTED:
        db.execute(counting)
    _mechanisms(db, edges)
    _practices(db, edges)
    _stats(db, edges, counts)
    tables.write(db, st)
    db.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT,))


def _entities(db, st) -> dict:
    """Entities of the small kinds, with their display label (store.shown_label) and names."""
    kinds: dict = {}
    for r in store.select(st, ENTITIES):
        kinds.setdefault(r["e"], []).append(KINDS[store.compact(r["type"])])
    ids = {iri: n for n, iri in enumerate(sorted(kinds), 1)}
    names, shown = defaultdict(set), {}
    for r in store.select(st, LABELS):
        e, label = r["e"], r["label"]
        names[e].add(key(label))
        rank = store.label_rank(label, r["preferred"])
        if r["lang"] == "zh" and (e not in shown or rank < shown[e]):
            shown[e] = rank
    order = list(KINDS.values())
    db.executemany("INSERT INTO entity(id, iri, kind, label) VALUES (?, ?, ?, ?)",
                   ((ids[e], e, min(k, key=order.index), shown[e][-1] if e in shown else e) for e, k in kinds.items()))
    db.executemany("INSERT INTO name VALUES (?, ?)", ((k, ids[e]) for e, ks in names.items() for k in ks if k))
    codes = {r["l"]: r["code"] for r in store.select(st, CODES)}
    former = gazetteer().former  # a unit is named by its earlier names too (临清县 → 临清市)
    db.executemany("INSERT OR IGNORE INTO name VALUES (?, ?)",
                   ((key(n), ids[e]) for e, code in codes.items() if e in ids for n in former.get(code, ())))
    db.executemany("INSERT INTO locality(id, code) VALUES (?, ?)",
                   ((ids[e], codes.get(e)) for e, k in kinds.items() if "Locality" in k))
    return ids


def _edges(db, st, ids: dict) -> list:
    """The relations between entities of the small kinds, as (subject id, relation, object id)."""
    relation = {store.expand(p): rel for p, rel in RELATIONS.items()}
    edges = sorted({(ids[r["s"]], relation[r["p"]], ids[r["o"]])
                    for r in store.select(st, EDGES) if r["s"] in ids and r["o"] in ids})
    db.executemany("INSERT INTO edge VALUES (?, ?, ?)", edges)
    db.execute("UPDATE locality SET parent = (SELECT o FROM edge WHERE s = locality.id AND relation = 'partOf')")
    return edges


def _mechanisms(db, edges: list) -> None:
    """Each adopted mechanism: its concepts and adopters (the rows of `kg mechanisms`), and its bit."""
    label = dict(db.execute("SELECT id, label FROM entity"))
    adopters, concepts = defaultdict(list), defaultdict(set)
    for s, rel, o in edges:
        if rel == "adopts":
            adopters[o].append(s)
        elif rel == "broader":
            concepts[s].add(label[o])
    db.executemany("INSERT INTO mechanism VALUES (?, ?, ?, ?, ?)", (
        (m, bit, json.dumps(sorted(concepts[m]), ensure_ascii=False), len(by),
         pack(sorted(by, key=lambda place: (label[place], place))))
        for bit, (m, by) in enumerate(sorted(adopters.items()))))


def _practices(db, edges: list) -> None:
    """What each locality does with its parts, and the concepts above (locality, above)."""
    bit = dict(db.execute("SELECT id, bit FROM mechanism"))
    parent = {s: o for s, rel, o in edges if rel == "partOf"}
    broader = defaultdict(set)
    for s, rel, o in edges:
        if rel == "broader":
            broader[s].add(o)
    practice, adopts = defaultdict(set), defaultdict(int)
    for s, rel, o in edges:
        if rel == "adopts":
            adopts[s] += 1
            for place in (s, *ancestors(parent, s)):
                practice[place].add(o)
    above = {m: _closure(broader, m) for m in bit}
    concept_bit = {c: i for i, c in enumerate(sorted(set().union(*above.values())))}
    db.executemany("INSERT INTO above VALUES (?, ?)", ((m, c) for m, cs in above.items() for c in cs))
    db.executemany("UPDATE locality SET adopts = ?, practices = ?, concepts = ? WHERE id = ?", (
        (adopts[place], mask(bit[m] for m in ms), mask(concept_bit[c] for m in ms for c in above[m]), place)
        for place, ms in practice.items()))


def pack(ids) -> bytes:
    return array("i", ids).tobytes()


def unpack(blob: bytes) -> array:
    return array("i", blob)


def mask(bits) -> bytes:
    """Bit positions as the bytes of an integer, little-endian."""
    n = sum(1 << b for b in set(bits))
    return n.to_bytes((n.bit_length() + 7) // 8, "little")


def ancestors(parents: dict, node) -> list:
    """The localities `node` is part of, nearest first (`parents`: node -> parent node)."""
    out = []
    while parents.get(node) is not None and parents[node] not in out:
        node = parents[node]
        out.append(node)
    return out


def root(parents: dict, node):
    """The highest locality `node` is part of (its province, for a unit of the gazetteer); itself when it has none."""
    return ([node, *ancestors(parents, node)])[-1]


def _closure(broader: dict, node: int) -> set:
    """The concepts above `node` (skos:broader+)."""
    seen, todo = set(), list(broader.get(node, ()))
    while todo:
        c = todo.pop()
        if c not in seen:
            seen.add(c)
            todo.extend(broader.get(c, ()))
    return seen


def _stats(db, edges: list, counts: dict) -> None:
    """The rows of `kg stats`: counts, the most adopted mechanisms, centrality, communities."""
    from . import network   # networkx, which a question that reads the summary does without

    label = dict(db.execute("SELECT id, label FROM entity"))
    kind = dict(db.execute("SELECT id, kind FROM entity"))
    between, communities = network.bridges_and_communities([(s, o) for s, rel, o in edges if rel == "adopts"])
    places = (sorted(label[n] for n in c if kind[n] == "Locality") for c in communities)
    rows = [("count", k, n, "") for k, n in counts.items()]
    rows += [("most adopted", m, n, [label[i] for i in unpack(by)]) for m, n, by in db.execute(
        "SELECT label, adopters, adopted_by FROM mechanism JOIN entity USING (id) ORDER BY adopters DESC, label LIMIT ?",
        (TOP,))]
    rows += [("centrality", label[n], round(c, 3), kind[n])
             for n, c in sorted(between.items(), key=lambda kv: (-kv[1], label[kv[0]]))[:TOP]]
    rows += [("community", str(i), len(c), c)
             for i, c in enumerate(sorted((c for c in places if len(c) > 1), key=lambda c: (-len(c), c)), 1)]
    db.executemany("INSERT INTO stat(section, name, value, detail) VALUES (?, ?, ?, ?)",
                   ((s, n, v, json.dumps(d, ensure_ascii=False)) for s, n, v, d in rows))
