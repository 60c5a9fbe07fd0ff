"""The `kg` command line: build a graph, then ask it questions, export it, draw it."""
from __future__ import annotations

import contextlib
import itertools
import json
import os
import sys
from pathlib import Path

import click

from . import __version__, diffusion, export as exports, measures, names, network, questions, store
from .outdir import replaced_whole
from .rows import CELL, counted, print_rows
from .store import ROW_FORMATS
from .summary import NAME as SUMMARY
from .validate import validate_command



class Commands(click.Group):
    """The commands, with a store found unreadable at any point reported as one line."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except store.Unreadable as e:
            raise click.ClickException(str(e)) from None
        except RuntimeError as e:   # RocksDB found a damaged block while reading
            if not str(e).startswith(store.DAMAGED):
                raise
            raise click.ClickException(str(store.unreadable(e))) from None


@click.group(cls=Commands, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
@click.pass_context
def main(ctx):
    """reformkg: a knowledge graph of Chinese local-government reform reports.

    Build the graph once, then explore it: SPARQL (query), ready-made questions
    (localities, mechanisms, metrics, show, path, similar, stats), exports and an HTML view.
    Names may be written in simplified or traditional script, in full or short form, as
    NAME@PARENT (两江新区@重庆市), or as an IRI (rkid:locality/321202).

    \b
    Example:
      kg build tests/corpus --out output/
      kg mechanisms --locality 泰州市
    """
    if ctx.invoked_subcommand is None:   # kg alone asks what it can do: the help, not a usage error
        click.echo(ctx.get_help())


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", default="output", show_default=True, type=click.Path(path_type=Path),
              help="Directory for graph.ttl, graph.nq.gz, graph.html, report.json and the store.")
@click.option("--jobs", type=click.IntRange(1, 256), default=os.cpu_count() or 1, show_default="the machine's cores",
              help="Local processes that extract articles.")
@click.option("--engine", "engine_name", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where extraction runs: local processes, or dask.distributed.")
@click.option("--scheduler", help="Address of a running Dask scheduler (default with --engine dask: a LocalCluster).")
@click.option("--add", is_flag=True,
              help="Keep the articles of the previous build in --out that PATHS do not hold (default: remove them).")
def build(paths, out_dir, jobs, engine_name, scheduler, add):
    """Build the graph of the articles in PATHS (.txt, .md, .jsonl, .html files or directories).

    Rebuilding into the same --out extracts only new or changed articles; the articles of
    the previous build that PATHS no longer hold are removed, unless --add is given. A build
    that fails or reads no article leaves --out as it was.

    \b
    Example:
      kg build ../shared/corpus/000_2257256481bb103b.txt --out seed/
      kg build tests/corpus --jobs 2 --engine dask
      kg build tests/corpus/01_jiangshan.txt --out output/ --add
    """
    from tqdm import tqdm

    from .build import BuildError, build as run_build
    from .ingest import expected_articles
    from .outdir import Busy

    shown = sys.stderr.isatty()
    with tqdm(unit="article", desc="build", total=expected_articles(paths, [out_dir]) if shown else None,
              disable=not shown) as bar:
        def advance(n: int) -> None:
            if bar.total is not None and bar.n + n > bar.total:   # a newspaper page held several articles
                bar.total = bar.n + n
            bar.update(n)

        try:
            summary = run_build(paths, out_dir, jobs=jobs, engine_name=engine_name, scheduler=scheduler,
                                progress=advance, add=add)
        except BuildError as e:
            _warn(e.problems)
            raise click.ClickException(str(e))
        except Busy as e:
            raise click.ClickException(str(e))
        except OSError as e:
            raise click.ClickException(f"cannot write to {out_dir}: {e.strerror or e}; it is left as it was")
    _warn(summary["problems"])
    counts = {k: counted(summary[k], one) for k, one in (("articles", "article"), ("localities", "locality"),
                                                         ("mechanisms", "mechanism"), ("metrics", "metric"),
                                                         ("triples", "triple"))}
    click.echo(f"{counts['articles']} ({summary['extracted']} extracted, {summary['reused']} reused, "
               f"{summary['removed']} removed), {counts['localities']}, {counts['mechanisms']}, {counts['metrics']}, "
               f"{counts['triples']} -> {out_dir}/graph.ttl, graph.nq.gz, graph.html, store")


def _warn(problems: list) -> None:
    for p in problems:
        where = f"{p['source']}:{p['line']}" if p.get("line") else p["source"]
        click.echo(f"warning: {where}: {p['reason']}", err=True)


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
      kg build ../shared/corpus/dev --out dev && kg eval ../shared/gold/dev.json --out dev
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


def _full_option(f):
    return click.option("--full", is_flag=True, expose_value=False, is_eager=True,
                        callback=lambda ctx, _, full: ctx.meta.__setitem__("kg.full", full),
                        help="Show table cells whole.")(f)


def _excel_option(f):
    return click.option("--excel", is_flag=True, expose_value=False, is_eager=True,
                        callback=lambda ctx, _, excel: ctx.meta.__setitem__("kg.excel", excel),
                        help="CSV in UTF-8 with a byte-order mark, as Excel opens it (implies --format csv).")(f)


def _format_option(f):
    return _excel_option(_full_option(click.option("--format", "fmt", type=click.Choice(ROW_FORMATS), default="table",
                                     show_default=True, help=f"How to print rows; table cuts cells at {CELL} "
                                                             "columns (--full shows them whole).")(f)))


def _connect(out_dir: Path, opener=store.connect):
    try:
        return opener(out_dir)
    except OSError as e:
        raise click.ClickException(str(e) if isinstance(e, (FileNotFoundError, store.Unreadable))
                                   else f"cannot open the store in {out_dir}: {e}")


def _open(out_dir: Path) -> questions.Build:
    def computing():
        click.echo(f"note: no {SUMMARY} of this kg in {out_dir}: computing it, which takes minutes "
                   "on big builds; kg build writes it", err=True)

    return _connect(out_dir, lambda d: questions.open_build(d, computing))


def _answer(out_dir: Path, fmt: str, question, *args, **options) -> None:
    """Ask a question of the build in `out_dir`, print its table, and its notes on stderr. A `limit` not
    given is questions.LIMIT rows in a table, for a reader at a terminal, and all rows in csv, tsv and
    json, which go to files and tools."""
    fmt = _excel_format(fmt)
    if "limit" in options and options["limit"] is None:
        options["limit"] = questions.LIMIT if fmt == "table" else 0
    try:
        table = question(_open(out_dir), *args, **options)
    except names.NotFound as e:
        raise click.ClickException(str(e))
    _print(table.columns, table.rows, fmt)
    for note in table.notes:
        click.echo(f"note: {note}", err=True)


def _print(columns, rows, fmt: str) -> None:
    """print_rows with this command's --full and --excel."""
    meta = click.get_current_context().meta
    print_rows(columns, rows, fmt, full=bool(meta.get("kg.full")), excel=bool(meta.get("kg.excel")))


def _excel_format(fmt: str) -> str:
    """--excel is CSV for Excel: it makes the default format csv, and refuses any other format given."""
    ctx = click.get_current_context()
    if not ctx.meta.get("kg.excel") or fmt == "csv":
        return fmt
    if ctx.get_parameter_source("fmt") is not click.core.ParameterSource.DEFAULT:
        raise click.ClickException(f"--excel writes CSV for Excel: give --format csv, not {fmt}, or leave --format out")
    return "csv"


def _limit_option(what: str):
    return click.option("--limit", type=click.IntRange(0, 10**9),
                        help=f"At most this many {what} (0: all); by default {questions.LIMIT} in a table, all in "
                             "csv, tsv and json. A note on stderr says how many there are.")


QUERY_FORMATS = (*ROW_FORMATS, *store.RESULTS_FORMATS, *store.RDF_FORMATS)


@main.command()
@click.argument("sparql", required=False)
@click.option("-f", "--file", "file", type=click.File("r", encoding="utf-8"),
              help="Read the query from FILE (.rq); - reads it from stdin.")
@click.option("--timeout", type=click.FloatRange(0, 7 * 24 * 3600, min_open=True), default=60, show_default=True,
              help="Stop the query after this many seconds (Ctrl-C stops it at once).")
@click.option("--allow-service", is_flag=True, help="Let SERVICE clauses send requests to other servers.")
@click.option("--format", "fmt", type=click.Choice(QUERY_FORMATS),
              help="SELECT and ASK: rows as table (default), csv, tsv, json, or W3C results as sparql-json, "
                   "sparql-xml, sparql-csv, sparql-tsv. CONSTRUCT and DESCRIBE: RDF as turtle (default), "
                   "ntriples, trig, jsonld, rdfxml, or rows of triples.")
@_full_option
@_out_option
def query(sparql, file, timeout, allow_service, fmt, out_dir):
    """Run a SPARQL query: SELECT, ASK, CONSTRUCT or DESCRIBE.

    The prefixes rk:, rkid:, rkm:, rdf:, rdfs:, xsd:, skos:, prov:, dcterms:, org: and oa:
    are declared. The store holds every statement once, in its default graph; each article's
    own named graph is in graph.nq.gz (and in a server after kg push). A table shows IRIs by
    their prefixed names (rkid:locality/321202, in a query <https://w3id.org/reformkg/id/locality/321202>);
    sparql-json keeps language tags and datatypes. On a terminal, control characters in values
    are shown escaped.

    \b
    Example:
      kg query 'SELECT ?name ?code WHERE { ?l a rk:Locality ; rdfs:label ?name ; rk:adminCode ?code }'
      echo 'ASK { ?l rk:adopts ?m }' | kg query -f - --format csv
      kg query 'DESCRIBE <https://w3id.org/reformkg/id/locality/321202>'
      kg query 'SELECT ?l ?name WHERE { ?l rdfs:label ?name } LIMIT 3' --format sparql-json --timeout 600
    """
    from . import sparql as queries

    if (sparql is None) == (file is None):
        raise click.UsageError("give either a query or -f FILE")
    try:
        text = sparql if file is None else file.read()
    except (OSError, UnicodeDecodeError) as e:
        raise click.ClickException(f"cannot read {file.name}: {e}")
    try:
        answer = queries.run(out_dir, text, timeout, allow_service, fmt, idle=sys.stdout.flush)
    except queries.WrongFormat as e:
        raise click.UsageError(str(e))
    except (ValueError, OSError, queries.Stopped) as e:
        raise click.ClickException(str(e))
    printed = itertools.count()
    try:
        with contextlib.closing(answer.parts):
            if answer.columns is None:
                last = "\n"
                for part in answer.parts:
                    sys.stdout.write(part)
                    last = part[-1:] or last
                sys.stdout.write("" if last == "\n" else "\n")   # sparql-json, sparql-xml, jsonld, rdfxml end on a line
                sys.stdout.flush()
            else:
                rows = (row for row, _ in zip(answer.parts, printed))
                if sys.stdout.isatty():
                    rows = (tuple(map(queries.shown, row)) for row in rows)
                _print(answer.columns, rows, answer.fmt)
    except BrokenPipeError:     # the reader (head, a pager) has had enough: the child is gone, stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except (ValueError, OSError, queries.Stopped) as e:
        raise click.ClickException(str(e))
    if (answer.triples == 0) if answer.columns is None else next(printed) == 0:
        click.echo("note: nothing in the build answers the query (kg show NAME lists what one entity has)", err=True)


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
@_limit_option("mechanisms, the most adopted first")
@_format_option
@_out_option
def mechanisms(locality, concept, limit, fmt, out_dir):
    """Mechanisms with their concepts and how many localities adopt each.

    --locality rolls the hierarchy up: 泰州市 includes 海陵区, 江苏省 everything in Jiangsu.

    \b
    Example:
      kg mechanisms --locality 泰州市
      kg mechanisms --concept 绩效评价 --format json
    """
    _answer(out_dir, fmt, questions.mechanisms, locality, concept, limit=limit)


@main.command()
@click.option("--locality", help="Only metrics of this locality or any part of it.")
@click.option("--mechanism", help="Only metrics this mechanism yields.")
@_limit_option("metrics")
@_format_option
@_out_option
def metrics(locality, mechanism, limit, fmt, out_dir):
    """Metrics, a row each: locality, province, the mechanisms that yield them, what they measure, value,
    unit, the value a change started from and its unit (由45个工作日压缩至7个工作日: 45 工作日 on the row
    of 7), the number as written, the word that makes it approximate (约, 多 …), year, article title,
    evidence sentence.

    \b
    Example:
      kg metrics --locality 海陵区
      kg metrics --format csv --excel > metrics.csv
    """
    _answer(out_dir, fmt, questions.metrics, locality, mechanism, limit=limit)


@main.command()
@click.argument("name")
@_limit_option("rows of each relation")
@_format_option
@_out_option
def show(name, limit, fmt, out_dir):
    """Everything about one entity, with the sentences its relations come from (← marks incoming ones).

    NAME is a locality, mechanism, concept or agency, whole or in part (a part that several names
    hold lists them), or the whole label of a metric or an article.

    \b
    Example:
      kg show 海陵区
      kg show 海陵 --format json
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
      kg path 海陵区 南阳市
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
      kg similar 海陵区
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
              help="graphml or gexf (Gephi, networkx), csv (one row per edge); the RDF graph as jsonld, "
                   "turtle, ntriples or trig.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path), required=True,
              help="The file to write (written whole or not at all, its folder created); - writes to stdout.")
@_out_option
def export_command(fmt, output, out_dir):
    """Write the graph for other tools.

    \b
    Example:
      kg export --format graphml -o graph.graphml
      kg export --format turtle -o - | gzip > graph.ttl.gz
    """
    st = _connect(out_dir)
    if str(output) == "-":
        try:
            what = exports.export(st, fmt, sys.stdout.buffer, out_dir)
        except exports.NoGraph as e:
            raise click.ClickException(str(e))
        sys.stdout.buffer.flush()
        click.echo(f"{what} -> stdout", err=True)
        return
    try:
        with replaced_whole(output) as stream:
            what = exports.export(st, fmt, stream, out_dir)
    except exports.NoGraph as e:
        raise click.ClickException(str(e))
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
@click.option("--max-nodes", default=network.OVERVIEW_NODES, show_default=True, type=click.IntRange(1),
              help="A graph with more nodes is drawn as its most adopted practices and their provinces.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML file to write (written whole or not at all, its folder created) [default: DIR/view.html].")
@_out_option
def viz(focus, depth, diffusion_view, practice, max_nodes, output, out_dir):
    """Draw the graph as one HTML page that works offline.

    A graph of more than --max-nodes nodes is drawn as its most adopted practices and the provinces
    they spread to (the page says "top N of M" and how to see more); --focus draws everything within --depth steps of one entity, its metrics, and
    the hierarchy below it.

    \b
    Example:
      kg viz --focus 泰州市 --depth 2 -o taizhou.html
      kg viz --diffusion -o diffusion.html
      kg viz --diffusion --practice 零基预算 -o timeline.html
      kg viz --max-nodes 5000 -o all.html
    """
    from . import viz as views

    opened = _open(out_dir)
    if practice and not diffusion_view:
        raise click.UsageError("--practice draws a diffusion timeline: give --diffusion too")
    if diffusion_view:
        net, title = _diffusion_net(opened, practice)
    else:
        net, title = network.overview(opened.store, max_nodes), "reformkg"
    if focus:
        try:
            centre = names.one(opened, focus)
        except names.NotFound as e:
            raise click.ClickException(str(e))
        whole = network.from_store(opened.store)
        net, title = network.around(whole, centre.iri, depth, opened.store), f"reformkg: {centre.label}"
    for note in net.graph.get("notes", []):
        click.echo(f"note: {note}", err=True)
    if not net:
        raise click.ClickException("nothing to draw, no page written")
    output = output or out_dir / "view.html"
    try:
        n = views.write_html(net, output, title=title)
    except OSError as e:
        raise click.ClickException(f"cannot write {output}: {e.strerror or e}")
    click.echo(f"{counted(n, 'node')} -> {output}")


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
    Pushing twice leaves the same data; after a rebuild, the graphs the previous push put there
    that the build no longer has are removed (DIR/pushed.json remembers them), and no other.

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
        except OSError as e:
            raise click.ClickException(f"cannot record the push in {out_dir}: {e.strerror or e}")
    click.echo(f"{counted(sent['graphs'], 'article graph')}, {counted(sent['triples'], 'triple')} -> "
               f"{redact(endpoint)}; {counted(sent['removed'], 'graph')} of the previous push that the build no longer "
               "has removed")


main.add_command(validate_command)

if __name__ == "__main__":
    sys.exit(main())
