"""Build ``src/octa/fonts/OctaIcons.ttf``: a tiny TrueType icon font whose code points mislead.

    python scripts/make_icon_font.py            # rewrite the shipped font (byte for byte the same)
    python scripts/make_icon_font.py --check    # exit 1 when the shipped font differs from a fresh build

The producers (``octa synth --variations``, ``tests/producers/browser.py``) draw a change's direction
with these glyphs, the way real profiles do with icon fonts: what is drawn is a triangle or an
arrow, what the text layer says is the code point the font maps to it (``≥``/``≤``, Arabic
letters, Private Use Area points). Every code point has a glyph of its own (same outline), so a
PDF producer's reverse mapping glyph -> code point is unambiguous. The font also has a visible
hyphen mapped from U+00AD and U+2010 (one glyph: a producer that writes U+2010 and maps glyphs back
to their first code point puts U+00AD in the text layer), and blank figure/thin/narrow no-break spaces (Vera, the
generator's TrueType face, has none of those).

Needs ``fontTools`` (``pip install fonttools``, in the ``test`` extras); octa itself only reads the
shipped file. The build is deterministic: fixed timestamps, fixed glyph order.
"""

from __future__ import annotations

import argparse
import io
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "src" / "octa" / "fonts" / "OctaIcons.ttf"

#: code point -> (glyph name, shape). Shapes: tri_up, tri_down, diag_up (➚), diag_down (➘), hyphen,
#: and blank spaces (their advance in the name: space_556 is a figure space of Helvetica's digit width).
MAPPING: dict[int, tuple[str, str]] = {
    0x2265: ("tri_up_ge", "tri_up"),  # ≥ drawn as ▲
    0x2264: ("tri_down_le", "tri_down"),  # ≤ drawn as ▼
    0x0631: ("tri_up_reh", "tri_up"),  # ر drawn as ▲
    0x0632: ("tri_down_zain", "tri_down"),  # ز drawn as ▼
    0xE000: ("tri_up_pua", "tri_up"),  # U+E000 drawn as ▲
    0xE001: ("tri_down_pua", "tri_down"),  # U+E001 drawn as ▼
    0x0630: ("diag_up_thal", "diag_up"),  # ذ drawn as ➚
    0x062F: ("diag_down_dal", "diag_down"),  # د drawn as ➘
    0x00AD: ("hyphen_soft", "hyphen"),  # U+00AD drawn as a visible hyphen
    0x2010: ("hyphen_soft", "hyphen"),  # the same glyph: a glyph -> code point reverse map says U+00AD
    0x2007: ("space_figure", "space_556"),
    0x2009: ("space_thin", "space_200"),
    0x202F: ("space_narrow", "space_200"),
}
ADVANCE = {"tri_up": 700, "tri_down": 700, "diag_up": 760, "diag_down": 760, "hyphen": 333}
EPOCH = 3155673600  # 2000-01-01 in the font's 1904-based seconds


def _arrow(angle_deg: float) -> list[tuple[int, int]]:
    """A filled arrow pointing at ``angle_deg`` (0 = right), centred in the 760 x 700 box."""
    shape = [(-300, -70), (80, -70), (80, -210), (300, 0), (80, 210), (80, 70), (-300, 70)]
    a = math.radians(angle_deg)
    cx, cy = 380, 330
    return [(round(cx + x * math.cos(a) - y * math.sin(a)), round(cy + x * math.sin(a) + y * math.cos(a)))
            for x, y in shape]


def outline(shape: str) -> list[list[tuple[int, int]]]:
    """The contours of a shape (clockwise, TrueType's filled direction)."""
    if shape == "tri_up":
        return [[(50, 0), (350, 600), (650, 0)]]
    if shape == "tri_down":
        return [[(50, 600), (650, 600), (350, 0)]]
    if shape == "diag_up":
        return [list(reversed(_arrow(45)))]
    if shape == "diag_down":
        return [list(reversed(_arrow(-45)))]
    if shape == "hyphen":
        return [[(40, 230), (40, 320), (293, 320), (293, 230)]]
    return []  # a space


def build() -> bytes:
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    shapes = dict(MAPPING.values())  # glyph name -> shape, in first-mapped order
    names = [".notdef", *shapes]
    fb = FontBuilder(1000, isTTF=True)
    fb.font.recalcTimestamp = False
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({cp: name for cp, (name, _) in MAPPING.items()})
    glyphs, metrics = {}, {}
    pen = TTGlyphPen(None)
    pen.moveTo((50, 0))
    pen.lineTo((50, 700))
    pen.lineTo((450, 700))
    pen.lineTo((450, 0))
    pen.closePath()
    glyphs[".notdef"] = pen.glyph()
    metrics[".notdef"] = (500, 50)
    for name, shape in shapes.items():
        pen = TTGlyphPen(None)
        for contour in outline(shape):
            pen.moveTo(contour[0])
            for pt in contour[1:]:
                pen.lineTo(pt)
            pen.closePath()
        glyphs[name] = pen.glyph()
        adv = int(shape.split("_")[1]) if shape.startswith("space_") else ADVANCE[shape]
        xmin = min((p[0] for c in outline(shape) for p in c), default=0)
        metrics[name] = (adv, xmin)
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics(metrics)
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "OctaIcons", "styleName": "Regular", "uniqueFontIdentifier": "OctaIcons-1",
                       "fullName": "OctaIcons Regular", "psName": "OctaIcons-Regular", "version": "Version 1.000"})
    fb.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200, fsType=0)
    fb.setupPost()
    head = fb.font["head"]
    head.created = head.modified = EPOCH
    buf = io.BytesIO()
    fb.font.save(buf)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="compare with the shipped font instead of writing it")
    ap.add_argument("--out", type=Path, default=TARGET)
    args = ap.parse_args(argv)
    data = build()
    if args.check:
        same = args.out.exists() and args.out.read_bytes() == data
        print(f"{args.out}: {'identical' if same else 'DIFFERS from a fresh build'}")
        return 0 if same else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(f"wrote {args.out} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
