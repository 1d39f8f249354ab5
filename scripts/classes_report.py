"""How today's octa reads each variation class of issue 25, one class at a time, per producer.

    python scripts/classes_report.py --profiles 20 --seed 7 [--producer synth,browser] [--classes a,b] [--json out.json]

For every class (``score_decoration``, ``rank_tie``, ``direction_icon``, ``summary_layout``,
``narrative_start``, ``header_repeat``, ``hard_hyphen_breaks``, ``visible_soft_hyphen``,
``summary_change_places``, ``paragraph_gap``) and producer (``synth``: octa's reportlab generator;
``browser``: tests/producers/browser.py), ``--profiles`` profiles are drawn with every class at a
plain value except that one, which cycles through its values other than the plain one (a class
that needs another to show, e.g. ``header_repeat`` a ruled table of two columns, gets it too); a
``baseline`` row has every class plain. Each corpus is extracted with ``octa extract``'s pipeline
(engine pymupdf) and compared with its truth by ``scripts/accuracy.py``'s ``evaluate``: the
percentage right per field, files octa gave up on, wrong scores marked ``ok`` and paragraphs exact.
Corpora go to a temporary folder.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from octa import synth  # noqa: E402

_spec = importlib.util.spec_from_file_location("octa_accuracy", ROOT / "scripts" / "accuracy.py")
accuracy = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(accuracy)  # type: ignore[union-attr]

#: the classes measured, their plain value (first) and their other values
CLASSES = ("score_decoration", "rank_tie", "direction_icon", "summary_layout", "narrative_start", "header_repeat",
           "hard_hyphen_breaks", "visible_soft_hyphen", "summary_change_places", "paragraph_gap")

SYNTH_PLAIN: dict[str, Any] = {
    "score_decimals": 1, "summary_decimals": 2, "change_decimals": 1, "change_form": "signed",
    "change_icon_side": "before", "new_indicator": "n/a", "label_case": "sentence", "label_amp": "and",
    "letter_spacing": "none", "label_wrap": 1, "row_order": "label_score_change", "table_grid": False,
    "table_columns": 1, "group_headings": False, "soft_hyphens": "none",
    **synth.ISSUE25_PLAIN,
}
BROWSER_PLAIN: dict[str, Any] = {
    "score_decimals": 1, "summary_decimals": "2", "change_decimals": 1, "change_form": "sign_ascii",
    "new_form": "n/a", "label_case": "sentence", "case_by": "text", "ampersand": False, "letter_spacing": "none",
    "label_wrap": "none", "row_order": "label_score_change", "table_style": "plain", "table_columns": 1,
    "group_headings": False, "bars": "none", "summary_layout": "side_by_side", "rank_change": False,
    "chart": "none", "font": "DejaVu Sans", "page_size": "A4", "narrative_columns": 1, "hyphenation": "none",
    "text_align": "left", "running_header": "index_first", "footer": "page_of",
}
#: what a class needs to show at all
NEEDS = {"synth": {"header_repeat": {"table_grid": True, "table_columns": 2}},
         "browser": {"header_repeat": {"table_style": "grid", "table_columns": 2}}}


def classes_of(producer: str) -> dict[str, tuple[Any, ...]]:
    if producer == "synth":
        return {c: synth.VARIATION_CLASSES[c] for c in CLASSES}
    from tests.producers import browser

    return {c: browser.VARIATIONS[c] for c in CLASSES}


def plain(producer: str) -> dict[str, Any]:
    if producer == "synth":
        return dict(SYNTH_PLAIN)
    from tests.producers import browser

    return {**BROWSER_PLAIN, **browser.ISSUE25_PLAIN}


def corpus(producer: str, cls: str | None, count: int, seed: int, out: Path, printer: Any) -> list[Path]:
    """``count`` profiles with only ``cls`` on (its values in turn), or none (``cls`` None)."""
    vals = classes_of(producer)[cls][1:] if cls else (None,)
    pdfs: list[Path] = []
    for k, val in enumerate(vals):
        n = count // len(vals) + (1 if k < count % len(vals) else 0)
        if not n:
            continue
        forced = plain(producer)
        if cls:
            forced.update(NEEDS[producer].get(cls, {}))
            forced[cls] = val
        sub = out / f"{cls or 'baseline'}_{k}"
        if producer == "synth":
            pdfs += synth.generate(n, seed + 101 * k, "mixed", sub, variations=forced)
        else:
            from tests.producers import browser

            pdfs += browser.generate(n, seed + 101 * k, "mixed", sub, forced, printer=printer)
    return pdfs


def row(res: dict) -> dict[str, Any]:
    f = res["fields"]
    out = {k: round(100 * v["accuracy"], 1) for k, v in f.items()}
    pa = res["paragraphs"]
    out["paragraphs.exact"] = round(100 * pa["exact"] / pa["total"], 1) if pa["total"] else None
    out["rejected"] = len(res["errors"])
    out["wrong_ok"] = res["wrong_scores_marked_ok"] + res.get("wrong_ranks_marked_ok", 0)
    out["profiles"] = res["profiles"]
    return out


COLS = ("profiles", "rejected", "summary", "summary.change", "rank", "indicator.score", "indicator.change",
        "paragraphs.exact", "wrong_ok")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--profiles", type=int, default=20)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--producer", default="synth,browser")
    ap.add_argument("--classes", default=",".join(CLASSES))
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    results: dict[str, dict[str, Any]] = {}
    for producer in args.producer.split(","):
        printer = None
        if producer == "browser":
            from tests.producers import browser

            printer = browser.Printer()
        try:
            results[producer] = {}
            print(f"\n=== {producer}: % right per field (pymupdf), {args.profiles} profiles per row ===")
            print(f"{'class':22s} " + " ".join(f"{c[:11]:>11s}" for c in COLS))
            for cls in (None, *args.classes.split(",")):
                with tempfile.TemporaryDirectory(prefix="octa-classes-") as tmp:
                    pdfs = corpus(producer, cls, args.profiles, args.seed, Path(tmp), printer)
                    r = row(accuracy.evaluate(pdfs, "pymupdf", producer, 0))
                results[producer][cls or "baseline"] = r
                print(f"{cls or 'baseline':22s} " + " ".join(f"{'-' if r.get(c) is None else r[c]!s:>11s}"
                                                             for c in COLS), flush=True)
        finally:
            if printer is not None:
                printer.close()
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
