"""The embedded SPARQL store (pyoxigraph) in DIR/store: the questions and `kg query` run on it.

A build bulk-loads it, chunk by chunk, with the Turtle it writes to graph.ttl. Queries go
through pyoxigraph (on a million triples a CONTAINS filter takes 0.16 s, 6.7 s with rdflib).

The store holds the union of the article graphs, in its default graph: what graph.ttl says.
The article graphs themselves are in graph.nq.gz; keeping them in the store too would double
the time to load it.
"""
from __future__ import annotations

import gzip
import itertools
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import RDF, XSD

from .rdf import PREFIXES, TURTLE_HEADER
# the kinds of entity and the relations between them that questions and the network view see
KINDS = {"rk:Locality": "Locality", "rk:Mechanism": "Mechanism", "rk:Metric": "Metric", "rk:Article": "Article",
         "rk:Agency": "Agency", "skos:Concept": "Concept"}
RELATIONS = {"rk:adopts": "adopts", "rk:yields": "yields", "rk:partOf": "partOf", "skos:broader": "broader",
             "rk:jurisdiction": "jurisdiction", "rk:mentions": "mentions"}
EVIDENCED = ("rk:adopts", "rk:yields")   # relations that are also rk:Statements with evidence
_NUMBERS = {str(XSD.integer), str(XSD.decimal), str(XSD.double), str(XSD.nonNegativeInteger), str(XSD.gYear)}


def path(out_dir) -> Path:
    return Path(out_dir) / "store"


def create(where: Path) -> ox.Store:
    """A new, empty on-disk store."""
    shutil.rmtree(where, ignore_errors=True)
    return ox.Store(str(where))


def read_nquads(nquads: Path):
    """The quads of a build's graph.nq.gz (gzip members of N-Quads), streamed; SyntaxError for a file that is
    not gzip or not N-Quads."""
    try:
        with gzip.open(nquads, "rb") as text:
            yield from ox.parse(input=text, format=ox.RdfFormat.N_QUADS)
    except (OSError, EOFError) as e:     # gzip.BadGzipFile is an OSError
        raise SyntaxError(f"not gzip-compressed N-Quads ({e})") from None


def load_turtle(st: ox.Store, body: bytes) -> None:
    """Bulk-load Turtle written with the prefixes of rdf.PREFIXES (as graph.ttl is) into the default graph.

    Oxigraph's bulk loader sorts in bounded memory; a build calls it on chunks of a few
    thousand articles while extraction goes on.
    """
    st.bulk_load(input=TURTLE_HEADER + body, format=ox.RdfFormat.TURTLE)


class Unreadable(OSError):
    """A store that is there but cannot be read (corrupt); the message is one line."""


DAMAGED = ("Corruption:", "IO error:")   # how RocksDB's errors of a damaged store begin


def unreadable(error: Exception, out_dir=None) -> Unreadable:
    """The one-line error of a store found damaged (by RocksDB's `error`)."""
    where = f"the store in {out_dir}" if out_dir is not None else "the store"
    return Unreadable(f"{where} is not readable ({' '.join(str(error).split())}): build again")


def connect(out_dir) -> ox.Store:
    """The store of the build in `out_dir`, read-only: no query can change it."""
    where = path(out_dir)
    if not where.is_dir():
        raise FileNotFoundError(f"no store in {out_dir}: run kg build first")
    try:
        return ox.Store.read_only(str(where))
    except RuntimeError as e:      # RocksDB found it corrupt
        raise unreadable(e, out_dir) from None


def dump(st: ox.Store, destination, fmt: str) -> None:
    """Write the union graph to `destination` (a binary stream) in one of RDF_FORMATS, with the prefixes."""
    st.dump(destination, RDF_FORMATS[fmt], from_graph=ox.DefaultGraph(), prefixes=WRITTEN_PREFIXES)


def triples(st: ox.Store) -> int:
    """Statements in the union graph (all the store holds), every one read: a damaged block is found.

    Not a COUNT query: on a damaged block oxigraph's COUNT never ends.
    """
    try:
        return len(st)
    except RuntimeError as e:
        raise unreadable(e) from None


def value(term):
    """A term as a Python value: IRIs as strings, numbers and years as numbers, other literals as text."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        if term.datatype.value in _NUMBERS:
            number = Decimal(term.value)
            return int(number) if number == number.to_integral_value() else float(number)
        if term.datatype.value == str(XSD.boolean):
            return term.value == "true"
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value if isinstance(term, ox.NamedNode) else str(term)


def select(st: ox.Store, query: str, bind: dict | None = None, values: dict | None = None) -> list:
    """Rows of a SELECT on the predeclared prefixes, as dicts of Python values.

    `bind` (variable -> term) is for what a user typed: the engine gets it as the value of the
    variable (a SPARQL substitution), so it never becomes query text. Oxigraph wants such a
    variable in the projection. `values` (variable -> IRI or IRIs, read from the store) are
    joined as a trailing VALUES block written by pyoxigraph, which validates IRIs; unlike a
    substitution, it lets the planner start from them (0.4 s instead of 4 s on 770k triples).
    One variable of many IRIs is asked VALUES_AT_ONCE of them at a time, so the variable must be in
    the projection (each row says which IRI it is of).
    """
    if values and len(values) == 1:
        (name, iris), = values.items()
        if not isinstance(iris, str) and len(iris) > VALUES_AT_ONCE:
            return [row for part in chunked(list(iris)) for row in select(st, query, bind, {name: part})]
    if values:
        query += "\n" + values_clause(values)
    solutions = st.query(query, prefixes=PREFIXES, substitutions={ox.Variable(k): v for k, v in (bind or {}).items()})
    names = [v.value for v in solutions.variables]
    return [dict(zip(names, map(value, s))) for s in solutions]


# IRIs of one VALUES block at most: with more than about 90, Oxigraph 0.5's planner no longer starts from them (the
# rows of 94 metrics took 1.2 s on 10^4 articles, of 93 metrics 7 ms)
VALUES_AT_ONCE = 64


def chunked(iris: list) -> list:
    """`iris` in pieces of VALUES_AT_ONCE, for a query of rows asked piece by piece."""
    return [iris[start:start + VALUES_AT_ONCE] for start in range(0, len(iris), VALUES_AT_ONCE)]


def values_clause(values: dict) -> str:
    """A VALUES block of IRIs (variable -> IRI or IRIs, every combination), validated by pyoxigraph.

    Put inside a group pattern it restricts the pattern before any aggregate; a trailing one
    (as in `select`) is joined with the rows after the aggregates.
    """
    choices = itertools.product(*([v] if isinstance(v, str) else v for v in values.values()))
    rows = " ".join(f"({' '.join(str(ox.NamedNode(i)) for i in row)})" for row in choices)
    return f"VALUES ({' '.join('?' + v for v in values)}) {{ {rows} }}"


ROW_FORMATS = ("table", "csv", "tsv", "json")   # rows for people (a table) and for spreadsheets
# W3C SPARQL results formats, for tools, and RDF formats of CONSTRUCT and DESCRIBE results and of exports
RESULTS_FORMATS = {"sparql-json": ox.QueryResultsFormat.JSON, "sparql-xml": ox.QueryResultsFormat.XML,
                   "sparql-csv": ox.QueryResultsFormat.CSV, "sparql-tsv": ox.QueryResultsFormat.TSV}
RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "trig": ox.RdfFormat.TRIG,
               "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}
# the prefixes RDF is written with: a prefixed name where its local name needs no escaping, as in graph.ttl
# (kg.rdf). Every rkid: name has a slash, which Turtle escapes (rkid:locality\/530322): those IRIs are written whole
WRITTEN_PREFIXES = {name: base for name, base in PREFIXES.items() if name != "rkid"}
RDF_TYPE, XSD_STRING = str(RDF.type), str(XSD.string)


def answer(st: ox.Store, query: str):
    """The result of any read query (pyoxigraph's QuerySolutions, QueryBoolean or QueryTriples).

    Raises ValueError with a one-line message that points at the problem when the query is not SPARQL,
    or is an update.
    """
    update = UPDATE.match(query)
    if update:
        raise ValueError(f"{update[1].upper()} is a SPARQL update: kg query only reads the build "
                         "(SELECT, ASK, CONSTRUCT, DESCRIBE); to change the graph, change the articles and rebuild")
    try:
        return st.query(query, prefixes=PREFIXES)
    except SyntaxError as e:
        raise ValueError(_syntax_message(query, str(e))) from None


def rows(result, show=value) -> tuple:
    """(columns, rows as they come) of a result: SELECT rows, ASK as one boolean, CONSTRUCT/DESCRIBE
    as triples; each term as `show` gives it."""
    if isinstance(result, ox.QueryBoolean):
        return ("ask",), iter([(bool(result),)])
    if isinstance(result, ox.QueryTriples):
        return ("subject", "predicate", "object"), (tuple(map(show, (t.subject, t.predicate, t.object)))
                                                    for t in result)
    names = [v.value for v in result.variables]
    return tuple(names), (tuple(show(s[n]) for n in names) for s in result)


def label(term):
    """A term as a table shows it: an IRI by its prefixed name, a literal by its value."""
    return compact(term.value) if isinstance(term, ox.NamedNode) else value(term)


def write(result, fmt: str, output) -> None:
    """Write a result to `output` (a binary stream) as it comes: in an RDF format (CONSTRUCT, DESCRIBE
    triples), prefixed, or in a W3C results format (SELECT, ASK)."""
    if fmt == "jsonld":
        write_jsonld(result, output)
    elif fmt in RDF_FORMATS:
        ox.serialize(result, output, format=RDF_FORMATS[fmt], prefixes=WRITTEN_PREFIXES)
    else:
        result.serialize(output, format=RESULTS_FORMATS[fmt])


def write_jsonld(triples, stream) -> int:
    """Triples (or quads, their graphs left out) as compacted JSON-LD: an @context of the prefixes, and in
    @graph a node object per run of triples of one subject, with prefixed names (oxigraph's JSON-LD has no
    @context). Written as the triples come (the store's in subject order), so nothing holds the whole graph.
    Returns the number of triples."""
    stream.write(b'{"@context": ' + json.dumps(PREFIXES).encode() + b',\n "@graph": [')
    written, first = 0, True
    for subject, group in itertools.groupby(triples, key=lambda t: t.subject):
        run = list(group)
        written += len(run)
        stream.write((b"\n  " if first else b",\n  ") + json.dumps(_jsonld_node(subject, run), ensure_ascii=False).encode())
        first = False
    stream.write(b"\n]}\n")
    return written


def _jsonld_node(subject, triples: list) -> dict:
    node: dict = {"@id": _jsonld_term(subject)["@id"]}
    for t in triples:
        if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode):
            node.setdefault("@type", []).append(compact(t.object.value))
        else:
            node.setdefault(compact(t.predicate.value), []).append(_jsonld_term(t.object))
    return node


def _jsonld_term(term):
    """A term as a compacted JSON-LD value, IRIs by the prefixes of the @context."""
    if isinstance(term, ox.NamedNode):
        return {"@id": compact(term.value)}
    if isinstance(term, ox.BlankNode):
        return {"@id": f"_:{term.value}"}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value == XSD_STRING:
        return term.value
    return {"@value": term.value, "@type": compact(term.datatype.value)}


# the first word of a query after its prologue (comments, PREFIX and BASE declarations)
PROLOGUE = r"(?:\s+|#[^\n]*\n|PREFIX\s+[^:\s]*:\s*<[^>]*>|BASE\s*<[^>]*>)*"
UPDATE = re.compile(PROLOGUE + r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.I)
FORM = re.compile(PROLOGUE + r"(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)
FORMS = "a query is SELECT, ASK, CONSTRUCT or DESCRIBE (after PREFIX lines)"


# what oxigraph says it expected: quoted tokens ("}", "\""), character classes (['0'..='9']), words, sentences
EXPECTED = re.compile(r'"(?:[^"\\]|\\.)*"|\[[^\]]*\]|[^,\s][^,]*')
CLASSES = {"['0'..='9']": "a number", "['A'": "a name", "['0' ..= '9' |": "a name"}   # by how they begin
FEW = 8   # expected tokens listed after an unexpected end of the query; the full list only says "more"


def _expected(items: str) -> list:
    """The tokens oxigraph expected, whole (a "," or a "\"" among them), its character classes in words
    (a number, a name) and the class of any character dropped."""
    out = []
    for token in EXPECTED.findall(items):
        token = token.strip()
        if token.startswith("["):
            token = next((word for start, word in CLASSES.items() if token.startswith(start)), "")
        if token and token not in out:
            out.append(token)
    return out


def _syntax_message(query: str, error: str) -> str:
    """Oxigraph's error as one plain line: where it stopped, the text just before, what it expected
    (the query is empty; it ends too soon; it begins with no query form)."""
    if re.fullmatch(r"(?:\s+|#[^\n]*\n)*", query + "\n"):
        return "the query is empty"
    unknown = _undeclared_prefix(query)
    if unknown is not None:
        declared = ", ".join(f"{p}:" for p in PREFIXES)
        return f"unknown prefix '{unknown}:': declare it (PREFIX {unknown}: <IRI>) or use one of {declared}"
    m = re.match(r"error at (\d+):(\d+)\S*: expected (?:one of )?(.*)", error, re.S)
    if not m:
        return "bad SPARQL: " + " ".join(error.split())
    line, column, expected = int(m[1]), int(m[2]), _expected(m[3])
    lines = query.split("\n")
    at = sum(len(text) + 1 for text in lines[:line - 1]) + column - 1   # columns count characters
    where = f"bad SPARQL at line {line}, column {column}, after {_tail(query[:at])!r}"
    said = [t for t in expected if " " in t and not t.startswith('"') and t not in CLASSES.values()]
    if said:    # a sentence of oxigraph's (an absurd LIMIT), not a token
        return f"{where}: {said[0][0].lower()}{said[0][1:]}"
    if not FORM.match(query + "\n"):
        return f"{where}: {FORMS}"
    if not query[at:].strip():   # oxigraph stops at the end when it cannot go on: a missing part, or a stray one
        more = f"; expected {_listed(expected)}" if expected and len(expected) <= FEW else (
            "" if expected else " (or a stray character before it)")
        return f"{where}: unexpected end of query{more}"
    return f"{where}: expected {_listed(expected)}" if expected else f"{where}: unexpected {query[at:].split()[0]!r}"


def _tail(text: str, most: int = 30) -> str:
    """The last words of `text` within `most` characters (the last one cut if it alone is longer), on one line."""
    words = text.split()
    kept = words[-1:] if words else []
    for w in reversed(words[:-1]):
        if len(w) + 1 + sum(len(k) + 1 for k in kept) > most + 1:
            break
        kept.insert(0, w)
    return " ".join(kept)[-most:]


def _listed(tokens: list) -> str:
    return tokens[0] if len(tokens) == 1 else "one of " + ", ".join(tokens)


def _undeclared_prefix(query: str) -> str | None:
    """The first prefix of a prefixed name in `query` that neither kg nor the query declares."""
    bare = re.sub(r"<[^<>\s]*>|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|#[^\n]*", " ", query)
    declared = set(PREFIXES) | set(re.findall(r"PREFIX\s+([\w.-]*):", bare, re.I))
    used = re.findall(r"(?<![\w?$:.-])([A-Za-z][\w.-]*)?:(?=[\w%]|\s)", bare)
    return next((p for p in used if p and p not in declared), None)


def compact(iri: str) -> str:
    """rk:adopts for https://w3id.org/reformkg/ontology#adopts; IRIs outside the prefixes stay whole."""
    for prefix, ns in sorted(PREFIXES.items(), key=lambda p: -len(p[1])):
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def expand(name: str) -> str:
    """https://w3id.org/reformkg/ontology#adopts for rk:adopts."""
    prefix, _, local = name.partition(":")
    return PREFIXES[prefix] + local


def label_rank(label: str, preferred: bool) -> tuple:
    """Which label shows an entity: its skos:prefLabel, else its shortest label (the least rank)."""
    return not preferred, len(label), label


def labels(st: ox.Store, iris=None) -> dict:
    """IRI -> display label (the simplified-Chinese skos:prefLabel, else the shortest rdfs:label), of `iris` or all."""
    rows = select(st, 'SELECT ?e ?l (?p = skos:prefLabel AS ?preferred) WHERE { VALUES ?p { rdfs:label skos:prefLabel } '
                      '?e ?p ?l FILTER(LANG(?l) = "zh") }', values=None if iris is None else {"e": sorted(iris)})
    best: dict = {}
    for r in rows:
        rank = label_rank(r["l"], r["preferred"])
        if r["e"] not in best or rank < best[r["e"]]:
            best[r["e"]] = rank
    return {e: rank[-1] for e, rank in best.items()}
