"""A large article, and a page of many unclosed tags, take time linear in their size, and a large
article memory of a small multiple of its size.

Extraction once asked `any()` over every mention for each mention (mentions × candidates):
1, 2 and 4 MB took 2.3, 7.8 and 25 s. The sizes here differ fourfold; a quadratic cost would
take sixteen times as long, a linear one four (the bound allows eight, for a shared machine).

Memory was linear but large: 16 MB took 3 GB (normalising kept a pair of objects a character;
the graph, 30 times the article as text, was made whole three times over; the store was loaded
with all of it at once). Python's own count of what it allocates (tracemalloc) does not vary with
the machine, so those tests bound bytes a character.
"""
import time
import tracemalloc

import pyoxigraph as ox

from conftest import CORPUS
from kg import build, engine, rdf
from kg.articles import articles_from_text
from kg.text import normalise
from kg.webpage import html_text

PARAGRAPHS = [p for f in sorted(CORPUS.glob("*.txt")) for p in f.read_text(encoding="utf-8").split("\n")
              if len(p) > 60 and p.endswith("。") and "（" not in p[-12:]]
BLOCK = "\n".join(PARAGRAPHS) + "\n"


def cpu_seconds(work, *args) -> float:
    start = time.process_time()
    work(*args)
    return time.process_time() - start


def peak_bytes(work, *args) -> int:
    """The most memory Python held at once while `work` ran, beyond what it held before."""
    tracemalloc.start()
    try:
        work(*args)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def one_article(size: int):
    body = (BLOCK * (size // len(BLOCK) + 1))[:size]
    found = articles_from_text(body[:body.rfind("。") + 1], "large.txt")
    assert len(found) == 1
    return found[0]


def test_extraction_time_grows_linearly_with_the_article():
    engine.extract_one(one_article(5_000))       # caches and automata loaded
    small, large = one_article(100_000), one_article(400_000)
    assert cpu_seconds(engine.extract_one, large) < 8 * cpu_seconds(engine.extract_one, small)


def test_a_page_of_unclosed_tags_is_read_in_linear_time():
    def page(n: int) -> str:
        return "<html><body>" + "<div><p><span>临清市推行零基预算改革。" * n + "</body></html>"

    small, large = page(5_000), page(20_000)
    assert cpu_seconds(html_text, large) < 8 * cpu_seconds(html_text, small)


def test_normalising_a_large_article_takes_a_few_bytes_a_character():
    article = one_article(200_000)
    normalise(article.text[:5_000])
    assert peak_bytes(normalise, article.text) < 60 * len(article.text)      # 220 with pairs, 28 now


def test_extracting_a_large_article_holds_a_small_multiple_of_it():
    article = one_article(100_000)
    engine.extract_one(one_article(5_000))
    assert peak_bytes(engine.extract_one, article) < 400 * len(article.text)  # 760 before, 190 now


def test_a_large_graph_goes_to_the_store_in_pieces_of_whole_statements():
    graph = engine.extract_one(one_article(100_000)).graph
    whole = b"".join(graph.turtle())
    pieces = list(build._statements(graph.turtle(), 100_000))
    assert b"".join(pieces) == whole and len(pieces) >= len(whole) // 200_000
    assert all(len(p) < 200_000 for p in pieces)
    triples = lambda text: len(list(ox.parse(rdf.TURTLE_HEADER + text, format=ox.RdfFormat.TURTLE)))
    assert sum(map(triples, pieces)) == triples(whole) > 10_000
