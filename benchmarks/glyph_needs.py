"""Which lines need glyph geometry? octa's words against MuPDF's own (issue 27, point 1).

    python benchmarks/glyph_needs.py DIR [DIR ...] [--profiles N] [--examples K] [--json OUT]

The design of issue 27 reads each page once at MuPDF's word and line level (C code) and asks for
glyph geometry only for the lines that need it. This script measures, on real inputs, how far that
can go: for every line octa's layout builds today (every glyph, ``get_texttrace()``, words by
octa's own gap rules), it looks at the words MuPDF gives for the same page
(``page.get_text("words")``, no glyph reaches Python) and says whether the line's words are
exactly MuPDF's (the same texts, read as drawn, and the same left and right edges within 0.01 pt)
or why not:

* ``joined``: octa joined glyphs across a gap wider than a space (tracking, kerning, letter-spaced
  text) where MuPDF split, or ``split`` the other way (a column or cell gap inside MuPDF's word);
* ``text``: the same edges but other text (symbol fonts, icons taken out of the text, cut glyphs,
  control characters, code points read as drawn);
* ``edges``: the same text, other edges (glyph boxes MuPDF measures otherwise);
* ``missing``: octa has a word where MuPDF has none (or the other way: ``extra``).

A line whose words are MuPDF's could be read without asking for its glyphs; the share of such
lines and of pages made only of them is the room the lazy design has, measured before it is
built. Per directory (one producer each), the shares and the counts of each reason, with a few
examples.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

TOL = 0.01


def _mupdf_words(path: Path) -> list[list[tuple[float, float, float, float, str]]]:
    import pymupdf

    from octa.layout.page import NOT_TEXT, as_drawn

    out = []
    with pymupdf.open(str(path)) as doc:
        for page in doc:
            words = []
            for x0, y0, x1, y1, text, *_ in page.get_text("words"):
                # a soft hyphen ending MuPDF's word is the line-end hyphen drawn (octa reads it as a
                # hyphen); one inside is a hyphenation point, drawn or not: only its glyph's advance
                # says which (a line holding one needs glyphs), here it is taken as not drawn
                text = "".join(c for c in text if c not in NOT_TEXT)
                text = as_drawn(text[:-1].replace("\u00ad", "") + ("-" if text[-1] == "\u00ad" else text[-1]))
                if text.strip():
                    words.append((x0, y0, x1, y1, text))
            out.append(words)
    return out


def _verdict(line, theirs: list[tuple[float, float, float, float, str]]) -> str:
    """``same`` or the reason the line's words are not MuPDF's words on it."""
    ours = [(w.x0, w.x1, w.text) for w in line.words]
    mine = sorted((x0, x1, t) for x0, _y0, x1, _y1, t in theirs)
    if len(mine) == len(ours) and all(abs(a[0] - b[0]) <= TOL and abs(a[1] - b[1]) <= TOL and a[2] == b[2]
                                      for a, b in zip(ours, mine, strict=True)):
        return "same"
    if not mine:
        return "missing"
    if "".join(t for *_, t in ours) == "".join(t for *_, t in mine):
        if len(mine) > len(ours):
            return "joined"
        if len(mine) < len(ours):
            return "split"
        return "edges"
    if len(mine) == len(ours) and all(abs(a[0] - b[0]) <= TOL and abs(a[1] - b[1]) <= TOL
                                      for a, b in zip(ours, mine, strict=True)):
        return "text"
    return "text" if len(mine) == len(ours) else ("extra" if len(mine) > len(ours) else "missing")


def measure(folder: Path, profiles: int, examples: int) -> dict:
    from octa import layout

    pdfs = sorted(folder.rglob("*.pdf"))[:profiles or None]
    reasons: Counter[str] = Counter()
    pages = pages_same = 0
    shown: list[str] = []
    for pdf in pdfs:
        try:
            doc = layout.load(pdf)
        except Exception:  # not a profile's PDF: nothing to compare
            continue
        theirs = _mupdf_words(pdf)
        for page, words in zip(doc.pages, theirs, strict=True):
            pages += 1
            all_same = True
            for line in page.lines:
                cy = (line.y0 + line.y1) / 2
                on = [w for w in words if w[1] <= cy <= w[3] and w[2] > line.x0 - TOL and w[0] < line.x1 + TOL
                      and (w[0] + w[2]) / 2 >= line.x0 - TOL and (w[0] + w[2]) / 2 <= line.x1 + TOL]
                v = _verdict(line, on)
                reasons[v] += 1
                if v != "same":
                    all_same = False
                    if len(shown) < examples:
                        shown.append(f"{pdf.name} p{page.number} [{v}] octa: {[w.text for w in line.words][:8]} "
                                     f"mupdf: {[t for *_, t in sorted(on)][:8]}")
            pages_same += all_same
    lines = sum(reasons.values())
    return {"folder": str(folder), "profiles": len(pdfs), "pages": pages, "lines": lines,
            "lines_same": reasons["same"], "pages_all_same": pages_same,
            "reasons": {k: v for k, v in reasons.most_common() if k != "same"}, "examples": shown}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("dirs", nargs="+", type=Path, help="folders of profile PDFs (one producer each)")
    ap.add_argument("--profiles", type=int, default=50, help="PDFs per folder (0: all)")
    ap.add_argument("--examples", type=int, default=6)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    results = []
    for d in args.dirs:
        r = measure(d, args.profiles, args.examples)
        results.append(r)
        lines = max(r["lines"], 1)
        print(f"{d}: {r['profiles']} profiles, {r['pages']} pages, {r['lines']} lines: "
              f"{r['lines_same']} lines ({100 * r['lines_same'] / lines:.1f}%) are MuPDF's words exactly; "
              f"{r['pages_all_same']} pages ({100 * r['pages_all_same'] / max(r['pages'], 1):.1f}%) only such lines")
        print("   not the same: " + ", ".join(f"{k} {v} ({100 * v / lines:.1f}%)" for k, v in r["reasons"].items()))
        for e in r["examples"]:
            print("   e.g.", e[:230])
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
