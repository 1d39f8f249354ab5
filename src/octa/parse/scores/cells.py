"""Stage 6, cells and columns: label blocks (stage 5) and a page's tokens (stage 4) → each label's
cell on either side (the tokens of its row band up to the next label; a wide gap ends the run
unless a drawn mark or another row's columns join it), and the table's columns: numbers under a
CHANGE header, or lining up in a column of things a score never is, marked as changes.

Takes blocks, tokens and the page's drawn shapes; gives ``_cell_tokens`` and
``_mark_change_columns``, and the look-ups by height the later stages use (``_Band``, ``_Boxes``,
``_marks``) with the geometry of a token against a label (``_past_label``, ``_in_label_word``,
``_apart``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence

import regex

from octa.layout.page import Page
from octa.parse.scores.labels import _Block
from octa.parse.scores.tokens import Token, _bracketed, _score_like
from octa.parse.settings import ScoreTableSettings
from octa.thresholds import ICON_MAX


def _band_overlap(tb: tuple[float, float, float, float], bb: tuple[float, float, float, float], pad: float) -> bool:
    cy = (tb[1] + tb[3]) / 2
    return bb[1] - pad <= cy <= bb[3] + pad


class _Band:
    """A page's tokens by height: those whose middle is in a row band (as :func:`_band_overlap`
    keeps them), or whose top is in a range, in the page's order, without reading every token of
    the page. ``used``: ids of tokens to leave out."""

    def __init__(self, tokens: list[Token]) -> None:
        boxed = [(i, t.bbox) for i, t in enumerate(tokens) if t.bbox is not None]
        middles = sorted((cy, i) for i, b in boxed if (cy := (b[1] + b[3]) / 2) == cy)  # (not NaN: in no band)
        tops = sorted((b[1], i) for i, b in boxed if b[1] == b[1])
        self.middles, self.by_middle = [k for k, _ in middles], [i for _, i in middles]
        self.tops, self.by_top = [k for k, _ in tops], [i for _, i in tops]
        self.tokens = tokens

    def _pick(self, keys: list[float], index: list[int], lo: float, hi: float, used: set[int]) -> list[Token]:
        found = (self.tokens[i] for i in sorted(index[bisect_left(keys, lo):bisect_right(keys, hi)]))
        return [t for t in found if id(t) not in used]

    def __call__(self, box: tuple[float, float, float, float], pad: float, used: set[int]) -> list[Token]:
        """The tokens whose middle is within ``pad`` of the box's height."""
        return self._pick(self.middles, self.by_middle, box[1] - pad, box[3] + pad, used)

    def starting(self, lo: float, hi: float, used: set[int]) -> list[Token]:
        """The tokens whose top is between ``lo`` and ``hi``."""
        return self._pick(self.tops, self.by_top, lo, hi, used)


class _Boxes:
    """Boxes of a page by their top, each with its owner (a label block, a placed score): those that
    may share some of a band's height, without reading every box of the page."""

    def __init__(self, items: list[tuple[tuple[float, float, float, float], object]]) -> None:
        finite: list[tuple[tuple[float, float, float, float], object]] = []
        self.odd: list[tuple[tuple[float, float, float, float], object]] = []  # (NaN or inf: always looked at)
        for it in items:
            (finite if all(abs(v) < float("inf") for v in it[0]) else self.odd).append(it)
        finite.sort(key=lambda it: it[0][1])
        self.items = finite
        self.tops = [box[1] for box, _ in finite]
        self.reach = max((box[3] - box[1] for box, _ in finite), default=0.0) + 1.0  # the tallest, and more

    def sharing(self, lo: float, hi: float) -> list[tuple[tuple[float, float, float, float], object]]:
        """The boxes that may overlap the height from ``lo`` to ``hi`` (and a few that do not)."""
        return self.items[bisect_left(self.tops, lo - self.reach):bisect_left(self.tops, hi)] + self.odd


def _label_edge(block: _Block, t: Token, direction: int) -> float:
    """The label's edge facing a token on one side: of the label's lines that share height with the
    token, the one reaching least far towards it (a number set between two lines of a wrapped
    label, or beside its short line, stands past that line even where a longer line, or a word
    overflowing its cell, reaches further); the whole label's edge when it shares none."""
    assert t.bbox is not None
    if len(block.segments) == 1:  # one line: its edge whatever the token shares with it
        return block.bbox[2] if direction > 0 else block.bbox[0]
    touching = [sg.bbox for sg in block.segments if min(sg.bbox[3], t.bbox[3]) - max(sg.bbox[1], t.bbox[1]) > 0]
    if not touching:
        return block.bbox[2] if direction > 0 else block.bbox[0]
    return min(b[2] for b in touching) if direction > 0 else max(b[0] for b in touching)


def _past_label(block: _Block, t: Token, direction: int, st: ScoreTableSettings) -> float | None:
    """How far past the label a token stands on one side, or None when it does not stand past it:
    it may start a little inside the label's box (a tracked label's box ends with a letter space:
    ``tracking_overhang``) when its middle is past it."""
    assert t.bbox is not None
    edge = _label_edge(block, t, direction)
    d = (t.bbox[0] - edge) if direction > 0 else (edge - t.bbox[2])
    centre = ((t.bbox[0] + t.bbox[2]) / 2 - edge) * direction
    if d >= -st.tracking_overhang * block.size or centre > 0:
        return d
    # a label overflowing its grid cell: a token in the next cell, past the cell's border (a rule
    # the label's words cross at its height), stands past the label whatever the overflow
    slack = st.edge_slack
    for sg in block.segments:
        if sg.crossed and sg.bbox[1] < t.bbox[3] and sg.bbox[3] > t.bbox[1]:
            for x in sg.crossed:
                past = (t.bbox[0] - x) if direction > 0 else (x - t.bbox[2])
                if past > -slack:
                    return max(past, 0.0)
    return None


def _in_label_word(block: _Block, t: Token, st: ScoreTableSettings) -> bool:
    """Is ``t`` a sign read inside one of the label's own words (the hyphen of a wrapped ``Non-`` or
    ``CYBER-``)? It stands past the label's line it ends, but it is the label, not a change beside it."""
    if t.kind != "sign" or t.bbox is None:
        return False
    x0, y0, x1, y1 = t.bbox
    bx0, by0, bx1, by1 = block.bbox
    if x1 < bx0 or x0 > bx1 or y1 < by0 or y0 > by1:
        return False
    slack = st.edge_slack
    return any(w.x0 - slack <= x0 and x1 <= w.x1 + slack and w.y0 - slack <= y0 and y1 <= w.y1 + slack
               for sg in block.segments for w in sg.words)


def _marks(page: Page, st: ScoreTableSettings) -> _Marks:
    """The shapes a page draws inside a row, by left edge: small ones (a colour square or an icon
    beside a change: no side over :data:`ICON_MAX` nor under ``mark_min``, which leaves out a grid's
    rules), and a bar's track or fill (no taller than an icon, wider: ``score [bar] change label``
    draws the bar between two numbers of one row)."""
    least = st.mark_min
    return _Marks(sorted((r.x0, r.y0, r.x1, r.y1) for r in page.rects
                         if least <= r.x1 - r.x0 and least <= r.y1 - r.y0 <= ICON_MAX))


class _Marks(list):
    """A page's marks by left edge, knowing the widest (a mark that covers an x starts at most that
    far left of it)."""

    def __init__(self, items: list[tuple[float, float, float, float]]) -> None:
        super().__init__(items)
        self.widest = max((m[2] - m[0] for m in items), default=0.0)


def _open_gap(x0: float, x1: float, y0: float, y1: float, marks: _Marks) -> float:
    """The widest stretch of the gap from ``x0`` to ``x1`` that no mark standing in the height
    ``y0``-``y1`` covers (a colour square drawn before a change is part of its row, not a gap)."""
    widest, at = 0.0, x0
    for mx0, my0, mx1, my1 in marks[bisect_left(marks, (x0 - marks.widest,)):bisect_right(marks, (x1,))]:
        if mx1 <= at or my1 < y0 or my0 > y1:
            continue
        widest = max(widest, mx0 - at)
        at = max(at, mx1)
    return max(widest, x1 - at)


_Box = tuple[float, float, float, float]


def _in_joined_columns(left: _Box, right: _Box, joins: Sequence[tuple[_Box, _Box]], tol: float) -> bool:
    """Whether two tokens of a row (``left`` and ``right`` in x order) stand in the columns of a
    pair of ``joins`` (two tokens another row joined into one cell): an edge of each (left, centre
    or right) within ``tol`` of the same edge of the pair's token on its side."""
    def near(a: _Box, b: _Box) -> bool:
        return abs(a[0] - b[0]) <= tol or abs(a[2] - b[2]) <= tol or abs(a[0] + a[2] - b[0] - b[2]) <= 2 * tol
    return any(near(left, jl) and near(right, jr) for jl, jr in joins)


def _cell_tokens(block: _Block, tokens: list[Token], blocks: list[_Block], sides: Iterable[int],
                 max_dist: float, st: ScoreTableSettings,
                 marks: _Marks | tuple[()] = (),
                 joins: Sequence[tuple[_Box, _Box]] = (), pairs: list[tuple[_Box, _Box, bool]] | None = None,
                 ) -> dict[int, list[Token]]:
    """Tokens in the label's row band on each side, up to the next label block on that side (of
    ``tokens``: those of the row band, or more; of ``blocks``: those near the row, or more).
    ``marks``: the page's small shapes (see :func:`_marks`), which join the numbers they stand between.
    ``joins``: pairs of tokens (left, right boxes) other rows joined, whose columns join two tokens
    however wide the gap between them; ``pairs``: where given, each pair of neighbouring tokens
    looked at is added to it as (left box, right box, whether the gap split them)."""
    bx0, by0, bx1, by1 = block.bbox
    pad = st.row_band_pad * block.size
    cell_gap = st.cell_gap
    # the labels sharing the row (each side's nearest ends the cell)
    row = [other.bbox for other in blocks if other is not block and other.page == block.page
           and (other.bbox[1] - pad <= (by0 + by1) / 2 <= other.bbox[3] + pad
                or by0 <= (other.bbox[1] + other.bbox[3]) / 2 <= by1)]
    own = {(round(w.x0, 1), round(w.y0, 1)) for sg in block.segments for w in sg.words}  # the label's own words
    near = [t for t in tokens if t.page == block.page and t.bbox is not None and _band_overlap(t.bbox, block.bbox, pad)
            # a joiner of the label (the ``-`` of ``N O N -``) is not a number beside it
            and (round(t.bbox[0], 1), round(t.bbox[1], 1)) not in own]
    cells: dict[int, list[Token]] = {}
    for direction in sides:
        edge = bx1 if direction > 0 else bx0
        limit = max_dist
        for ob in row:
            d = (ob[0] - edge) if direction > 0 else (edge - ob[2])
            if 0 <= d < limit:
                limit = d
        out = [t for t in near if _past_label(block, t, direction, st) is not None
               and ((t.bbox[0] - edge) if direction > 0 else (edge - t.bbox[2])) <= limit]  # type: ignore[index]
        out.sort(key=lambda t: t.bbox[0] if direction > 0 else -t.bbox[2])  # type: ignore[index]  # noqa: B023
        # a cell is a contiguous run: a gap much wider than the numbers' size ends it, but for a
        # run of changes only, whose row's score stands past the gap (cells spread over a wide
        # table: ``8.5*      ▼0.50  <label>``), up to that one number
        cell: list[Token] = []
        for t in out:
            if cell:
                prev = cell[-1]
                gap = (t.bbox[0] - prev.bbox[2]) if direction > 0 else (prev.bbox[0] - t.bbox[2])  # type: ignore[index]
                reach = cell_gap * max(t.size, prev.size, 1.0)
                pair = (prev.bbox, t.bbox) if direction > 0 else (t.bbox, prev.bbox)
                past = gap > reach and _score_like(t, False) and all(_change_evidence(c) for c in cell)
                if past:  # the row's score past the gap after its changes: the cell ends with it
                    cell.append(t)
                    break
                if gap > reach and (not marks or _open_gap(*((prev.bbox[2], t.bbox[0]) if direction > 0 else (
                        t.bbox[2], prev.bbox[0])), by0 - pad, by1 + pad, marks) > reach) \
                        and not (joins and _in_joined_columns(*pair, joins,  # type: ignore[arg-type]
                                                              st.cell_column_align * max(t.size, prev.size, 1.0))):
                    if pairs is not None:
                        pairs.append((*pair, True))  # type: ignore[arg-type]
                    break
                if pairs is not None:
                    pairs.append((*pair, False))  # type: ignore[arg-type]
            cell.append(t)
        cells[direction] = cell
    return cells


def _change_evidence(t: Token) -> bool:
    """What a score never is: zero, bracketed, signed or arrowed, ``n/a``."""
    return t.kind == "na" or (t.kind == "num" and (t.sign != 0 or t.value == 0 or _bracketed(t)))


def _apart(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """Horizontal distance between two boxes (0 when they overlap in x)."""
    return max(0.0, max(a[0], b[0]) - min(a[2], b[2]))


_CHANGE_HEADER = regex.compile(r"^(?:change|changes|chg|trend|\+/-|±|Δ|delta)[:.]?$", regex.IGNORECASE)
#: The characters a CHANGE header may start with (a quick test before the pattern).
_CHANGE_HEADER_FIRST = frozenset("cCtTdD+±Δδ")


def _mark_change_columns(blocks: list[_Block], page: Page, cells: dict[tuple[int, int], list[Token]],
                         st: ScoreTableSettings) -> None:
    """The table's column structure: numbers in the indicator rows under a CHANGE column header,
    and those that line up in a column (same left or same right edge) holding things a score never
    is (zeros, brackets, signs, ``n/a``) in at least two rows, are changes, whatever each of them
    looks like (``1.5`` in a change column is a change of 1.5, not a score). ``cells`` holds each
    label's cell on either side, by ``(id(label), side)``."""
    # each number of a label's cell belongs to the label whose cell holds it that it is printed on
    # a line of, else to the nearest: a summary's headline figure in an indicator's cell (a pillar
    # heading on a row of the next column) is not one of the indicator rows' numbers
    owner: dict[int, tuple[tuple[tuple[int, int], float], _Block, Token]] = {}
    level = st.owner_baseline
    for b in blocks:
        if b.page != page.number:
            continue
        for d in (1, -1):
            for t in cells[(id(b), d)]:
                if t.kind in ("num", "na") and t.bbox is not None:
                    # how far off the label's nearest line it is printed, in tenths of a size (a
                    # number level with two labels' lines belongs to the one it is on more closely)
                    off = min((abs(s.baseline - t.baseline) / max(s.size, t.size) for s in b.segments
                               if s.page == b.page), default=None) if t.baseline is not None else None
                    key = ((0, round(10 * off)) if off is not None and off <= level else (1, 0), _apart(b.bbox, t.bbox))
                    if id(t) not in owner or key < owner[id(t)][0]:
                        owner[id(t)] = (key, b, t)
    cand = [t for _, b, t in owner.values() if b.kind == "indicator"]
    # numbers of the indicator rows under a CHANGE column header: under the nearest header row
    # above them (each table of a page may have its own columns)
    headers = [w for w in page.words if (t := w.text.strip())[:1] in _CHANGE_HEADER_FIRST and _CHANGE_HEADER.match(t)]
    slack, header_row, header_pad, share = st.edge_slack, st.change_header_row, st.change_header_pad, \
        st.change_header_overlap
    # (a header row level with a number counts as above it: a table flowing on into the next
    # column prints its header in the first column only, level with the next column's first row)
    for t in cand:
        above = [h for h in headers if h.y1 - slack <= t.bbox[1] or h.y0 < t.bbox[1]]  # type: ignore[index]
        if t.role or not above:
            continue
        nearest = max(h.y1 for h in above)
        for h in above:
            if h.y1 < nearest - header_row * h.size:
                continue
            lo, hi = h.x0 - header_pad * h.size, h.x1 + header_pad * h.size
            overlap = min(hi, t.bbox[2]) - max(lo, t.bbox[0])  # type: ignore[index]
            if overlap >= share * (t.bbox[2] - t.bbox[0]):  # type: ignore[index]
                t.role = "change"
    # a column is one table's: the numbers under one header row (the nearest CHANGE header row
    # above them, where the tables print one), whatever another table's columns line up with
    table_of = {id(t): max((h.y1 for h in headers if h.y1 - slack <= t.bbox[1] or h.y0 < t.bbox[1]),  # type: ignore[index]
                           default=None)
                for t in cand}
    for edge in (0, 2):
        cols: dict[int, list[Token]] = {}
        for t in cand:
            cols.setdefault(round(t.bbox[edge]), []).append(t)  # type: ignore[index]
        keys = sorted(cols)
        merged: list[list[Token]] = []
        for k in keys:  # neighbouring keys (rounding) form one column
            if merged and k - round(merged[-1][-1].bbox[edge]) <= 1:  # type: ignore[index]
                merged[-1].extend(cols[k])
            else:
                merged.append(list(cols[k]))
        tables: list[list[Token]] = []
        for col in merged:
            by_table: dict[float | None, list[Token]] = {}
            for t in col:
                by_table.setdefault(table_of[id(t)], []).append(t)
            tables.extend(by_table.values())
        for col in tables:
            evidence = sum(1 for t in col if _change_evidence(t))
            if len(col) >= st.change_column_rows and evidence >= st.change_column_evidence \
                    and evidence >= st.change_column_share * len(col):
                for t in col:
                    if t.role == "" and not _row_has_change(t, owner[id(t)][1], cells):
                        t.role = "change"


def _row_has_change(t: Token, b: _Block, cells: dict[tuple[int, int], list[Token]]) -> bool:
    """Whether the row of label ``b`` holds, beside ``t``, a number that is what a score never is
    (signed, arrowed, zero, ``n/a``): that is the row's change, and ``t``, however it lines up with
    other rows' changes (cells that a layout engine places row by row, never in columns), is not."""
    return any(o is not t and _change_evidence(o) for d in (1, -1) for o in cells[(id(b), d)])
