"""The vocabulary, read from the Turtle files in `ontology/`: namespaces, word lists, the thesaurus.

Code reads words from here instead of repeating them; the ontology is their single source.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import rdflib
from rdflib.namespace import RDF, SKOS

RK = rdflib.Namespace("https://w3id.org/reformkg/ontology#")
RKM = rdflib.Namespace("https://w3id.org/reformkg/mechanism/")
ID = rdflib.Namespace("https://w3id.org/reformkg/id/")


def ontology_path(name: str):
    return resources.files("kg.ontology").joinpath(name)


@lru_cache(maxsize=None)
def ontology_graph(name: str) -> rdflib.Graph:
    with ontology_path(name).open("rb") as f:
        return rdflib.Graph().parse(f, format="turtle")


@lru_cache(maxsize=None)
def lexicon(name: str) -> tuple:
    """The terms of one rk:Lexicon in lexicon.ttl, longest first (so alternations match greedily)."""
    g = ontology_graph("lexicon.ttl")
    terms = {str(t) for t in g.objects(RK[name], RK["term"])}
    if not terms:
        raise KeyError(f"no lexicon rk:{name} in ontology/lexicon.ttl")
    return tuple(sorted(terms, key=lambda t: (-len(t), t)))


def lexicon_words(name: str) -> str:
    """A regular-expression alternation of one lexicon's terms, longest first."""
    return "|".join(map(re.escape, lexicon(name)))


@lru_cache(maxsize=None)
def lexicon_pattern(name: str) -> re.Pattern:
    """One lexicon's terms as a compiled alternation (search, match and finditer over its terms)."""
    return re.compile(lexicon_words(name))


@dataclass(frozen=True)
class Concept:
    iri: str
    label: str           # zh prefLabel
    label_en: str
    labels: tuple        # prefLabel and altLabels (zh)
    broader: str         # IRI of the broader concept, "" for a top concept
    facility: bool = False   # a place practices are carried out in (rk:Facility): 政务服务中心

    @property
    def practice(self) -> bool:
        """Whether the concept names a practice: not a field (a top concept, 预算管理) nor a facility."""
        return bool(self.broader) and not self.facility


@lru_cache(maxsize=1)
def thesaurus() -> dict:
    """Concept IRI -> Concept, from ontology/thesaurus.ttl."""
    g = ontology_graph("thesaurus.ttl")
    out = {}
    for c in g.subjects(RDF.type, SKOS.Concept):
        zh = [str(l) for l in g.objects(c, SKOS.prefLabel) if l.language == "zh"]
        en = [str(l) for l in g.objects(c, SKOS.prefLabel) if l.language == "en"]
        alts = sorted(str(l) for l in g.objects(c, SKOS.altLabel))
        broader = next((str(b) for b in g.objects(c, SKOS.broader)), "")
        out[str(c)] = Concept(str(c), zh[0], en[0] if en else "", tuple(zh + alts), broader,
                              (c, RDF.type, RK["Facility"]) in g)
    return out


@lru_cache(maxsize=1)
def concept_by_label() -> dict:
    """Every zh label of the thesaurus -> concept IRI."""
    return {label: c.iri for c in thesaurus().values() for label in c.labels}


def concept_chain(iri: str) -> list:
    """The concept and its broader concepts up to the top."""
    concepts, out = thesaurus(), []
    while iri and iri in concepts and iri not in (c.iri for c in out):
        out.append(concepts[iri])
        iri = concepts[iri].broader
    return out
