"""Stage 9, changes and their directions: the placed scores (stage 8) → each row's change, from the
placement the page's rows agree on (beyond the score, between label and score, or across the
label); then the arithmetic settles what the rows left open: rows with two readings, by the
printed pillar averages (``_decide_by_averages``), and changes printed without a sign or an icon
of their own, by the document's convention or the pillars' printed changes (``_resolve_unsigned``).

Takes :class:`_ScorePlacer`; gives :class:`_PdfReader`, the whole reader (``place_scores``,
``place_changes``, ``alternatives``), and the two settlements, which text mode uses too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction

from octa import taxonomy
from octa.layout.page import Page
from octa.parse.scores.cells import _apart, _Boxes, _in_label_word, _past_label
from octa.parse.scores.labels import _Block
from octa.parse.scores.placing import _ScorePlacer
from octa.parse.scores.results import ScoreRead, ScoreResult, _fmt_change, _pillar_fits, _set_change, _whole_pillar
from octa.parse.scores.tokens import Token, _bracketed, _merge_arrows, _score_like, _union, change_token
from octa.parse.settings import ScoreTableSettings


class _PdfReader(_ScorePlacer):
    """The reader of one PDF's score tables, whole: the scores placed (:class:`_ScorePlacer`),
    then the changes beside them, and each reading's other numbers that could have been its
    score."""

    def place_changes(self, res: ScoreResult) -> None:
        """Changes, once every score is placed (a change is never taken before the scores: an
        unsigned change and the next column's score look alike until the scores have claimed
        theirs). The page's placement of changes (beyond the score, between label and score, or
        across the label), by the rows where only one placement holds a change; each row then takes
        its change from the first placement in the page's order that has one left unclaimed."""
        st, used, bands = self.st, self.used, self.bands
        placed: list[tuple[_Block, ScoreRead]] = []
        for b in self.pending:
            target = res.summary if b.kind == "summary" else res.indicators
            read = target.get(b.key)
            if read is not None and read.block is b and read.score_token is not None:
                placed.append((b, read))
        # what a change's run stops at: the labels, and the scores placed (each page's); not a
        # label whose indicator another label's row holds (a group heading printed as the label of
        # its one indicator in capitals over that indicator's row, with no row of its own)
        def elsewhere(x: _Block) -> bool:
            read = res.indicators.get(x.key) if x.kind == "indicator" else None
            return read is not None and read.block is not None and read.block is not x

        stop_items: dict[int, list[tuple[tuple[float, float, float, float], object]]] = {
            p: [(x.bbox, x) for x in xs if not elsewhere(x)] for p, xs in self.on_page.items()}
        for r in (*res.indicators.values(), *res.summary.values()):
            t = r.score_token
            if t is not None and t.bbox is not None and t.page is not None:
                stop_items.setdefault(t.page, []).append((t.bbox, t))
        boxes = {p: _Boxes(items) for p, items in stop_items.items()}

        def unused(b: _Block, read: ScoreRead) -> Callable[[int, tuple[float, float, float, float], float], list[Token]]:
            pages = {b.page, read.page or b.page}  # the label's page and the score's

            def band(page: int, box: tuple[float, float, float, float], pad: float) -> list[Token]:
                return bands[page](box, pad, used) if page in pages and page in bands else []
            return band

        # votes by the side of the row the change stands on (right of label and score, left of
        # them, or between), so that a row laid out the other way round (a pillar heading printed
        # label, score, change over rows printed score, label, change) still finds it on the same side
        # (a row whose cell holds another number that could be its score votes not: its score may
        # still sit on its change, ``1.5`` beside ``3¹``, until the averages decide, and its
        # "change" then be its score)
        by_id = {id(t): t for ts in self.tokens_by_page.values() for t in ts}
        votes: dict[int, Counter[str]] = {}
        for b, read in placed:
            if b.kind != "indicator" or any(
                    i != id(read.score_token) and (t := by_id.get(i)) is not None and _score_like(t, False)
                    for i in self.cells.get(id(b), ())):
                continue
            opts = _change_beside(b, read, unused(b, read), boxes, st)
            if len(opts) == 1:
                votes.setdefault(b.page, Counter())[_side(next(iter(opts)), read.direction or 1)] += 1

        def order(page: int, direction: int) -> list[str]:
            v = votes.get(page, Counter())
            return sorted(_PLACEMENTS, key=lambda w: (-v[_side(w, direction)], _PLACEMENTS.index(w)))

        for rank in range(3):  # every row's first choice before any row's second
            for b, read in placed:
                if read.change_token is not None:
                    continue
                opts = _change_beside(b, read, unused(b, read), boxes, st)
                # a summary row on a page without indicator rows to say: the nearest of the
                # placements (to the score beyond or between, to the label across)
                wheres = order(b.page, read.direction or 1) if b.kind != "summary" or votes.get(b.page) else sorted(
                    _PLACEMENTS, key=lambda w: (_apart(opts[w].bbox, b.bbox if w == "opposite" else read.bbox)
                                                if w in opts else float("inf"), _PLACEMENTS.index(w)))
                change = opts.get(wheres[rank])
                if change is not None and not any(opts.get(w) is not None for w in wheres[:rank]):
                    used.update(change.ids)
                    _set_change(read, change)

    def alternatives(self, res: ScoreResult) -> dict[int, list[Token]]:
        """Each reading's other numbers that could have been its score (by ``id`` of the read), also
        counted in its ``alternatives``. A reading is unambiguous when nothing else in its cell could
        have been its score: any other number there that is not another row's score and could be a
        score (a change printed as a bare 1.5 could) makes it ambiguous."""
        scores_claimed = {id(r.score_token) for r in (*res.indicators.values(), *res.summary.values())}
        alts: dict[int, list[Token]] = {}
        position: dict[int | None, dict[int, int]] = {}  # per page, each token's place in the page's list
        for read in (*res.indicators.values(), *res.summary.values()):
            cell = self.cells.get(id(read.block), frozenset())
            summary = read.key in taxonomy.SUMMARY_IDS
            page_tokens = self.tokens_by_page.get(read.page, [])
            at = position.get(read.page)
            if at is None:
                at = position[read.page] = {id(t): k for k, t in enumerate(page_tokens)}
            in_cell = sorted((page_tokens[k] for k in sorted(at[i] for i in cell if i in at)),  # in the page's order
                             key=lambda t: t.bbox[0] if t.bbox else 0.0)
            marked = {i for m in _merge_arrows(in_cell, self.st) if m.kind == "num" and m.sign != 0 for i in m.ids}
            found = [t for t in in_cell
                     if id(t) not in scores_claimed and id(t) not in marked and _score_like(t, summary)]
            read.alternatives = len(found)
            alts[id(read)] = found
        return alts


#: Where a change may stand against its score and label (see ``_change_beside``), nearest first.
_PLACEMENTS = ("beyond", "between", "opposite")


def _side(placement: str, direction: int) -> str:
    """The side of the row a placement is on, for a row whose score stands on side ``direction``."""
    if placement == "between":
        return "between"
    return "right" if (placement == "beyond") == (direction > 0) else "left"


def _change_beside(block: _Block, read: ScoreRead,
                   in_band: Callable[[int, tuple[float, float, float, float], float], list[Token]],
                   boxes: dict[int, _Boxes], st: ScoreTableSettings) -> dict[str, Token]:
    """Where the change of a placed score may be, by placement: ``beyond`` (on the score's row,
    past the score, up to the next label or claimed score), ``between`` (between the label and
    its score), ``opposite`` (on the label's other side, up to the next label). ``in_band(page,
    box, pad)`` gives the unclaimed tokens of a page whose middle is in the box's height (``pad`` more on
    either side); ``boxes`` holds, per page, the boxes of the labels and of the placed scores."""
    s = read.score_token
    assert s is not None and s.bbox is not None
    size = max(s.size, block.size, 1.0)
    direction = read.direction or 1
    need, run_gap, row_pad, slack = st.shared_height * size, st.change_run_gap * size, st.row_band_pad, st.edge_slack

    def run(cands: list[Token], start: float, d: int, band: tuple[float, float, float, float],
            page: int | None = None, from_label: bool = False) -> list[Token]:
        """The contiguous run of tokens from ``start`` in direction ``d`` (from the label's edge
        beside each token with ``from_label``)."""
        if not cands:
            return []
        page = page or block.page

        # the run ends at the first other label or claimed score that shares any of the band's
        # height (a label of the next table column, however its lines fall against this row)
        lo, hi = band[1], band[3]
        near = boxes[page].sharing(lo, hi) if page in boxes else []
        stops = [x for box, owner in near if owner is not block and owner is not s
                 and (box[3] if box[3] < hi else hi) - (box[1] if box[1] > lo else lo) > need
                 and ((x := box[0] if d > 0 else box[2]) - start) * d > 0]
        limit = min((abs(x - start) for x in stops), default=1e9)
        out = [t for t in cands if (t.bbox[0] - start if d > 0 else start - t.bbox[2]) < limit  # type: ignore[index]
               and (_past_label(block, t, d, st) is not None if from_label
                    else 0 <= (t.bbox[0] - start if d > 0 else start - t.bbox[2]))  # type: ignore[index]
               and not _in_label_word(block, t, st) and not _owned_on_the_way(t, start, d, page)]
        out.sort(key=lambda t: t.bbox[0] * d)  # type: ignore[index]
        cell: list[Token] = []
        for t in out:  # a contiguous run: a wide gap ends it
            if cell:
                prev = cell[-1]
                gap = (t.bbox[0] - prev.bbox[2]) if d > 0 else (prev.bbox[0] - t.bbox[2])  # type: ignore[index]
                if gap > run_gap:
                    break
            cell.append(t)
        return cell

    def _owned_on_the_way(t: Token, start: float, d: int, page: int) -> bool:
        """Whether another label or placed score stands between ``start`` and ``t`` on ``t``'s own
        line (its box holds the token's middle height): the token is that row's (a pillar heading's
        change in the next table column, level with this row's score), never this one's."""
        assert t.bbox is not None
        mid = (t.bbox[1] + t.bbox[3]) / 2
        for box, owner in boxes[page].sharing(mid, mid) if page in boxes else ():
            if owner is block or owner is s or not box[1] <= mid <= box[3]:
                continue
            if (box[0] >= start and box[2] <= t.bbox[0]) if d > 0 else (box[2] <= start and box[0] >= t.bbox[2]):
                return True
        return False

    # a row broken by the page (label at the foot, score overleaf) or by its column (the score atop
    # the next column, above the label): the change is read from the label
    over_page = s.page != block.page or (read.how == "below" and s.bbox[3] <= block.bbox[1])
    row = in_band(s.page or block.page, s.bbox, row_pad * size)
    out: dict[str, Token] = {}
    beyond = change_token(run(row, s.bbox[2] if direction > 0 else s.bbox[0], direction, s.bbox, s.page), st)
    if beyond is None and read.how == "below":  # a grid cell: the change centred on label and score
        both = block.bbox if over_page else _union(block.bbox, s.bbox)
        row = in_band(block.page, both, row_pad * size)  # type: ignore[arg-type]
        if over_page:  # the score overleaf: from the label's edge
            beyond = change_token(run(row, block.bbox[2], 1, both, from_label=True), st)  # type: ignore[arg-type]
        else:  # from the score (a label's lines may overflow its cell over the change column)
            beyond = change_token(run(row, s.bbox[2], 1, both), st)  # type: ignore[arg-type]
    if beyond is not None:
        out["beyond"] = beyond
    if read.how == "row":  # between the label and its score; on the label's other side
        edge = block.bbox[2] if direction > 0 else block.bbox[0]
        between = [t for t in row if t.bbox is not None
                   and (edge - slack <= t.bbox[0] and t.bbox[2] <= s.bbox[0] + slack if direction > 0
                        else s.bbox[2] - slack <= t.bbox[0] and t.bbox[2] <= edge + slack)]
        got = change_token(between, st) if between else None
        if got is not None:
            out["between"] = got
        other = in_band(block.page, block.bbox, row_pad * block.size)
        side = run(other, block.bbox[0] if direction > 0 else block.bbox[2], -direction, block.bbox, from_label=True)
        got = change_token(side, st) if side else None
        if got is not None:
            out["opposite"] = got
    return out


def _decide_by_averages(res: ScoreResult, alts: dict[int, list[Token]]) -> None:
    """Where rows left two readings (the score, or the other bare number of the row: ``7.50 1.50``
    read either way), the printed pillar averages decide between the two page-wide readings: every
    ambiguous row as read, or every ambiguous row the other way round. The other reading is kept
    only when it reproduces more printed averages; otherwise nothing changes (and the rows stay
    unconfirmed unless something else confirms them)."""
    ambiguous = [r for r in res.indicators.values() if len(alts.get(id(r), ())) == 1]
    if not ambiguous:
        return
    before = _pillar_fits(res)
    saved = [(r, r.score, r.score_token, r.change, r.change_printed, r.change_sign_unknown, r.change_token,
              r.change_unsigned, r.bbox) for r in ambiguous]
    for r in ambiguous:
        alt = alts[id(r)][0]
        old = r.score_token
        r.score, r.score_token, r.bbox = alt.value, alt, alt.bbox
        if old is not None:
            _set_change(r, old)
    if _pillar_fits(res) > before:
        for r in ambiguous:
            r.alternatives = 0  # decided by the arithmetic: the averages confirm it
            r.how = "average"
        return
    for r, score, tok, change, printed, unknown, ctok, unsigned, bbox in saved:
        r.score, r.score_token, r.change, r.change_printed, r.change_sign_unknown = score, tok, change, printed, unknown
        r.change_token, r.change_unsigned, r.bbox = ctok, unsigned, bbox


def _resolve_unsigned(res: ScoreResult, st: ScoreTableSettings, pages: Sequence[Page] = (),
                      printed: Iterable[Token] = ()) -> None:
    """The direction of changes printed without a sign and without an icon of their own (a number
    with one took the icon's sign when it was read: :func:`_mark_changes`). Brackets mark decreases
    where the document sets them against plain or plus-marked increases; an unsigned number is an
    increase only where the document marks decreases with a minus or a down arrow and never marks
    an increase (the convention of plain numbers), and draws no direction icons; anywhere else its
    sign is unknown, and the change is left out (``change_sign_unknown``) rather than guessed. Then
    the pillars' printed changes may fix what is left (:func:`_signs_by_pillar_change`)."""
    reads = [r for r in (*res.indicators.values(), *res.summary.values()) if r.change_token is not None]
    icons = {p.number: p.icons for p in pages}
    marked_down = marked_up = False
    # every sign the tables print (a rank's own change, ``+3``, is an integer and says nothing)
    signed = [*(r.change_token for r in reads), *(t for t in printed if t.kind == "num" and t.decimals >= 1)]
    for t in signed:
        if t is not None and t.kind == "num" and t.sign:
            marked_down |= t.sign < 0
            marked_up |= t.sign > 0
    pending = [r for r in reads if r.change_unsigned]
    bracketed = [r for r in pending if _bracketed(r.change_token)]  # type: ignore[arg-type]
    plain = [r for r in pending if not _bracketed(r.change_token)]  # type: ignore[arg-type]
    # Brackets mark decreases (the accounting convention) where the document sets them against
    # plain or plus-marked increases and never uses a minus
    brackets_down = bool(bracketed) and not marked_down and bool(plain or marked_up)
    # (a number with its own icon got the icon's sign when it was read: see _mark_changes)
    no_icons = not any(icons.values())
    for r in pending:
        t = r.change_token
        sign = None
        if brackets_down and no_icons:
            sign = -1 if r in bracketed else (1 if not marked_up else None)
        if sign is not None:
            r.change = abs(t.value) * sign  # type: ignore[union-attr,operator]
            r.change_printed = _fmt_change(r.change, t.decimals)  # type: ignore[union-attr]
            r.change_sign_unknown = False
        elif not (marked_down and not marked_up and no_icons and r not in bracketed):
            # no convention either: the direction is unknown, and the change is left out
            r.change_printed = t.text if t is not None else None
            r.change = None
            r.change_sign_unknown = True
    _signs_by_pillar_change(res, st)


def _signs_by_pillar_change(res: ScoreResult, st: ScoreTableSettings) -> None:
    """Changes whose direction could not be read, fixed by the arithmetic: where a pillar is whole,
    no indicator of it is new (``n/a``), and its own change is printed with a sign, the mean of its
    indicators' changes is that change (a pillar's change is the difference of the unrounded
    means). The one assignment of directions that reproduces it, if only one does, is taken."""
    from itertools import product

    from octa.scoring import round2

    for pillar in taxonomy.PILLARS:
        printed = res.summary.get(pillar)
        if printed is None or printed.change is None:
            continue
        if _whole_pillar(res, pillar) is None:
            continue
        reads = [r for k, r in res.indicators.items() if taxonomy.INDICATORS_BY_ID[k].pillar == pillar]
        unknown = [r for r in reads if r.change_sign_unknown and r.change_token is not None
                   and r.change_token.value is not None]
        if not unknown or len(unknown) > st.max_unknown_signs:
            continue
        known = [r.change for r in reads if r not in unknown]
        if any(c is None for c in known):
            continue  # a new indicator or an unread change: the identity does not hold
        base = sum(known, Fraction(0))
        fits = [signs for signs in product((1, -1), repeat=len(unknown))
                if Fraction(round2((base + sum(s * r.change_token.value for s, r in zip(signs, unknown, strict=True)))  # type: ignore[union-attr,operator]
                                   / len(reads))) == printed.change]
        if len(fits) != 1:
            continue
        for sign, r in zip(fits[0], unknown, strict=True):
            t = r.change_token
            r.change = t.value * sign  # type: ignore[union-attr,operator]
            r.change_printed = _fmt_change(r.change, t.decimals)  # type: ignore[union-attr,arg-type]
            r.change_sign_unknown = False
