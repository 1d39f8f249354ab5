"""Stage 12, text mode: text another tool extracted → its :class:`ScoreResult` (:func:`parse_text`): a
chart's residue blanked, the lines before the narrative split into label and number groups, then
read line by line and as one stream, with numbers after or before their labels; of the four
readings, the one whose indicator scores reproduce the printed averages (then: finds the most)
wins. Cells are read as in PDF mode (stage 1), unsigned changes settled as there (stage 9), and
ranks and metadata read from the text (stage 3).

Takes text (and the family, year or country when known); gives the result.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import regex

from octa.clean import narrative_start
from octa.parse.scores.changes import _resolve_unsigned
from octa.parse.scores.labels import _match_label
from octa.parse.scores.metadata import (
    _match_summary,
    detect_country,
    detect_family,
    detect_year,
    parse_rank_text,
    rank_is_tie,
)
from octa.parse.scores.results import RankRead, ScoreRead, ScoreResult, UnreadCell, _average_checks, _set_change
from octa.parse.scores.tokens import (
    Token,
    _has_digit,
    _score_like,
    interpret_cell,
    parse_token,
    split_glued,
    unread_score,
)
from octa.parse.scores.words import _decoration_words
from octa.parse.settings import DEFAULT_SETTINGS, ScoreTableSettings

_TORN = regex.compile(r"(?<=\d)\.\s+(?=\d\b)")


def _text_groups(line: str, order_base: int) -> list[tuple[str, list]]:
    """Split one text line into alternating groups: ("label", words) and ("nums", tokens)."""
    line = _TORN.sub(".", line)
    groups: list[tuple[str, list]] = []
    words: list[str] = []
    split = regex.split(r"\s+", line.strip())
    k = 0
    while k < len(split):
        w = split[k]
        n = _decoration_words(split, k) if _has_digit(w) else 0
        if n:  # a number and its decoration printed apart (``6.5 / 10``): one token, as printed
            words.append(" ".join(split[k:k + n + 1]))
            k += n + 1
            continue
        glued = split_glued(w) if parse_token(w) is None else None
        words.extend(glued if glued else (w,))
        k += 1
    for i, w in enumerate(words):
        if not w:
            continue
        t = parse_token(w)
        if t is not None:
            t.order = order_base + i
            kind, item = "nums", t
        elif any(c.isalpha() for c in w) or w in ("&", "-", "–"):
            kind, item = "label", w
        else:
            continue
        if groups and groups[-1][0] == kind:
            groups[-1][1].append(item)
        else:
            groups.append((kind, [item]))
    return groups


def _text_pairs(groups: list[tuple[str, list]], label_first: bool) -> list[tuple[str, list[Token]]]:
    """(label text, cell tokens) pairs of one line, in the document's orientation."""
    pairs: list[tuple[str, list[Token]]] = []
    for k, (kind, items) in enumerate(groups):
        if kind != "label":
            continue
        j = k + 1 if label_first else k - 1
        cell = groups[j][1] if 0 <= j < len(groups) and groups[j][0] == "nums" else []
        pairs.append((" ".join(items), cell))
    return pairs


def _read_line_rows(groups: list[list[tuple[str, list]]], label_first: bool, st: ScoreTableSettings) -> ScoreResult:
    """Rows read line by line: each line holds one or more label/number cells. A label's numbers
    are those on its own line; a summary score may also stand alone on the line right above or
    below its label (a headline figure over or under its caption), when only one such line exists."""
    res = ScoreResult()
    pending = ""  # an unmatched label line without numbers: the first line of a wrapped label

    def numbers_only(j: int) -> list[Token] | None:
        if not (0 <= j < len(groups)) or not groups[j] or any(kind == "label" for kind, _ in groups[j]):
            return None
        return [t for _, items in groups[j] for t in items]

    slots = _row_slots(groups, label_first, st)
    for i, g in enumerate(groups):
        for label, cell in _text_pairs(g, label_first):
            m = _match_label(label)
            if pending:
                joined = _match_label(pending + " " + label)
                if joined and (m is None or joined[1] > m[1]):
                    m, label = joined, pending + " " + label
            if m and m[0] not in res.indicators:
                extra = _extra_word(label, m, label_first, st)
                if extra is not None and slots is not None and len(cell) + 1 == slots:
                    # a word in the score's place of a row like the others, that is no part of the
                    # label: a token not understood, and the numbers after it are not the score
                    res.unread.setdefault(m[0], UnreadCell(m[0], extra))
                    continue
            if m and cell:
                score, change = interpret_cell(cell, False, st)
                if score is not None and m[0] not in res.indicators:
                    res.indicators[m[0]] = _text_read(m[0], score, change, label, "line",
                                                      _alternatives(cell, score, False))
                    continue
                if score is None and (bad := unread_score(cell, False, st)) is not None:
                    res.unread.setdefault(m[0], UnreadCell(m[0], bad.text, bad.note))
                    continue
            sm = _match_summary(label, st)
            if sm and sm[0] not in res.summary:
                how = "line"
                if not cell:  # a figure alone on the line above or below, if exactly one side has one
                    sides = [c for c in (numbers_only(_neighbour(groups, i, -1)), numbers_only(_neighbour(groups, i, 1)))
                             if c and interpret_cell(c, True, st)[0] is not None]
                    cell, how = (sides[0], "stream") if len(sides) == 1 else ([], how)
                score, change = interpret_cell(cell, True, st)
                if score is not None:
                    res.summary[sm[0]] = _text_read(sm[0], score, change, label, how,
                                                    _alternatives(cell, score, True))
                elif (bad := unread_score(cell, True, st)) is not None:
                    res.unread.setdefault(sm[0], UnreadCell(sm[0], bad.text, bad.note))
        pending = " ".join(g[0][1]) if len(g) == 1 and g[0][0] == "label" else ""
    for key in [*res.indicators, *res.summary]:
        res.unread.pop(key, None)
    return res


#: Words a table may print after a label that are no token of its score (a new indicator's mark).
_ROW_MARKS = frozenset({"new", "(new)", "na", "n/a", "*"})


def _extra_word(label: str, match: tuple[str, float], label_first: bool, st: ScoreTableSettings) -> str | None:
    """The word at the label's number end (its last word when the numbers follow the label) when it
    is no part of the label: the label without it names the same indicator, more closely, and as
    closely as ``unread_label_similarity`` asks (a torn label's last piece, ``DETENTI ON``, is part
    of it: without it the label is no longer whole)."""
    words = label.split()
    if len(words) < 2:
        return None
    extra, rest = (words[-1], words[:-1]) if label_first else (words[0], words[1:])
    if extra.lower() in _ROW_MARKS or len(extra) > 16:
        return None
    without = _match_label(" ".join(rest))
    return extra if (without is not None and without[0] == match[0] and without[1] > match[1]
                     and without[1] >= st.unread_label_similarity) else None


def _row_slots(groups: list[list[tuple[str, list]]], label_first: bool, st: ScoreTableSettings) -> int | None:
    """How many tokens the indicator rows printed on one line hold after their label (the most
    common count among rows whose score is read; None without three such rows)."""
    counts: Counter[int] = Counter()
    for g in groups:
        for label, cell in _text_pairs(g, label_first):
            if cell and _match_label(label) is not None and interpret_cell(cell, False, st)[0] is not None:
                counts[len(cell)] += 1
    if sum(counts.values()) < 3:
        return None
    return counts.most_common(1)[0][0]


def _text_read(key: str, score: Token, change: Token | None, label: str, how: str, alternatives: int) -> ScoreRead:
    read = ScoreRead(key, score.value, None, None, False, label_text=label, how=how, alternatives=alternatives,
                     score_token=score)
    if change is not None:
        _set_change(read, change)
    return read


def _neighbour(groups: list[list[tuple[str, list]]], i: int, step: int) -> int:
    """The next non-blank line from ``i`` in direction ``step``."""
    j = i + step
    while 0 <= j < len(groups) and not groups[j]:
        j += step
    return j


def _alternatives(cell: Sequence[Token], score: Token, summary: bool) -> int:
    return sum(1 for t in cell if t is not score and _score_like(t, summary))


def _shared(items: list[tuple[str, object]], j: int, label_first: bool) -> bool:
    """Whether the numbers-only item ``j``, taken by the label on one side, could as well belong to
    the label on its other side: a label-only line there with no numbers-only line of its own on
    its far side."""
    k = j + 1 if label_first else j - 1
    if not (0 <= k < len(items)) or items[k][0] != "label":
        return False
    key, kind, _text, _line, has_nums = items[k][1]  # type: ignore[misc]
    if key is None or has_nums or kind != "indicator":  # a pillar heading without numbers is a heading
        return False
    far = k + 1 if label_first else k - 1
    nxt = k + 1
    if nxt < len(items) and items[nxt][0] == "label" and items[nxt][1][0] == key:  # type: ignore[index]
        return False  # a group heading that repeats its one indicator's label (a group of one market)
    return not (0 <= far < len(items) and items[far][0] == "nums" and not items[far][1][2])  # type: ignore[index]


def _read_stream_rows(groups: list[list[tuple[str, list]]], label_first: bool, st: ScoreTableSettings) -> ScoreResult:
    """Rows read as one stream, for extractors that put every cell on its own line: label lines
    are joined into labels (one to four lines), each label paired with the numbers next to it. A
    label line is paired with a line of numbers only when neither holds anything of the other
    kind: numbers on a label's own line are that label's, never its neighbour's."""
    # ("label", (key, kind, text, line, line_has_nums)) | ("nums", ([tokens], line, line_has_label))
    items: list[tuple[str, object]] = []
    lines_run: list[tuple[str, int, bool]] = []

    def flush() -> None:
        k = 0
        while k < len(lines_run):
            for n in (4, 3, 2, 1):
                part = lines_run[k:k + n]
                text = " ".join(t for t, _, _ in part)
                if len(part) < n or len(text) > st.max_label_chars:
                    continue
                m = _match_label(text)
                sm = _match_summary(text, st) if m is None else None
                if m or sm:
                    line, has_nums = part[-1][1], any(h for _, _, h in part)
                    items.append(("label", (m[0], "indicator", text, line, has_nums) if m  # type: ignore[index]
                                  else (sm[0], "summary", text, line, has_nums)))  # type: ignore[index]
                    k += n
                    break
            else:
                items.append(("label", (None, "junk", lines_run[k][0], lines_run[k][1], lines_run[k][2])))
                k += 1
        lines_run.clear()

    for line_no, g in enumerate(groups):
        has_nums = any(kind == "nums" for kind, _ in g)
        has_label = any(kind == "label" for kind, _ in g)
        for kind, vals in g:
            if kind == "label":
                lines_run.append((" ".join(vals), line_no, has_nums))
            else:
                flush()
                prev = items[-1][1] if items and items[-1][0] == "nums" else None
                # numbers of one line, or of consecutive lines that hold nothing else (a cell a line)
                if prev is not None and (prev[1] == line_no or (not has_label and not prev[2])):  # type: ignore[index]
                    prev[0].extend(vals)  # type: ignore[index]
                else:
                    items.append(("nums", (list(vals), line_no, has_label)))
    flush()
    res = ScoreResult()
    slots = _row_slots(groups, label_first, st)
    for k, (kind, val) in enumerate(items):
        if kind != "label":
            continue
        key, lkind, text, line, label_has_nums = val  # type: ignore[misc]
        if key is None:
            continue
        j = k + 1 if label_first else k - 1
        if not (0 <= j < len(items)) or items[j][0] != "nums":
            continue
        cell, nline, nums_have_label = items[j][1]  # type: ignore[misc]
        if nline != line and (label_has_nums or nums_have_label):
            continue
        if nline != line and _shared(items, j, label_first):
            continue  # the numbers could as well be the other neighbour's: neither gets them
        if lkind == "indicator" and nline == line and slots is not None and len(cell) + 1 == slots \
                and (extra := _extra_word(text, (key, _match_label(text)[1]), label_first, st)) is not None:  # type: ignore[index]
            res.unread.setdefault(key, UnreadCell(key, extra))  # a word in the score's place (see _read_line_rows)
            continue
        score, change = interpret_cell(cell, lkind == "summary", st)  # type: ignore[arg-type]
        if score is None:
            if (bad := unread_score(cell, lkind == "summary", st)) is not None:  # type: ignore[arg-type]
                res.unread.setdefault(key, UnreadCell(key, bad.text, bad.note))
            continue
        target = res.summary if lkind == "summary" else res.indicators
        if key not in target:
            target[key] = _text_read(key, score, change, text, "line" if nline == line else "stream",
                                     _alternatives(cell, score, lkind == "summary"))
    return res


def _consistency(res: ScoreResult) -> tuple[int, int]:
    """(arithmetic agreement, indicators found): printed pillar averages that the indicator scores
    reproduce count +1, those they contradict -1."""
    checks = _average_checks(res)
    return sum(checks) - (len(checks) - sum(checks)), len(res.indicators) + len(res.unread)


def parse_text(text: str, family: str | None = None, year: int | None = None,
               country: str | None = None, *, settings: ScoreTableSettings | None = None) -> ScoreResult:
    """Read score rows, summary scores, ranks and metadata from already-extracted text: tab- or
    space-separated rows with one or several cells per line, labels wrapped onto a second line,
    numbers after or before their labels, or every cell on its own line. Of the readings, the one
    whose indicator scores reproduce the printed averages (then: finds the most) wins.
    ``settings``: the thresholds (:data:`DEFAULT_SETTINGS` when None)."""
    st = DEFAULT_SETTINGS if settings is None else settings
    lines = _without_chart_ticks(text.splitlines(), st)
    narrative_start = _narrative_start(lines, st)
    groups = [_text_groups(ln, i * 100) for i, ln in enumerate(lines[:narrative_start])]
    readings = [reader(groups, first, st) for reader in (_read_line_rows, _read_stream_rows) for first in (True, False)]
    res = max(readings, key=_consistency)
    for other in readings:  # summary scores found by one reading only
        for k, v in other.summary.items():
            res.summary.setdefault(k, v)
    for k in [*res.indicators, *res.summary]:
        res.unread.pop(k, None)
    _resolve_unsigned(res, st, (), (t for g in groups for kind, items in g if kind == "nums" for t in items))
    head = "\n".join(lines[:narrative_start])
    ranks = parse_rank_text(head)
    metric_pos = [(m.start(), k) for k in ("criminality", "resilience")
                  for m in regex.finditer(k, head, regex.IGNORECASE)]
    for rank, of, scope, area, span in ranks:
        before = [k for pos, k in metric_pos if pos <= span[0]]
        metric = before[-1] if before else (metric_pos[0][1] if metric_pos else None)
        if metric and not any(r.metric == metric and r.scope == scope for r in res.ranks):
            res.ranks.append(RankRead(metric, scope, rank, of, area, tie=rank_is_tie(head, span)))
    res.family = family or detect_family(text)
    res.year = year or detect_year(head, res.family) or detect_year(text, res.family)
    res.country = country or detect_country([ln for ln in lines[:5] if ln.strip()], text)
    return res


_TICK = regex.compile(r"^\s*(\d{1,3})\s*$")
_YEARS = regex.compile(r"^\s*(?:(?:19|20)\d\d\s+){1,8}(?:(?:19|20)\d{0,2})?\s*$")


def _without_chart_ticks(lines: list[str], st: ScoreTableSettings) -> list[str]:
    """A chart's residue blanked: three or more lines in a row (``chart_tick_lines``) each holding
    one integer, in strictly falling or rising order (axis ticks ``10``, ``5``, ``0``), and lines of
    years only. A lone integer line is kept (a score printed alone on its line)."""
    out = list(lines)
    i = 0
    while i < len(out):
        j = i
        vals: list[int] = []
        while j < len(out) and (m := _TICK.match(out[j])):
            vals.append(int(m.group(1)))
            j += 1
        steps = list(zip(vals, vals[1:], strict=False))
        if len(vals) >= st.chart_tick_lines and (all(a > b for a, b in steps) or all(a < b for a, b in steps)):
            for k in range(i, j):
                out[k] = ""
        i = max(j, i + 1)
    return ["" if _YEARS.match(ln) else ln for ln in out]


def _narrative_start(lines: list[str], st: ScoreTableSettings) -> int:
    """Index of the first narrative line (a long prose line); score rows come before it."""
    chars, spaces = st.narrative_chars, st.narrative_spaces
    return narrative_start(len(lines), None, None, lambda i: len(lines[i]) > chars and lines[i].count(" ") > spaces,
                           len(lines))
