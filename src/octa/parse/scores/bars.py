"""Stage 10, drawn bars: a page's rectangles → the (track, bar) pairs of a bar chart, and each
pair's reading (bar/track × 10) given to its row by the page's one bar-to-row offset as the row's
``bar_score``, a check on its printed score. Bars drawn on a grid too coarse to tell one score from
the next check none.

Takes the pages' rects and the result with its scores placed (stages 8 and 9); gives
``_bar_pairs``, ``_bar_series``, ``_too_coarse`` and ``_read_bars``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from fractions import Fraction
from itertools import pairwise

from octa.layout.page import Page, Rect
from octa.parse.scores.results import ScoreRead, ScoreResult
from octa.parse.scores.tokens import _union
from octa.parse.settings import ScoreTableSettings
from octa.scoring import SCORE_GRID


def _bar_pairs(rects: list[Rect], st: ScoreTableSettings) -> list[tuple[Rect, Rect]]:
    """(track, bar) pairs: a filled bar drawn over a track of the full scale that starts at the same
    x. The track colour is the page's: the colour of the longer rect in unequal pairs (a full
    score's bar is as long as its track)."""
    slack, max_height, ratio, extra = st.bar_edge_slack, st.bar_max_height, st.track_height_ratio, st.track_height_extra

    def stacked(a: Rect, b: Rect) -> bool:
        return (a is not b and a.fill != b.fill and abs(a.x0 - b.x0) < slack and 0 < a.height <= max_height
                and abs(a.y0 - b.y0) < slack + abs(a.height - b.height) and b.y0 - slack <= a.y0
                and a.y1 <= b.y1 + slack and b.height < ratio * a.height + extra)

    # a bar's track starts at most ``slack`` below the bar's top and is less high than ``ratio``
    # bars and ``extra`` (see stacked): look at the rects whose top is near each bar's (a wider
    # window, by 2 pt and 1 pt), in their order
    tops = sorted((r.y0, k) for k, r in enumerate(rects) if r.y0 == r.y0)
    ys, at = [y for y, _ in tops], [k for _, k in tops]
    above, below = ratio * max_height + extra + 2.0, slack + 1.0
    min_width, width_slack = st.bar_min_width, st.bar_width_slack
    pairs = [(t, b) for b in rects if b.width > min_width and 0 < b.height <= max_height
             for t in (rects[k] for k in sorted(at[bisect_left(ys, b.y1 - above):bisect_right(ys, b.y0 + below)]))
             if stacked(b, t) and t.width >= b.width - width_slack]
    longer = Counter(t.fill for t, b in pairs if t.width > b.width + st.track_longer)
    if not longer:
        return []
    track_fill = longer.most_common(1)[0][0]
    best: dict[int, tuple[Rect, Rect]] = {}
    for t, b in pairs:
        if t.fill != track_fill or b.fill == track_fill:
            continue
        if id(t) not in best or b.width < best[id(t)][1].width:
            best[id(t)] = (t, b)
    out = list(best.values())
    # a full bar may hide its track entirely (renderers skip covered shapes): a bar-coloured rect
    # as long as the tracks, where the tracks start, is a full bar
    if out:
        bar_fill = Counter(b.fill for _, b in out).most_common(1)[0][0]
        used = {id(b) for _, b in out} | {id(t) for t, _ in out}
        shapes = {(round(t.x0), round(t.width)) for t, _ in out}
        heights = [b.height for _, b in out]
        h = sorted(heights)[len(heights) // 2]
        full = st.full_bar_slack
        for r in rects:
            if id(r) in used or r.fill != bar_fill or abs(r.height - h) > slack:
                continue
            if any(abs(r.x0 - x0) <= full and abs(r.width - w) <= full for x0, w in shapes):
                out.append((r, r))
    return out


def _bar_series(pairs: list[tuple[Rect, Rect]], st: ScoreTableSettings) -> list[tuple[Rect, Rect]]:
    """The pairs that belong to a bar chart: every track of a chart is the full scale, so a chart
    is at least ``bar_series`` tracks of one length (within ``full_bar_slack``) in the document's
    table pages (a table's last rows may stand alone on a page); a lone pair of rects one inside
    the other (a highlighted box, a legend swatch) is not a bar, and its "reading" must never
    confirm a score. A bar shorter than ``bar_least`` of the lowest score's is no bar either."""
    full = st.full_bar_slack
    least = float(SCORE_GRID[0]) / 10 * st.bar_least
    pairs = [(t, b) for t, b in pairs if b.width >= least * t.width]
    widths = sorted(t.width for t, _ in pairs)
    out = []
    for t, b in pairs:
        same = bisect_right(widths, t.width + full) - bisect_left(widths, t.width - full)
        if same >= st.bar_series:
            out.append((t, b))
    return out


def _too_coarse(pairs: list[tuple[Rect, Rect]], st: ScoreTableSettings) -> bool:
    """Whether the bars are drawn on a grid too coarse to check a score: their widths (three or
    more different ones) are whole multiples of one step, the smallest difference between them
    (measured over their whole span), which is not the score grid's own step or a multiple of it
    (a half point: the track's twentieth, where bars are drawn exactly) but a device's (a
    browser's pixel, 0.75 pt), and one step of it is worth more than ``bar_agreement`` on the
    track (a bar of an 18 pt track, 24 pixels, reads 8.33 for 8.0)."""
    fit = st.bar_grid_fit
    widths: list[float] = []
    for w in sorted(b.width for _, b in pairs):
        if not widths or w - widths[-1] > fit:
            widths.append(w)
    if len(widths) < 3:
        return False
    least = min(b - a for a, b in pairwise(widths))
    step = (widths[-1] - widths[0]) / round((widths[-1] - widths[0]) / least)  # (the step over the whole span)
    if any(abs(w / step - round(w / step)) * step > fit for w in widths):
        return False
    track = min(t.width for t, _ in pairs)
    half = track / 20  # a half point's width
    if step >= half - fit and abs(step / half - round(step / half)) * half <= fit:
        return False  # the score grid's own step, or a multiple of it (no two scores half a point apart): exact bars
    return Fraction(10 * step / track) > st.bar_agreement


def _read_bars(res: ScoreResult, page: Page, pairs: list[tuple[Rect, Rect]], st: ScoreTableSettings) -> None:
    """Score implied by each drawn bar (bar/track × 10), tied to its label by the page's consistent
    bar-to-row offset (bars sit beside, below or above their rows, the same way on one page)."""
    reads = [r for r in res.indicators.values() if r.page == page.number and r.bbox and r.label_bbox]
    if not reads or not pairs:
        return
    def row_box(r: ScoreRead) -> tuple[float, float, float, float]:
        return _union(r.label_bbox, r.bbox)  # type: ignore[return-value]
    median_size = sorted((row_box(r)[3] - row_box(r)[1]) for r in reads)[len(reads) // 2]
    # Register bars to rows with one page-wide rule: a reference edge of the row (top, centre or
    # bottom: bars sit above, beside or below their rows, the same way on one page) and an offset
    # from it. Of the rules seen, the one under which the most bars agree with their row's printed
    # score wins (one degree of freedom for the page, so a single misprinted score still disagrees
    # with its bar).
    refs = {"top": lambda b: b[1], "centre": lambda b: (b[1] + b[3]) / 2, "bottom": lambda b: b[3]}
    cands: dict[str, list[list[tuple[float, ScoreRead]]]] = {m: [] for m in refs}
    boxes = [(row_box(r), r) for r in reads]
    for track, _bar in pairs:
        cy = (track.y0 + track.y1) / 2
        rows: dict[str, list[tuple[float, ScoreRead]]] = {m: [] for m in refs}
        for box, r in boxes:
            if min(box[2], track.x1) - max(box[0], track.x0) <= 0:
                continue
            for m, ref in refs.items():
                rows[m].append((cy - ref(box), r))
        for m in refs:
            cands[m].append(rows[m])

    # each pair's reading, and whether it agrees with a row's printed score, computed once: the
    # offsets tried below reuse them
    readings = [Fraction(bar.width / track.width).limit_denominator(2000) * 10 for track, bar in pairs]
    tolerance = st.bar_offset_tolerance * max(median_size, 1.0)

    # each pair's rows by offset (an offset that is not a number fits nothing), for a quick look
    # at the offsets near the one tried
    by_offset = {m: [sorted((o, k) for k, (o, _) in enumerate(row) if o == o) for row in rows]
                 for m, rows in cands.items()}

    def assign(mode: str, offset: float) -> dict[str, tuple[float, int]]:
        taken: dict[str, tuple[float, int]] = {}
        for i, row in enumerate(cands[mode]):
            srt = by_offset[mode][i]
            near = srt[bisect_left(srt, (offset - tolerance - 1.0,)):bisect_right(srt, (offset + tolerance + 1.0,))]
            # the nearest fitting offset, the first in the row's order among equals
            fits = [(abs(o - offset), k) for o, k in near if abs(o - offset) < tolerance]
            if not fits:
                continue
            dev, k = min(fits)
            r = row[k][1]
            if r.key in taken and taken[r.key][0] <= dev:
                continue
            taken[r.key] = (dev, i)
        return taken

    scores = {r.key: r.score for r in reads}
    agrees: dict[tuple[str, int], bool] = {}
    agreement = st.bar_agreement

    def agrees_with(key: str, i: int) -> bool:
        got = agrees.get((key, i))
        if got is None:
            got = agrees[(key, i)] = scores[key] is not None and abs(readings[i] - scores[key]) <= agreement
        return got

    best: tuple[int, float, dict[str, tuple[float, int]]] | None = None
    step, reach = st.bar_offset_step, st.bar_offset_reach * median_size
    for mode in refs:
        offsets = sorted({round(o / step) * step for c in cands[mode] for o, _ in c if abs(o) < reach})
        for off in offsets:
            taken = assign(mode, off)
            agree = sum(1 for k, (_, i) in taken.items() if agrees_with(k, i))
            if best is None or (agree, -abs(off)) > (best[0], -abs(best[1])):
                best = (agree, off, taken)
    if best is None:
        return
    for r in reads:
        if r.key in best[2]:
            r.bar_score = readings[best[2][r.key][1]]
