"""The indexed look-ups that replaced whole-page scans (issue 15's speed work) keep exactly what the
scans kept: each is checked against a plain scan written here, on random geometry that includes
ties, boxes on the band's edges, zero-width lines and coordinates that are not numbers."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from octa.clean import _gutter
from octa.layout import Line, Word
from octa.parse.scores import Token
from octa.parse.scores.cells import _Band, _Boxes
from octa.parse.scores.labels import _label_size

_coord = st.one_of(st.integers(-5, 60).map(lambda v: v / 2), st.just(math.nan), st.just(math.inf))


def _box(draw: st.DrawFn) -> tuple[float, float, float, float]:
    x0, y0 = draw(_coord), draw(_coord)
    return x0, y0, x0 + draw(st.integers(-1, 12)) / 2, y0 + draw(st.integers(-1, 12)) / 2


@st.composite
def _tokens(draw: st.DrawFn) -> list[Token]:
    return [Token("1.0", "num", bbox=_box(draw) if draw(st.booleans()) or k else None, page=1)
            for k in range(draw(st.integers(0, 25)))]


@settings(max_examples=300, deadline=None)
@given(_tokens(), st.integers(-5, 60), st.integers(0, 20), st.integers(0, 8), st.data())
def test_band_keeps_what_a_scan_keeps(tokens: list[Token], top: int, height: int, pad: int, data: st.DataObject) -> None:
    box = (0.0, top / 2, 10.0, (top + height) / 2)
    used = {id(t) for t in tokens if data.draw(st.booleans())}
    scan = [t for t in tokens if t.bbox is not None and id(t) not in used
            and box[1] - pad / 2 <= (t.bbox[1] + t.bbox[3]) / 2 <= box[3] + pad / 2]
    assert _Band(tokens)(box, pad / 2, used) == scan
    lo, hi = top / 2, (top + height) / 2
    starting = [t for t in tokens if t.bbox is not None and id(t) not in used and lo <= t.bbox[1] <= hi]
    assert _Band(tokens).starting(lo, hi, used) == starting


@settings(max_examples=300, deadline=None)
@given(st.data(), st.integers(-5, 60), st.integers(0, 20))
def test_boxes_hold_every_box_sharing_a_band(data: st.DataObject, top: int, height: int) -> None:
    items = [(_box(data.draw), k) for k in range(data.draw(st.integers(0, 25)))]
    lo, hi = top / 2, (top + height) / 2
    got = {k for _, k in _Boxes(items).sharing(lo, hi)}  # type: ignore[arg-type]
    # every box overlapping the band's height by any amount (as a change's run tests it) is among them
    assert {k for box, k in items if (box[3] if box[3] < hi else hi) - (box[1] if box[1] > lo else lo) > 0} <= got


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 120), st.integers(-2, 60), st.integers(0, 3)), max_size=40))
def test_gutter_equals_a_scan(spans: list[tuple[int, int, int]]) -> None:
    width = 120.0
    lines = [Line([Word("w", x0 / 1.0, 12.0 * row, (x0 + w) / 1.0, 12.0 * row + 10.0, 12.0 * row + 8.0, "F", 10.0, 1)],
                  1) for x0, w, row in spans]
    assert _gutter(lines, width) == _scan_gutter([(ln.x0, ln.x1, ln.baseline) for ln in lines], width)


def _scan_gutter(spans: list[tuple[float, float, float]], width: float) -> float | None:
    """The gutter read by brute force: every line read for every candidate; a column on either side
    holds two rows or more; at least 6 pt clear; the fewest lines across first (a table's wide gap
    between its columns, crossed by the narrative's lines under it, is not the page's gutter), then
    the widest."""
    xs = sorted(spans)
    best = None
    for c in sorted({x1 for _, x1, _ in xs if 0.3 * width <= x1 <= 0.7 * width}):
        g = c + 0.5
        crossing = sum(1 for x0, x1, _ in xs if x0 < g < x1)
        if crossing > max(1, len(xs) // 20):
            continue
        left = [y for _, x1, y in xs if x1 <= g]
        right = [y for x0, _, y in xs if x0 >= g]
        if len(set(left)) >= 2 and len(set(right)) >= 2:
            nxt = min((x0 for x0, _, _ in xs if x0 >= g), default=g)
            if nxt - c >= 6 and (best is None or (crossing, c - nxt) < (best[0], -best[1])):
                best = (crossing, nxt - c, (c + nxt) / 2)
    return best[2] if best else None


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", "B", "cc", "ddd", "&", "-", "Hu", "x"]), max_size=10),
       st.sampled_from([" ", "  ", "\t"]))
def test_label_size_counts_a_tracked_run_as_one_word(words: list[str], sep: str) -> None:
    text = sep.join(words)
    parts = text.split()
    n = sum(1 for k, w in enumerate(parts) if len(w) > 1 or k == 0 or len(parts[k - 1]) > 1)
    assert _label_size(text) == (n, sum(len(w) for w in parts))
