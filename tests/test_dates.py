"""Publication dates: found in date lines, page headers, JSONL fields and HTML meta tags, kept in ISO
form, written as dcterms:issued typed xsd:date / gYearMonth / gYear, and checked by the shapes."""
from __future__ import annotations

import json

import rdflib
from rdflib import Literal
from rdflib.namespace import DCTERMS, RDF, XSD

from kg import dates
from kg.ingest import read
from kg.validate import validate_build, validate_graph
from kg.vocab import RK

from conftest import CORPUS, SHARED, need_shared, run_build

BODY = (CORPUS / "01_jiangshan.txt").read_text(encoding="utf-8").split("\n\n", 1)[1]   # after its title and date


def articles(path):
    problems = []
    return list(read([path], problems)), problems


def test_dates_in_lines_in_every_written_form():
    assert dates.in_text("2024年11月08日 09:30 来源：新华网") == "2024-11-08"
    assert dates.in_text("发布时间：2021-06-07") == "2021-06-07"
    assert dates.in_text("发布日期: 2022- 04- 29 浏览次数:") == "2022-04-29"
    assert dates.in_text("2021/6/7 10:00") == "2021-06-07"
    assert dates.in_text("2024年6月 第3期") == "2024-06"
    assert dates.in_text("时间：2024-02-30") == ""           # no day of the calendar
    assert dates.in_text("全年完成120项，2024年以来") == ""


def test_dates_given_as_values():
    assert dates.from_value("2024-11-08T23:30:00+08:00") == "2024-11-08"   # the publisher's own day
    assert dates.from_value("Fri, 08 Nov 2024 09:30:00 +0800") == "2024-11-08"
    assert dates.from_value("20241108") == "2024-11-08"
    assert dates.from_value("2024年3月") == "2024-03"
    assert dates.from_value(2024) == "2024"
    assert dates.from_value("2024-06") == "2024-06"
    for nothing in ("", None, "昨天", "08 Nov", "2024-13-01"):
        assert dates.from_value(nothing) == "", nothing


def test_a_web_date_line_in_characters_dates_the_article_and_is_not_its_title(tmp_path):
    (tmp_path / "a.txt").write_text("江山市绩效管理跑出加速度\n2024年11月08日 09:30 来源：衢州日报\n\n" + BODY,
                                    encoding="utf-8")
    (a,), _ = articles(tmp_path / "a.txt")
    assert (a.date, a.title, a.publisher) == ("2024-11-08", "江山市绩效管理跑出加速度", "衢州日报")
    assert "2024年11月08日" not in a.text


def test_real_reports_carry_the_dates_of_their_date_lines():
    """The reports of ../shared/corpus/real that print a date line are dated by it, and only they;
    a date inside a body (a meeting, a ministry's notice) dates no article."""
    need_shared()
    found, _ = articles(SHARED / "corpus" / "real")
    dated = {a.source.rsplit("/", 1)[1]: a.date for a in found if a.date}
    assert dated == {"r08.txt": "2025-11-25", "r16.txt": "2020-12-29", "r18.txt": "2022-04-29",
                     "r25.txt": "2024-03-07", "r30.txt": "2026-01-09", "r32.txt": "2025-10-20"}


def test_jsonl_date_fields_in_any_form(tmp_path):
    lines = [{"id": str(n), "text": BODY, "date": d} for n, d in enumerate(("2024/3/1", "2024年3月", 2024, "不详"))]
    # the same body four times is one article: vary it so each line is its own
    for n, line in enumerate(lines):
        line["text"] = f"第{n}篇。" + line["text"]
    (tmp_path / "feed.jsonl").write_text("\n".join(json.dumps(l, ensure_ascii=False) for l in lines), encoding="utf-8")
    found, _ = articles(tmp_path / "feed.jsonl")
    assert [a.date for a in found] == ["2024-03-01", "2024-03", "2024", ""]


def test_html_meta_tags_date_the_page_before_its_date_line(tmp_path):
    page = ('<html><head><meta name="PubDate" content="2023-12-30 18:05"><title>江山市</title></head><body>'
            '<p>发布时间：2024-01-02</p>' + "".join(f"<p>{p}</p>" for p in BODY.split("\n") if p) + "</body></html>")
    (tmp_path / "a.html").write_text(page, encoding="utf-8")
    (tmp_path / "b.html").write_text(page.replace('name="PubDate"', 'property="article:published_time"')
                                     .replace("2023-12-30 18:05", "2023-12-29T08:00:00+08:00"), encoding="utf-8")
    (tmp_path / "c.html").write_text(page.replace('name="PubDate"', 'name="keywords"'), encoding="utf-8")
    assert [articles(tmp_path / f)[0][0].date for f in ("a.html", "b.html", "c.html")] == [
        "2023-12-30", "2023-12-29", "2024-01-02"]


def test_file_times_date_nothing(tmp_path):
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (a,), _ = articles(tmp_path / "a.txt")
    assert a.date == ""


def test_issued_is_typed_and_validates(tmp_path):
    feed = [{"id": "d", "text": BODY, "date": "2024-05-08"}, {"id": "m", "text": "第二篇。" + BODY, "date": "2024年5月"},
            {"id": "y", "text": "第三篇。" + BODY, "date": "2024"}]
    (tmp_path / "feed.jsonl").write_text("\n".join(json.dumps(l, ensure_ascii=False) for l in feed), encoding="utf-8")
    out = run_build([tmp_path / "feed.jsonl"], tmp_path / "out")
    g = rdflib.Graph().parse(out / "graph.ttl")
    issued = sorted((str(o), o.datatype) for o in g.objects(None, DCTERMS.issued))
    assert issued == [("2024", XSD.gYear), ("2024-05", XSD.gYearMonth), ("2024-05-08", XSD.date)]
    assert validate_build(out)[0]
    article = next(g.subjects(DCTERMS.issued, Literal("2024-05-08", datatype=XSD.date)))
    assert (article, RDF.type, RK.Article) in g
    ill_typed, untyped, second = (Literal("2024-02-30", datatype=XSD.date), Literal("2024年5月8日"),
                                  Literal("2024-05-09", datatype=XSD.date))
    for bad, replaces in ((ill_typed, True), (untyped, True), (second, False)):
        broken = rdflib.Graph()
        for t in g:
            broken.add(t)
        if replaces:
            broken.remove((article, DCTERMS.issued, None))
        broken.add((article, DCTERMS.issued, bad))
        conforms, text = validate_graph(broken)
        assert not conforms and "dcterms:issued" in text, bad
