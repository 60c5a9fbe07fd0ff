"""Ready-made questions on a build: localities, mechanisms, metrics, one entity, paths, likeness, statistics.

A question reads an open build (`open_build`): its summary (kg.summary) for the network of
localities, mechanisms, concepts and agencies, and its store only for what is said about a few
entities whose IRIs it already holds, a page at a time (`limit`). None reads the whole store, so
each answers in a fraction of a second on a build of 10^5 articles.

Each question returns a Table. What the user types is data, never query text: a name is compared
with the names of the summary as a bound SQL parameter, or looked up in the store as the bound
value of a variable (kg.names); only IRIs read from the summary or the store go into queries.
"""
from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox

from . import store, summary
from .names import ORDER, Entity, NotFound, find, localities_of, one
from .rows import counted
from .summary import ancestors, summarise  # noqa: F401 (a build writes the summary through this module)

# a row per metric, for a spreadsheet: where, what, the number as written, and the sentence it comes from
METRIC_COLUMNS = ("locality", "province", "mechanisms", "measure", "value", "unit", "before", "before_unit", "surface",
                  "approximate", "year", "article", "evidence")
LIMIT = 50   # rows of a relation (show), metrics, similar localities: shown unless asked for more

COUNTS = """SELECT ?type (COUNT(?e) AS ?n) WHERE { VALUES ?type { %s rk:Statement } ?e a ?type }
GROUP BY ?type""" % " ".join(store.KINDS)
IDS = "SELECT value FROM json_each(?)"
PARTS = """WITH RECURSIVE part(id) AS (SELECT value FROM json_each(?)
  UNION SELECT l.id FROM locality l JOIN part ON l.parent = part.id) SELECT id FROM part"""


@dataclass
class Table:
    columns: tuple
    rows: list
    notes: list = field(default_factory=list)   # what the rows leave out, for the reader


@dataclass
class Build:
    """An open build: the summary of its network, and its store."""
    out_dir: Path
    summary: sqlite3.Connection

    @cached_property
    def store(self) -> ox.Store:
        """The store, opened when a question first reads it: opening takes tens of milliseconds."""
        return store.connect(self.out_dir)


def open_build(out_dir, computing=lambda: None) -> Build:
    """The build in `out_dir`, read-only.

    A build made before kg wrote summaries has none: it is computed in memory from the store,
    which takes as long as on a build (minutes at 10^5 articles); `computing` is called first.
    """
    if not store.path(out_dir).is_dir():
        store.connect(out_dir)   # raises the error that says there is no build
    db = summary.connect(out_dir)
    build = Build(Path(out_dir), db or sqlite3.connect(":memory:"))
    if db is None:
        computing()
        summary.fill(build.summary, build.store, counts(build.store))
    return build


def counts(st) -> dict:
    """Entities of each kind, statements and triples, from the store."""
    out = {kind: 0 for kind in store.KINDS.values()} | {"Statement": 0}
    for r in store.select(st, COUNTS):
        out[store.KINDS.get(store.compact(r["type"]), "Statement")] = r["n"]
    out["triples"] = store.triples(st)
    return out


def _ids(ids) -> str:
    """Ids or IRIs as one SQL parameter, read with json_each: any number of them, no query text."""
    return json.dumps(sorted(ids), ensure_ascii=False)


def _labels(db, ids) -> dict:
    """Id -> label, of the entities of the summary with these ids."""
    return dict(db.execute(f"SELECT id, label FROM entity WHERE id IN ({IDS})", (_ids(ids),)))


def _labels_of(db, iris) -> dict:
    """IRI -> label, of the entities of the summary with these IRIs."""
    return dict(db.execute(f"SELECT iri, label FROM entity WHERE iri IN ({IDS})", (_ids(iris),)))


def localities(build: Build) -> Table:
    """Each locality with its parents, code, and how many mechanisms it adopts and metrics it reports."""
    parents, labels = localities_of(build.summary)
    found = build.summary.execute("SELECT id, code, adopts, metrics FROM locality JOIN entity USING (id)").fetchall()
    codes = {i: code or labels[i] for i, code, _, _ in found}
    found.sort(key=lambda r: [codes[a] for a in reversed([r[0], *ancestors(parents, r[0])])])  # provinces down, by code
    rows = [(labels[i], [labels[a] for a in ancestors(parents, i)], code, adopts, n) for i, code, adopts, n in found]
    return Table(("locality", "parents", "code", "mechanisms", "metrics"), rows,
                 [] if rows else ["the build names no locality"])


def _parts(db, locality: int) -> list:
    """The ids of a locality and of the localities that are part of it."""
    return [i for (i,) in db.execute(PARTS, (_ids([locality]),))]


def _scope(build: Build, locality) -> tuple:
    """The locality named and the ids of it and its parts; (None, None) without a name."""
    if not locality:
        return None, None
    place = one(build, locality, ("Locality",))
    return place, _parts(build.summary, place.id)


UNDER = "IN (SELECT mechanism FROM above WHERE concept = ?)"


def mechanisms(build: Build, locality=None, concept=None, limit: int = 0) -> Table:
    """Mechanisms adopted in a locality (its parts included) or under a concept, by how many localities.

    The `limit` most adopted of them (0: all); a note says how many there are.
    """
    (place, parts), db = _scope(build, locality), build.summary
    above = one(build, concept, ("Concept",)) if concept else None
    under = above.id if above else None
    adopters = _adopted_by(db, under) if parts is None else _adopters(db, parts, under)
    rows = [(label, concepts, len(adopters[m]), adopters[m]) for m, label, concepts in db.execute(
        f"SELECT id, label, concepts FROM mechanism JOIN entity USING (id) WHERE id IN ({IDS})", (_ids(adopters),))]
    rows.sort(key=lambda row: (-row[2], row[0]))
    why = [" ".join(filter(None, (f"{place.label} and its parts adopt no mechanism" if place else "no mechanism is adopted",
                                   f"under {above.label}" if above else "")))]
    # the concepts (JSON) of the rows shown only
    shown = [(label, json.loads(concepts), n, by) for label, concepts, n, by in rows[:limit or None]]
    return Table(("mechanism", "concepts", "localities", "adopted_by"), shown,
                 _more(len(shown), len(rows), "mechanisms") if rows else why)


def _adopted_by(db, concept: int | None) -> dict:
    """Mechanism id -> the labels of the localities that adopt it, in order; of those under `concept`, if any."""
    where, params = (f" WHERE id {UNDER}", (concept,)) if concept is not None else ("", ())
    labels = localities_of(db)[1]
    return {m: [labels[i] for i in summary.unpack(by)]
            for m, by in db.execute("SELECT id, adopted_by FROM mechanism" + where, params)}


def _adopters(db, places: list, concept: int | None) -> dict:
    """Mechanism id -> the labels of the places that adopt it, in order; of those under `concept`, if any."""
    where, params = (f" AND a.o {UNDER}", (concept,)) if concept is not None else ("", ())
    return {m: sorted(json.loads(by)) for m, by in db.execute(
        "SELECT a.o, json_group_array(l.label) FROM edge a JOIN entity l ON l.id = a.s "
        f"WHERE a.relation = 'adopts' AND a.s IN ({IDS}){where} GROUP BY a.o", (_ids(places), *params))}


METRIC_ROWS = """SELECT ?x ?l ?value ?unit ?before ?beforeUnit ?surface ?approximate ?year ?measure ?article ?m ?text WHERE {
  %s ?x a rk:Metric ; rk:value ?value ; rk:unit ?unit ; rk:locality ?l .
  OPTIONAL { ?x rk:year ?year } OPTIONAL { ?x rk:measure ?measure } OPTIONAL { ?x rk:surface ?surface }
  OPTIONAL { ?x rk:approximate ?approximate } OPTIONAL { ?x rk:before [ rk:value ?before ; rk:unit ?beforeUnit ] }
  OPTIONAL { ?x prov:wasDerivedFrom/rdfs:label ?article }
  OPTIONAL { ?m rk:yields ?x
    OPTIONAL { ?st rdf:object ?x ; rdf:subject ?m ; rdf:predicate rk:yields .
               ?ann oa:hasBody ?st ; oa:hasTarget/oa:hasSelector/rk:sentence ?text } } }"""


def _total(db, kind: str) -> int:
    return db.execute("SELECT value FROM stat WHERE section = 'count' AND name = ?", (kind,)).fetchone()[0]


def _metrics_in_scope(db, places, mechanisms) -> str:
    """The pattern that binds ?x to the metrics of the places (ids) and of the mechanisms (ids).

    With both, the side with fewer metrics binds ?x and the other is checked for each: a planner
    that starts from a mechanism's 10^5 metrics to find one county's takes seconds.
    """
    def side(ids, var, pattern):
        iris = [iri for iri, in db.execute(f"SELECT iri FROM entity WHERE id IN ({IDS}) ORDER BY label", (_ids(ids),))]
        return _sum_metrics(db, ids), f"{{ {store.values_clause({var: iris})} {pattern} }}"

    if places is None and mechanisms is None:
        return "?x a rk:Metric ."
    if places is not None and mechanisms is not None:   # only the places where the mechanisms yield metrics
        places = [l for (l,) in db.execute(f"SELECT DISTINCT locality FROM yielded WHERE mechanism IN ({IDS}) "
                                           f"AND locality IN ({IDS})", (_ids(mechanisms), _ids(places)))]
    sides = sorted(side(ids, var, pattern) for ids, var, pattern in (
        (places, "l", "?x rk:locality ?l"), (mechanisms, "m", "?m rk:yields ?x")) if ids is not None)
    return " FILTER EXISTS ".join(pattern for _, pattern in sides)


def _sum_metrics(db, ids) -> int:
    """Metrics reported for these localities, or yielded by these mechanisms."""
    return db.execute(f"SELECT COALESCE(SUM(metrics), 0) FROM entity WHERE id IN ({IDS})", (_ids(ids),)).fetchone()[0]


def _count_metrics(db, places, mechanisms) -> int:
    """How many metrics are in scope, from the summary. A metric has one locality; the few that
    several of the mechanisms yield are counted once."""
    if mechanisms is None:
        return _total(db, "Metric") if places is None else _sum_metrics(db, places)
    if places is None:
        where, params = f"mechanism IN ({IDS})", (_ids(mechanisms),)
        total = _sum_metrics(db, mechanisms)
    else:
        where, params = f"mechanism IN ({IDS}) AND locality IN ({IDS})", (_ids(mechanisms), _ids(places))
        total = db.execute(f"SELECT COALESCE(SUM(metrics), 0) FROM yielded WHERE {where}", params).fetchone()[0]
    twice = db.execute(f"SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT COUNT(*) AS n FROM coyield WHERE {where} "
                       "GROUP BY metric)", params).fetchone()[0]
    return total - twice


def metrics(build: Build, locality=None, mechanism=None, limit: int = LIMIT) -> Table:
    """Metrics of a locality (its parts included) or of a mechanism: value, unit, year, measure, evidence.

    At most `limit` of them (0: all); a note says how many there are.
    """
    (place, places), mechanisms, named = _scope(build, locality), None, []
    if mechanism:
        named = find(build, mechanism, ("Mechanism",)) or [one(build, mechanism, ("Mechanism",))]
        mechanisms = [e.id for e in named]
    query = f"SELECT DISTINCT ?x WHERE {{ {_metrics_in_scope(build.summary, places, mechanisms)} }}"
    picks = [r["x"] for r in store.select(build.store, query + (f" LIMIT {int(limit)}" if limit else ""))]
    total = _count_metrics(build.summary, places, mechanisms) if limit and len(picks) == limit else len(picks)
    rows = _metric_rows(build, picks)
    return Table(METRIC_COLUMNS, rows,
                 _more(len(rows), total, "metrics") if rows else [_no_metric(build.summary, place, named)])


def _no_metric(db, place: Entity | None, named: list) -> str:
    """Why there is no metric: 零基预算: 1 adopter, no metric (in 海陵区)."""
    where = f" in {place.label} or its parts" if place else ""
    if not named:
        return f"no metric{where}"
    adopters = sum(n for (n,) in db.execute(f"SELECT adopters FROM mechanism WHERE id IN ({IDS})",
                                            (_ids([e.id for e in named]),)))
    labels = ", ".join(e.label for e in named[:3]) + (" …" if len(named) > 3 else "")
    return f"{labels}: {counted(adopters, 'adopter')}, no metric{where}"


def _metric_rows(build: Build, picks: list) -> list:
    found = {}
    for part in store.chunked(picks):
        for r in store.select(build.store, METRIC_ROWS % store.values_clause({"x": part})):
            _, mechs, texts = found.setdefault(r["x"], (r, set(), set()))
            mechs.update({r["m"]} - {None})
            texts.update({r["text"]} - {None})
    labels = _labels_of(build.summary, {r["l"] for r, _, _ in found.values()}.union(*(m for _, m, _ in found.values())))
    province = _provinces(build.summary)
    rows = [(labels[r["l"]], province.get(r["l"], ""), sorted(labels[m] for m in mechs), r["measure"], r["value"],
             r["unit"], r["before"], r["beforeUnit"], r["surface"], r["approximate"] or "", r["year"], r["article"],
             sorted(texts)) for r, mechs, texts in found.values()]
    rows.sort(key=lambda row: (row[0], row[11] or "", row[3] or "", row[4]))
    return rows


def _provinces(db) -> dict:
    """Locality IRI -> the label of its province (the plain localities table of kg.tables)."""
    return dict(db.execute("SELECT iri, province FROM localities WHERE province IS NOT NULL"))


def _more(shown: int, total: int, what: str) -> list:
    """The note that says what a limit left out, if it did."""
    if total <= shown:
        return []
    return [f"{shown} of {total:,} {what} shown; --limit N shows N, --limit 0 all"]


# What kg/rdf.py says about a locality, mechanism, concept or agency, and what points at one
# (statements and annotation targets aside). `show` reads them one by one, each up to its limit:
# a mechanism is the subject of 10^5 rk:yields and the rdf:subject of as many statements, which
# reading everything about it would go through. test_show_reads_every_relation guards the lists.
ABOUT = ("rdf:type", "rdfs:label", "skos:prefLabel", "skos:altLabel", "rk:level", "rk:adminCode", "rk:partOf", "rk:adopts",
         "rk:yields", "skos:broader", "rk:jurisdiction")
POINTING = ("rk:adopts", "rk:partOf", "skos:broader", "rk:locality", "rk:jurisdiction", "rk:mentions")
AROUND = {False: "?e ?p ?o", True: "?s ?p ?e"}
OUT_OF = "SELECT ?p ?o (isIRI(?o) AS ?ref) WHERE { %s ?e ?p ?o }"
INTO = "SELECT ?s ?p WHERE { %s ?s ?p ?e }"
# a metric or an article: tens of statements, read at once
OUTGOING = "SELECT ?p ?o (isIRI(?o) AS ?ref) WHERE { ?e ?p ?o }"
INCOMING = """SELECT ?s ?p WHERE { ?s ?p ?e
  FILTER NOT EXISTS { ?s a rk:Statement } FILTER NOT EXISTS { ?s a oa:SpecificResource } }"""
# The statements of adopts and yields pairs, and the sentences they were read from. An index probe
# costs tens of microseconds: the statements are read from the end that has few (a locality, a
# metric: hundreds), or, when both have many (fifty localities and the mechanism they adopt, in
# 10^4 statements each), both ranges are read and joined (two subqueries: a hash join).
FEW = 1000
STATEMENTS_OF = "SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?st WHERE { %s ?st rdf:%s ?e } LIMIT %d } }"
FROM_ONE_END = "SELECT ?st ?s ?o WHERE { %s ?st rdf:%s ?%s ; rdf:%s ?%s }"
FROM_BOTH_ENDS = """SELECT ?st ?s ?o WHERE { { SELECT ?st ?s WHERE { %s ?st rdf:subject ?s } }
  { SELECT ?st ?o WHERE { %s ?st rdf:object ?o } } }"""
SENTENCES = "SELECT ?st ?text WHERE { %s ?ann oa:hasBody ?st ; oa:hasTarget/oa:hasSelector/rk:sentence ?text }"


def _relations(build: Build, e: Entity, limit: int) -> list:
    """(incoming, predicate, rows, how many there are) of each relation of `e`.

    Of a relation with more than `limit` rows (0: no limit), `limit` + 1 are read and all are counted.
    """
    st = build.store
    if e.kind in ("Metric", "Article"):
        found = defaultdict(list)
        for incoming, query in ((False, OUTGOING), (True, INCOMING)):
            for r in store.select(st, query, values={"e": e.iri}):
                found[(incoming, r["p"])].append(r)
        return [(incoming, p, rows, len(rows)) for (incoming, p), rows in found.items()]
    out = []
    for incoming, names, query in ((False, ABOUT, OUT_OF), (True, POINTING, INTO)):
        for p in map(store.expand, names):
            where = store.values_clause({"e": e.iri, "p": p})
            rows = store.select(st, query % where + (f" LIMIT {limit + 1}" if limit else ""))
            total = len(rows)
            if limit and total > limit:
                total = _count(build, e, (incoming, store.compact(p)), where)
            if rows:
                out.append((incoming, p, rows, total))
    return out


def _statements(st, pairs: set) -> dict:
    """Statement IRI -> (subject, object), of the statements about these (subject, object) pairs."""
    ends = {"subject": {s for s, _ in pairs}, "object": {o for _, o in pairs}}
    few = [end for end, iris in ends.items() if store.select(
        st, STATEMENTS_OF % (store.values_clause({"e": sorted(iris)}), end, FEW + 1))[0]["n"] <= FEW]
    if few:
        end, other = few[0], "object" if few[0] == "subject" else "subject"
        query = FROM_ONE_END % (store.values_clause({end[0]: sorted(ends[end])}), end, end[0], other, other[0])
    else:
        query = FROM_BOTH_ENDS % (store.values_clause({"s": sorted(ends["subject"])}),
                                  store.values_clause({"o": sorted(ends["object"])}))
    return {r["st"]: (r["s"], r["o"]) for r in store.select(st, query) if (r["s"], r["o"]) in pairs}


def _count(build: Build, e: Entity, relation: tuple, where: str) -> int:
    """How many rows a relation of `e` has: the summary holds the metrics of a mechanism or a locality."""
    if relation in ((False, "rk:yields"), (True, "rk:locality")):
        return build.summary.execute("SELECT metrics FROM entity WHERE id = ?", (e.id,)).fetchone()[0]
    return store.select(build.store, f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} {AROUND[relation[0]]} }}")[0]["n"]


def _sentences(st, pairs: set) -> dict:
    """(subject, object) -> the sentences the statements about these pairs were read from."""
    about = _statements(st, pairs)
    found = defaultdict(set)
    for part in store.chunked(sorted(about)):
        for r in store.select(st, SENTENCES % store.values_clause({"st": part})):
            found[about[r["st"]]].add(r["text"])
    return {pair: sorted(texts) for pair, texts in found.items()}


def _names(build: Build, iris: set) -> dict:
    """IRI -> label: from the summary, and from the store for metrics and articles."""
    found = _labels_of(build.summary, iris)
    return found | store.labels(build.store, iris - found.keys())


def show(build: Build, name: str, limit: int = LIMIT) -> Table:
    """Everything the graph says about one entity; adopts and yields with the sentences they come from.

    A relation pointing at the entity is marked ←. At most `limit` rows of each relation (0: all);
    a note says how many there are.
    """
    e = one(build, name)
    outgoing, incoming, notes = [], [], []
    for into, p, rows, total in _relations(build, e, limit):
        kept = sorted(rows, key=lambda r: str(r["s" if into else "o"]))[:limit or None]
        (incoming if into else outgoing).extend(kept)
        notes += _more(len(kept), total, ("← " if into else "") + store.compact(p))
    labels = _names(build, {r["o"] for r in outgoing if r["ref"]} | {r["s"] for r in incoming})
    sentences = {}
    for p in map(store.expand, store.EVIDENCED):   # one relation at a time: each end has its own size
        pairs = {(e.iri, r["o"]) for r in outgoing if r["p"] == p} | {(r["s"], e.iri) for r in incoming if r["p"] == p}
        sentences |= {(s, p, o): texts for (s, o), texts in _sentences(build.store, pairs).items()} if pairs else {}

    def said(s, p, o):
        return sentences.get((s, p, o), [])

    out = [("iri", e.iri, [])]
    for r in sorted(outgoing, key=lambda r: (store.compact(r["p"]) != "rdf:type", store.compact(r["p"]), str(r["o"]))):
        shown = labels.get(r["o"], store.compact(r["o"])) if r["ref"] else r["o"]
        out.append((store.compact(r["p"]), shown, said(e.iri, r["p"], r["o"])))
    for r in sorted(incoming, key=lambda r: (store.compact(r["p"]), labels.get(r["s"], r["s"]))):
        out.append(("← " + store.compact(r["p"]), labels.get(r["s"], store.compact(r["s"])), said(r["s"], r["p"], e.iri)))
    return Table(("property", "value", "evidence"), out, notes)


LINKS = f"SELECT s, relation, o FROM edge WHERE s IN ({IDS}) UNION ALL SELECT s, relation, o FROM edge WHERE o IN ({IDS})"
ENDS = "SELECT ?s ?p ?o WHERE { { %s ?s ?p ?o } UNION { %s ?s ?p ?o } FILTER(?p IN (%s)) }"
REPORTS = "SELECT ?l WHERE { %s ?x rk:locality ?l FILTER NOT EXISTS { ?m rk:yields ?x } }"
START, END = -1, -2   # a metric or an article at an end of a path, which the summary does not hold


def _relation(forward: list, backward: list) -> str:
    return min(forward) if forward else "← " + min(backward)


def _links(build: Build, nodes: set, ends: dict) -> dict:
    """Node -> {neighbour: (relation from the node to it, relation from it to the node)}.

    The summary gives the links between localities, mechanisms, concepts and agencies; `ends`
    those of a metric or an article at an end of the path.
    """
    found = defaultdict(lambda: defaultdict(lambda: ([], [])))
    ids = _ids(n for n in nodes if n not in ends)
    for s, relation, o in build.summary.execute(LINKS, (ids, ids)):
        if s in nodes:
            found[s][o][0].append(relation)
        if o in nodes:
            found[o][s][1].append(relation)
    found |= {n: ends[n] for n in nodes if n in ends}
    return {n: {v: (_relation(f, b), _relation(b, f)) for v, (f, b) in others.items()} for n, others in found.items()}


def _end(build: Build, e: Entity, node: int) -> dict:
    """{node: {neighbour: (forward relations, backward relations)}} of a metric or an article, from the store."""
    query = ENDS % (store.values_clause({"s": e.iri}), store.values_clause({"o": e.iri}), ", ".join(store.RELATIONS))
    links = [(r["s"], store.RELATIONS[store.compact(r["p"])], r["o"]) for r in store.select(build.store, query)]
    if e.kind == "Metric" and not links:   # a metric that no mechanism yields hangs from its locality
        links = [(r["l"], "reports", e.iri) for r in store.select(build.store, REPORTS % store.values_clause({"x": e.iri}))]
    ids = dict(build.summary.execute(f"SELECT iri, id FROM entity WHERE iri IN ({IDS})",
                                     (_ids({s for s, _, _ in links} | {o for _, _, o in links}),)))
    found = defaultdict(lambda: ([], []))
    for s, relation, o in links:
        if s == e.iri and o in ids:
            found[ids[o]][0].append(relation)
        elif o == e.iri and s in ids:
            found[ids[s]][1].append(relation)
    return {node: found}


def _shortest(build: Build, start: int, end: int, ends: dict) -> list:
    """The nodes and relations of a shortest path, [(node, relation, next node), ...]: a search from both ends.

    Each round takes the smaller frontier one step further; the first step that meets the other
    side gives a shortest path, through the meeting node nearest to the other end.
    """
    seen = ({start: (None, None, 0)}, {end: (None, None, 0)})   # node -> (previous, relation walked, depth)
    frontiers = ([start], [end])
    while all(frontiers):
        side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
        links, reached = _links(build, set(frontiers[side]), ends), []
        for u in frontiers[side]:
            for v, (there, back) in sorted(links.get(u, {}).items()):
                if v not in seen[side]:
                    seen[side][v] = (u, back if side else there, seen[side][u][2] + 1)
                    reached.append(v)
        frontiers = (reached, frontiers[1]) if side == 0 else (frontiers[0], reached)
        met = [v for v in reached if v in seen[1 - side]]
        if met:
            return _walk(seen, min(met, key=lambda v: (seen[1 - side][v][2], v)))
    raise NotFound("no connection")


def _walk(seen: tuple, middle: int) -> list:
    steps, node = [], middle
    while seen[0][node][0] is not None:
        previous, relation, _ = seen[0][node]
        steps.insert(0, (previous, relation, node))
        node = previous
    node = middle
    while seen[1][node][0] is not None:
        following, relation, _ = seen[1][node]
        steps.append((node, relation, following))
        node = following
    return steps


def path(build: Build, a: str, b: str) -> Table:
    """The shortest chain of relations between two entities, whichever way each relation points.

    The chain runs through localities, mechanisms, concepts and agencies (adopts, partOf, broader,
    jurisdiction); a metric or an article can be at either end. Through a million metrics or the
    articles that mention places, everything would be two steps from everything.
    """
    first, last = one(build, a), one(build, b)
    ends, nodes = {}, []
    for e, placeholder in ((first, START), (last, END)):
        nodes.append(e.id if e.id is not None else placeholder)
        if e.id is None:
            ends |= _end(build, e, placeholder)
    try:
        steps = [] if first == last else _shortest(build, nodes[0], nodes[1], ends)
    except NotFound:
        raise NotFound(f"no connection between {first.label} and {last.label}") from None
    labels = _labels(build.summary, {n for s in steps for n in (s[0], s[2]) if n >= 0}) | {
        START: first.label, END: last.label}
    rows = [(i, labels[u], relation, labels[v]) for i, (u, relation, v) in enumerate(steps, 1)]
    same = [f"{a!r} and {b!r} name the same entity ({store.compact(first.iri)}): a path of no step"]
    return Table(("step", "from", "relation", "to"), rows, [] if rows else same)


def _jaccard(a: int, b: int) -> float:
    """The Jaccard index of two sets held as bit masks."""
    union = (a | b).bit_count()
    return round((a & b).bit_count() / union, 3) if union else 0.0


def _bits(n: int) -> list:
    """The positions of the set bits of `n`, lowest first, in steps of set bits, not of bits: a mask of a
    build's 10^4 mechanisms has a few set (testing every bit of 3,000 masks took 0.4 s on 10^4 articles)."""
    positions = []
    while n:
        lowest = n & -n
        positions.append(lowest.bit_length() - 1)
        n ^= lowest
    return positions


def similar(build: Build, name: str, limit: int = LIMIT) -> Table:
    """Localities ranked by how alike their practices are to those of `name`.

    Jaccard over the mechanisms adopted (a locality's parts included), then over the thesaurus
    concepts above them, which tells related practices under different names apart from unrelated
    ones. The locality's own parents and parts are not compared with it, nor localities that adopt
    nothing themselves. The first `limit` (0: all), with the mechanisms they share; a note says how
    many there are.
    """
    target, db = one(build, name, ("Locality",)), build.summary
    masks = {i: (int.from_bytes(p, "little"), int.from_bytes(c, "little")) for i, p, c in db.execute(
        "SELECT id, practices, concepts FROM locality WHERE adopts > 0 OR id = ?", (target.id,))}
    mine, near = masks[target.id]
    if not mine:
        raise NotFound(f"{target.label} adopts no mechanism")
    parents, labels = localities_of(db)
    kin = {*ancestors(parents, target.id), *_parts(db, target.id)}
    scored = [(labels[other], _jaccard(mine, theirs), _jaccard(near, above), theirs & mine)
              for other, (theirs, above) in masks.items() if other not in kin]
    scored = sorted((row for row in scored if row[1] or row[2]), key=lambda row: (-row[1], -row[2], row[0]))
    kept = scored[:limit or None]
    named = dict(db.execute(f"SELECT bit, label FROM mechanism JOIN entity USING (id) WHERE bit IN ({IDS})",
                            (_ids(_bits(mine)),)))
    rows = [(label, j, cj, sorted(named[b] for b in _bits(shared))) for label, j, cj, shared in kept]
    why = _based_on(db, target, kin, labels, shared=any(row[1] for row in scored) or not scored) + (
        _more(len(rows), len(scored), "localities") if rows else [
            f"no other locality shares a practice or a concept with {target.label}"])
    return Table(("locality", "jaccard", "concept_jaccard", "shared"), rows, why)


def _based_on(db, target: Entity, kin: set, labels: dict, shared: bool) -> list:
    """What a ranking of `similar` rests on, when it is not the locality's own practices shared with others:
    those of its parts (河北省 adopts nothing itself, 正定县 does), or the concepts above them only."""
    notes = []
    if not db.execute("SELECT adopts FROM locality WHERE id = ?", (target.id,)).fetchone()[0]:
        parts = sorted(labels[i] for (i,) in db.execute(
            f"SELECT id FROM locality WHERE adopts > 0 AND id IN ({IDS})", (_ids(kin),)))
        notes.append(f"{target.label} adopts nothing itself: compared by the practices of its parts "
                     f"({', '.join(parts[:5])}{' …' if len(parts) > 5 else ''})")
    if not shared:
        notes.append(f"no other locality shares a practice with {target.label}: ranked by the thesaurus concepts "
                     "above their practices alone (concept_jaccard), so shared is empty")
    return notes


def stats(build: Build) -> Table:
    """Counts, the most adopted mechanisms, the entities that bridge the adoption network, communities.

    Computed by the build (kg.summary): centrality is betweenness in the network of localities
    and the mechanisms they adopt (from sampled sources above 1,000 nodes); communities are
    Louvain communities of that network, as the localities in each.
    """
    rows = [(s, n, v, json.loads(d)) for s, n, v, d in
            build.summary.execute("SELECT section, name, value, detail FROM stat ORDER BY row")]
    return Table(("section", "name", "value", "detail"), rows)
