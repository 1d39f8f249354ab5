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

Plain Python on lists of rows (an icon is some 40 x 40 pixels, read once per distinct rendering):
the pipeline imports no array library for it (numpy's import alone costs more than reading a
profile). Bitmaps may be given as nested sequences or as arrays (anything with ``tolist()``). Sums
of non-integer values are taken in numpy's pairwise order (:func:`_fsum`), so that every figure
reads as it did when this module was written with numpy.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

#: Defaults of the thresholds (the layout layer passes its settings' values).
TIP_RATIO = 0.4
TIP_PX = 2.0
AXIS_TOL = 0.25
DIAGONAL_ELONGATION = 1.5
MAX_FILL = 0.7
MIN_CONTRAST = 60

_NAN = math.nan
_isnan = math.isnan

#: An ink mask: rows of bytes, 1 for ink and 0 for none, row 0 at the top.
Mask = list[bytes]
#: A run of ink: (row, first column, one past the last column).
Run = tuple[int, int, int]

_INK_RUN = re.compile(rb"\x01+")
_TO_DIGITS = bytes.maketrans(b"\x00\x01", b"01")
_FROM_DIGITS = bytes.maketrans(b"01", b"\x00\x01")


def _fsum(values: Sequence[float]) -> float:
    """The sum of ``values`` in numpy's pairwise order (blocks of 8 partial sums up to 128 values,
    halves above), plus 0.0: the float sum numpy's ``sum()`` and ``mean()`` give, bit for bit."""
    return 0.0 + _pairwise(values, 0, len(values))


def _pairwise(a: Sequence[float], start: int, n: int) -> float:
    if n < 8:
        res = 0.0
        for i in range(start, start + n):
            res += a[i]
        return res
    if n <= 128:
        r0, r1, r2, r3, r4, r5, r6, r7 = a[start:start + 8]
        i = start + 8
        stop = start + n - n % 8
        while i < stop:
            r0 += a[i]
            r1 += a[i + 1]
            r2 += a[i + 2]
            r3 += a[i + 3]
            r4 += a[i + 4]
            r5 += a[i + 5]
            r6 += a[i + 6]
            r7 += a[i + 7]
            i += 8
        res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
        while i < start + n:
            res += a[i]
            i += 1
        return res
    n2 = n // 2
    n2 -= n2 % 8
    return _pairwise(a, start, n2) + _pairwise(a, start + n2, n - n2)


def _rows(bitmap: Any) -> tuple[list[list[Any]], bool] | None:
    """A bitmap as a list of rows and whether it is boolean (an ink mask), None when it is not two
    dimensional or its rows differ in length."""
    if hasattr(bitmap, "tolist") and hasattr(bitmap, "dtype"):  # an array
        if getattr(bitmap, "ndim", 2) != 2:
            return None
        rows, boolean = bitmap.tolist(), bitmap.dtype.kind == "b"
    else:
        rows = [list(r) for r in bitmap]
        if any(isinstance(v, (list, tuple)) for r in rows for v in r):
            return None
        boolean = all(isinstance(v, bool) for r in rows for v in r)
    if any(len(r) != len(rows[0]) for r in rows):
        return None
    return rows, boolean


def ink_mask(gray: Any, min_contrast: int = MIN_CONTRAST) -> Mask | None:
    """The ink of a grayscale rendering (0 black, 255 white; rows of integers) as rows of bytes
    (1: ink): the pixels that differ from the paper (the median of the border pixels, whatever its
    colour) by more than half the strongest difference. None when nothing differs by
    ``min_contrast`` (an empty box), or when the box has no ground: half its border pixels or more
    differ from the paper (a piece of a picture, not a figure set on a page)."""
    got = _rows(gray)
    if got is None:
        return None
    return _mask([[int(v) for v in r] for r in got[0]], min_contrast)


def _mask(rows: Sequence[Sequence[int]], min_contrast: int) -> Mask | None:
    h = len(rows)
    w = len(rows[0]) if h else 0
    if h < 2 or w < 2:
        return None
    if all(isinstance(r, bytes) for r in rows):  # pixels 0-255: the whole box at once, by tables, in C
        return _bytes_mask(b"".join(rows), h, w, min_contrast)  # type: ignore[arg-type]
    border = [*rows[0], *rows[-1], *(r[0] for r in rows[1:-1]), *(r[-1] for r in rows[1:-1])]
    paper = _paper(sorted(border))
    top = max(abs(v - paper) for r in rows for v in r)
    if top < min_contrast:
        return None
    quarter = top // 4
    if 2 * sum(1 for v in border if abs(v - paper) > quarter) >= len(border):
        return None
    half = top // 2
    return [bytes(abs(v - paper) > half for v in r) for r in rows]


def _paper(ordered: Sequence[int]) -> int:
    """The median of the border's pixels as numpy takes it (the mean of the two middle values of an
    even count), truncated."""
    m = len(ordered) // 2
    return int(ordered[m]) if len(ordered) % 2 else int((ordered[m - 1] + ordered[m]) / 2)


def _bytes_mask(pixels: bytes, h: int, w: int, min_contrast: int) -> Mask | None:
    """:func:`_mask` of ``h`` rows of ``w`` pixels given as one string of bytes."""
    border = pixels[:w] + pixels[(h - 1) * w:] + pixels[w:(h - 1) * w:w] + pixels[2 * w - 1:(h - 1) * w:w]
    paper = _paper(sorted(border))
    top = max(pixels.translate(_difference_table(paper)))
    if top < min_contrast:
        return None
    if 2 * border.translate(_ink_table(paper, top // 4)).count(1) >= len(border):
        return None
    ink = pixels.translate(_ink_table(paper, top // 2))
    return [ink[k:k + w] for k in range(0, h * w, w)]


@lru_cache(maxsize=256)
def _difference_table(paper: int) -> bytes:
    return bytes(abs(v - paper) for v in range(256))


@lru_cache(maxsize=1024)
def _ink_table(paper: int, half: int) -> bytes:
    return bytes(abs(v - paper) > half for v in range(256))


def _runs(mask: Mask) -> list[Run]:
    """Each row's runs of ink, row by row, left to right (one pass over the rows joined by a pixel
    of no ink)."""
    step = len(mask[0]) + 1
    out = []
    for m in _INK_RUN.finditer(b"\x00".join(mask)):
        a, b = m.span()
        r = a // step
        out.append((r, a - r * step, b - r * step))
    return out


def _inked(mask: Mask) -> int:
    return b"".join(mask).count(1)


def _largest_component(mask: Mask) -> tuple[Mask, list[Run]]:
    """The largest 8-connected group of ink pixels (a neighbour's stray pixels and specks go),
    found run by run: each row's runs of ink, joined to the runs of the row above that they touch;
    with its runs."""
    runs = _runs(mask)
    if len(runs) <= 1:
        return mask, runs
    if len(runs) == runs[-1][0] - runs[0][0] + 1 and all(
            b[1] <= a[2] and a[1] <= b[2] for a, b in zip(runs, runs[1:], strict=False)):
        return mask, runs  # one run a row, each touching the next: one piece (a filled figure)
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
    kept = [run for k, run in enumerate(runs) if root(k) == best]
    w = len(mask[0])
    out = [bytearray(w) for _ in mask]
    for r, a, b in kept:
        out[r][a:b] = b"\x01" * (b - a)
    return [bytes(r) for r in out], kept


def _tips(lo: list[float], hi: list[float], tip_ratio: float, axis_tol: float,
          tip_px: float = TIP_PX, exact: bool = False) -> tuple[bool, bool] | None:
    """Whether the first and the last slice end of a figure are tips, from each slice's lowest and
    highest ink coordinate across the axis (``lo``, ``hi``; NaN for a slice without ink). None when
    the figure is too short to tell. An end is a tip when its slices are at most ``tip_ratio`` × as
    wide as those further in, give or take ``tip_px`` pixels: the apex of a small figure keeps a
    couple of pixels of width (its anti-aliasing, or the steps of a small image enlarged).
    ``exact``: every coordinate is a whole pixel (rows as slices), so that any order of summing gives
    the same sums (of integers and halves)."""
    total = sum if exact else _fsum
    length = len(lo)
    if length < 5:
        return None
    extent = [0.0 if _isnan(a) else b - a + 1.0 for a, b in zip(lo, hi, strict=True)]
    centre = [(b + a) / 2.0 for a, b in zip(lo, hi, strict=True)]
    widest = max(extent)
    filled = sorted(c for c in centre if not _isnan(c))
    m = len(filled) // 2
    axis = filled[m] if len(filled) % 2 else (filled[m - 1] + filled[m]) / 2
    k = max(1, round(0.1 * length))
    inner = (max(k, round(0.25 * length)), max(k + 1, round(0.35 * length) + 1))

    def tip(ext: list[float], cen: list[float]) -> bool:
        end = total(ext[:k]) / k
        further = total(ext[inner[0]:inner[1]]) / (inner[1] - inner[0])
        if not end <= tip_ratio * further + tip_px or not end <= 0.6 * further:
            return False
        ends = [c for c in cen[:k] if not _isnan(c)]
        return len(ends) > 0 and abs(total(ends) / len(ends) - axis) <= axis_tol * widest

    return tip(extent, centre), tip(extent[::-1], centre[::-1])


def ink_direction(bitmap: Any, *, tip_ratio: float = TIP_RATIO, axis_tol: float = AXIS_TOL,
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
    got = _rows(bitmap)
    if got is None:
        return None
    rows, is_mask = got
    if is_mask:
        mask: Mask | None = [bytes(bool(v) for v in r) for r in rows] if rows and rows[0] else None
    else:
        mask = _mask([[int(v) for v in r] for r in rows], min_contrast)
    return _read_mask(mask, tip_ratio, axis_tol, diagonal_elongation, max_fill, tip_px)


def _read_mask(mask: Mask | None, tip_ratio: float, axis_tol: float, diagonal_elongation: float,
               max_fill: float, tip_px: float) -> int | None:
    if mask is None or _inked(mask) < 12:
        return None
    args = (tip_ratio, axis_tol, diagonal_elongation, max_fill, tip_px)
    mask = _without_edge_rules(mask)
    if _inked(mask) < 12:
        return None
    got = _direction(mask, *args)
    if got is None:
        # thin strokes drawn over or against the figure (a label's letters overflowing onto its
        # icon) taken away: the figure's own body, if it has one, is read again
        body = _opened(mask)
        if _inked(body) >= 12 and body != mask:
            got = _direction(body, *args)
    return got


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
    if height < 2 or width < 2:
        return None
    pixels = samples[:height * width] if stride == width else b"".join(
        [samples[r * stride:r * stride + width] for r in range(height)])
    mask = _bytes_mask(pixels, height, width, MIN_CONTRAST)
    if mask is None:
        return None
    direction = _read_joined(b"".join(mask), width, tip_ratio, axis_tol, diagonal_elongation, max_fill, tip_px)
    if direction is None:
        return None
    inked = [r for r, row in enumerate(mask) if 1 in row]
    first = min(mask[r].index(1) for r in inked)
    last = max(mask[r].rindex(1) for r in inked)
    return direction, (first, inked[0], last + 1, inked[-1] + 1)


@lru_cache(maxsize=512)
def _read_joined(ink: bytes, width: int, tip_ratio: float, axis_tol: float, diagonal_elongation: float,
                 max_fill: float, tip_px: float) -> int | None:
    """:func:`_read_mask` of a mask given as its rows joined, remembered (renderings that differ
    only in their anti-aliasing often threshold to the same ink)."""
    mask = [ink[k:k + width] for k in range(0, len(ink), width)]
    return _read_mask(mask, tip_ratio, axis_tol, diagonal_elongation, max_fill, tip_px)


#: A line along the box's edge inked over at least this share of its length is a rule passing by...
RULE_FULL = 0.95
#: ...when the line just inside it is inked over less than this share (a figure's own flat side, the
#: base of a triangle, has the next line almost as full).
RULE_INSIDE = 0.5
#: A rule is at most this many pixels thick.
RULE_PX = 4


def _without_edge_rules(mask: Mask) -> Mask:
    """The mask without a table's rule passing along an edge of the box (a column or row at the
    edge inked from end to end, the line inside it mostly blank): the rule is not the figure, and
    a barb touching it made one piece of the two (a ``↓`` beside a column rule read as ``↑``).
    Rows first, then columns (of the rows left)."""
    out = mask
    got = _edge_rules_cleared(out)
    if got is not None:
        out = got
    got = _edge_rules_cleared([bytes(c) for c in zip(*out, strict=True)])
    if got is not None:
        out = [bytes(r) for r in zip(*got, strict=True)]
    return out


def _edge_rules_cleared(lines: list[bytes]) -> list[bytes] | None:
    """``lines`` with the rules along either end cleared (each end judged on the lines as given),
    None when there is none."""
    n = len(lines)
    length = len(lines[0])
    share = [ln.count(1) / length for ln in lines]
    cleared: set[int] = set()
    for order in (list(range(n)), list(range(n - 1, -1, -1))):
        k = 0
        while k < min(RULE_PX, n - 1) and share[order[k]] >= RULE_FULL:
            k += 1
        if 0 < k < n - 1 and share[order[k]] < RULE_INSIDE:
            cleared.update(order[:k])
    if not cleared:
        return None
    blank = bytes(length)
    return [blank if i in cleared else ln for i, ln in enumerate(lines)]


def _as_int(row: bytes) -> int:
    """A mask row as an integer, bit c for column c."""
    return int(row.translate(_TO_DIGITS)[::-1] or b"0", 2)


def _opened(mask: Mask) -> Mask:
    """The mask without its strokes under 3 pixels wide (a 3 x 3 opening; outside the mask, no
    ink), row by row on the rows as integers."""
    w = len(mask[0])
    bits = [_as_int(r) for r in mask]
    full = (1 << w) - 1
    across = [b & (b << 1) & (b >> 1) for b in bits]  # (a row's bit c: columns c - 1 to c + 1)
    core = [(across[y - 1] if y else 0) & a & (across[y + 1] if y + 1 < len(across) else 0)
            for y, a in enumerate(across)]
    spread = [(c | (c << 1) | (c >> 1)) & full for c in core]
    out = [((spread[y - 1] if y else 0) | s | (spread[y + 1] if y + 1 < len(spread) else 0)) & b
           for y, (s, b) in enumerate(zip(spread, bits, strict=True))]
    return [format(v, f"0{w}b")[::-1].encode().translate(_FROM_DIGITS) for v in out]


#: Relative margins of :func:`_surely_upright`: far above the rounding of the float moments (some
#: 1e-14 of their scale), so that a decision taken from the exact moments is the one the float
#: moments take.
_MARGIN = 1e-6
_ANGLE_MARGIN = 1e-3  # degrees


def _surely_upright(runs: list[Run], n: int, elongation2: float) -> bool:
    """Whether the figure of ``runs`` (``n`` pixels) is surely read upright, not along a diagonal,
    from its exact second moments (sums of integers over the runs): its spread along its main axis
    over its spread across it is clearly under ``elongation2``, or that axis is clearly outside 20°
    of a diagonal. False when it is not sure (then the float moments decide, summed pixel by pixel
    as numpy sums them)."""
    sx = sy = sxx = syy = sxy = 0
    for r, a, b in runs:
        c = b - a
        s1 = (a + b - 1) * c // 2  # columns a to b - 1
        sx += s1
        sxx += ((b - 1) * b * (2 * b - 1) - (a - 1) * a * (2 * a - 1)) // 6
        sy += r * c
        syy += r * r * c
        sxy += r * s1
    nn = n * n
    vxx, vyy, vxy = (n * sxx - sx * sx) / nn, (n * syy - sy * sy) / nn, (n * sxy - sx * sy) / nn
    trace = vxx + vyy
    if not trace > 0:
        return False
    spread = math.hypot(vxx - vyy, 2 * vxy)
    major, minor = (trace + spread) / 2, (trace - spread) / 2
    if minor >= _MARGIN * trace and major / minor < elongation2 * (1 - _MARGIN):
        return True
    if spread >= _MARGIN * trace:
        angle = math.degrees(0.5 * math.atan2(2 * vxy, vxx - vyy)) % 180
        m = _ANGLE_MARGIN
        return not (25 - m <= angle <= 65 + m or 115 - m <= angle <= 155 + m)
    return False


def _direction(mask: Mask, tip_ratio: float, axis_tol: float, diagonal_elongation: float,
               max_fill: float, tip_px: float) -> int | None:
    """:func:`ink_direction` of an ink mask, its largest piece read."""
    mask, runs = _largest_component(mask)
    n = 0
    xmin, xmax = math.inf, -math.inf
    for _r, a, b in runs:
        n += b - a
        xmin = a if a < xmin else xmin
        xmax = b - 1 if b - 1 > xmax else xmax
    if n < 12:
        return None
    ymin, ymax = runs[0][0], runs[-1][0]
    if ymax - ymin < 4 or xmax - xmin < 2:
        return None
    diagonal = False
    xs: list[int] = []
    ys: list[int] = []
    if not _surely_upright(runs, n, diagonal_elongation ** 2):
        for r, a, b in runs:  # (row by row, left to right: the order of numpy's nonzero())
            ys.extend([r] * (b - a))
            xs.extend(range(a, b))
        cy, cx = sum(ys) / n, sum(xs) / n  # (sums of integers: exact, as numpy's)
        dx = [x - cx for x in xs]
        dy = [y - cy for y in ys]
        vxx = _fsum([d * d for d in dx]) / n
        vyy = _fsum([d * d for d in dy]) / n
        vxy = _fsum([a * b for a, b in zip(dx, dy, strict=True)]) / n
        spread = math.hypot(vxx - vyy, 2 * vxy)
        major, minor = (vxx + vyy + spread) / 2, (vxx + vyy - spread) / 2
        angle = math.degrees(0.5 * math.atan2(2 * vxy, vxx - vyy)) % 180  # of the main axis, from +x, y down
        diagonal = minor > 0 and major / minor >= diagonal_elongation ** 2 and (
            25 <= angle <= 65 or 115 <= angle <= 155)
    if diagonal:
        ux, uy = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        if uy < 0:  # the axis pointing down the page, as rows do
            ux, uy = -ux, -uy
        t = [x * ux + y * uy for x, y in zip(xs, ys, strict=True)]
        across = [-x * uy + y * ux for x, y in zip(xs, ys, strict=True)]
        tmin = min(t)
        ti = [round(v - tmin) for v in t]  # (half to even, as numpy's rint)
        size = max(ti) + 1
        lo = [math.inf] * size
        hi = [-math.inf] * size
        for i, v in zip(ti, across, strict=True):
            if v < lo[i]:
                lo[i] = v
            if v > hi[i]:
                hi[i] = v
        for i in range(size):
            if lo[i] == math.inf:
                lo[i] = hi[i] = _NAN
    else:  # slices are rows, from the top
        lo = [_NAN] * (ymax - ymin + 1)
        hi = [_NAN] * (ymax - ymin + 1)
        fill = 0
        for r, a, b in runs:
            k = r - ymin
            if lo[k] != lo[k]:  # (NaN: the row's first run)
                lo[k] = float(a - xmin)
            hi[k] = float(b - 1 - xmin)
        for a, b in zip(lo, hi, strict=True):
            if a == a:
                fill += int(b - a) + 1
        if fill > max_fill * ((ymax - ymin + 1) * (xmax - xmin + 1)):
            return None
    ends = _tips(lo, hi, tip_ratio, axis_tol, tip_px, exact=not diagonal)
    if ends is None:
        return None
    top, bottom = ends  # the first slice is the upper end
    if top and not bottom:
        return 1
    if bottom and not top:
        return -1
    return None
