"""The `kg` command line."""
from __future__ import annotations

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


if __name__ == "__main__":
    sys.exit(main())
