"""The RDF contract: evidence on every statement, named graphs per article, localities up to the province."""
import collections
import gzip
import re

import rdflib
from rdflib.namespace import RDF

from kg.vocab import RK
from conftest import CORPUS, ROOT

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


def test_turtle_names_article_nodes_by_prefix_and_says_what_the_nquads_say(own_build):
    """graph.ttl writes statement:…, target:… and the other kinds of node as prefixed names, not whole IRIs,
    and rdf:type as `a`."""
    text = (own_build / "graph.ttl").read_text(encoding="utf-8")
    assert text.count("<https://w3id.org/reformkg/id/statement/") == 1 and "\nstatement:" in text   # the @prefix
    assert '"^^<http://www.w3.org/2001/XMLSchema#' not in text
    assert " rdf:type " not in text and re.search(r"^statement:\S+ a rk:Statement", text, re.M)   # rdf:type as `a`
    quads = rdflib.Dataset()
    quads.parse(data=gzip.decompress((own_build / "graph.nq.gz").read_bytes()), format="nquads")
    assert set(rdflib.Graph().parse(data=text, format="turtle")) == {(s, p, o) for s, p, o, _ in quads.quads()}


def test_statements_read_from_one_sentence_are_bodies_of_its_one_annotation(own_build):
    g = rdflib.Graph().parse(own_build / "graph.ttl")
    annotations = set(g.subjects(RDF.type, OA.Annotation))
    targets = {g.value(ann, OA.hasTarget) for ann in annotations}
    assert len(annotations) == len(targets) == len(set(g.subjects(RDF.type, OA.SpecificResource)))
    assert max(len(list(g.objects(ann, OA.hasBody))) for ann in annotations) > 1


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


def test_nquads_have_one_named_graph_per_article(own_build):
    ds = rdflib.Dataset()
    ds.parse(data=gzip.decompress((own_build / "graph.nq.gz").read_bytes()), format="nquads")
    names = {c.identifier for c in ds.contexts() if str(c.identifier).startswith("https://w3id.org/reformkg/id/graph/")}
    articles = set(rdflib.Graph().parse(own_build / "graph.ttl").subjects(RDF.type, RK.Article))
    assert len(names) == len(articles) == 24


def test_localities_reach_their_province(seed_build):
    g = rdflib.Graph().parse(seed_build / "graph.ttl")
    linqing = next(s for s in g.subjects(RK.adminCode, rdflib.Literal("371581")))
    chain = [str(g.value(p, rdflib.RDFS.label)) for p in g.transitive_objects(linqing, RK.partOf)]
    assert chain == ["临清市", "聊城市", "山东省"]


def test_one_node_per_practice_across_wordings_and_scripts(tmp_path):
    """Variants of one practice share a node linked to its thesaurus concept."""
    from conftest import run_build

    (tmp_path / "a.txt").write_text(
        "宜良县完善事前绩效评估机制\n宜良县财政局全面推行事前绩效评估，对12个项目开展评审。"
        "建立绩效监控机制，实施“双随机+绩效”监管模式，完成15个项目。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(
        "富民縣推行績效監控\n富民縣財政局推行績效監控，實施“雙隨機+績效”監管，覆蓋20個部門。"
        "推行审批事项告知承诺制，全面实行告知承诺制。\n", encoding="utf-8")
    out = run_build([tmp_path / "a.txt", tmp_path / "b.txt"], tmp_path / "out")
    g = rdflib.Graph().parse(out / "graph.ttl")

    def adopted(code):
        loc = next(g.subjects(RK.adminCode, rdflib.Literal(code)))
        return set(g.objects(loc, RK.adopts))

    yiliang, fumin = adopted("530125"), adopted("530124")
    shared = yiliang & fumin
    labels = {str(l) for m in shared for l in g.objects(m, rdflib.RDFS.label)}
    assert {"绩效监控", "績效監控", "“双随机+绩效”监管模式"} <= labels
    assert all(g.value(m, rdflib.namespace.SKOS.broader) is not None for m in shared if "绩效监控" in
               {str(l) for l in g.objects(m, rdflib.RDFS.label)})
    ex_ante = [m for m in yiliang if {"事前绩效评估", "事前绩效评估机制"} & {str(l) for l in g.objects(m, rdflib.RDFS.label)}]
    assert len(ex_ante) == 1
    commitment = [m for m in fumin if any("告知承诺制" in str(l) for l in g.objects(m, rdflib.RDFS.label))]
    assert len(commitment) == 1


def test_a_large_graph_is_drawn_as_practices_and_the_provinces_they_spread_to(seed_build):
    from kg import network, store

    st = store.connect(seed_build)
    assert network.overview(st).number_of_nodes() == network.from_store(st).number_of_nodes()
    net = network.overview(st, max_nodes=20)
    kinds = {d["kind"] for _, d in net.nodes(data=True)}
    assert kinds == {"Locality", "Mechanism"}
    assert {d["label"] for _, d in net.nodes(data=True) if d["kind"] == "Locality"} == {"山东省"}
    for _, m, d in net.edges(data=True):
        adopted_by = int(net.nodes[m]["info"].split()[2])
        assert d["relation"] == "adopts" and d["evidence"].startswith(f"{adopted_by} localit{'y' if adopted_by == 1 else 'ies'}: ")


def test_each_thesaurus_label_names_one_concept_of_the_scheme():
    """A label shared by two concepts would link a practice to either at random; a broader concept
    that is not defined leaves a practice outside the hierarchy."""
    from collections import Counter
    from rdflib.namespace import SKOS
    from kg.vocab import ontology_graph
    g = ontology_graph("thesaurus.ttl")
    concepts = set(g.subjects(RDF.type, SKOS.Concept))
    labels = Counter(str(o) for p in (SKOS.prefLabel, SKOS.altLabel) for o in g.objects(None, p) if o.language == "zh")
    assert len(concepts) > 300 and [label for label, n in labels.items() if n > 1] == []
    for c in concepts:
        assert {o.language for o in g.objects(c, SKOS.prefLabel)} == {"zh", "en"}, c
        assert (c, SKOS.inScheme, None) in g and all(b in concepts for b in g.objects(c, SKOS.broader)), c


PREFERRED = """SELECT ?n ?label WHERE { { ?n a rk:Mechanism } UNION { ?n a skos:Concept } ?n skos:prefLabel ?label }"""


def preferred_labels(build) -> dict:
    from collections import defaultdict

    from kg import store

    found = defaultdict(list)
    for r in store.select(store.connect(build), PREFERRED):
        found[r["n"]].append(r["label"])
    return found


def test_one_preferred_label_per_practice_the_same_in_every_build(seed_build, own_build):
    """A query joining on labels gets one row per mechanism or concept, whichever articles were built."""
    seed, own = preferred_labels(seed_build), preferred_labels(own_build)
    assert seed and all(len(labels) == 1 for labels in [*seed.values(), *own.values()])
    both = seed.keys() & own.keys()
    mechanisms = {n for n in both if "/mechanism/" in n}
    assert mechanisms and all(seed[n] == own[n] for n in both)


EXACT = """SELECT ?source ?start ?end ?exact ?sentence WHERE {
  ?target oa:hasSource/dcterms:source ?source ; oa:hasSelector ?q, ?p .
  ?q oa:exact ?exact ; rk:sentence ?sentence . ?p oa:start ?start ; oa:end ?end
  FILTER NOT EXISTS { ?target oa:hasSource/dcterms:title ?sentence } }"""   # a title is quoted as one line


def test_the_exact_quote_is_the_source_text_at_its_offsets(own_build):
    """A client re-anchors a quote by its offsets: oa:exact is the text there as written (full-width
    punctuation, the line breaks of a newspaper column); rk:sentence is the sentence as shown."""
    from kg import store

    rows = [r for r in store.select(store.connect(own_build), EXACT) if "#" not in r["source"]]
    from kg.decode import decode

    texts = {s: decode((ROOT / s).read_bytes()).replace("\r\n", "\n").replace("\r", "\n")
             for s in {r["source"] for r in rows}}
    assert rows and all(texts[r["source"]][r["start"]:r["end"]] == r["exact"] for r in rows)
    assert any("，" in r["exact"] and "，" not in r["sentence"] for r in rows)
    assert any("\n" in r["exact"] for r in rows if r["source"].endswith("18_paper_page.txt"))


def test_a_change_and_an_approximate_figure_in_rdf(own_build):
    """由２５分钟缩短至８分钟 (10_zhengding_web): the metric of 8 has rk:before the metric of 25, of one article and
    locality; 约３．５万小时 (07_jinjiang_web) has rk:approximate "约", and an exact figure has none."""
    g = rdflib.Graph().parse(own_build / "graph.ttl")
    pairs = {(str(g.value(b, RK.surface)), str(g.value(a, RK.surface))): (a, b) for a, b in g.subject_objects(RK.before)}
    after, before = pairs[("25分钟", "8分钟")]
    assert (g.value(before, RK.value).toPython(), g.value(after, RK.value).toPython()) == (25, 8)
    assert g.value(before, RK.locality) == g.value(after, RK.locality) and g.value(
        before, rdflib.URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")) == g.value(
        after, rdflib.URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))
    assert len(pairs) == 7
    marks = {str(g.value(x, RK.surface)): g.value(x, RK.approximate) for x in g.subjects(RDF.type, RK.Metric)}
    assert marks["3.5万小时"] == rdflib.Literal("约") and marks["8分钟"] is None


def shared_lines(turtle: str) -> list:
    """The lines of graph.ttl about shared nodes: N-Triples, whole IRIs, one triple a line."""
    return [line for line in turtle.splitlines() if re.fullmatch(r"<[^ >]+> <[^ >]+> .+ \.", line)]


def test_graph_ttl_writes_each_triple_about_a_shared_node_once(own_build):
    """Localities, practices and agencies are in many articles: their triples (N-Triples lines in graph.ttl) are
    written by the first article that has them, and by no other."""
    shared = shared_lines((own_build / "graph.ttl").read_text(encoding="utf-8"))
    repeated = [line for line, n in collections.Counter(shared).items() if n > 1]
    assert len(shared) > 500 and repeated == [], repeated[:3]


def test_a_triple_naming_an_article_node_is_written_with_the_article_not_remembered(own_build):
    """A practice yields an article's metric: that triple is in one article only, so it is written with the
    article's own Turtle (prefixed), not among the shared lines a build remembers to write once."""
    text = (own_build / "graph.ttl").read_text(encoding="utf-8")
    shared = shared_lines(text)
    assert shared and not [line for line in shared if "/id/metric/" in line or "/id/statement/" in line]
    assert re.search(r"^mechanism:\S+ rk:yields metric:", text, re.M)
