"""The RDF view: one named graph per article, in the terms of ontology/reformkg.ttl.

IRIs are deterministic: localities by admin code, zones by parent code and name,
mechanisms by their canonical key, metrics and statements by article id. Every adopts
and yields statement is reified (rk:Statement) and carried by a Web Annotation whose
target selects the sentence it came from (oa:TextQuoteSelector, oa:TextPositionSelector).
"""
from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import PurePath

from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD

from .model import ArticleResult, Evidence, Locality, Mechanism
from .text import to_simplified
from .vocab import ID, RK, concept_chain

OA = Namespace("http://www.w3.org/ns/oa#")
PREFIXES = {"rk": RK, "rkid": ID, "skos": SKOS, "prov": PROV, "dcterms": DCTERMS, "org": ORG, "oa": OA,
            "rkm": Namespace("https://w3id.org/reformkg/mechanism/")}


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def article_iri(article_id: str) -> URIRef:
    return ID[f"article/{article_id}"]


def graph_iri(article_id: str) -> URIRef:
    return ID[f"graph/{article_id}"]


def locality_iri(loc: Locality) -> URIRef:
    if loc.code:
        return ID[f"locality/{loc.code}"]
    return ID[f"locality/zone-{_digest(loc.key)}"]


def mechanism_iri(key: str) -> URIRef:
    return ID[f"mechanism/{_digest(key)}"]


def bind(g) -> None:
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def labels(text: str) -> list:
    """The label in the script it was written in, and in simplified script when that differs."""
    simplified = to_simplified(text)
    if simplified == text:
        return [Literal(text, lang="zh")]
    return [Literal(simplified, lang="zh"), Literal(text, lang="zh-Hant")]


def add_article(g: Graph, result: ArticleResult) -> None:
    """Add every statement of one article to `g`."""
    a = result.article
    art = article_iri(a.id)
    g.add((art, RDF.type, RK.Article))
    g.add((art, RDFS.label, zh(a.title or PurePath(a.source.split("#")[0]).name)))
    if a.title:
        g.add((art, DCTERMS.title, Literal(a.title)))
    if a.byline:
        g.add((art, RK.byline, Literal(a.byline)))
    if a.publisher:
        g.add((art, RK.publisher, Literal(a.publisher)))
    if a.date:
        g.add((art, DCTERMS.date, Literal(a.date)))
    g.add((art, DCTERMS.source, Literal(a.source)))
    if result.locality is None:
        return
    for loc in {result.locality, *result.localities}:
        _add_locality(g, loc)
        g.add((art, RK.mentions, locality_iri(loc)))
    for ag in result.agencies:
        _add_agency(g, ag)
    adopted = {ad.mechanism_key for ad in result.adoptions}
    for key, mech in result.mechanisms.items():
        if key in adopted or any(y.mechanism_key == key for y in result.yields):
            _add_mechanism(g, mech)
    for ad in result.adoptions:
        s = (locality_iri(ad.locality), RK.adopts, mechanism_iri(ad.mechanism_key))
        g.add(s)
        stmt = _add_statement(g, art, a.id, s, ad.evidence)
        if ad.agency is not None:
            g.add((stmt, RK.agency, _agency_iri(ad.agency)))
    metric_iris = []
    for n, x in enumerate(result.metrics):
        iri = ID[f"metric/{a.id}-{n}"]
        metric_iris.append(iri)
        g.add((iri, RDF.type, RK.Metric))
        g.add((iri, RDFS.label, zh(f"{x.measure} {x.surface}".strip())))
        g.add((iri, RK.value, Literal(Decimal(repr(x.value)).normalize(), datatype=XSD.decimal)))
        g.add((iri, RK.unit, Literal(x.unit)))
        g.add((iri, RK.measure, zh(x.measure)))
        g.add((iri, RK.surface, Literal(x.surface)))
        g.add((iri, RK.locality, locality_iri(result.locality)))
        g.add((iri, PROV.wasDerivedFrom, art))
        if x.year:
            g.add((iri, RK.year, Literal(str(x.year), datatype=XSD.gYear)))
        if x.approximate:
            g.add((iri, RK.approximate, Literal(True)))
    for y in result.yields:
        s = (mechanism_iri(y.mechanism_key), RK.yields, metric_iris[y.metric_index])
        g.add(s)
        _add_statement(g, art, a.id, s, y.evidence)


def _add_locality(g: Graph, loc: Locality) -> None:
    for node in loc.chain():
        iri = locality_iri(node)
        g.add((iri, RDF.type, RK.Locality))
        g.add((iri, RDFS.label, zh(node.name)))
        g.add((iri, RK.level, Literal(node.level)))
        if node.code:
            g.add((iri, RK.adminCode, Literal(node.code)))
        if node.parent is not None:
            g.add((iri, RK.partOf, locality_iri(node.parent)))


def _agency_iri(ag) -> URIRef:
    return ID[f"agency/{_digest(ag.locality.key, ag.kind)}"]


def _add_agency(g: Graph, ag) -> None:
    iri = _agency_iri(ag)
    g.add((iri, RDF.type, RK.Agency))
    g.add((iri, RDF.type, ORG.Organization))
    g.add((iri, RDFS.label, zh(ag.locality.name + ag.kind)))
    g.add((iri, RK.jurisdiction, locality_iri(ag.locality)))


def _add_mechanism(g: Graph, mech: Mechanism) -> None:
    iri = mechanism_iri(mech.key)
    g.add((iri, RDF.type, RK.Mechanism))
    for label in sorted(mech.labels):
        for lit in labels(label):
            g.add((iri, RDFS.label, lit))
    for concept in mech.concepts:
        g.add((iri, SKOS.broader, URIRef(concept)))
        for c in concept_chain(concept):
            c_iri = URIRef(c.iri)
            g.add((c_iri, RDF.type, SKOS.Concept))
            g.add((c_iri, SKOS.prefLabel, zh(c.label)))
            if c.label_en:
                g.add((c_iri, SKOS.prefLabel, Literal(c.label_en, lang="en")))
            if c.broader:
                g.add((c_iri, SKOS.broader, URIRef(c.broader)))


def _add_statement(g: Graph, art: URIRef, article_id: str, triple: tuple, ev: Evidence) -> URIRef:
    """Reify a statement and annotate it with the sentence it came from."""
    key = _digest(article_id, *map(str, triple))
    stmt = ID[f"statement/{key}"]
    g.add((stmt, RDF.type, RK.Statement))
    g.add((stmt, RDF.subject, triple[0]))
    g.add((stmt, RDF.predicate, triple[1]))
    g.add((stmt, RDF.object, triple[2]))
    g.add((stmt, PROV.wasDerivedFrom, art))
    g.add((stmt, RK.rule, RK[f"rule-{ev.rule}"]))
    ann = ID[f"annotation/{key}"]
    target = ID[f"annotation/{key}/target"]
    g.add((ann, RDF.type, OA.Annotation))
    g.add((ann, OA.hasBody, stmt))
    g.add((ann, OA.hasTarget, target))
    g.add((ann, OA.motivatedBy, OA.identifying))
    g.add((target, RDF.type, OA.SpecificResource))
    g.add((target, OA.hasSource, art))
    quote = ID[f"annotation/{key}/quote"]
    g.add((target, OA.hasSelector, quote))
    g.add((quote, RDF.type, OA.TextQuoteSelector))
    g.add((quote, OA.exact, Literal(ev.sentence)))
    if ev.start >= 0:
        pos = ID[f"annotation/{key}/position"]
        g.add((target, OA.hasSelector, pos))
        g.add((pos, RDF.type, OA.TextPositionSelector))
        g.add((pos, OA.start, Literal(ev.start, datatype=XSD.nonNegativeInteger)))
        g.add((pos, OA.end, Literal(ev.end, datatype=XSD.nonNegativeInteger)))
    return stmt


def dataset(results) -> Dataset:
    """One named graph per article."""
    ds = Dataset()
    bind(ds)
    for r in results:
        add_article(ds.graph(graph_iri(r.article.id)), r)
    return ds


def union(ds: Dataset) -> Graph:
    g = Graph()
    bind(g)
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g
