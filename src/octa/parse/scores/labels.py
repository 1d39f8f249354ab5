"""Stage 5, labels and rows: a page's lines → runs of label words (segments, split at numbers, at
wide gaps and at a grid's rules) → label blocks (one segment or several stacked) matched to the
taxonomy's indicator labels and summary wordings → the blocks chosen, each segment used once.

Takes pages and the settings; gives the candidate blocks (``_segments``, ``_label_blocks``), the
best of them (``_select_blocks``), and the labels no one place holds whole: broken by the page
(``_page_broken_blocks``), by a column (``_column_broken_blocks``), or whose last words the page
cut off (``_cut_label_blocks``). A label inside running text is a mention, not a row
(``_in_running_text``, ``_without_mentions``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from octa import taxonomy
from octa.layout.page import Line, Page, Word, is_symbol_font
from octa.parse.scores.metadata import _summary_best
from octa.parse.scores.tokens import _CACHE, _DIGIT_CHAR, _LABEL_CACHE, _has_digit, _token_reading, parse_token
from octa.parse.settings import ScoreTableSettings


@dataclass
class _Segment:
    words: list[Word]
    page: int
    text: str = ""
    bbox: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    size: float = 0.0
    baseline: float = 0.0
    parts: tuple[int, ...] = ()  # ids of the segments a joined segment was made of
    #: x of the grid's vertical rules that the segment's words cross at its height: a label
    #: overflowing its cell (``INTERNATIONAL`` over the change cell's border and its ``0.00``)
    crossed: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        ws = self.words
        if not self.parts:
            self.parts = (id(self),)
        if len(ws) == 1:  # (most segments: a word alone)
            w = ws[0]
            self.text, self.bbox, self.size, self.baseline = w.text, (w.x0, w.y0, w.x1, w.y1), w.size, w.baseline
            return
        self.text = " ".join([w.text for w in ws])
        # the words' box and largest size in one pass: a value replaced only by a strictly smaller
        # (larger) one, as min() (max()) does, so the same value as theirs
        w = ws[0]
        x0, y0, x1, y1, size = w.x0, w.y0, w.x1, w.y1, w.size
        for w in islice(ws, 1, None):
            if w.x0 < x0:
                x0 = w.x0
            if w.y0 < y0:
                y0 = w.y0
            if w.x1 > x1:
                x1 = w.x1
            if w.y1 > y1:
                y1 = w.y1
            if w.size > size:
                size = w.size
        self.bbox, self.size = (x0, y0, x1, y1), size
        self.baseline = ws[0].baseline


@dataclass
class _Block:
    segments: list[_Segment]
    key: str
    kind: str  # "indicator" | "summary"
    similarity: float
    page: int = 0
    text: str = ""
    bbox: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    size: float = 0.0
    first_part: int = 0  # a label broken by its column: how many of its segments stand at the first column's foot

    def __post_init__(self) -> None:
        segs = self.segments
        self.page = segs[0].page
        self.text = " ".join(s.text for s in segs)
        # a label broken by the page or by its column: it stands where its first part is
        bs = [s.bbox for s in (segs[:self.first_part] if self.first_part else segs) if s.page == self.page]
        self.bbox = (min(b[0] for b in bs), min(b[1] for b in bs), max(b[2] for b in bs), max(b[3] for b in bs))
        self.size = max(s.size for s in segs)


def _is_labelish(word: Word) -> bool:
    # a glyph of a symbol font (an arrow drawn as ``M`` in ZapfDingbats) is never a label's letter
    return _labelish_text(word.text) and not (len(word.text) <= 2 and is_symbol_font(word.font))


@lru_cache(maxsize=_CACHE)
def _labelish_text(t: str) -> bool:
    if t in ("&", "-", "–", "/"):  # joiners inside labels (``A n t i - m o n e y`` when tracked wide)
        return True
    if parse_token(t) is not None or any(c.isdigit() for c in t):
        return False
    return any(c.isalpha() for c in t) or t in ("&", "-", "–", "/")


@lru_cache(maxsize=_LABEL_CACHE)
def _match_label(text: str) -> tuple[str, float] | None:
    return taxonomy.match_label(text)


@lru_cache(maxsize=_LABEL_CACHE)
def _in_order(text: str, indicator_id: str) -> float:
    """Similarity of ``text`` to the indicator's labels with the words kept in their order."""
    import rapidfuzz.fuzz as fuzz  # (not `from rapidfuzz import`: that runs importlib's Python on every call)

    ns = taxonomy.fold(text).replace(" ", "")
    labels = taxonomy.INDICATORS_BY_ID[indicator_id].all_labels
    return max(fuzz.ratio(ns, taxonomy.fold(lab).replace(" ", "")) for lab in labels)


class _Rules:
    """A page's vertical rules (a grid's cell borders: drawn boxes at most ``rule_max_width`` wide
    and at least ``rule_min_height`` tall), for asking whether one stands in the gap between two
    words of a line: words on either side of a border are in different cells, however close a
    label overflowing its cell brings them (``TRANSPARENCY`` | ``ENFORCEMENT``)."""

    def __init__(self, page: Page, st: ScoreTableSettings) -> None:
        max_width, min_height = st.rule_max_width, st.rule_min_height
        rules = sorted((r.x0, r.x1, r.y0, r.y1) for r in page.rects
                       if 0 <= r.x1 - r.x0 <= max_width and r.y1 - r.y0 >= min_height)
        self.rules = rules
        self.x0s = [r[0] for r in rules]
        self.slack = st.edge_slack

    def crossing(self, seg: _Segment) -> _Segment:
        """The segment, with the rules its words cross at its height (``crossed``) noted."""
        if self.rules:
            x0, y0, x1, y1 = seg.bbox
            mid, slack = (y0 + y1) / 2, self.slack
            lo, hi = bisect_right(self.x0s, x0 + slack), bisect_left(self.x0s, x1 - slack)
            if lo < hi:
                seg.crossed = tuple(r[0] for r in self.rules[lo:hi] if r[2] <= mid <= r[3])
        return seg

    def between(self, a: Word, b: Word) -> bool:
        """Whether a rule stands in the gap between ``a`` and ``b`` (``a`` left) at their height."""
        if not self.rules:
            return False
        mid = (max(a.y0, b.y0) + min(a.y1, b.y1)) / 2
        slack = self.slack
        lo = bisect_left(self.x0s, a.x1 - slack)
        hi = bisect_right(self.x0s, b.x0 + slack)
        return any(r[1] <= b.x0 + slack and r[2] <= mid <= r[3] for r in self.rules[lo:hi])


def _scale_words(words: Sequence[Word]) -> frozenset[int]:
    """Ids of the words of a line that start a scale right after a number (``out`` ``of`` of
    ``4.50 out of``): the number's, never a label's, whether or not the scale's digits follow."""
    out: set[int] = set()
    for k in range(len(words) - 2):
        if words[k + 1].text.lower() == "out" and words[k + 2].text.lower() == "of" and _has_digit(words[k].text) \
                and _token_reading(words[k].text) is not None:
            out.update((id(words[k + 1]), id(words[k + 2])))
    return frozenset(out)


def _segments(page: Page, st: ScoreTableSettings) -> list[_Segment]:
    """Runs of label words within each line, split at numbers and glyph tokens, at wide gaps and at
    the vertical rules of a grid."""
    segs: list[_Segment] = []
    others: list[Word] = []  # the words that are no label's (numbers, glyphs)
    rules = _Rules(page, st)
    word_gap = st.label_word_gap
    for line in page.lines:
        run: list[Word] = []
        words = line.words
        scale = _scale_words(words) if _DIGIT_CHAR.search(line.text) is not None else frozenset()
        for w in words:
            # a dash joins a label's words but never starts a label: one before a label is a change
            # printed as a dash (``10  –  Financial Crimes``); the words of a number's scale
            # (``4.50 out of``, its ``10`` wrapped under it) are the number's
            text = w.text  # (:func:`_is_labelish` written out: this runs for every word)
            if _labelish_text(text) and not (len(text) <= 2 and is_symbol_font(w.font)) \
                    and (run or text not in ("-", "–")) and id(w) not in scale:
                if run and (w.x0 - run[-1].x1 > word_gap * max(w.size, run[-1].size) or rules.between(run[-1], w)):
                    segs.append(rules.crossing(_Segment(run, page.number)))
                    run = []
                run.append(w)
            else:
                others.append(w)
                if run:
                    segs.append(rules.crossing(_Segment(run, page.number)))
                run = []
        if run:
            segs.append(rules.crossing(_Segment(run, page.number)))
    return segs + _joined_segments(segs, others, page.number, rules, st)


def _joined_segments(segs: list[_Segment], others: list[Word], page: int, rules: _Rules,
                     st: ScoreTableSettings) -> list[_Segment]:
    """Extra candidates: segments side by side on one baseline with a gap of up to three of their
    sizes and nothing between them (none of the page's ``others``, its words that are no label's,
    and no rule of a grid), joined (widely tracked or justified label words that the layout split into separate runs).
    The parts stay candidates on their own."""
    rows: dict[int, list[_Segment]] = {}
    for sg in segs:
        rows.setdefault(round(sg.baseline), []).append(sg)
    out: list[_Segment] = []
    max_words, join_gap, join_baseline, blocker = (st.max_label_words, st.join_gap, st.join_baseline,
                                                   st.join_blocker_baseline)
    for row in rows.values():
        row.sort(key=lambda sg: sg.bbox[0])
        for i, a in enumerate(row):
            chain = [a]
            for b in row[i + 1:i + max_words]:
                prev = chain[-1]
                gap = b.bbox[0] - prev.bbox[2]
                size = max(prev.size, b.size)
                if not (0 < gap <= join_gap * size) or abs(b.baseline - prev.baseline) > join_baseline * size or any(
                        prev.bbox[2] <= (w.x0 + w.x1) / 2 <= b.bbox[0] and abs(w.baseline - b.baseline) < blocker * size
                        for w in others) or rules.between(prev.words[-1], b.words[0]):
                    break
                chain.append(b)
                out.append(_Segment([w for sg in chain for w in sg.words], page,
                                    parts=tuple(i for sg in chain for i in sg.parts)))
    return out


def _below(a: _Segment, b: _Segment, st: ScoreTableSettings) -> bool:
    """Whether ``b`` continues ``a`` on the next line of the same cell."""
    ax0, ay0, ax1, ay1 = a.bbox
    bx0, by0, bx1, by1 = b.bbox
    size = max(a.size, b.size)
    step = b.baseline - a.baseline
    if not (st.min_line_step * size <= step <= st.max_line_step * size):
        return False
    if abs(a.size - b.size) > st.same_size * size:
        return False
    overlap = min(ax1, bx1) - max(ax0, bx0)
    column = st.column_alignment * size
    aligned = abs(ax0 - bx0) < column or abs(ax1 - bx1) < column
    return overlap > 0 and aligned


def _segments_under(page_segs: list[_Segment], st: ScoreTableSettings) -> dict[int, list[_Segment]]:
    """For each segment of a page (``page_segs`` in baseline order), by id, the segments that
    continue it on the next line of its cell (:func:`_below`), in their order: :func:`_below`
    written out over columns of the segments' baselines and sizes, since it pairs every segment
    with those up to a line step under it."""
    line_step, min_step, same_size, column_alignment = st.max_line_step, st.min_line_step, st.same_size, \
        st.column_alignment
    baselines = [s.baseline for s in page_segs]
    sizes = [s.size for s in page_segs]
    n = len(page_segs)
    nexts: dict[int, list[_Segment]] = {}
    for i, a in enumerate(page_segs):
        out = []
        ab, asize = baselines[i], sizes[i]
        ax0, _, ax1, _ = a.bbox
        for j in range(i + 1, n):  # (not a copy of the rest of the page for each)
            bsize = sizes[j]
            size = asize if asize > bsize else bsize  # max(a.size, b.size)
            step = baselines[j] - ab
            if step > line_step * size:
                break
            if step < min_step * size or abs(asize - bsize) > same_size * size:
                continue
            bx0, _, bx1, _ = page_segs[j].bbox
            column = column_alignment * size
            if (ax1 if ax1 < bx1 else bx1) - (ax0 if ax0 > bx0 else bx0) > 0 \
                    and (abs(ax0 - bx0) < column or abs(ax1 - bx1) < column):
                out.append(page_segs[j])
        nexts[id(a)] = out
    return nexts


@lru_cache(maxsize=_CACHE)
def _label_size(text: str) -> tuple[int, int]:
    """(words, letters) of a label text, counting a letter-spaced run (``H u m a n``) as one word
    and spaces as nothing, so that tracking never makes a label look like prose."""
    lengths = [len(w) for w in text.split()]
    letters = sum(lengths)
    if 1 not in lengths:
        return len(lengths), letters
    # a one-letter word after another one-letter word is part of the same tracked run
    return len(lengths) - sum(1 for a, b in zip(lengths, lengths[1:], strict=False) if a == b == 1), letters


def _chains(chain: list[_Segment], nexts: dict[int, list[_Segment]], st: ScoreTableSettings,
            letters: int = 0) -> Iterator[list[_Segment]]:
    """``chain`` and every chain of lines continuing it downwards: any branching up to
    ``branching_lines`` lines, then only a single way on up to ``max_label_lines`` (a label squeezed
    into a narrow cell, a syllable a line, has one line under another and nothing beside), as long
    as they are not longer than a label (``letters``: those of the chain so far)."""
    letters = letters or _label_size(chain[-1].text)[1]
    yield chain
    if len(chain) >= st.max_label_lines:
        return
    following = nexts[id(chain[-1])]
    if len(chain) < st.branching_lines or len(following) == 1:
        for b in following:
            more = letters + _label_size(b.text)[1]
            if more <= st.max_label_chars:
                yield from _chains([*chain, b], nexts, st, more)


def _label_blocks(segs: list[_Segment], st: ScoreTableSettings) -> list[_Block]:
    """Candidate label blocks (one to three stacked segments) matched to the taxonomy."""
    by_page: dict[int, list[_Segment]] = {}
    max_words, max_chars = st.max_label_words, st.max_label_chars
    for s in segs:
        n_words, n_chars = _label_size(s.text)
        if n_words <= max_words and n_chars <= max_chars:
            by_page.setdefault(s.page, []).append(s)
    cands: list[_Block] = []
    bonus, penalty = st.in_order_bonus, st.wrap_penalty
    summary_chars, summary_similarity = st.summary_max_chars, st.summary_similarity
    for page_segs in by_page.values():
        page_segs.sort(key=lambda s: s.baseline)
        nexts = _segments_under(page_segs, st)
        for a in page_segs:
            if not nexts[id(a)]:  # (most segments: nothing under them, the chain is the segment)
                chains: Iterable[list[_Segment]] = ([a],)
            else:
                chains = _chains([a], nexts, st)
            for chain in chains:  # (no longer than a label: _chains stops there)
                text = " ".join(s.text for s in chain)
                m = _match_label(text)
                if m:
                    sim = m[1]
                    if len(chain) > 1:  # stacked lines read top to bottom: words out of order are a
                        sim = min(sim, _in_order(text, m[0]) + bonus)  # neighbour's lines, not a wrap
                    cands.append(_Block(chain, m[0], "indicator", sim - penalty * (len(chain) - 1)))
                sm = _summary_best(text, summary_chars)  # (see _match_summary)
                if sm is not None and sm[1] >= summary_similarity:
                    cands.append(_Block(chain, sm[0], "summary", sm[1] - penalty * (len(chain) - 1)))
    return cands


def _select_blocks(cands: list[_Block]) -> list[_Block]:
    """Best non-overlapping label blocks, each segment used once."""
    chosen: list[_Block] = []
    used: set[int] = set()
    for b in sorted(cands, key=lambda b: (-b.similarity, len(b.segments), b.page, b.bbox[1], b.bbox[0])):
        ids = {i for s in b.segments for i in s.parts}
        if ids & used:
            continue
        chosen.append(b)
        used |= ids
    return chosen


def _followed(seg: _Segment, segs: list[_Segment], k: int, st: ScoreTableSettings) -> bool:
    """Whether a line continues ``seg`` (``segs[k]``) underneath (``segs`` in baseline order)."""
    for b in segs[k + 1:]:
        if b.baseline - seg.baseline > st.max_line_step * max(seg.size, b.size):
            return False
        if _below(seg, b, st):
            return True
    return False


def _free_segments(segs: list[_Segment], chosen: list[_Block],
                   st: ScoreTableSettings) -> tuple[set[str], dict[int, list[_Segment]]]:
    """What a broken label may still be made of: the indicators the chosen blocks read, and by page
    the single segments no chosen block holds, short enough to be part of a label."""
    used = {i for b in chosen for sg in b.segments for i in sg.parts}
    have = {b.key for b in chosen if b.kind == "indicator"}
    free: dict[int, list[_Segment]] = {}
    for sg in segs:
        if len(sg.parts) == 1 and sg.parts[0] not in used and _label_size(sg.text)[0] <= st.max_label_words:
            free.setdefault(sg.page, []).append(sg)
    return have, free


def _page_broken_blocks(segs: list[_Segment], chosen: list[_Block], st: ScoreTableSettings) -> list[_Block]:
    """Labels broken by a page (``Government`` / ``transparency &`` at the foot of one page,
    ``accountability`` at the head of the next): the lines left over at the foot of a page, in a
    column, joined with the lines left over at the head of the next page in the same column (past
    a repeated table header), or for a page's lowest line in the next page's first table column (a
    table flowing on from one column to the next), when together they match an indicator not read
    yet. The block stands where its first part is."""
    have, free = _free_segments(segs, chosen, st)
    for page_segs in free.values():
        page_segs.sort(key=lambda sg: sg.baseline)
    out: list[_Block] = []
    part_lines, header_lines, line_step = st.broken_part_lines, st.header_lines, st.max_line_step
    column_alignment, same_size, max_chars = st.column_alignment, st.same_size, st.max_label_chars
    bonus, penalty = st.in_order_bonus, st.wrap_penalty
    for page, page_segs in sorted(free.items()):
        nxt = free.get(page + 1, [])
        labels = [b for b in chosen if b.page == page]
        if not nxt or not labels:
            continue  # no table rows on the page, or nothing after it
        # a label broken by the page ends where the page's last rows are
        low = max(b.bbox[3] for b in labels) - part_lines * line_step * max(b.size for b in labels)
        baselines = [sg.baseline for sg in page_segs]
        reach = line_step * max(sg.size for sg in page_segs) + 1.0  # farther than any line above another
        for k, last in enumerate(page_segs):
            if last.baseline < low:
                continue
            column = column_alignment * last.size
            if any(b.bbox[1] > last.baseline and abs(b.bbox[0] - last.bbox[0]) < column for b in labels):
                continue  # a label of its column follows on its page: not a page's foot
            if _followed(last, page_segs, k, st):
                continue  # not the last line of its chain
            foot = [last]
            while len(foot) < part_lines:
                top = foot[0]  # the lines that may stand right above it (see _below), in a window
                window = page_segs[bisect_left(baselines, top.baseline - reach):bisect_right(baselines, top.baseline)]
                prev = [a for a in window if _below(a, top, st)]
                if not prev:
                    break
                foot.insert(0, prev[-1])
            # the head of the next page in the same column; for the page's lowest line, also in the
            # next page's first table column (a table flowing on from one column to the next; a
            # label standing lower in a column left of this one is before it in reading order)
            xs = [last.bbox[0]]
            firsts = [b.bbox[0] for b in chosen if b.page == page + 1 and b.kind == "indicator"]
            if firsts and not any(b.bbox[1] > last.baseline and b.bbox[2] > last.bbox[0] for b in labels) \
                    and abs(min(firsts) - last.bbox[0]) >= column:
                xs.append(min(firsts))
            overleafs = [list(islice((b for b in nxt if abs(b.bbox[0] - x) < column
                                      and abs(b.size - last.size) <= same_size * last.size), part_lines + header_lines))
                         for x in xs]
            best: _Block | None = None
            # (letters counted as the chain grows: a chain longer than any label stops growing)
            foot_letters = [sum(len(sg.text) - sg.text.count(" ") for sg in foot[i:]) for i in range(len(foot))]
            for i, overleaf in ((i, o) for o in overleafs for i in range(len(foot))):
                if foot_letters[i] > max_chars:
                    continue
                for j in range(min(header_lines + 1, len(overleaf))):  # past a repeated table header
                    head = [overleaf[j]]
                    for b in overleaf[j + 1:]:
                        if len(head) >= part_lines or not _below(head[-1], b, st):
                            break
                        head.append(b)
                    letters = foot_letters[i]
                    for h in range(1, len(head) + 1):
                        letters += len(head[h - 1].text) - head[h - 1].text.count(" ")
                        if letters > max_chars:
                            break
                        chain = foot[i:] + head[:h]
                        text = " ".join(sg.text for sg in chain)
                        m = _match_label(text)
                        if m is None or m[0] in have:
                            continue
                        sim = min(m[1], _in_order(text, m[0]) + bonus) - penalty * (len(chain) - 1)
                        if best is None or sim > best.similarity:
                            best = _Block(chain, m[0], "indicator", sim)
            if best is not None:
                out.append(best)
                have.add(best.key)
    return out


def _column_broken_blocks(segs: list[_Segment], chosen: list[_Block], st: ScoreTableSettings) -> list[_Block]:
    """Labels broken by a column of their page (``MAFIA-`` / ``STYLE`` at the foot of the left
    column, ``GROUPS`` atop the right one under the table's header repeated there; ``Government
    transparency`` / ``and accountability``): the lines left over at the foot of a column, under
    its lowest label, joined with the lines left over above the first label of the next column of
    the page (past a repeated table header; a pillar heading and its table's header may follow
    them), when together they match an indicator not read yet. The block stands where its first
    part is."""
    have, free = _free_segments(segs, chosen, st)
    out: list[_Block] = []
    part_lines, header_lines, line_step = st.broken_part_lines, st.header_lines, st.max_line_step
    column_alignment, same_size, max_chars = st.column_alignment, st.same_size, st.max_label_chars
    bonus, penalty = st.in_order_bonus, st.wrap_penalty
    for page, page_segs in sorted(free.items()):
        labels = [b for b in chosen if b.page == page and b.kind == "indicator"]
        if len(labels) < 2:
            continue
        page_segs.sort(key=lambda sg: sg.baseline)
        baselines = [sg.baseline for sg in page_segs]
        reach = line_step * max(sg.size for sg in page_segs) + 1.0
        for k, last in enumerate(page_segs):
            column = column_alignment * last.size
            mine = [b for b in labels if abs(b.bbox[0] - last.bbox[0]) < column]
            if not mine or any(b.bbox[1] > last.baseline for b in mine) or _followed(last, page_segs, k, st):
                continue  # no label in its column, a label follows it, or not the last line of its chain
            right = [b for b in labels if b.bbox[0] > last.bbox[2] and b.bbox[1] < last.baseline]
            if not right:
                continue
            x = min(b.bbox[0] for b in right)
            first = min((b for b in right if b.bbox[0] - x < column), key=lambda b: b.bbox[1])
            overleaf = [sg for sg in page_segs if abs(sg.bbox[0] - x) < column and sg.bbox[1] < first.bbox[1]
                        and abs(sg.size - last.size) <= same_size * last.size][-(part_lines + 2 * header_lines):]
            if not overleaf:
                continue
            foot = [last]
            while len(foot) < part_lines:
                top = foot[0]
                window = page_segs[bisect_left(baselines, top.baseline - reach):bisect_right(baselines, top.baseline)]
                prev = [a for a in window if _below(a, top, st)]
                if not prev:
                    break
                foot.insert(0, prev[-1])
            best: _Block | None = None
            for i in range(len(foot)):
                for j in range(len(overleaf)):  # past a repeated table header
                    head = [overleaf[j]]
                    for b in overleaf[j + 1:]:
                        if len(head) >= part_lines or not _below(head[-1], b, st):
                            break
                        head.append(b)
                    chain = foot[i:] + head
                    text = " ".join(sg.text for sg in chain)
                    m = _match_label(text) if _label_size(text)[1] <= max_chars else None
                    if m is None or m[0] in have:
                        continue
                    sim = min(m[1], _in_order(text, m[0]) + bonus) - penalty * (len(chain) - 1)
                    if best is None or sim > best.similarity:
                        best = _Block(chain, m[0], "indicator", sim, first_part=len(foot) - i)
            if best is not None:
                out.append(best)
                have.add(best.key)
    return out


class _WordLines:
    """The line of a page's word and its place in it, found by the word's baseline (a page's lines
    are sorted by baseline): no map of every word is built."""

    def __init__(self, pages: Sequence[Page]) -> None:
        self.pages = {p.number: p for p in pages}
        self.keys: dict[int, list[float]] = {}

    def get(self, w: Word) -> tuple[Line, int] | None:
        page = self.pages.get(w.page)
        if page is None:
            return None
        lines = page.lines
        keys = self.keys.get(w.page)
        if keys is None:
            keys = self.keys[w.page] = [ln.baseline for ln in lines]
        k = bisect_left(keys, w.baseline - 1.0)
        while k < len(lines) and keys[k] <= w.baseline + 1.0:
            for i, o in enumerate(lines[k].words):
                if o is w:
                    return lines[k], i
            k += 1
        return None


def _in_running_text(block: _Block, lines: _WordLines, st: ScoreTableSettings) -> bool:
    """Whether an indicator's label block stands inside a line of running text: the word right
    before its first word or right after its last word on that word's line is a word of letters,
    as close as words of one text (``In Lithuania, foreign actors have remained``). A table's
    label stands apart from its row's other words: numbers, bars, or a gap to the next cell."""
    reach = st.join_gap
    for w, step in ((block.segments[0].words[0], -1), (block.segments[-1].words[-1], 1)):
        at = lines.get(w)
        if at is None:
            continue
        line, i = at
        j = i + step
        if 0 <= j < len(line.words):
            o = line.words[j]
            gap = (w.x0 - o.x1) if step < 0 else (o.x0 - w.x1)
            if gap <= reach * max(w.size, o.size) and _is_labelish(o) and any(c.isalpha() for c in o.text):
                return True
    return False


def _without_mentions(blocks: list[_Block], inside: set[int]) -> list[_Block]:
    """The label blocks, less an indicator's label found inside running text (``inside``: ids of
    the blocks :func:`_in_running_text`; the narrative naming the indicator, on a page read for
    tables) where the same indicator's label also stands apart: a mention, not a row, whatever
    number stands near it."""
    apart = {b.key for b in blocks if b.kind == "indicator" and id(b) not in inside}
    return [b for b in blocks if id(b) not in inside or b.key not in apart]


def _edition_sets() -> tuple[frozenset[str], ...]:
    """The indicators of each edition of each index family (families read from a file too)."""
    return tuple(frozenset(i.id for i in taxonomy.indicators_of(f, y))
                 for f, years in taxonomy.EDITIONS.items() for y in years)


@lru_cache(maxsize=1)
def _label_starts() -> frozenset[str]:
    """Every run of first words of a label (folded): ``state``, ``state embedded``, ..."""
    out = set()
    for lab in taxonomy.label_index():
        words = lab.split()
        out.update(" ".join(words[:k]) for k in range(1, len(words)))
    return frozenset(out)


@lru_cache(maxsize=_LABEL_CACHE)
def _label_begun(text: str, least: float) -> str | None:
    """The one indicator whose label (or a variant) begins with the words of ``text`` and goes on
    after them, ``text`` holding at least ``least`` of its letters; None when no label or more
    than one indicator's does."""
    f = taxonomy.fold(text)
    if not f:
        return None
    found = {iid for lab, iid in taxonomy.label_index().items()
             if lab.startswith(f + " ") and len(f.replace(" ", "")) >= least * len(lab.replace(" ", ""))}
    return found.pop() if len(found) == 1 else None


def _cut_label_blocks(segs: list[_Segment], blocks: list[_Block], inside: set[int], lines: _WordLines,
                      st: ScoreTableSettings) -> list[_Block]:
    """Labels whose last words the page cut off (a row broken by the page, whose label's last
    line a browser did not draw at all: ``State-`` / ``embedded`` at the foot of page 1, no
    ``actors`` anywhere): a chain of lines of one column (as a wrapped label's, see
    :func:`_below`), standing apart from running text, with no label of the tables under it in
    its column on its page, whose words begin one indicator's label and no other's
    (``cut_label_letters`` of its letters or more), when that indicator's label stands nowhere
    else but inside running text (the narrative naming it). Only where the tables lack an
    indicator; the row is read as any other (its score must still be in its row). ``inside``: ids
    of the blocks in running text; ``lines``: the pages' lines, by word."""
    found = {b.key for b in blocks if b.kind == "indicator" and id(b) not in inside}
    if any(e <= found for e in _edition_sets()):
        return []
    used = {i for b in blocks for sg in b.segments for i in sg.parts}
    out: list[_Block] = []
    starts = _label_starts()
    for number in lines.pages:
        mine = [sg for sg in segs if sg.page == number and len(sg.parts) == 1]
        for sg in mine:
            if used & set(sg.parts) or taxonomy.fold(sg.text) not in starts:
                continue
            chain = [sg]
            while len(chain) < st.max_label_lines:
                under = [o for o in mine if o is not chain[-1] and not used & set(o.parts)
                         and 0 < o.baseline - chain[-1].baseline <= st.max_line_step * max(o.size, chain[-1].size)
                         and _below(chain[-1], o, st)]
                if len(under) != 1 or taxonomy.fold(" ".join(c.text for c in [*chain, under[0]])) not in starts:
                    break
                chain.append(under[0])
            key = _label_begun(" ".join(c.text for c in chain), st.cut_label_letters)
            if key is None or key in found:
                continue
            x0, x1 = min(c.bbox[0] for c in chain), max(c.bbox[2] for c in chain)
            bottom = chain[-1].bbox[3]
            if any(b.page == number and b.bbox[1] > bottom and b.bbox[0] < x1 and b.bbox[2] > x0
                   for b in blocks):
                continue  # the table goes on under it in its column: not cut by the page
            block = _Block(chain, key, "indicator", 0.0)
            if _in_running_text(block, lines, st):
                continue
            out.append(block)
            found.add(key)
            used |= {i for c in chain for i in c.parts}
    return out
