"""Stage 4, a page's words → its tokens: numbers torn by wide tracking put together again
(``5`` ``.`` ``5``), numbers joined with a decoration printed apart from them (``6.5`` ``/`` ``10``,
a scale a narrow cell wrapped under its number), numbers of running text left out, glyphs of
symbol fonts read as signs and arrows, a score and its change printed without a space cut apart,
and numbers with an up or down icon drawn right beside them marked as changes.

Takes a :class:`~octa.layout.Page` and the settings; gives the page's tokens (``_tokens``), each
where it was read (page, box, size, baseline). Text mode uses ``_decoration_words`` too.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from fractions import Fraction
from functools import lru_cache
from itertools import pairwise
from operator import attrgetter

import regex

from octa.clean import symbol_meaning
from octa.layout.page import Document, Line, Page, Word, is_symbol_font
from octa.parse.scores.tokens import (
    _CACHE,
    _DIGIT_CHAR,
    _LETTERS_THEN_CHANGE,
    _MARK,
    _MARKS,
    Token,
    _glyph_sign,
    _has_digit,
    _token_reading,
    _union,
    split_glued,
)
from octa.parse.settings import ScoreTableSettings


def _symbol_text(word: Word) -> str:
    return symbol_meaning(word.text, word.font)


_TORN_PART = regex.compile(r"^[+\-−]?[\d.]+$")
_WHOLE_NUMBER = regex.compile(r"^[+\-−]?\d{1,2}\.\d{1,2}$")


#: The words of a number's decoration printed apart from it: a scale (``/`` ``10``, ``/10``, ``out``
#: ``of`` ``10``), a percent sign or a footnote mark.
_DECORATION_WORDS = (("/", "#"), ("/#",), ("out", "of", "#"), ("%",), ("per", "cent"), ("^",))
#: A footnote or emphasis mark printed as a word of its own (``10`` ``¹`` torn by tracking, ``4.5 *``).
_MARK_WORD = regex.compile(r"^(?:" + _MARK + ")+$")


def _decoration_words(texts: Sequence[str], i: int) -> int:
    """How many words after ``texts[i]`` (a number) are its decoration (0 when none)."""
    if _has_digit(texts[i]) and _token_reading(texts[i]) is None:
        return 0
    for form in _DECORATION_WORDS:
        if i + len(form) >= len(texts):
            continue
        ok = True
        for k, want in enumerate(form):
            w = texts[i + 1 + k]
            if want in ("#", "/#") and k == len(form) - 1:
                w = _MARKS.sub("", w)  # a footnote mark after the scale (``6.5 / 10†``)
            if want == "^":
                ok = _MARK_WORD.match(w) is not None
            elif want == "#":
                ok = w.isdigit() and len(w) <= 3
            elif want == "/#":
                ok = w.startswith("/") and w[1:].isdigit() and len(w) <= 4
            else:
                ok = w.lower() == want
            if not ok:
                break
        if ok:
            return len(form)
    return 0


def _decorations_joined(words: list[Word], st: ScoreTableSettings, prose: set[int] = frozenset()) -> list[Word]:  # type: ignore[assignment]
    """A line's words with a number and the decoration printed apart from it (``6.5`` ``/`` ``10``)
    made one word, its text as printed (words apart by a space); a number of running text
    (``prose``: ids of its words) is left alone."""
    texts = [w.text for w in words]
    out: list[Word] = []
    i = 0
    while i < len(words):
        w = words[i]
        n = _decoration_words(texts, i) if _has_digit(w.text) and id(w) not in prose else 0
        if n and all(0 <= words[i + k + 1].x0 - words[i + k].x1 <= st.decoration_gap * max(w.size, 1.0)
                     for k in range(n)):
            last = words[i + n]
            # a footnote mark is the number's own (``4.5*``); a scale or unit is printed apart
            glue = "" if n == 1 and _MARKS.fullmatch(texts[i] + texts[i + 1]) is None and \
                _MARKS.search(texts[i] + texts[i + 1]) is not None else " "
            out.append(Word(glue.join(texts[i:i + n + 1]), w.x0, min(x.y0 for x in words[i:i + n + 1]), last.x1,
                            max(x.y1 for x in words[i:i + n + 1]), w.baseline, w.font, w.size, w.page))
            i += n + 1
            continue
        out.append(w)
        i += 1
    return out


def _untorn_words(page: Page, st: ScoreTableSettings, prose: set[int] = frozenset()) -> list[Word]:  # type: ignore[assignment]
    """The page's words with numbers torn by wide tracking put together again (``5`` ``.`` ``5``
    side by side on one line, closer than their size: ``5.5``), and numbers joined with their
    decoration printed as words of its own (``6.5`` ``/`` ``10``)."""
    out: list[Word] = []
    torn_gap = st.torn_number_gap
    for line in page.lines:
        ws = line.words
        if _DIGIT_CHAR.search(line.text) is None:  # no number to put together
            out.extend(ws)
            continue
        # the torn numbers first, so that a decoration is joined with a whole number (``1`` ``.``
        # ``6`` ``7`` ``/`` ``1`` ``0``: ``1.67 / 10``, not ``1.6`` and ``7 / 1``)
        whole: list[Word] = []
        i = 0
        while i < len(ws):
            j = i
            while (j + 1 < len(ws) and _TORN_PART.match(ws[j].text) and _TORN_PART.match(ws[j + 1].text)
                   and 0 <= ws[j + 1].x0 - ws[j].x1 <= torn_gap * ws[j].size):
                j += 1
            text = "".join(w.text for w in ws[i:j + 1]) if j > i else ""
            # a number with its decimal point, or a scale's digits after its slash (``/ 1 0``)
            if j > i and ((_WHOLE_NUMBER.match(text) and any("." in w.text and not _WHOLE_NUMBER.match(w.text)
                                                               for w in ws[i:j + 1]))
                          # the one whole number of two digits on the index's scale, a digit apart
                          or (text == "10" and all(len(w.text) == 1 for w in ws[i:j + 1]))
                          or (whole and whole[-1].text == "/" and text.isdigit()
                              and all(len(w.text) == 1 for w in ws[i:j + 1]))):
                first, last = ws[i], ws[j]
                whole.append(Word(text, first.x0, min(w.y0 for w in ws[i:j + 1]), last.x1,
                                  max(w.y1 for w in ws[i:j + 1]), first.baseline, first.font, first.size, first.page))
                i = j + 1
                continue
            whole.append(ws[i])
            i += 1
        out.extend(_decorations_joined(whole, st, prose))
    return _wrapped_scales_joined(out, st, prose)


#: A scale's first words at the end of a line whose number is on it (``4.50 out of`` | ``10``).
_SCALE_STARTS = (("out", "of"), ("/",))
_SCALE_FIRST_WORDS = frozenset(("/", "out", "Out", "OUT"))


def _wrapped_scales_joined(words: list[Word], st: ScoreTableSettings, prose: set[int]) -> list[Word]:
    """Numbers whose scale a narrow cell wrapped onto the next line (``4.50 out of`` over ``10``,
    ``6.5 /`` over ``10``) made one word with it: the number and the scale's first words side by
    side on one line as ``decoration_gap`` allows, and the scale's digits alone as a word under
    them, its top within ``scale_wrap_reach`` sizes of their bottom, its box within the span of
    the number and those words (a word space either side). A scale's digits left alone would be
    read as a score of 10."""
    # the numbers followed by a scale's first word (``out``, ``/``): a quick pass over the texts first
    # (at C speed: most pages print no such word)
    if _SCALE_FIRST_WORDS.isdisjoint(map(attrgetter("text"), words)):
        return words
    starts = [k - 1 for k, w in enumerate(words) if k and w.text in _SCALE_FIRST_WORDS]
    if not starts:
        return words
    cands = [k for k, w in enumerate(words) if w.text.isdigit() and len(w.text) <= 3]
    if not cands:
        return words
    gap, reach = st.decoration_gap, st.scale_wrap_reach
    drop: set[int] = set()
    joined: dict[int, Word] = {}
    for i in starts:
        w = words[i]
        if i in joined or i in drop or id(w) in prose or not _has_digit(w.text) or _token_reading(w.text) is None:
            continue
        size = max(w.size, 1.0)
        for form in _SCALE_STARTS:
            parts = words[i + 1:i + 1 + len(form)]
            if len(parts) != len(form) or any(x.text.lower() != f for x, f in zip(parts, form, strict=True)):
                continue
            chain = [w, *parts]
            if any(not (0 <= b.x0 - a.x1 <= gap * size and abs(b.baseline - a.baseline) <= 0.2 * size)
                   for a, b in pairwise(chain)):
                continue
            y1 = max(x.y1 for x in chain)
            under = [k for k in cands if k not in drop and words[k].page == w.page
                     and -0.3 * size <= words[k].y0 - y1 <= reach * size
                     and words[k].x0 >= w.x0 - size and words[k].x1 <= chain[-1].x1 + size]
            if len(under) != 1:
                continue
            sc = words[under[0]]
            text = " ".join([*(x.text for x in chain), sc.text])
            joined[i] = Word(text, min(w.x0, sc.x0), min(x.y0 for x in chain), max(chain[-1].x1, sc.x1), sc.y1,
                             w.baseline, w.font, w.size, w.page)
            drop.update(range(i + 1, i + 1 + len(form)))
            drop.add(under[0])
            break
    if not joined:
        return words
    return [joined.get(k, x) for k, x in enumerate(words) if k not in drop]


#: Words a table prints in a change's place (a new indicator, a change not available).
_CHANGE_WORDS = frozenset({"new", "n/a", "na", "n.a."})


def _prose_words(page: Page, st: ScoreTableSettings) -> set[int]:
    """Numbers inside running text (``roughly 1.5 million``): a word between two words of letters on
    its baseline, each within a word space or so, on a row of four or more words of letters. A
    table's numbers stand at the end of a label or of a row, or between numbers."""
    words = page.words
    # the rows (words by rounded baseline, in the page's order) that hold a digit: found from the
    # lines' texts when the lines hold the page's words (as the layout makes them), else word by word
    if sum(len(ln.words) for ln in page.lines) == len(words):
        numbered = {round(w.baseline) for ln in page.lines if _DIGIT_CHAR.search(ln.text) is not None
                    for w in ln.words if _has_digit(w.text)}
    else:
        numbered = {round(w.baseline) for w in words if _has_digit(w.text)}
    rows: dict[int, list[Word]] = {}
    if numbered:
        baselines = list(map(attrgetter("baseline"), words))
        order = sorted(range(len(words)), key=baselines.__getitem__)
        ordered = [baselines[i] for i in order]
        for k in numbered:
            near = order[bisect_left(ordered, k - 0.5):bisect_right(ordered, k + 0.5)]
            rows[k] = [words[i] for i in sorted(near) if round(baselines[i]) == k]
    out: set[int] = set()

    def letters(w: Word, end: int) -> bool:  # a word of letters (not an arrow glyph of a symbol font,
        # nor the word a table prints for a new indicator's change)
        return len(w.text) >= 2 and w.text[end].isalpha() and w.text[:2].isalpha() and not is_symbol_font(w.font) \
            and w.text.lower() not in _CHANGE_WORDS

    min_words, gap, space_ratio, space_max = st.prose_min_words, st.prose_gap, st.prose_space_ratio, st.prose_space_max
    for row in rows.values():
        row.sort(key=lambda w: w.x0)
        starts = [letters(w, 0) for w in row]
        if sum(starts) < min_words:
            continue
        ends = [letters(w, -1) for w in row]
        # the row's word space: the median gap between neighbouring words of letters (a justified
        # line stretches it alike everywhere)
        spaces = sorted(row[k + 1].x0 - row[k].x1 for k in range(len(row) - 1)
                        if ends[k] and starts[k + 1] and row[k + 1].x0 > row[k].x1)
        space = spaces[len(spaces) // 2] if spaces else 0.0
        texts = [w.text for w in row]
        for k in range(1, len(row) - 1):
            # a number with its decoration printed as words (``5.50`` ``out`` ``of`` ``10``): its
            # neighbour on the right is the word after the decoration (a heading's average followed
            # by its scale is not running text; ``1.5 out of 10 people`` is)
            n = _decoration_words(texts, k) if _has_digit(texts[k]) else 0
            if k + n + 1 >= len(row):
                continue
            a, w, b = row[k - 1], row[k], row[k + n + 1]
            limit = max(gap * w.size, space_ratio * space) if space < space_max * w.size else gap * w.size
            if (ends[k - 1] and starts[k + n + 1] and _has_digit(w.text)
                    and w.x0 - a.x1 <= limit and b.x0 - row[k + n].x1 <= limit):
                out.add(id(w))
        # a number starting or ending a run of more words of letters than any label holds, each
        # within a word space of the next (pieces of a word closer than any word space are one
        # word): a line of running text that begins or ends with it
        # (``5.5 million people were ...`` in the column beside a table)
        # (in a run, a word may end in its punctuation, ``fee.``, and be the article ``a`` or ``I``)
        run_words, sentence_words = st.prose_run_words, st.prose_sentence_words
        worded: list[bool] | None = None
        for k, w in enumerate(row):
            if id(w) in out or not _has_digit(w.text):
                continue
            if worded is None:
                worded = [starts[j] or _prose_word(x) for j, x in enumerate(row)]
            limit = max(gap * w.size, space_ratio * space) if space < space_max * w.size else gap * w.size
            for step in (1, -1):
                n, prev = 0, w
                sentence = False  # a word of the run ends a sentence (no label's does)
                j = k + step
                while 0 <= j < len(row) and (worded[j] if step > 0 else ends[j] or worded[j]):
                    nxt = row[j]
                    apart = nxt.x0 - prev.x1 if step > 0 else prev.x0 - nxt.x1
                    if apart > limit:
                        break
                    # pieces of one word (a label's letters broken up by the text layer) count once
                    n += 1 if n == 0 or apart > st.prose_fragment_gap * nxt.size else 0
                    sentence = sentence or nxt.text.endswith((".", "!", "?"))
                    prev, j = nxt, j + step
                if n >= run_words or sentence and n >= sentence_words:
                    out.add(id(w))
                    break
    return out


#: A word of running text that :func:`_prose_words`' word test leaves out: the one-letter words of
#: English, a word of letters ending in its punctuation (``fee.``, ``tation,``).
_PROSE_WORD = regex.compile(r"^(?:[aAI]|\p{L}{2,}[.,;:!?]{1,2})$")


def _prose_word(w: Word) -> bool:
    return _PROSE_WORD.match(w.text) is not None and not is_symbol_font(w.font)


def _placed(r: tuple[str, str, Fraction | None, int | None, int, bool, str], page: int,
            bbox: tuple[float, float, float, float], size: float, baseline: float | None = None) -> Token:
    """The token of a reading (:func:`_token_reading`) where it was read."""
    return Token(r[0], r[1], r[2], r[3], r[4], page, bbox, size, decorated=r[5], note=r[6], baseline=baseline)


@lru_cache(maxsize=_CACHE)
def _no_token(text: str) -> bool:
    """Whether a word of ``text`` (in no symbol font) gives :func:`_tokens` no token: no reading,
    no letters run into a change, no score and change glued. A pure function of the text: the
    three tests :func:`_tokens` makes of a word, answered at once for a word seen before."""
    return (_token_reading(text) is None and _LETTERS_THEN_CHANGE.match(text) is None
            and (text.count(".") != 2 or split_glued(text) is None))


_FIGURES = regex.compile(r"\d+")
_LETTER = regex.compile(r"\p{L}")


def _furniture_words(doc: Document, st: ScoreTableSettings) -> frozenset[int]:
    """ids of the words of the document's page furniture: lines in the top or bottom band of their
    page (``furniture_band``) that stand at the same height (to a point), with the same words but
    for their figures, on every page but one at most, and on two pages at least (a running footer
    ``PAGE 1 OF 5``, a running header with the edition's year). Their figures are a page's number
    or the edition's, never a table's cell, whatever stands beside them (a narrative heading
    at the foot of the table's page that reads like a summary's label). A line of figures alone is never furniture
    here: a whole-number score on a line of its own can stand in a page's band."""
    pages = doc.pages
    if len(pages) < 2:
        return frozenset()
    band = st.furniture_band
    banded: list[list[tuple[str, int, Line]]] = []
    for p in pages:
        top, foot = p.height * band, p.height * (1 - band)
        banded.append([(_FIGURES.sub("#", ln.text), round(ln.baseline), ln) for ln in p.lines
                       if (ln.y1 <= top or ln.y0 >= foot) and _LETTER.search(ln.text) is not None])
    keys = [{(k, b) for k, b, _ in rows} for rows in banded]
    need = max(2, len(pages) - 1)
    out: set[int] = set()
    for rows in banded:
        for k, b, ln in rows:
            if sum(1 for ks in keys if (k, b) in ks or (k, b - 1) in ks or (k, b + 1) in ks) >= need:
                out.update(id(w) for w in ln.words)
    return frozenset(out)


def _tokens(page: Page, st: ScoreTableSettings, furniture: frozenset[int] = frozenset()) -> list[Token]:
    """The page's tokens (numbers, signs, arrows, change words) outside running text and outside
    the page's furniture (ids of words: :func:`_furniture_words`)."""
    toks = []
    prose = _prose_words(page, st)
    if furniture:
        prose |= furniture
    for w in _untorn_words(page, st, prose):
        if id(w) in prose:
            continue
        if is_symbol_font(w.font):
            meaning = _symbol_text(w)
            if meaning in ("-", "+"):  # a minus or plus from a symbol font: the sign of the next number
                toks.append(Token(w.text, "sign", sign=-1 if meaning == "-" else 1, page=page.number, bbox=w.bbox,
                                  size=w.size))
                continue
            sign = _glyph_sign(meaning)
            if sign:
                toks.append(Token(w.text, "arrow", sign=sign, page=page.number, bbox=w.bbox, size=w.size))
            elif "?" in _symbol_text(w) and len(w.text) <= 2:
                toks.append(Token(w.text, "arrow", sign=None, page=page.number, bbox=w.bbox, size=w.size))
            continue
        if _no_token(w.text):  # (most words: the tests below, kept by text)
            continue
        r = _token_reading(w.text)
        if r is None and (m := _LETTERS_THEN_CHANGE.match(w.text)) is not None:
            # a label's last letter run into an arrowed change drawn over it (a label overflowing
            # its cell into the change's): the change is a token, the letters stay the label's
            pr = _token_reading(m.group(2))
            if pr is not None:
                x0, y0, x1, y1 = w.bbox
                cut = x0 + (x1 - x0) * m.start(2) / len(w.text)
                toks.append(_placed(pr, page.number, (cut, y0, x1, y1), w.size, w.baseline))
            continue
        if r is None:
            glued = split_glued(w.text) if w.text.count(".") == 2 else None  # (a quick test first)
            if glued is None:
                continue
            x0, y0, x1, y1 = w.bbox
            cut = x0 + (x1 - x0) * len(glued[0]) / len(w.text)
            for part, box in ((glued[0], (x0, y0, cut, y1)), (glued[1], (cut, y0, x1, y1))):
                pr = _token_reading(part)
                if pr is not None:
                    toks.append(_placed(pr, page.number, box, w.size, w.baseline))
            continue
        toks.append(_placed(r, page.number, w.bbox, w.size, w.baseline))
    _mark_changes(page, toks, st)
    return toks


def _mark_changes(page: Page, toks: list[Token], st: ScoreTableSettings) -> None:
    """Numbers that are changes by their place, whatever they look like: those with an up or down
    icon drawn right beside them (the icon gives the sign; see also :func:`_mark_change_columns`).
    Such a number is never taken as a score."""
    nums = [t for t in toks if t.kind == "num" and t.bbox is not None]
    slack, reach = st.icon_row_slack, st.icon_reach
    for ic in page.icons:  # each icon belongs to the number nearest it on its row
        best: tuple[float, Token] | None = None
        for t in nums:
            x0, y0, x1, y1 = t.bbox  # type: ignore[misc]
            h = max(y1 - y0, 1.0)
            cy = (ic.y0 + ic.y1) / 2
            if not (y0 - slack * h <= cy <= y1 + slack * h):
                continue
            gap = max(ic.x0 - x1, x0 - ic.x1, 0.0)
            if gap <= reach * h and (best is None or gap < best[0]):
                best = (gap, t)
        if best is not None:
            t = best[1]
            if t.sign == 0 and t.value:
                t.sign, t.role, t.text = ic.direction, "change", t.text + ("▲" if ic.direction > 0 else "▼")
                t.bbox = _union(t.bbox, (ic.x0, ic.y0, ic.x1, ic.y1))  # the change as drawn, icon and all
