"""Synthetic corpora for scale tests and benchmarks, made from the project's own sample articles.

Each generated article is a sample article (tests/corpus) with its locality moved to a
random county of the gazetteer (names, short names and parents replaced), its numbers
changed and some of its quoted practice names swapped with those of other samples.
Deterministic for a seed.
"""
from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .gazetteer import gazetteer
from .ingest import read
from .text import to_simplified

NUMBER = re.compile(r"\d+(?:\.\d+)?")
QUOTED = re.compile(r"“([^“”\n]{2,12})”")
YEAR = re.compile(r"(?:19|20)\d{2}(?=\s*年)")


@dataclass(frozen=True)
class Template:
    text: str
    title: str
    names: tuple          # (name, level) of the sample's locality and its parents, as in its gold file


def load_templates(corpus: Path, gold: Path) -> list:
    """Sample articles whose locality is a division of the gazetteer (zones are left out)."""
    places = {}
    for gold_file in sorted(Path(gold).glob("*.json")):
        for art in json.loads(gold_file.read_text(encoding="utf-8"))["articles"]:
            for loc in art["localities"]:
                if loc.get("code"):
                    places[loc["name"]] = loc["code"]
    out = []
    for article in read([corpus], []):
        if to_simplified(article.text) != article.text:
            continue  # names are replaced in simplified script only
        code = next((c for name, c in places.items() if name in article.text or name in article.title), None)
        if code is None:
            continue
        g = gazetteer()
        chain = [g.unit(code), *g.ancestors(code)]
        out.append(Template(article.text, article.title, tuple(chain)))
    return out


def _counties() -> list:
    return sorted(u.code for u in gazetteer().units.values() if u.level == "county")


def _relocate(text: str, source: tuple, target: tuple) -> str:
    """Replace the names of one chain of divisions by those of another, level by level."""
    mapping = {}
    for old, new in zip(source, target):
        mapping.setdefault(old.name, new.name)
        if old.short and len(old.short) >= 2:
            mapping.setdefault(old.short, new.short or new.name)
    pattern = re.compile("|".join(map(re.escape, sorted(mapping, key=len, reverse=True))))
    return pattern.sub(lambda m: mapping[m.group()], text)


def _renumber(text: str, rng: random.Random) -> str:
    def change(m: re.Match) -> str:
        if YEAR.match(text, m.start()):
            return m.group()
        whole, _, frac = m.group().partition(".")
        digits = str(rng.randint(10 ** (len(whole) - 1) if len(whole) > 1 else 1, 10 ** len(whole) - 1))
        return digits + ("." + "".join(rng.choice("0123456789") for _ in frac) if frac else "")
    return NUMBER.sub(change, text)


def generate(templates: list, n: int, seed: int = 0) -> Iterator[dict]:
    """n articles as JSONL objects {"id", "title", "text"}."""
    rng = random.Random(seed)
    counties = _counties()
    g = gazetteer()
    slogans = sorted({m.group(1) for t in templates for m in QUOTED.finditer(t.text)})
    for i in range(n):
        t = templates[i % len(templates)]
        code = rng.choice(counties)
        target = (g.unit(code), *g.ancestors(code))
        target = target + target[-1:] * (len(t.names) - len(target))
        text, title = (_relocate(s, t.names, target) for s in (t.text, t.title))
        text = _renumber(text, rng)
        text = QUOTED.sub(lambda m: f"“{rng.choice(slogans)}”" if rng.random() < 0.3 else m.group(), text)
        yield {"id": f"synthetic-{seed}-{i}", "title": title, "text": text}


def write_jsonl(out_dir: Path, templates: list, n: int, seed: int = 0, per_file: int = 5000) -> list:
    """Write n articles into JSONL files of `per_file` lines; return the paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths, handle = [], None
    for i, obj in enumerate(generate(templates, n, seed)):
        if i % per_file == 0:
            if handle:
                handle.close()
            paths.append(out_dir / f"part-{len(paths):04d}.jsonl")
            handle = paths[-1].open("w", encoding="utf-8")
        handle.write(json.dumps(obj, ensure_ascii=False) + "\n")
    if handle:
        handle.close()
    return paths
