"""Queries that cannot run away or harm: a timeout and Ctrl-C stop them at once, SERVICE is refused
unless asked for, control characters are escaped on a terminal, a corrupt store or an absurd limit
gets one line."""
import os
import pty
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from conftest import CORPUS, ROOT
from kg.cli import main
from test_build_safety import built

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


def kg(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return built(tmp_path_factory.mktemp("small") / "out", CORPUS / "15_nanyang.txt")


def one_error_line(result) -> str:
    assert result.exit_code != 0 and "Traceback" not in result.output, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


def test_a_runaway_query_stops_at_its_timeout(small):
    start = time.monotonic()
    line = one_error_line(kg("query", "--timeout", "1", RUNAWAY, "--out", small))
    assert "stopped" in line and time.monotonic() - start < 10


def test_ctrl_c_stops_a_runaway_query_at_once(small):
    run = subprocess.Popen([sys.executable, "-m", "kg.cli", "query", RUNAWAY, "--out", str(small)], cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(2)
    sent = time.monotonic()
    run.send_signal(signal.SIGINT)
    _, err = run.communicate(timeout=10)
    assert time.monotonic() - sent < 3 and run.returncode != 0
    assert b"Traceback" not in err and len(err.strip().splitlines()) == 1, err


class Recorder(BaseHTTPRequestHandler):
    asked: list = []

    def do_GET(self):
        Recorder.asked.append(self.path)
        self.send_response(500)
        self.end_headers()

    do_POST = do_GET

    def log_message(self, *args):
        pass


def test_service_is_refused_unless_asked_for(small):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{httpd.server_port}/sparql> {{ ?s ?p ?o }} }}"
    try:
        for hidden in (query, query.replace("SERVICE", "service"), "# a comment\n" + query):
            assert "--allow-service" in one_error_line(kg("query", hidden, "--out", small))
        assert Recorder.asked == []
        assert kg("query", 'SELECT ?s WHERE { ?s ?p "SERVICE" } # SERVICE', "--out", small).exit_code == 0
        kg("query", query, "--allow-service", "--out", small)
        assert Recorder.asked                              # asked for: it went
    finally:
        httpd.shutdown()


def test_control_characters_are_escaped_on_a_terminal(small):
    query = 'SELECT ?label WHERE { BIND("临清\\u001b[2J\\u001b]0;pwned\\u0007市\\u202e" AS ?label) }'
    controller, terminal = pty.openpty()
    run = subprocess.Popen([sys.executable, "-m", "kg.cli", "query", query, "--out", str(small)], cwd=ROOT,
                           stdout=terminal, stderr=subprocess.PIPE)
    os.close(terminal)
    assert run.wait(timeout=30) == 0, run.stderr.read()
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    text = shown.decode("utf-8")
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "临清\\x1b[2J\\x1b]0;pwned\\x07市\\u202e" in text
    piped = kg("query", query, "--out", small, "--format", "csv")      # not a terminal: the data as it is
    assert "pwned\x07市" in piped.output


def test_a_corrupt_store_gets_one_line_and_validate_notices_it(tmp_path):
    out = built(tmp_path / "out", CORPUS / "15_nanyang.txt")
    (out / "store" / "CURRENT").write_text("garbage\n")
    for command in (["query", "ASK {}"], ["show", "南阳市"], ["viz"], ["export", "--format", "csv", "-o", tmp_path / "x"]):
        assert "not readable" in one_error_line(kg(*command, "--out", out)), command
    result = kg("validate", "--out", out)
    assert result.exit_code == 1 and "not readable" in result.output and "Traceback" not in result.output


def test_a_damaged_block_gets_one_line_and_validate_notices_it(tmp_path):
    """A store that opens but has a flipped byte in its data: found when read, never a traceback or a hang."""
    out = built(tmp_path / "out", CORPUS / "15_nanyang.txt")
    for table in (out / "store").glob("*.sst"):
        if table.stat().st_size > 4096:                 # a data block begins the file
            data = bytearray(table.read_bytes())
            data[10] ^= 0xFF
            table.write_bytes(bytes(data))
    count = ["query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--timeout", "2"]   # oxigraph's COUNT never ends
    for command in (["query", "SELECT * WHERE { ?s ?p ?o }"], ["show", "南阳市"], count):
        assert "not readable" in one_error_line(kg(*command, "--out", out)), command
    result = kg("validate", "--out", out)
    assert result.exit_code == 1 and "not readable" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("limit", ["99999999999999999999999", "-1", "lots"])
@pytest.mark.parametrize("command", [["metrics"], ["show", "南阳市"], ["similar", "南阳市"], ["spread"]])
def test_an_absurd_limit_gets_one_line(small, command, limit):
    result = kg(*command, "--limit", limit, "--out", small)
    assert result.exit_code == 2 and "Traceback" not in result.output and "--limit" in result.output


ENDLESS = "SELECT ?a ?b ?f WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"   # 10^12 rows on a small build


def rss_kib(pid: int) -> int:
    """Resident memory of a process and its children (the query's child), in KiB."""
    pids = [pid, *map(int, open(f"/proc/{pid}/task/{pid}/children").read().split())]
    return sum(int(next(line.split()[1] for line in open(f"/proc/{p}/status") if line.startswith("VmRSS")))
               for p in pids)


@pytest.mark.parametrize("fmt, query, megabytes", [
    ("csv", ENDLESS, 8), ("table", ENDLESS, 2), ("sparql-tsv", ENDLESS, 8),
    ("ntriples", ENDLESS.replace("SELECT ?a ?b ?f", "CONSTRUCT { [] ?b ?f }"), 8)])
def test_rows_stream_as_they_come_in_flat_memory(small, fmt, query, megabytes):
    """The first rows are printed while the query runs, and megabytes of them leave memory where it was."""
    run = subprocess.Popen([sys.executable, "-m", "kg.cli", "query", query, "--format", fmt, "--out", str(small)],
                           cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        first = run.stdout.read(1 << 20)
        assert run.poll() is None and first.count(b"\n") > 1000     # rows, and the query goes on
        early = rss_kib(run.pid)
        for _ in range(megabytes):
            assert run.stdout.read(1 << 20)
        assert rss_kib(run.pid) < early + 30_000, (early, rss_kib(run.pid))
        run.send_signal(signal.SIGINT)
        _, err = run.communicate(timeout=10)
        assert run.returncode != 0 and b"Traceback" not in err
    finally:
        run.kill()
        run.wait()


def test_a_reader_that_stops_early_stops_the_query(small):
    """`kg query … | head -1`: kg ends at once, quietly, and so does its query."""
    start = time.monotonic()
    shell = subprocess.run(f"{sys.executable} -m kg.cli query '{ENDLESS}' --format csv --out {small} | head -1",
                           shell=True, cwd=ROOT, capture_output=True, timeout=60)
    assert shell.stdout == b"a,b,f\n" and shell.stderr == b"" and time.monotonic() - start < 20
