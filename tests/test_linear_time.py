"""A large article, and a page of many unclosed tags, take time linear in their size.

Extraction once asked `any()` over every mention for each mention (mentions × candidates):
1, 2 and 4 MB took 2.3, 7.8 and 25 s. The sizes here differ fourfold; a quadratic cost would
take sixteen times as long, a linear one four (the bound allows eight, for a shared machine).
"""
import time

from conftest import CORPUS
from kg import engine
from kg.articles import articles_from_text
from kg.webpage import html_text

PARAGRAPHS = [p for f in sorted(CORPUS.glob("*.txt")) for p in f.read_text(encoding="utf-8").split("\n")
              if len(p) > 60 and p.endswith("。") and "（" not in p[-12:]]
BLOCK = "\n".join(PARAGRAPHS) + "\n"


def cpu_seconds(work, *args) -> float:
    start = time.process_time()
    work(*args)
    return time.process_time() - start


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
