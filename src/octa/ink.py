"""Which way a small drawn figure points, read from its ink (no PDF library here: the layout layer
renders an icon's box and hands the pixels over; the tests hand-draw bitmaps).

An icon beside a number (a triangle, an arrow, upright or diagonal; a path, an image or a glyph of
whatever font and code point) gives the direction of the change. The shape decides:

* the figure's *axis* is upright unless its ink is clearly elongated along a diagonal (``➚``, ``➘``);
* along the axis, the *width profile* (the silhouette's extent across the axis, slice by slice) is
  measured at both ends. A *tip* is an end where the silhouette narrows to a point: its end slices
  are much narrower than the slices a little further in, and centred on the figure's axis. A
  triangle's apex is a tip and its base is not; an arrow's head ends in a tip and its shaft ends
  flat. (A rule by the ink's weight cannot serve both: a triangle is heaviest at its base, an arrow
  at its head.)
* exactly one tip: the figure points that way, up (+1) when the tip is the upper end, down (-1)
  when it is the lower one. No tip (a square, a bar), two (a circle, a diamond), a tip off the axis
  (``≥``, a letter), a silhouette that fills most of its box (a disc, however cut) or no ink at
  all: None, never a guess. A figure read as nothing is read once more without its strokes under
  3 pixels wide (a label's letters overflowing onto an icon).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

#: Defaults of the thresholds (the layout layer passes its settings' values).
TIP_RATIO = 0.4
TIP_PX = 2.0
AXIS_TOL = 0.25
DIAGONAL_ELONGATION = 1.5
MAX_FILL = 0.7
MIN_CONTRAST = 60


def ink_mask(gray: np.ndarray, min_contrast: int = MIN_CONTRAST) -> np.ndarray | None:
    """The ink of a grayscale rendering (0 black, 255 white) as a boolean array: the pixels that
    differ from the paper (the median of the border pixels, whatever its colour) by more than half
    the strongest difference. None when nothing differs by ``min_contrast`` (an empty box), or when
    the box has no ground: half its border pixels or more differ from the paper (a piece of a
    picture, not a figure set on a page)."""
    g = np.asarray(gray, dtype=np.int16)
    if g.ndim != 2 or g.shape[0] < 2 or g.shape[1] < 2:
        return None
    border = np.concatenate([g[0], g[-1], g[1:-1, 0], g[1:-1, -1]])
    paper = int(np.median(border))
    diff = np.abs(g - paper)
    top = int(diff.max())
    if top < min_contrast:
        return None
    if 2 * int((np.abs(border - paper) > top // 4).sum()) >= len(border):
        return None
    return diff > top // 2


def read_rendering(samples: bytes, height: int, stride: int, width: int, *, tip_ratio: float = TIP_RATIO,
                   axis_tol: float = AXIS_TOL, diagonal_elongation: float = DIAGONAL_ELONGATION,
                   max_fill: float = MAX_FILL, tip_px: float = TIP_PX
                   ) -> tuple[int, tuple[int, int, int, int]] | None:
    """The direction of the figure in a grayscale rendering (``samples``: ``height`` rows of
    ``stride`` bytes, the first ``width`` of each a pixel; 0 black, 255 white) and the box of its ink
    in pixels (first column, first row, last column + 1, last row + 1), or None: :func:`ink_mask`,
    then :func:`ink_direction`. A pure function of its arguments, remembered: an icon glyph or image
    drawn again and again renders to the same pixels, read once."""
    return _read_rendering(samples, height, stride, width, tip_ratio, axis_tol, diagonal_elongation, max_fill,
                           tip_px)


@lru_cache(maxsize=512)
def _read_rendering(samples: bytes, height: int, stride: int, width: int, tip_ratio: float, axis_tol: float,
                    diagonal_elongation: float, max_fill: float,
                    tip_px: float) -> tuple[int, tuple[int, int, int, int]] | None:
    gray = np.frombuffer(samples, dtype=np.uint8).reshape(height, stride)[:, :width]
    mask = ink_mask(gray)
    if mask is None:
        return None
    direction = ink_direction(mask, tip_ratio=tip_ratio, axis_tol=axis_tol, diagonal_elongation=diagonal_elongation,
                              max_fill=max_fill, tip_px=tip_px)
    if direction is None:
        return None
    rows, cols = np.nonzero(mask)
    return direction, (int(cols.min()), int(rows.min()), int(cols.max()) + 1, int(rows.max()) + 1)


def _largest_component(mask: np.ndarray) -> np.ndarray:
    """The largest 8-connected group of ink pixels (a neighbour's stray pixels and specks go),
    found run by run: each row's runs of ink, joined to the runs of the row above that they touch."""
    h, w = mask.shape
    padded = np.zeros((h, w + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    edges = np.diff(padded, axis=1)
    rows_s, cols_s = np.nonzero(edges == 1)  # a run starts (row, first column)
    _rows_e, cols_e = np.nonzero(edges == -1)  # and ends (one past its last column), in the same order
    if len(rows_s) <= 1:
        return mask
    if len(rows_s) == rows_s[-1] - rows_s[0] + 1 and bool(((cols_s[1:] <= cols_e[:-1]) & (cols_s[:-1] <= cols_e[1:])).all()):
        return mask  # one run a row, each touching the next: one piece (a filled figure)
    runs = list(zip(rows_s.tolist(), cols_s.tolist(), cols_e.tolist(), strict=True))
    parent = list(range(len(runs)))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    above: list[int] = []  # runs of the previous row
    here: list[int] = []
    row = -1
    for k, (r, a, b) in enumerate(runs):
        if r != row:
            above, here = (here if r == row + 1 else []), []
            row = r
        for m in above:
            _, a2, b2 = runs[m]
            if a2 <= b and a <= b2:  # touching, corners too: [a, b) against [a2 - 1, b2 + 1)
                ra, rb = root(k), root(m)
                if ra != rb:
                    parent[ra] = rb
        here.append(k)
    sizes: dict[int, int] = {}
    for k, (_r, a, b) in enumerate(runs):
        g = root(k)
        sizes[g] = sizes.get(g, 0) + b - a
    best = max(sizes, key=lambda g: (sizes[g], -g))
    out = np.zeros_like(mask, dtype=bool)
    for k, (r, a, b) in enumerate(runs):
        if root(k) == best:
            out[r, a:b] = True
    return out


def _tips(lo: np.ndarray, hi: np.ndarray, tip_ratio: float, axis_tol: float,
          tip_px: float = TIP_PX) -> tuple[bool, bool] | None:
    """Whether the first and the last slice end of a figure are tips, from each slice's lowest and
    highest ink coordinate across the axis (``lo``, ``hi``; NaN for a slice without ink). None when
    the figure is too short to tell. An end is a tip when its slices are at most ``tip_ratio`` × as
    wide as those further in, give or take ``tip_px`` pixels: the apex of a small figure keeps a
    couple of pixels of width (its anti-aliasing, or the steps of a small image enlarged)."""
    length = len(lo)
    if length < 5:
        return None
    filled = ~np.isnan(lo)
    extent = np.where(filled, hi - lo + 1.0, 0.0)
    centre = (hi + lo) / 2.0
    widest = float(extent.max())
    axis = float(np.median(centre[filled]))
    k = max(1, round(0.1 * length))
    inner = (max(k, round(0.25 * length)), max(k + 1, round(0.35 * length) + 1))

    def tip(ext: np.ndarray, cen: np.ndarray) -> bool:
        end = float(ext[:k].sum()) / k
        further = float(ext[inner[0]:inner[1]].sum()) / (inner[1] - inner[0])
        if not end <= tip_ratio * further + tip_px or not end <= 0.6 * further:
            return False
        ends = cen[:k][~np.isnan(cen[:k])]
        return len(ends) > 0 and abs(float(ends.sum()) / len(ends) - axis) <= axis_tol * widest

    return tip(extent, centre), tip(extent[::-1], centre[::-1])


def ink_direction(bitmap: np.ndarray, *, tip_ratio: float = TIP_RATIO, axis_tol: float = AXIS_TOL,
                  diagonal_elongation: float = DIAGONAL_ELONGATION, max_fill: float = MAX_FILL,
                  min_contrast: int = MIN_CONTRAST, tip_px: float = TIP_PX) -> int | None:
    """+1 (the figure points up: ``▲``, ``⬆``, ``➚``), -1 (down: ``▼``, ``⬇``, ``➘``) or None (no
    direction can be read) for a small bitmap: a boolean ink mask (True: ink, row 0 at the top) or a
    grayscale rendering (0 black, 255 white; :func:`ink_mask` finds its ink). See the module's
    documentation for the rule; ``tip_ratio``: an end whose slices are at most this × as wide as
    those a quarter to a third of the way in (give or take ``tip_px`` pixels of anti-aliasing, but
    never over 0.6 x as wide) narrows to a point; ``axis_tol``: × the widest slice, how
    far a tip's middle may stand from the figure's axis; ``diagonal_elongation``: the ink's spread
    along its main axis over its spread across it from which a diagonal axis is taken; ``max_fill``:
    an upright figure whose silhouette (each row filled from its first to its last ink) covers more
    than this share of its box is round or square (a dot, a badge, a box cut from a picture), and
    points nowhere (a triangle covers half its box, a disc 0.79)."""
    arr = np.asarray(bitmap)
    mask = arr.astype(bool) if arr.dtype == bool else ink_mask(arr, min_contrast)
    if mask is None or mask.ndim != 2 or int(mask.sum()) < 12:
        return None
    args = (tip_ratio, axis_tol, diagonal_elongation, max_fill, tip_px)
    got = _direction(mask, *args)
    if got is None:
        # thin strokes drawn over or against the figure (a label's letters overflowing onto its
        # icon) taken away: the figure's own body, if it has one, is read again
        body = _opened(mask)
        if int(body.sum()) >= 12 and not np.array_equal(body, mask):
            got = _direction(body, *args)
    return got


def _opened(mask: np.ndarray) -> np.ndarray:
    """The mask without its strokes under 3 pixels wide (a 3 x 3 opening)."""
    h, w = mask.shape
    pad = np.zeros((h + 2, w + 2), dtype=bool)
    pad[1:-1, 1:-1] = mask
    core = np.ones((h, w), dtype=bool)
    for dy in range(3):
        for dx in range(3):
            core &= pad[dy:dy + h, dx:dx + w]
    pad[1:-1, 1:-1] = core
    pad[0, :] = pad[-1, :] = False
    pad[:, 0] = pad[:, -1] = False
    out = np.zeros((h, w), dtype=bool)
    for dy in range(3):
        for dx in range(3):
            out |= pad[dy:dy + h, dx:dx + w]
    return out & mask


def _direction(mask: np.ndarray, tip_ratio: float, axis_tol: float, diagonal_elongation: float,
               max_fill: float, tip_px: float) -> int | None:
    """:func:`ink_direction` of an ink mask, its largest piece read."""
    mask = _largest_component(mask)
    ys, xs = np.nonzero(mask)
    if len(ys) < 12 or int(ys.max() - ys.min()) < 4 or int(xs.max() - xs.min()) < 2:
        return None
    y = ys.astype(float)
    x = xs.astype(float)
    cy, cx = y.mean(), x.mean()
    vxx = float(((x - cx) ** 2).mean())
    vyy = float(((y - cy) ** 2).mean())
    vxy = float(((x - cx) * (y - cy)).mean())
    spread = math.hypot(vxx - vyy, 2 * vxy)
    major, minor = (vxx + vyy + spread) / 2, (vxx + vyy - spread) / 2
    angle = math.degrees(0.5 * math.atan2(2 * vxy, vxx - vyy)) % 180  # of the main axis, from +x, y down
    diagonal = minor > 0 and major / minor >= diagonal_elongation ** 2 and (25 <= angle <= 65 or 115 <= angle <= 155)
    if diagonal:
        ux, uy = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        if uy < 0:  # the axis pointing down the page, as rows do
            ux, uy = -ux, -uy
        t = x * ux + y * uy
        n = -x * uy + y * ux
        ti = np.rint(t - t.min()).astype(np.int64)
        lo = np.full(int(ti.max()) + 1, np.inf)
        hi = np.full(len(lo), -np.inf)
        np.minimum.at(lo, ti, n)
        np.maximum.at(hi, ti, n)
        empty = np.isinf(lo)
        lo[empty] = np.nan
        hi[empty] = np.nan
    else:  # slices are rows, from the top
        rows = mask[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
        inked = rows.any(axis=1)
        lo = np.where(inked, rows.argmax(axis=1), np.nan)
        hi = np.where(inked, rows.shape[1] - 1 - rows[:, ::-1].argmax(axis=1), np.nan)
        if float(np.nansum(hi - lo + 1.0)) > max_fill * rows.size:
            return None
    ends = _tips(lo, hi, tip_ratio, axis_tol, tip_px)
    if ends is None:
        return None
    top, bottom = ends  # the first slice is the upper end
    if top and not bottom:
        return 1
    if bottom and not top:
        return -1
    return None
