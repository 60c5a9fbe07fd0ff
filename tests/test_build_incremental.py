"""Incremental builds equal clean builds: whatever changed in the inputs, a rebuild into the folder of
the last build gives the graph a build of the same inputs into an empty folder gives."""
import json
import shutil
from pathlib import Path

import pytest

from conftest import CORPUS
from kg import build
from test_build_safety import built, report, sorted_quads

BODY = (CORPUS / "15_nanyang.txt").read_text(encoding="utf-8")
OTHER = (CORPUS / "17_meitan.txt").read_text(encoding="utf-8")
LINE = {"id": "x1", "title": "南阳市推行“一业一证”改革", "date": "2024-03-01", "text": BODY}


def write(folder: Path, files: dict) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def jsonl(*records) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


EDITS = {
    "body": ({"a.txt": BODY, "b.txt": OTHER}, {"a.txt": BODY.replace("5860张", "6860张"), "b.txt": OTHER}),
    "title line": ({"a.txt": "南阳市“一业一证”改革见实效\n\n" + BODY},
                   {"a.txt": "淅川县“一业一证”改革见实效\n\n" + BODY}),
    "title line added": ({"a.txt": BODY}, {"a.txt": "南阳市“一业一证”改革见实效\n\n" + BODY}),
    "file renamed": ({"a.txt": BODY, "b.txt": OTHER}, {"c.txt": BODY, "b.txt": OTHER}),
    "same body in another file": ({"a.txt": BODY}, {"0.txt": BODY, "a.txt": BODY}),
    "jsonl title": ({"f.jsonl": jsonl(LINE)}, {"f.jsonl": jsonl(LINE | {"title": "宛城区推行“一业一证”改革"})}),
    "jsonl date": ({"f.jsonl": jsonl(LINE)}, {"f.jsonl": jsonl(LINE | {"date": "2019-05-06"})}),
    "jsonl id": ({"f.jsonl": jsonl(LINE)}, {"f.jsonl": jsonl(LINE | {"id": "x2"})}),
    "line moved": ({"f.jsonl": jsonl(LINE, {"id": "x2", "text": OTHER})},
                   {"f.jsonl": jsonl({"id": "x2", "text": OTHER}, LINE)}),
}


@pytest.mark.parametrize("edit", EDITS)
def test_a_rebuild_after_an_edit_equals_a_clean_build(tmp_path, edit):
    before, after = EDITS[edit]
    out = built(tmp_path / "out", write(tmp_path / "in", before))
    first = sorted_quads(out)
    built(out, write(tmp_path / "in", after))
    clean = built(tmp_path / "clean", tmp_path / "in")
    assert sorted_quads(out) == sorted_quads(clean)
    assert (sorted_quads(out) == first) == (edit == "line moved")   # the edit shows in the graph
    assert sorted(map(json.dumps, report(out)["inputs"])) == sorted(map(json.dumps, report(clean)["inputs"]))


def test_another_extractor_extracts_every_article_again(tmp_path, monkeypatch):
    folder = write(tmp_path / "in", {"a.txt": BODY, "b.txt": OTHER})
    out = built(tmp_path / "out", folder)
    assert report(built(out, folder))["reused"] == 2
    monkeypatch.setattr(build, "fingerprint", lambda: "another version of kg")
    assert (report(built(out, folder))["extracted"], report(out)["reused"]) == (2, 0)
