"""Comparable measures: metrics mapped to the SKOS scheme of ontology/measures.ttl, and `kg compare`.

A metric's rk:measure (the words before its number: 平均审减率, 审批时限平均压缩) maps to the
measure whose label it contains; of the measures whose dimension holds the metric's unit, the
longest label wins, then the one written first. A value compares with the others of its measure
when its unit is the one the measure is measured in; one mapped by its words but of another
dimension (an amount where a rate is meant) or another unit is flagged and left out unless asked for.
The mapping is made when a question asks, from the scheme, so a build needs no new pass for it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from rdflib.namespace import RDF, SKOS

from . import store
from .names import NotFound
from .questions import Table
from .rows import counted
from .summary import key
from .vocab import RK, ontology_graph

METRICS = """SELECT ?x ?l ?value ?unit ?year ?measure ?surface ?a ?article ?issued ?m ?text WHERE {
  ?x rk:measure ?measure FILTER(%s)
  ?x rk:value ?value ; rk:unit ?unit ; rk:locality ?l ; prov:wasDerivedFrom ?a .
  OPTIONAL { ?x rk:year ?year } OPTIONAL { ?x rk:surface ?surface }
  OPTIONAL { ?a rdfs:label ?article } OPTIONAL { ?a dcterms:issued ?issued }
  OPTIONAL { ?m rk:yields ?x
    OPTIONAL { ?st rdf:object ?x ; rdf:subject ?m ; rdf:predicate rk:yields .
               ?ann oa:hasBody ?st ; oa:hasTarget/oa:hasSelector/rk:sentence ?text } } }"""
MEASURED = "SELECT ?measure ?unit (COUNT(?x) AS ?n) WHERE { ?x rk:measure ?measure ; rk:unit ?unit } GROUP BY ?measure ?unit"
COLUMNS = ("locality", "measure", "value", "unit", "year", "year_from", "written", "comparable", "note",
           "mechanisms", "article", "evidence")


@dataclass(frozen=True)
class Measure:
    iri: str
    label: str              # zh prefLabel
    labels: tuple           # prefLabel and altLabels, as compared (kg.summary.key)
    dimension: str          # IRI of its rk:Dimension
    unit: str               # the unit its values are compared in


@lru_cache(maxsize=1)
def scheme() -> tuple:
    """(measures, dimension IRI -> (label, units)) of ontology/measures.ttl."""
    g = ontology_graph("measures.ttl")

    def zh(node, lang="zh"):
        return next(str(l) for l in g.objects(node, SKOS.prefLabel) if l.language == lang)

    dimensions = {str(d): (zh(d, "en"), frozenset(map(str, g.objects(d, RK.measuredIn))))
                  for d in g.subjects(RDF.type, RK.Dimension)}
    measures = tuple(sorted((Measure(str(c), zh(c), tuple(sorted({key(str(l)) for p in (SKOS.prefLabel, SKOS.altLabel)
                                                                      for l in g.objects(c, p) if l.language == "zh"})),
                                     str(g.value(c, RK.dimension)), str(g.value(c, RK.measuredIn)))
                             for c in g.subjects(RDF.type, SKOS.Concept)), key=lambda m: m.iri))
    return measures, dimensions


def dimension_of(unit: str) -> str:
    """The dimension whose units hold `unit`, or ""."""
    return next((d for d, (_, units) in scheme()[1].items() if unit in units), "")


@lru_cache(maxsize=65536)
def measure_of(written: str, unit: str) -> Measure | None:
    """The measure a metric's words and unit map to, or None."""
    words, dimension = key(written), dimension_of(unit)
    found = [(m.dimension == dimension, len(label), -words.find(label), m.iri, m)
             for m in scheme()[0] for label in m.labels if label in words]
    return max(found)[-1] if found else None


def flag(measure: Measure, unit: str) -> str:
    """Why a value in `unit` does not compare with the others of `measure`; "" when it does."""
    if unit == measure.unit:
        return ""
    dimensions = scheme()[1]
    mine = dimension_of(unit)
    if mine != measure.dimension:
        what = dimensions[mine][0] if mine else "another quantity"
        return f"{what} ({unit}), not {dimensions[measure.dimension][0]} ({measure.unit})"
    return f"in {unit}, not {measure.unit}"


def named(name: str) -> Measure:
    """The measure a user names by one of its labels (whole, else in part)."""
    q = key(name)
    measures = scheme()[0]
    found = [m for m in measures if q in m.labels] or [m for m in measures if q and any(q in l for l in m.labels)]
    if len(found) != 1:
        known = "、".join(m.label for m in measures)
        raise NotFound(f"{name!r} names {'no' if not found else len(found)} measures; the measures are {known}")
    return found[0]


def compare(build, name: str | None = None, everything: bool = False) -> Table:
    """The values of one measure across localities, largest first, with unit, year and source;
    values that cannot be compared are left out (noted), or listed flagged with `everything`.
    Without a name, the measures with how many values each has."""
    if name is None:
        return _measures(build)
    measure = named(name)
    contains = " || ".join(f"CONTAINS(STR(?measure), {json.dumps(label, ensure_ascii=False)})"
                           for label in measure.labels)
    found = {}
    for r in store.select(build.store, METRICS % contains):
        if measure_of(r["measure"], r["unit"]) != measure:
            continue
        _, mechanisms, texts = found.setdefault(r["x"], (r, set(), set()))
        mechanisms.update({r["m"]} - {None})
        texts.update({r["text"]} - {None})
    labels = store.labels(build.store, {r["l"] for r, _, _ in found.values()}.union(*(m for _, m, _ in found.values())))
    rows = [_row(measure, r, sorted(labels.get(m, m) for m in mechanisms), sorted(texts), labels)
            for r, mechanisms, texts in found.values()]
    rows.sort(key=lambda row: (not row[7], -row[2], row[0]))
    flagged = sum(1 for row in rows if not row[7])
    notes = [] if rows else [f"no metric of the build is of {measure.label}"]
    if flagged and not everything:
        notes.append(f"{counted(flagged, 'value')} of {measure.label} left out: {'it' if flagged == 1 else 'they'} cannot "
                     "be compared (--all lists them, flagged)")
    return Table(COLUMNS, rows if everything else [row for row in rows if row[7]], notes)


def _row(measure: Measure, r: dict, mechanisms: list, texts: list, labels: dict) -> tuple:
    year, year_from = (r["year"], "metric") if r["year"] else (
        (int(str(r["issued"])[:4]), "issued") if r["issued"] is not None else (None, None))
    note = flag(measure, r["unit"])
    written = f"{r['measure']} {r['surface'] or ''}".strip()
    return (labels.get(r["l"], r["l"]), measure.label, r["value"], r["unit"], year, year_from, written, not note,
            note or None, mechanisms, r["article"], texts)


def _measures(build) -> Table:
    """Each measure of the scheme: its dimension and unit, how many values compare, how many are flagged."""
    counts = {m.iri: [0, 0] for m in scheme()[0]}
    for r in store.select(build.store, MEASURED):
        if (m := measure_of(r["measure"], r["unit"])) is not None:
            counts[m.iri][bool(flag(m, r["unit"]))] += r["n"]
    dimensions = scheme()[1]
    rows = [(m.label, dimensions[m.dimension][0], m.unit, *counts[m.iri], [l for l in m.labels if l != m.label])
            for m in scheme()[0]]
    rows.sort(key=lambda row: (-row[3], row[0]))
    return Table(("measure", "dimension", "unit", "comparable", "flagged", "also_written"), rows)
