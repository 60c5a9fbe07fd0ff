"""Names: what a name a user writes names in a build (a locality written short, in full or after
its parents; a practice; a metric or an article by its whole label), ranked, one or several.
`NAME@PARENT` (两江新区@重庆市) keeps the localities and agencies under a locality PARENT names, and an
IRI, whole or prefixed (rkid:locality/500000), names its entity. When nothing answers, the close
names are suggested; when several do, they are listed so that each can be written apart.

The name is data, never query text: it is compared with the names of the summary as a bound SQL
parameter, or looked up in the store as the bound value of a variable.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from . import store
from .summary import IGNORED, key
from .text import to_simplified

ORDER = ("Locality", "Mechanism", "Metric", "Concept", "Agency", "Article")  # who wins when names tie
# the names `_rank` may rank: those in the name written, and those it is part of
CANDIDATES = """SELECT n.key, e.id, e.iri, e.kind, e.label FROM name n JOIN entity e ON e.id = n.entity
WHERE instr(?1, n.key) OR instr(n.key, ?1)"""
# metrics and articles, a million at 10^5 articles, are not in the summary: found by their whole label
BY_LABEL = "SELECT ?e ?type ?label WHERE { ?e rdfs:label ?label ; a ?type FILTER(?type IN (rk:Metric, rk:Article)) }"
# entities of the summary by IRI, and the type of any other IRI in the store (a metric, an article)
BY_IRI = "SELECT id, iri, kind, label FROM entity WHERE iri = ?"
TYPE_OF = "SELECT ?e ?type ?label WHERE { ?e a ?type OPTIONAL { ?e rdfs:label ?label } }"
# the localities a locality is part of, nearest first, through every rk:partOf: a zone two articles give two
# cities is part of both (the summary's locality.parent holds one)
ABOVE = """WITH RECURSIVE up(id, depth) AS (SELECT ?, 0 UNION SELECT e.o, up.depth + 1 FROM edge e JOIN up ON e.s = up.id
  AND e.relation = 'partOf' AND up.depth < 8) SELECT id FROM up WHERE depth > 0 GROUP BY id ORDER BY MIN(depth), id"""
JURISDICTIONS = "SELECT o FROM edge WHERE s = ? AND relation = 'jurisdiction' ORDER BY o"   # of an agency
UNDER_MARK = re.compile("[@＠]")
PART = 2    # the rank of a name that the name written is only part of
CLOSE = 5   # close names suggested when nothing answers to a name
# names sharing a character with the name written, which difflib then ranks (an error path: a few ms)
SHARING = "SELECT DISTINCT n.key FROM name n JOIN entity e ON e.id = n.entity WHERE e.kind IN ({kinds}) AND ({chars})"


class NotFound(Exception):
    """Nothing (or no one thing) answers to a name; the message says which."""


@dataclass(frozen=True)
class Entity:
    iri: str
    kind: str
    label: str
    id: int | None = field(default=None, compare=False)   # in the summary; None for metrics and articles


def localities_of(db) -> tuple:
    """(locality id -> parent id, locality id -> label)."""
    rows = db.execute("SELECT id, parent, label FROM locality JOIN entity USING (id)").fetchall()
    return {i: p for i, p, _ in rows}, {i: label for i, _, label in rows}


def above(db, locality: int) -> list:
    """The ids of the localities `locality` is part of, nearest first."""
    return [i for (i,) in db.execute(ABOVE, (locality,))]


def _written_with_parents(prefix: str, ancestor_keys: list) -> bool:
    """Whether `prefix` is the parents written before a name, full or short (济宁市, 济宁, 山东济宁)."""
    for a in ancestor_keys:
        prefix = next((prefix[:-n] for n in range(len(a), 1, -1) if prefix.endswith(a[:n])), prefix)
    return prefix == ""


def _rank(q: str, k: str, kind: str, ancestor_keys: list) -> int | None:
    """0: the name; 1: a locality's short form (任城, two characters at least) or full form (济宁市任城区);
    PART: part of a longer name (海: 海陵区, 威海市 …, which `one` lists)."""
    if k == q:
        return 0
    if kind == "Locality" and (k.startswith(q) and len(q) >= 2
                               or q.endswith(k) and _written_with_parents(q[:-len(k)], ancestor_keys)):
        return 1
    if q in k:
        return PART
    return None


def _named(db, q: str, kinds) -> dict:
    """Entity -> rank, for the entities of the summary that `q` (a key) names."""
    labels, ranked = localities_of(db)[1], {}
    for k, i, iri, kind, label in db.execute(CANDIDATES, (q,)):
        if kind in kinds:
            written_after_parents = kind == "Locality" and q.endswith(k) and q != k
            up = [key(labels[a]) for a in above(db, i)] if written_after_parents else []
            rank = _rank(q, k, kind, up)
            e = Entity(iri, kind, label, i)
            if rank is not None and rank <= ranked.get(e, rank):
                ranked[e] = rank
    return ranked


def _labelled(build: Build, name: str, kinds) -> dict:
    """Entity -> 0, for the metrics and articles whose whole label is `name` (in simplified script too,
    with or without the quotes around it)."""
    if not {"Metric", "Article"} & set(kinds):
        return {}
    written = {name.strip(), re.sub(f"^{IGNORED}+|{IGNORED}+$", "", name)}
    found = {}
    for text in (written | set(map(to_simplified, written))) - {""}:
        for r in store.select(build.store, BY_LABEL, bind={"label": ox.Literal(text, language="zh")}):
            kind = store.KINDS[store.compact(r["type"])]
            if kind in kinds:
                found[Entity(r["e"], kind, r["label"])] = 0
    return found


def _iri(build: Build, name: str, kinds) -> list | None:
    """The entity of `kinds` an IRI names (https://…, or prefixed as rkid:…); None when `name` is no IRI."""
    prefix, colon, _ = name.strip().partition(":")
    if not colon or prefix not in store.PREFIXES and prefix not in ("http", "https"):
        return None
    iri = store.expand(name.strip()) if prefix in store.PREFIXES else name.strip()
    row = build.summary.execute(BY_IRI, (iri,)).fetchone()
    if row:
        found = [Entity(row[1], row[2], row[3], row[0])]
    else:
        try:
            rows = store.select(build.store, TYPE_OF, bind={"e": ox.NamedNode(iri)})
        except ValueError:   # not an IRI pyoxigraph accepts
            return []
        found = [Entity(iri, store.KINDS[store.compact(r["type"])], r["label"] or store.compact(iri))
                 for r in rows if store.compact(r["type"]) in store.KINDS][:1]
    return [e for e in found if e.kind in kinds]


def _places_of(db, e: Entity) -> set:
    """The localities a locality or an agency is in: itself and its parents, or its jurisdiction and theirs."""
    if e.kind == "Locality":
        return {e.id, *above(db, e.id)}
    if e.kind == "Agency":
        return {p for (o,) in db.execute(JURISDICTIONS, (e.id,))
                for p in (o, *above(db, o))}
    return set()


def _under(build: Build, found: list, parent: str) -> list:
    """The localities and agencies of `found` that are in a locality `parent` names."""
    containers = {e.id for e in find(build, parent, ("Locality",))}
    return [e for e in found if e.id is not None and containers & (_places_of(build.summary, e) - {e.id})]


def _best(build: Build, name: str, kinds) -> tuple:
    """(rank, entities): the entities of `kinds` that `name` names best, in ORDER of kinds, and how."""
    by_iri = _iri(build, name, kinds)
    if by_iri is not None:
        return 0, by_iri
    if UNDER_MARK.search(name):
        written, parent = UNDER_MARK.split(name, 1)
        return 0, _under(build, find(build, written, tuple(k for k in kinds if k in ("Locality", "Agency"))), parent)
    q = key(name)
    ranked = (_named(build.summary, q, kinds) | _labelled(build, name, kinds)) if q else {}
    if not ranked:
        return None, []
    best = min(ranked.values())
    return best, sorted((e for e, rank in ranked.items() if rank == best),
                        key=lambda e: (ORDER.index(e.kind), e.label, e.iri))


def find(build: Build, name: str, kinds=ORDER) -> list:
    """The entities of `kinds` that `name` names best, in ORDER of kinds (several when it is ambiguous)."""
    return _best(build, name, kinds)[1]


def close_names(build: Build, name: str, kinds=ORDER) -> list:
    """Names of the summary's entities of `kinds` close to `name` (difflib), closest first."""
    q, kinds = key(name), [k for k in kinds if k in ("Locality", "Mechanism", "Concept", "Agency")]
    chars = sorted(set(q))[:12]
    if not chars or not kinds:
        return []
    sql = SHARING.format(kinds=", ".join("?" * len(kinds)), chars=" OR ".join(["instr(n.key, ?)"] * len(chars)))
    keys = [k for (k,) in build.summary.execute(sql, (*kinds, *chars))]
    return difflib.get_close_matches(q, keys, n=CLOSE, cutoff=0.4)


def _not_found(build: Build, name: str, kinds) -> NotFound:
    among = "" if kinds == ORDER else f" among {', '.join(kinds)}"
    written, *parent = UNDER_MARK.split(name, 1)
    elsewhere = find(build, written, kinds) if parent else []
    if elsewhere:
        ways = ", ".join(written_apart(build, e) for e in elsewhere[:8])
        return NotFound(f"no {written!r} in {parent[0]!r}{among}; there is {ways}")
    close = close_names(build, written, kinds)
    hint = f"; close names: {', '.join(close)}" if close else "; kg localities and kg mechanisms list the names"
    return NotFound(f"nothing named {name!r}{among}{hint}")


def _names_alone(build: Build, name: str, e: Entity) -> bool:
    """Whether `name` names `e` and nothing else of its kind or of a kind that wins over it."""
    found = find(build, name)
    return [x for x in found if x.kind == found[0].kind] == [e]


def written_apart(build: Build, e: Entity) -> str:
    """How to name `e` alone: label@parent for a locality in one, and for an agency the parent its
    locality is written under (朝阳区财政局@长春市, as 朝阳区@长春市), or that locality when it has none
    (山东省财政厅@山东省); else its label, when that names it alone (a mechanism: 三江帮办), or its prefixed IRI."""
    if e.kind in ("Locality", "Agency") and e.id is not None:
        parents, labels = localities_of(build.summary)
        place = e.id if e.kind == "Locality" else _jurisdiction(build.summary, e.id)
        nearest = parents.get(place) or (place if e.kind == "Agency" else None)
        if nearest is not None:
            return f"{e.label}@{labels[nearest]}"
    return e.label if e.label and _names_alone(build, e.label, e) else store.compact(e.iri)


def _jurisdiction(db, agency: int) -> int | None:
    row = db.execute(JURISDICTIONS, (agency,)).fetchone()
    return row and row[0]


def one(build: Build, name: str, kinds=ORDER) -> Entity:
    """The one entity `name` names; NotFound when there is none, or several (listed, each as it can be
    written alone): of the kind that wins, or of any kind when `name` is only part of their names."""
    rank, found = _best(build, name, kinds)
    if not found:
        raise _not_found(build, name, kinds)
    first = found if rank == PART else [e for e in found if e.kind == found[0].kind]
    if len(first) > 1:
        ways = [written_apart(build, e) for e in first[:8]]
        ways = [w if ways.count(w) == 1 else store.compact(e.iri) for w, e in zip(ways, first)]
        names = ", ".join(ways) + (" …" if len(first) > 8 else "")
        of = f"{first[0].kind} entities" if len({e.kind for e in first}) == 1 else "entities"
        raise NotFound(f"{name!r} names {len(first)} {of}: {names}; write one of them as shown")
    return first[0]
