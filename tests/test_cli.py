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
    from kg.cli import CELL, _columns, _cut

    names = "; ".join(f"第{n}县" for n in range(100000))
    cut = _cut(names)
    assert cut.endswith("…") and names.startswith(cut[:-1]) and CELL - 1 <= _columns(cut) <= CELL
    assert _cut("临清市") == "临清市"
