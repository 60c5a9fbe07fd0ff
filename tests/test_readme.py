"""The README is true: every command of its ```bash blocks, and every example of `kg … --help`, runs
as written in a new shell after the first command (`bash scripts/setup.sh`).

The commands run in a checkout of their own (links to this one's .venv, code and data, and ../shared
beside it), whose output/ is the build setup.sh makes, so they write nothing here.
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from tests.conftest import CORPUS, ROOT, SHARED, need_shared, run_build

SETUP = ("bash scripts/setup.sh", ".venv/bin/python -m pytest -q")   # the first block: set up, run these tests
LINKED = (".venv", "kg", "ontology", "scripts", "tests", "pyproject.toml", "README.md")
NEEDS_A_SERVER = ("kg push",)   # shown with a placeholder endpoint; tests/test_push.py pushes to a live server


def _commands(block: str) -> list:
    """The commands of a shell block: a command goes on over lines while a quote is open or a line ends in \\."""
    commands, current = [], ""
    for line in block.splitlines():
        current = f"{current}\n{line}" if current else line
        if not current.strip():
            current = ""
            continue
        try:
            shlex.split(current, comments=True)
        except ValueError:   # an open quote: the query goes on
            continue
        if not current.endswith("\\"):
            commands.append(current.strip())
            current = ""
    assert not current, f"unterminated command in the README: {current!r}"
    return commands


def readme_commands() -> list:
    blocks = re.findall(r"^```bash\n(.*?)^```", (ROOT / "README.md").read_text(encoding="utf-8"), re.M | re.S)
    commands = [c for b in blocks for c in _commands(b)]
    assert tuple(c.split("#")[0].strip() for c in commands[:2]) == SETUP
    return commands[2:]


def help_examples() -> list:
    """The `kg …` lines under "Example:" in the help of every command."""
    names = [()] + [(n,) for n in main.commands]
    examples = []
    for name in names:
        text = CliRunner().invoke(main, [*name, "--help"], terminal_width=200).output
        examples += [line.strip() for line in text.split("Example:", 1)[-1].splitlines()
                     if line.strip().startswith(("kg ", "KG_"))]
    return [e for e in examples if not any(s in e for s in NEEDS_A_SERVER)]


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    """A directory laid out as after setup.sh: the repository's files linked, output/ built from tests/corpus."""
    root = tmp_path_factory.mktemp("readme")
    repo = root / "repo"
    repo.mkdir()
    for name in LINKED:
        (repo / name).symlink_to(ROOT / name)
    if SHARED.exists():
        (root / "shared").symlink_to(SHARED)
    run_build([CORPUS], repo / "output")
    return repo


def run_in_new_shell(command: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": os.environ["HOME"], "LANG": "C.UTF-8"}
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_every_readme_command_runs_as_written(checkout):
    commands = readme_commands()
    assert commands, "no command in the README"
    if any("../shared" in c for c in commands):
        need_shared()
    for command in commands:
        result = run_in_new_shell(command, checkout)
        assert result.returncode == 0, f"{command}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    assert written_and_not_ignored(checkout) == []


def written_and_not_ignored(checkout: Path) -> list:
    """What the commands wrote into the checkout that .gitignore does not keep out of the repository."""
    written = [p.name + "/" * p.is_dir() for p in checkout.iterdir() if p.name not in LINKED]
    ignored = subprocess.run(["git", "-C", str(ROOT), "check-ignore", "--no-index", "--stdin"], input="\n".join(written),
                             capture_output=True, text=True).stdout.split()
    return sorted(set(written) - set(ignored))


def test_every_help_example_runs_on_the_sample_build(checkout):
    examples = help_examples()
    assert len(examples) >= len(main.commands)
    if any("../shared" in e for e in examples):
        need_shared()
    for example in examples:
        command = re.sub(r"(^|&& |=\S+ )kg ", r"\1.venv/bin/kg ", example)
        result = run_in_new_shell(command, checkout)
        assert result.returncode == 0, f"{example}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    assert written_and_not_ignored(checkout) == []
