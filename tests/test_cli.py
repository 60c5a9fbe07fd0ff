"""Every command has help with an example; bad input gives a clear error, not a traceback."""
from click.testing import CliRunner

from kg.cli import main


def commands(group=main, prefix=()):
    for name, cmd in group.commands.items():
        yield prefix + (name,), cmd
        if hasattr(cmd, "commands"):
            yield from commands(cmd, prefix + (name,))


def test_every_command_has_help_with_an_example():
    runner = CliRunner()
    for path, _ in [((), main), *commands()]:
        result = runner.invoke(main, [*path, "--help"])
        assert result.exit_code == 0, path
        assert "Example" in result.output and "kg " in result.output, path


def test_kg_alone_shows_the_help():
    """`kg` with no command is a question about what it does, not a usage error (click exits 2 on it)."""
    result = CliRunner().invoke(main, [])
    assert result.exit_code == 0 and result.output == CliRunner().invoke(main, ["--help"]).output
    assert "Commands:" in result.output
    assert CliRunner().invoke(main, ["nope"]).exit_code == 2


def test_build_of_nothing_readable_fails_with_one_line(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(empty), "--out", str(tmp_path / "out")])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert "no article" in result.output


def test_build_summary_counts(own_build):
    report = (own_build / "report.json").read_text(encoding="utf-8")
    assert '"articles": 24' in report


def test_a_table_cell_listing_thousands_of_names_is_cut_to_its_column():
    from kg.rows import CELL, _columns, _cut

    names = "; ".join(f"第{n}县" for n in range(100000))
    cut = _cut(names)
    assert cut.endswith("…") and names.startswith(cut[:-1]) and CELL - 1 <= _columns(cut) <= CELL
    assert _cut("临清市") == "临清市"


def test_the_progress_total_is_known_before_reading_and_at_most_the_articles(own_build, tmp_path):
    from kg.ingest import expected_articles
    from tests.conftest import CORPUS

    jsonl = tmp_path / "lines.jsonl"
    jsonl.write_text('{"id": "a", "text": "临清市推行零基预算。"}\n\n{"id": "b", "text": "如皋市推行零基预算。"}\n',
                     encoding="utf-8")
    assert expected_articles([jsonl]) == 2
    files = [f for f in CORPUS.rglob("*") if f.is_file()]
    assert len(files) <= expected_articles([CORPUS]) <= 24   # the page of tests/corpus holds several


def test_report_json_is_readable_chinese(own_build):
    report = (own_build / "report.json").read_text(encoding="utf-8")
    assert "\\u" not in report and "两江新区" in report


def _fails(build, *args) -> str:
    """The one line a command that cannot answer prints, without a traceback."""
    result = CliRunner().invoke(main, [*map(str, args), "--out", str(build)])
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    return result.output


def test_an_ambiguous_practice_lists_its_candidates_by_label(own_build):
    said = _fails(own_build, "show", "帮办")
    ways = said.split(": ", 2)[-1].split("; ")[0].split(", ")
    assert ways[:3] == ["三江帮办", "帮办代办", "海陵帮办"], said
    shown = set()
    for way in ways:   # each can be written as listed and names one entity
        result = CliRunner().invoke(main, ["show", way, "--out", str(own_build), "--format", "json"])
        assert result.exit_code == 0, result.output
        shown.add(result.stdout)
    assert len(shown) == len(ways)


def test_a_name_may_be_given_in_part_down_to_one_character(own_build, seed_build):
    """kg show --help: a name "whole or in part"; a part several names hold lists them, of any kind."""
    said = _fails(own_build, "show", "海")
    assert "海陵区@泰州市" in said and "海陵帮办" in said and "海e办" in said, said
    assert "南海新区@威海市, 威海市@山东省" in _fails(seed_build, "show", "海")
    one_part = CliRunner().invoke(main, ["show", "泰", "--out", str(own_build), "--format", "json"])
    assert one_part.exit_code == 0 and one_part.stdout == CliRunner().invoke(
        main, ["show", "泰州市", "--out", str(own_build), "--format", "json"]).stdout


def _answers(build, *args):
    """What a question prints: its rows (json) and its notes on stderr."""
    result = CliRunner().invoke(main, [*map(str, args), "--out", str(build), "--format", "json"])
    assert result.exit_code == 0, result.output
    import json
    return json.loads(result.stdout), result.stderr


def test_an_empty_or_partly_empty_answer_says_why_on_stderr(own_build, seed_build):
    rows, said = _answers(own_build, "path", "海陵区", "rkid:locality/321202")
    assert rows == [] and "name the same entity (rkid:locality/321202): a path of no step" in said
    rows, said = _answers(own_build, "similar", "河北省")   # only its part 正定县 adopts anything
    assert rows and not any(r["shared"] for r in rows)
    assert "河北省 adopts nothing itself: compared by the practices of its parts (正定县)" in said
    assert "ranked by the thesaurus concepts above their practices alone (concept_jaccard)" in said
    rows, said = _answers(seed_build, "similar", "济宁市")
    assert any(r["shared"] for r in rows) and "(任城区, 汶上县)" in said and "concept_jaccard" not in said
    rows, said = _answers(seed_build, "compare", "网办率")
    assert rows == [] and "no metric of the build is of 网办率" in said


def test_a_diffusion_view_of_undated_adopters_says_why_and_writes_nothing(seed_build, tmp_path):
    """The seed page's articles are undated and so are most of their adoptions: nobody follows anybody."""
    page = tmp_path / "diff.html"
    result = CliRunner().invoke(main, ["viz", "--diffusion", "-o", str(page), "--out", str(seed_build)])
    assert result.exit_code == 1 and "Traceback" not in result.output and not page.exists()
    assert "no locality adopted a practice after another" in result.stderr and "adoptions undated" in result.stderr
    result = CliRunner().invoke(main, ["viz", "--diffusion", "--practice", "绩效评价", "-o", str(page),
                                       "--out", str(seed_build)])
    assert result.exit_code == 0 and page.exists() and "adopters undated" in result.stderr


def test_every_output_file_gets_its_folder_and_is_written_whole(own_build, tmp_path):
    for command in (["viz"], ["export", "--format", "turtle"], ["export", "--format", "graphml"]):
        target = tmp_path / command[-1] / "nodir" / "x.out"
        result = CliRunner().invoke(main, [*command, "-o", str(target), "--out", str(own_build)])
        assert result.exit_code == 0, result.output
        assert target.stat().st_size > 0 and [p.name for p in target.parent.iterdir()] == ["x.out"]
    (tmp_path / "afile").write_text("", encoding="utf-8")
    for command in (["viz"], ["export", "--format", "turtle"]):
        result = CliRunner().invoke(main, [*command, "-o", str(tmp_path / "afile" / "x"), "--out", str(own_build)])
        assert result.exit_code == 1 and "cannot write" in result.output and "Traceback" not in result.output


def test_a_sparql_syntax_error_is_one_complete_plain_line(seed_build):
    def said(sparql):
        result = CliRunner().invoke(main, ["query", sparql, "--out", str(seed_build)])
        assert result.exit_code == 1 and "Traceback" not in result.output, result.output
        assert len(result.output.strip().splitlines()) == 1, result.output
        return result.output.strip()

    assert said("") == said("  # only a comment\n") == "Error: the query is empty"
    assert said("SELECT ?x WHERE {") == "Error: bad SPARQL at line 1, column 18, after 'SELECT ?x WHERE {': unexpected end of query"
    unfinished = said("SELECT ?x WHERE { ?x ?p ?y")
    assert unfinished.endswith('unexpected end of query; expected one of ",", ".", ";", "{", "{|", "}", "~", a name')
    assert said("SELECT ?x WHERE { ?x ?p ?y } GROUP ?x").endswith("after '?x WHERE { ?x ?p ?y } GROUP ?x': unexpected end of query; expected BY")


def test_results_for_tools_end_on_a_line(own_build):
    import json
    from xml.etree import ElementTree

    select = "SELECT ?l WHERE { ?l a rk:Locality } LIMIT 2"
    for fmt, sparql, read in (("sparql-json", select, json.loads), ("sparql-xml", select, ElementTree.fromstring),
                              ("jsonld", "CONSTRUCT { ?l a rk:Locality } WHERE { ?l a rk:Locality } LIMIT 2", json.loads)):
        result = CliRunner().invoke(main, ["query", sparql, "--format", fmt, "--out", str(own_build)])
        assert result.exit_code == 0 and result.stdout.endswith("\n") and not result.stdout.endswith("\n\n"), fmt
        assert read(result.stdout) is not None


def test_excel_is_csv_for_excel(own_build):
    result = CliRunner().invoke(main, ["metrics", "--excel", "--limit", "1", "--out", str(own_build)])
    assert result.exit_code == 0 and result.stdout.startswith("\ufefflocality,province,")
    said = _fails(own_build, "metrics", "--excel", "--format", "json")
    assert "--excel writes CSV for Excel: give --format csv, not json" in said
