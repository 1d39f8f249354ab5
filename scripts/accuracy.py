"""Accuracy of the score parser against generated truth, per field, engine and producer.

    python scripts/accuracy.py --profiles 500 --seed 2024 [--engines pymupdf,pdfplumber]
    python scripts/accuracy.py --producer browser --profiles 200 --seed 7 --engines pymupdf
    python scripts/accuracy.py --producer all --profiles 200 --seed 7
    python scripts/accuracy.py --producer typst --profiles 20 --seed 9191001 --engines pymupdf
    python scripts/accuracy.py --producer all --profiles 60 --seeds reportlab=1,browser=2,typst=3 --variations all

Generates a seeded corpus into a temporary folder (outside the repository), extracts every profile
with each engine and compares every field with the producer's truth: country, year, family, the
four summary scores and their changes, ranks, every indicator's score and change, and the score
read from drawn bars. Prints the accuracy per field and engine and writes it as JSON with ``--json``.

Producers (``--producer``):

* ``reportlab`` (default): octa's own generator, ``octa synth`` (the producer the parser was
  developed on);
* ``browser``: ``tests/producers/browser.py``, HTML/CSS templates printed by headless Chromium,
  sharing nothing with octa's generator (leave one producer out). For it the script also prints
  the accuracy per variation class and value × field (from each profile's ``.variation.json``)
  and a few differences with their file names;
* ``typst``: ``tests/producers/typeset.py``, Typst markup compiled by the Typst compiler (its own
  layout engine, rustybuzz shaping with real ligatures, CID fonts, PNG and SVG icons), sharing
  nothing with the other two; per-class tables as for the browser;
* ``all``: the three, one after the other, then the leave-one-producer-out report: for each
  producer X a table "held out: X" with the accuracy per field measured on X beside the same
  fields on the two others (the producers octa's rules were tuned on when X is the one held out),
  and X's accuracy per variation class; the seed of every producer is printed with it.

``--seeds reportlab=1,browser=2,typst=3`` gives each producer its own seed (default: ``--seed`` for all).

JSON (``--json``): with ``--producer reportlab`` the object per engine as before
(``{engine: {fields, bars, seconds, profiles}}``); otherwise one such object per producer
(``{producer: {engine: {..., classes?, errors, seed}}}``), with variation files
``classes: {class: {value: {field: {total, wrong, accuracy}}}}`` (fields: those below and ``paragraph``,
exact text tied to its indicator); with ``all`` also ``lopo: {held_out: {engine: {seeds, held_out,
tuning, classes}}}``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # tests.producers and tests.oracle
    sys.path.insert(0, str(ROOT))

from octa import synth  # noqa: E402
from octa.compare import clip_cut_null, colour_only_null, compare_scores  # noqa: E402
from octa.model import Profile, Source  # noqa: E402
from octa.pipeline import extract  # noqa: E402

FIELDS = ("country", "year", "family", "summary", "summary.change", "rank", "indicator.score", "indicator.change")
SHORT = {"country": "country", "year": "year", "family": "family", "summary": "summ", "summary.change": "summ.ch",
         "rank": "rank", "indicator.score": "ind.score", "indicator.change": "ind.ch", "paragraph": "para"}
#: The fields of the per-class tables: the value fields and paragraphs (exact text, tied to its indicator).
CLASS_FIELDS = (*FIELDS, "paragraph")
PRODUCERS = ("reportlab", "browser", "typst")


def field_totals(truth: Profile) -> Counter[str]:
    c: Counter[str] = Counter()
    c.update({"country": 1, "year": 1, "family": 1, "summary": 4})
    c["summary.change"] += sum(1 for s in truth.summary_scores if s.change is not None)
    c["rank"] += len(truth.ranks)
    c["indicator.score"] += len(truth.indicators)
    c["indicator.change"] += len(truth.indicators)
    return c


#: Producers that probe octa with a layout engine no rule was written for, outside ``all``: the
#: browser producer's HTML laid out by WeasyPrint (``pip install weasyprint``; not a dependency of
#: octa). Its CSS support is not Chromium's: some templates come out with cells overlapping or
#: missing (a page no publisher would print), which the numbers then count too.
PROBES = ("weasyprint",)


class _WeasyPrinter:
    """The browser producer's printer, with WeasyPrint in Chromium's place."""

    def __init__(self) -> None:
        try:
            import weasyprint
        except ImportError as exc:
            raise SystemExit(f"--producer weasyprint needs WeasyPrint (pip install weasyprint): {exc}") from None
        import logging

        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        self._html = weasyprint.HTML

    def print_pdf(self, html: str, target: Path) -> None:
        self._html(string=html, base_url=str(ROOT)).write_pdf(str(target))

    def close(self) -> None:
        pass


def make_corpus(producer: str, count: int, seed: int, out: Path, variations: str | None = None) -> list[Path]:
    if producer == "reportlab":
        return synth.generate(count, seed, "mixed", out, variations=variations)
    if producer == "typst":
        from tests.producers import typeset

        return typeset.generate(count, seed, "mixed", out)
    from tests.producers import browser

    if producer == "weasyprint":
        return browser.generate(count, seed, "mixed", out, printer=_WeasyPrinter())  # type: ignore[arg-type]
    return browser.generate(count, seed, "mixed", out)


def _pct(ok: int, total: int) -> str:
    return f"{100 * ok / total:6.1f}" if total else "     -"


def _tied(truth: tuple[str | None, str], got: set[tuple[str | None, str]]) -> bool:
    """Whether the paragraph holding the truth paragraph's first sentence is tied to its indicator
    (whatever the exactness of its text)."""
    head = truth[1][:60]
    return any(ind == truth[0] for ind, text in got if head in text)


def evaluate(pdfs: list[Path], engine: str, producer: str, examples: int) -> dict:
    totals: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    classes: dict[str, dict[str, dict[str, Counter[str]]]] = defaultdict(
        lambda: defaultdict(lambda: {"total": Counter(), "wrong": Counter()}))
    samples: dict[str, list[str]] = defaultdict(list)
    errors: list[str] = []
    flagged: Counter[str] = Counter()
    cut: Counter[str] = Counter()
    bars = bars_ok = wrong_ok = wrong_rank_ok = wrong_change_ok = unconfirmed = paras = paras_ok = paras_tied = 0
    t0 = time.perf_counter()
    for pdf in pdfs:
        truth = Profile.model_validate_json(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
        src = Source(file=pdf.name, sha256="", pages=0, engine=engine)
        try:
            got = extract(pdf, engine=engine)  # the user's path: parsers, then the validator's statuses
        except Exception as exc:  # a file the parser gives up on: every field of it is wrong
            errors.append(f"{pdf.name}: {type(exc).__name__}: {exc}")
            got = Profile(source=src)
        ft = field_totals(truth)
        fw: Counter[str] = Counter()
        ff: Counter[str] = Counter()
        fc: Counter[str] = Counter()
        for d in compare_scores(got, truth):
            if colour_only_null(got, d, truth):
                ff[d.field] += 1  # left null with a change_direction finding: not wrong, not right
                continue
            if clip_cut_null(got, d):
                fc[d.field] += 1  # left null, cut off where it is printed: not wrong, not right
                continue
            fw[d.field] += 1
            item = (got.indicator(d.key) if d.field == "indicator.score" else
                    next((s for s in got.summary_scores if s.metric == d.key), None) if d.field == "summary" else None)
            if item is not None and item.score is not None and item.status == "ok":
                wrong_ok += 1  # a wrong score that nothing flagged: the failure that matters most
            if d.field == "rank" and d.got is not None:
                rank = next((r for r in got.ranks if f"{r.metric}/{r.scope}" == d.key), None)
                wrong_rank_ok += rank is not None and rank.status == "ok"
            if d.field in ("indicator.change", "summary.change") and d.got is not None:
                owner = (got.indicator(d.key) if d.field == "indicator.change" else
                         next((s for s in got.summary_scores if s.metric == d.key), None))
                wrong_change_ok += owner is not None and owner.status == "ok"
            if len(samples[d.field]) < examples and not any(x.startswith(pdf.name) for x in samples[d.field]):
                samples[d.field].append(f"{pdf.name} {d.key or '-'}: got {d.got!r}, truth {d.expected!r}")
        fw = Counter({f: min(n, ft[f]) for f, n in fw.items()})  # an extra value cannot make it < 0 %
        totals.update(ft)
        wrong.update(fw)
        flagged.update(ff)
        cut.update(fc)
        tparas = [(p.indicator, p.text) for sec in truth.sections for p in sec.paragraphs]
        gparas = {(p.indicator, p.text) for sec in got.sections for p in sec.paragraphs}
        exact = sum(1 for t in tparas if t in gparas)  # exact text, tied to the same indicator
        var_path = pdf.with_suffix(".variation.json")
        if var_path.exists():
            recorded = json.loads(var_path.read_text(encoding="utf-8"))
            if isinstance(recorded.get("variation"), dict):  # octa synth's file: the classes under "variation"
                recorded = recorded["variation"]
            for cls, val in recorded.items():
                cell = classes[cls][json.dumps(val, ensure_ascii=False).strip('"')]
                cell["total"].update(ft)
                cell["wrong"].update(fw + ff + fc)  # the table shows what is right
                cell["total"]["profiles"] += 1
                cell["total"]["paragraph"] += len(tparas)
                cell["wrong"]["paragraph"] += len(tparas) - exact
        tscore = {i.id: i.score for i in truth.indicators}
        for r in got.indicators:
            if r.bar_score is not None:
                bars += 1
                bars_ok += abs(float(r.bar_score) - float(tscore.get(r.id) or -9)) <= 0.25
        unconfirmed += sum(1 for r in (*got.indicators, *got.summary_scores) if r.status == "unconfirmed")
        paras += len(tparas)
        paras_ok += exact
        paras_tied += sum(1 for t in tparas if _tied(t, gparas))
    elapsed = time.perf_counter() - t0
    # right = neither wrong nor left null for an unreadable direction (those are counted apart)
    acc = {f: (totals[f] - wrong[f] - flagged[f] - cut[f]) / totals[f] for f in sorted(totals) if totals[f]}
    res: dict = {"fields": {f: {"total": totals[f], "wrong": wrong[f], "flagged": flagged[f], "cut": cut[f],
                                "accuracy": acc[f]}
                            for f in acc},
                 "cut_off_flagged": dict(sorted(cut.items())),
                 "bars": {"read": bars, "agree": bars_ok}, "seconds": round(elapsed, 1), "profiles": len(pdfs),
                 "wrong_scores_marked_ok": wrong_ok, "wrong_ranks_marked_ok": wrong_rank_ok,
                 "wrong_changes_of_ok_values": wrong_change_ok, "unconfirmed_scores": unconfirmed,
                 "direction_unreadable_flagged": dict(sorted(flagged.items())),
                 "paragraphs": {"total": paras, "exact": paras_ok, "tied": paras_tied}}
    res["errors"] = errors
    if producer != "reportlab":
        res["examples"] = dict(samples)
    if classes:
        res["classes"] = {
            cls: {val: {"profiles": c["total"]["profiles"],
                        **{f: {"total": c["total"][f], "wrong": c["wrong"][f],
                               "accuracy": (c["total"][f] - c["wrong"][f]) / c["total"][f]}
                           for f in CLASS_FIELDS if c["total"][f]}}
                  for val, c in sorted(vals.items())}
            for cls, vals in sorted(classes.items())}
    return res


def print_fields(engine: str, res: dict) -> None:
    print(f"\n{engine}: {res['profiles']} profiles in {res['seconds']:.1f}s")
    for f, r in res["fields"].items():
        extra = f"   (+{r['flagged']} null, direction unreadable, flagged)" if r.get("flagged") else ""
        extra += f"   (+{r['cut']} null, cut off by a clip path, flagged)" if r.get("cut") else ""
        print(f"  {f:18s} {r['total'] - r['wrong'] - r.get('flagged', 0) - r.get('cut', 0):6d}/{r['total']:<6d} "
              f"{100 * r['accuracy']:7.3f}%{extra}")
    print(f"  {'bars':18s} {res['bars']['agree']:6d}/{res['bars']['read']:<6d} agree with the printed score")
    if res["direction_unreadable_flagged"]:
        print("  changes left null with a change_direction finding (direction printed by colour only, "
              "counted apart): " + ", ".join(f"{k} {v}" for k, v in res["direction_unreadable_flagged"].items()))
    print(f"  wrong scores (indicator or summary) marked ok: {res['wrong_scores_marked_ok']}; wrong ranks marked "
          f"ok: {res.get('wrong_ranks_marked_ok', 0)}; wrong changes of a value marked ok (a change has no status of "
          f"its own): {res.get('wrong_changes_of_ok_values', 0)}; scores unconfirmed: {res['unconfirmed_scores']}")
    pa = res["paragraphs"]
    print(f"  paragraphs exact and tied to their indicator: {pa['exact']}/{pa['total']} "
          f"({_pct(pa['exact'], pa['total']).strip()}%); tied to their indicator (the paragraph holding "
          f"its first words): {pa.get('tied', 0)}/{pa['total']} ({_pct(pa.get('tied', 0), pa['total']).strip()}%)")


def print_classes(res: dict) -> None:
    print("\n  accuracy (%) per variation class and value x field (n = profiles)")
    head = f"  {'class = value':40s} {'n':>4s} " + " ".join(f"{SHORT[f]:>9s}" for f in CLASS_FIELDS)
    print(head)
    print("  " + "-" * (len(head) - 2))
    for cls, vals in res["classes"].items():
        for val, cell in vals.items():
            cells = " ".join(f"{_pct(cell[f]['total'] - cell[f]['wrong'], cell[f]['total']):>9s}"
                             if f in cell else f"{'-':>9s}" for f in CLASS_FIELDS)
            print(f"  {(cls + ' = ' + val)[:40]:40s} {cell['profiles']:4d} {cells}")


def print_extras(res: dict) -> None:
    if res.get("errors"):
        print(f"\n  {len(res['errors'])} files the parser failed on:")
        for e in res["errors"][:10]:
            print(f"    {e}")
    if res.get("examples"):
        print("\n  examples of differences:")
        for f, lines in res["examples"].items():
            for line in lines:
                print(f"    {f:16s} {line}")


def _field_counts(res: dict) -> dict[str, tuple[int, int]]:
    """(right, total) per field of one producer's result, paragraphs (exact) included."""
    out = {f: (r["total"] - r["wrong"] - r.get("flagged", 0) - r.get("cut", 0), r["total"]) for f, r in res["fields"].items()}
    out["paragraph"] = (res["paragraphs"]["exact"], res["paragraphs"]["total"])
    return out


def leave_one_out(results: dict[str, dict[str, dict]], seeds: dict[str, int]) -> dict[str, dict[str, dict]]:
    """For each producer X (held out) and engine: X's (right, total) per field beside the pooled
    (right, total) of the other producers, the ones octa's rules were tuned on when X is new."""
    out: dict[str, dict[str, dict]] = {}
    for held in results:
        tuning = [p for p in results if p != held]
        out[held] = {}
        for engine, res in results[held].items():
            pooled: dict[str, list[int]] = {}
            for p in tuning:
                for f, (r, t) in _field_counts(results[p][engine]).items():
                    cell = pooled.setdefault(f, [0, 0])
                    cell[0] += r
                    cell[1] += t
            out[held][engine] = {
                "seeds": {p: seeds[p] for p in results}, "tuning_producers": tuning,
                "held_out": {f: {"right": r, "total": t} for f, (r, t) in _field_counts(res).items()},
                "tuning": {f: {"right": r, "total": t} for f, (r, t) in pooled.items()},
                "classes": res.get("classes", {})}
    return out


def print_leave_one_out(lopo: dict[str, dict[str, dict]], variations: str | None) -> None:
    for held, per_engine in lopo.items():
        for engine, rep in per_engine.items():
            tuning = rep["tuning_producers"]
            seeds = ", ".join(f"{p} {s}" + (" (--variations all)" if p == "reportlab" and variations else "")
                              for p, s in rep["seeds"].items())
            print(f"\n=== held out: {held} (tuned on: {' + '.join(tuning)}; engine {engine}) ===")
            print(f"  seeds: {seeds}")
            print(f"  {'field':18s} {'held out: ' + held:>26s} {'tuning: ' + '+'.join(tuning):>32s}")
            for f in (*FIELDS, "paragraph"):
                h, t = rep["held_out"].get(f), rep["tuning"].get(f)
                cells = []
                for c, w in ((h, 26), (t, 32)):
                    cells.append(f"{c['right']}/{c['total']} {_pct(c['right'], c['total'])}%".rjust(w)
                                 if c and c["total"] else "-".rjust(w))
                print(f"  {f:18s} {cells[0]} {cells[1]}")
            if rep["classes"]:
                print_classes({"classes": rep["classes"]})
            else:
                print("  (no variation classes recorded for this producer: reportlab records them with "
                      "--variations all)")


def _parse_seeds(text: str | None, default: int) -> dict[str, int]:
    seeds = dict.fromkeys((*PRODUCERS, *PROBES), default)
    for part in filter(None, (text or "").split(",")):
        name, _, value = part.partition("=")
        if name.strip() not in seeds or not value.strip().lstrip("-").isdigit():
            raise SystemExit(f"--seeds: expected producer=integer with a producer among {', '.join(PRODUCERS)}, "
                             f"not {part!r}")
        seeds[name.strip()] = int(value)
    return seeds


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--profiles", type=int, default=500)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--seeds", help="a seed per producer, e.g. reportlab=1,browser=2,typst=3 (default: --seed)")
    ap.add_argument("--engines", default="pymupdf,pdfplumber")
    ap.add_argument("--producer", choices=(*PRODUCERS, "all", *PROBES), default="reportlab",
                    help="which producer makes the corpus (default: reportlab, octa's own generator); all: the "
                         "three, then the leave-one-producer-out report; weasyprint: a probe, the browser "
                         "producer's HTML laid out by WeasyPrint (needs pip install weasyprint)")
    ap.add_argument("--examples", type=int, default=3, help="differences shown per field (browser, typst)")
    ap.add_argument("--variations", choices=("all",), help="reportlab: draw every class of octa synth's variation "
                    "matrix (number formats, change forms, label wrapping, row orders, grids, ...) per profile")
    ap.add_argument("--keep", type=Path, help="generate into this folder and keep it (default: a temporary one)")
    ap.add_argument("--json", type=Path, help="write the results here")
    args = ap.parse_args()
    producers = PRODUCERS if args.producer == "all" else (args.producer,)
    seeds = _parse_seeds(args.seeds, args.seed)
    results: dict[str, dict[str, dict]] = {}
    with tempfile.TemporaryDirectory(prefix="octa-accuracy-") as tmp:
        for producer in producers:
            out = (args.keep or Path(tmp)) / producer
            t0 = time.perf_counter()
            pdfs = make_corpus(producer, args.profiles, seeds[producer], out, args.variations)
            label = "" if args.producer == "reportlab" else f" with the {producer} producer"
            print(f"generated {len(pdfs)} profiles{label} (seed {seeds[producer]}) in {time.perf_counter() - t0:.1f}s",
                  file=sys.stderr)
            if args.producer != "reportlab":
                print(f"\n=== producer: {producer} (seed {seeds[producer]}) ===")
            results[producer] = {}
            for engine in args.engines.split(","):
                res = evaluate(pdfs, engine, producer, args.examples)
                res["seed"] = seeds[producer]
                results[producer][engine] = res
                print_fields(engine, res)
                if "classes" in res and args.producer != "all":  # with all: in the held-out tables below
                    print_classes(res)
                print_extras(res)
    lopo = leave_one_out(results, seeds) if args.producer == "all" else None
    if lopo is not None:
        print("\n\n##### leave one producer out: each producer measured as if new, beside the two others #####")
        print_leave_one_out(lopo, args.variations)
    if args.json:
        data: dict = results["reportlab"] if args.producer == "reportlab" else dict(results)
        if lopo is not None:
            data["lopo"] = lopo
        args.json.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0 if all(r["fields"][f]["wrong"] == 0 for p in results.values() for r in p.values()
                    for f in r["fields"]) else 1


if __name__ == "__main__":
    sys.exit(main())
