"""Builds in every mode give the same graph; rebuilds are incremental; a large build pushes to a live server."""
import json
import shutil

import pyoxigraph
import pytest

from conftest import CORPUS, GOLD, run_build
from kg.synthetic import load_templates, write_jsonl
from kg.store import read_nquads
from test_push import server, server_quads  # noqa: F401  (the live Oxigraph fixture)


def quads(out) -> set:
    return set(read_nquads(out / "graph.nq.gz"))


def report(out) -> dict:
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


def test_jobs_and_dask_give_the_same_graph(tmp_path):
    one = run_build([CORPUS, "--jobs", "1"], tmp_path / "one")
    two = run_build([CORPUS, "--jobs", "2"], tmp_path / "two")
    dask = run_build([CORPUS, "--engine", "dask", "--jobs", "2"], tmp_path / "dask")
    assert quads(one) == quads(two) == quads(dask)


def test_rebuilds_extract_only_what_changed(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    out = run_build([corpus, "--jobs", "1"], tmp_path / "out")
    before = quads(out)
    run_build([corpus, "--jobs", "1"], out)
    assert (report(out)["extracted"], report(out)["reused"]) == (0, 24)
    assert quads(out) == before
    changed = corpus / "02_hailing.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("海陵区", "海陵区", 1) + "\n另推行“码上办”平台，办件1200件。\n",
                       encoding="utf-8")
    (corpus / "09_linze.txt").unlink()
    run_build([corpus, "--jobs", "1"], out)
    r = report(out)
    assert (r["extracted"], r["reused"], r["removed"]) == (1, 22, 2)
    graphs = {q.graph_name for q in quads(out)}
    assert len(graphs) == 23 and len(graphs - {q.graph_name for q in before}) == 1


@pytest.fixture(scope="module")
def large_corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic")
    write_jsonl(folder, load_templates(CORPUS, GOLD), 2000, seed=7, per_file=500)
    return folder


def test_a_few_thousand_articles_in_every_mode_and_pushed_twice(tmp_path, large_corpus, server):  # noqa: F811
    local = run_build([large_corpus, "--jobs", "2"], tmp_path / "local")
    dask = run_build([large_corpus, "--engine", "dask", "--jobs", "2"], tmp_path / "dask")
    expected = quads(local)
    assert report(local)["articles"] == 2000 and expected == quads(dask)
    run_build([large_corpus, "--jobs", "2"], local)
    assert report(local)["extracted"] == 0 and quads(local) == expected
    from kg.push import push
    for _ in range(2):
        push(local, server + "/store")
        assert len(server_quads(server)) == len(expected)
