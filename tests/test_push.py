"""Pushing a build to a live Oxigraph server (the PyPI package `oxigraph`) over the Graph Store Protocol."""
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph
import pytest

from kg.push import PushError, push
from kg.store import read_nquads

QUERY = ("SELECT ?loc ?label WHERE { GRAPH ?g { ?loc a <https://w3id.org/reformkg/ontology#Locality> ; "
         "<http://www.w3.org/2000/01/rdf-schema#label> ?label } } ORDER BY ?loc ?label")


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("the oxigraph server (pip install oxigraph) is required under CI=true")
        pytest.skip("oxigraph server not installed")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    port = free_port()
    proc = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(tmp_path / "db"),
                             "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1).read()
            break
        except OSError:
            time.sleep(0.1)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


def server_select(base: str, query: str) -> list:
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(base + "/query", data=data,
                                     headers={"Accept": "application/sparql-results+json"})
    rows = json.loads(urllib.request.urlopen(request).read())["results"]["bindings"]
    return [tuple(r[v]["value"] for v in ("loc", "label")) for r in rows]


def server_quads(base: str) -> set:
    request = urllib.request.Request(base + "/store", headers={"Accept": "application/n-quads"})
    body = urllib.request.urlopen(request).read()
    return set(pyoxigraph.parse(body, format=pyoxigraph.RdfFormat.N_QUADS))


def test_pushing_twice_leaves_exactly_the_build(server, seed_build):
    local = pyoxigraph.Store()
    local.extend(read_nquads(seed_build / "graph.nq.gz"))
    expected = set(local)
    for _ in range(2):
        sent = push(seed_build, server + "/store")
        assert sent["graphs"] == 9
        assert server_quads(server) == expected
    answer = [tuple(str(t.value) for t in (s["loc"], s["label"])) for s in local.query(QUERY)]
    assert server_select(server, QUERY) == answer


def test_refuses_other_schemes_and_never_shows_credentials(seed_build):
    with pytest.raises(PushError, match="only http"):
        push(seed_build, "file:///etc/passwd")
    with pytest.raises(PushError) as failure:
        push(seed_build, f"http://bob:s3cret@127.0.0.1:{free_port()}/store", retries=1, wait=0.01)
    assert "s3cret" not in str(failure.value) and "bob" not in str(failure.value)


def test_kg_push_command_with_password_from_the_environment(server, seed_build, monkeypatch):
    from click.testing import CliRunner

    from kg.cli import main

    monkeypatch.setenv("KG_PASSWORD", "pa55word")
    result = CliRunner().invoke(main, ["push", server + "/store", "--out", str(seed_build), "--user", "admin"])
    assert result.exit_code == 0, result.output
    assert "9 article graphs" in result.output and "pa55word" not in result.output
    refused = CliRunner().invoke(main, ["push", "ftp://example.org/store", "--out", str(seed_build)])
    assert refused.exit_code != 0 and "only http" in refused.output and "Traceback" not in refused.output


def put_graph(base: str, graph: str, ntriples: str) -> None:
    url = base + "/store?" + urllib.parse.urlencode({"graph": graph})
    request = urllib.request.Request(url, data=ntriples.encode(), method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
    urllib.request.urlopen(request).read()


@pytest.mark.parametrize("endpoint", ["{base}/store#", "{base}/store#x", "{base}/store?graph=http://x/g",
                                      "{base}/store?default", "http://127.0.0.1:99999/store"])
def test_an_endpoint_that_would_replace_other_data_is_refused(server, seed_build, endpoint):
    """`…/store#` sent a bare PUT /store, which replaces the whole dataset of the server, and exited 0."""
    put_graph(server, "http://example.org/theirs", "<http://example.org/s> <http://example.org/p> \"kept\" .\n")
    before = server_quads(server)
    with pytest.raises(PushError, match="refusing endpoint"):
        push(seed_build, endpoint.format(base=server), retries=0)
    assert server_quads(server) == before


def test_a_push_leaves_the_graphs_of_others_on_the_server(server, seed_build):
    put_graph(server, "http://example.org/theirs", "<http://example.org/s> <http://example.org/p> \"kept\" .\n")
    theirs = server_quads(server)
    push(seed_build, server + "/store?timeout=5")   # a query of the endpoint's own is kept
    assert theirs <= server_quads(server) and len(server_quads(server)) > len(theirs)
