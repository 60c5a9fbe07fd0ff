"""Every readable byte is read: odd file names and file kinds, stray bytes, UTF-32, JSON lines holding
line separators, JSONL too large to hold, invisible characters, an earlier build inside the inputs."""
import errno
import json
import os
import shutil
import signal

import pytest

from conftest import CORPUS
from kg import decode, ingest
from kg.articles import articles_from_text
from kg.extract import extract
from test_build_safety import built, report

BODY = (CORPUS / "15_nanyang.txt").read_text(encoding="utf-8")
OTHER = (CORPUS / "17_meitan.txt").read_text(encoding="utf-8")


def read(*paths):
    problems = []
    return list(ingest.read(paths, problems)), problems


@pytest.fixture
def no_hang():
    """A test that would hang (reading a FIFO) fails instead."""
    def stop(*_):
        raise TimeoutError("reading hung")
    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def test_file_names_in_any_bytes_are_read_and_reported(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.txt").write_text(OTHER, encoding="utf-8")
    gbk, latin = os.fsencode(folder) + "/宁津县.txt".encode("gbk"), os.fsencode(folder) + b"/caf\xe9\xff.txt"
    for name, text in ((gbk, BODY), (latin, (CORPUS / "14_mianyang.txt").read_text(encoding="utf-8"))):
        with open(name, "wb") as f:
            f.write(text.encode("utf-8"))
    out = built(tmp_path / "out", folder)
    files = {os.path.basename(f["file"]): f["status"] for f in report(out)["files"]}
    assert files == {"ok.txt": "read", "宁津县.txt": "read", "caf\\xe9\\xff.txt": "read"}
    assert report(out)["articles"] == 3


def test_pipes_devices_links_and_unlistable_folders_are_reported_and_never_hang(tmp_path, monkeypatch, no_hang):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.txt").write_text(OTHER, encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    (folder / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "back").symlink_to(folder)                    # a folder link that loops
    (folder / "locked").mkdir()
    (folder / "locked" / "a.txt").write_text(BODY, encoding="utf-8")
    scandir = os.scandir

    def refusing(path="."):                                # we run as root: chmod 000 does not stop us
        if os.fspath(path).endswith("locked"):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    found, problems = read(folder, "/dev/zero")
    assert [a.source for a in found] == [str(folder / "ok.txt")]
    reasons = {os.path.basename(p.source): p.reason for p in problems}
    assert reasons == {"pipe.txt": "a named pipe, not a file (skipped)",
                       "dangling.txt": "cannot read: No such file or directory",
                       "loop.txt": "cannot read: Too many levels of symbolic links",
                       "back": ingest.SKIPPED,
                       "locked": "cannot list this folder: Permission denied",
                       "zero": "a device, not a file (skipped)"}


def test_utf8_with_stray_bytes_is_read_and_the_bytes_reported_by_line(tmp_path):
    f = tmp_path / "stray.txt"
    lines = [max(BODY.split("\n"), key=len).encode("utf-8"), b"", "德州市".encode("utf-8") + "宁津县".encode("gbk") + "推行“零基预算”改革。".encode("utf-8"),
             b"", "压减支出".encode("utf-8") + b"\xff" + "1860万元。".encode("utf-8")]
    f.write_bytes(b"\n".join(lines))
    found, problems = read(f)
    assert len(found) == 1 and "德州市宁津县推行" in found[0].text and "压减支出\ufffd1860万元" in found[0].text
    assert [(p.line, p.reason.split(",")[0]) for p in problems] == [(3, "6 bytes that are not UTF-8"),
                                                                     (5, "1 byte that is not UTF-8 (replaced by U+FFFD)")]


@pytest.mark.parametrize("encoding", ["utf-32", "utf-32-be"])
def test_utf32_with_a_byte_order_mark_is_text(tmp_path, encoding):
    data = BODY.encode(encoding)
    if encoding == "utf-32-be":
        data = b"\x00\x00\xfe\xff" + data
    assert decode.decode(data) == BODY


def test_every_json_line_is_a_record_whatever_its_strings_hold(tmp_path):
    f = tmp_path / "feed.jsonl"
    texts = [BODY.replace("。", "。\u2028", 1), OTHER.replace("。", "。\u2029\x85\x0c", 1)]
    f.write_text("".join(json.dumps({"id": str(n), "text": t}, ensure_ascii=False) + "\n" for n, t in enumerate(texts)),
                 encoding="utf-8")
    found, problems = read(f)
    assert problems == [] and [a.source.rsplit("#")[1] for a in found] == ["0", "1"]


def test_a_jsonl_file_too_large_to_hold_is_streamed(tmp_path, monkeypatch):
    f = tmp_path / "big.jsonl"
    records = [json.dumps({"id": "a", "text": BODY}, ensure_ascii=False).encode(),
               json.dumps({"id": "b", "text": OTHER.replace("。", "。\u2028", 1)}, ensure_ascii=False).encode()
               .replace("，".encode(), b"\xff", 1), b"not json"]
    f.write_bytes(b"\n".join(records) + b"\n")
    monkeypatch.setattr(ingest, "MAX_BYTES", 1000)
    found, problems = read(f)
    assert [a.source.rsplit("#")[1] for a in found] == ["a", "b"]
    assert sorted(p.line for p in problems) == [2, 3]
    whole = tmp_path / "big.txt"
    whole.write_bytes(b"x" * 2000)
    assert read(whole)[1][0].reason.startswith("file larger than")


def test_invisible_characters_never_hide_a_place_or_a_title():
    marks = "\u200b\u200c\u200d\u200e\u200f\u202a\u202c\u2060\u2066\u2069\u00ad\ufeff"
    hidden = "临" + marks + "清市"
    text = f"{hidden}推行“零基预算”改革\n\n{hidden}财政局推行“零基预算”改革，压减支出1860万元。\n"
    article, = articles_from_text(text, "marks.txt")
    assert article.title == "临清市推行“零基预算”改革"
    assert extract(article).locality.name == "临清市"
    jsonl, = articles_from_text(BODY, "f.jsonl#1", title="宛城区" + marks)
    assert jsonl.title == "宛城区"


def test_an_earlier_build_inside_the_inputs_is_skipped(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(BODY, encoding="utf-8")
    built(folder / "old build", folder / "a.txt")
    (folder / "old build" / "view.html").write_text("<p>江山市推行零基预算改革。</p>", encoding="utf-8")
    shutil.copytree(folder / "old build", folder / "copied", symlinks=False)   # a copy of one, links resolved
    out = built(tmp_path / "out", folder)
    assert report(out)["articles"] == 1
    skipped = {os.path.basename(p["source"]) for p in report(out)["problems"] if p["reason"] == ingest.BUILD_FOLDER}
    assert skipped == {"old build", "copied"}
    problems = []
    assert list(ingest.read([folder / "copied"], problems)) == [] and problems[0].reason == ingest.BUILD_FOLDER


def test_a_path_longer_than_path_max_is_reported_and_the_rest_read(tmp_path, monkeypatch):
    (tmp_path / "ok.txt").write_text(OTHER, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for _ in range(os.pathconf(".", "PC_PATH_MAX") // 200 + 1):
        os.mkdir("d" * 200)
        os.chdir("d" * 200)
    with open("a.txt", "w", encoding="utf-8") as f:
        f.write(BODY)
    monkeypatch.chdir(tmp_path)
    found, problems = read(tmp_path)
    assert [os.path.basename(a.source) for a in found] == ["ok.txt"]
    assert [p.reason for p in problems] == ["cannot list this folder: File name too long"]
