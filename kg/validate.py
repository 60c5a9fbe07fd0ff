"""Validation: a build checked against the SHACL shapes of ontology/shapes.ttl (pyshacl).

Every Metric has one value, one unit and one locality; rk:adopts links a Locality to a
Mechanism and rk:yields a Mechanism to a Metric; every entity has a @zh label; every
adopts and yields statement has its evidence (a reified rk:Statement, the body of an
oa:Annotation whose target quotes the sentence of an rk:Article). graph.nq.gz, when the
build has one, must hold the same statements as graph.ttl.
"""
from __future__ import annotations

from pathlib import Path

import click
import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, RDFS, SH, XSD

from . import outdir, store
from .rows import counted
from .vocab import RK, ontology_path

MAX_LINES = 50     # violations listed in a report; the count is always given


def shapes() -> rdflib.Graph:
    with ontology_path("shapes.ttl").open("rb") as f:
        return rdflib.Graph().parse(f, format="turtle")


def validate_graph(graph: rdflib.Graph) -> tuple[bool, str]:
    """(conforms, report) for a graph against ontology/shapes.ttl."""
    from pyshacl import validate

    conforms, results, _ = validate(graph, shacl_graph=shapes(), inference="none", advanced=True,
                                    allow_warnings=False)
    if conforms:
        counts = {name: len(set(graph.subjects(RDF.type, RK[name])))
                  for name in ("Locality", "Mechanism", "Metric", "Statement")}
        return True, ("conforms to ontology/shapes.ttl: " + ", ".join(f"{n} {k}" for k, n in counts.items())
                      + f", {counted(len(graph), 'triple')}")
    return False, _violations(results)


def _prefixes() -> list:
    from .rdf import PREFIXES
    table = {**{k: str(v) for k, v in PREFIXES.items()}, "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD),
             "sh": str(SH)}
    return sorted(table.items(), key=lambda kv: -len(kv[1]))      # longest namespace first (rkid before rk)


def _short(node) -> str:
    """A node as a reader wants it: prefix:rest for IRIs in the project's namespaces, quoted literals."""
    if node is None:
        return ""
    if isinstance(node, rdflib.Literal):
        return repr(str(node))
    text = str(node)
    for prefix, ns in _prefixes():
        if text.startswith(ns) and len(text) > len(ns):
            return f"{prefix}:{text[len(ns):]}"
    return f"<{text}>"


def _violations(results: rdflib.Graph) -> str:
    lines = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(r, SH.focusNode)
        path = results.value(r, SH.resultPath)
        value = results.value(r, SH.value)
        message = results.value(r, SH.resultMessage) or results.value(r, SH.sourceConstraintComponent)
        where = _short(focus) + (f" {_short(path)}" if path is not None else "")
        lines.append(f"{where}: {message}" + (f" (value {_short(value)})" if value is not None else ""))
    lines.sort()
    head = f"does not conform to ontology/shapes.ttl: {counted(len(lines), 'violation')}"
    more = [f"… and {len(lines) - MAX_LINES} more"] if len(lines) > MAX_LINES else []
    return "\n".join([head, *lines[:MAX_LINES], *more])


def validate_build(out_dir) -> tuple[bool, str]:
    """(conforms, report text) for the build in `out_dir`: graph.ttl against the shapes, and
    graph.nq.gz (if there) holding the same triples. A missing or unreadable build does not conform."""
    out_dir = Path(out_dir)
    ttl = Path(out_dir) / "graph.ttl"
    if not ttl.is_file():
        return False, f"no build in {out_dir}: graph.ttl is missing (run kg build first)"
    try:
        graph = rdflib.Graph().parse(ttl, format="turtle")
    except Exception as e:      # rdflib raises many kinds for bad Turtle
        return False, f"{ttl} is not readable Turtle: {str(e).splitlines()[0] if str(e) else type(e).__name__}"
    conforms, text = validate_graph(graph)
    nquads = Path(out_dir) / outdir.NQUADS
    if nquads.is_file():
        try:
            union = {q.triple for q in store.read_nquads(nquads)}
        except SyntaxError as e:
            return False, f"{text}\n{nquads} is not readable N-Quads: {str(e).splitlines()[0]}"
        own = {q.triple for q in ox.parse(path=str(ttl), format=ox.RdfFormat.TURTLE)}
        if union != own:
            conforms = False
            text += (f"\n{nquads.name} and graph.ttl differ: {counted(len(union - own), 'triple')} only in "
                     f"{nquads.name}, "
                     f"{len(own - union)} only in graph.ttl")
    problem = _store_problem(out_dir, len(graph))
    if problem:
        conforms, text = False, f"{text}\n{problem}"
    return conforms, text


def _store_problem(out_dir: Path, triples: int) -> str:
    """What is wrong with the store of a build (unreadable, or not holding graph.ttl's triples), if anything."""
    try:
        held = store.triples(store.connect(out_dir))
    except OSError as e:
        return str(e)
    return "" if held == triples else f"the store holds {counted(held, 'triple')}, graph.ttl {triples}: build again"


@click.command("validate")
@click.option("--out", "out_dir", default="output", show_default=True, type=click.Path(path_type=Path),
              help="The build to check (its graph.ttl and graph.nq.gz).")
def validate_command(out_dir):
    """Check a build against the SHACL shapes of ontology/shapes.ttl.

    Every Metric has one value, one unit and one locality; adopts links a Locality to a
    Mechanism, yields a Mechanism to a Metric; every entity has a @zh label; every adopts
    and yields statement has its evidence. Exits 1 and lists the violations otherwise.

    \b
    Example:
      kg build tests/corpus --out output/
      kg validate --out output/
    """
    if not (Path(out_dir) / "graph.ttl").is_file():
        raise click.ClickException(f"no build in {out_dir}: run kg build first")
    conforms, text = validate_build(out_dir)
    click.echo(f"{out_dir}: {text}")
    if not conforms:
        raise SystemExit(1)
