"""Agency mentions: 临清市财政局, 天衢新区行政审批部, 区市场监管局 … belong to a locality.

An agency written after a locality belongs to it; after a bare level (市财政局, 县财政局)
it belongs to the article's locality, and 省财政厅 to that locality's province.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Agency, Locality
from ..vocab import lexicon_pattern


@dataclass(frozen=True)
class AgencyMention:
    start: int
    end: int
    agency: Agency


def find(text: str, localities: list, own: Locality | None) -> list:
    """Agencies in simplified text; `localities` are the locality mentions of the same text."""
    out = []
    ending: dict = {}       # end -> the first locality mention that ends there
    for x in localities:
        ending.setdefault(x.end, x)
    for m in lexicon_pattern("agency-names").finditer(text):
        owner = ending.get(m.start())
        if owner is not None:
            locality, start = owner.locality, owner.start
        elif own is not None and m.start() > 0 and text[m.start() - 1] in "市县区旗州":
            locality, start = own, m.start() - 1
        elif own is not None and m.start() > 0 and text[m.start() - 1] == "省":
            locality, start = own.chain()[-1], m.start() - 1
        else:
            continue
        out.append(AgencyMention(start, m.end(), Agency(text[start:m.end()], m.group(), locality)))
    return out
