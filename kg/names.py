"""Names: what a name a user writes names in a build (a locality written short, in full or after
its parents; a practice; a metric or an article by its whole label), ranked, one or several.

The name is data, never query text: it is compared with the names of the summary as a bound SQL
parameter, or looked up in the store as the bound value of a variable.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from . import store
from .summary import IGNORED, ancestors, key
from .text import to_simplified

ORDER = ("Locality", "Mechanism", "Metric", "Concept", "Agency", "Article")  # who wins when names tie
# the names `_rank` may rank: those in the name written, and those it is part of from two characters on
CANDIDATES = """SELECT n.key, e.id, e.iri, e.kind, e.label FROM name n JOIN entity e ON e.id = n.entity
WHERE instr(?1, n.key) OR length(?1) >= 2 AND instr(n.key, ?1)"""
# metrics and articles, a million at 10^5 articles, are not in the summary: found by their whole label
BY_LABEL = "SELECT ?e ?type ?label WHERE { ?e rdfs:label ?label ; a ?type FILTER(?type IN (rk:Metric, rk:Article)) }"
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


def _named(db, q: str, kinds) -> dict:
    """Entity -> rank, for the entities of the summary that `q` (a key) names."""
    (parents, labels), ranked = localities_of(db), {}
    for k, i, iri, kind, label in db.execute(CANDIDATES, (q,)):
        if kind in kinds:
            written_after_parents = kind == "Locality" and q.endswith(k) and q != k
            up = [key(labels[a]) for a in ancestors(parents, i)] if written_after_parents else []
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


def find(build: Build, name: str, kinds=ORDER) -> list:
    """The entities of `kinds` that `name` names best, in ORDER of kinds (several when it is ambiguous)."""
    q = key(name)
    if not q:
        return []
    ranked = _named(build.summary, q, kinds) | _labelled(build, name, kinds)
    if not ranked:
        return []
    best = min(ranked.values())
    return sorted((e for e, rank in ranked.items() if rank == best), key=lambda e: (ORDER.index(e.kind), e.label, e.iri))


def one(build: Build, name: str, kinds=ORDER) -> Entity:
    """The one entity `name` names; NotFound when there is none or several of the same kind."""
    found = find(build, name, kinds)
    if not found:
        raise NotFound(f"nothing named {name!r}" + ("" if kinds == ORDER else f" among {', '.join(kinds)}"))
    first = [e for e in found if e.kind == found[0].kind]
    if len(first) > 1:
        names = ", ".join(e.label for e in first[:8]) + (" …" if len(first) > 8 else "")
        raise NotFound(f"{name!r} names {len(first)} {first[0].kind} entities: {names}; be more precise")
    return first[0]
