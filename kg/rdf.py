"""The RDF view: one named graph per article, in the terms of ontology/reformkg.ttl.

Terms are written in their N-Triples form from the start, and an article graph becomes
N-Quads, N-Triples and Turtle text with no RDF objects in between: making one rdflib or
pyoxigraph object per term took longer than extracting the article. `dataset` reads the
same text into rdflib for SHACL and scoring.

IRIs are deterministic: localities by admin code, zones by name (one zone is one node whichever
article writes it with its city and whichever bare; each parent an article gives is an rk:partOf),
mechanisms by their canonical key, metrics and statements by article id. Every adopts
and yields statement is reified (rk:Statement) and is a body of the Web Annotation of the
sentence it came from, whose target selects that sentence (oa:TextQuoteSelector,
oa:TextPositionSelector): statements from one sentence share one annotation and its target. Offsets are xsd:integer, not the
xsd:nonNegativeInteger of the OA model, because Oxigraph's store keeps every integer so and
graph.nq.gz must say what the store says.
"""
from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import PurePath
from typing import Iterable, Iterator

import rdflib
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD

from . import dates
from .link import preferred_label
from .model import ArticleResult, Evidence, Locality, Mechanism
from .text import to_simplified
from .vocab import ID, RK, RKM, concept_chain

OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
PREFIXES = {"rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD), "rk": str(RK), "rkid": str(ID), "skos": str(SKOS),
            "prov": str(PROV), "dcterms": str(DCTERMS), "org": str(ORG), "oa": str(OA), "rkm": str(RKM)}
# nodes that belong to one article; anything else (localities, mechanisms, concepts) other articles describe too
SCOPED = tuple(f"<{ID}{kind}" for kind in ("article/", "metric/", "statement/", "annotation/", "target/"))


class Terms:
    """The IRIs of one namespace in N-Triples form: Terms(RK).adopts is "<…ontology#adopts>".

    Names given as attributes are vocabulary and kept; names given by index (rkid[f"metric/{n}"]) are not.
    """

    def __init__(self, namespace: str):
        self._base = str(namespace)

    def __getattr__(self, local: str) -> str:
        if local.startswith("_"):
            raise AttributeError(local)
        setattr(self, local, self[local])
        return getattr(self, local)

    def __getitem__(self, local: str) -> str:
        return f"<{self._base}{local}>"


rk, rkid, oa, prov, dcterms, org, skos, rdf, rdfs, xsd = map(
    Terms, (RK, ID, OA, PROV, DCTERMS, ORG, SKOS, RDF, RDFS, XSD))
# N-Triples string escapes: the quote, the backslash and every control character
_ESCAPES = {ord('"'): '\\"', ord("\\"): "\\\\", ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t",
            **{c: f"\\u{c:04X}" for c in [*range(0x20), 0x7F] if chr(c) not in "\n\r\t"}}


def literal(text: str, suffix: str = "") -> str:
    """A literal in N-Triples form; `suffix` is a language tag (@zh) or a datatype (^^<…>)."""
    return f'"{text.translate(_ESCAPES)}"{suffix}'


def iri_ref(value: str) -> str:
    return f"<{value}>"


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def article_iri(article_id: str) -> str:
    return rkid[f"article/{article_id}"]


def graph_iri(article_id: str) -> str:
    return rkid[f"graph/{article_id}"]


def locality_iri(loc: Locality) -> str:
    if loc.code:
        return rkid[f"locality/{loc.code}"]
    return rkid[f"locality/zone-{_digest(_identity(loc))}"]


def _identity(loc: Locality) -> str:
    """What tells one locality from another across articles: its admin code, or a zone's name alone (its key
    holds the parent an article gives, and 两江新区 written bare is the zone of 重庆两江新区)."""
    return loc.code or f"zone::{to_simplified(loc.name)}"


def mechanism_iri(key: str) -> str:
    return rkid[f"mechanism/{_digest(key)}"]


def zh(text: str) -> str:
    return literal(text, "@zh")


def labels(text: str) -> list:
    """The label in the script it was written in, and in simplified script when that differs."""
    simplified = to_simplified(text)
    if simplified == text:
        return [zh(text)]
    return [zh(simplified), literal(text, "@zh-Hant")]


def decimal(value: float) -> str:
    """A number as an xsd:decimal in plain notation (4.56E+8 is not a decimal literal)."""
    return literal(format(Decimal(repr(value)).normalize(), "f"), "^^" + xsd.decimal)


def triples(result: ArticleResult) -> list:
    """Every statement of one article, each once."""
    return list(each_triple(result))


def each_triple(result: ArticleResult) -> Iterator[tuple]:
    """The statements of `triples` one at a time: the list of a 50 MB article's takes a gigabyte."""
    return _article(result, set())


def _article(result: ArticleResult, described: set):
    """The triples of one article; `described` holds the keys of nodes already described."""
    a = result.article
    art = article_iri(a.id)
    yield art, rdf.type, rk.Article
    yield art, rdfs.label, zh(a.title or PurePath(a.source.split("#")[0]).name)
    for prop, text in ((dcterms.title, a.title), (rk.byline, a.byline), (rk.publisher, a.publisher),
                       (dcterms.source, a.source)):
        if text:
            yield art, prop, literal(text)
    if a.date:
        yield art, dcterms.issued, literal(a.date, "^^" + xsd[dates.datatype(a.date)])
    if result.locality is None:
        return
    acting = [ad.locality for ad in result.adoptions] + [x.locality for x in result.metrics if x.locality]
    for loc in dict.fromkeys((result.locality, *result.localities, *acting)):
        yield from _locality(loc, described)
        yield art, rk.mentions, locality_iri(loc)
    for ag in result.agencies:
        yield from _once(_agency_iri(ag), described, _agency(ag))
    used = {ad.mechanism_key for ad in result.adoptions} | {y.mechanism_key for y in result.yields}
    for key, mech in result.mechanisms.items():
        if key in used:
            yield from _mechanism(mech, described)
    for ad in result.adoptions:
        s = (locality_iri(ad.locality), rk.adopts, mechanism_iri(ad.mechanism_key))
        yield from _once(_statement_iri(a.id, s), described, _statement(art, a, s, ad, described))
    metric_iris = [rkid[f"metric/{a.id}-{n}"] for n in range(len(result.metrics))]
    for iri, x in zip(metric_iris, result.metrics):
        yield from _metric(iri, x, locality_iri(x.locality or result.locality), art)
        if x.before is not None:
            yield iri, rk.before, metric_iris[x.before]
    for y in result.yields:
        s = (mechanism_iri(y.mechanism_key), rk.yields, metric_iris[y.metric_index])
        yield from _once(_statement_iri(a.id, s), described, _statement(art, a, s, y, described))


def _once(key: str, described: set, node_triples):
    """The triples of a node the first time it is described in an article, nothing after."""
    if key not in described:
        described.add(key)
        yield from node_triples


def _metric(iri, x, locality, art):
    yield iri, rdf.type, rk.Metric
    yield iri, rdfs.label, zh(f"{x.measure} {x.surface}".strip())
    yield iri, rk.value, decimal(x.value)
    yield iri, rk.unit, literal(x.unit)
    yield iri, rk.measure, zh(x.measure)
    yield iri, rk.surface, literal(x.surface)
    yield iri, rk.locality, locality
    yield iri, prov.wasDerivedFrom, art
    if x.year:
        yield iri, rk.year, literal(str(x.year), "^^" + xsd.gYear)
    if x.approximate:
        yield iri, rk.approximate, literal(x.approximate)


def _locality(loc: Locality, described: set):
    for node in loc.chain():
        if node.key in described:
            return                      # and so are its parents
        described.add(node.key)
        iri = locality_iri(node)
        yield from _once(iri, described, _locality_node(iri, node))  # a zone an article writes under two cities
        if node.parent is not None:
            yield iri, rk.partOf, locality_iri(node.parent)


def _locality_node(iri: str, node: Locality):
    yield iri, rdf.type, rk.Locality
    yield iri, rdfs.label, zh(node.name)
    yield iri, rk.level, literal(node.level)
    if node.code:
        yield iri, rk.adminCode, literal(node.code)


def _agency_iri(ag) -> str:
    return rkid[f"agency/{_digest(_identity(ag.locality), ag.kind)}"]


def _agency(ag):
    iri = _agency_iri(ag)
    yield iri, rdf.type, rk.Agency
    yield iri, rdf.type, org.Organization
    yield iri, rdfs.label, zh(ag.locality.name + ag.kind)
    yield iri, rk.jurisdiction, locality_iri(ag.locality)


def _mechanism(mech: Mechanism, described: set):
    node = mechanism_iri(mech.key)
    yield node, rdf.type, rk.Mechanism
    preferred = zh(preferred_label(mech.key))
    yield node, skos.prefLabel, preferred
    for label in sorted(mech.labels):
        for lit in labels(label):
            yield node, rdfs.label, lit
            if lit != preferred:
                yield node, skos.altLabel, lit
    for concept in mech.concepts:
        yield node, skos.broader, iri_ref(concept)
        for c in concept_chain(concept):
            yield from _once(c.iri, described, _concept(c))


def _concept(c):
    node = iri_ref(c.iri)
    yield node, rdf.type, skos.Concept
    yield node, skos.prefLabel, zh(c.label)
    for alt in c.labels:
        if alt != c.label:
            yield node, skos.altLabel, zh(alt)
    if c.label_en:
        yield node, skos.altLabel, literal(c.label_en, "@en")
    if c.broader:
        yield node, skos.broader, iri_ref(c.broader)


def _statement_iri(article_id: str, triple: tuple) -> str:
    return rkid[f"statement/{_digest(article_id, *(t[1:-1] for t in triple))}"]


def _statement(art, article, triple: tuple, claim, described: set):
    """A statement, reified and annotated with the sentence it came from (an Adoption or a Yield)."""
    article_id = article.id
    yield triple
    stmt = _statement_iri(article_id, triple)
    yield stmt, rdf.type, rk.Statement
    yield stmt, rdf.subject, triple[0]
    yield stmt, rdf.predicate, triple[1]
    yield stmt, rdf.object, triple[2]
    yield stmt, prov.wasDerivedFrom, art
    ev = claim.evidence
    yield stmt, rk.rule, rk[f"rule-{ev.rule}"]
    if getattr(claim, "agency", None) is not None:
        yield stmt, rk.agency, _agency_iri(claim.agency)
    sentence = _digest(article_id, ev.sentence, str(ev.start), str(ev.end))
    ann, target = rkid[f"annotation/{sentence}"], rkid[f"target/{sentence}"]
    yield ann, oa.hasBody, stmt
    yield from _once(ann, described, _annotation(ann, target))
    yield from _once(target, described, _target(target, art, ev, as_written(article, ev)))


def _annotation(ann, target):
    """The annotation of one sentence: each statement read from it is one of its bodies (an annotation of
    its own for each would be three more triples a statement, a tenth of a build's graph)."""
    yield ann, rdf.type, oa.Annotation
    yield ann, oa.hasTarget, target
    yield ann, oa.motivatedBy, oa.identifying


def as_written(article, ev: Evidence) -> str:
    """The source text at the evidence's offsets, exactly (full-width punctuation and line breaks kept), so
    that a client can anchor it again; the sentence itself where the offsets are not in the article's text
    (a title printed before it)."""
    start, end = ev.start - article.offset, ev.end - article.offset
    return article.text[start:end] if ev.start >= 0 and 0 <= start < end <= len(article.text) else ev.sentence


def _target(target, art, ev: Evidence, exact: str):
    """The sentence a statement was read from: the source text (oa:exact), the sentence as shown
    (rk:sentence) and, when known, its offsets in the source."""
    yield target, rdf.type, oa.SpecificResource
    yield target, oa.hasSource, art
    quote = target[:-1] + '/quote>'
    yield target, oa.hasSelector, quote
    yield quote, rdf.type, oa.TextQuoteSelector
    yield quote, oa.exact, literal(exact)
    yield quote, rk.sentence, literal(ev.sentence)
    if ev.start >= 0:
        pos = target[:-1] + '/position>'
        yield target, oa.hasSelector, pos
        yield pos, rdf.type, oa.TextPositionSelector
        yield pos, oa.start, literal(str(ev.start), "^^" + xsd.integer)
        yield pos, oa.end, literal(str(ev.end), "^^" + xsd.integer)


@dataclass(frozen=True)
class Serialised:
    """One article graph, serialised for the files and the store of a build.

    Its N-Quads and Turtle are kept compressed (to about a tenth) and read back a piece at a time: the
    graph of a 50 MB article is 2 GB of text, the graph of any article 30 times its size. The N-Quads are
    a gzip member, which a build appends to graph.nq.gz as it is: the main process only writes bytes.
    """

    nquads_gz: bytes         # the named graph, as one gzip member
    packed_turtle: bytes     # the triples that name one of the article's own nodes, as Turtle without prefix lines (zlib)
    shared: bytes            # the others, about shared nodes only, as N-Triples: a build writes each such line once

    def nquads(self) -> Iterator[bytes]:
        return _unpacked(self.nquads_gz, GZIP)

    def turtle(self) -> Iterator[bytes]:
        return _unpacked(self.packed_turtle)


# graph.ttl also names the nodes of each kind by a prefix (statement:965b2425b0eaaf85): the bases of their IRIs
# were a third of its bytes
KIND_PREFIXES = {kind: f"{ID}{kind}/" for kind in ("article", "metric", "statement", "annotation", "target", "locality",
                                                     "mechanism", "agency")}
TURTLE_PREFIXES = PREFIXES | KIND_PREFIXES
TURTLE_HEADER = "".join(f"@prefix {name}: <{base}> .\n" for name, base in TURTLE_PREFIXES.items()).encode()
# an IRI whose local name needs no escaping, as a prefixed name; a datatype too
_PREFIXED = re.compile("<(%s)([A-Za-z0-9][A-Za-z0-9_-]*)>" % "|".join(map(re.escape, TURTLE_PREFIXES.values())))
_PREFIX_OF = {base: name for name, base in TURTLE_PREFIXES.items()}


@lru_cache(maxsize=4096)
def _short(term: str) -> str:
    m = _PREFIXED.fullmatch(term)
    return f"{_PREFIX_OF[m[1]]}:{m[2]}" if m else term


def _short_predicate(term: str) -> str:
    """A predicate as Turtle writes it shortest: rdf:type as `a` (a fifth of the triples are types)."""
    return "a" if term == rdf.type else _short(term)


def _short_object(term: str) -> str:
    """An object as Turtle writes it shortest: an IRI or a literal's datatype as a prefixed name."""
    if term[0] == "<":
        return _short(term)
    if term[-1] == ">":
        text, _, datatype = term.rpartition("^^")
        return f"{text}^^{_short(datatype)}"
    return term


def serialise(article_id: str, triples: Iterable) -> Serialised:
    """Serialise one article graph (in a worker process, so that the main process only writes bytes), in
    one pass over its triples: those that name one of the article's own nodes, then the others.

    A triple whose subject or object is the article's own (a practice yields one of its metrics) is in no
    other article, so a build need not remember it to write it once: about 40 % of the new triples
    about shared nodes in an article are such.
    """
    graph = f" {graph_iri(article_id)}"
    nquads, turtle, shared, subject = _Packer(GZIP), _Packer(), [], None
    for s, p, o in triples:
        if not (s.startswith(SCOPED) or o.startswith(SCOPED)):
            shared.append((s, p, o))
            continue
        nquads.add(f"{s} {p} {o}{graph} .\n")
        o = _short_object(o)
        if s == subject:           # a subject's consecutive triples share it
            turtle.add(f" ;\n\t{_short_predicate(p)} {o}")
        else:
            turtle.add(f"{' .' if subject else ''}\n{_short(s)} {_short_predicate(p)} {o}")
            subject = s
    if subject:
        turtle.add(" .\n")
    for s, p, o in shared:
        nquads.add(f"{s} {p} {o}{graph} .\n")
    return Serialised(nquads.packed(), turtle.packed(), "".join(f"{s} {p} {o} .\n" for s, p, o in shared).encode())


GZIP = 16 + zlib.MAX_WBITS     # zlib's window bits for a gzip member
ZLIB = zlib.MAX_WBITS


class _Packer:
    """Text compressed as it is added, a few thousand pieces at a time (zlib's fastest level packs an
    article's N-Quads to a tenth), as a zlib stream or a gzip member."""

    BATCH = 4096

    def __init__(self, wbits: int = ZLIB):
        self._pending: list = []
        self._zlib = zlib.compressobj(1, zlib.DEFLATED, wbits)
        self._packed: list = []

    def add(self, text: str) -> None:
        self._pending.append(text)
        if len(self._pending) >= self.BATCH:
            self._pack()

    def _pack(self) -> None:
        self._packed.append(self._zlib.compress("".join(self._pending).encode()))
        self._pending = []

    def packed(self) -> bytes:
        self._pack()
        return b"".join(self._packed) + self._zlib.flush()


def _unpacked(packed: bytes, wbits: int = ZLIB, size: int = 1 << 18) -> Iterator[bytes]:
    """The bytes of what a _Packer packed, a few megabytes at a time."""
    unzip, view = zlib.decompressobj(wbits), memoryview(packed)
    for start in range(0, len(packed), size):
        yield unzip.decompress(view[start:start + size])
    yield unzip.flush()


def dataset(results) -> rdflib.Dataset:
    """The named graphs of articles as an rdflib Dataset (for SHACL and the scorer)."""
    ds = rdflib.Dataset()
    ds.parse(data=b"".join(b"".join(serialise(r.article.id, each_triple(r)).nquads()) for r in results),
             format="nquads")
    return ds


def union(ds: rdflib.Dataset) -> rdflib.Graph:
    g = rdflib.Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g
