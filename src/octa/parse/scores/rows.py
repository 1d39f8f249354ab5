"""Stage 7, the rows and how to read them: the pages read, their label blocks and their tokens →
the reader's state (:class:`_ReaderState`): each label's cells by geometry alone (and the change
columns they show), each page's reading direction voted by its rows (the score beside the label,
or under it), the score columns of its indicator rows, the labels in reading order, and each
label's best reading of the tokens not yet claimed (a :class:`_Candidate`: its score and where).

Takes blocks and tokens by page (stages 4 to 6); gives the state the placing stage works on, and
``_score_below`` (a score printed under its label).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

from octa.layout.page import Page
from octa.parse.scores.cells import _apart, _Band, _Box, _Boxes, _cell_tokens, _mark_change_columns, _marks
from octa.parse.scores.labels import _Block, _match_label
from octa.parse.scores.tokens import _DIGIT_CHAR, _NOTE_MARK, Token, _score_like, interpret_cell, unread_score
from octa.parse.settings import ScoreTableSettings


class _ReaderState:
    """The state of one PDF's score tables while they are read: the settings, the pages read, the
    label blocks, each page's tokens and the structures that look them up by height, each label's
    cells by geometry alone, each page's reading direction and placement (voted by its rows), and
    the tokens claimed so far (``used``)."""

    def __init__(self, st: ScoreTableSettings, pages: list[Page], blocks: list[_Block],
                 tokens_by_page: dict[int, list[Token]]) -> None:
        self.st = st
        self.pages = pages
        self.blocks = blocks
        self.tokens_by_page = tokens_by_page
        self.width = {p.number: p.width for p in pages}
        self.marks = {p.number: _marks(p, st) for p in pages}
        self.bands = {p: _Band(ts) for p, ts in tokens_by_page.items()}
        on_page: dict[int, list[_Block]] = {}
        for x in blocks:
            on_page.setdefault(x.page, []).append(x)
        self.on_page = on_page
        self.label_boxes = {p: _Boxes([(x.bbox, x) for x in xs]) for p, xs in on_page.items()}
        #: ids of the tokens claimed (scores, changes): one set, updated in place
        self.used: set[int] = set()
        #: the tokens of each placed label's cell (by ``id`` of the label block)
        self.cells: dict[int, frozenset[int]] = {}
        #: labels whose score's place holds a token not understood (by ``id`` of the label block)
        self.unread: dict[int, Token] = {}
        # every label's cell on either side, by geometry alone (roles do not change them); where a
        # gap ended a cell, again with the columns of the pairs the page's cells joined
        self.joins: dict[int, list[tuple[_Box, _Box]]] = {}
        self.base_cells = {}
        joins: dict[int, list[tuple[_Box, _Box]]] = {}
        split: list[_Block] = []
        for b in blocks:
            seen: list[tuple[_Box, _Box, bool]] = []
            for d, cell in self.cell_of(b, set(), (1, -1), seen).items():
                self.base_cells[(id(b), d)] = cell
            joins.setdefault(b.page, []).extend((left, right) for left, right, gap in seen if not gap)
            if any(gap for _, _, gap in seen):
                split.append(b)
        self.joins = joins
        for b in split:  # (only a cell a gap ended can change)
            if self.joins[b.page]:
                for d, cell in self.cell_of(b, set(), (1, -1)).items():
                    self.base_cells[(id(b), d)] = cell
        for p in pages:
            _mark_change_columns(blocks, p, self.base_cells, st)
        self.directions, self.below_pages = self._vote_directions()
        self.score_columns = self._score_columns()
        self.pending = self._reading_order()

    def cell_of(self, b: _Block, claimed: set[int], sides: Iterable[int],
                pairs: list[tuple[_Box, _Box, bool]] | None = None) -> dict[int, list[Token]]:
        """The label's cell on each side, of the tokens not claimed (``pairs``: see :func:`_cell_tokens`)."""
        pad = self.st.row_band_pad * b.size
        row = self.bands[b.page](b.bbox, pad, claimed)  # the tokens of the label's row band
        beside = [x for _, x in self.label_boxes[b.page].sharing(b.bbox[1] - pad, b.bbox[3] + pad + 1.0)]
        return _cell_tokens(b, row, beside, sides, self.width[b.page], self.st,  # type: ignore[arg-type]
                            self.marks[b.page], self.joins.get(b.page, ()), pairs)

    def under(self, b: _Block, claimed: set[int]) -> list[Token]:
        """The tokens not claimed whose top is on the line under the label (see _score_below)."""
        st = self.st
        return self.bands[b.page].starting(b.bbox[3] - st.below_top_slack * b.size,
                                           b.bbox[3] + st.below_line_reach * b.size, claimed)

    def _vote_directions(self) -> tuple[dict[int, int], set[int]]:
        """Reading direction per page: the side of the label where its score sits, by majority vote
        of the indicator rows. A page whose scores stand under their labels (more labels with a
        score right under them than beside them) is read that way only (the pages returned). A page
        with too few rows to say (the last rows of a table, overleaf) reads like the table's other
        pages."""
        st, blocks, base_cells = self.st, self.blocks, self.base_cells
        directions: dict[int, int] = {}
        below_pages: set[int] = set()
        page_votes: dict[int, Counter[int]] = {}
        for p in self.pages:
            votes = page_votes[p.number] = Counter()
            for b in blocks:
                if b.page != p.number or b.kind != "indicator":
                    continue
                for d in (1, -1):
                    s, _ = interpret_cell(base_cells[(id(b), d)], settings=st, label_size=b.size)
                    if s is not None:
                        votes[d] += 1
                if _score_below(b, self.under(b, set()), self.on_page[p.number], st) is not None:
                    votes[0] += 1
        everywhere = sum(page_votes.values(), Counter())
        for p in self.pages:
            votes = page_votes[p.number]
            if sum(1 for b in blocks if b.page == p.number and b.kind == "indicator") < st.page_rows:
                votes = everywhere
            directions[p.number] = 1 if votes[1] >= votes[-1] else -1
            if votes[0] > max(votes[1], votes[-1]):
                below_pages.add(p.number)
                directions[p.number] = 1
        return directions, below_pages

    def _score_columns(self) -> dict[int, Counter[tuple[int, int]]]:
        """The x edges of the numbers the indicator rows would read as their scores, per page: a
        summary label read against the page's direction may not take a number standing in that
        column."""
        score_columns: dict[int, Counter[tuple[int, int]]] = {}
        for b in self.blocks:
            if b.kind != "indicator" or b.page in self.below_pages:
                continue
            sc, _ = interpret_cell(self.base_cells[(id(b), self.directions[b.page])], settings=self.st,
                                   label_size=b.size)
            if sc is not None and sc.bbox is not None:
                col = score_columns.setdefault(b.page, Counter())
                col[(0, round(sc.bbox[0]))] += 1
                col[(2, round(sc.bbox[2]))] += 1
        return score_columns

    def _reading_order(self) -> list[_Block]:
        """The labels in reading order; a summary label only where it first appears (the headline
        before the tables; the same words later are headings of the narrative or of a table)."""
        pending = sorted(self.blocks, key=lambda b: (b.page, b.bbox[1], b.bbox[0]))
        first_page: dict[str, int] = {}
        for b in pending:
            if b.kind == "summary":
                first_page.setdefault(b.key, b.page)
        return [b for b in pending if b.kind != "summary" or (b.page == first_page[b.key]
                                                               and not self._heads_prose(b))]

    def _heads_prose(self, b: _Block) -> bool:
        """Whether the summary label ``b`` is a heading of the narrative (which may start beside the
        tables or under them): in its column under it, within ``prose_heading_window`` lines and
        before any line holding a number or an indicator's label, a line of running text
        (``prose_run_words`` words of letters or more). A table's caption or pillar heading has its
        numbers or rows under it; a line that starts with a footnote mark is a note (a table's
        last row, a pillar's, may have the note on its table's marks under it), not running text."""
        st = self.st
        page = next((p for p in self.pages if p.number == b.page), None)
        if page is None:
            return False
        x0, bottom = b.bbox[0], b.bbox[3]
        reach = st.label_word_gap * b.size
        under = sorted((ln for ln in page.lines if ln.y0 >= bottom - 1.0 and abs(ln.x0 - x0) <= reach),
                       key=lambda ln: ln.y0)
        for ln in under[:st.prose_heading_window]:
            if _NOTE_MARK.match(ln.text) is not None:
                continue  # a note under the table, explaining a mark (``* Score revised ...``): not prose
            if _DIGIT_CHAR.search(ln.text) is not None:
                return False
            if len(ln.text) <= st.max_label_chars and (m := _match_label(ln.text)) is not None \
                    and m[1] >= st.table_label_similarity:
                return False  # an indicator's label: the table's rows follow
            words = [w for w in ln.words if len(w.text) >= 2 and w.text[:2].isalpha()]
            if len(words) >= st.prose_run_words:
                return True
        return False

    def candidate(self, n: int, b: _Block) -> _Candidate | None:
        """The label's best reading of the tokens not claimed (``n``: its place in reading order)."""
        st, used = self.st, self.used
        summary = b.kind == "summary"
        best_c = None
        if not summary and b.page in self.below_pages:
            t = _score_below(b, self.under(b, used), self.on_page[b.page], st)
            if t is None or t.bbox is None:
                return None
            return _Candidate(t.bbox[1] - b.bbox[3], n, b, t, None, 1, frozenset((id(t),)))
        direction = self.directions[b.page]
        sides = (direction, -direction)
        both = self.cell_of(b, used, sides)
        bad = unread_score(both[direction], summary, st)
        if bad is not None:  # the score's place holds a token not understood: no other number is its score
            self.unread.setdefault(id(b), bad)
            return None
        for d in sides:
            cell = both[d]
            score, change = interpret_cell(cell, summary, st, 0.0 if summary else b.size)
            if score is None or score.bbox is None:
                continue
            edge = b.bbox[2] if d > 0 else b.bbox[0]
            dist = abs((score.bbox[0] if d > 0 else score.bbox[2]) - edge)
            if not summary and d != direction:
                dist += st.cross_direction_penalty * self.width[b.page]
            if summary and d != direction and _in_score_column(score, self.score_columns.get(b.page, Counter())):
                continue  # a number of the indicators' score column belongs to an indicator row
            c = _Candidate(dist, n, b, score, change, d, frozenset(id(t) for t in cell))
            if best_c is None or c.order < best_c.order:
                best_c = c
        return best_c


class _Candidate(NamedTuple):
    """A label's best reading while scores are placed: nearest pair first (``order``)."""

    dist: float  # from the label's edge to the score (farther on the page's other side)
    n: int  # the label's place in reading order (ties)
    block: _Block
    score: Token
    change: Token | None
    direction: int  # +1 the score right of the label, -1 left, 1 under it
    cell: frozenset[int]  # ids of the cell's tokens: a reading to redo once one of them is claimed

    @property
    def order(self) -> tuple[float, int]:
        return self.dist, self.n


def _in_score_column(t: Token, columns: Counter[tuple[int, int]]) -> bool:
    if t.bbox is None:
        return False
    return any(columns[(edge, round(t.bbox[edge]) + k)] >= 2 for edge in (0, 2) for k in (-1, 0, 1))


def _score_below(block: _Block, tokens: list[Token], blocks: list[_Block], st: ScoreTableSettings) -> Token | None:
    """A score printed under its label (label above, numbers on the next line), before any other
    label below it (of ``tokens``: those whose top is on that line, or more)."""
    bx0, by0, bx1, by1 = block.bbox
    size = block.size
    best: tuple[tuple[int, int, float], Token] | None = None
    top_slack, line_reach, same_column = st.below_top_slack, st.below_line_reach, st.same_column * size
    reach, quantum = st.below_reach * size, st.below_line_quantum * size
    for t in tokens:
        if t.page != block.page or t.bbox is None:
            continue
        tx0, ty0, tx1, ty1 = t.bbox
        if not (by1 - top_slack * size <= ty0 <= by1 + line_reach * size) or _apart(block.bbox, t.bbox) > reach:
            continue
        if not _score_like(t, False):
            continue
        # a number set in its cell away from a short label (right-aligned, centred) is the label's
        # when no other label ends just above it nearer to it
        if any(o is not block and o.page == block.page and ty0 - line_reach * o.size <= o.bbox[3] <= ty0 + top_slack * o.size
               and _apart(o.bbox, t.bbox) < _apart(block.bbox, t.bbox) for o in blocks):
            continue
        if any(o is not block and o.page == block.page and by1 - top_slack * size < o.bbox[1] < ty0
               and _apart(o.bbox, t.bbox) < same_column for o in blocks):
            continue
        # the first line under it (a number whose top is above the label's foot, within the tolerance
        # of tight leading, is on that line, not before it), then a number standing under the
        # label's own width before one beside it (the next column's row), then the leftmost
        key = (max(0, round((ty0 - by1) / quantum)), 0 if tx1 > bx0 and tx0 < bx1 else 1, abs(tx0 - bx0))
        if best is None or key < best[0]:
            best = (key, t)
    return best[1] if best else None
