"""What is drawn, read the same way in both engines: glyphs cut off by a clip path or the page's
edge (:func:`_cut_off`), and icons, the arrows and triangles that give a change its direction,
read from their outline (:func:`icon_direction`) or their ink (:class:`_InkReader`, rendered with
MuPDF), whether drawn as paths, images or glyphs of an icon font.
"""

from __future__ import annotations

import operator
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from typing import Any

from octa.layout.page import CLIPPED, Char, Icon, is_symbol_font
from octa.layout.settings import DEFAULT_SETTINGS, LayoutSettings
from octa.layout.words import _Run


def icon_direction(points: Sequence[tuple[float, float]], settings: LayoutSettings | None = None) -> int | None:
    """Up (+1) or down (-1) for the outline of a filled shape that ends in a point at its top or
    at its bottom (a triangle, an arrow), from geometry alone: the end where a single vertex
    stands is the tip. None for anything else (circles, squares, diamonds, left/right arrows)."""
    s = settings or DEFAULT_SETTINGS
    tol = s.icon_point_tol
    pts: list[tuple[float, float]] = []
    for x, y in points:
        if not pts or abs(pts[-1][0] - x) > tol or abs(pts[-1][1] - y) > tol:
            pts.append((x, y))
    if len(pts) > 1 and abs(pts[0][0] - pts[-1][0]) <= tol and abs(pts[0][1] - pts[-1][1]) <= tol:
        pts.pop()
    uniq = {(round(x, 1), round(y, 1)) for x, y in pts}
    if not 3 <= len(uniq) <= s.icon_max_vertices:
        return None
    xs = [x for x, _ in uniq]
    ys = [y for _, y in uniq]
    w, h = max(xs) - min(xs), max(ys) - min(ys)
    if w <= s.icon_min_side or h <= s.icon_min_side:
        return None
    eps = s.icon_tip_tol * h
    top = [p for p in uniq if p[1] - min(ys) <= eps]
    bottom = [p for p in uniq if max(ys) - p[1] <= eps]
    if len(top) == 1 and len(bottom) > 1:
        return 1  # a tip at the top (y grows downwards): a triangle, a block arrow
    if len(bottom) == 1 and len(top) > 1:
        return -1
    if len(top) == 1 and len(bottom) == 1:  # a line arrow (shaft and barbs): the tip is by the barbs
        zone = s.icon_barb_zone * w
        barbs = [y for x, y in uniq if x - min(xs) <= zone or max(xs) - x <= zone]
        at = (sum(barbs) / len(barbs) - min(ys)) / h
        if at < s.icon_barb_band:
            return 1
        if at > 1 - s.icon_barb_band:
            return -1
    return None


def _page_cut(chars: list[Char], width: float, s: LayoutSettings) -> list[Char]:
    """Glyphs as the page's right edge draws them (the pdfplumber engine's part of
    :func:`_clipped`, with the page box as the clip): a glyph the edge crosses with at least
    ``clip_cut`` of its width and more than ``clip_slack`` sizes outside, and the glyphs of its line
    wholly beyond, become one :data:`CLIPPED` mark. (Clip paths and the glyphs a producer left out
    at an edge, both in :func:`_clipped`, are the default engine's alone.)"""
    out: list[Char] = []
    for c in chars:
        outside = c.x1 - width
        if outside > 0 and (c.x0 >= width or _cut_off(outside, c.x1 - c.x0, c.size, s)):
            if c.c != " " and not (out and out[-1].c == CLIPPED and out[-1].baseline == c.baseline):
                out.append(Char(CLIPPED, c.x0, c.y0, c.x1, c.y1, c.baseline, c.font, c.size))
            continue
        out.append(c)
    return out


def _cut_off(outside: float, width: float, size: float, s: LayoutSettings) -> bool:
    """Whether a glyph ``width`` wide that an edge crosses, ``outside`` of it beyond, is cut off:
    at least ``clip_cut`` of its width and more than ``clip_slack`` of its size outside (less is
    its side bearing or a letter spacing grazing the edge)."""
    return outside >= s.clip_cut * width and outside > s.clip_slack * size


def _digit_width(chars: Sequence[tuple]) -> float:
    """The widest digit's box among a trace span's glyphs (0 where it has none)."""
    return max([c[3][2] - c[3][0] for c in chars if 48 <= c[0] <= 57], default=0.0)


#: A text that is a number ending in its decimal point (``1.``, ``-0.``, ``▼1.``: after its sign or
#: its direction's arrow): no number is printed so.
_POINT_ENDED = re.compile(r"^\s*[+\-\u2212\u25b2\u25bc\u25b3\u25bd\u25b4\u25be\u2191\u2193\u2b06\u2b07]?\s?\d{1,3}\.$")


def _add_icon(icons: list[Icon], rect: Sequence[float], items: Sequence[tuple], s: LayoutSettings,
              unread: list[tuple[float, float, float, float]] | None = None) -> None:
    """An icon from a small path's outline; a small path whose outline says no direction goes to
    ``unread`` (its ink may: :func:`_path_icons`)."""
    x0, y0, x1, y1 = rect
    if 0 <= x1 - x0 <= s.icon_max and 0 < y1 - y0 <= s.icon_max:
        pts = [pt for it in items if it[0] in ("l", "c") for pt in (it[1], it[-1])]
        direction = icon_direction(pts, s)
        if direction is not None:
            icons.append(Icon(x0, y0, x1, y1, direction))
        elif unread is not None:
            unread.append((x0, y0, x1, y1))


def _is_axis_box(items: list, tol: float) -> bool:
    if not 3 <= len(items) <= 5 or any(it[0] != "l" for it in items):
        return False
    return all(abs(it[1][0] - it[2][0]) < tol or abs(it[1][1] - it[2][1]) < tol for it in items)


# ----------------------------------------------------------------------------------------------
# Icons read from their ink: small images and glyphs that are pictures
# ----------------------------------------------------------------------------------------------
#
# A direction icon may be a raster image or a glyph of any font and code point (an icon font's
# arrow decoded as ``≥``, ``د`` or a Private Use Area point). Whatever its form, its box is rendered
# once (small, grayscale) and its ink read (:mod:`octa.ink`). A glyph read as an icon leaves the
# text layer: it is a picture, not text, like a vector icon.

#: Code points that may be a drawn icon rather than text when they stand beside a number: arrows,
#: comparison signs, geometric shapes, dingbats, symbols and arrows, pictographs, Private Use Areas.
_ICON_CODE = re.compile("[\u2190-\u21ff\u2264-\u2267\u25a0-\u25ff\u2700-\u27bf\u27f0-\u27ff\u2900-\u297f"
                        "\u2a7d\u2a7e\u2b00-\u2bff\ue000-\uf8ff\U0001f300-\U0001faff\U000f0000-\U0010ffff]")
#: Arabic letters (an icon font's arrow decoded as ``د``): candidates only on a Latin page.
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefe]")
_LATIN = re.compile("[A-Za-z]")
_DIGIT = re.compile(r"\d")
_MAYBE_ICON = re.compile(_ICON_CODE.pattern + "|" + _ARABIC.pattern)


class _InkReader:
    """Renders small boxes of one page (a display list made on first use, so a page without
    candidates costs nothing) and reads the direction of the figure drawn there."""

    __slots__ = ("_page", "_list", "_s", "_left")

    def __init__(self, page: object, s: LayoutSettings) -> None:
        self._page = page
        self._list: Any = None
        self._s = s
        self._left = s.icon_renders

    def read(self, box: tuple[float, float, float, float]) -> tuple[int, tuple[float, float, float, float]] | None:
        """The direction of the figure drawn in ``box`` and the box of its ink, or None (also when
        the box cannot be rendered: a figure that cannot be drawn gives no direction)."""
        x0, y0, x1, y1 = box
        side = max(x1 - x0, y1 - y0)
        if not side > 0 or self._left <= 0:
            return None
        self._left -= 1
        try:
            return self._read(box, side)
        except Exception:  # MuPDF's errors on a damaged page: no icon there, the text is read as it is
            return None

    def _read(self, box: tuple[float, float, float, float],
              side: float) -> tuple[int, tuple[float, float, float, float]] | None:
        import pymupdf

        from octa.ink import read_rendering

        x0, y0, x1, y1 = box
        if self._list is None:
            self._list = self._page.get_displaylist()  # type: ignore[attr-defined]
        s = self._s
        zoom = min(max(s.icon_render_px / side, 1.0), 64.0)
        pix = self._list.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY, alpha=False,
                                    clip=pymupdf.Rect(x0, y0, x1, y1))
        if pix.width < 3 or pix.height < 3:
            return None
        got = read_rendering(pix.samples, pix.height, pix.stride, pix.width, tip_ratio=s.icon_tip_ratio,
                             axis_tol=s.icon_axis_tol, diagonal_elongation=s.icon_diagonal,
                             max_fill=s.icon_max_fill, tip_px=s.icon_tip_px)
        if got is None:
            return None
        direction, (c0, r0, c1, r1) = got
        ox, oy = pix.x / zoom, pix.y / zoom  # the pixmap's origin, in points
        return direction, (round(ox + c0 / zoom, 3), round(oy + r0 / zoom, 3), round(ox + c1 / zoom, 3),
                           round(oy + r1 / zoom, 3))


def _image_icons(boxes: Iterable[tuple[float, float, float, float]], reader: _InkReader, s: LayoutSettings,
                 icons: list[Icon]) -> None:
    """Icons drawn as small raster images (no side over ``icon_max``), read from their ink."""
    for x0, y0, x1, y1 in boxes:
        if s.icon_min_side <= x1 - x0 <= s.icon_max and s.icon_min_side <= y1 - y0 <= s.icon_max:
            got = reader.read((x0, y0, x1, y1))
            if got is not None:
                icons.append(Icon(*got[1], got[0], "image"))


def _path_icons(boxes: list[tuple[float, float, float, float]], digits: list[tuple[float, float, float, float, float]],
                reader: _InkReader, s: LayoutSettings, icons: list[Icon]) -> None:
    """Small paths whose outline says no direction (curves, many vertices, a figure of several
    paths: the boxes of touching paths are joined) standing beside a digit (``digits``: x0, x1, y0,
    y1, size of each), read from their ink."""
    merged: list[list[float]] = []
    for box in sorted(boxes):
        for m in merged:
            if box[0] <= m[2] + 0.5 and m[0] <= box[2] + 0.5 and box[1] <= m[3] + 0.5 and m[1] <= box[3] + 0.5:
                m[:] = [min(m[0], box[0]), min(m[1], box[1]), max(m[2], box[2]), max(m[3], box[3])]
                break
        else:
            merged.append(list(box))
    for x0, y0, x1, y1 in merged:
        if not (s.icon_min_side <= x1 - x0 <= s.icon_max and s.icon_min_side <= y1 - y0 <= s.icon_max):
            continue
        if any(ic.x0 < x1 and x0 < ic.x1 and ic.y0 < y1 and y0 < ic.y1 for ic in icons):
            continue  # read already (by its outline)
        cy = (y0 + y1) / 2
        if not any(dy0 <= cy <= dy1 and 0 <= max(dx0 - x1, x0 - dx1) <= s.icon_glyph_reach * size
                   for dx0, dx1, dy0, dy1, size in digits):
            continue
        if any(x0 < (dx0 + dx1) / 2 < x1 and y0 < (dy0 + dy1) / 2 < y1 for dx0, dx1, dy0, dy1, _ in digits):
            continue  # a shape around a number (a numbered badge): no icon beside one
        got = reader.read((x0, y0, x1, y1))
        if got is not None:
            icons.append(Icon(*got[1], got[0], "path"))


def _icon_candidate(c: str, symbol: bool, latin: bool) -> bool:
    return not c.isspace() and (symbol or _ICON_CODE.match(c) is not None or latin and _ARABIC.match(c) is not None)


def _latin_page(texts: Iterable[str]) -> bool:
    """Whether a page's text is in Latin letters (an Arabic letter there is no text of it)."""
    latin = arabic = 0
    for t in texts:
        latin += len(_LATIN.findall(t))
        arabic += len(_ARABIC.findall(t))
    return latin > 10 * arabic


def _beside_number(box: tuple[float, float, float, float], baseline: float, size: float,
                   digits: Iterable[tuple[float, float, float, float]], s: LayoutSettings) -> bool:
    """Whether a glyph (its box: the font's ascent to descent, so up to twice ``icon_max`` tall for
    an icon) has a digit (x0, x1, baseline, size) on its baseline within reach of it."""
    if box[2] - box[0] > 2 * s.icon_max or box[3] - box[1] > 2 * s.icon_max:
        return False
    reach = s.icon_glyph_reach * size
    for dx0, dx1, db, dsize in digits:
        if abs(db - baseline) <= s.baseline_tol * max(size, dsize) and max(dx0 - box[2], box[0] - dx1) <= reach:
            return True
    return False


def _glyph_icons_runs(runs: list[_Run], reader: _InkReader, s: LayoutSettings, icons: list[Icon],
                      seen: dict[tuple[str, str], set[int]] | None = None) -> list[_Run]:
    """The fast path's runs without the glyphs read as icons (recorded in ``icons``). A glyph of a
    symbol font beside a number whose box glyphs of other runs are drawn over (a change's arrow
    icon under the last letter of a label overflowing its cell: its box holds their ink too, which
    may read as another figure or as none) is the figure that the same glyph (its font and text)
    is read as everywhere else on its page and the pages before (``seen``: the directions read so
    far, by font and text, filled in here), when they all agree; else it stays unread."""
    if seen is None:
        seen = {}
    latin: bool | None = None
    spots: list[tuple[int, int]] = []
    maybe = _MAYBE_ICON.search
    for i, r in enumerate(runs):
        if r.symbol:
            spots.extend((i, k) for k, c in enumerate(r.text) if not c.isspace())
            continue
        if maybe(r.text) is None:
            continue
        if latin is None and _ARABIC.search(r.text) is not None:
            latin = _latin_page(r.text for r in runs)
        spots.extend((i, k) for k, c in enumerate(r.text) if _icon_candidate(c, False, bool(latin)))
    if not spots:
        return runs
    tops = _Tops(runs)
    by_baseline = sorted(((r.baseline, i) for i, r in enumerate(runs) if _DIGIT.search(r.text)))
    keys = [b for b, _ in by_baseline]
    largest = max(r.size for r in runs)
    taken: dict[int, set[int]] = {}
    obscured: list[tuple[int, int]] = []  # symbol glyphs unread under a glyph of another run
    for i, k in spots:
        r = runs[i]
        box = (r.x0s[k], r.y0, r.x1s[k], r.y1)
        near = s.baseline_tol * max(r.size, largest)
        digits = ((rr.x0s[m.start()], rr.x1s[m.start()], rr.baseline, rr.size)
                  for _, j in by_baseline[bisect_left(keys, r.baseline - near):bisect_right(keys, r.baseline + near)]
                  for rr in (runs[j],) for m in _DIGIT.finditer(rr.text))
        if not _beside_number(box, r.baseline, r.size, digits, s):
            continue
        if r.symbol and _drawn_under(i, k, runs, s, tops):  # its box holds other glyphs' ink too: not read
            obscured.append((i, k))
            continue
        got = reader.read(box)
        if got is not None:
            icons.append(Icon(*got[1], got[0], "glyph", r.text[k], r.font))
            taken.setdefault(i, set()).add(k)
            seen.setdefault((r.font, r.text[k]), set()).add(got[0])
    for i, k in obscured:
        r = runs[i]
        read = seen.get((r.font, r.text[k]), set())
        if len(read) == 1:
            icons.append(Icon(r.x0s[k], r.y0, r.x1s[k], r.y1, next(iter(read)), "glyph", r.text[k], r.font))
            taken.setdefault(i, set()).add(k)
    if not taken:
        return runs
    out: list[_Run] = []
    for i, r in enumerate(runs):
        gone = taken.get(i)
        if not gone:
            out.append(r)
            continue
        start = 0
        for stop in [*sorted(gone), len(r.text)]:
            if stop > start and r.text[start:stop].strip():
                x0s, x1s = r.x0s[start:stop], r.x1s[start:stop]
                out.append(_Run(r.seq, r.text[start:stop], r.font, r.size, r.baseline, r.y0, r.y1, x0s, x1s,
                                list(map(operator.sub, x0s[1:], x1s[:-1])), s.space_min_width))
            start = stop + 1
    return out


class _Tops:
    """A page's runs by top, to find those that share a height with a box without a pass over all."""

    def __init__(self, runs: list[_Run]) -> None:
        order = sorted(range(len(runs)), key=lambda j: runs[j].y0)
        self.ys = [runs[j].y0 for j in order]
        self.order = order
        self.tallest = max((r.y1 - r.y0 for r in runs), default=0.0)

    def sharing(self, y0: float, y1: float) -> list[int]:
        """Indices of the runs whose tops lie from a run's height above ``y0`` down to ``y1``."""
        return self.order[bisect_left(self.ys, y0 - self.tallest):bisect_right(self.ys, y1)]


def _drawn_under(i: int, k: int, runs: list[_Run], s: LayoutSettings, tops: _Tops) -> bool:
    """Whether glyphs of other runs are drawn over glyph ``k`` of ``runs[i]``: one on the same
    baseline (within ``baseline_tol``) covers half its width or more, or the boxes of those of any
    baseline cover ``icon_covered`` of its box together (a label's two lines overflowing their
    cell over an arrow between them)."""
    r = runs[i]
    x0, x1 = r.x0s[k], r.x1s[k]
    half = (x1 - x0) / 2
    area = (x1 - x0) * (r.y1 - r.y0)
    covered = 0.0
    for j in tops.sharing(r.y0, r.y1):
        o = runs[j]
        if j == i or o.x0s[0] >= x1 or o.y0 >= r.y1 or o.y1 <= r.y0 or max(o.x1s) <= x0:
            continue
        same = abs(o.baseline - r.baseline) <= s.baseline_tol * max(o.size, r.size)
        high = min(o.y1, r.y1) - max(o.y0, r.y0)
        for c, a, b in zip(o.text, o.x0s, o.x1s, strict=True):
            wide = min(b, x1) - max(a, x0)
            if wide <= 0 or c.isspace():
                continue
            if same and wide >= half:
                return True
            covered += wide * high
    return area > 0 and covered >= s.icon_covered * area


def _glyph_icons_chars(chars: list[Char], reader: _InkReader, s: LayoutSettings, icons: list[Icon]) -> list[Char]:
    """A page's glyphs without those read as icons (recorded in ``icons``)."""
    symbol = {f: is_symbol_font(f) for f in {c.font for c in chars}}
    if not any(symbol.values()) and _MAYBE_ICON.search("".join([c.c for c in chars])) is None:
        return chars
    latin = _latin_page(c.c for c in chars)
    spots = [k for k, c in enumerate(chars) if _icon_candidate(c.c, symbol[c.font], latin)]
    if not spots:
        return chars
    digits = [(c.x0, c.x1, c.baseline, c.size) for c in chars if _DIGIT.match(c.c)]
    taken: set[int] = set()
    for k in spots:
        c = chars[k]
        box = (c.x0, c.y0, c.x1, c.y1)
        if not _beside_number(box, c.baseline, c.size, digits, s):
            continue
        got = reader.read(box)
        if got is not None:
            icons.append(Icon(*got[1], got[0], "glyph", c.c, c.font))
            taken.add(k)
    return [c for k, c in enumerate(chars) if k not in taken] if taken else chars
