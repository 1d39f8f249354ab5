"""Words and lines from glyphs: the layout's word and line builder, the same for every engine.

Takes a :class:`~octa.layout.page.Page` whose ``chars`` an engine filled (or the pymupdf engine's
glyph runs, :class:`_Run`) and gives its ``words`` and ``lines`` (:func:`build_words_and_lines`):
glyphs joined into words by the gaps between them at their size (kerning, tracking, letter-spaced
text, overprints, numbers drawn over labels), words into lines by baseline and column gaps.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from octa.layout.page import _DRAWN_KEYS, SOFT_HYPHEN, Char, Line, Page, Word, as_drawn, is_symbol_font
from octa.layout.settings import DEFAULT_SETTINGS, LayoutSettings

# ----------------------------------------------------------------------------------------------
# The pymupdf engine's fast path: words and lines from whole glyph runs
# ----------------------------------------------------------------------------------------------
#
# Building one Char object per glyph and sorting every glyph of a page costs several times what
# MuPDF takes to read the page. A text-trace span is a run of glyphs drawn in one font and size on
# one baseline; when its glyphs advance left to right and the runs of a row do not interleave, the
# row's glyphs in x order are the runs' glyphs one run after another, and the word rules of
# :func:`_row_words` can be applied to whole pieces of a run (the glyphs between two spaces) with
# list slices instead of per-glyph objects. The result is the same words and lines, in the same
# order, as the glyph-by-glyph path; a page or row where an assumption fails (a run that goes
# backwards, runs that interleave, baselines that tie with different outcomes) takes that path.

_NON_SPACE = re.compile(r"\S+")  # \S in str patterns is exactly "not str.isspace()"
_LIGATURES = frozenset([*map(chr, range(0xFB00, 0xFB07)), "\ufffd"])


class _Run:
    """One text-trace span after filtering: its glyphs' text and columns as the word rules need them.
    ``pieces``: (start, end, wide_space_before) of each run of non-space glyphs. Every glyph of a run
    has the run's font, size, baseline and vertical extent (``y0``, ``y1``)."""

    __slots__ = ("seq", "text", "font", "size", "baseline", "y0", "y1", "x0s", "x1s", "gaps",
                 "pieces", "wide_after", "symbol")

    def __init__(self, seq: int, text: str, font: str, size: float, baseline: float,
                 y0: float, y1: float, x0s: Sequence[float], x1s: Sequence[float], gaps: list[float],
                 space_min_width: float) -> None:
        self.seq = seq
        self.text = text
        self.font = font
        self.size = size
        self.baseline = baseline
        self.y0 = y0
        self.y1 = y1
        self.x0s = x0s
        self.x1s = x1s
        self.gaps = gaps
        self.symbol = is_symbol_font(font)
        wide = space_min_width * size  # a blank wider than this is a space (LayoutSettings.space_min_width)
        pieces = []
        prev_end = 0
        for s, e in map(re.Match.span, _NON_SPACE.finditer(text)):
            if s == prev_end:
                pieces.append((s, e, False))
            elif s == prev_end + 1:
                pieces.append((s, e, x1s[prev_end] - x0s[prev_end] > wide))
            else:
                pieces.append((s, e, any(x1s[k] - x0s[k] > wide for k in range(prev_end, s))))
            prev_end = e
        self.pieces = pieces
        n = len(text)
        self.wide_after = prev_end < n and (x1s[prev_end] - x0s[prev_end] > wide if prev_end == n - 1 else
                                            any(x1s[k] - x0s[k] > wide for k in range(prev_end, n)))

    def char_objects(self) -> list[Char]:
        font, size, baseline, y0, y1 = self.font, self.size, self.baseline, self.y0, self.y1
        return [Char(ch, x0, y0, x1, y1, baseline, font, size)
                for ch, x0, x1 in zip(self.text, self.x0s, self.x1s, strict=True)]


class _LazyChars(Sequence):
    """``Page.chars`` of a page read by the fast path: the Char objects are made on first use."""

    __slots__ = ("_runs", "_n", "_list")

    def __init__(self, runs: list[_Run]) -> None:
        self._runs = runs
        self._n = sum(len(r.text) for r in runs)
        self._list: list[Char] | None = None

    def _chars(self) -> list[Char]:
        if self._list is None:
            self._list = [c for r in self._runs for c in r.char_objects()]
        return self._list

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i):  # type: ignore[override]
        return self._chars()[i]

    def __iter__(self):
        return iter(self._chars())

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, Sequence) else NotImplemented

    def __repr__(self) -> str:
        return repr(self._chars())


def _fast_words_and_lines(page: Page, runs: list[_Run], s: LayoutSettings) -> bool:
    """Fill ``page.words`` and ``page.lines`` from runs; False (nothing filled) when the rows of the
    page cannot be formed run by run."""
    order = sorted(runs, key=lambda r: (r.baseline, r.x0s[0]))
    tol = s.baseline_tol
    rows: list[list[_Run]] = []
    ref: _Run | None = None
    i, n = 0, len(order)
    while i < n:
        b = order[i].baseline
        j = i + 1
        while j < n and order[j].baseline == b:
            j += 1
        group = order[i:j]
        if ref is None:
            joins = [False] * len(group)
        else:
            rb, rs = ref.baseline, ref.size
            joins = [abs(r.baseline - rb) <= tol * (rs if rs > r.size else r.size) for r in group]
        if all(joins):
            rows[-1].extend(group)
        elif not any(joins):
            ref = group[0]
            rows.append(group)
        else:
            # Glyphs of one baseline, taken in x order, join the row until the first that does not
            # (a larger glyph tolerates a larger step); that one starts the next row, which the rest
            # join. Run by run only when the runs do not interleave.
            if any(a.x0s[-1] >= b.x0s[0] for a, b in zip(group, group[1:], strict=False)):
                return False
            k = joins.index(False)
            rows[-1].extend(group[:k])
            ref = group[k]
            rows.append(group[k:])
        i = j
    words: list[Word] = []
    lines: list[Line] = []
    number = page.number
    for row in rows:
        row.sort(key=lambda r: r.x0s[0])
        layers = _layers(row, s)
        if len(layers) > 1:  # a number drawn over a word (a label overflowing its cell): each on its own
            row_words = sorted((w for layer in layers for w in _runs_words(layer, number, s)), key=lambda w: w.x0)
            words.extend(row_words)
            lines.extend(_row_lines(row_words, number, s))
            continue
        if any(a.x0s[-1] >= b.x0s[0] or _drawn_over(a.x0s[-1], a.x1s[-1], a.baseline, a.size,
                                                    b.x0s[0], b.x1s[0], b.baseline, b.size, s)
               for a, b in zip(row, row[1:], strict=False)):  # interleaved or overlaid runs: glyph by glyph
            chars = [c for r in sorted(row, key=lambda r: r.seq) for c in r.char_objects()]
            chars.sort(key=lambda c: (c.baseline, c.x0))
            chars.sort(key=lambda c: c.x0)
            row_words = _row_words(chars, number, s)
        else:
            row_words = _runs_words(row, number, s)
        words.extend(row_words)
        lines.extend(_row_lines(row_words, number, s))
    lines.sort(key=lambda ln: (round(ln.baseline, 1), ln.x0))
    page.words = words
    page.lines = lines
    return True


def _numeric_run(r: _Run) -> bool:
    """Whether a run is a number as printed: it starts with a figure, a sign, a bracket or an arrow
    and holds a figure, whatever follows (``0.50``, ``−1.00``, ``(+0.1)``, and with a scale or a mark:
    ``6.50/10``, ``7.5 out of 10``, ``7.50*``)."""
    t = r.text.strip()
    return bool(t) and (t[0].isdigit() or t[0] in "+-\u2212.([▲▼↑↓") and any(c.isdigit() for c in t)


def _layers(row: list[_Run], s: LayoutSettings) -> list[list[_Run]]:
    """The runs of a row (in x order) in layers that do not overlap, when a run of figures is drawn
    over a run of letters (``COUNTERFEIT`` with ``0.00`` over its last letters: glyph by glyph in x
    order they would read ``COUNTERFEI0T.00``), or a glyph of a symbol font (an icon) over a run
    of another font (``ENFORCEMENT`` with a change's arrow icon over its last letters, the change's
    figures right after them: ``ENFORCEMEN`` ``T0.50``); one layer otherwise (accents drawn over
    their letters, kerning, overprints stay as they are)."""
    for a, b in zip(row, row[1:], strict=False):
        if a.x0s[-1] >= b.x0s[0] and (_numeric_run(a) != _numeric_run(b) or a.symbol != b.symbol):
            break
    else:
        return [row]
    overlap = s.layer_overlap
    layers: list[list[_Run]] = []
    for r in row:
        for layer in layers:
            if layer[-1].x1s[-1] <= r.x0s[0] + overlap * r.size:
                layer.append(r)
                break
        else:
            layers.append([r])
    return layers


def _runs_words(row: list[_Run], page: int, s: LayoutSettings) -> list[Word]:
    """:func:`_row_words` for a row whose glyphs in x order are its runs' glyphs run after run. The
    word-break rule is :func:`_gap_verdict` and :func:`_glyph_break`, as there; inside one run (one
    font and size) only the gap can break a word."""
    # the row's glyph gaps: inside pieces, across spaces inside a run, across runs
    gaps: list[float] = []
    first: _Run | None = None
    prev_x1: float | None = None
    for r in row:
        if not r.pieces:
            continue
        if first is None:
            first = r
        g, x0s, x1s = r.gaps, r.x0s, r.x1s
        for s0, e, _wide in r.pieces:
            if prev_x1 is not None:
                gaps.append(x0s[s0] - prev_x1)
            if e - s0 > 1:
                gaps.extend(g[s0:e - 1])
            prev_x1 = x1s[e - 1]
    if first is None:
        return []
    gaps.sort()
    base = _letter_gap(gaps, first.size, s)
    # letter-spaced text in the row (a gap between letters of a run, or of two runs of one font and
    # size, that the row's base would judge): its stretches' own tight gaps (:func:`_tracked_bases`)
    bases: list[float] | None = None
    offsets: dict[int, int] = {}
    cap = s.letter_gap_max
    tracked = False
    for k, r in enumerate(row):
        floor = _gap_floor(r.size, base, s)
        if r.gaps and max(r.gaps) > floor or k and (p := row[k - 1]).font == r.font and p.size == r.size \
                and floor < r.x0s[0] - p.x1s[-1] <= cap * r.size:
            tracked = True
            break
    if tracked:
        x0s: list[float] = []
        x1s: list[float] = []
        fonts: list[str] = []
        sizes: list[float] = []
        for r in row:
            offsets[id(r)] = len(x0s)
            x0s.extend(r.x0s)
            x1s.extend(r.x1s)
            fonts.extend([r.font] * len(r.text))
            sizes.extend([r.size] * len(r.text))
        bases = _tracked_bases(x0s, x1s, "".join([r.text for r in row]), fonts, sizes, base, s)

    words: list[Word] = []
    current: list[tuple[_Run, int, int]] = []  # segments (run, start, end) of the word being built
    joined = 0
    cuts: list[int] = []  # offsets in the word being built of joined gaps as wide as a space
    wlen = 0  # its length so far
    space_seen = False
    verdict, glyph_break = _gap_verdict, _glyph_break
    for r in row:
        size = r.size
        floor = _gap_floor(size, base, s)
        g, x0s, x1s, text = r.gaps, r.x0s, r.x1s, r.text
        for s0, e, wide in r.pieces:
            if wide:
                space_seen = True
            if current:
                pr, _, pe = current[-1]
                gap = x0s[s0] - pr.x1s[pe - 1]
                if pr is r:
                    v = verdict(gap, size, base, space_seen, s, size)
                    brk = v == _BREAK
                else:
                    psize = pr.size
                    big = psize if psize > size else size
                    # (a cut is measured on this run's size here, on the larger one glyph by glyph)
                    v = verdict(gap, big, base if bases is None else bases[offsets[id(r)] - 1], space_seen, s,
                                size)
                    brk = v == _BREAK or glyph_break(pr.text[pe - 1], text[s0], pr.font, r.font, psize, size, big,
                                                      gap, True, text[s0 + 1:s0 + 2], s)
                if brk:
                    words.append(_run_word(current, page, joined, cuts, s))
                    current, joined, cuts, wlen = [], 0, [], 0
                elif v:
                    joined += 1
                    if v == _SPACED:
                        cuts.append(wlen)
            space_seen = False
            # inside the piece: one run, one size and font; only gaps can split it, and only gaps
            # over the floor count
            start = s0
            if e - s0 > 1 and max(g[s0:e - 1]) > floor:
                for k in range(s0, e - 1):
                    gk = g[k]
                    if gk > floor:
                        v = verdict(gk, size, base if bases is None else bases[offsets[id(r)] + k], False, s, size)
                        if v == _BREAK:
                            current.append((r, start, k + 1))
                            words.append(_run_word(current, page, joined, cuts, s))
                            current, joined, cuts, wlen = [], 0, [], 0
                            start = k + 1
                        elif v:
                            joined += 1
                            if v == _SPACED:
                                cuts.append(wlen + k + 1 - start)
            current.append((r, start, e))
            wlen += e - start
        if r.wide_after:
            space_seen = True
    if current:
        words.append(_run_word(current, page, joined, cuts, s))
    return words


def _run_word(segs: list[tuple[_Run, int, int]], page: int, joined: int, cuts: list[int],
              s: LayoutSettings) -> Word:
    """``_gapped_word(_segments_word(segs, page, joined, s), cuts)``, with the most frequent case (a
    word of one run's glyphs, no ligature, no soft hyphen, no gap as wide as a space, nothing to
    read as drawn) made here at once: one call a word instead of three."""
    r0, s0, e0 = segs[0]
    if len(segs) == 1 and not cuts:
        text = r0.text[s0:e0]
        if (e0 - s0 == 1 or _LIGATURES.isdisjoint(text)) and SOFT_HYPHEN not in text and _DRAWN_KEYS.isdisjoint(text):
            x1s = r0.x1s
            return Word(text, r0.x0s[s0], r0.y0, max(x1s[s0:e0]) if e0 - s0 > 1 else x1s[s0], r0.y1, r0.baseline,
                        r0.font, r0.size, page, joined)
    return _gapped_word(_segments_word(segs, page, joined, s), cuts)


def _segments_word(segs: list[tuple[_Run, int, int]], page: int, joined: int,
                   s: LayoutSettings = DEFAULT_SETTINGS) -> Word:
    """:func:`_make_word` for glyphs given as run segments (every glyph of a run has the run's
    font, size, baseline and vertical extent)."""
    r0, s0, e0 = segs[0]
    if len(segs) == 1:
        text = r0.text[s0:e0]
        if (e0 - s0 == 1 or _LIGATURES.isdisjoint(text)) and SOFT_HYPHEN not in text:
            x1s = r0.x1s
            return Word(text, r0.x0s[s0], r0.y0, max(x1s[s0:e0]) if e0 - s0 > 1 else x1s[s0], r0.y1, r0.baseline,
                        r0.font, r0.size, page, joined)
    w = _segments_word_raw(segs, page, joined)
    if SOFT_HYPHEN in w.text:
        w.text = _drawn_hyphens(w.text, [x for r, a, e in segs for x in r.x0s[a:e]],
                                [x for r, a, e in segs for x in r.x1s[a:e]], w.size, w.font, s)
    return w


def _segments_word_raw(segs: list[tuple[_Run, int, int]], page: int, joined: int) -> Word:
    r0, s0, e0 = segs[0]
    if len(segs) == 1:
        text = r0.text[s0:e0]
        if e0 - s0 == 1 or _LIGATURES.isdisjoint(text):
            x1s = r0.x1s
            return Word(text, r0.x0s[s0], r0.y0, max(x1s[s0:e0]) if e0 - s0 > 1 else x1s[s0], r0.y1, r0.baseline,
                        r0.font, r0.size, page, joined)
    texts = [r.text[s:e] for r, s, e in segs]
    text = "".join(texts)
    n = len(text)
    x1 = max(max(r.x1s[s:e]) for r, s, e in segs)
    ligs = [sum(1 for c in t if c in _LIGATURES) for t in texts] if not _LIGATURES.isdisjoint(text) else None
    nlig = sum(ligs) if ligs else 0
    counts: dict[str, int] = {}
    if nlig == 0 or nlig == n:
        y0 = min(r.y0 for r, _, _ in segs)
        y1 = max(r.y1 for r, _, _ in segs)
        size = max(r.size for r, _, _ in segs)
        for r, s, e in segs:
            counts[r.font] = counts.get(r.font, 0) + e - s
        first_font = r0.font
        ref = None
    else:
        # A ligature glyph (often from a fallback font at its own size) takes the font, size,
        # baseline and extent of the word's middle letter.
        k = (n - nlig) // 2
        ref = r0
        for (r, _s, _e), t, lg in zip(segs, texts, ligs, strict=True):  # type: ignore[arg-type]
            if k < len(t) - lg:
                ref = r
                break
            k -= len(t) - lg
        lettered = [r for (r, _s, _e), t, lg in zip(segs, texts, ligs, strict=True) if len(t) > lg]  # type: ignore[arg-type]
        y0 = min(r.y0 for r in lettered)
        y1 = max(r.y1 for r in lettered)
        size = max(r.size for r in lettered)
        for (r, _s, _e), t, lg in zip(segs, texts, ligs, strict=True):  # type: ignore[arg-type]
            if len(t) > lg:
                counts[r.font] = counts.get(r.font, 0) + len(t) - lg
            if lg:
                counts[ref.font] = counts.get(ref.font, 0) + lg
        first_font = ref.font if text[0] in _LIGATURES else r0.font
    font = max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0] if len(counts) > 1 else first_font
    mid = n // 2
    for r, s, e in segs:
        if mid < e - s:
            baseline = ref.baseline if ref is not None and text[n // 2] in _LIGATURES else r.baseline
            break
        mid -= e - s
    return Word(text, r0.x0s[s0], y0, x1, y1, baseline, font, size, page, joined, mixed=len(counts) > 1)


# ----------------------------------------------------------------------------------------------
# Words and lines from glyphs (geometry only; no knowledge of profiles)
# ----------------------------------------------------------------------------------------------

def build_words_and_lines(page: Page, *, settings: LayoutSettings | None = None) -> None:
    """Fill ``page.words`` and ``page.lines`` from ``page.chars``; record dropped overprints.
    ``settings``: the geometric thresholds (:data:`DEFAULT_SETTINGS` when None)."""
    s = settings or DEFAULT_SETTINGS
    chars = page.chars if page.deduped else _drop_overprints(page, s)
    rows = _baseline_rows(chars, s)
    words: list[Word] = []
    lines: list[Line] = []
    drawn: dict[int, int] | None = None  # each glyph's place in the order drawn (asked for lazily)
    for row in rows:
        layers = None
        if _glyphs_overlap(row):
            if drawn is None:
                drawn = {id(c): k for k, c in enumerate(chars)}
            layers = _layers(_char_runs(row, drawn, s.space_gap), s)
        if layers is not None and len(layers) > 1:  # a number drawn over a word: each on its own (as :func:`_layers`)
            row_words = sorted((w for layer in layers
                                for w in _row_words(sorted((c for r in layer for c in r.chars), key=lambda c: c.x0),
                                                    page.number, s)), key=lambda w: w.x0)
        else:
            row_words = _row_words(row, page.number, s)
        words.extend(row_words)
        lines.extend(_row_lines(row_words, page.number, s))
    lines.sort(key=lambda ln: (round(ln.baseline, 1), ln.x0))
    page.words = words
    page.lines = lines


def _glyphs_overlap(row: list[Char]) -> bool:
    """Whether two glyphs of a row (in x order) overlap by more than half the narrower's width."""
    glyphs = [c for c in row if not c.c.isspace()]
    return any(b.x0 < a.x1 - 0.5 * min(a.x1 - a.x0, b.x1 - b.x0) for a, b in zip(glyphs, glyphs[1:], strict=False))


class _CharRun:
    """Glyphs of a row drawn one after the other (in the order drawn) in one font and size, each
    right of the last and near it: the glyph-list engines' runs, for :func:`_layers`."""
    __slots__ = ("chars", "text", "size", "symbol", "x0s", "x1s")

    def __init__(self, chars: list[Char]) -> None:
        self.chars = chars
        self.text = "".join(c.c for c in chars)
        self.size = chars[0].size
        self.symbol = is_symbol_font(chars[0].font)
        self.x0s = [c.x0 for c in chars]
        self.x1s = [c.x1 for c in chars]


def _char_runs(row: list[Char], drawn: dict[int, int], space: float) -> list[_CharRun]:
    """A row's glyphs as runs (:class:`_CharRun`), in x order of their first glyphs; a gap wider
    than ``space`` sizes with no blank drawn in it starts a run (a string placed apart)."""
    runs: list[list[Char]] = []
    for c in sorted(row, key=lambda c: drawn.get(id(c), 0)):
        last = runs[-1][-1] if runs else None
        if last is None or c.font != last.font or c.size != last.size or c.x0 < last.x0 \
                or c.x0 - last.x1 > space * c.size or drawn.get(id(c), 0) != drawn.get(id(last), 0) + 1:
            runs.append([c])
        else:
            runs[-1].append(c)
    return sorted((_CharRun(r) for r in runs), key=lambda r: r.x0s[0])


def _drop_overprints(page: Page, s: LayoutSettings) -> list[Char]:
    tol = s.overprint_tol
    cell = tol if tol > 4.0 else 4.0  # grid step of the search: neighbouring cells hold every glyph within tol
    seen: dict[tuple[str, int, int], list[Char]] = {}
    kept: list[Char] = []
    dropped: list[Char] = []
    for ch in page.chars:
        if ch.c.isspace():
            kept.append(ch)
            continue
        key = (ch.c, int(ch.x0 // cell), int(ch.baseline // cell))
        dup = False
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for other in seen.get((ch.c, key[1] + dx, key[2] + dy), ()):
                    if abs(other.x0 - ch.x0) < tol and abs(other.baseline - ch.baseline) < tol:
                        dup = True
                        break
        if dup:
            dropped.append(ch)
            continue
        seen.setdefault(key, []).append(ch)
        kept.append(ch)
    if dropped:
        for row in _baseline_rows(dropped, s):
            page.overprints.append("".join(c.c for c in sorted(row, key=lambda c: c.x0)))
    return kept


def _baseline_rows(chars: list[Char], s: LayoutSettings) -> list[list[Char]]:
    """Group glyphs by baseline (tolerance relative to font size)."""
    tol = s.baseline_tol
    rows: list[list[Char]] = []
    ref: Char | None = None
    last: list[Char] = []
    for ch in sorted(chars, key=lambda c: (c.baseline, c.x0)):
        if ref is not None and abs(ch.baseline - ref.baseline) <= tol * (ref.size if ref.size > ch.size else ch.size):
            last.append(ch)
            continue
        last = [ch]
        rows.append(last)
        ref = ch
    for row in rows:
        row.sort(key=lambda c: c.x0)
    return rows


# The word-break rule, written once: :func:`_gap_verdict` (what the gap between two glyphs next to
# each other on a row says) and :func:`_glyph_break` (what the two glyphs themselves say), used by
# :func:`_row_words` glyph by glyph and by :func:`_runs_words` run by run.

#: Verdicts of :func:`_gap_verdict` (falsy only for a tight gap).
_TIGHT, _JOINED, _SPACED, _BREAK = 0, 1, 2, 3


def _gap_verdict(gap: float, size: float, base: float, space_seen: bool, s: LayoutSettings, cut_size: float) -> int:
    """The gap ``gap`` between two glyphs of a row, the larger of size ``size``, the row's tight letter
    gap being ``base`` (:func:`_letter_gap`): ``_BREAK`` when it separates words (wider than ``base``
    plus ``word_gap``, or wider than ``tight_gap`` after a space glyph, ``space_seen``: a space that
    does not advance, a browser's soft hyphen, is no word break); else ``_SPACED`` when it is joined
    though a reader cutting at spaces would have cut it (wider than ``tight_gap``, and than
    ``space_gap`` of ``cut_size``), ``_JOINED`` when joined and wider than ``tight_gap`` (tracking,
    kerning), ``_TIGHT`` otherwise."""
    tight = s.tight_gap * size
    if gap > base + s.word_gap * size or space_seen and gap > tight:
        return _BREAK
    if gap > tight:
        return _SPACED if gap > s.space_gap * cut_size else _JOINED
    return _TIGHT


def _gap_floor(size: float, base: float, s: LayoutSettings) -> float:
    """The widest gap :func:`_gap_verdict` calls ``_TIGHT`` for glyphs of size ``size`` when no space
    glyph is before it: a run's gaps none of which is wider need no verdict."""
    tight = s.tight_gap * size
    brk = base + s.word_gap * size
    return tight if tight < brk else brk


def _letter_gap(gaps: list[float], size: float, s: LayoutSettings) -> float:
    """The tight letter gap of a row from its glyph gaps (sorted) and the size of its first glyph:
    the lower quartile (tracking, letter-spacing, raises it for every glyph alike), at most
    ``letter_gap_max`` of the size and not negative."""
    base = gaps[len(gaps) // 4] if gaps else 0.0
    return max(0.0, min(base, s.letter_gap_max * size))


def _tracked_bases(x0s: Sequence[float], x1s: Sequence[float], text: str, fonts: Sequence[str],
                   sizes: Sequence[float], base: float, s: LayoutSettings) -> list[float]:
    """The tight letter gap each gap of a row is measured from (item ``k``: the gap between glyphs
    ``k`` and ``k + 1`` of the row's glyphs in x order, spaces included). Tracking is set per piece
    of text, not per row: a letter-spaced label (``H U M A N  T R A F F I C K I N G``) shares its
    row with untracked cells, whose tight gaps make the row's lower quartile. So the row is cut into
    stretches of glyphs of one font and size with no gap wider than ``letter_gap_max`` of the size
    and no letter next to a digit (a label overflowing its cell against the number beside it:
    ``E n f o r c e m e n t0.00``), and a stretch with at least ``tracking_gaps`` gaps between neighbouring letters (neither a
    space) measures those from their own lower quartile where it is wider than the row's ``base``
    (at most ``letter_gap_max`` of its size). Every other gap keeps ``base``."""
    n = len(text)
    out = [base] * (n - 1 if n else 0)
    cap, least = s.letter_gap_max, s.tracking_gaps
    start = 0
    for k in range(1, n + 1):
        if k < n and fonts[k] == fonts[start] and sizes[k] == sizes[start] \
                and x0s[k] - x1s[k - 1] <= cap * sizes[start] \
                and not (text[k].isdigit() and text[k - 1].isalpha() or text[k].isalpha() and text[k - 1].isdigit()):
            continue
        letters = [j for j in range(start, k - 1) if not text[j].isspace() and not text[j + 1].isspace()]
        if len(letters) >= least:
            own = _letter_gap(sorted([x0s[j + 1] - x1s[j] for j in letters]), sizes[start], s)
            if own > base:
                for j in letters:
                    out[j] = own
        start = k
    return out


def _glyph_break(a: str, b: str, afont: str, bfont: str, asize: float, bsize: float, size: float, gap: float,
                 other_run: bool, after: str, s: LayoutSettings) -> bool:
    """Whether glyph ``b`` starts a new word after glyph ``a`` whatever the gap (``gap``; ``size``: the
    larger of their sizes): their sizes differ by more than ``size_change`` (except at a ligature drawn
    from a fallback font at its own size, ``e`` + ``ﬀ`` + ``ectively``: the cleaner expands it later),
    one is from a symbol font and the other from another font, or two texts run into each other (a
    label overflowing its cell onto the number of the next column, ``ENFORCEMENT`` over ``0.0``,
    ``PREVENTION`` against ``−1.00`` or ``[1.50]``): across two text runs (``other_run``), a letter
    next to a digit, or to a sign or an opening bracket that starts a number (``after``: the glyph
    after ``b``), however close; two digits whose boxes overlap by more than ``collision`` (``0.2``
    drawn into ``7 out of 10``: digits are not kerned into each other); in one run, a letter and a
    digit whose boxes overlap by more than ``collision`` (``G7``, a kerned ``T-`` and a ligature's
    line-end hyphen ``eﬃ-`` stay words)."""
    if abs(asize - bsize) > s.size_change * size and not (_is_ligature(a) or _is_ligature(b)):
        return True
    if afont != bfont and (is_symbol_font(afont) or is_symbol_font(bfont)) and a not in _HYPHENS and b not in _HYPHENS:
        return True  # (a hyphen drawn from another font between two letters stays in its word)
    digit = (a.isalpha() and b.isdigit()) or (a.isdigit() and b.isalpha())
    if a.isdigit() and b.isdigit() and gap < -s.collision * size:
        return True  # two numbers drawn into each other (a heading's change over the next column's score)
    if other_run:
        return digit or (a.isalpha() and b in _NUMBER_STARTS and after[:1].isdigit())
    return digit and gap < -s.collision * size


#: A hyphen's code points that no symbol font's arrow or sign takes: the soft hyphen (a visible
#: hyphen whose font maps it there), U+2010 and U+2011 (a producer's actual text for it).
_HYPHENS = frozenset((SOFT_HYPHEN, "\u2010", "\u2011"))
_SIGNS = "+-\u2212"
#: The glyphs that may start a number before its first digit: a sign, an opening bracket (``[1.50]``).
_NUMBER_STARTS = _SIGNS + "(["


def _overlaid(row: list[Char], s: LayoutSettings) -> list[list[Char]]:
    """A row's glyphs split into one row per baseline when texts of different baselines are drawn
    over one another (a label overflowing its cell over the number of the next column: taken in x
    order, their glyphs would interleave, ``N0G.0``); else the row as it is."""
    glyphs = sorted((c for c in row if not c.c.isspace()), key=lambda c: c.x0)
    if not any(_drawn_over(a.x0, a.x1, a.baseline, a.size, b.x0, b.x1, b.baseline, b.size, s)
               for a, b in zip(glyphs, glyphs[1:], strict=False)):
        return [row]
    apart = s.overlaid_baselines
    groups: list[list[Char]] = []
    for c in sorted(row, key=lambda c: c.baseline):
        if groups and c.baseline - groups[-1][-1].baseline <= apart * c.size:
            groups[-1].append(c)
        else:
            groups.append([c])
    return [sorted(g, key=lambda c: c.x0) for g in groups]


def _drawn_over(ax0: float, ax1: float, abase: float, asize: float,
                bx0: float, bx1: float, bbase: float, bsize: float, s: LayoutSettings) -> bool:
    """Whether glyph ``b`` (the next in x order) is drawn over glyph ``a`` from another baseline:
    they overlap by more than ``overlay_fraction`` of the narrower one, and their baselines are more
    than ``overlaid_baselines`` apart."""
    return bx0 < ax1 - s.overlay_fraction * min(ax1 - ax0, bx1 - bx0) \
        and abs(abase - bbase) > s.overlaid_baselines * max(asize, bsize)


def _row_words(row: list[Char], page: int, s: LayoutSettings) -> list[Word]:
    parts = _overlaid(row, s)
    if len(parts) > 1:
        return sorted((w for part in parts for w in _row_words(part, page, s)), key=lambda w: w.x0)
    glyphs = [c for c in row if not c.c.isspace()]
    if not glyphs:
        return []
    base = _letter_gap(sorted(b.x0 - a.x1 for a, b in zip(glyphs, glyphs[1:], strict=False)), glyphs[0].size, s)
    bases = _tracked_bases([c.x0 for c in row], [c.x1 for c in row], "".join([c.c for c in row]),
                           [c.font for c in row], [c.size for c in row], base, s)
    wide = s.space_min_width
    verdict, glyph_break = _gap_verdict, _glyph_break
    words: list[Word] = []
    current: list[Char] = []
    joined = 0
    cuts: list[int] = []
    space_seen = False
    for i, ch in enumerate(row):
        if ch.c.isspace():
            if ch.x1 - ch.x0 > wide * ch.size:
                space_seen = True
            continue
        if current:
            prev = current[-1]
            gap = ch.x0 - prev.x1
            size = prev.size if prev.size > ch.size else ch.size
            v = verdict(gap, size, bases[i - 1], space_seen, s, size)
            if v == _BREAK or glyph_break(prev.c, ch.c, prev.font, ch.font, prev.size, ch.size, size, gap, False, "",
                                          s):
                words.append(_gapped_word(_make_word(current, page, joined, s), cuts))
                current, joined, cuts = [], 0, []
            elif v:
                joined += 1
                if v == _SPACED:
                    cuts.append(len(current))
        space_seen = False
        current.append(ch)
    if current:
        words.append(_gapped_word(_make_word(current, page, joined, s), cuts))
    return words


def _gapped(text: str, cuts: list[int]) -> str:
    """``text`` with a space at each offset of ``cuts``."""
    out, last = [], 0
    for c in cuts:
        out.append(text[last:c])
        last = c
    out.append(text[last:])
    return " ".join(out)


def _gapped_word(w: Word, cuts: list[int]) -> Word:
    """The word made: its gapped reading (``cuts``: offsets of joined gaps as wide as a space), and
    its text read as drawn (:data:`AS_DRAWN`; not in a symbol or icon font)."""
    if cuts:
        w.gapped = _gapped(w.text, cuts)
    if not _DRAWN_KEYS.isdisjoint(w.text) and not is_symbol_font(w.font):
        w.text = as_drawn(w.text)
        if w.gapped:
            w.gapped = as_drawn(w.gapped)
    return w


def _drawn_hyphens(text: str, x0s: Sequence[float], x1s: Sequence[float], size: float, font: str,
                   s: LayoutSettings) -> str:
    """``text`` (one word's glyphs, boxes ``x0s``/``x1s``) with each soft hyphen that is drawn (it
    advances at least ``hyphen_advance`` of the size to the next glyph, or at the word's end is that
    wide) read as ``-``: a visible hyphen whose font maps it to U+00AD. A soft hyphen with no advance
    (an invisible break point) stays, for the cleaner to remove; a symbol font's stays what it is
    (Symbol's 0xAD is an up arrow) unless it stands between two letters, where no arrow does (a
    visible hyphen drawn from a fallback or icon font inside a compound: ``Anti-corruption``)."""
    symbol = is_symbol_font(font)
    least = s.hyphen_advance * size
    out = list(text)
    last = len(text) - 1
    for k, c in enumerate(text):
        if c == SOFT_HYPHEN and ((x0s[k + 1] if k < last else x1s[k]) - x0s[k]) >= least and (
                not symbol or (0 < k < last and text[k - 1].isalpha() and text[k + 1].isalpha())):
            out[k] = "-"
    return "".join(out)


def _is_ligature(c: str) -> bool:
    return "\ufb00" <= c <= "\ufb06" or c == "\ufffd"


def _make_word(chars: list[Char], page: int, joined: int, s: LayoutSettings = DEFAULT_SETTINGS) -> Word:
    if len(chars) > 1 and any(_is_ligature(c.c) for c in chars) and not all(_is_ligature(c.c) for c in chars):
        # The word's size and font are those of its letters, not of a fallback ligature glyph.
        letters = [c for c in chars if not _is_ligature(c.c)]
        ref = letters[len(letters) // 2]
        chars = [c if not _is_ligature(c.c) else Char(c.c, c.x0, ref.y0, c.x1, ref.y1, ref.baseline, ref.font,
                                                      ref.size) for c in chars]
    first = chars[0]
    if len(chars) == 1:
        text = first.c if first.c != SOFT_HYPHEN else _drawn_hyphens(first.c, [first.x0], [first.x1], first.size,
                                                                     first.font, s)
        return Word(text, first.x0, first.y0, first.x1, first.y1, first.baseline, first.font, first.size,
                    page, joined)
    font = first.font
    y0, y1, x1, size = first.y0, first.y1, first.x1, first.size
    mixed = False
    for c in chars:
        if c.y0 < y0:
            y0 = c.y0
        if c.y1 > y1:
            y1 = c.y1
        if c.x1 > x1:
            x1 = c.x1
        if c.size > size:
            size = c.size
        if c.font != font:
            mixed = True
    if mixed:
        counts: dict[str, int] = {}
        for c in chars:
            counts[c.font] = counts.get(c.font, 0) + 1
        font = max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]
    text = "".join(c.c for c in chars)
    if SOFT_HYPHEN in text and len(text) == len(chars):
        text = _drawn_hyphens(text, [c.x0 for c in chars], [c.x1 for c in chars], size, font, s)
    return Word(text, first.x0, y0, x1, y1, chars[len(chars) // 2].baseline, font, size, page, joined, mixed=mixed)


def _row_lines(words: list[Word], page: int, s: LayoutSettings) -> list[Line]:
    line_gap = s.line_gap
    lines: list[Line] = []
    current: list[Word] = []
    for w in sorted(words, key=lambda w: w.x0):
        if current:
            prev = current[-1]
            if w.x0 - prev.x1 > line_gap * max(prev.size, w.size):
                lines.append(Line(current, page))
                current = []
        current.append(w)
    if current:
        lines.append(Line(current, page))
    return lines
