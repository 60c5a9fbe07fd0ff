"""Builds never destroy what is there: failures, empty inputs, two builds at once, kills and full disks
leave DIR holding one whole build, the previous or the new; a manifest that does not match is rebuilt."""
import errno
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner

from conftest import CORPUS, ROOT
from kg import build, outdir, questions, store, viz
from kg.cli import main
from kg.store import read_nquads
from kg.validate import validate_build

A, B, C = (CORPUS / n for n in ("15_nanyang.txt", "17_meitan.txt", "14_mianyang.txt"))


def kg(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def built(out: Path, *inputs, add=False) -> Path:
    result = kg("build", *inputs, "--out", out, "--jobs", 1, *(["--add"] if add else []))
    assert result.exit_code == 0, result.output
    return out


def state(out: Path) -> dict:
    """What a reader of DIR sees: every output file, the store's statements, the summary's rows."""
    seen = {name: (out / name).read_bytes() for name in ("graph.ttl", "graph.nq.gz", "graph.html", "report.json",
                                                          "manifest.json")}
    st = store.connect(out)
    seen["store"] = sorted(map(str, st))
    del st
    db = sqlite3.connect(f"file:{out / 'summary.sqlite'}?mode=ro", uri=True)
    seen["summary.sqlite"] = list(db.iterdump())
    db.close()
    return seen


def sorted_quads(out: Path) -> list:
    return sorted(map(str, read_nquads(out / "graph.nq.gz")))


def report(out: Path) -> dict:
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


def test_a_build_that_reads_nothing_leaves_the_previous_build(tmp_path):
    out = built(tmp_path / "out", A, B)
    before = state(out)
    empty = tmp_path / "empty"
    empty.mkdir()
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    for nothing in (empty, binary):
        result = kg("build", nothing, "--out", out)
        assert result.exit_code == 1 and "no article could be read" in result.output, result.output
        assert "Traceback" not in result.output
        assert state(out) == before
    result = kg("build", empty, "--out", tmp_path / "new")
    assert result.exit_code == 1 and not (tmp_path / "new").exists()


@pytest.mark.parametrize("where", ["store.load_turtle", "viz.write_html", "questions.summarise", "json.dump"])
def test_a_full_disk_at_any_file_leaves_the_previous_build(tmp_path, monkeypatch, where):
    out = built(tmp_path / "out", A)
    before = state(out)
    owner, name = where.split(".")
    target = {"store": store, "viz": viz, "questions": questions, "json": json}[owner]

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(target, name, full)
    result = kg("build", A, B, "--out", out, "--jobs", 1)
    assert result.exit_code == 1 and "No space left on device" in result.output, result.output
    monkeypatch.undo()
    assert state(out) == before
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [os.readlink(out / "current")]
    built(out, A, B)
    assert report(out)["articles"] == 2


def test_the_summary_line_counts_and_add_keeps_the_articles_not_named(tmp_path):
    out = built(tmp_path / "out", A, B)
    result = kg("build", C, "--out", out, "--jobs", 1)
    assert "1 article (1 extracted, 0 reused, 2 removed)" in result.output, result.output
    result = kg("build", A, B, "--out", out, "--jobs", 1, "--add")
    assert "3 articles (2 extracted, 1 reused, 0 removed)" in result.output, result.output
    assert sorted_quads(out) == sorted_quads(built(tmp_path / "clean", A, B, C))


def test_a_second_build_into_the_same_folder_refuses(tmp_path):
    out = built(tmp_path / "out", A)
    before = state(out)
    with outdir.locked(out):           # a build holds DIR
        result = kg("build", B, "--out", out)
    assert result.exit_code == 1 and "another build is writing to" in result.output, result.output
    assert state(out) == before
    built(out, B)                      # released when the holder ends


def test_two_builds_at_once_the_second_refuses_and_the_first_completes(tmp_path):
    out = built(tmp_path / "out", A)
    command = [sys.executable, "-m", "kg.cli", "build", "--out", str(out), "--jobs", "1"]
    first = subprocess.Popen(command + [str(CORPUS)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    while len(list(out.glob(outdir.GENERATION + "*"))) < 2:     # the first is writing its generation
        assert first.poll() is None, first.communicate()
        time.sleep(0.05)
    second = subprocess.run(command + [str(B)], cwd=ROOT, capture_output=True)
    assert second.returncode == 1 and b"another build is writing to" in second.stderr, second.stderr
    assert first.wait(timeout=300) == 0, first.communicate()
    assert report(out)["articles"] == 24 and store.triples(store.connect(out)) == report(out)["triples"]


def killed_build(out: Path, point: str, *inputs) -> None:
    env = dict(os.environ, KG_FAULT_AT=point)
    run = subprocess.run([sys.executable, "-m", "kg.cli", "build", *map(str, inputs), "--out", str(out),
                          "--jobs", "1"], env=env, cwd=ROOT, capture_output=True)
    assert run.returncode == -9, run.stderr.decode()


@pytest.mark.parametrize("point", ["extracted", "summary.sqlite", "swap", "swapped"])
def test_a_build_killed_at_any_point_leaves_one_whole_build(tmp_path, point):
    out = built(tmp_path / "out", A)
    before = state(out)
    reference = tmp_path / "reference"
    shutil.copytree(out, reference, symlinks=True)
    after = state(built(reference, A, B))
    killed_build(out, point, A, B)
    assert state(out) == (after if point == "swapped" else before)
    built(out, A, B)                   # the lock went with the killed process; what it left is cleared
    assert sorted_quads(out) == sorted_quads(reference)
    assert state(out)["store"] == after["store"]
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [os.readlink(out / "current")]


def _offsets(out):
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for record in manifest["articles"].values():
        record["graph"][0] += 1
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def _null_record(out):
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["articles"] = {k: None for k in manifest["articles"]}
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def _flipped_byte(out):
    data = bytearray((out / "graph.nq.gz").read_bytes())
    data[len(data) // 2] ^= 0x20
    (out / "graph.nq.gz").write_bytes(bytes(data))


def _cut(out):
    data = (out / "graph.nq.gz").read_bytes()
    (out / "graph.nq.gz").write_bytes(data[: len(data) // 3])


def _not_json(out):
    (out / "manifest.json").write_text("{", encoding="utf-8")


@pytest.mark.parametrize("damage", [_offsets, _null_record, _flipped_byte, _cut, _not_json])
def test_a_manifest_that_does_not_match_means_a_full_rebuild(tmp_path, damage):
    out = built(tmp_path / "out", A, B)
    damage(out)
    result = kg("build", A, B, "--out", out, "--jobs", 1)
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    assert "every article is extracted again" in result.output
    assert "2 articles (2 extracted, 0 reused" in result.output
    assert sorted_quads(out) == sorted_quads(built(tmp_path / "clean", A, B))


def test_a_build_of_an_earlier_version_is_replaced_whole(tmp_path):
    """A folder of plain files (kg before generations) becomes links to one generation."""
    out = built(tmp_path / "out", A)
    legacy = tmp_path / "legacy"
    legacy.mkdir()
    for name in outdir.OUTPUTS:
        source = out / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, legacy / name)
    built(legacy, A, B)
    assert all((legacy / name).is_symlink() for name in outdir.OUTPUTS)
    assert report(legacy)["articles"] == 2 and store.triples(store.connect(legacy)) == report(legacy)["triples"]


def test_a_build_over_one_with_graph_nq_leaves_no_dangling_link(tmp_path):
    """graph.nq of a build before graph.nq.gz: its link through DIR/current goes with the build it named,
    while any other file of the user's in DIR stays."""
    out = built(tmp_path / "out", A)
    (out / "graph.nq").symlink_to("current/graph.nq")
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    built(out, A, B)
    assert not os.path.lexists(out / "graph.nq") and (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert len(list(read_nquads(out / "graph.nq.gz"))) > 0


def test_graph_nq_gz_that_is_not_gzip_is_reported_not_raised(tmp_path):
    out = built(tmp_path / "out", A)
    (out / "graph.nq.gz").write_bytes(b"<a> <b> <c> <g> .\n")
    conforms, text = validate_build(out)
    assert not conforms and "not readable N-Quads" in text and "not gzip" in text
