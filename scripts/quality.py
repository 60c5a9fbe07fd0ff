#!/usr/bin/env python3
"""Score extraction on the real reports in process, in seconds: the loop to measure a rule with.

    .venv/bin/python scripts/quality.py [seed] [dev] [real] [halves] [own] [held]

Extracts each corpus without writing a build and scores it with ../shared/eval/score.py, the
reference scorer. `halves` scores the odd and the even files of ../shared/corpus/real apart:
write a rule looking at one half, judge it on the other.
"""
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(SHARED / "eval"))
import score as scorer  # noqa: E402

from kg import ingest, rdf  # noqa: E402
from kg.extract import extract  # noqa: E402

CORPORA = {"seed": SHARED / "corpus" / "000_2257256481bb103b.txt", "dev": SHARED / "corpus" / "dev",
           "real": SHARED / "corpus" / "real", "own": ROOT / "tests" / "corpus", "held": ROOT / "tests" / "heldout" / "corpus"}
GOLDS = {"seed": [SHARED / "gold" / "seed.json"], "dev": [SHARED / "gold" / "dev.json"],
         "real": [SHARED / "gold" / "real.json"], "own": sorted((ROOT / "tests" / "gold").glob("*.json")),
         "held": sorted((ROOT / "tests" / "heldout" / "gold").glob("*.json"))}


def results(path: Path) -> list:
    return [extract(a) for a in ingest.read([path], [])]


def scored(res: list, golds: list) -> dict:
    return scorer.score(scorer.read_prediction(rdf.union(rdf.dataset(res))), golds)


def line(name: str, s: dict) -> str:
    pr = lambda k: f"{s[k]['f1']:.3f} (P {s[k]['precision']:.2f} R {s[k]['recall']:.2f})"
    return (f"{name:6s} adopts {pr('adopts')}  yields {pr('yields')}  metrics {pr('metrics')}  "
            f"measures {s['measures']['accuracy']:.3f}  localities R {s['localities']['recall']:.2f}  "
            f"parents R {s['parents']['recall']:.2f}  titles {s['titles']['found']}/{s['titles']['total']}")


def halves() -> None:
    res = results(CORPORA["real"])
    gold = json.loads(GOLDS["real"][0].read_text(encoding="utf-8"))
    for name, keep in (("odd", 1), ("even", 0)):
        files = {a["file"] for a in gold["articles"] if int(Path(a["file"]).stem[1:]) % 2 == keep}
        part = [r for r in res if Path(r.article.source).name in files]
        sub = {"source": gold.get("source", ""), "articles": [a for a in gold["articles"] if a["file"] in files]}
        print(line(name, scored(part, [sub])))


def main(names: list) -> None:
    for name in names or ["seed", "dev", "real", "halves"]:
        if name == "halves":
            halves()
        else:
            golds = [json.loads(p.read_text(encoding="utf-8")) for p in GOLDS[name]]
            print(line(name, scored(results(CORPORA[name]), golds)))


if __name__ == "__main__":
    main(sys.argv[1:])
