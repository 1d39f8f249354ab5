"""Direction icons read from what is drawn (issue 25, point 3): a raster image, a glyph of any font
and code point, beside an unsigned change. The ink reader (:func:`octa.ink.ink_direction`) on bitmaps
drawn here by hand, then PDFs drawn here with PyMuPDF (raster icons; a font built here with fontTools
whose code points say ``≥``, ``≤``, ``ذ``, ``د`` and a Private Use Area point for triangles and arrows),
and a generated profile whose vector icons are turned into raster images. Every expected direction is
written here by hand (or, for the generated profile, taken from its truth file)."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pymupdf
import pytest

from octa import clean, layout, synth, taxonomy
from octa.ink import ink_direction
from octa.parse import scores

ENGINES = ("pymupdf", "pdfplumber")
CASES = Path(__file__).resolve().parent / "cases"

# ------------------------------------------------------------------------------------------------
# The ink reader on hand-drawn bitmaps (40 x 40 px, True is ink, row 0 at the top)
# ------------------------------------------------------------------------------------------------

N = 40


def _poly(points: list[tuple[float, float]]) -> np.ndarray:
    """A filled polygon (x, y in pixels, y down), by the even-odd rule at pixel centres."""
    yy, xx = np.mgrid[0:N, 0:N] + 0.5
    inside = np.zeros((N, N), bool)
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True):
        if y1 != y2:
            xint = x1 + (yy - y1) * (x2 - x1) / (y2 - y1)
            inside ^= (yy >= min(y1, y2)) & (yy < max(y1, y2)) & (xx < xint)
    return inside


def _line(a: tuple[float, float], b: tuple[float, float], width: float = 1.6) -> np.ndarray:
    """A stroked segment ``width`` px either side of its axis, round caps."""
    yy, xx = np.mgrid[0:N, 0:N] + 0.5
    (x1, y1), (x2, y2) = a, b
    dx, dy = x2 - x1, y2 - y1
    t = np.clip(((xx - x1) * dx + (yy - y1) * dy) / (dx * dx + dy * dy), 0, 1)
    return (xx - x1 - t * dx) ** 2 + (yy - y1 - t * dy) ** 2 <= width * width


def _outline(points: list[tuple[float, float]]) -> np.ndarray:
    out = np.zeros((N, N), bool)
    for a, b in zip(points, points[1:] + points[:1], strict=True):
        out |= _line(a, b)
    return out


def _turn(points: list[tuple[float, float]], degrees: float) -> list[tuple[float, float]]:
    """The points turned clockwise on the page (y down) about the bitmap's centre."""
    a, c = math.radians(degrees), N / 2
    return [(c + (x - c) * math.cos(a) - (y - c) * math.sin(a), c + (x - c) * math.sin(a) + (y - c) * math.cos(a))
            for x, y in points]


UP_TRIANGLE = [(20, 4), (36, 34), (4, 34)]
DOWN_TRIANGLE = [(4, 6), (36, 6), (20, 36)]
#: a heavy arrow: the head's apex at the top, its base at y 18, a shaft 10 px wide to the bottom
UP_ARROW = [(20, 3), (34, 18), (25, 18), (25, 37), (15, 37), (15, 18), (6, 18)]
DOWN_ARROW = [(20, 37), (34, 22), (25, 22), (25, 3), (15, 3), (15, 22), (6, 22)]


def _circle(r: float = 15, ring: bool = False) -> np.ndarray:
    yy, xx = np.mgrid[0:N, 0:N] + 0.5
    d = (yy - N / 2) ** 2 + (xx - N / 2) ** 2
    return (d < r * r) & (d > (r - 3) ** 2 if ring else True)


BITMAPS: dict[str, tuple[np.ndarray, int | None]] = {
    "filled up triangle ▲": (_poly(UP_TRIANGLE), 1),
    "filled down triangle ▼": (_poly(DOWN_TRIANGLE), -1),
    "stroked up triangle △": (_outline(UP_TRIANGLE), 1),
    "stroked down triangle ▽": (_outline(DOWN_TRIANGLE), -1),
    "flat wide up triangle": (_poly([(20, 12), (38, 28), (2, 28)]), 1),
    "heavy up arrow ⬆": (_poly(UP_ARROW), 1),
    "heavy down arrow ⬇": (_poly(DOWN_ARROW), -1),
    "line up arrow ↑": (_line((20, 4), (20, 36)) | _line((20, 4), (8, 16)) | _line((20, 4), (32, 16)), 1),
    "line down arrow ↓": (_line((20, 4), (20, 36)) | _line((20, 36), (8, 24)) | _line((20, 36), (32, 24)), -1),
    "north-east arrow ➚": (_poly(_turn(UP_ARROW, 45)), 1),
    "south-east arrow ➘": (_poly(_turn(UP_ARROW, 135)), -1),
    "south-west arrow": (_poly(_turn(UP_ARROW, 225)), -1),
    "north-west arrow": (_poly(_turn(UP_ARROW, -45)), 1),
    "right arrow →": (_poly(_turn(UP_ARROW, 90)), None),
    "left arrow ←": (_poly(_turn(UP_ARROW, -90)), None),
    "filled circle ●": (_circle(), None),
    "ring ○": (_circle(ring=True), None),
    "▼ under a label's overflowing letter": (_poly(DOWN_TRIANGLE) | _line((4, 2), (4, 38), 0.5)
                                             | _line((4, 38), (30, 38), 0.5), -1),
    "disc cut flat at its foot": (_circle() & (np.mgrid[0:N, 0:N][0] < 31), None),
    "square ■": (_poly([(8, 8), (32, 8), (32, 32), (8, 32)]), None),
    "diamond ◆": (_poly([(20, 4), (36, 20), (20, 36), (4, 20)]), None),
    "greater or equal ≥": (_poly([(6, 4), (34, 14), (6, 24), (6, 20), (26, 14), (6, 8)])
                           | _poly([(6, 30), (34, 30), (34, 34), (6, 34)]), None),
    "empty": (np.zeros((N, N), bool), None),
    # a table's rule passing along the box's edge is not the figure
    "line up arrow ↑ with a rule under it": (
        _line((20, 4), (20, 36)) | _line((20, 4), (8, 16)) | _line((20, 4), (32, 16))
        | _poly([(0, 38), (40, 38), (40, 40), (0, 40)]), 1),
    "line down arrow ↓ between two rules": (
        _line((20, 4), (20, 34)) | _line((20, 34), (8, 22)) | _line((20, 34), (32, 22))
        | _poly([(0, 0), (2, 0), (2, 40), (0, 40)]) | _poly([(38, 0), (40, 0), (40, 40), (38, 40)]), -1),
    "right-pointing triangle ▶ (its base a full column)": (_poly([(2, 2), (38, 20), (2, 38)]), None),
}


@pytest.mark.parametrize("name", list(BITMAPS))
def test_ink_direction_on_hand_drawn_bitmaps(name: str) -> None:
    bitmap, want = BITMAPS[name]
    assert ink_direction(bitmap) == want


def test_a_line_arrow_touching_a_table_rule_points_its_own_way() -> None:
    """The ink of a ``↓`` drawn as a shaft and a chevron beside a table's column rule, as MuPDF
    rendered it (generator seed 9393011, profile 194; tests/cases/ink, ``#`` is ink): the rule runs
    down the box's left edge and the left barb touches it. The rule is not the figure: the arrow
    points down (it was read up: a wrong sign on a summary change)."""
    rows = (CASES / "ink" / "line_down_arrow_touching_a_rule.txt").read_text(encoding="utf-8").split()
    mask = np.array([[c == "#" for c in row] for row in rows])
    assert mask[:, :2].all() and not mask[:, 3].all()  # the rule, and the blank beside it
    assert ink_direction(mask) == -1


def test_ink_direction_on_gray_pixels_and_a_coloured_ground() -> None:
    """A grayscale rendering: dark ink on white, and a white triangle on a dark square (the figure is
    what differs from the ground at the box's border); a 13 px icon as small as a raster icon comes."""
    tri = _poly(DOWN_TRIANGLE)
    assert ink_direction(np.where(tri, 60, 255).astype(np.uint8)) == -1
    assert ink_direction(np.where(tri, 255, 40).astype(np.uint8)) == -1
    assert ink_direction(np.full((N, N), 200, np.uint8)) is None  # no ink
    small = np.zeros((13, 13), bool)
    for r in range(1, 12):  # an up triangle: row r is 2 * (r // 2) + 1 pixels wide
        half = r // 2
        small[r, 6 - half:7 + half] = True
    assert ink_direction(small) == 1
    assert ink_direction(small[::-1]) == -1


def _antialiased_triangle(width: int, height: int, apex: float, up: bool, ss: int = 8) -> np.ndarray:
    """A grayscale triangle (dark on white) ``width`` x ``height`` px filling its box edge to edge
    (base the full width at one edge, an apex ``apex`` px wide at the other: a small image's apex
    pixels, enlarged), each pixel the share of it covered (``ss`` x ``ss`` samples): a rendering's
    anti-aliasing, with a pixel of white paper around."""
    ys, xs = np.mgrid[0:height * ss, 0:width * ss]
    y = (ys + 0.5) / (height * ss)  # 0 at the apex, 1 at the base
    x = (xs + 0.5) / (width * ss)
    if not up:
        y = y[::-1]
    a = apex / width / 2
    inside = np.abs(x - 0.5) <= a + (0.5 - a) * y
    cover = inside.reshape(height, ss, width, ss).mean(axis=(1, 3))
    gray = np.full((height + 2, width + 2), 255.0)
    gray[1:-1, 1:-1] = 255 - 200 * cover
    return gray.round().astype(np.uint8)


#: the rows of a browser's 16 x 16 px down triangle image, from row 2 (rows 0, 1, 14, 15 are white)
_STEPS = (14, 12, 10, 10, 8, 8, 6, 6, 4, 4, 2, 2)


def _stepped_image(up: bool) -> np.ndarray:
    """A 16 x 16 px triangle image in steps (``_STEPS``, centred): True is ink."""
    img = np.zeros((16, 16), bool)
    for r, w in enumerate(_STEPS):
        img[2 + r, 8 - w // 2:8 + w // 2] = True
    return img[::-1] if up else img


def _stepped_triangle(up: bool, side: int = 40) -> np.ndarray:
    """The stepped image enlarged to ``side`` px without smoothing, as a renderer shows a small
    image: its apex keeps 5 px of width."""
    idx = np.arange(side) * 16 // side
    return _stepped_image(up)[idx][:, idx]


@pytest.mark.parametrize("width,height,apex", [(22, 17, 4), (12, 10, 2.5), (16, 16, 3.5), (30, 24, 5)])
def test_ink_direction_of_small_antialiased_triangles(width: int, height: int, apex: float) -> None:
    """A small triangle rendered with anti-aliasing keeps a couple of pixels of width at its apex
    (the apex rows are not 0.4 x as wide as the rows a quarter in): it still points its way."""
    assert ink_direction(_antialiased_triangle(width, height, apex, up=True)) == 1
    assert ink_direction(_antialiased_triangle(width, height, apex, up=False)) == -1


def test_ink_direction_of_an_enlarged_stepped_triangle() -> None:
    """A 16 px image enlarged 2.5 times: its apex rows are 5 px wide against 10 to 15 px a quarter in."""
    assert ink_direction(_stepped_triangle(up=True)) == 1
    assert ink_direction(_stepped_triangle(up=False)) == -1


@pytest.mark.parametrize("side", [6, 8, 10, 14])
def test_small_antialiased_round_and_square_figures_point_nowhere(side: int) -> None:
    """The allowance for a small apex makes no tip of a small disc's, square's or bar's end."""
    ss = 8
    ys, xs = np.mgrid[0:side * ss, 0:side * ss]
    c = (side * ss - 1) / 2
    disc = ((ys - c) ** 2 + (xs - c) ** 2 <= (side * ss / 2) ** 2).reshape(side, ss, side, ss).mean(axis=(1, 3))
    for cover in (disc, np.ones((side, side)), np.ones((side, max(2, side // 3)))):
        gray = np.full((cover.shape[0] + 2, cover.shape[1] + 2), 255.0)
        gray[1:-1, 1:-1] = 255 - 200 * cover
        assert ink_direction(gray.round().astype(np.uint8)) is None


# ------------------------------------------------------------------------------------------------
# PDFs drawn here: a small score table whose changes are unsigned, the direction an icon beside them
# ------------------------------------------------------------------------------------------------

#: (label, score, change as printed, direction of the icon beside it: +1, -1 or 0 for none)
ROWS = [("Human trafficking", "6.50", "0.50", 1), ("Human smuggling", "4.00", "1.00", -1),
        ("Arms trafficking", "5.50", "0.00", 0), ("Flora crimes", "3.00", "1.50", 1),
        ("Fauna crimes", "7.00", "0.50", -1)]
ROW_KEYS = ["human_trafficking", "human_smuggling", "arms_trafficking", "flora_crimes", "fauna_crimes"]
#: the changes a reader gets from ROWS (written by hand)
WANT = {"human_trafficking": 0.5, "human_smuggling": -1.0, "arms_trafficking": 0.0, "flora_crimes": 1.5,
        "fauna_crimes": -0.5}


def _raster(up: bool, px: int = 13) -> pymupdf.Pixmap:
    """A ``px`` x ``px`` RGB image: a green triangle pointing up, or a red one pointing down, on white."""
    img = np.full((px, px, 3), 255, np.uint8)
    for r in range(1, px - 1):
        half = (r - 1) // 2
        row = r if up else px - 1 - r
        img[row, px // 2 - half:px // 2 + half + 1] = (30, 140, 50) if up else (205, 30, 30)
    return pymupdf.Pixmap(pymupdf.csRGB, px, px, img.tobytes(), False)


def _table_pdf(path: Path, icon, *, side: str = "before") -> Path:
    """A one-page table (label, score, change) with the icon drawn by ``icon(page, rect, direction)``
    beside each change that has a direction (``side``: before or after the number)."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 90), "INDICATOR", fontsize=8)
    page.insert_text((230, 90), "SCORE", fontsize=8)
    page.insert_text((290, 90), "CHANGE", fontsize=8)
    y = 110.0
    for label, score, change, direction in ROWS:
        page.insert_text((72, y), label, fontsize=10)
        page.insert_text((230, y), score, fontsize=10)
        x = 300.0
        page.insert_text((x, y), change, fontsize=10)
        if direction:
            w = pymupdf.get_text_length(change, fontsize=10)
            rect = pymupdf.Rect(x - 11, y - 8, x - 3, y) if side == "before" else pymupdf.Rect(x + w + 3, y - 8,
                                                                                                x + w + 11, y)
            icon(page, rect, direction)
        y += 18
    doc.save(path)
    doc.close()
    return path


def _image_icon(page: pymupdf.Page, rect: pymupdf.Rect, direction: int) -> None:
    page.insert_image(rect, pixmap=_raster(direction > 0))


def _changes(res: scores.ScoreResult) -> dict[str, float | None]:
    out = {}
    for key in ROW_KEYS:
        r = res.indicators.get(key)
        out[key] = None if r is None or r.change is None else float(r.change)
    return out


def _edge_raster(up: bool) -> pymupdf.Pixmap:
    """A 16 x 16 px RGB image of a triangle drawn edge to edge in steps of two rows (2, 2, 4, 4, ...,
    16, 16 px wide: the base rows the full width at one edge, the apex rows at the other, no white
    margin): green up, red down."""
    img = np.full((16, 16, 3), 255, np.uint8)
    for r in range(16):  # r = 0: the apex
        half = 1 + r // 2
        row = r if up else 15 - r
        img[row, 8 - half:8 + half] = (30, 140, 50) if up else (205, 30, 30)
    return pymupdf.Pixmap(pymupdf.csRGB, 16, 16, img.tobytes(), False)


def _stepped_raster(up: bool) -> pymupdf.Pixmap:
    """The stepped 16 px image (``_STEPS``) in RGB: green up, red down, on white."""
    ink = _stepped_image(up)[..., None]
    img = np.where(ink, np.array((30, 132, 73) if up else (192, 57, 43), np.uint8), np.uint8(255))
    return pymupdf.Pixmap(pymupdf.csRGB, 16, 16, np.ascontiguousarray(img).tobytes(), False)


def _six_pt_icon(raster):
    def icon(page: pymupdf.Page, rect: pymupdf.Rect, direction: int) -> None:
        """The 16 px image shown at 6 pt, as a browser prints a small PNG icon (its box on whole pixels
        of the 40 px rendering: each image pixel 2.5 px, the apex rows 5 px wide)."""
        page.insert_image(pymupdf.Rect(rect.x0 + 2, rect.y0 + 1.2, rect.x0 + 8, rect.y0 + 7.2),
                          pixmap=raster(direction > 0))
    return icon


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("raster", [_edge_raster, _stepped_raster], ids=["edge_to_edge", "stepped"])
def test_16px_raster_triangles_at_6pt_give_the_changes_their_signs(tmp_path: Path, engine: str, raster) -> None:
    """Before: the stepped icons were read as no direction (their apex rows, enlarged, are 5 px
    wide: not narrow enough for a tip) and every change beside them was null."""
    pdf = _table_pdf(tmp_path / "six_pt.pdf", _six_pt_icon(raster))
    doc = layout.load(pdf, engine=engine)
    assert _changes(scores.parse_document(doc)) == WANT
    icons = sorted(doc.pages[0].icons, key=lambda i: i.y0)
    assert [i.direction for i in icons] == [1, -1, 1, -1]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("side", ["before", "after"])
def test_raster_icons_give_the_changes_their_signs(tmp_path: Path, engine: str, side: str) -> None:
    pdf = _table_pdf(tmp_path / "raster.pdf", _image_icon, side=side)
    doc = layout.load(pdf, engine=engine)
    assert _changes(scores.parse_document(doc)) == WANT
    icons = sorted(doc.pages[0].icons, key=lambda i: i.y0)
    assert [(i.direction, i.source) for i in icons] == [(1, "image"), (-1, "image"), (1, "image"), (-1, "image")]
    for ic, y in zip(icons, (110, 128, 164, 182), strict=True):  # each icon's ink lies in its row's box
        assert y - 8.5 <= ic.y0 < ic.y1 <= y + 0.5


def _rounded_triangle(page: pymupdf.Page, rect: pymupdf.Rect, direction: int) -> None:
    """A filled triangle with rounded corners, drawn as one path of 27 points (too many vertices for
    the outline rule: only its ink tells which way it points)."""
    cx, w, h = (rect.x0 + rect.x1) / 2, rect.width, rect.height
    apex, base = (rect.y0, rect.y1) if direction > 0 else (rect.y1, rect.y0)
    corners = [(cx, apex), (rect.x1, base), (rect.x0, base)]
    r = min(w, h) * 0.18
    pts = []
    for k, (x, y) in enumerate(corners):
        ox, oy = (cx - x) * r / w * 2, ((apex + base) / 2 - y) * r / h * 2  # towards the middle
        for j in range(9):
            a = 2 * math.pi * (k / 3 + j / 27)
            pts.append(pymupdf.Point(x + ox + r * 0.5 * math.sin(a), y + oy - r * 0.5 * math.cos(a)))
    page.draw_polyline(pts, color=None, fill=(0.1, 0.45, 0.2) if direction > 0 else (0.75, 0.1, 0.1),
                       closePath=True)


@pytest.mark.parametrize("engine", ENGINES)
def test_vector_icons_whose_outline_says_nothing_are_read_from_their_ink(tmp_path: Path, engine: str) -> None:
    pdf = _table_pdf(tmp_path / "rounded.pdf", _rounded_triangle)
    doc = layout.load(pdf, engine=engine)
    assert _changes(scores.parse_document(doc)) == WANT
    icons = sorted(doc.pages[0].icons, key=lambda i: i.y0)
    assert [(i.direction, i.source) for i in icons] == [(1, "path"), (-1, "path"), (1, "path"), (-1, "path")]


def _line_arrow(page: pymupdf.Page, rect: pymupdf.Rect, direction: int) -> None:
    """A stroked line arrow as Typst draws an SVG one: a shaft that stops just short of the tip (the
    stroke's join), then two barbs meeting at the tip; three separate line segments in one path."""
    cx, w = (rect.x0 + rect.x1) / 2, 1.8
    tip, tail = (rect.y0 + 0.5, rect.y1 - 0.5) if direction > 0 else (rect.y1 - 0.5, rect.y0 + 0.5)
    near = tip + 0.5 if direction > 0 else tip - 0.5  # the shaft's end, half a point from the tip
    barb = tip + 2.2 if direction > 0 else tip - 2.2
    shape = page.new_shape()
    shape.draw_line((cx, tail), (cx, near))
    shape.draw_line((cx - w, barb), (cx, tip))
    shape.draw_line((cx, tip), (cx + w, barb))
    shape.finish(color=(0.1, 0.45, 0.2) if direction > 0 else (0.7, 0.12, 0.16), width=0.85, closePath=False)
    shape.commit()


@pytest.mark.parametrize("engine", ENGINES)
def test_stroked_line_arrows_are_read_from_their_ink(tmp_path: Path, engine: str) -> None:
    """Line arrows whose shaft ends half a point short of the tip: their outline looked like two tips
    at the head's end and was read the wrong way round (a wrong sign); their ink reads them right."""
    pdf = _table_pdf(tmp_path / "line_arrows.pdf", _line_arrow)
    doc = layout.load(pdf, engine=engine)
    assert _changes(scores.parse_document(doc)) == WANT
    icons = sorted(doc.pages[0].icons, key=lambda i: i.y0)
    assert [i.direction for i in icons] == [1, -1, 1, -1]


def test_numbered_badges_are_no_icons(tmp_path: Path) -> None:
    """Circles drawn around step numbers on coloured bands (as the index's methodology report draws
    them), with other figures half in their boxes: a shape around a number is no icon beside one."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    for k in range(6):
        x = 100 + 58 * k
        page.draw_rect(pymupdf.Rect(x - 29, 500, x + 29, 560), color=None, fill=(0.3, 0.5 - 0.05 * k, 0.7))
        page.draw_circle((x + 20, 512), 9, color=None, fill=(0.8, 0.8, 0.78))
        page.draw_circle((x, 530), 8, color=(0.1, 0.1, 0.1), fill=(1, 1, 1), width=1.2)
        page.insert_text((x - 2.5, 534), str(k + 1), fontsize=11, color=(0.3, 0.5, 0.7))
    page.insert_text((72, 600), "Six steps make the index.", fontsize=10)
    doc.save(tmp_path / "badges.pdf")
    assert layout.load(tmp_path / "badges.pdf").pages[0].icons == []


def test_renders_per_page_are_capped(tmp_path: Path) -> None:
    """``icon_renders``: a page renders at most that many icon boxes (the first drawn are read)."""
    import dataclasses

    pdf = _table_pdf(tmp_path / "raster.pdf", _image_icon)
    capped = layout.load(pdf, settings=dataclasses.replace(layout.DEFAULT_SETTINGS, icon_renders=2))
    assert [i.direction for i in sorted(capped.pages[0].icons, key=lambda i: i.y0)] == [1, -1]


def test_a_raster_figure_that_points_nowhere_gives_no_sign(tmp_path: Path) -> None:
    """A round raster image beside each change: no direction can be read, so none is guessed."""
    def dot(page: pymupdf.Page, rect: pymupdf.Rect, direction: int) -> None:
        yy, xx = np.mgrid[0:13, 0:13]
        img = np.where(((yy - 6) ** 2 + (xx - 6) ** 2 <= 30)[..., None], (30, 140, 50) if direction > 0 else
                       (205, 30, 30), 255).astype(np.uint8)
        page.insert_image(rect, pixmap=pymupdf.Pixmap(pymupdf.csRGB, 13, 13, img.tobytes(), False))

    doc = layout.load(_table_pdf(tmp_path / "dots.pdf", dot))
    assert doc.pages[0].icons == []
    got = _changes(scores.parse_document(doc))
    assert got["human_trafficking"] is None and got["human_smuggling"] is None and got["arms_trafficking"] == 0.0


# ------------------------------------------------------------------------------------------------
# An icon font whose code points mislead: triangles and arrows behind ≥, ≤, ذ, د and U+E001
# ------------------------------------------------------------------------------------------------

#: Glyph outlines drawn here, in font units (1000 to the em, y up): name -> contours
_UP_TRI = [(100, 0), (700, 0), (400, 700)]
_UP_ARROW = [(400, 700), (700, 400), (500, 400), (500, 0), (300, 0), (300, 400), (100, 400)]


def _flip(pts: list[tuple[float, float]]) -> list[tuple[float, float]]:
    return [(x, 700 - y) for x, y in pts]


def _clockwise(pts: list[tuple[float, float]], degrees: float) -> list[tuple[float, float]]:
    """The outline turned clockwise as seen on the page (y up) about the glyph's middle."""
    a, cx, cy = math.radians(-degrees), 400, 350
    return [(round(cx + (x - cx) * math.cos(a) - (y - cy) * math.sin(a)),
             round(cy + (x - cx) * math.sin(a) + (y - cy) * math.cos(a))) for x, y in pts]


GLYPHS = {
    "up_triangle": [_UP_TRI], "down_triangle": [_flip(_UP_TRI)],
    "up_arrow": [_UP_ARROW], "down_arrow": [_flip(_UP_ARROW)],
    "north_east_arrow": [_clockwise(_UP_ARROW, 45)], "south_east_arrow": [_clockwise(_UP_ARROW, 135)],
    # a comparison sign drawn as one: a chevron pointing right over a bar
    "greater_equal": [[(100, 650), (650, 450), (100, 250), (100, 330), (480, 450), (100, 570)],
                      [(100, 100), (650, 100), (650, 170), (100, 170)]],
}

#: code point -> the glyph drawn for it, and that glyph's direction (by hand)
MISLEADING = {"\u2265": ("up_triangle", 1),  # ≥ draws ▲ (by its code point, ≥ would be a down arrow)
              "\u2264": ("down_triangle", -1),  # ≤ draws ▼
              "\u0630": ("north_east_arrow", 1),  # ذ draws ➚
              "\u062f": ("south_east_arrow", -1),  # د draws ➘
              "\ue001": ("up_arrow", 1),  # a Private Use Area point draws ⬆
              "\ue002": ("down_arrow", -1)}  # ... and ⬇


def _font(path: Path, cmap: dict[str, str], family: str) -> Path:
    """A TrueType font of the outlines of :data:`GLYPHS` named in ``cmap`` (code point -> glyph),
    with a plain family name (no "symbol", "icon" or "arrow" in it)."""
    pytest.importorskip("fontTools", reason="fontTools (the [test] extra) builds the test's fonts")
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    names = sorted(set(cmap.values()))
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder([".notdef", *names])
    fb.setupCharacterMap({ord(c): g for c, g in cmap.items()})
    outlines = {}
    for name in [".notdef", *names]:
        pen = TTGlyphPen(None)
        for contour in GLYPHS.get(name, []):
            pen.moveTo(contour[0])
            for pt in contour[1:]:
                pen.lineTo(pt)
            pen.closePath()
        outlines[name] = pen.glyph()
    fb.setupGlyf(outlines)
    fb.setupHorizontalMetrics({name: (800, 0) for name in [".notdef", *names]})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": family, "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
    fb.setupPost()
    fb.save(str(path))
    return path


def _icon_font(path: Path) -> Path:
    return _font(path, {c: g for c, (g, _) in MISLEADING.items()}, "OctaPlainGlyphs")


def _glyph_table_pdf(path: Path, font: Path, glyph_for: dict[int, str], side: str = "before") -> Path:
    def glyph(page: pymupdf.Page, rect: pymupdf.Rect, direction: int) -> None:
        page.insert_font(fontname="glyphs", fontfile=str(font))
        page.insert_text((rect.x0, rect.y1), glyph_for[direction], fontname="glyphs", fontsize=8)

    return _table_pdf(path, glyph, side=side)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("up", "down"), [("\u2265", "\u2264"), ("\u0630", "\u062f"), ("\ue001", "\ue002")],
                         ids=["comparison signs", "arabic letters", "private use"])
def test_icon_font_glyphs_are_read_as_drawn(tmp_path: Path, engine: str, up: str, down: str) -> None:
    font = _icon_font(tmp_path / "plain.ttf")
    pdf = _glyph_table_pdf(tmp_path / "glyphs.pdf", font, {1: up, -1: down})
    text = pymupdf.open(pdf)[0].get_text()
    assert up in text and down in text  # the text layer says what the font maps, not what is drawn
    doc = layout.load(pdf, engine=engine)
    assert _changes(scores.parse_document(doc)) == WANT
    page = doc.pages[0]
    assert [(i.direction, i.source) for i in sorted(page.icons, key=lambda i: i.y0)] == [
        (1, "glyph"), (-1, "glyph"), (1, "glyph"), (-1, "glyph")]
    assert not any(up in w.text or down in w.text for w in page.words)  # pictures, not text


def test_icon_glyphs_stay_out_of_the_cleaned_text(tmp_path: Path) -> None:
    font = _icon_font(tmp_path / "plain.ttf")
    pdf = _glyph_table_pdf(tmp_path / "glyphs.pdf", font, {1: "\u0630", -1: "\u062f"}, side="after")
    cleaned = clean.clean_document(layout.load(pdf), taxonomy.resolve(None, None))
    assert "1.50" in cleaned.text  # the changes are read, without their icons
    assert "\u0630" not in cleaned.text and "\u062f" not in cleaned.text
    # each glyph read as an icon is recorded, with what the text layer said
    assert [(r.before.split(" ")[0], r.after, r.page) for r in cleaned.repairs if r.rule == "icon_glyph"] == [
        ("\u0630", "\u25b2", 1), ("\u062f", "\u25bc", 1), ("\u0630", "\u25b2", 1), ("\u062f", "\u25bc", 1)]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_comparison_sign_drawn_as_one_stays_text(tmp_path: Path, engine: str) -> None:
    """``≥`` drawn as the sign it is, beside a number: no direction is read from its ink, so it stays
    in the text."""
    font = _font(tmp_path / "sign.ttf", {"\u2265": "greater_equal"}, "OctaPlainSigns")
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_font(fontname="signs", fontfile=str(font))
    page.insert_text((72, 100), "Seizures rose by", fontsize=10)
    page.insert_text((150, 100), "\u2265", fontname="signs", fontsize=10)
    page.insert_text((158, 100), "5 tonnes", fontsize=10)
    doc.save(tmp_path / "sign.pdf")
    got = layout.load(tmp_path / "sign.pdf", engine=engine).pages[0]
    assert got.icons == []
    assert [ln.text for ln in got.lines] == ["Seizures rose by \u22655 tonnes"]


# ------------------------------------------------------------------------------------------------
# A whole generated profile whose icons are raster images
# ------------------------------------------------------------------------------------------------

PLAIN = {
    "score_decimals": 2, "summary_decimals": 2, "change_decimals": 2, "change_form": "vector_triangle",
    "change_icon_side": "before", "new_indicator": "n/a", "label_case": "sentence", "label_amp": "and",
    "letter_spacing": "none", "label_wrap": 1, "row_order": "label_score_change", "table_grid": False,
    "table_columns": 1, "group_headings": False, "soft_hyphens": "none",
}


def _rasterised_profile(path: Path, seed: int, side: str):
    """A generated profile (its layout only) whose vector triangles are each replaced by an image of
    their own rendering: the pixels as drawn, the path taken out."""
    rng = synth.profile_rng(seed, 0)
    spec = synth.make_profile_spec(rng, "global", 2023, index=0, seed=seed)
    synth.apply_variation(spec, synth.choose_variation(synth.variation_rng(seed, 0),
                                                       {**synth.ISSUE25_PLAIN, **PLAIN, "change_icon_side": side}))
    pdf, truth, _ = synth.render_profile(spec, rng)
    doc = pymupdf.open(stream=pdf, filetype="pdf")
    replaced = 0
    for page in doc:
        small = [d["rect"] for d in page.get_drawings()
                 if d.get("fill") is not None and len(d["items"]) == 3 and max(d["rect"].width, d["rect"].height) < 10]
        shots = [(r, page.get_pixmap(clip=r, matrix=pymupdf.Matrix(4, 4), alpha=False)) for r in small]
        for r, _ in shots:
            page.add_redact_annot(r)
        if shots:
            page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE, graphics=pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_COVERED,
                                  text=pymupdf.PDF_REDACT_TEXT_NONE)
        for r, pix in shots:
            page.insert_image(r, pixmap=pix)
            replaced += 1
        assert not [d for d in page.get_drawings() if d.get("fill") is not None and len(d["items"]) == 3
                    and max(d["rect"].width, d["rect"].height) < 10]
    doc.save(path)
    return truth, replaced


@pytest.mark.parametrize("side", ["before", "after"])
def test_generated_profile_with_raster_icons(tmp_path: Path, side: str) -> None:
    truth, replaced = _rasterised_profile(tmp_path / "profile.pdf", 31, side)
    want = {i.id: i.change for i in truth.indicators}
    want_summary = {s.metric: s.change for s in truth.summary_scores}
    # one icon per non-zero change, of both directions
    assert replaced == sum(1 for v in [*want.values(), *want_summary.values()] if v)
    assert len({v > 0 for v in want.values() if v}) == 2
    doc = layout.load(tmp_path / "profile.pdf")
    res = scores.parse_document(doc)
    got = {k: (None if r.change is None else float(r.change)) for k, r in res.indicators.items()}
    assert got == want
    assert {k: (None if r.change is None else float(r.change)) for k, r in res.summary.items()} == want_summary
    assert {i.source for p in doc.pages for i in p.icons} == {"image"}


# ------------------------------------------------------------------------------------------------
# The ink reader's cost: no array library in the pipeline, numpy's sums reproduced
# ------------------------------------------------------------------------------------------------

def test_reading_icons_imports_no_numpy(tmp_path: Path) -> None:
    """Reading raster icons from their ink loads no numpy (its import alone costs more instructions
    than reading a profile; the pipeline imported none before icons were read from their ink)."""
    pdf = _table_pdf(tmp_path / "raster.pdf", _image_icon)
    code = ("import sys\nfrom octa import layout\nfrom octa.parse import scores\n"
            f"doc = layout.load({str(pdf)!r})\nscores.parse_document(doc)\n"
            "print(len(doc.pages[0].icons), 'numpy' in sys.modules)\n")
    src = str(Path(__file__).resolve().parent.parent / "src")
    env = dict(os.environ, PYTHONPATH=src + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["4", "False"]


@pytest.mark.parametrize("n", [0, 1, 7, 8, 9, 15, 16, 17, 127, 128, 129, 130, 255, 256, 300, 1000, 1601])
def test_ink_sums_are_numpys_to_the_last_bit(n: int) -> None:
    """The reader sums non-integer values in numpy's pairwise order, so that a figure reads as it did
    with numpy: the same float as numpy's ``sum()`` for lengths around its blocks of 8 and 128."""
    from octa.ink import _fsum

    rng = np.random.default_rng(n)
    for _ in range(20):
        values = rng.uniform(-1, 1, n) * 10.0 ** rng.integers(-3, 4, n)
        assert _fsum(values.tolist()) == float(values.sum())
        assert _fsum(values[::-1].tolist()) == float(values[::-1].sum())
