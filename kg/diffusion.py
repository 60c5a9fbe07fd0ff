"""Diffusion: when each locality adopted each practice, who adopted it first, and who followed whom.

An adoption is an rk:adopts statement: its locality, its practice (a mechanism), the article it was
read from and the sentence. It is dated by the article's dcterms:issued; an adoption read from an
undated article takes the earliest rk:year of the metrics the practice yields in that article
(`dated_by` "metric"), and is otherwise undated. A locality adopted a practice at its earliest
adoption. Dates are periods (a day, a month or a year, as written), and one adoption precedes
another when its period ends before the other's begins: 2023 precedes 2024-05, 2024 does not.

`kg spread` lists the adopters of a practice in that order, or ranks practices by how far they
spread; the diffusion network has an edge from each locality to each that adopted one of its
practices later, weighted by how many practices, with the dates.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from . import dates, store
from .names import NotFound, find
from .questions import IDS, LIMIT, Table, _ids, _more
from .rows import counted
from .summary import root

ADOPTIONS = """SELECT ?l ?m ?a ?issued ?article ?text WHERE { %s
  ?st rdf:predicate rk:adopts ; rdf:subject ?l ; rdf:object ?m ; prov:wasDerivedFrom ?a .
  OPTIONAL { ?a dcterms:issued ?issued } OPTIONAL { ?a rdfs:label ?article }
  OPTIONAL { ?ann oa:hasBody ?st ; oa:hasTarget/oa:hasSelector/rk:sentence ?text } }"""
METRIC_YEARS = "SELECT ?m ?a ?y WHERE { %s ?m rk:yields ?x . ?x prov:wasDerivedFrom ?a ; rk:year ?y }"
PLACES = "SELECT ?l ?level ?parent WHERE { ?l a rk:Locality OPTIONAL { ?l rk:level ?level } OPTIONAL { ?l rk:partOf ?parent } }"
LEVELS = ("province", "city", "county", "zone")
GROUPS = ("adopter", "year", "province", "level")


@dataclass(frozen=True)
class Adoption:
    """A locality's adoption of a practice, as one article says it."""

    locality: str          # IRIs
    practice: str
    article: str
    issued: str            # ISO form (kg.dates), "" when undated
    dated_by: str          # "issued" (the article's date), "metric" (the year of its metrics) or ""
    title: str             # the article's name (rdfs:label): its title, else its file name
    evidence: tuple        # the sentences it was read from

    @cached_property
    def period(self) -> tuple | None:
        return dates.period(self.issued) if self.issued else None

    @property
    def year(self) -> int | None:
        return int(self.issued[:4]) if self.issued else None

    def precedes(self, other: "Adoption") -> bool:
        return bool(self.period and other.period and self.period[1] < other.period[0])

    def order(self) -> tuple:
        """Sort key: dated adoptions by their period, undated ones after them."""
        return (0, *self.period) if self.period else (1,)


def adoptions(st, practices=None) -> list:
    """The adoptions of these practices (mechanism IRIs; all when None), dated."""
    scope = store.values_clause({"m": sorted(practices)}) if practices is not None else ""
    if practices is not None and not practices:
        return []
    found = {}
    for r in store.select(st, ADOPTIONS % scope):
        key = (r["l"], r["m"], r["a"])
        if key not in found:
            issued = str(r["issued"]) if r["issued"] is not None else ""
            found[key] = (issued, r["article"] or r["a"], set())
        found[key][2].update({r["text"]} - {None})
    years = _metric_years(st, {(m, a) for (_, m, a), (issued, _, _) in found.items() if not issued}, practices)
    out = []
    for (l, m, a), (issued, title, texts) in found.items():
        dated_by = "issued" if issued else "metric" if (m, a) in years else ""
        out.append(Adoption(l, m, a, issued or str(years.get((m, a), "")), dated_by, title, tuple(sorted(texts))))
    return out


def _metric_years(st, pairs: set, practices) -> dict:
    """(practice, article) -> the earliest rk:year of the metrics the practice yields in the article,
    of these pairs; the metrics of the `practices` (all when None) are read once."""
    if not pairs:
        return {}
    clause = store.values_clause({"m": sorted({m for m, _ in pairs})}) if practices is not None else ""
    years = {}
    for r in store.select(st, METRIC_YEARS % clause):
        if (r["m"], r["a"]) in pairs and dates.iso(int(r["y"])):
            years[(r["m"], r["a"])] = min(int(r["y"]), years.get((r["m"], r["a"]), 9999))
    return years


def _earliest(found, key) -> dict:
    """key(adoption) -> the earliest of the adoptions with that key (ties: by article)."""
    out = {}
    for a in sorted(found, key=lambda a: (a.order(), a.article)):
        out.setdefault(key(a), a)
    return out


def firsts(found: list) -> dict:
    """(locality, practice) -> its earliest adoption."""
    return _earliest(found, lambda a: (a.locality, a.practice))


def leaders(found: list) -> list:
    """The dated adoptions no other adoption of `found` precedes: those that begin before any ends."""
    ends = [a.period[1] for a in found if a.period]
    return [a for a in found if a.period and a.period[0] <= min(ends)]


def followers(first: dict) -> dict:
    """(earlier locality, later locality) -> [(earlier adoption, later adoption)], one pair per practice
    that the second adopted after the first."""
    by_practice = defaultdict(list)
    for (_, practice), a in first.items():
        if a.period:
            by_practice[practice].append(a)
    edges = defaultdict(list)
    for found in by_practice.values():
        found.sort(key=Adoption.order)
        for i, earlier in enumerate(found):
            for later in found[i + 1:]:
                if earlier.precedes(later):
                    edges[(earlier.locality, later.locality)].append((earlier, later))
    return edges


@dataclass
class Places:
    """Level and province of every locality, and labels of whatever is named."""

    level: dict
    parent: dict
    labels: dict

    def province(self, locality: str) -> str:
        return root(self.parent, locality)


def places(st, iris) -> Places:
    level, parent = {}, {}
    for r in store.select(st, PLACES):
        level[r["l"]] = r["level"] or ""
        if r["parent"]:
            parent[r["l"]] = r["parent"]
    return Places(level, parent, store.labels(st, set(iris) | set(parent.values())))


def edge_lines(pairs: list, labels: dict) -> list:
    """One line per practice of a diffusion edge: 零基预算: 2023-04-12 → 2024-03-01."""
    return sorted(f"{labels.get(a.practice, a.practice)}: {a.issued} → {b.issued}" for a, b in pairs)


TIMELINE_SCALE = 2.0    # pixels per day on a practice's timeline
TIMELINE_ROW = 70       # pixels between adopters of the same day


def network(st, practices=None):
    """The diffusion network: localities, and an edge `followed_by` from each to each locality that
    adopted one of its practices later (weight: how many practices; evidence: practice and dates).

    Of all practices it holds the localities at the ends of edges; of some `practices` (mechanism
    IRIs) every adopter, placed on a timeline (x: the day its adoption began, fixed).
    """
    import networkx as nx   # only the network needs it, not the questions

    first = firsts(adoptions(st, practices))
    edges = followers(first)
    adopters = {l for l, _ in first} if practices is not None else {n for pair in edges for n in pair}
    where = places(st, adopters | {p for _, p in first})
    net = nx.MultiDiGraph()
    timeline, began, issued = defaultdict(list), {}, {}
    for (l, p), a in sorted(first.items(), key=lambda kv: kv[1].order()):
        timeline[l].append(f"{a.issued or '?'} {where.labels.get(p, p)}")
        if a.period and l not in began:
            began[l], issued[l] = a.period[0], a.issued
    for n in sorted(adopters):
        net.add_node(n, kind="Locality", label=where.labels.get(n, n), info="\n".join(timeline[n]))
    if practices is not None:
        _place_on_timeline(net, began, issued)
    for (a, b), pairs in sorted(edges.items()):
        net.add_edge(a, b, relation="followed_by", weight=len(pairs), evidence="\n".join(edge_lines(pairs, where.labels)))
    net.graph["notes"] = _left_out(first, edges, timeline=practices is not None)
    return net


def _left_out(first: dict, edges: dict, timeline: bool) -> list:
    """What the diffusion network cannot show, for the reader: undated adoptions, and why nothing is drawn."""
    undated = sum(1 for a in first.values() if not a.period)
    why = "no dcterms:issued and no metric year"
    if not first:
        return ["no locality adopts " + ("the practice" if timeline else "a practice")]
    if timeline:
        adopters = {l for l, _ in first}
        left = len(adopters - {a.locality for a in first.values() if a.period})
        return [f"{left} of {counted(len(adopters), 'adopter')} undated ({why}): drawn left of the line"] if left else []
    if not edges:
        return [f"no locality adopted a practice after another: {undated} of {counted(len(first), 'adoption')} undated ({why}); "
                "kg spread PRACTICE lists the adopters"]
    return [f"{undated} of {counted(len(first), 'adoption')} undated ({why}): left out"] if undated else []


def _place_on_timeline(net, began: dict, issued: dict) -> None:
    """x: days since the first adoption, one row per adopter in order, its date under its name;
    undated adopters at the end, left of the line."""
    start = min(began.values(), default=None)
    for row, n in enumerate(sorted(net, key=lambda n: (began.get(n, date.max), net.nodes[n]["label"]))):
        node = net.nodes[n]
        node.update(x=(began[n] - start).days * TIMELINE_SCALE if n in began else -150, y=row * TIMELINE_ROW,
                    label=f"{node['label']}\n{issued.get(n) or '?'}")


# ---- kg spread ----

def practices_named(build, name: str) -> list:
    """The mechanisms a practice name stands for: those it names, and those under the thesaurus concepts
    it names (their narrower variants)."""
    mechanisms = {e.iri for e in find(build, name, ("Mechanism",))}
    concepts = [e.id for e in find(build, name, ("Concept",))]
    if concepts:
        mechanisms |= {iri for iri, in build.summary.execute(
            f"SELECT e.iri FROM above a JOIN entity e ON e.id = a.mechanism WHERE a.concept IN ({IDS})",
            (_ids(concepts),))}
    if not mechanisms:
        raise NotFound(f"no practice named {name!r}")
    return sorted(mechanisms)


def spread(build, practice: str | None = None, by: str = "adopter", limit: int = LIMIT) -> Table:
    """The adopters of a practice, first adopters first, or grouped by year, province or level;
    without a practice, practices ranked by how far they spread (provinces, localities, years)."""
    if practice is None:
        return _ranking(build, limit)
    first = firsts(adoptions(build.store, practices_named(build, practice)))
    where = places(build.store, {a.locality for a in first.values()} | {a.practice for a in first.values()})
    adopters = _adopters(first)
    rows = _adopter_rows(adopters, where) if by == "adopter" else _group_rows(adopters, where, by)
    undated = sum(1 for a in adopters if not a.period)
    notes = [f"{counted(undated, 'adopter')} undated (no dcterms:issued and no metric year): listed last"] if undated else []
    columns = ADOPTER_COLUMNS if by == "adopter" else (by, "localities", "first", "adopters", "articles", "evidence")
    return Table(columns, rows, notes)


ADOPTER_COLUMNS = ("order", "locality", "level", "province", "issued", "year", "dated_by", "first", "practice",
                   "article", "evidence")


def _adopters(first: dict) -> list:
    """Each locality's earliest adoption of any of the practices, in order."""
    return sorted(_earliest(first.values(), lambda a: a.locality).values(), key=lambda a: a.order())


def _adopter_rows(adopters: list, where: Places) -> list:
    rows, order, first = [], 0, set(leaders(adopters))
    for a in sorted(adopters, key=lambda a: (a.order(), where.labels.get(a.locality, ""))):
        order += bool(a.period)
        is_first = a in first
        rows.append((order if a.period else None, where.labels.get(a.locality, a.locality), where.level.get(a.locality),
                     where.labels.get(where.province(a.locality)), a.issued or None, a.year, a.dated_by or None,
                     is_first, where.labels.get(a.practice, a.practice), a.title, list(a.evidence)))
    return rows


def _group_key(a: Adoption, where: Places, by: str):
    if by == "year":
        return a.year
    if by == "province":
        return where.labels.get(where.province(a.locality))
    return where.level.get(a.locality)


def _group_rows(adopters: list, where: Places, by: str) -> list:
    """One row per year, province or level: its adopters in order, the first date, their articles and sentences.
    Years in order, provinces by their first adoption, levels from province down."""
    groups = defaultdict(list)
    for a in adopters:
        groups[_group_key(a, where, by)].append(a)
    rank = {"year": lambda key, found: (key is None, key or 0),
            "province": lambda key, found: found[0].order(),
            "level": lambda key, found: LEVELS.index(key) if key in LEVELS else len(LEVELS)}[by]
    return [(key, len(found), found[0].issued or None, [where.labels.get(a.locality) for a in found],
             [a.title for a in found], [s for a in found for s in a.evidence[:1]])
            for key, found in sorted(groups.items(), key=lambda kv: rank(*kv))]


RANK_COLUMNS = ("practice", "provinces", "localities", "years", "span", "first", "first_adopters", "evidence")


def _ranking(build, limit: int) -> Table:
    first = firsts(adoptions(build.store))
    where = places(build.store, {a.locality for a in first.values()} | {a.practice for a in first.values()})
    by_practice = defaultdict(list)
    for a in first.values():
        by_practice[a.practice].append(a)
    rows = []
    for practice, found in by_practice.items():
        found.sort(key=Adoption.order)
        years = sorted({a.year for a in found if a.year})
        led = leaders(found)
        rows.append((where.labels.get(practice, practice), len({where.province(a.locality) for a in found}),
                     len(found), len(years), f"{years[0]}–{years[-1]}" if years else None,
                     led[0].issued if led else None,
                     sorted(where.labels.get(a.locality) for a in led),
                     [s for a in (led or found[:1]) for s in a.evidence[:1]]))
    rows.sort(key=lambda r: (-r[1], -r[2], -r[3], r[0]))
    kept = rows[:limit or None]
    return Table(RANK_COLUMNS, kept, _more(len(kept), len(rows), "practices"))
