"""kg validate: every build conforms to ontology/shapes.ttl, and the shapes catch what they promise to."""
from __future__ import annotations

import shutil
from decimal import Decimal

import pytest
import rdflib
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg.validate import validate_build, validate_command, validate_graph
from kg.vocab import ID, RK

from conftest import CORPUS, ROOT, need_shared, run_build

OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
BAD = ROOT / "tests" / "bad_inputs"


# ---- every build validates ----

def test_own_corpus_build_validates(own_build):
    conforms, text = validate_build(own_build)
    assert conforms, text
    assert "Metric" in text and "Statement" in text


def test_shared_corpus_build_validates(tmp_path_factory):
    out = run_build([need_shared() / "corpus"], tmp_path_factory.mktemp("shared"))
    conforms, text = validate_build(out)
    assert conforms, text


def test_bad_inputs_build_validates(tmp_path):
    CliRunner().invoke(__import__("kg.cli", fromlist=["main"]).main, ["build", str(BAD), "--out", str(tmp_path)])
    conforms, text = validate_build(tmp_path)
    assert conforms, text


def test_each_corpus_file_alone_validates(tmp_path):
    for f in sorted(CORPUS.iterdir())[:6]:
        out = run_build([f], tmp_path / f.stem)
        conforms, text = validate_build(out)
        assert conforms, (f.name, text)


# ---- the shapes catch violations ----

@pytest.fixture(scope="module")
def small(tmp_path_factory):
    out = run_build([BAD / "gb18030_haiyan.txt", BAD / "page.html"], tmp_path_factory.mktemp("small"))
    return out, rdflib.Graph().parse(out / "graph.ttl")


def copy(graph):
    g = rdflib.Graph()
    for t in graph:
        g.add(t)
    return g


def first(g, cls):
    return sorted(g.subjects(RDF.type, cls))[0]


def statement_of(g, predicate):
    return sorted(s for s in g.subjects(RDF.predicate, predicate))[0]


def violations(g) -> str:
    conforms, text = validate_graph(g)
    assert not conforms
    return text


def test_the_small_build_conforms(small):
    assert validate_graph(small[1])[0]


def test_metric_needs_one_value_one_unit_one_locality(small):
    g = copy(small[1])
    m = first(g, RK.Metric)
    g.add((m, RK.value, Literal(Decimal("1.5"), datatype=XSD.decimal)))
    assert "rk:value" in violations(g)
    g = copy(small[1])
    g.remove((m, RK.unit, None))
    assert "rk:unit" in violations(g)
    g = copy(small[1])
    g.remove((m, RK.locality, None))
    assert "rk:locality" in violations(g)
    g = copy(small[1])
    g.set((m, RK.value, Literal("many")))
    assert "xsd:decimal" in violations(g)
    g = copy(small[1])
    g.set((m, RK.locality, first(g, RK.Mechanism)))
    assert "rk:locality" in violations(g)


def test_adopts_links_a_locality_to_a_mechanism(small):
    g = copy(small[1])
    g.add((first(g, RK.Metric), RK.adopts, first(g, RK.Mechanism)))
    assert "Locality" in violations(g)
    g = copy(small[1])
    g.add((first(g, RK.Locality), RK.adopts, first(g, RK.Metric)))
    assert "rk:adopts links a Locality to a Mechanism" in violations(g)


def test_a_zone_may_be_part_of_two_cities_and_a_division_of_one(small):
    """Two articles may write one zone under two cities (one node, kg.rdf.locality_iri); a county has one parent."""
    g = copy(small[1])
    coded = set(g.subjects(RK.adminCode, None))
    division = sorted(l for l in coded if (l, RK.partOf, None) in g)[0]
    zone, cities = ID["locality/zone-test"], sorted(coded - {division})[:2]
    g.add((zone, RDF.type, RK.Locality))
    g.add((zone, RDFS.label, Literal("天衢新区", lang="zh")))
    for city in cities:
        g.add((zone, RK.partOf, city))
    assert validate_graph(g)[0]
    g.add((division, RK.partOf, cities[0] if (division, RK.partOf, cities[0]) not in g else cities[1]))
    assert "is part of at most one Locality" in violations(g)


def test_yields_links_a_mechanism_to_a_metric(small):
    g = copy(small[1])
    g.add((first(g, RK.Mechanism), RK.yields, first(g, RK.Locality)))
    assert "rk:yields links a Mechanism to a Metric" in violations(g)


def test_every_entity_has_a_zh_label(small):
    for cls in (RK.Locality, RK.Mechanism, RK.Metric, RK.Article, RK.Agency):
        g = copy(small[1])
        node = first(g, cls)
        g.remove((node, RDFS.label, None))
        g.add((node, RDFS.label, Literal("label", lang="en")))
        g.add((node, RDFS.label, Literal("標籤", lang="zh-Hant")))
        text = violations(g)
        assert "no rdfs:label in @zh" in text and str(node).rsplit("/", 1)[1] in text, cls


def test_every_statement_has_evidence(small):
    for predicate in (RK.adopts, RK.yields):
        g = copy(small[1])
        stmt = statement_of(g, predicate)
        s, o = g.value(stmt, RDF.subject), g.value(stmt, RDF.object)
        for t in list(g.triples((stmt, None, None))):
            g.remove(t)
        text = violations(g)
        assert "has no evidence" in text and predicate.split("#")[1] in text
        # an annotation without its quote is no evidence either
        g = copy(small[1])
        stmt = statement_of(g, predicate)
        ann = next(g.subjects(OA.hasBody, stmt))
        target = g.value(ann, OA.hasTarget)
        for sel in list(g.objects(target, OA.hasSelector)):
            g.remove((sel, OA.exact, None))
        assert "has no evidence" in violations(g)
        # a statement of no annotation
        g = copy(small[1])
        for t in list(g.triples((None, OA.hasBody, statement_of(g, predicate)))):
            g.remove(t)
        assert "has no evidence" in violations(g)
        assert (s, predicate, o) in g


def test_statements_state_what_the_graph_says(small):
    g = copy(small[1])
    stmt = statement_of(g, RK.adopts)
    g.remove((g.value(stmt, RDF.subject), RK.adopts, g.value(stmt, RDF.object)))
    assert "states a triple that is not in the graph" in violations(g)
    g = copy(small[1])
    g.add((statement_of(g, RK.adopts), RDF.predicate, RK.partOf))
    assert "rdf:predicate" in violations(g)


def test_position_selectors_are_ordered_offsets(small):
    g = copy(small[1])
    pos = first(g, OA.TextPositionSelector)
    start = int(g.value(pos, OA.start))
    g.set((pos, OA.end, Literal(max(start - 1, 0), datatype=XSD.nonNegativeInteger)))
    g.set((pos, OA.start, Literal(start + 1, datatype=XSD.nonNegativeInteger)))
    assert "oa:start" in violations(g)
    g = copy(small[1])
    g.set((pos, OA.start, Literal(-3)))
    assert "oa:start" in violations(g)


def test_nquads_and_ttl_must_agree(small, tmp_path):
    out = tmp_path / "b"
    shutil.copytree(small[0], out)
    g = rdflib.Graph().parse(out / "graph.ttl")
    g.add((ID["locality/999999"], RDF.type, RK.Locality))
    g.add((ID["locality/999999"], RDFS.label, Literal("某县", lang="zh")))
    g.serialize(out / "graph.ttl", format="turtle")
    conforms, text = validate_build(out)
    assert not conforms and "graph.nq.gz and graph.ttl differ" in text


def test_missing_or_broken_build(tmp_path):
    conforms, text = validate_build(tmp_path / "nothing")
    assert not conforms and "no build" in text
    (tmp_path / "graph.ttl").write_text("this is @not turtle <", encoding="utf-8")
    conforms, text = validate_build(tmp_path)
    assert not conforms and "not readable Turtle" in text


def test_many_violations_are_counted_and_cut(small):
    g = copy(small[1])
    for n in range(60):
        g.add((URIRef(f"{ID}metric/fake-{n}"), RDF.type, RK.Metric))
    text = violations(g)
    assert text.splitlines()[0].startswith("does not conform") and "more" in text.splitlines()[-1]


# ---- the command ----

def test_validate_command(small, tmp_path):
    runner = CliRunner()
    ok = runner.invoke(validate_command, ["--out", str(small[0])])
    assert ok.exit_code == 0 and "conforms" in ok.output
    bad = tmp_path / "bad"
    shutil.copytree(small[0], bad)
    g = rdflib.Graph().parse(bad / "graph.ttl")
    g.remove((first(g, RK.Metric), RK.unit, None))
    g.serialize(bad / "graph.ttl", format="turtle")
    (bad / "graph.nq.gz").unlink()
    failed = runner.invoke(validate_command, ["--out", str(bad)])
    assert failed.exit_code == 1 and "rk:unit" in failed.output and "Traceback" not in failed.output
    missing = runner.invoke(validate_command, ["--out", str(tmp_path / "none")])
    assert missing.exit_code != 0 and "no build" in missing.output and "Traceback" not in missing.output
    help_text = runner.invoke(validate_command, ["--help"]).output
    assert "Example:" in help_text and "kg validate --out output/" in help_text
