"""Reading pages, web copies and JSONL into articles."""
from kg.ingest import read

from conftest import CORPUS, HELDOUT, SEED, SHARED, need_shared


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


def test_page_header_is_no_article_and_dates_the_page():
    """`2 0 2 4 年 6 月 2 1 日  星期五  财政视窗  3` above the first article became an empty article."""
    found, problems = articles(HELDOUT / "corpus" / "h06_paper_page.txt")
    assert problems == []
    assert [a.byline for a in found] == ["王振宇 李晓彤", "马立平", "陈佳"]
    assert all(a.title and "星期" not in a.text for a in found)
    assert {a.date for a in found} == {"2024-06-21"}


def test_page_headers_in_other_styles_keep_every_article_whole(tmp_path):
    """A header set directly above a body line is not glued to it, and every article keeps its text."""
    page = (CORPUS / "18_paper_page.txt").read_text(encoding="utf-8")
    second = "如皋市财政局围绕“评价质量提升年”活动"
    with_headers = ("2023年3月15日 星期三 第05版 编辑：王明 财经周刊\n\n"
                    + page.replace(second, "2023年3月16日 星期四 第06版 責任編輯：陳明 財經週刊\n" + second))
    (tmp_path / "page.txt").write_text(with_headers, encoding="utf-8")
    found, problems = articles(tmp_path / "page.txt")
    plain, _ = articles(CORPUS / "18_paper_page.txt")
    assert problems == []
    assert [(a.id, a.title, a.byline) for a in found] == [(a.id, a.title, a.byline) for a in plain]
    assert [a.date for a in found] == ["2023-03-15"] + ["2023-03-16"] * 3


def test_header_above_a_single_article_is_its_date_not_its_title(tmp_path):
    text = (CORPUS / "01_jiangshan.txt").read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text("2024年5月8日 星期三 第3版 编辑：王明 财经周刊\n\n" + text, encoding="utf-8")
    found, _ = articles(tmp_path / "a.txt")
    assert found[0].title == "江山市“三色预警”盯紧资金运行 绩效管理跑出加速度"
    assert found[0].date == "2024-05-08"


def test_source_after_a_date_on_one_line_names_the_publisher_and_the_locality():
    """`时间:2024-03-07 来源:京山市融媒体中心` (a real report, corpus/real/r25): the only place the city is named."""
    from kg.extract import extract

    need_shared()
    found, _ = articles(SHARED / "corpus" / "real" / "r25.txt")
    assert found[0].publisher == "京山市融媒体中心"
    assert extract(found[0]).locality.name == "京山市"
