"""`kg eval`: score a built graph against gold annotations (ANNOTATION.md §4).

The matching rules are those of the project's reference scorer: a locality matches by
name, by suffix or by its core without the level suffix; a mechanism label matches an
alias when, punctuation removed, it equals it, contains it (and is not much longer) or
is contained in it covering 60%; a metric matches on locality, unit and value (0.5%).
Optional gold items are neither rewarded nor punished. Statements about localities that
no gold article is about count as false positives.
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


def value_matches(v1, u1, v2, u2) -> bool:
    if norm(u1) != norm(u2):
        return False
    v1, v2 = float(v1), float(v2)
    return abs(v1 - v2) <= 0.005 * max(abs(v1), abs(v2), 1e-9)


def max_matching(left: list, right: list, ok) -> dict:
    """Maximum bipartite matching (augmenting paths): {left index: right index}."""
    adjacent = [[j for j, r in enumerate(right) if ok(l, r)] for l in left]
    owner: dict = {}

    def augment(i, seen):
        for j in adjacent[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(len(left)):
        augment(i, set())
    return {i: j for j, i in owner.items()}


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
        record = {"value": value, "unit": str(units[0]), "mechs": list(g.subjects(RK.yields, met))}
        for loc in g.objects(met, RK.locality):
            pred.metrics[loc].append(record)
    pred.titles = [str(t) for art in sorted(set(g.subjects(RDF.type, RK.Article))) for t in g.objects(art, DCTERMS.title)]
    return pred


def _mechanism_ok(pred: Prediction):
    return lambda node, gold_mech: any(label_matches(l, a) for l in pred.label(node) for a in gold_mech["aliases"])


def _score_locality(pred, art, gl, nodes, counts, row) -> None:
    mech = {m["id"]: m for m in art["mechanisms"]}
    metr = {x["id"]: x for x in art["metrics"]}
    # adopts: optional gold mechanisms may match but count for nothing
    gold_m = [mech[mid] for (name, mid) in art["adopts"] if name == gl["name"]]
    gold_m += [m for m in art["mechanisms"] if m.get("optional") and m not in gold_m]
    predicted = sorted({m for n in nodes for m in pred.adopts.get(n, ())}, key=str)
    match = max_matching(predicted, gold_m, _mechanism_ok(pred))
    tp = sum(1 for j in match.values() if not gold_m[j].get("optional"))
    fp = len(predicted) - len(match)
    fn = sum(1 for m in gold_m if not m.get("optional")) - tp
    _add(counts["adopts"], tp, fp, fn)
    row["adopts"] = prf(tp, fp, fn)
    row["missed_mechanisms"] = [m["aliases"][0] for j, m in enumerate(gold_m)
                                if not m.get("optional") and j not in match.values()]
    row["extra_mechanisms"] = [pred.label(p)[0] for i, p in enumerate(predicted) if i not in match]
    # metrics by value
    pmet = [r for n in nodes for r in pred.metrics.get(n, ())]
    gmet = list(metr.values())
    mm = max_matching(pmet, gmet, lambda r, x: value_matches(r["value"], r["unit"], x["value"], x["unit"]))
    tp = sum(1 for j in mm.values() if not gmet[j].get("optional"))
    _add(counts["metrics"], tp, len(pmet) - len(mm), sum(1 for x in gmet if not x.get("optional")) - tp)
    row["missed_metrics"] = [f'{x["label"]} {x["value"]}{x["unit"]}' for j, x in enumerate(gmet)
                             if not x.get("optional") and j not in mm.values()]
    row["extra_metrics"] = [f'{r["value"]:g}{r["unit"]}' for i, r in enumerate(pmet) if i not in mm]
    # yields: a pair on an optional metric is not punished
    gy = []
    for alts, xid in art["yields"]:
        alts = alts if isinstance(alts, list) else [alts]
        optional = metr[xid].get("optional") or all(mech[a].get("optional") for a in alts)
        gy.append({"alts": [mech[a] for a in alts], "metric": metr[xid], "optional": optional})
    py = [(m, r) for r in pmet for m in r["mechs"]]
    ok = _mechanism_ok(pred)
    ym = max_matching(py, gy, lambda pr, y: value_matches(pr[1]["value"], pr[1]["unit"], y["metric"]["value"],
                                                           y["metric"]["unit"]) and any(ok(pr[0], a) for a in y["alts"]))
    tp = sum(1 for j in ym.values() if not gy[j]["optional"])
    fp = sum(1 for i, (_, r) in enumerate(py) if i not in ym and not any(
        value_matches(r["value"], r["unit"], x["value"], x["unit"]) for x in gmet if x.get("optional")))
    fn = sum(1 for y in gy if not y["optional"]) - tp
    _add(counts["yields"], tp, fp, fn)
    row["yields"] = prf(tp, fp, fn)
    row["locality"] = gl["name"]


def _add(counter: list, tp: int, fp: int, fn: int) -> None:
    counter[0] += tp
    counter[1] += fp
    counter[2] += fn


def score(pred: Prediction, golds: list) -> dict:
    counts = {k: [0, 0, 0] for k in KINDS}
    titles_found = titles_total = 0
    per_article, used = [], set()
    for gold in golds:
        for art in gold["articles"]:
            row = {"title": art.get("title", ""), "file": art.get("file", "")}
            if art.get("title"):
                titles_total += 1
                forms = [art["title"]] + ([art["title_simplified"]] if art.get("title_simplified") else [])
                if any(label_matches(t, f) or label_matches(f, t) for t in pred.titles for f in forms):
                    titles_found += 1
            for gl in art["localities"]:
                names = [gl["name"]] + gl.get("aliases", [])
                nodes = [n for n, d in pred.localities.items()
                         if any(locality_matches(l, nm) for l in pred.label(n) for nm in names)]
                used.update(nodes)
                _add(counts["localities"], 1 if nodes else 0, 0, 0 if nodes else 1)
                if gl.get("parents"):
                    ok = any(all(any(locality_matches(pl, gp) for pl in pred.localities[n]["parents"])
                                 for gp in gl["parents"]) for n in nodes)
                    _add(counts["parents"], 1 if ok else 0, 0, 0 if ok else 1)
                _score_locality(pred, art, gl, nodes, counts, row)
            per_article.append(row)
    gold_places = [p for gd in golds for a in gd["articles"] for gl in a["localities"]
                   for p in [gl["name"], *gl.get("parents", [])]]
    extra = [pred.label(n)[0] for n in pred.localities if n not in used
             and (pred.adopts.get(n) or pred.metrics.get(n))
             and not any(locality_matches(l, p) for l in pred.label(n) for p in gold_places)]
    counts["localities"][1] += len(extra)
    stray = {}
    for n in pred.localities:
        if n in used:
            continue
        adopts, metrics = len(pred.adopts.get(n, ())), pred.metrics.get(n, ())
        counts["adopts"][1] += adopts
        counts["metrics"][1] += len(metrics)
        counts["yields"][1] += sum(len(r["mechs"]) for r in metrics)
        if adopts or metrics:
            stray[pred.label(n)[0]] = adopts + len(metrics)
    out = {k: prf(*v) for k, v in counts.items()}
    out["titles"] = {"found": titles_found, "total": titles_total,
                     "recall": round(titles_found / titles_total, 3) if titles_total else 0.0}
    out["extra_localities"] = extra
    out["stray_statements"] = stray
    out["articles"] = per_article
    return out


def evaluate(graph_path: Path, gold_paths: list) -> dict:
    g = rdflib.Graph().parse(str(graph_path))
    golds = [json.loads(Path(p).read_text(encoding="utf-8")) for p in gold_paths]
    return score(read_prediction(g), golds)


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
    t = out["titles"]
    lines.append(f'titles     {t["found"]}/{t["total"]} found')
    return lines
