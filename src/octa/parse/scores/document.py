"""Stage 11, the document: a :class:`~octa.layout.Document` → its :class:`ScoreResult`
(:func:`parse_document`): the table pages (the first ones, then each next one while the table goes
on), their labels and tokens through stages 4 to 10, then the metadata: ranks (by the summary
label each rank line stands under or nearest), family, year, and the country (title lines first).

Takes a document, the count of pages to read and the settings; gives the result.
"""

from __future__ import annotations

from bisect import bisect_right

import regex

from octa.layout.page import Document, Line, Page
from octa.parse.scores.bars import _bar_pairs, _bar_series, _read_bars, _too_coarse
from octa.parse.scores.changes import _decide_by_averages, _PdfReader, _resolve_unsigned
from octa.parse.scores.labels import (
    _Block,
    _column_broken_blocks,
    _cut_label_blocks,
    _in_running_text,
    _label_blocks,
    _page_broken_blocks,
    _Segment,
    _segments,
    _select_blocks,
    _without_mentions,
    _WordLines,
)
from octa.parse.scores.metadata import detect_country, detect_family, detect_year, parse_rank_text, rank_is_tie
from octa.parse.scores.results import RankRead, ScoreResult
from octa.parse.scores.tokens import Token
from octa.parse.scores.words import _furniture_words, _tokens
from octa.parse.settings import DEFAULT_SETTINGS, ScoreTableSettings


def parse_document(doc: Document, max_table_pages: int = 3, *,
                   settings: ScoreTableSettings | None = None) -> ScoreResult:
    """Read the score tables of a profile PDF (from its layout model): the first
    ``max_table_pages`` pages, and the pages after them as long as the table goes on (up to
    ``table_pages_limit``). ``settings``: the thresholds (:data:`DEFAULT_SETTINGS` when None)."""
    st = DEFAULT_SETTINGS if settings is None else settings
    res = ScoreResult()
    furniture = _furniture_words(doc, st)
    pages, segs, cands, tokens_by_page = _table_pages(doc, max_table_pages, st, furniture)
    blocks = _select_blocks(cands)
    blocks += _column_broken_blocks(segs, blocks, st)  # (before the page's: a column's foot is not a page's)
    blocks += _page_broken_blocks(segs, blocks, st)
    lines = _WordLines(pages)
    inside = {id(b) for b in blocks if b.kind == "indicator" and _in_running_text(b, lines, st)}
    blocks += _cut_label_blocks(segs, blocks, inside, lines, st)
    blocks = _without_mentions(blocks, inside)
    for p in pages:
        if p.number not in tokens_by_page:
            tokens_by_page[p.number] = _tokens(p, st, furniture)
    reader = _PdfReader(st, pages, blocks, tokens_by_page)
    reader.place_scores(res)
    reader.place_changes(res)
    _decide_by_averages(res, reader.alternatives(res))
    _resolve_unsigned(res, st, pages, (t for p in pages for t in tokens_by_page[p.number] if t.sign))
    res.table_pages.sort()
    pairs = {p.number: _bar_pairs(p.rects, st) for p in pages}
    charted = _bar_series([pair for found in pairs.values() for pair in found], st)
    if _too_coarse(charted, st):
        charted = []  # bars that cannot tell one score from the next check none
    tracks = {id(t) for t, _ in charted}
    for p in pages:
        _read_bars(res, p, [pair for pair in pairs[p.number] if id(pair[0]) in tracks], st)
    _read_metadata(res, doc, pages, blocks, max_table_pages, st)
    return res


def _table_pages(doc: Document, max_table_pages: int, st: ScoreTableSettings,
                 furniture: frozenset[int] = frozenset()) -> tuple[list[Page], list[_Segment], list[_Block], dict[int, list[Token]]]:
    """The pages read for score tables (the first ``max_table_pages``, then each next one while the
    last one read still holds table rows), their label segments, the candidate label blocks, and
    the tokens of the pages read so far (by page number; ``furniture``: the ids of the words of the
    document's page furniture, no tokens)."""
    pages = list(doc.pages[:max_table_pages])
    segs: list[_Segment] = []
    for p in pages:
        segs.extend(_segments(p, st))
    cands = _label_blocks(segs, st)
    tokens_by_page: dict[int, list[Token]] = {}
    while len(pages) < min(len(doc.pages), st.table_pages_limit) and pages \
            and _table_goes_on(pages[-1], cands, tokens_by_page, st, furniture):
        more = _segments(doc.pages[len(pages)], st)
        pages.append(doc.pages[len(pages)])
        segs.extend(more)
        cands.extend(_label_blocks(more, st))
    return pages, segs, cands, tokens_by_page


def _table_goes_on(page: Page, cands: list[_Block], tokens: dict[int, list[Token]], st: ScoreTableSettings,
                   furniture: frozenset[int] = frozenset()) -> bool:
    """Whether a page holds score-table rows (so the table may go on overleaf): three indicator
    labels or more standing alone on their lines, and as many numbers outside running text (see
    ``table_min_labels``). ``tokens``: the tokens of the pages read so far, by page (this page's
    kept when read here)."""
    labels = {b.key for b in cands if b.page == page.number and b.kind == "indicator"
              and b.similarity >= st.table_label_similarity}
    if len(labels) < st.table_min_labels:
        return False
    if page.number not in tokens:
        tokens[page.number] = _tokens(page, st, furniture)
    return sum(1 for t in tokens[page.number] if t.kind == "num") >= st.table_min_numbers


def _read_metadata(res: ScoreResult, doc: Document, pages: list[Page], blocks: list[_Block],
                   max_table_pages: int, st: ScoreTableSettings) -> None:
    """Ranks (by the summary labels), family, year (the table pages' text first) and country."""
    all_text = "\n".join(line.text for p in doc.pages for line in p.lines)
    head_text = "\n".join(line.text for p in pages[:max_table_pages] for line in p.lines)
    res.ranks = _ranks_pdf(pages, blocks, st)
    res.family = detect_family(all_text)
    res.year = detect_year(head_text, res.family) or detect_year(all_text, res.family)
    titles = _title_candidates(doc.pages[0]) if doc.pages else []
    res.country = detect_country(titles, all_text)


def _title_candidates(page: Page) -> list[str]:
    lines = sorted(page.lines, key=lambda ln: (-ln.size, ln.baseline))
    out: list[str] = []
    for ln in lines[:8]:
        out.append(ln.text)
    return out


def _ranks_pdf(pages: list[Page], blocks: list[_Block], st: ScoreTableSettings) -> list[RankRead]:
    anchors = [b for b in blocks if b.kind == "summary" and b.key in ("criminality", "resilience")]
    out: list[RankRead] = []
    for p in pages:
        lines = sorted((piece for ln in p.lines for piece in _rank_pieces(ln, p.number, anchors, st)),
                       key=lambda ln: (ln.baseline, ln.x0))
        # join lines stacked in one cell so that wrapped rank phrases are read whole
        texts = _stacked_texts(lines, st)
        for text, bbox in texts:
            for rank, of, scope, area, span in parse_rank_text(text):
                metric = _nearest_metric(bbox, p.number, anchors, st)
                if metric is None:
                    continue
                out.append(RankRead(metric, scope, rank, of, area, p.number, bbox, rank_is_tie(text, span)))
    # one rank per metric and scope: the first read
    seen: set[tuple[str, str]] = set()
    uniq = []
    for r in out:
        if (r.metric, r.scope) in seen:
            continue
        seen.add((r.metric, r.scope))
        uniq.append(r)
    return uniq


_RANK_START = regex.compile(r"\d+\s*(?:st|nd|rd|th)\s*=?\s*of")


def _rank_pieces(ln: Line, page: int, anchors: list[_Block], st: ScoreTableSettings) -> list[Line]:
    """A line cut before each rank phrase but its first where the pieces stand under different
    boxes' captions: two boxes' rank lines side by side that the layout joined into one line, the
    left one running up to the right one (``=1st of 8 countries in Central Asia and the Caucasus
    =7th of 8 countries in ...``); the line as it is otherwise (a box's line holding two ranks)."""
    starts = [m.start() for m in _RANK_START.finditer(ln.text)]
    if len(starts) < 2 or len(ln.words) < 2:
        return [ln]
    offsets = []  # where each word starts in the line's text (its words joined by a space)
    at = 0
    for w in ln.words:
        offsets.append(at)
        at += len(w.text) + 1
    cuts = sorted({bisect_right(offsets, s) - 1 for s in starts[1:]} - {0})
    if not cuts:
        return [ln]
    pieces = [Line(ln.words[a:b], ln.page) for a, b in zip([0, *cuts], [*cuts, len(ln.words)], strict=True)]
    metrics = [_nearest_metric((pc.x0, pc.y0, pc.x1, pc.y1), page, anchors, st) for pc in pieces]
    return pieces if len(set(metrics)) > 1 else [ln]


def _stacked_texts(lines: list[Line], st: ScoreTableSettings) -> list[tuple[str, tuple[float, float, float, float]]]:
    out: list[tuple[str, tuple[float, float, float, float]]] = []
    used: set[int] = set()
    line_gap, indent = st.rank_line_gap, st.rank_indent
    for i, ln in enumerate(lines):
        if i in used:
            continue
        group = [ln]
        used.add(i)
        cur = ln
        for j in range(i + 1, len(lines)):
            if j in used:
                continue
            nx = lines[j]
            if nx.y0 - cur.y1 > line_gap * cur.size:
                break
            if abs(nx.x0 - cur.x0) < indent * cur.size and 0 <= nx.y0 - cur.y1 <= line_gap * cur.size \
                    and not _RANK_START.search(nx.text):
                group.append(nx)
                used.add(j)
                cur = nx
        text = " ".join(g.text for g in group)
        bbox = (min(g.x0 for g in group), min(g.y0 for g in group), max(g.x1 for g in group), max(g.y1 for g in group))
        out.append((text, bbox))
    return out


def _nearest_metric(bbox: tuple[float, float, float, float], page: int, anchors: list[_Block],
                    st: ScoreTableSettings) -> str | None:
    """The metric a rank line belongs to: the caption nearest above it in its own column (a box's
    rank lines follow its caption, also where two boxes stand one above the other and the next box's
    caption is nearer below), else the caption nearest by the weighted distance."""
    above = [(bbox[1] - a.bbox[3], a.key) for a in anchors if a.page == page
             and a.bbox[3] <= bbox[1] + st.rank_above_slack * a.size
             and min(a.bbox[2], bbox[2]) - max(a.bbox[0], bbox[0]) > 0]
    if above:
        return min(above)[1]
    best: tuple[float, str] | None = None
    cx, cy = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
    for a in anchors:
        if a.page != page:
            continue
        ax0, ay0, ax1, ay1 = a.bbox
        acx, acy = (ax0 + ax1) / 2, (ay0 + ay1) / 2
        dy = cy - acy
        d = abs(cx - acx) * st.metric_across_weight + (dy if dy >= 0 else -st.metric_above_weight * dy)
        if best is None or d < best[0]:
            best = (d, a.key)
    return best[1] if best else None
