"""Push a build to a SPARQL server through the SPARQL 1.1 Graph Store HTTP Protocol.

Every article's named graph is PUT to `ENDPOINT?graph=IRI`, so pushing twice leaves the
same data (PUT replaces a graph). DIR/pushed.json remembers which graphs each push put on each
endpoint; after a rebuild, a push DELETEs the graphs of the previous push that the build no
longer has, and no other: the graphs of others on the server are never touched. The URL forms of Oxigraph (`…/store`), Fuseki
(`…/dataset/data`) and GraphDB (`…/repositories/R/rdf-graphs/service`) all take the
graph as that `graph` parameter. Transient failures (connection errors, 5xx, 429) are
retried a bounded number of times with backoff. Credentials travel only in the
Authorization header and never appear in messages.
"""
from __future__ import annotations

import base64
import itertools
import json
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Callable, Iterator

import pyoxigraph

from . import outdir, store
from .outdir import replaced_whole

RETRYABLE = {429, 500, 502, 503, 504}


class PushError(Exception):
    """A push that cannot go on; the message is safe to print."""


def redact(url: str) -> str:
    """The URL without any user or password in it."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def check_endpoint(endpoint: str) -> str:
    """The endpoint of a Graph Store, to which each article graph is sent as `?graph=IRI`.

    Anything that would send a request to another resource is refused: a fragment (`…/store#`
    would send a bare PUT /store, replacing the server's whole dataset), a query that already names
    a graph (`graph=`, `default`), a port out of range, a scheme other than http(s).
    """
    shown = endpoint.rsplit("@", 1)[-1]  # whatever stands before an @ may be a password
    try:
        parts = urllib.parse.urlsplit(endpoint)
        parts.port
    except ValueError as e:
        raise PushError(f"refusing endpoint {shown!r}: {e}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PushError(f"refusing endpoint {shown!r}: only http(s) URLs are accepted")
    if "#" in endpoint:
        raise PushError(f"refusing endpoint {shown!r}: a fragment (#…) is no part of a Graph Store endpoint")
    named = {k for k, _ in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)} & {"graph", "default"}
    if named:
        raise PushError(f"refusing endpoint {shown!r}: it names a graph already ({', '.join(sorted(named))}); "
                        "give the store's endpoint, and kg adds ?graph= for each article graph")
    return endpoint


def graph_url(endpoint: str, graph: str) -> str:
    """The Graph Store Protocol URL of one named graph: the endpoint's query with `graph` added."""
    parts = urllib.parse.urlsplit(endpoint)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True) + [("graph", graph)]
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, urllib.parse.urlencode(query), ""))


def named_graphs(out_dir: Path) -> Iterator[tuple]:
    """(graph IRI, N-Triples bytes) for every article graph of a build, streamed from its graph.nq.gz.

    A build writes each article graph as one run of lines, so a run is a graph; a graph.nq.gz in
    another order (sorted, say) is gathered graph by graph through a temporary on-disk store.
    """
    nquads = Path(out_dir) / outdir.NQUADS
    if not nquads.is_file():
        raise PushError(f"no build in {out_dir}: run kg build first")
    try:
        if _in_runs(nquads):
            quads = store.read_nquads(nquads)
            for graph, run in itertools.groupby(quads, key=lambda q: q.graph_name):
                if isinstance(graph, pyoxigraph.NamedNode):
                    yield graph.value, _ntriples(q.triple for q in run)
            return
        with tempfile.TemporaryDirectory(prefix="kg-push-") as folder:
            st = pyoxigraph.Store(folder)
            st.bulk_extend(store.read_nquads(nquads))
            for graph in sorted(st.named_graphs(), key=lambda g: g.value):
                if isinstance(graph, pyoxigraph.NamedNode):
                    yield graph.value, _ntriples(q.triple for q in st.quads_for_pattern(None, None, None, graph))
            del st
    except SyntaxError as e:
        raise PushError(f"{nquads} is not readable N-Quads: {str(e).splitlines()[0]}; build again") from None


def _ntriples(triples) -> bytes:
    return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES) or b""


def _in_runs(nquads: Path) -> bool:
    """Whether each graph of an N-Quads file is one run of lines."""
    seen: set = set()
    last = None
    for q in store.read_nquads(nquads):
        if q.graph_name != last:
            if q.graph_name in seen:
                return False
            seen.add(q.graph_name)
            last = q.graph_name
    return True


LEDGER = "pushed.json"   # in DIR, beside the builds: endpoint -> the graphs the last push put there


def _ledger(out_dir: Path) -> dict:
    try:
        ledger = json.loads((Path(out_dir) / LEDGER).read_text(encoding="utf-8"))
        return ledger if isinstance(ledger, dict) else {}
    except (OSError, ValueError):
        return {}


def _record(out_dir: Path, endpoint: str, graphs: set) -> None:
    """Remember the graphs that a push has put on `endpoint` and not removed (staged and renamed whole)."""
    ledger = _ledger(out_dir) | {endpoint: sorted(graphs)}
    with replaced_whole(Path(out_dir) / LEDGER) as stream:
        stream.write(json.dumps(ledger, ensure_ascii=False, indent=1).encode("utf-8"))


def _send(method: str, url: str, body: bytes | None, auth: str | None, retries: int, wait: float) -> None:
    """One Graph Store request, tried again after transient failures; a DELETE of a graph the server
    no longer has (404) is done."""
    headers = {"Content-Type": "application/n-triples"} if body is not None else {}
    if auth:
        headers["Authorization"] = auth
    for attempt in range(retries + 1):
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
            return
        except urllib.error.HTTPError as e:
            if method == "DELETE" and e.code == 404:
                return
            if e.code not in RETRYABLE or attempt == retries:
                raise PushError(f"{redact(url)}: the server answered {e.code} {e.reason}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as e:
            if attempt == retries:
                reason = getattr(e, "reason", e)
                raise PushError(f"{redact(url)}: {reason} (after {retries + 1} tries)") from None
        time.sleep(wait * 2 ** attempt)


def push(out_dir: Path, endpoint: str, *, user: str | None = None, password: str | None = None,
         retries: int = 3, wait: float = 0.5, progress: Callable[[int], None] | None = None) -> dict:
    """PUT every article graph of the build in `out_dir`, then DELETE the graphs the previous push to this
    endpoint put there that the build no longer has; returns counts of graphs and triples sent, graphs removed.

    A push that fails says how many graphs went; what it sent is remembered, so pushing again completes it.
    """
    check_endpoint(endpoint)
    parts = urllib.parse.urlsplit(endpoint)
    if parts.username:  # credentials written into the URL move to the header
        user = user or urllib.parse.unquote(parts.username)
        password = password or urllib.parse.unquote(parts.password or "")
        endpoint = redact(endpoint)
    auth = None
    if user is not None:
        token = base64.b64encode(f"{user}:{password or ''}".encode("utf-8")).decode("ascii")
        auth = f"Basic {token}"
    shown = redact(endpoint)
    before = set(_ledger(out_dir).get(shown, []))
    graphs = [graph for graph, _ in named_graphs(out_dir)]
    total = len(graphs)
    sent: set = set()
    triples = removed = 0
    stale: list = []
    try:
        for graph, body in named_graphs(out_dir):
            _send("PUT", graph_url(endpoint, graph), body, auth, retries, wait)
            sent.add(graph)
            triples += body.count(b"\n")
            if progress:
                progress(1)
        stale = sorted(before - sent)
        for graph in stale:
            _send("DELETE", graph_url(endpoint, graph), None, auth, retries, wait)
            before.discard(graph)
            removed += 1
    except PushError as e:
        _record(out_dir, shown, before | sent)
        if len(sent) < total:
            missing = [g for g in graphs if g not in sent]
            raise PushError(f"{e}; {len(sent)} of {total} article graphs were sent, {len(missing)} were not "
                            f"({missing[0]}{' …' if len(missing) > 1 else ''}): push again to send them") from None
        raise PushError(f"{e}; all {total} article graphs were sent, {removed} of {len(stale)} graphs of the previous push "
                        "that the build no longer has were removed: push again to remove them") from None
    _record(out_dir, shown, sent)
    return {"graphs": len(sent), "triples": triples, "removed": removed}
