"""Stage 8, placing scores: the reader's state (stage 7) → a :class:`ScoreResult` with every label's
score placed: nearest pairs first, then the labels left (summary figures above or below their
captions, scores under their labels, atop the next column or overleaf), then the summaries the
arithmetic places elsewhere. A row whose score's place holds a token not understood becomes an
:class:`UnreadCell`; a change cut off where it is printed is kept as printed.

Takes :class:`_ReaderState`; gives :class:`_ScorePlacer` (``place_scores``) and ``_assign``, which
records a label's score in the result.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from fractions import Fraction

from octa import taxonomy
from octa.layout.page import CLIPPED, Line, is_symbol_font
from octa.parse.scores.cells import _apart, _band_overlap
from octa.parse.scores.labels import _Block, _is_labelish
from octa.parse.scores.metadata import parse_rank_text
from octa.parse.scores.results import ScoreRead, ScoreResult, UnreadCell, _exact_summary, _set_change
from octa.parse.scores.rows import _Candidate, _ReaderState, _score_below
from octa.parse.scores.tokens import _DIGIT_CHAR, Token, _score_like, _token_reading, _union, interpret_cell
from octa.parse.settings import ScoreTableSettings
from octa.scoring import round_to


class _ScorePlacer(_ReaderState):
    """The reader's second stage: every label's score placed (nearest pairs first, then the
    labels left, then the summaries the arithmetic places elsewhere), the rows whose score's
    place holds a token not understood, and the changes cut off where they are printed."""

    def place_scores(self, res: ScoreResult) -> None:
        """Every label's score: nearest pairs first, then the labels left (summary figures above or
        below, scores under their labels or overleaf), then the summaries the arithmetic places
        elsewhere."""
        self._place_nearest_first(res)
        self._place_the_rest(res)
        if self._switch_summaries(res):
            self._read_rows_again(res)
        self._unread_rows(res)
        self._cut_changes(res)

    def _cut_changes(self, res: ScoreResult) -> None:
        """Rows read without a change whose row holds a number cut off where it is printed (a clip
        path leaves part of it undrawn: ``0…``, see :data:`octa.layout.CLIPPED`) beside its label and score, with no
        other row's label or score between: the change is left unread, and the token as drawn is
        kept in ``change_printed`` for the finding that reports it."""
        reads = [*res.indicators.values(), *res.summary.values()]
        for read in res.indicators.values():
            t = read.score_token
            if read.change is not None or read.change_printed is not None or t is None or t.bbox is None \
                    or read.how != "row" or read.label_bbox is None:
                continue
            span = _union(t.bbox, read.label_bbox)
            h = max(t.bbox[3] - t.bbox[1], 1.0)
            lo, hi = t.bbox[1] + 0.3 * h, t.bbox[3] - 0.3 * h
            cut = [c for c in self.tokens_by_page.get(t.page or 0, ()) if c.kind == "unread" and CLIPPED in c.text
                   and c.bbox is not None and c.bbox[1] < hi and c.bbox[3] > lo
                   and (c.bbox[0] >= span[2] or c.bbox[2] <= span[0])]
            if len(cut) != 1:
                continue
            c = cut[0].bbox
            gap = (span[2], c[0]) if c[0] >= span[2] else (c[2], span[0])  # type: ignore[index]
            if any(o is not read and o.page == read.page and any(
                    box is not None and box[1] < hi and box[3] > lo and box[2] > gap[0] and box[0] < gap[1]
                    for box in (o.label_bbox, o.bbox)) for o in reads):
                continue  # another row's label or score stands between: not this row's
            read.change_printed = cut[0].text

    def _unread_rows(self, res: ScoreResult) -> None:
        """The indicator rows whose score's place holds a token not understood: one of the cell's
        tokens (``65%``, ``5.0/100``), or the word nearest the label standing in the page's score
        column (``abc``, where the other rows print their scores). Such a row has no score: a number
        it took from farther on (its change) is given up, and the token is reported as printed."""
        columns = self._placed_columns(res)
        for b in self.pending:
            target = res.summary if b.kind == "summary" else res.indicators
            read = target.get(b.key)
            if read is not None and read.block is not b:
                continue
            bad = self.unread.get(id(b))
            if bad is None and b.kind == "indicator" and b.page not in self.below_pages \
                    and not (read is not None and _in_columns(read.score_token, columns.get(b.page, ()), self.st)):
                bad = self._word_in_score_column(b, read, columns.get(b.page, ()))
            if bad is None or (read is not None and (read.how != "row" or read.score_token is None
                                                     or self._nearer(b, read.score_token, bad))):
                continue  # (a score read elsewhere, under its label or beside its caption, stands)
            if read is not None:
                del target[b.key]
            res.unread.setdefault(b.key, UnreadCell(b.key, bad.text, bad.note, b.page, bad.bbox))

    def _nearer(self, b: _Block, a: Token, other: Token) -> bool:
        """Whether token ``a`` stands nearer the label ``b`` than ``other`` (on the page's side)."""
        if a.bbox is None or other.bbox is None:
            return True
        if self.directions.get(b.page, 1) > 0:
            return a.bbox[0] < other.bbox[0]
        return a.bbox[2] > other.bbox[2]

    def _placed_columns(self, res: ScoreResult) -> dict[int, list[tuple[int, float]]]:
        """Each page's score columns: the edges (left 0, right 2, or centre 1, with their x) that
        ``unread_column_rows`` or more indicator scores read in their label's row share."""
        st = self.st
        votes: dict[int, Counter[tuple[int, int]]] = {}
        for r in res.indicators.values():
            t = r.score_token
            if t is None or t.bbox is None or r.how != "row" or t.page is None:
                continue
            c = votes.setdefault(t.page, Counter())
            for edge, x in ((0, t.bbox[0]), (1, (t.bbox[0] + t.bbox[2]) / 2), (2, t.bbox[2])):
                c[(edge, round(x))] += 1
        out: dict[int, list[tuple[int, float]]] = {}
        for page, c in votes.items():
            out[page] = [(edge, float(x)) for (edge, x), n in c.items() if n >= st.unread_column_rows]
        return out

    def _word_in_score_column(self, b: _Block, read: ScoreRead | None,
                              columns: Sequence[tuple[int, float]]) -> Token | None:
        """The word (with those right after it in one cell) nearest the label on the page's side in
        its row, when it is no number nor label and stands in one of the page's score columns."""
        if not columns:
            return None
        st = self.st
        page = next((p for p in self.pages if p.number == b.page), None)
        if page is None:
            return None
        pad = st.row_band_pad * b.size
        direction = self.directions.get(b.page, 1)
        mine = {id(w) for sg in b.segments for w in sg.words}
        labels = {id(w) for x in self.on_page.get(b.page, ()) for sg in x.segments for w in sg.words}
        edge = b.bbox[2] if direction > 0 else b.bbox[0]
        row = []
        for ln in page.lines:
            if ln.y1 < b.bbox[1] - pad or ln.y0 > b.bbox[3] + pad:
                continue
            for w in ln.words:
                if id(w) in mine or not _band_overlap(w.bbox, b.bbox, pad):
                    continue
                gap = (w.x0 - edge) if direction > 0 else (edge - w.x1)
                if gap >= -0.5:
                    row.append((gap, w))
        if not row:
            return None
        row.sort(key=lambda gw: gw[0])
        first = row[0][1]
        if id(first) in labels or is_symbol_font(first.font) or _token_reading(first.text) is not None:
            return None  # a number (read or not) or another label: the cell's tokens say what it is
        cell = [first]
        for _, w in row[1:]:
            prev = cell[-1]
            gap = (w.x0 - prev.x1) if direction > 0 else (prev.x0 - w.x1)
            if gap > st.label_word_gap * max(w.size, 1.0) or id(w) in labels or _token_reading(w.text) is not None:
                break
            cell.append(w)
        cell.sort(key=lambda w: w.x0)
        text = " ".join(w.text for w in cell)
        if len(text) > st.unread_max_chars:
            return None  # words running on: text beside the table, not a cell
        x0, x1 = cell[0].x0, cell[-1].x1
        if not _in_columns(Token(text, "unread", bbox=(x0, first.y0, x1, first.y1), size=first.size), columns, st):
            return None
        return Token(text, "unread", page=b.page, bbox=(x0, min(w.y0 for w in cell), x1, max(w.y1 for w in cell)),
                     size=first.size)

    def _place_nearest_first(self, res: ScoreResult) -> None:
        """Assign numbers to labels greedily, nearest pair first: in the page's voted reading
        direction before the other one (indicators), either direction alike (summary scores, whose
        rows are often laid out unlike the indicator rows)."""
        pending, used, cells, below_pages = self.pending, self.used, self.cells, self.below_pages
        cache: dict[int, _Candidate | None] = {}
        while True:
            best = None
            for n, b in enumerate(pending):
                if b.key in (res.summary if b.kind == "summary" else res.indicators):
                    continue
                c = cache.get(n, ...)
                if c is ... or (c is not None and c.cell & used):
                    c = cache[n] = self.candidate(n, b)
                if c is not None and (best is None or c.order < best.order):
                    best = c
            if best is None:
                break
            b = best.block
            _assign(res, b, best.score, None, used, best.direction,
                    "below" if b.kind == "indicator" and b.page in below_pages else "row", 0)
            cells[id(b)] = best.cell

    def _place_the_rest(self, res: ScoreResult) -> None:
        """The labels left without a score: summary scores printed above or below their captions,
        indicator scores under their labels, or at the head of the next page."""
        st, used, tokens_by_page = self.st, self.used, self.tokens_by_page
        for b in self.pending:
            if b.key in (res.summary if b.kind == "summary" else res.indicators):
                continue
            toks = [t for t in tokens_by_page[b.page] if id(t) not in used]
            if b.kind == "summary":
                score, _change = _summary_nearby(b, toks, st)
                how = "nearby"
            else:
                score, how = _score_below(b, self.under(b, used), self.on_page[b.page], st), "below"
                if score is None and b.page in self.below_pages:
                    score = self._score_atop_next_column(b, toks, res)
                if score is None and b.page in self.below_pages and b.page + 1 in tokens_by_page:
                    nxt = [t for t in tokens_by_page[b.page + 1] if id(t) not in used]
                    owned = self._atop_next_columns(b.page + 1, nxt, res)
                    placed = [r.bbox for r in res.indicators.values()
                              if r.page == b.page and r.how == "below" and r.bbox is not None]
                    score = _score_over_page(b, [t for t in nxt if id(t) not in owned], toks, self.blocks, st,
                                             placed)
            if score is not None:
                _assign(res, b, score, None, used, 0, how, 0)

    def _atop_next_columns(self, page: int, tokens: list[Token], res: ScoreResult) -> set[int]:
        """The numbers (ids) of ``tokens`` that the labels of ``page`` not placed yet own as their
        scores atop the next column of that page (see :meth:`_score_atop_next_column`): a label of
        an earlier page does not take them (the column after the last one of a page is the next
        page's first one, not the one at its own place)."""
        if page not in self.below_pages:
            return set()
        owned = set()
        for o in self.on_page.get(page, ()):
            if o.kind == "indicator" and o.key not in res.indicators:
                t = self._score_atop_next_column(o, tokens, res)
                if t is not None:
                    owned.update(t.ids)
        return owned

    def _score_atop_next_column(self, b: _Block, tokens: list[Token], res: ScoreResult) -> Token | None:
        """The score of the lowest label of its column with nothing under it, printed atop the next
        column of its page (a table under its labels flowing on from one column to the next): the
        number nearest above that column's topmost label (its own score placed under it; of the
        same pillar, the table going on, or of another one whose heading stands between them, a new
        table starting there), when it can be no other row's. A label above that number
        that was not recognised could own it: so where such a label would end (from the number's top
        up to the reach of a score under its label, ``below_line_reach``, and to its side as far as
        ``below_reach``) no word of letters may be printed but the label's own last part (a label
        broken by its column), a repeat of the table's header (a line of no label and no digit
        printed word for word above the label's own rows too) or a summary box's rank line (which
        owns no number; the box's own score stands above it); nor anything between the number and
        that topmost label but the heading of its group (or of its pillar, and the header)."""
        if b.kind != "indicator":
            return None
        st = self.st
        size = b.size
        reach, top = st.below_reach * size, b.bbox[3] - st.below_top_slack * size
        in_column = (lambda box: _apart(b.bbox, box) <= reach)  # noqa: E731
        if any(t.bbox is not None and t.bbox[1] >= top and in_column(t.bbox) for t in tokens):
            return None  # something is printed under it
        on_page = self.on_page[b.page]
        if any(o is not b and o.bbox[1] > top and in_column(o.bbox) for o in on_page):
            return None  # another label follows it in its column
        right = [o for o in on_page if o.kind == "indicator" and o.bbox[0] > b.bbox[2] and o.bbox[1] < b.bbox[1]]
        if not right:
            return None
        left = min(o.bbox[0] for o in right)
        head = min((o for o in right if o.bbox[0] - left <= st.same_column * size), key=lambda o: o.bbox[1])
        own = res.indicators.get(head.key)
        if own is not None and isinstance(own.block, _Block) and own.block is not head and own.block.page == b.page \
                and abs(own.block.bbox[0] - head.bbox[0]) <= st.same_column * size and own.block.bbox[1] > head.bbox[1]:
            head = own.block  # a group heading printed as its one indicator's label (the cyber-dependent crimes group)
        if own is None or own.block is not head or own.bbox is None \
                or own.bbox[1] < head.bbox[3] - st.below_top_slack * head.size:
            return None  # a column whose rows do not print their scores under them
        pillar = taxonomy.INDICATORS_BY_ID[head.key].pillar
        hreach = st.below_reach * head.size
        above = [t for t in tokens if t.bbox is not None and t.bbox[3] <= head.bbox[1]
                 and _apart(head.bbox, t.bbox) <= hreach and _score_like(t, False)]
        t = max(above, key=lambda t: t.bbox[1], default=None)  # type: ignore[index]
        if t is None or t.bbox is None:
            return None
        page = next(p for p in self.pages if p.number == b.page)
        slack, size = st.edge_slack, max(size, t.size, head.size)
        x0, x1 = min(t.bbox[0], head.bbox[0]), max(t.bbox[2], head.bbox[2])
        between = sorted((ln for ln in page.lines if ln.y0 >= t.bbox[3] - slack and ln.y1 <= head.bbox[1] + slack
                          and ln.x0 < x1 and ln.x1 > x0), key=lambda ln: (ln.y0, ln.x0))
        labels = {id(w) for o in self.blocks for sg in o.segments for w in sg.words}
        shift = head.bbox[0] - b.bbox[0]  # from the label's column to the next one
        if pillar != taxonomy.INDICATORS_BY_ID[b.key].pillar:
            # another pillar's table starts there: the number ends the label's table above that
            # pillar's heading (and the table's header repeated under it)
            heading = {id(w) for o in self.on_page[b.page] if o.kind == "summary" and o.key == pillar
                       for sg in o.segments for w in sg.words}
            if not any(id(w) in heading for ln in between for w in ln.words):
                return None
            between = [ln for ln in between if not any(id(w) in heading for w in ln.words)]
            plain = [ln for ln in between if _DIGIT_CHAR.search(ln.text) is None
                     and not any(id(w) in labels for w in ln.words)]
            rows = [ln.baseline for ln in plain if self._printed_above(b, ln, labels, shift)]
            # the table's header repeated (its row: a cell of it printed above the label's rows)
            plain_ids = {id(ln) for ln in plain}
            between = [ln for ln in between if not (id(ln) in plain_ids and any(
                abs(ln.baseline - y) <= st.owner_baseline * ln.size for y in rows))]
        group = taxonomy.INDICATORS_BY_ID[head.key].group
        if between and (group is None or _heading_text(" ".join(ln.text for ln in between))
                        != _heading_text(taxonomy.GROUPS_BY_ID[group].heading)):
            return None  # something is printed between the number and that label but the heading of its group
        lo, hi = t.bbox[1] - st.below_line_reach * size - slack, t.bbox[1] + st.below_top_slack * size
        near = {id(w) for w in page.words if lo <= w.y1 <= hi and _apart(w.bbox, t.bbox) <= st.below_reach * size
                and _is_labelish(w)}
        near -= {id(w) for sg in b.segments for w in sg.words}  # its own last part (a label broken by its column)
        if not near:
            return t  # no word printed where a label owning it would end
        for ln in page.lines:
            if not any(id(w) in near for w in ln.words):
                continue
            if parse_rank_text(ln.text):
                continue  # a summary box's rank line (``3rd of 15 West African countries``): no label
            if _DIGIT_CHAR.search(ln.text) is not None or any(id(w) in labels for w in ln.words) \
                    or not self._printed_above(b, ln, labels, shift):
                return None
        return t  # under the table's header, repeated atop the next column

    def _printed_above(self, b: _Block, line: Line, labels: set[int], shift: float) -> bool:
        """Whether the words of ``line`` (of the column ``shift`` right of the label ``b``'s; case and
        spacing aside), a line of no label, are printed above ``b`` in its column, at the same place
        in it (on its page or a page before): the line's box moved by ``shift`` to ``b``'s column
        meets the other one's."""
        text = " ".join(line.text.casefold().split())
        x0, x1 = line.x0 - shift, line.x1 - shift
        for p in self.pages:
            if p.number > b.page:
                break
            for ln in p.lines:
                if (p.number < b.page or ln.y1 <= b.bbox[1]) and ln.x0 < x1 and ln.x1 > x0 \
                        and " ".join(ln.text.casefold().split()) == text and not any(id(w) in labels for w in ln.words):
                    return True
        return False

    def _switch_summaries(self, res: ScoreResult) -> bool:
        """A summary whose reading does not reproduce what the indicator scores give, where another
        reading does: the other place of its label printed twice on its page (the headline and a
        table's pillar heading), the other side of its label (a score column of the next table
        beside it), or the number another summary took whose own reading the arithmetic also
        contradicts (a pillar heading or a narrative heading beside the table took a summary row's
        score, and that row then the next headline's: each wrong). The arithmetic decides for that
        reading, at the precision it is printed with; its number goes back to the rows, and a
        summary whose number was taken so is read again the same way (or left unread). Whether any
        summary was switched."""
        st, used, tokens_by_page = self.st, self.used, self.tokens_by_page
        wants = {m.id: _exact_summary(res, m.id) for m in taxonomy.SUMMARY}

        def fits(t: Token | None, key: str) -> bool:
            want = wants.get(key)
            return (want is not None and t is not None and t.value is not None
                    and Fraction(round_to(want, t.decimals)) == t.value)

        keys = list(dict.fromkeys(b.key for b in self.pending if b.kind == "summary"))
        switched = False
        for _ in range(len(keys) + 1):  # each switch makes one more summary agree: at most len(keys)
            changed = False
            for key in keys:
                read = res.summary.get(key)
                if wants.get(key) is None or (read is not None and fits(read.score_token, key)):
                    continue
                mine = set(read.score_token.ids) if read is not None and read.score_token is not None else set()
                wrong = {k: set(r.score_token.ids) for k, r in res.summary.items()
                         if k != key and r.score_token is not None and wants.get(k) is not None
                         and not fits(r.score_token, k)}
                free = used - mine - set().union(*wrong.values())
                for b in sorted((b for b in self.pending if b.kind == "summary" and b.key == key),
                                key=lambda b: read is not None and b is read.block):
                    cell = self.cell_of(b, free, (1, -1))
                    found = [t for t in (interpret_cell(cell[d], True, st)[0] for d in (1, -1)) if t is not None]
                    found.append(_summary_nearby(b, [t for t in tokens_by_page[b.page] if id(t) not in free], st)[0])
                    fit = next((t for t in found if t is not None and fits(t, key) and t.bbox is not None
                                and (read is None or t is not read.score_token)), None)
                    if fit is not None:
                        for holder, ids in wrong.items():
                            if ids & set(fit.ids):
                                del res.summary[holder]
                                used.difference_update(ids)
                        used.difference_update(mine)
                        _assign(res, b, fit, None, used, 0, "average", 0)
                        switched = changed = True
                        break
            if not changed:
                break
        return switched

    def _read_rows_again(self, res: ScoreResult) -> None:
        """The indicator rows left without a score (after a summary gave its number back)."""
        for n, b in enumerate(self.pending):
            if b.kind == "indicator" and b.key not in res.indicators:
                c = self.candidate(n, b)
                if c is not None:
                    _assign(res, b, c.score, None, self.used, c.direction,
                            "below" if b.page in self.below_pages else "row", 0)
                    self.cells[id(b)] = c.cell


def _in_columns(t: Token | None, columns: Sequence[tuple[int, float]], st: ScoreTableSettings) -> bool:
    """Whether token ``t`` stands in one of a page's score columns (see ``_placed_columns``): one of
    its edges (left, centre, right) within ``unread_column_slack`` sizes of the column's."""
    if t is None or t.bbox is None or not columns:
        return False
    x0, x1 = t.bbox[0], t.bbox[2]
    tol = st.unread_column_slack * max(t.size, 1.0)
    return any(abs((x0, (x0 + x1) / 2, x1)[e] - x) <= tol for e, x in columns)


def _assign(res: ScoreResult, b: _Block, score: Token, change: Token | None, used: set[int],
            direction: int, how: str, alternatives: int) -> None:
    used.update(i for t in (score, change) if t is not None for i in t.ids)
    read = ScoreRead(b.key, score.value, None, None, False, score.page or b.page, score.bbox, b.text, b.bbox,
                     how=how, alternatives=alternatives, direction=direction, block=b, score_token=score)
    if change is not None:
        _set_change(read, change)
    if b.kind == "summary":
        res.summary[b.key] = read
    else:
        res.indicators[b.key] = read
    if b.page not in res.table_pages:
        res.table_pages.append(b.page)


def _score_over_page(block: _Block, next_tokens: list[Token], tokens: list[Token], blocks: list[_Block],
                     st: ScoreTableSettings, placed: Sequence[tuple[float, float, float, float]] = ()) -> Token | None:
    """The score of a label that ends its page with nothing under it, printed at the head of the
    next page (a table row broken by the page): the first number in the label's column there,
    above every label of that column; or, for the lowest label of its page when that column holds
    none, the number above the first label of the next page's first table column (the table
    flowing on from one column to the next); or, where the next page holds no label of the table
    (the broken row is the table's last), the topmost number there standing in the first score
    column of the label's page (an edge within ``column_alignment`` of one of ``placed``, the
    boxes of the scores read under their labels on that page, in its leftmost column)."""
    by1 = block.bbox[3]
    size = block.size
    reach, top = st.below_reach * size, by1 - st.below_top_slack * size
    in_column = (lambda box: _apart(block.bbox, box) <= reach)  # noqa: E731
    if any(t.page == block.page and t.bbox is not None and t.bbox[1] >= top and in_column(t.bbox)
           and not _in_others_row(block, t.bbox, blocks) for t in tokens):
        return None  # something is printed under it on its own page
    if any(o is not block and o.page == block.page and o.bbox[1] > top and in_column(o.bbox)
           for o in blocks):
        return None  # another label follows it on its page
    same_column = st.same_column * size
    tops = [o.bbox[1] for o in blocks if o.page == block.page + 1 and _apart(block.bbox, o.bbox) <= same_column]
    first = min(tops, default=float("inf"))
    beside = [o for o in blocks if o is not block and o.page == block.page
              and min(o.bbox[3], by1) - max(o.bbox[1], block.bbox[1]) > 0]  # the row's other labels
    cands = [t for t in next_tokens if t.bbox is not None and t.bbox[3] <= first and in_column(t.bbox)
             and _score_like(t, False)
             and not any(_apart(o.bbox, t.bbox) < _apart(block.bbox, t.bbox) for o in beside)]
    # (a label broken by its column, whose first part ends a column, goes on atop the next one, and a
    # label of a column left of this one is before it in the table, however low it stands)
    if cands or any(o is not block and o.page == block.page and o.bbox[1] > block.bbox[1] and not o.first_part
                    and o.bbox[2] > block.bbox[0] for o in blocks):
        return min(cands, key=lambda t: (t.bbox[1], _apart(block.bbox, t.bbox)), default=None)  # type: ignore[index]
    # the lowest label of its page, with nothing in its column at the head of the next page: the
    # table flows on in the next page's first column, whose first label's row the broken row's
    # score stands above (the number nearest above it, under no other label of that column)
    heads = [o for o in blocks if o.page == block.page + 1 and o.kind == "indicator"]
    if not heads:
        if not placed:
            return None
        first_x = min(b[0] for b in placed)
        column = [b for b in placed if b[0] - first_x <= same_column]
        tol = st.column_alignment * size
        aligned = [t for t in next_tokens if t.bbox is not None and _score_like(t, False) and any(
            abs(t.bbox[0] - b[0]) <= tol or abs(t.bbox[2] - b[2]) <= tol for b in column)]
        return min(aligned, key=lambda t: t.bbox[1], default=None)  # type: ignore[index]
    left = min(o.bbox[0] for o in heads)
    head = min((o for o in heads if o.bbox[0] - left <= same_column), key=lambda o: o.bbox[1])
    above = [t for t in next_tokens if t.bbox is not None and t.bbox[3] <= head.bbox[1]
             and _apart(head.bbox, t.bbox) <= reach and _score_like(t, False)]
    return max(above, key=lambda t: t.bbox[1], default=None)  # type: ignore[index]


def _in_others_row(block: _Block, box: tuple[float, float, float, float], blocks: list[_Block]) -> bool:
    """Whether a token's ``box`` beside the label ``block`` (not under its own width) stands in the
    row of another label of its page (their heights sharing half the token's, or more): that row's
    (a pillar heading's change at the foot of the column left of the label's)."""
    if box[2] > block.bbox[0] and box[0] < block.bbox[2]:
        return False
    half = (box[3] - box[1]) / 2
    return any(o is not block and o.page == block.page and min(o.bbox[3], box[3]) - max(o.bbox[1], box[1]) >= half
               for o in blocks)


def _summary_nearby(block: _Block, tokens: list[Token], st: ScoreTableSettings) -> tuple[Token | None, Token | None]:
    """A summary score printed above or below its label (big numbers over a caption)."""
    bx0, by0, bx1, by1 = block.bbox
    size = block.size
    best: Token | None = None
    best_d = 1e9
    edge_slack, above_weight, reach, across = st.nearby_edge_slack, st.nearby_above_weight, st.nearby_reach, \
        st.nearby_across_weight
    for t in tokens:
        if not _score_like(t, True) or t.decimals < 1:  # a bare integer near a caption is a chart tick
            continue
        tx0, ty0, tx1, ty1 = t.bbox  # type: ignore[misc]
        if ty1 <= by0 + edge_slack:  # above the caption: less likely than below or level (a figure under its caption)
            dy, weight = by0 - ty1, above_weight
        elif ty0 >= by1 - edge_slack:
            dy, weight = ty0 - by1, 1.0
        else:
            dy, weight = 0.0, 1.0
        if dy > reach * max(size, t.size):
            continue
        # anywhere across the page (a figure right-aligned in the caption's box), nearer is better
        d = weight * max(dy, 0.0) + across * max(0.0, tx0 - bx1, bx0 - tx1)
        if d < best_d:
            best, best_d = t, d
    if best is None:
        return None, None
    row = [t for t in tokens if t is not best and t.bbox and abs((t.bbox[1] + t.bbox[3]) / 2 -
           (best.bbox[1] + best.bbox[3]) / 2) < st.nearby_row * best.size
           and 0 <= t.bbox[0] - best.bbox[2] < st.nearby_change_reach * best.size]
    row.sort(key=lambda t: t.bbox[0])  # type: ignore[index]
    arrows_then = [best, *row]
    _, change = interpret_cell(arrows_then, True, st)
    return best, change


def _heading_text(text: str) -> str:
    """A heading's words for comparison: casefolded, ``&`` as ``and``, spaces collapsed."""
    return " ".join(text.casefold().replace("&", " and ").split())
