"""Reading pages, web copies and JSONL into articles."""
from kg.ingest import read

from conftest import CORPUS, SEED, need_shared


def articles(path):
    problems = []
    found = list(read([path], problems))
    return found, problems


def test_newspaper_page_splits_into_its_articles():
    found, problems = articles(CORPUS / "18_paper_page.txt")
    assert problems == []
    assert len(found) == 4
    assert all(a.title and a.byline for a in found)
    assert len({a.id for a in found}) == 4


def test_seed_page_gives_nine_articles_with_titles_and_bylines():
    need_shared()
    found, _ = articles(SEED)
    assert len(found) == 9
    assert found[0].title == "临清市贯彻预算绩效管理理念 全面提升非税资金管理绩效"
    assert found[0].byline == "宋恒"
    assert [a.byline for a in found][-2:] == ["胡佳 王天峰", "孟娟 刁凤强"]


def test_web_copy_is_one_article_with_its_source_line():
    found, _ = articles(CORPUS / "08_luliang_web.txt")
    assert len(found) == 1
    assert "陆良" in found[0].publisher or "陸良" in found[0].publisher


def test_jsonl_lines_are_articles_and_bad_lines_are_reported(tmp_path):
    src = (CORPUS / "19_feed.jsonl").read_text(encoding="utf-8")
    bad = tmp_path / "feed.jsonl"
    bad.write_text(src + "{not json\n", encoding="utf-8")
    found, problems = articles(bad)
    assert len(found) == 3
    assert [(p.line, "malformed" in p.reason) for p in problems] == [(4, True)]


def test_offsets_are_offsets_into_the_source():
    found, _ = articles(CORPUS / "18_paper_page.txt")
    raw = (CORPUS / "18_paper_page.txt").read_text(encoding="utf-8")
    for a in found:
        assert raw[a.offset:a.offset + len(a.text)] == a.text
