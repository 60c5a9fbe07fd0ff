"""Pushes are exact: after a rebuild the server holds the build's article graphs and the graphs of
others, nothing else; any N-Quads order pushes the same; a failed push says how far it went."""
import gzip
import random
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph
import pytest
from click.testing import CliRunner

from conftest import CORPUS
from kg.cli import main
from kg.push import push
from kg.store import read_nquads
from test_build_safety import built
from test_push import put_graph, server, server_quads  # noqa: F401  (the live Oxigraph fixture)

A, B, C = (CORPUS / n for n in ("15_nanyang.txt", "17_meitan.txt", "14_mianyang.txt"))
THEIRS = "<http://example.org/s> <http://example.org/p> \"kept\" .\n"


def build_quads(out) -> set:
    return set(read_nquads(out / "graph.nq.gz"))


def test_a_push_after_a_rebuild_leaves_exactly_the_build_and_the_graphs_of_others(server, tmp_path):  # noqa: F811
    put_graph(server, "http://example.org/theirs", THEIRS)
    theirs = server_quads(server)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(A.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "b.txt").write_text(B.read_text(encoding="utf-8"), encoding="utf-8")
    out = built(tmp_path / "out", folder)
    push(out, server + "/store")
    assert server_quads(server) == theirs | build_quads(out)
    (folder / "a.txt").write_text(A.read_text(encoding="utf-8").replace("5860张", "6860张"), encoding="utf-8")
    (folder / "b.txt").unlink()
    (folder / "c.txt").write_text(C.read_text(encoding="utf-8"), encoding="utf-8")
    built(out, folder)
    sent = push(out, server + "/store")
    assert (sent["graphs"], sent["removed"]) == (2, 2)       # a's old graph and b's
    assert server_quads(server) == theirs | build_quads(out)


def test_any_order_of_the_nquads_pushes_the_same(server, tmp_path):  # noqa: F811
    out = built(tmp_path / "out", A, B)
    lines = gzip.decompress((out / "graph.nq.gz").read_bytes()).splitlines(keepends=True)
    random.Random(1).shuffle(lines)
    (out / "graph.nq.gz").write_bytes(gzip.compress(b"".join(lines)))
    sent = push(out, server + "/store")
    assert sent["graphs"] == 2 and server_quads(server) == build_quads(out)


class Stub(BaseHTTPRequestHandler):
    """A Graph Store that holds graphs in memory and fails every request after `budget` of them."""

    graphs: dict = {}
    budget = 0

    def _graph(self) -> str:
        return urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["graph"][0]

    def _answer(self, code: int) -> None:
        self.send_response(code)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_PUT(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if Stub.budget <= 0:
            return self._answer(400)
        Stub.budget -= 1
        Stub.graphs[self._graph()] = body
        self._answer(204)

    def do_DELETE(self):
        Stub.graphs.pop(self._graph(), None)
        self._answer(204)

    def log_message(self, *args):
        pass


@pytest.fixture
def stub():
    Stub.graphs = {"http://example.org/theirs": THEIRS.encode()}
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}/store"
    httpd.shutdown()


def test_a_failed_push_says_how_far_it_went_and_a_second_push_completes_it(stub, tmp_path):
    out = built(tmp_path / "out", A, B, C)
    Stub.budget = 1
    result = CliRunner().invoke(main, ["push", stub, "--out", str(out), "--retries", "0"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "1 of 3 article graphs were sent, 2 were not" in result.output, result.output
    Stub.budget = 100
    result = CliRunner().invoke(main, ["push", stub, "--out", str(out)])
    assert result.exit_code == 0 and "3 article graphs" in result.output, result.output
    graphs = {q.graph_name.value for q in build_quads(out)}
    assert set(Stub.graphs) == graphs | {"http://example.org/theirs"}
