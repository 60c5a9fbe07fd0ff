"""The RDF contract: evidence on every statement, named graphs per article, localities up to the province."""
import rdflib
from rdflib.namespace import RDF

from kg.vocab import RK
from conftest import CORPUS

OA = rdflib.Namespace("http://www.w3.org/ns/oa#")


def test_every_adopts_and_yields_statement_has_evidence(own_build):
    g = rdflib.Graph().parse(own_build / "graph.ttl")
    statements = {(s, p, o) for p in (RK.adopts, RK.yields) for s, o in g.subject_objects(p)}
    assert statements
    evidenced = set()
    for stmt in g.subjects(RDF.type, RK.Statement):
        triple = (g.value(stmt, RDF.subject), g.value(stmt, RDF.predicate), g.value(stmt, RDF.object))
        ann = g.value(predicate=OA.hasBody, object=stmt)
        target = g.value(ann, OA.hasTarget)
        quotes = [g.value(sel, OA.exact) for sel in g.objects(target, OA.hasSelector)]
        assert g.value(target, OA.hasSource) is not None and any(quotes)
        positions = [sel for sel in g.objects(target, OA.hasSelector) if g.value(sel, OA.start) is not None]
        source = str(g.value(g.value(target, OA.hasSource), rdflib.namespace.DCTERMS.source))
        # a title given in a JSONL object is not in the text, so only its words can be quoted
        assert positions or "#" in source, (stmt, source)
        assert g.value(stmt, RK.rule) is not None
        evidenced.add(triple)
    assert statements <= evidenced


def test_positions_select_the_quoted_sentence(own_build):
    g = rdflib.Graph().parse(own_build / "graph.ttl")
    raw = (CORPUS / "02_hailing.txt").read_text(encoding="utf-8")
    checked = 0
    for sel in g.subjects(RDF.type, OA.TextPositionSelector):
        target = g.value(predicate=OA.hasSelector, object=sel)
        article = g.value(target, OA.hasSource)
        if not str(g.value(article, rdflib.namespace.DCTERMS.source)).endswith("02_hailing.txt"):
            continue
        start, end = int(g.value(sel, OA.start)), int(g.value(sel, OA.end))
        quote = next(str(g.value(s, OA.exact)) for s in g.objects(target, OA.hasSelector) if g.value(s, OA.exact))
        assert quote[:2] in raw[start:end] and quote[-1] == raw[end - 1]
        checked += 1
    assert checked > 5


def test_trig_has_one_named_graph_per_article(own_build):
    ds = rdflib.Dataset()
    ds.parse(own_build / "graph.trig", format="trig")
    names = {c.identifier for c in ds.contexts() if str(c.identifier).startswith("https://w3id.org/reformkg/id/graph/")}
    articles = set(rdflib.Graph().parse(own_build / "graph.ttl").subjects(RDF.type, RK.Article))
    assert len(names) == len(articles) == 24


def test_localities_reach_their_province(seed_build):
    g = rdflib.Graph().parse(seed_build / "graph.ttl")
    linqing = next(s for s in g.subjects(RK.adminCode, rdflib.Literal("371581")))
    chain = [str(g.value(p, rdflib.RDFS.label)) for p in g.transitive_objects(linqing, RK.partOf)]
    assert chain == ["临清市", "聊城市", "山东省"]
