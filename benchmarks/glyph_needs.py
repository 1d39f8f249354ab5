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


def _mupdf_words(path: Path) -> tuple[list[list[tuple[float, float, float, float, str]]], list[list[dict]],
                                      list[list[tuple[float, float, float, float]]]]:
    """MuPDF's words, spans (``get_text("dict")``: font, size, origin, box, text; no glyph) and clip
    boxes (``get_cdrawings(extended=True)``, read anyway for the score bars) of every page."""
    import pymupdf

    from octa.layout.page import NOT_TEXT, as_drawn

    out, spans, clips = [], [], []
    with pymupdf.open(str(path)) as doc:
        for page in doc:
            spans.append([sp for block in page.get_text("dict")["blocks"] for line in block.get("lines", ())
                          for sp in line["spans"] if sp["text"].strip()])
            clips.append([tuple(d["scissor"]) for d in page.get_cdrawings(extended=True)
                          if d.get("type") == "clip" and d.get("scissor")])
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
    return out, spans, clips


# ------------------------------------------------------------------------------------------------
# The rule: which lines need glyphs, from what MuPDF gives without them
# ------------------------------------------------------------------------------------------------

#: Code points whose reading needs the glyph: what is no text, a glyph without text, a soft hyphen
#: (drawn or a mere hyphenation point: only its advance says), what is read as drawn (ligatures,
#: hyphens, spaces of other widths, fullwidth digits), icon and private-use code points, Arabic
#: (an icon font's arrow decoded as a letter), the layout's own cut mark.
def _suspect_pattern():
    import re

    from octa.layout.drawn import _MAYBE_ICON
    from octa.layout.page import AS_DRAWN, CLIPPED, NOT_TEXT

    chars = "".join(sorted(NOT_TEXT | set(AS_DRAWN) | {"\ufffd", CLIPPED}))
    return re.compile("[" + re.escape(chars) + "]|" + _MAYBE_ICON.pattern)


#: Sizes: a gap between two of MuPDF's words on a line narrower than this is no plain space (a
#: letter-spaced or tracked word MuPDF split, or a kerning gap octa may join).
TIGHT_GAP = 0.2
#: Sizes per character: a word of MuPDF's wider than this per character may hold a gap octa splits.
WIDE_WORD = 0.6


def needs_glyphs(words: list[tuple[float, float, float, float, str]], spans: list[dict],
                 clips: list[tuple[float, float, float, float]], suspect, dup: set[int]) -> str | None:
    """Why a line (MuPDF's words and spans on it) needs its glyphs read, or None: the first of
    ``symbol font``, ``code point``, ``soft hyphen``, ``number``, ``overprint``, ``clip``,
    ``baselines``, ``letter-spaced``, ``tight gap``, ``wide word`` that holds."""
    from octa.layout.page import is_symbol_font

    if any(is_symbol_font(sp["font"]) for sp in spans):
        return "symbol font"
    if any(suspect.search(sp["text"]) for sp in spans):
        return "code point"
    if any("\u00ad" in sp["text"] for sp in spans):  # a hyphenation point, or a hyphen drawn as one
        return "soft hyphen"
    if any(c.isdigit() for sp in spans for c in sp["text"]) or any(c.isdigit() for w in words for c in w[4]):
        return "number"
    if any(id(sp) in dup for sp in spans):
        return "overprint"
    if words:
        x0, y0 = min(w[0] for w in words), min(w[1] for w in words)
        x1, y1 = max(w[2] for w in words), max(w[3] for w in words)
        if any(cx0 < x1 and x0 < cx1 and cy0 < y1 and y0 < cy1 and not (cx0 <= x0 and x1 <= cx1 and cy0 <= y0 and y1 <= cy1)
               for cx0, cy0, cx1, cy1 in clips):
            return "clip"
    if len({round(sp["origin"][1], 2) for sp in spans}) > 1 or len({sp["size"] for sp in spans}) > 1:
        return "baselines"
    size = max((sp["size"] for sp in spans), default=0.0)
    ws = sorted(words)
    if any(len(a[4]) == 1 and len(b[4]) == 1 for a, b in zip(ws, ws[1:], strict=False)):
        return "letter-spaced"  # (two words of one letter side by side: letters MuPDF parted)
    if any(b[0] - a[2] < TIGHT_GAP * size for a, b in zip(ws, ws[1:], strict=False)):
        return "tight gap"
    if any(w[2] - w[0] > WIDE_WORD * size * len(w[4]) for w in ws):
        return "wide word"
    return None


def _overprinted(spans: list[dict]) -> set[int]:
    """The spans drawn again within a point of a span of the same text (ids)."""
    seen: dict[tuple[str, int, int], dict] = {}
    dup: set[int] = set()
    for sp in spans:
        key = (sp["text"], round(sp["origin"][0]), round(sp["origin"][1]))
        if key in seen:
            dup.update((id(sp), id(seen[key])))
        seen[key] = sp
    return dup


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
    flagged: Counter[str] = Counter()
    unsafe: list[str] = []
    pages = pages_same = pages_unflagged = 0
    shown: list[str] = []
    suspect = _suspect_pattern()
    for pdf in pdfs:
        try:
            doc = layout.load(pdf)
        except Exception:  # not a profile's PDF: nothing to compare
            continue
        theirs, spans_by_page, clips_by_page = _mupdf_words(pdf)
        for page, words, spans, clips in zip(doc.pages, theirs, spans_by_page, clips_by_page, strict=True):
            pages += 1
            all_same = True
            none_flagged = True
            dup = _overprinted(spans)
            for line in page.lines:
                cy = (line.y0 + line.y1) / 2
                on = [w for w in words if w[1] <= cy <= w[3] and w[2] > line.x0 - TOL and w[0] < line.x1 + TOL
                      and (w[0] + w[2]) / 2 >= line.x0 - TOL and (w[0] + w[2]) / 2 <= line.x1 + TOL]
                on_spans = [sp for sp in spans if sp["bbox"][1] <= cy <= sp["bbox"][3]
                            and sp["bbox"][0] < line.x1 + TOL and line.x0 - TOL < sp["bbox"][2]]
                v = _verdict(line, on)
                reasons[v] += 1
                why = needs_glyphs(on, on_spans, clips, suspect, dup)
                flagged[why or "none"] += 1
                if why:
                    none_flagged = False
                elif v != "same":
                    unsafe.append(f"{pdf.name} p{page.number} [{v}] octa: {[w.text for w in line.words][:8]} "
                                  f"mupdf: {[t for *_, t in sorted(on)][:8]}")
                if v != "same":
                    all_same = False
                    if len(shown) < examples:
                        shown.append(f"{pdf.name} p{page.number} [{v}] octa: {[w.text for w in line.words][:8]} "
                                     f"mupdf: {[t for *_, t in sorted(on)][:8]}")
            pages_same += all_same
            pages_unflagged += none_flagged
    lines = sum(reasons.values())
    return {"folder": str(folder), "profiles": len(pdfs), "pages": pages, "lines": lines,
            "lines_same": reasons["same"], "pages_all_same": pages_same,
            "rule": {k: v for k, v in flagged.most_common()}, "pages_no_line_flagged": pages_unflagged,
            "unsafe": len(unsafe), "unsafe_examples": unsafe[:8],
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
        rule = r["rule"]
        print(f"   the rule (needs_glyphs): {lines - rule.get('none', 0)} lines "
              f"({100 * (lines - rule.get('none', 0)) / lines:.1f}%) need glyphs: "
              + ", ".join(f"{k} {v}" for k, v in rule.items() if k != "none")
              + f"; {r['pages_no_line_flagged']} pages with none; lines whose words differ and the rule "
              f"did not flag (must be 0): {r['unsafe']}")
        for e in r["unsafe_examples"]:
            print("   UNSAFE", e[:230])
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
