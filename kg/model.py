"""The extraction result as plain dataclasses: the boundary between extractors and writers.

Extractors produce these objects; the RDF, network and HTML writers consume them.
Nothing here knows about jieba or rdflib.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional


@dataclass(frozen=True)
class Article:
    """One article as ingested: its text is a contiguous slice of its source."""

    id: str                      # content hash: the same text gets the same id
    text: str                    # the article body, exactly as in the source
    source: str                  # file path (or path#line for JSONL)
    title: str = ""              # as printed
    byline: str = ""
    publisher: str = ""          # the organisation of a 来源/source line, if any
    date: str = ""               # when it was published, in ISO form: 2024-06-21, 2024-06 or 2024 (kg.dates)
    offset: int = 0              # where `text` starts in the source
    title_span: tuple = (-1, -1)  # where the title is printed in the source, when it is


@dataclass(frozen=True)
class Evidence:
    """Where a statement comes from: the sentence as written and its offsets in the source text."""

    sentence: str
    start: int
    end: int
    rule: str


@dataclass(frozen=True)
class Locality:
    key: str                     # admin code, or "zone:<parent code>:<name>" for designated zones
    name: str                    # most specific name, without parent prefix
    code: str = ""
    level: str = ""              # province / city / county / zone
    parent: Optional["Locality"] = None
    names: tuple = ()            # other forms seen in the text (traditional, short)

    def chain(self) -> list["Locality"]:
        """This locality and its ancestors up to the province."""
        node, out = self, []
        while node is not None:
            out.append(node)
            node = node.parent
        return out


@dataclass(frozen=True)
class Agency:
    name: str                    # as written, e.g. 临清市财政局 or 区市场监管局
    kind: str                    # the agency type, e.g. 财政局
    locality: Locality


@dataclass
class Mechanism:
    key: str                     # canonical key: one node per practice across articles
    label: str                   # the text's own wording (simplified script)
    labels: set = field(default_factory=set)   # every wording seen, both scripts
    concepts: tuple = ()         # thesaurus concept IRIs it falls under


@dataclass
class Metric:
    value: float
    unit: str
    measure: str                 # what it measures
    surface: str                 # the number as written
    year: Optional[int] = None
    approximate: str = ""        # the words that make it approximate, as written (约, 多 …), "" when exact
    evidence: Optional[Evidence] = None
    locality: Optional[Locality] = None   # the locality it is reported for, when not the article's
    before: Optional[int] = None          # the index in ArticleResult.metrics of the figure this one changed from
                                          # (由45个工作日压缩至7个工作日: 7's is 45's)


@dataclass(frozen=True)
class Adoption:
    locality: Locality
    mechanism_key: str
    evidence: Evidence
    agency: Optional[Agency] = None


@dataclass(frozen=True)
class Yield:
    mechanism_key: str
    metric_index: int
    evidence: Evidence


@dataclass
class ArticleResult:
    """Everything extracted from one article."""

    article: Article
    locality: Optional[Locality]
    localities: list = field(default_factory=list)
    agencies: list = field(default_factory=list)
    mechanisms: dict = field(default_factory=dict)    # key -> Mechanism
    metrics: list = field(default_factory=list)
    adoptions: list = field(default_factory=list)
    yields: list = field(default_factory=list)
    problems: list = field(default_factory=list)      # what could not be understood
