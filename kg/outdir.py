"""The output folder of a build: one generation of files at a time, swapped in by one rename.

A build writes every output (graph.ttl, graph.nq.gz, graph.html, store/, summary.sqlite,
manifest.json, report.json) into a new generation folder DIR/.build-XXXX. When all are
written, the symbolic link DIR/current is pointed at it by one rename, so a reader, or a
build killed at any moment, sees either the whole previous build or the whole new one.
DIR/graph.ttl and the other names are links through DIR/current; readers open them there.
(A folder written before generations has plain files: its first build replaces them by
links one by one, the one moment at which a kill could leave a mix.)

One build at a time writes into DIR: it holds an exclusive flock on the folder itself (so
nothing is left behind in DIR), which the kernel releases when the process ends, however it ends.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import shutil
import signal
from pathlib import Path

NQUADS = "graph.nq.gz"   # the article graphs, gzip-compressed N-Quads
OUTPUTS = ("graph.ttl", NQUADS, "graph.html", "store", "summary.sqlite", "manifest.json", "report.json")
CURRENT = "current"
GENERATION = ".build-"
FAULT = "KG_FAULT_AT"   # a named point at which a build kills itself (tests of interrupted builds)


class Busy(Exception):
    """Another build holds DIR."""


@contextlib.contextmanager
def replaced_whole(path: Path):
    """A binary stream whose bytes replace `path` whole when the block ends: staged beside it and renamed,
    never half written, nothing left behind on failure. A missing parent folder is created (kg viz -o
    nodir/x.html, kg export -o nodir/x.ttl)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with staged.open("wb") as stream:
            yield stream
        staged.replace(path)
    finally:
        staged.unlink(missing_ok=True)


def fault_point(name: str) -> None:
    """Die at once, as kill -9 would, when the environment names this point (KG_FAULT_AT=name)."""
    if os.environ.get(FAULT) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def is_build(folder: Path) -> bool:
    """Whether a folder holds the outputs of a build (of this or an earlier version); os.path.exists is
    False, never an error, for a path too long to look at."""
    return os.path.exists(folder / "manifest.json") and any(os.path.exists(folder / name)
                                                            for name in (NQUADS, "graph.nq"))


@contextlib.contextmanager
def locked(out_dir: Path):
    """Hold DIR for one build (creating it if need be); Busy if another build holds it.

    A DIR this build created is removed again when the build fails before putting anything in it.
    """
    created = not out_dir.exists()
    out_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(out_dir, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(f"another build is writing to {out_dir}: wait for it to finish, or use another --out") from None
        _remove_unused(out_dir)
        try:
            yield
        except BaseException:
            if created:
                with contextlib.suppress(OSError):
                    out_dir.rmdir()
            raise
    finally:
        os.close(fd)


def new_generation(out_dir: Path) -> Path:
    """An empty generation folder, not current yet (readable as the user's umask allows)."""
    while True:
        folder = out_dir / f"{GENERATION}{secrets.token_hex(4)}"
        with contextlib.suppress(FileExistsError):
            folder.mkdir()
            return folder


def discard(generation: Path) -> None:
    """Remove a generation that was never made current (its build failed)."""
    shutil.rmtree(generation, ignore_errors=True)


def _current_target(out_dir: Path) -> str | None:
    with contextlib.suppress(OSError):
        return os.readlink(out_dir / CURRENT)
    return None


def _remove_unused(out_dir: Path) -> None:
    """Generations that are not current (left by a build that was killed, or replaced) and stale links: staged
    ones, and links through DIR/current to an output it no longer has (graph.nq of a build before graph.nq.gz)."""
    keep = _current_target(out_dir)
    for entry in out_dir.iterdir():
        if entry.name.startswith((GENERATION, ".staging-")) and entry.name != keep:
            shutil.rmtree(entry, ignore_errors=True)
        elif entry.name.startswith(".") and entry.name.endswith(".link"):
            entry.unlink(missing_ok=True)
        elif entry.is_symlink() and os.readlink(entry).startswith(f"{CURRENT}/") and not entry.exists():
            entry.unlink()


def swap(out_dir: Path, generation: Path) -> None:
    """Make `generation` the build in DIR by one rename, then link the output names through DIR/current
    and remove the previous generation."""
    link = out_dir / f".{CURRENT}.link"
    link.unlink(missing_ok=True)
    os.symlink(generation.name, link)
    _sync(generation)
    fault_point("swap")
    os.replace(link, out_dir / CURRENT)
    _sync(out_dir)
    fault_point("swapped")
    _link_outputs(out_dir)
    _remove_unused(out_dir)


def _link_outputs(out_dir: Path) -> None:
    """DIR/NAME -> current/NAME for each output; a file or folder of a build before generations is replaced."""
    for name in OUTPUTS:
        target, entry = f"{CURRENT}/{name}", out_dir / name
        if entry.is_symlink() and os.readlink(entry) == target:
            continue
        if entry.is_dir() and not entry.is_symlink():
            old = out_dir / f"{GENERATION}old-{name}"
            entry.rename(old)
        link = out_dir / f".{name}.link"
        link.unlink(missing_ok=True)
        os.symlink(target, link)
        os.replace(link, entry)


def _sync(folder: Path) -> None:
    """Flush a folder's entries to disk, so a rename after it is not seen before what it names."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
