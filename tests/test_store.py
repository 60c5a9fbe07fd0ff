"""The embedded store: loaded by every build, replaced whole, queried with `kg query`."""
import json
import sqlite3

import pyoxigraph
import pytest
import rdflib
from click.testing import CliRunner

from conftest import CORPUS, run_build
from kg import build, store
from kg.cli import main
from kg.store import read_nquads

SEED_LOCALITIES = {"临清市", "菏泽市", "任城区", "天衢新区", "南海新区", "巨野县", "淄博市", "汶上县", "宁津县"}


def kg(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_the_store_holds_the_union_of_the_article_graphs(seed_build):
    st = store.connect(seed_build)
    ttl = rdflib.Graph().parse(seed_build / "graph.ttl")
    report = json.loads((seed_build / "report.json").read_text(encoding="utf-8"))
    assert store.triples(st) == len(ttl) == report["triples"]
    nquads = list(read_nquads(seed_build / "graph.nq.gz"))
    assert len({q.graph_name for q in nquads}) == report["articles"] == 9
    assert {q.triple for q in nquads} == {q.triple for q in st}


def test_an_interrupted_build_leaves_the_previous_outputs_whole(tmp_path, monkeypatch):
    out = run_build([CORPUS / "01_jiangshan.txt"], tmp_path / "out")
    before = {name: (out / name).read_bytes() for name in ("graph.ttl", "graph.nq.gz", "report.json")}
    triples = store.triples(store.connect(out))
    load = store.load_turtle

    def interrupted(st, body):
        load(st, body)
        raise OSError("disk full")

    monkeypatch.setattr(store, "load_turtle", interrupted)
    with pytest.raises(OSError):
        build.build([CORPUS / "02_hailing.txt"], out)
    assert {name: (out / name).read_bytes() for name in before} == before
    assert store.triples(store.connect(out)) == triples
    monkeypatch.undo()
    run_build([CORPUS / "02_hailing.txt"], out)
    assert "海陵区" in (out / "graph.ttl").read_text(encoding="utf-8")
    visible = sorted(p.name for p in out.iterdir() if p.name[0] != ".")
    assert visible == ["current", "graph.html", "graph.nq.gz", "graph.ttl", "manifest.json", "report.json", "store",
                       "summary.sqlite"]


def test_query_with_predeclared_prefixes_in_every_format(seed_build, tmp_path):
    sparql = "SELECT ?name ?code WHERE { ?l a rk:Locality ; rdfs:label ?name OPTIONAL { ?l rk:adminCode ?code } }"
    result = kg("query", sparql, "--out", seed_build, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert SEED_LOCALITIES | {"山东省", "济宁市"} <= {r["name"] for r in rows}
    assert {"name": "任城区", "code": "370811"} in rows
    rq = tmp_path / "q.rq"
    rq.write_text("PREFIX ex: <https://example.org/>\n" + sparql, encoding="utf-8")
    csv = kg("query", "-f", rq, "--out", seed_build, "--format", "csv")
    assert csv.stdout.splitlines()[0] == "name,code" and len(csv.stdout.splitlines()) == len(rows) + 1
    tsv = kg("query", "ASK { ?l rk:adopts ?m }", "--out", seed_build, "--format", "tsv")
    assert tsv.stdout.splitlines() == ["ask", "true"]
    construct = kg("query", "CONSTRUCT { ?l rk:partOf ?p } WHERE { ?l rk:partOf ?p }", "--out", seed_build,
                   "--format", "tsv")
    assert construct.exit_code == 0 and construct.stdout.splitlines()[0] == "subject\tpredicate\tobject"


def test_construct_and_describe_print_turtle_and_other_rdf_on_request(seed_build):
    import rdflib

    construct = "CONSTRUCT { ?l rk:partOf ?p } WHERE { ?l rk:partOf ?p }"
    turtle = kg("query", construct, "--out", seed_build)
    assert turtle.exit_code == 0 and "@prefix rk:" in turtle.stdout
    graph = rdflib.Graph().parse(data=turtle.stdout, format="turtle")
    parts = rdflib.Graph().parse(seed_build / "graph.ttl").triples((None, rdflib.URIRef(store.expand("rk:partOf")), None))
    assert set(graph) == set(parts)
    nt = kg("query", construct, "--out", seed_build, "--format", "ntriples")
    assert set(rdflib.Graph().parse(data=nt.stdout, format="nt")) == set(graph)
    described = kg("query", "DESCRIBE <https://w3id.org/reformkg/id/locality/371581>", "--out", seed_build)
    assert '"临清市"@zh' in described.stdout
    wrong = kg("query", "ASK { ?s ?p ?o }", "--out", seed_build, "--format", "turtle")
    assert wrong.exit_code == 2 and "is for CONSTRUCT and DESCRIBE" in wrong.output


def test_a_table_shows_prefixed_names_and_full_shows_cells_whole(seed_build):
    query = "SELECT ?l ?t WHERE { ?a rk:mentions ?l ; dcterms:title ?t } ORDER BY ?t LIMIT 3"
    table = kg("query", query, "--out", seed_build).stdout
    assert "rkid:locality/" in table and "https://" not in table and "…" in table
    full = kg("query", query, "--out", seed_build, "--full").stdout
    whole = json.loads(kg("query", query, "--out", seed_build, "--format", "json").stdout)
    assert "…" not in full and all(row["t"] in full for row in whole)


def test_w3c_results_keep_language_tags_and_datatypes(seed_build):
    query = "SELECT ?x ?label ?value WHERE { ?x a rk:Metric ; rdfs:label ?label ; rk:value ?value } LIMIT 2"
    results = json.loads(kg("query", query, "--out", seed_build, "--format", "sparql-json").stdout)
    first = results["results"]["bindings"][0]
    assert results["head"]["vars"] == ["x", "label", "value"] and first["x"]["type"] == "uri"
    assert first["label"]["xml:lang"] == "zh" and first["value"]["datatype"].startswith("http://www.w3.org/2001/XMLSchema#")
    xml = kg("query", query, "--out", seed_build, "--format", "sparql-xml").stdout
    assert xml.startswith("<?xml") and 'xml:lang="zh"' in xml
    tsv = kg("query", query, "--out", seed_build, "--format", "sparql-tsv").stdout
    assert tsv.splitlines()[0] == "?x\t?label\t?value" and "@zh" in tsv
    assert kg("query", query, "--out", seed_build, "--format", "sparql-csv").stdout.splitlines()[0] == "x,label,value"


def test_the_query_may_come_from_stdin(seed_build):
    result = CliRunner().invoke(main, ["query", "-f", "-", "--out", str(seed_build), "--format", "csv"],
                                input="ASK { ?l rk:adopts ?m }")
    assert result.exit_code == 0 and result.stdout.splitlines() == ["ask", "true"]


@pytest.mark.parametrize("sparql, where", [
    ("SELECT ?x WHERE { ?x ?y }", "line 1, column 26, after 'SELECT ?x WHERE { ?x ?y }'"),
    ("SELECT ?l WHERE {\n  ?l rk:adopts ?m .\n  ?m rdfs:label ?x FILTER(CONTAIN(?x, 'a'))\n}",
     "line 3, column 41, after \"?x FILTER(CONTAIN(?x, 'a\""),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 99999999999999999999999999",
     "99999999999999999999999999': the query limit should be a non negative integer"),
])
def test_bad_sparql_gets_one_line_that_points_at_the_problem(seed_build, sparql, where):
    result = kg("query", sparql, "--out", seed_build)
    assert result.exit_code != 0
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert result.output.startswith("Error: bad SPARQL at line") and where in result.output


def test_query_needs_one_query_and_a_build(seed_build, tmp_path):
    assert kg("query", "--out", seed_build).exit_code == 2
    assert kg("query", "ASK {}", "--out", tmp_path).output == f"Error: no store in {tmp_path}: run kg build first\n"


def test_no_query_changes_the_store(seed_build):
    before = store.triples(store.connect(seed_build))
    for update in ("DROP ALL", "CLEAR DEFAULT", "DELETE WHERE { ?s ?p ?o }"):
        result = kg("query", update, "--out", seed_build)
        assert result.exit_code != 0 and "Traceback" not in result.output
    assert store.triples(store.connect(seed_build)) == before


@pytest.mark.parametrize("sparql, said", [
    ("SELECT ?x WHERE { ?x zz:p ?y }", "Error: unknown prefix 'zz:': declare it (PREFIX zz: <IRI>)"),
    ("INSERT DATA { rk:a rk:b rk:c }", "Error: INSERT is a SPARQL update: kg query only reads the build"),
    ("PREFIX ex: <https://example.org/>\n# clear it\ndrop all", "Error: DROP is a SPARQL update"),
    ("SELEC ?x WHERE { ?x ?p ?y }", "a query is SELECT, ASK, CONSTRUCT or DESCRIBE"),
])
def test_sparql_errors_in_plain_words(seed_build, sparql, said):
    result = kg("query", sparql, "--out", seed_build)
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert result.output.startswith("Error: ") and said in result.output, result.output


def test_an_empty_answer_says_so_on_stderr(seed_build):
    result = kg("query", "SELECT ?x WHERE { ?x rk:adopts rk:nothing }", "--out", seed_build)
    assert result.exit_code == 0 and "nothing in the build answers the query" in result.stderr


def test_the_summary_rows_each_worker_computes_are_those_of_the_whole_store(own_build):
    """The plain tables' rows of each article, read from its own graph in the worker, are the rows the
    whole store gives (the way a build before summaries gets them), and the build's tables hold them."""
    from kg import tables

    by_graph: dict = {}
    for q in read_nquads(own_build / "graph.nq.gz"):
        by_graph.setdefault(q.graph_name, []).append((str(q.subject), str(q.predicate), str(q.object)))
    per_article = sorted(map(repr, (row for triples in by_graph.values() for row in tables.article_rows(triples))))
    whole = tables.store_rows(store.connect(own_build))
    assert per_article == sorted(map(repr, whole)) and any(table == "adoptions" for table, _ in whole)
    db = sqlite3.connect(own_build / "summary.sqlite")
    assert db.execute("SELECT COUNT(*) FROM adoptions WHERE locality IS NULL OR mechanism IS NULL").fetchone() == (0,)
    assert db.execute("SELECT COUNT(*) FROM metrics").fetchone()[0] == sum(table == "metrics" for table, _ in whole)


def test_values_of_many_iris_are_asked_in_pieces_with_the_same_rows(own_build):
    """Past about 90 IRIs in one VALUES block Oxigraph's planner scans the store; select asks in pieces."""
    st = store.connect(own_build)
    metrics = sorted(r["x"] for r in store.select(st, "SELECT ?x WHERE { ?x a rk:Metric }"))
    assert len(metrics) > 2 * store.VALUES_AT_ONCE
    query = "SELECT ?x ?v WHERE { ?x rk:value ?v }"
    rows = store.select(st, query, values={"x": metrics})
    assert sorted((r["x"], r["v"]) for r in rows) == sorted((r["x"], r["v"]) for r in store.select(st, query))
    assert [len(part) for part in store.chunked(metrics)][:2] == [store.VALUES_AT_ONCE] * 2


def test_the_summary_counts_metrics_as_the_store_has_them(own_build):
    """The summary counts the metrics of each locality and mechanism from its plain tables (asked of the store,
    the counts held every metric in memory); the counts are the store's."""
    st, db = store.connect(own_build), sqlite3.connect(own_build / "summary.sqlite")
    iri = dict(db.execute("SELECT id, iri FROM entity"))
    reported = {r["e"]: r["n"] for r in store.select(st, "SELECT ?e (COUNT(?x) AS ?n) { ?x rk:locality ?e } GROUP BY ?e")}
    yielded = {r["e"]: r["n"] for r in store.select(st, "SELECT ?e (COUNT(?x) AS ?n) { ?e rk:yields ?x } GROUP BY ?e")}
    assert dict((iri[e], n) for e, n in db.execute("SELECT id, metrics FROM entity WHERE metrics > 0")) == reported | yielded
    at = store.select(st, "SELECT ?m ?l (COUNT(?x) AS ?n) { ?m rk:yields ?x . ?x rk:locality ?l } GROUP BY ?m ?l")
    assert {(iri[m], iri[l]): n for m, l, n in db.execute("SELECT * FROM yielded")} == {(r["m"], r["l"]): r["n"] for r in at}
    yielders: dict = {}
    for r in store.select(st, "SELECT ?x ?m ?l { ?m rk:yields ?x . ?x rk:locality ?l }"):
        yielders.setdefault(r["x"], set()).add((r["m"], r["l"]))
    shared = sorted(sorted(pairs) for pairs in yielders.values() if len(pairs) > 1)
    coyields: dict = {}
    for metric, m, l in db.execute("SELECT * FROM coyield"):
        coyields.setdefault(metric, set()).add((iri[m], iri[l]))
    assert shared and sorted(map(sorted, coyields.values())) == shared
