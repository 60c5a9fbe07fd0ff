"""`kg eval`: score a built graph against gold annotations (ANNOTATION.md §4).

The matching rules are those of the project's reference scorer: a locality matches by
name, by suffix or by its core without the level suffix; a mechanism label matches an
alias when, punctuation removed, it equals it, contains it (and is not much longer) or
is contained in it covering 60%; a metric matches on locality, unit and value (0.5%),
and says what it measures when its `rk:measure` holds at least half the character pairs
of the gold label. A locality acting in several articles is scored once, against all of
them (the graph has one node for it); in an article about several localities a metric
counts for the locality it names. Required gold items are matched before optional ones;
optional items are neither rewarded nor punished. Statements about localities that no
gold article is about count as false positives.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib.namespace import DCTERMS, RDF, RDFS

from .vocab import RK

PUNCT = re.compile(r"[\s\"'“”‘’「」『』《》〈〉、，,。．.·・：:；;！!？?（）()【】\[\]—\-_~～…/]")
BRACKETED = re.compile(r"[(（][^()（）]*[)）]")
TRAD = str.maketrans("個項條萬億區縣鄉鎮務質績審預評監財資稅據實貫體電網補營環劃場員調點隊",
                     "个项条万亿区县乡镇务质绩审预评监财资税据实贯体电网补营环划场员调点队")
LEVEL_SUFFIXES = ("自治州", "自治县", "新区", "开发区", "高新区", "地区", "省", "市", "县", "区", "旗", "盟")
KINDS = ("localities", "parents", "adopts", "yields", "metrics")


def norm(s) -> str:
    return PUNCT.sub("", unicodedata.normalize("NFKC", str(s)).translate(TRAD))


def core(name: str) -> str:
    n = norm(name)
    for suffix in LEVEL_SUFFIXES:
        if n.endswith(suffix) and len(n) > len(suffix) + 1:
            return n[: -len(suffix)]
    return n


def locality_matches(pred: str, gold: str) -> bool:
    p, g = norm(pred), norm(gold)
    if p == g or (p.endswith(g) and len(g) >= 3) or core(p) == core(g):
        return True
    # short forms of autonomous units: 甘孜州 ~ 甘孜藏族自治州
    for short, full in ((p, g), (g, p)):
        if "自治" in full and "自治" not in short:
            stem = short[:-1] if short.endswith(("州", "县", "旗", "区")) else short
            if len(stem) >= 2 and full.startswith(stem):
                return True
    return False


def label_matches(pred: str, alias: str) -> bool:
    p, a = norm(pred), norm(alias)
    if not p or not a:
        return False
    if p == a:
        return True
    if a in p:
        return len(p) <= 2 * len(a) + 8
    return p in a and len(p) >= 0.6 * len(a)


def _bigrams(s: str) -> set:
    s = norm(BRACKETED.sub("", str(s)))
    return {s[i:i + 2] for i in range(len(s) - 1)} or ({s} if s else set())


def measure_matches(pred: str, gold: str) -> bool:
    """What a metric measures: at least half the character pairs of the gold label (its brackets left out)."""
    g = _bigrams(gold)
    return bool(g) and len(_bigrams(pred) & g) >= 0.5 * len(g)


def value_matches(v1, u1, v2, u2) -> bool:
    if norm(u1) != norm(u2):
        return False
    v1, v2 = float(v1), float(v2)
    return abs(v1 - v2) <= 0.005 * max(abs(v1), abs(v2), 1e-9)


def max_matching(left: list, right: list, ok, owner: dict | None = None) -> dict:
    """Maximum bipartite matching (augmenting paths): {left index: right index}.

    `owner` ({right index: left index}) is a matching to grow: every right item it matches stays matched.
    """
    adjacent = [[j for j, r in enumerate(right) if ok(l, r)] for l in left]
    owner = dict(owner or {})
    matched = set(owner.values())

    def augment(i, seen):
        for j in adjacent[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(len(left)):
        if i not in matched:
            augment(i, set())
    return {i: j for j, i in owner.items()}


def required_first(left: list, right: list, ok, optional) -> dict:
    """A maximum matching that matches as many required right items as any matching can."""
    first = max_matching(left, right, lambda l, r: ok(l, r) and not optional(r))
    return max_matching(left, right, ok, owner={j: i for i, j in first.items()})


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}


@dataclass
class Prediction:
    """What a graph says, in the shape the matching needs."""

    labels: dict = field(default_factory=dict)        # node -> labels
    localities: dict = field(default_factory=dict)    # node -> {"parents": [...], "codes": [...]}
    adopts: dict = field(default_factory=lambda: defaultdict(set))
    metrics: dict = field(default_factory=lambda: defaultdict(list))
    titles: list = field(default_factory=list)

    def label(self, node) -> list:
        return self.labels.get(node) or [str(node)]


def read_prediction(g: rdflib.Graph) -> Prediction:
    pred = Prediction()
    for s, o in g.subject_objects(RDFS.label):
        pred.labels.setdefault(s, []).append(str(o))
    for loc in sorted(set(g.subjects(RDF.type, RK.Locality))):
        parents = [p for p in g.transitive_objects(loc, RK.partOf) if p != loc]
        pred.localities[loc] = {"parents": [l for p in parents for l in pred.label(p)],
                                "codes": [str(c) for c in g.objects(loc, RK.adminCode)]}
    for loc, mech in g.subject_objects(RK.adopts):
        pred.adopts[loc].add(mech)
    for met in sorted(set(g.subjects(RDF.type, RK.Metric))):
        values, units = list(g.objects(met, RK.value)), list(g.objects(met, RK.unit))
        if not values or not units:
            continue
        try:
            value = float(values[0])
        except ValueError:
            continue
        record = {"value": value, "unit": str(units[0]), "mechs": list(g.subjects(RK.yields, met)),
                  "measure": " ".join(str(m) for m in g.objects(met, RK.measure))}
        for loc in g.objects(met, RK.locality):
            pred.metrics[loc].append(record)
    pred.titles = [str(t) for art in sorted(set(g.subjects(RDF.type, RK.Article))) for t in g.objects(art, DCTERMS.title)]
    return pred


@dataclass
class GoldLocality:
    """What the gold says of one locality, pooled over the articles that name it."""

    gold: dict
    title: str
    file: str
    names: list = field(default_factory=list)
    mechanisms: list = field(default_factory=list)
    metrics: list = field(default_factory=list)
    yields: list = field(default_factory=list)

    def add(self, art: dict) -> None:
        gl = self.gold
        mech = {m["id"]: m for m in art["mechanisms"]}
        self.names += [gl["name"]] + gl.get("aliases", [])
        adopted = [mech[mid] for (name, mid) in art["adopts"] if name == gl["name"]]
        self.mechanisms += adopted + [m for m in art["mechanisms"] if m.get("optional") and m not in adopted]
        own = [x for x in art["metrics"] if x.get("locality", art["localities"][0]["name"]) == gl["name"]]
        self.metrics += own
        by_id = {x["id"]: x for x in own}
        for alts, xid in art["yields"]:
            if xid in by_id:
                alts = alts if isinstance(alts, list) else [alts]
                optional = by_id[xid].get("optional") or all(mech[a].get("optional") for a in alts)
                self.yields.append({"alts": [mech[a] for a in alts], "metric": by_id[xid], "optional": optional})


def gold_localities(golds: list) -> list:
    units: dict = {}
    for gold in golds:
        for art in gold["articles"]:
            for gl in art["localities"]:
                units.setdefault(gl["name"], GoldLocality(gl, art.get("title", ""), art.get("file", ""))).add(art)
    return list(units.values())


def _metric_ok(r: dict, x: dict) -> bool:
    return value_matches(r["value"], r["unit"], x["value"], x["unit"])


def _optional(item: dict) -> bool:
    return bool(item.get("optional"))


class Scoring:
    """Counts for one scoring run; each `_score_*` adds what one gold locality contributes."""

    def __init__(self, pred: Prediction):
        self.pred = pred
        self.counts = {k: [0, 0, 0] for k in KINDS}
        self.measures = [0, 0]   # matched required metrics that say what they measure, matched required metrics

    def add(self, kind: str, tp: int, fp: int, fn: int) -> dict:
        for i, v in enumerate((tp, fp, fn)):
            self.counts[kind][i] += v
        return prf(tp, fp, fn)

    def mechanism_ok(self, node, gold_mech: dict) -> bool:
        return any(label_matches(l, a) for l in self.pred.label(node) for a in gold_mech["aliases"])

    def locality(self, unit: GoldLocality, nodes: list) -> dict:
        gl = unit.gold
        self.add("localities", 1 if nodes else 0, 0, 0 if nodes else 1)
        if gl.get("parents"):
            ok = any(all(any(locality_matches(pl, gp) for pl in self.pred.localities[n]["parents"])
                         for gp in gl["parents"]) for n in nodes)
            self.add("parents", 1 if ok else 0, 0, 0 if ok else 1)
        row = {"title": unit.title, "file": unit.file}
        self._score_adopts(unit, nodes, row)
        metrics = [r for n in nodes for r in self.pred.metrics.get(n, ())]
        self._score_metrics(unit, metrics, row)
        self._score_yields(unit, metrics, row)
        row["locality"] = gl["name"]
        return row

    def _score_adopts(self, unit: GoldLocality, nodes: list, row: dict) -> None:
        gold = unit.mechanisms
        predicted = sorted({m for n in nodes for m in self.pred.adopts.get(n, ())}, key=str)
        match = required_first(predicted, gold, self.mechanism_ok, _optional)
        tp = sum(1 for j in match.values() if not _optional(gold[j]))
        row["adopts"] = self.add("adopts", tp, len(predicted) - len(match),
                                 sum(1 for m in gold if not _optional(m)) - tp)
        row["missed_mechanisms"] = [m["aliases"][0] for j, m in enumerate(gold)
                                    if not _optional(m) and j not in match.values()]
        row["extra_mechanisms"] = [self.pred.label(p)[0] for i, p in enumerate(predicted) if i not in match]

    def _score_metrics(self, unit: GoldLocality, metrics: list, row: dict) -> None:
        gold = unit.metrics
        match = required_first(metrics, gold, _metric_ok, _optional)
        tp = sum(1 for j in match.values() if not _optional(gold[j]))
        self.add("metrics", tp, len(metrics) - len(match), sum(1 for x in gold if not _optional(x)) - tp)
        # measures: the largest matching of metrics that agree on value and on what they measure
        right = max_matching(metrics, gold, lambda r, x: not _optional(x) and _metric_ok(r, x)
                             and measure_matches(r.get("measure", ""), x["label"]))
        self.measures[0] += len(right)
        self.measures[1] += tp
        row["missed_metrics"] = [f'{x["label"]} {x["value"]}{x["unit"]}' for j, x in enumerate(gold)
                                 if not _optional(x) and j not in match.values()]
        row["extra_metrics"] = [f'{r["value"]:g}{r["unit"]}' for i, r in enumerate(metrics) if i not in match]

    def _score_yields(self, unit: GoldLocality, metrics: list, row: dict) -> None:
        gold = unit.yields
        pairs = [(m, r) for r in metrics for m in r["mechs"]]
        match = required_first(pairs, gold, lambda pr, y: _metric_ok(pr[1], y["metric"]) and any(
            self.mechanism_ok(pr[0], a) for a in y["alts"]), lambda y: y["optional"])
        tp = sum(1 for j in match.values() if not gold[j]["optional"])
        # a predicted pair on an optional metric is not punished
        optional_metrics = [x for x in unit.metrics if _optional(x)]
        fp = sum(1 for i, (_, r) in enumerate(pairs)
                 if i not in match and not any(_metric_ok(r, x) for x in optional_metrics))
        row["yields"] = self.add("yields", tp, fp, sum(1 for y in gold if not y["optional"]) - tp)

    def strays(self, used: set) -> dict:
        """What is said of localities no gold article is about: every statement a false positive."""
        stray = {}
        for n in self.pred.localities:
            if n in used:
                continue
            adopts, metrics = len(self.pred.adopts.get(n, ())), self.pred.metrics.get(n, ())
            self.counts["adopts"][1] += adopts
            self.counts["metrics"][1] += len(metrics)
            self.counts["yields"][1] += sum(len(r["mechs"]) for r in metrics)
            if adopts or metrics:
                stray[self.pred.label(n)[0]] = adopts + len(metrics)
        return stray


def _titles(pred: Prediction, golds: list) -> dict:
    found = total = 0
    for gold in golds:
        for art in gold["articles"]:
            if art.get("title"):
                total += 1
                forms = [art["title"]] + ([art["title_simplified"]] if art.get("title_simplified") else [])
                found += any(label_matches(t, f) or label_matches(f, t) for t in pred.titles for f in forms)
    return {"found": found, "total": total, "recall": round(found / total, 3) if total else 0.0}


def score(pred: Prediction, golds: list) -> dict:
    run, used, per_article = Scoring(pred), set(), []
    for unit in gold_localities(golds):
        nodes = [n for n in pred.localities
                 if any(locality_matches(l, nm) for l in pred.label(n) for nm in unit.names)]
        used.update(nodes)
        per_article.append(run.locality(unit, nodes))
    gold_places = [p for gd in golds for a in gd["articles"] for gl in a["localities"]
                   for p in [gl["name"], *gl.get("parents", [])]]
    extra = [pred.label(n)[0] for n in pred.localities if n not in used
             and (pred.adopts.get(n) or pred.metrics.get(n))
             and not any(locality_matches(l, p) for l in pred.label(n) for p in gold_places)]
    run.counts["localities"][1] += len(extra)
    stray = run.strays(used)
    out = {k: prf(*v) for k, v in run.counts.items()}
    out["titles"] = _titles(pred, golds)
    right, matched = run.measures
    out["measures"] = {"right": right, "matched": matched, "accuracy": round(right / matched, 3) if matched else 0.0}
    out["extra_localities"] = extra
    out["stray_statements"] = stray
    out["articles"] = per_article
    return out


def load_graph(path: Path) -> rdflib.Graph:
    """A graph file in any format rdflib reads; N-Quads and TriG are read whole, every named graph."""
    if path.suffix in (".nq", ".trig"):
        return rdflib.Dataset().parse(str(path))
    return rdflib.Graph().parse(str(path))


def evaluate(graph_path: Path, gold_paths: list) -> dict:
    golds = [json.loads(Path(p).read_text(encoding="utf-8")) for p in gold_paths]
    return score(read_prediction(load_graph(Path(graph_path))), golds)


def report_lines(out: dict) -> list:
    lines = []
    for row in out["articles"]:
        a, y = row.get("adopts", {}), row.get("yields", {})
        lines.append(f'{row.get("locality", "?")}\tadopts F1 {a.get("f1")}\tyields F1 {y.get("f1")}\t'
                     f'{row["title"] or row["file"]}')
        for key, name in (("missed_mechanisms", "missed mechanisms"), ("extra_mechanisms", "extra mechanisms"),
                          ("missed_metrics", "missed metrics"), ("extra_metrics", "extra metrics")):
            if row.get(key):
                lines.append(f"   {name + ':':19s}" + "、".join(row[key]))
    if out["extra_localities"]:
        lines.append("extra localities: " + "、".join(out["extra_localities"]))
    if out["stray_statements"]:
        lines.append("statements on localities no article is about: "
                     + "、".join(f"{k} ({v})" for k, v in out["stray_statements"].items()))
    lines.append("")
    for k in KINDS:
        v = out[k]
        lines.append(f'{k:10s} P {v["precision"]:.3f}  R {v["recall"]:.3f}  F1 {v["f1"]:.3f}  '
                     f'(tp {v["tp"]} fp {v["fp"]} fn {v["fn"]})')
    t, m = out["titles"], out["measures"]
    lines.append(f'titles     {t["found"]}/{t["total"]} found')
    lines.append(f'measures   {m["right"]}/{m["matched"]} matched metrics say what they measure '
                 f'(accuracy {m["accuracy"]:.3f})')
    return lines
