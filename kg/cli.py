"""The `kg` command line: build a graph, then ask it questions, export it, draw it."""
from __future__ import annotations

import csv
import io
import json
import os
import sys
import unicodedata
from pathlib import Path

import click

from . import __version__, diffusion, export as exports, measures, names, questions, store
from .summary import NAME as SUMMARY
from .validate import validate_command

ROW_FORMATS = ("table", "csv", "tsv", "json")
CELL = 40  # terminal columns a table cell may take; csv, tsv and json give cells whole


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main():
    """reformkg: a knowledge graph of Chinese local-government reform reports.

    Build the graph once, then explore it: SPARQL (query), ready-made questions
    (localities, mechanisms, metrics, show, path, similar, stats), exports and an HTML view.
    Names may be written in simplified or traditional script, in full or short form.

    \b
    Example:
      kg build tests/corpus --out output/
      kg mechanisms --locality 济宁市
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_dir", default="output", show_default=True, type=click.Path(path_type=Path),
              help="Directory for graph.ttl, graph.nq, graph.html, report.json and the store.")
@click.option("--jobs", type=click.IntRange(1, 256), default=os.cpu_count() or 1, show_default="the machine's cores",
              help="Local processes that extract articles.")
@click.option("--engine", "engine_name", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where extraction runs: local processes, or dask.distributed.")
@click.option("--scheduler", help="Address of a running Dask scheduler (default with --engine dask: a LocalCluster).")
def build(paths, out_dir, jobs, engine_name, scheduler):
    """Build the graph of the articles in PATHS (.txt, .md, .jsonl, .html files or directories).

    Rebuilding into the same --out extracts only new or changed articles.

    \b
    Example:
      kg build ../shared/corpus/000_2257256481bb103b.txt --out output/
      kg build corpus/ --jobs 2 --engine dask
    """
    from tqdm import tqdm

    from .build import build as run_build

    with tqdm(unit="article", desc="extract", disable=not sys.stderr.isatty()) as bar:
        try:
            summary = run_build(paths, out_dir, jobs=jobs, engine_name=engine_name, scheduler=scheduler,
                                progress=bar.update)
        except OSError as e:
            raise click.ClickException(f"cannot write to {out_dir}: {e.strerror or e}")
    for p in summary["problems"]:
        where = f"{p['source']}:{p['line']}" if p.get("line") else p["source"]
        click.echo(f"warning: {where}: {p['reason']}", err=True)
    if not summary["articles"]:
        raise click.ClickException("no article could be read from the given paths")
    click.echo(f"{summary['articles']} articles, {summary['localities']} localities, "
               f"{summary['mechanisms']} mechanisms, {summary['metrics']} metrics, "
               f"{summary['triples']} triples -> {out_dir}/graph.ttl, graph.nq, graph.html, store")


@main.command("eval")
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", default="output", show_default=True, type=click.Path(path_type=Path),
              help="The build to score (its graph.ttl).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as one JSON object.")
def eval_command(gold, out_dir, as_json):
    """Score the build in --out against gold annotations (ANNOTATION.md §4).

    Prints precision, recall and F1 for localities, parents, adopts, yields and metrics,
    and per article what was missed and what was extra.

    \b
    Example:
      kg build ../shared/corpus/dev && kg eval ../shared/gold/dev.json
    """
    from .evaluate import evaluate, report_lines

    graph = out_dir / "graph.ttl"
    if not graph.exists():
        raise click.ClickException(f"no build in {out_dir}: run kg build first")
    try:
        out = evaluate(graph, list(gold))
    except (ValueError, KeyError, TypeError) as e:
        raise click.ClickException(f"gold file not in the ANNOTATION.md format: {e}")
    if as_json:
        click.echo(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        click.echo("\n".join(report_lines(out)))


def _out_option(f):
    return click.option("--out", "out_dir", default="output", show_default=True, type=click.Path(path_type=Path),
                         help="The build to read.")(f)


def _format_option(f):
    return click.option("--format", "fmt", type=click.Choice(ROW_FORMATS), default="table", show_default=True,
                        help=f"How to print rows; table cuts cells at {CELL} columns.")(f)


def _connect(out_dir: Path, opener=store.connect):
    try:
        return opener(out_dir)
    except OSError as e:
        raise click.ClickException(str(e) if isinstance(e, FileNotFoundError)
                                   else f"cannot open the store in {out_dir}: {e}")


def _open(out_dir: Path) -> questions.Build:
    def computing():
        click.echo(f"note: no {SUMMARY} of this kg in {out_dir}: computing it, which takes minutes "
                   "on big builds; kg build writes it", err=True)

    return _connect(out_dir, lambda d: questions.open_build(d, computing))


def _answer(out_dir: Path, fmt: str, question, *args, **options) -> None:
    """Ask a question of the build in `out_dir`, print its table, and its notes on stderr."""
    try:
        table = question(_open(out_dir), *args, **options)
    except names.NotFound as e:
        raise click.ClickException(str(e))
    _print(table.columns, table.rows, fmt)
    for note in table.notes:
        click.echo(f"note: {note}", err=True)


def _limit_option(what: str):
    return click.option("--limit", default=questions.LIMIT, show_default=True, type=click.IntRange(0),
                        help=f"At most this many {what} (0: all); a note on stderr says how many there are.")


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v).lower()
    return "; ".join(map(_cell, v)) if isinstance(v, list) else str(v)


def _width(c: str) -> int:
    return 2 if unicodedata.east_asian_width(c) in "WF" else 1


def _columns(text: str) -> int:
    return sum(map(_width, text))


def _cut(text: str) -> str:
    """The text on one line, cut with … to at most CELL columns (one pass: a cell may list 10^5 names)."""
    text = " ".join(text.split())
    used = 0
    for n, c in enumerate(text):
        used += _width(c)
        if used > CELL - 1:
            return text if _columns(text[n:]) + used - _width(c) <= CELL else text[:n] + "…"
    return text


def _print(columns, rows, fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps([dict(zip(columns, row)) for row in rows], ensure_ascii=False, indent=1))
    elif fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_cell(v) for v in row] for row in rows)
        click.echo(buf.getvalue(), nl=False)
    else:
        cells = [list(columns)] + [[_cut(_cell(v)) for v in row] for row in rows]
        widths = [max(_columns(row[i]) for row in cells) for i in range(len(columns))]
        cells.insert(1, ["-" * w for w in widths])
        for row in cells:
            click.echo("  ".join(c + " " * (w - _columns(c)) for c, w in zip(row, widths)).rstrip())


@main.command()
@click.argument("sparql", required=False)
@click.option("-f", "--file", "file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the query from FILE (.rq).")
@_format_option
@_out_option
def query(sparql, file, fmt, out_dir):
    """Run a SPARQL query: SELECT, ASK, CONSTRUCT or DESCRIBE.

    The prefixes rk:, rkid:, rkm:, rdf:, rdfs:, xsd:, skos:, prov:, dcterms:, org: and oa:
    are declared. The store holds every statement once, in its default graph; each article's
    own named graph is in graph.nq (and in a server after kg push).

    \b
    Example:
      kg query 'SELECT ?name ?code WHERE { ?l a rk:Locality ; rdfs:label ?name ; rk:adminCode ?code }'
      kg query -f question.rq --format csv
    """
    if (sparql is None) == (file is None):
        raise click.UsageError("give either a query or -f FILE")
    try:
        text = sparql if file is None else file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise click.ClickException(f"cannot read {file}: {e}")
    st = _connect(out_dir)
    try:
        columns, rows = store.run(st, text)
    except ValueError as e:
        raise click.ClickException(str(e))
    except (OSError, RuntimeError) as e:
        raise click.ClickException(f"the query failed: {' '.join(str(e).split())}")
    _print(columns, rows, fmt)


@main.command()
@_format_option
@_out_option
def localities(fmt, out_dir):
    """Each locality with its parents, code, and counts of the mechanisms it adopts and the metrics it reports.

    \b
    Example:
      kg localities --format csv
    """
    _answer(out_dir, fmt, questions.localities)


@main.command()
@click.option("--locality", help="Only mechanisms adopted in this locality or any part of it.")
@click.option("--concept", help="Only mechanisms under this thesaurus concept.")
@_format_option
@_out_option
def mechanisms(locality, concept, fmt, out_dir):
    """Mechanisms with their concepts and how many localities adopt each.

    --locality rolls the hierarchy up: 济宁市 includes 任城区 and 汶上县, 山东省 everything in Shandong.

    \b
    Example:
      kg mechanisms --locality 济宁市
      kg mechanisms --concept 绩效评价 --format json
    """
    _answer(out_dir, fmt, questions.mechanisms, locality, concept)


@main.command()
@click.option("--locality", help="Only metrics of this locality or any part of it.")
@click.option("--mechanism", help="Only metrics this mechanism yields.")
@_limit_option("metrics")
@_format_option
@_out_option
def metrics(locality, mechanism, limit, fmt, out_dir):
    """Metrics: locality, what they measure, value, unit, year, the mechanisms that yield them, evidence.

    \b
    Example:
      kg metrics --locality 临清市
      kg metrics --mechanism 绩效评价 --format csv --limit 0
    """
    _answer(out_dir, fmt, questions.metrics, locality, mechanism, limit=limit)


@main.command()
@click.argument("name")
@_limit_option("rows of each relation")
@_format_option
@_out_option
def show(name, limit, fmt, out_dir):
    """Everything about one entity, with the sentences its relations come from (← marks incoming ones).

    NAME is a locality, mechanism, concept or agency, whole or in part, or the whole label of a
    metric or an article.

    \b
    Example:
      kg show 临清市
      kg show 任城 --format json
    """
    _answer(out_dir, fmt, questions.show, name, limit=limit)


@main.command()
@click.argument("a")
@click.argument("b")
@_format_option
@_out_option
def path(a, b, fmt, out_dir):
    """The shortest connection between entities A and B (← marks a relation followed backwards).

    It runs through localities, mechanisms, concepts and agencies; a metric or an article can be
    at either end.

    \b
    Example:
      kg path 临清市 菏泽市
    """
    _answer(out_dir, fmt, questions.path, a, b)


@main.command()
@click.argument("name")
@_limit_option("localities")
@_format_option
@_out_option
def similar(name, limit, fmt, out_dir):
    """Localities ranked by how alike their practices are to NAME's.

    Jaccard similarity of the mechanisms adopted, then of the thesaurus concepts above them,
    with the mechanisms they share.

    \b
    Example:
      kg similar 菏泽市
    """
    _answer(out_dir, fmt, questions.similar, name, limit=limit)


@main.command()
@click.argument("practice", required=False)
@click.option("--by", type=click.Choice(diffusion.GROUPS), default="adopter", show_default=True,
              help="One row per adopter, or per year, province or level (province, city, county, zone).")
@_limit_option("practices ranked")
@_format_option
@_out_option
def spread(practice, by, limit, fmt, out_dir):
    """How a practice spread: its adopters in the order they adopted it, first adopters marked.

    PRACTICE covers the mechanisms it names and those under the thesaurus concept it names. An
    adoption is dated by its article's dcterms:issued, else by the year of the metrics the practice
    yields in that article (dated_by: metric); undated adopters come last. Without PRACTICE,
    practices ranked by the provinces, localities and years they reached.

    \b
    Example:
      kg spread 预算管理一体化
      kg spread 告知承诺制 --by year --format csv
      kg spread
    """
    _answer(out_dir, fmt, diffusion.spread, practice, by=by, limit=limit)


@main.command()
@click.argument("measure", required=False)
@click.option("--all", "everything", is_flag=True, help="List the values that cannot be compared too, flagged.")
@_format_option
@_out_option
def compare(measure, everything, fmt, out_dir):
    """One measure across localities: value, unit, year, source and sentence, largest first.

    MEASURE is a measure of ontology/measures.ttl (审减率, 节约率, 压缩率, 覆盖率, 办结时限, 资金规模 …);
    a metric is of it when its words name it. Values that cannot be compared (an amount where a
    rate is meant, another unit) are left out, or flagged with --all. Without MEASURE, the measures
    and how many values each has.

    \b
    Example:
      kg compare 审减率
      kg compare 压缩率 --all --format csv
    """
    _answer(out_dir, fmt, measures.compare, measure, everything=everything)


@main.command()
@_format_option
@_out_option
def stats(fmt, out_dir):
    """Counts, the most adopted mechanisms, centrality, and communities of localities sharing practices.

    \b
    Example:
      kg stats --format json
    """
    _answer(out_dir, fmt, questions.stats)


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(exports.FORMATS), required=True,
              help="graphml or gexf (Gephi, networkx), csv (one row per edge), jsonld (the RDF graph).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The file to write.")
@_out_option
def export_command(fmt, output, out_dir):
    """Write the graph for other tools.

    \b
    Example:
      kg export --format graphml -o graph.graphml
    """
    st = _connect(out_dir)
    try:
        what = exports.export(st, fmt, output)
    except OSError as e:
        raise click.ClickException(f"cannot write {output}: {e.strerror or e}")
    click.echo(f"{what} -> {output}")


@main.command()
@click.option("--focus", help="Draw only what is around this entity.")
@click.option("--depth", default=2, show_default=True, type=click.IntRange(0, 20),
              help="How many steps from --focus to draw.")
@click.option("--diffusion", "diffusion_view", is_flag=True,
              help="Draw the diffusion network: an arrow from each locality to those that adopted one of its practices later.")
@click.option("--practice", help="With --diffusion: the adopters of this practice on a timeline.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML file to write [default: DIR/view.html].")
@_out_option
def viz(focus, depth, diffusion_view, practice, output, out_dir):
    """Draw the graph as one HTML page that works offline.

    \b
    Example:
      kg viz --focus 济宁市 --depth 2 -o jining.html
      kg viz --diffusion -o diffusion.html
      kg viz --diffusion --practice 零基预算 -o timeline.html
    """
    from . import network, viz as views

    opened = _open(out_dir)
    if practice and not diffusion_view:
        raise click.UsageError("--practice draws a diffusion timeline: give --diffusion too")
    if diffusion_view:
        net, title = _diffusion_net(opened, practice)
    else:
        net, title = network.from_store(opened.store), "reformkg"
    if focus:
        try:
            centre = names.one(opened, focus)
        except names.NotFound as e:
            raise click.ClickException(str(e))
        net, title = network.around(net, centre.iri, depth), f"reformkg: {centre.label}"
    output = output or out_dir / "view.html"
    try:
        n = views.write_html(net, output, title=title)
    except OSError as e:
        raise click.ClickException(f"cannot write {output}: {e.strerror or e}")
    click.echo(f"{n} nodes -> {output}")


def _diffusion_net(opened, practice):
    """The diffusion network of the build, or one practice's timeline, and the page title."""
    try:
        practices = diffusion.practices_named(opened, practice) if practice else None
    except names.NotFound as e:
        raise click.ClickException(str(e))
    title = f"reformkg: {practice} 扩散时间线" if practice else "reformkg: 扩散网络 diffusion"
    return diffusion.network(opened.store, practices), title


@main.command()
@click.argument("endpoint")
@click.option("--user", help="User name for HTTP basic authentication.")
@click.option("--password-env", default="KG_PASSWORD", show_default=True,
              help="Environment variable that holds the password (never given on the command line).")
@click.option("--retries", default=3, show_default=True, type=click.IntRange(0, 10),
              help="Tries again after a transient failure, with backoff.")
@_out_option
def push(endpoint, user, password_env, retries, out_dir):
    """Load the build into a SPARQL server, one named graph per article (Graph Store Protocol PUT).

    ENDPOINT is the server's graph store: Oxigraph http://HOST/store, Fuseki
    http://HOST/DATASET/data, GraphDB http://HOST/repositories/R/rdf-graphs/service.
    Pushing twice leaves the same data.

    \b
    Example:
      KG_PASSWORD=secret kg push http://localhost:7878/store --user admin
    """
    from tqdm import tqdm

    from .push import PushError, push as push_build, redact

    password = os.environ.get(password_env) if user else None
    with tqdm(unit="graph", desc="push", disable=not sys.stderr.isatty()) as bar:
        try:
            sent = push_build(out_dir, endpoint, user=user, password=password, retries=retries, progress=bar.update)
        except PushError as e:
            raise click.ClickException(str(e))
    click.echo(f"{sent['graphs']} article graphs, {sent['triples']} triples -> {redact(endpoint)}")


main.add_command(validate_command)

if __name__ == "__main__":
    sys.exit(main())
