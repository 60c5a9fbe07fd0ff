"""The `kg` command line."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .build import build as run_build


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main():
    """reformkg: a knowledge graph of Chinese local-government reform reports.

    \b
    Example:
      kg build tests/corpus --out output/
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_dir", default="output", show_default=True, type=click.Path(path_type=Path),
              help="Directory for graph.ttl, graph.trig, graph.html and report.json.")
def build(paths, out_dir):
    """Build the graph of the articles in PATHS (.txt, .md, .jsonl files or directories).

    \b
    Example:
      kg build ../shared/corpus/000_2257256481bb103b.txt --out output/
    """
    try:
        summary = run_build(paths, out_dir)
    except OSError as e:
        raise click.ClickException(f"cannot write to {out_dir}: {e.strerror or e}")
    for p in summary["problems"]:
        where = f"{p['source']}:{p['line']}" if p.get("line") else p["source"]
        click.echo(f"warning: {where}: {p['reason']}", err=True)
    if not summary["articles"]:
        raise click.ClickException("no article could be read from the given paths")
    click.echo(f"{summary['articles']} articles, {summary['localities']} localities, "
               f"{summary['mechanisms']} mechanisms, {summary['metrics']} metrics, "
               f"{summary['triples']} triples -> {out_dir}/graph.ttl, graph.trig, graph.html")


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


if __name__ == "__main__":
    sys.exit(main())
