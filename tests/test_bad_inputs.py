"""Bad input, faults and safety (issue 7): nothing lost, nothing crashes, nothing written outside DIR.

`tests/bad_inputs/` holds one file per way an input can be bad (see its make_corpus.py):
GBK, GB18030, UTF-16 with and without BOM, UTF-8 with BOM, empty and blank files, binary
data under a .txt name, unrelated files, one very long line, malformed JSONL lines beside
good ones, HTML pages, the same article twice in different files and encodings, and
articles without a locality or without a mechanism.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import articles, ingest, webpage
from kg.cli import main
from kg.model import Article, ArticleResult, Locality

from conftest import ROOT

BAD = ROOT / "tests" / "bad_inputs"

# every good article of the corpus, by the locality it is about
GOOD = {"宁津县", "海盐县", "祁东县", "泗洪县", "宾川县", "东阿县", "武功县", "溧阳市", "栾川县"}


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def bad_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("bad") / "out"
    result = invoke("build", BAD, "--out", out)
    return out, result


def report(out: Path) -> dict:
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


# ---- reading (kg/ingest.py) ----

TEXT = (BAD / "make_corpus.py").read_text(encoding="utf-8")


def read(*paths):
    problems, files = [], []
    return list(ingest.read(paths, problems, files)), problems, files


@pytest.mark.parametrize("name", ["gbk_ningjin.txt", "gb18030_haiyan.txt", "utf16_qidong.txt",
                                  "utf16le_nobom_sihong.txt", "utf8bom_binchuan.md", "dup_ningjin_utf8_crlf.txt"])
def test_each_encoding_is_detected(name):
    found, problems, _ = read(BAD / name)
    assert problems == []
    assert len(found) == 1
    a = found[0]
    assert a.title and a.title in TEXT
    assert "\ufeff" not in a.text and "\r" not in a.text
    body = a.text.replace(" ", "")
    assert body.split("\n")[0] in TEXT.replace(" ", "")


def test_gb18030_only_characters_survive():
    found, _, _ = read(BAD / "gb18030_haiyan.txt")
    assert found[0].byline == "王䶮"


@pytest.mark.parametrize("name,reason", [("binary_named.txt", "binary"), ("empty.txt", "empty"),
                                         ("blank.txt", "empty")])
def test_unusable_files_are_problems_not_crashes(name, reason):
    found, problems, files = read(BAD / name)
    assert found == []
    assert [p.source for p in problems] == [str(BAD / name)]
    assert reason in problems[0].reason
    assert files == [str(BAD / name)]


def test_real_binaries_are_binary(tmp_path):
    import sys
    for data in (Path(sys.executable).read_bytes()[:65536], (BAD / "logo.png").read_bytes(),
                 bytes(range(256)) * 8, os.urandom(4096)):
        f = tmp_path / "x.txt"
        f.write_bytes(data)
        found, problems, _ = read(f)
        assert found == [] and [p.reason for p in problems] == ["binary file"]


def test_unrelated_files_in_a_directory_are_listed_as_skipped():
    _, problems, files = read(BAD)
    skipped = {Path(p.source).name for p in problems if p.reason == ingest.SKIPPED}
    assert skipped == {"logo.png", "notes.csv", "make_corpus.py"}
    assert not any(f.endswith((".png", ".csv", ".py")) for f in files)
    assert str(BAD / "sub" / "page_gbk.htm") in files


def test_hidden_and_excluded_directories_are_not_read(tmp_path):
    shutil.copy(BAD / "gbk_ningjin.txt", tmp_path / "a.txt")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "graph.html").write_text("<html><body><p>江山市推行零基预算。</p></body></html>")
    (tmp_path / "out" / "store").mkdir()
    (tmp_path / "out" / "store" / "000001.log").write_bytes(b"\x00\x01")
    problems = []
    found = list(ingest.read([tmp_path], problems, exclude=[tmp_path / "out"]))
    assert [Path(a.source).name for a in found] == ["a.txt"]
    assert problems == []


def test_malformed_jsonl_lines_cost_only_themselves():
    found, problems, _ = read(BAD / "feed.jsonl")
    assert [a.source.rsplit("#", 1)[1] for a in found] == ["bc-1", "bc-4"]
    assert [(p.line, p.reason.split(":")[0]) for p in problems] == [
        (2, "malformed JSONL line"), (3, "malformed JSONL line"), (4, "malformed JSONL line"),
        (7, "malformed JSONL line"), (8, "JSONL line with empty text")]
    assert 'no "text" field' in problems[2].reason


def test_jsonl_with_lone_surrogates_and_odd_values(tmp_path):
    f = tmp_path / "odd.jsonl"
    f.write_text("\n".join([
        r'{"id": "\udc00", "title": "\ud800", "text": "临清市推行\ud800零基预算改革，压减支出1860万元。"}',
        "[1, 2]", "null", '"just a string"', "12", '{"text": null}', '{"text": ["a"]}',
        '{"id": {"x": 1}, "date": 2024, "text": "江山市推行事前绩效评估。"}']), encoding="utf-8")
    found, problems, _ = read(f)
    assert len(found) == 2
    assert all("\ud800" not in a.text + a.title + a.source for a in found)
    assert [p.line for p in problems] == [2, 3, 4, 5, 6, 7]
    from kg.extract import extract
    for a in found:
        extract(a)


def test_html_gives_the_article_text_only():
    found, problems, _ = read(BAD / "page.html", BAD / "sub" / "page_gbk.htm")
    assert problems == []
    page, gbk = found
    assert page.title == "溧阳市推行“信用+审批”模式 企业办事更便捷"
    assert page.text.startswith("溧阳市行政审批局推行") and page.publisher.startswith("溧阳市行政审批局")
    for a in found:   # scripts, styles, navigation, asides and footers are not article text
        for noise in ("临清市", "document.write", "font-family", "首页", "相关新闻", "版权所有", "江山市", "网站首页", "主办单位"):
            assert noise not in a.text, (a.source, noise)
    assert gbk.title == "栾川县推行“容缺受理”机制"           # from <title>, without the site name
    assert gbk.text.startswith("栾川县政务服务中心推行")


def test_html_text_of_odd_pages():
    assert webpage.html_text("") == ""
    assert webpage.html_text("<p>未闭合<div>段落。<script>var a = '<p>x</p>';") == "未闭合\n\n段落。"
    assert webpage.html_text("<pre>第一行\n第二行</pre>") == "第一行\n第二行"
    assert webpage.html_text("<ul><li><a>首页</a></li><li><a>新闻</a></li></ul><p>正文一句。</p>") == "正文一句。"
    text = webpage.html_text("<body><header><a>站点</a></header><main><header><h1>标题</h1></header>"
                            "<p>正文&nbsp;一句&amp;两句。</p><nav>上一篇</nav></main><footer>页脚</footer></body>")
    assert text == "标题\n\n正文 一句&两句。"


def test_the_same_article_gets_the_same_id_across_encodings_and_layout():
    ids = {Path(a.source.split("#")[0]).name + ("#" + a.source.split("#")[1] if "#" in a.source else ""): a.id
           for a in read(BAD)[0]}
    assert ids["gbk_ningjin.txt"] == ids["dup_ningjin_utf8_crlf.txt"]
    assert ids["utf16_qidong.txt"] == ids["feed.jsonl#bc-4"]
    assert ids["utf8bom_binchuan.md"] == ids["feed.jsonl#bc-1"]
    assert len(set(ids.values())) == len(ids) - 3
    text = "临清市推行“全覆盖+双监控”。\n核减资金1.86亿元。"
    variants = [text, text.replace("\n", "\r\n"), "\ufeff" + text, "  " + text.replace("。", "。 ") + "\n\n",
                text.replace("1.86", "１．８６"), text.replace("临清", "临\u200b清")]
    assert len({articles.article_id(v) for v in variants}) == 1
    assert articles.article_id(text) != articles.article_id(text.replace("1.86", "1.87"))


def test_a_very_long_line_is_read_whole():
    found, problems, _ = read(BAD / "long_line.txt")
    assert problems == [] and len(found) == 1 and len(found[0].text) > 90000


def test_results_without_locality_or_mechanism_are_problems():
    a = Article(id="x", text="正文。", source="f.jsonl#3")
    loc = Locality(key="371581", name="临清市", code="371581", level="county")
    reasons = [p.reason for p in ingest.result_problems(ArticleResult(article=a, locality=None))]
    assert [r.split(":")[0] for r in reasons] == ["no locality found", "no mechanism found"]
    got = ingest.result_problems(ArticleResult(article=a, locality=loc))
    assert [(p.source, p.reason.split(":")[0]) for p in got] == [("f.jsonl#3", "no mechanism found")]


def test_input_report_accounts_for_every_file():
    found, problems, files = read(BAD)
    from kg.engine import extract_one
    results, seen = [], set()
    for a in found:
        if a.id in seen:
            problems.append(ingest.Problem(a.source, "the same article again: kept once"))
            continue
        seen.add(a.id)
        r = extract_one(a)
        problems.extend(r.problems)
        results.append(r)
    entries = {Path(e["file"]).name: e for e in ingest.input_report(files, problems, results)}
    every = {p.name for p in BAD.rglob("*") if p.is_file()}
    assert set(entries) == every
    feed = entries["feed.jsonl"]
    assert feed["articles"] == 2 and feed["status"] == "partial"
    assert [p["line"] for p in feed["problems"] if p["line"]] == [2, 3, 4, 7, 8]
    for again in ("utf16_qidong.txt", "utf8bom_binchuan.md", "gbk_ningjin.txt"):   # read after their twin
        assert entries[again]["status"] == "skipped"
        assert "same article" in entries[again]["problems"][0]["reason"]
    assert entries["logo.png"]["status"] == "skipped"
    assert entries["binary_named.txt"]["problems"] == [{"line": 0, "reason": "binary file"}]
    assert entries["gb18030_haiyan.txt"]["status"] == "read" and entries["gb18030_haiyan.txt"]["statements"] > 0
    assert entries["no_mechanism.txt"]["status"] == "partial"
    assert sum(e["articles"] for e in entries.values()) == len(results) == 10


# ---- a build of the whole corpus (kg build) ----

def test_build_of_bad_inputs_succeeds_and_keeps_every_good_article(bad_build):
    out, result = bad_build
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    r = report(out)
    assert r["articles"] == 10
    assert GOOD <= {i["locality"] for i in r["inputs"]}


def test_build_of_bad_inputs_validates(bad_build):
    from kg.validate import validate_build
    conforms, text = validate_build(bad_build[0])
    assert conforms, text


def test_one_article_for_the_same_article_twice(bad_build):
    import rdflib
    from rdflib.namespace import DCTERMS, RDF
    from kg.vocab import RK
    g = rdflib.Graph().parse(bad_build[0] / "graph.ttl")
    titles = [str(t) for a in g.subjects(RDF.type, RK.Article) for t in g.objects(a, DCTERMS.title)]
    for title in ("宁津县推行“一窗通办”提升政务服务效能", "祁东县全面推行财政电子票据改革", "宾川县以零基预算改革打破支出固化格局"):
        assert titles.count(title) == 1


def test_no_script_text_reaches_the_graph(bad_build):
    ttl = (bad_build[0] / "graph.ttl").read_text(encoding="utf-8")
    assert "临清市" not in ttl and "document.write" not in ttl


def test_every_problem_is_one_line_on_stderr(bad_build):
    out, result = bad_build
    lines = [l for l in result.stderr.splitlines() if l.strip()]
    problems = report(out)["problems"]
    assert len(lines) == len(problems)
    for name in ("binary_named.txt", "empty.txt", "blank.txt", "logo.png", "notes.csv", "feed.jsonl:2",
                 "feed.jsonl:7", "no_locality.txt"):
        assert any(name in l for l in lines), name


def test_article_without_mechanism_is_kept_and_reported(bad_build):
    out, result = bad_build
    assert any("no_mechanism.txt" in l and "no mechanism" in l for l in result.stderr.splitlines())
    assert any(i["locality"] == "武功县" for i in report(out)["inputs"])


def test_report_lists_every_input_with_what_became_of_it(bad_build):
    out, _ = bad_build
    files = {Path(e["file"]).name: e for e in report(out)["files"]}
    assert set(files) == {p.name for p in BAD.rglob("*") if p.is_file()}
    for e in files.values():
        assert {"file", "articles", "statements", "status", "problems"} <= set(e)
        assert e["status"] in ("read", "partial", "skipped")
        assert e["status"] == "read" or e["problems"]
        for p in e["problems"]:
            assert p["reason"] and isinstance(p["line"], int)
    assert files["feed.jsonl"]["articles"] == 2
    assert files["utf16_qidong.txt"]["status"] == "skipped"
    assert sorted(p["line"] for p in files["feed.jsonl"]["problems"] if p["line"]) == [2, 3, 4, 7, 8]
    assert files["binary_named.txt"]["status"] == "skipped"
    assert files["logo.png"]["problems"][0]["reason"] == ingest.SKIPPED
    assert files["no_locality.txt"]["status"] == "partial"
    assert files["no_mechanism.txt"]["status"] == "partial"
    assert files["page.html"]["statements"] > 0
    assert sum(e["articles"] for e in files.values()) == report(out)["articles"]


def test_output_inside_the_input_directory_is_not_read_back(tmp_path):
    src = tmp_path / "in"
    shutil.copytree(BAD, src)
    first = invoke("build", src, "--out", src / "out")
    second = invoke("build", src, "--out", src / "out")
    assert first.exit_code == second.exit_code == 0
    assert report(src / "out")["articles"] == 10
    assert "/out/" not in second.stderr


def test_nothing_buildable_fails_with_one_line(tmp_path):
    for name in ("binary_named.txt", "empty.txt", "logo.png"):
        shutil.copy(BAD / name, tmp_path / name)
    result = invoke("build", tmp_path, "--out", tmp_path / "out")
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert len(result.stdout.strip().splitlines()) <= 1
    assert "no article" in result.output


def test_unwritable_output_fails_with_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = invoke("build", BAD / "gbk_ningjin.txt", "--out", blocker / "out")
    assert result.exit_code != 0
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    errors = [l for l in result.output.splitlines() if l.startswith("Error")]
    assert len(errors) == 1 and "cannot write" in errors[0]


# ---- safety ----

def _tree(root: Path) -> dict:
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()}


def test_nothing_is_written_outside_the_output_directory(tmp_path, monkeypatch):
    src = tmp_path / "in"
    shutil.copytree(BAD, src)
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    before = _tree(tmp_path)
    result = invoke("build", src, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    after = _tree(tmp_path)
    changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
    assert changed and all(k.startswith("out" + os.sep) for k in changed), sorted(changed)[:5]


INJECTIONS = ['临清市" } ; DROP ALL ; #', "'; DELETE WHERE { ?s ?p ?o } #", "} } DELETE { ?s ?p ?o } WHERE { ?s ?p ?o",
              "?s", "<https://w3id.org/reformkg/id/locality/371422>", '\\" . FILTER(true) #', ".*", "%", "\x00",
              "宁津县\" || \"1\" = \"1"]


def _quads(out: Path) -> str:
    if "query" not in main.commands:
        pytest.skip("no kg query command to count the store with")
    result = invoke("query", "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
                    "--format", "json", "--out", out)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("name", INJECTIONS)
def test_names_are_data_never_query_text(bad_build, name, tmp_path):
    out = bad_build[0]
    before = _quads(out)
    calls = [("show", name), ("similar", name), ("path", name, "宁津县"), ("path", "宁津县", name),
             ("mechanisms", "--locality", name), ("mechanisms", "--concept", name),
             ("metrics", "--locality", name), ("metrics", "--mechanism", name),
             ("viz", "--focus", name, "-o", tmp_path / "v.html")]
    for call in calls:
        if call[0] not in main.commands:
            continue
        result = invoke(*call, "--out", out)
        assert result.exit_code in (0, 1), (call, result.output)
        assert "Traceback" not in result.output, call
        assert result.exception is None or isinstance(result.exception, SystemExit), (call, result.exception)
        if call[0] == "show" and result.exit_code == 0:   # a name that is no entity finds none
            assert "宁津县" not in result.stdout or "宁津县" in name
    assert _quads(out) == before


@pytest.mark.parametrize("endpoint", ["file:///etc/passwd", "ftp://example.org/store", "gopher://127.0.0.1/x",
                                      "javascript:alert(1)", "data:text/plain,x", "localhost:7878/store",
                                      "http:///store", "/tmp/store",
                                      "user:secret@127.0.0.1:7878"])
def test_push_refuses_non_http_endpoints(endpoint, bad_build):
    from kg import push
    with pytest.raises(push.PushError) as e:
        push.push(bad_build[0], endpoint, user="alice", password="s3cret-pw", retries=0, wait=0)
    assert "s3cret-pw" not in str(e.value) and "secret@" not in str(e.value)


def test_push_never_prints_credentials(bad_build):
    from kg import push
    assert push.redact("https://alice:s3cret-pw@example.org:8443/store?x=1") == "https://example.org:8443/store?x=1"
    # a closed port on this machine: the connection fails at once
    with pytest.raises(push.PushError) as e:
        push.push(bad_build[0], "http://alice:s3cret-pw@127.0.0.1:9/store", retries=0, wait=0)
    assert "s3cret-pw" not in str(e.value) and "alice" not in str(e.value)
    with pytest.raises(push.PushError) as e:
        push.push(bad_build[0], "http://127.0.0.1:9/store", user="alice", password="s3cret-pw", retries=0, wait=0)
    assert "s3cret-pw" not in str(e.value)
