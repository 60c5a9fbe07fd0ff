"""Linking: mechanism mentions to canonical keys and thesaurus concepts, one node per practice.

A mention's key is its thesaurus concept when its wording is a concept label (also with
a generic head: 事前绩效评估机制 is 事前绩效评估), else its quoted core or its wording
without punctuation (“全覆盖+双监控”绩效监管 and “全覆盖+双监控” share 全覆盖+双监控).
Within an article, a concept written with a modifier before it (审批事项告知承诺制) is
the concept the article also names on its own (告知承诺制). Localities are linked to the
gazetteer where they are found (kg.extract.localities).
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

import ahocorasick

from .text import to_simplified
from .vocab import concept_by_label, thesaurus

PUNCT = re.compile(r"[\s\"'“”‘’「」『』《》、，,。．.·・：:；;！!？?（）()【】\[\]—\-_~～…/]")
GENERIC_HEADS = ("机制", "制度", "改革", "工作", "模式", "管理", "体系")


def canonical(label: str) -> str:
    """Comparison form: no quotes, spaces or punctuation."""
    return PUNCT.sub("", label)


@lru_cache(maxsize=1)
def thesaurus_automaton() -> ahocorasick.Automaton:
    auto = ahocorasick.Automaton()
    for label, iri in concept_by_label().items():
        auto.add_word(label, (label, iri))
    auto.make_automaton()
    return auto


def concepts_in(label: str) -> tuple:
    """Thesaurus concepts whose labels occur in `label`, leftmost-longest, without nested ones."""
    found = sorted(((end - len(term) + 1, end + 1, iri) for end, (term, iri) in thesaurus_automaton().iter(label)),
                   key=lambda f: (f[0], -(f[1] - f[0])))
    out, last = [], -1
    for start, end, iri in found:
        if start >= last:
            if iri not in out:
                out.append(iri)
            last = end
    return tuple(out)


def strip_generic_suffix(label: str) -> str:
    """事前绩效评估机制 → 事前绩效评估: a concept written with a generic head is the concept."""
    for head in GENERIC_HEADS:
        if label.endswith(head) and label[: -len(head)] in concept_by_label():
            return label[: -len(head)]
    return label


def key_for(wording: str) -> str:
    base = strip_generic_suffix(canonical(wording))
    iri = concept_by_label().get(base)
    return f"concept:{iri}" if iri else f"name:{base}"


def preferred_label(key: str) -> str:
    """The one label of a practice node, a function of its key alone, so every article and every build
    writes the same: the concept's label, or the quoted core or wording the key was made from."""
    kind, _, rest = key.partition(":")
    return thesaurus()[rest].label if kind == "concept" else to_simplified(rest)


def link_mechanisms(mentions: list) -> list:
    """Give every mention its key and concepts, then merge modified concept terms within the article."""
    linked = [replace(m, key=key_for(m.core or m.label), concepts=concepts_in(canonical(m.label))) for m in mentions]
    named_concepts = {m.key for m in linked if m.key.startswith("concept:")}
    linked = [_as_named_concept(m, named_concepts) for m in linked]
    ends = _ends_of_names(linked)
    return [_as_longer_name(m, ends) for m in linked]


SHORT_NAME = 4   # characters a name written short keeps at least


def _ends_of_names(linked: list) -> dict:
    """Each proper ending of SHORT_NAME characters and more of a mention's wording -> the keys of the
    mentions it ends, in the order of the text: an index, so that an article of 10^4 mentions is not
    compared pair by pair."""
    ends: dict = {}
    for wording, key in dict.fromkeys((canonical(o.label), o.key) for o in linked):
        for start in range(1, len(wording) - SHORT_NAME + 1):
            keys = ends.setdefault(wording[start:], [])
            if key not in keys:
                keys.append(key)
    return ends


def _as_longer_name(m, ends: dict):
    """线上融资平台 → “政采贷”线上融资平台, when the article names the practice in full too: an
    unquoted name that ends a longer name of the same article is that practice, written short."""
    if not m.key.startswith("name:") or m.core:
        return m
    longer = [key for key in ends.get(canonical(m.label), ()) if key != m.key]
    return replace(m, key=longer[0]) if longer else m


def _as_named_concept(m, named_concepts: set):
    """审批事项告知承诺制 → 告知承诺制, when the article names 告知承诺制 too; quoted names stay themselves."""
    if not m.key.startswith("name:") or m.core:
        return m
    wording = canonical(m.label)
    for iri in m.concepts:
        key = f"concept:{iri}"
        if key in named_concepts and any(wording.endswith(l) for l in thesaurus()[iri].labels):
            return replace(m, key=key)
    return m
