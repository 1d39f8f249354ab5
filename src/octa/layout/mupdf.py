"""The pymupdf engine (the default): every glyph of the text trace with its own box and origin,
cut where a clip path or the page's edge cuts it, the vector paths (score bars, icons), turned into
the page model. The fast path keeps a page's glyphs as runs (:class:`~octa.layout.words._Run`)
and builds words run by run; a page where its assumptions fail goes glyph by glyph.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable
from itertools import chain
from math import inf
from pathlib import Path

from octa.errors import CorruptFile, EncryptedFile, TooLarge
from octa.layout.drawn import (
    _DIGIT,
    _POINT_ENDED,
    _add_icon,
    _cut_off,
    _digit_width,
    _glyph_icons_chars,
    _glyph_icons_runs,
    _image_icons,
    _InkReader,
    _is_axis_box,
    _path_icons,
)
from octa.layout.files import _check_box, _check_complete, _check_pages, _short
from octa.layout.page import CLIPPED, NOT_TEXT, Char, Document, Icon, Page, Rect
from octa.layout.settings import LayoutSettings
from octa.layout.words import _fast_words_and_lines, _LazyChars, _Run

#: Glyphs that are dropped when drawn with no advance (the next glyph starts where they start): a
#: glyph without text (U+FFFD, MuPDF's stand-in for a control code) or a blank is not a gap then.
_NO_ADVANCE_DROP = frozenset(" \t\n\r\x0b\x0c\xa0\ufffd")
_SUSPECT = NOT_TEXT | _NO_ADVANCE_DROP


def _load_pymupdf(path: Path, password: str | None, max_pages: int, s: LayoutSettings) -> Document:
    import pymupdf

    pymupdf.TOOLS.mupdf_display_errors(False)  # reasons go to the caller, not to stderr
    try:
        try:
            str(path).encode("utf-8")
        except UnicodeEncodeError:  # a file name that is not UTF-8: MuPDF takes names as UTF-8, so open the bytes
            pdf = pymupdf.open(stream=path.read_bytes(), filetype="pdf")
        else:
            pdf = pymupdf.open(str(path), filetype="pdf")
    except Exception as exc:  # MuPDF raises FileDataError, RuntimeError, ValueError...
        raise CorruptFile(str(path), f"cannot be opened as a PDF ({_short(exc)})") from None
    try:
        if pdf.needs_pass:
            if not password:
                raise EncryptedFile(str(path), "encrypted with a user password (give it with --password)")
            if not pdf.authenticate(password):
                raise EncryptedFile(str(path), "encrypted, and the password given does not open it")
        try:  # a damaged page tree or info dictionary fails here, after the file opened
            count = pdf.page_count
            meta = {k: str(v) for k, v in (pdf.metadata or {}).items() if v}
        except Exception as exc:
            raise CorruptFile(str(path), f"the page tree cannot be read ({_short(exc)})") from None
        _check_pages(path, count, max_pages)
        pages = []
        glyphs: dict[tuple[str, str], set[int]] = {}  # icon glyphs read so far: their directions
        for index in range(count):
            try:
                page = pdf.load_page(index)
                rect = page.rect
                _check_box(path, rect.width, rect.height)
                overprints: list[str] = []
                icons: list[Icon] = []
                unread: list[tuple[float, float, float, float]] = []
                clips: list[tuple[float, ...]] = []  # (x0, y0, x1, y1, after seqno, before seqno)
                rects = list(_pymupdf_rects(page, s, icons, unread, clips))
                trace = page.get_texttrace()
                if any([sp["bbox"][2] > rect.width or sp["bbox"][0] < 0 for sp in trace]):
                    clips.append((0.0, 0.0, rect.width, rect.height, -inf, inf))  # the page's edge cuts too
                if clips:
                    trace = _clipped(trace, clips, s)
                got = _pymupdf_runs(trace, overprints, rect.width, rect.height, s)
                reader = _InkReader(page, s)
                xobjects = page.get_images()
                if xobjects:  # (XObject images only: listing every placement costs a page's run)
                    _image_icons(_pymupdf_image_boxes(page), reader, s, icons)
                if got:
                    runs = isinstance(got[0], _Run)
                    got = (_glyph_icons_runs(got, reader, s, icons, glyphs) if runs  # type: ignore[arg-type]
                           else _glyph_icons_chars(got, reader, s, icons))  # type: ignore[arg-type]
                    if unread:
                        digits = ([(r.x0s[m.start()], r.x1s[m.start()], r.y0, r.y1, r.size) for r in got
                                   for m in _DIGIT.finditer(r.text)] if runs else  # type: ignore[union-attr]
                                  [(c.x0, c.x1, c.y0, c.y1, c.size) for c in got if _DIGIT.match(c.c)])  # type: ignore[union-attr]
                        _path_icons(unread, digits, reader, s, icons)
                images = len(xobjects) if not got else 0
            except (EncryptedFile, TooLarge):
                raise
            except Exception as exc:
                raise CorruptFile(str(path), f"page {index + 1} cannot be read ({_short(exc)})") from None
            if got and isinstance(got[0], _Run):
                p = Page(index + 1, rect.width, rect.height, _LazyChars(got), rects,  # type: ignore[arg-type]
                         overprints=overprints, images=images, icons=icons, deduped=True)
                p.built = _fast_words_and_lines(p, got, s)  # type: ignore[arg-type]
            else:
                p = Page(index + 1, rect.width, rect.height, got, rects, overprints=overprints,  # type: ignore[arg-type]
                         images=images, icons=icons, deduped=True)
            pages.append(p)
        if pdf.is_repaired:
            _check_complete(path, pdf)
    finally:
        pdf.close()
    return Document(str(path), "", "pymupdf", pages, meta)


def _clipped(trace: list[dict], clips: list[tuple[float, ...]], s: LayoutSettings) -> list[dict]:
    """The text trace as drawn where a clip path cuts a span off: a span drawn under a clip (its
    sequence number within the clip's scope (:func:`_clip_scopes`), its first glyph starting inside
    the clip's box) that runs out of the box's right edge (or, its last glyph ending inside, out of
    its left edge) is drawn only up to that edge. Its glyphs beyond the edge (one the edge crosses
    with at least ``clip_cut`` of its width and more than ``clip_slack`` sizes outside, and those
    wholly beyond) are not drawn and become one :data:`CLIPPED` mark, so that what is left is never
    read as a whole word or number (``0.00`` cut after ``0.0`` reads ``0.0…``); so does a number
    that ends in its point at the edge (``1.``). Other spans are passed on untouched."""
    out: list[dict] = []
    for span in trace:
        chars = span.get("chars")
        size = span.get("size", 0.0)
        if not chars:
            out.append(span)
            continue
        seq = span.get("seqno", -1)
        first, last = chars[0][3], chars[-1][3]
        fm, lm = (first[1] + first[3]) / 2, (last[1] + last[3]) / 2
        # a number that ends in its point short of the edge by less than a digit: the producer did
        # not draw (nor give) the digit after it, whose ink would have been past the edge
        reach = _digit_width(chars) if chars[-1][0] == 46 else 0.0
        right = [c for c in clips if c[4] < seq < c[5] and c[0] - 0.01 <= first[0] < c[2]
                 and c[1] <= fm <= c[3] and last[2] > c[2] - reach]
        left = [c for c in clips if c[4] < seq < c[5] and c[0] < last[2] <= c[2] + 0.01
                and c[1] <= lm <= c[3] and first[0] < c[0]]
        if not right and not left:
            out.append(span)
            continue
        x_max = min(c[2] for c in right) if right else None
        x_min = max(c[0] for c in left) if left else None
        kept: list = []
        for ch in chars:
            x0, _y0, x1, _y1 = ch[3]
            w = x1 - x0
            if x_max is not None and x1 > x_max or x_min is not None and x0 < x_min:
                outside = max(x1 - x_max if x_max is not None else 0.0, x_min - x0 if x_min is not None else 0.0)
                whole = (x_max is not None and x0 >= x_max) or (x_min is not None and x1 <= x_min)
                if not whole and not _cut_off(outside, w, size, s):
                    kept.append(ch)  # a glyph that only grazes the edge (its side bearing, a letter spacing)
                elif not (kept and kept[-1][0] == ord(CLIPPED)) and not ch[0] == 32:
                    kept.append((ord(CLIPPED), ch[1], ch[2], ch[3]))  # one mark where the drawing stops
                continue
            kept.append(ch)
        last_kept = kept[-1] if kept else None
        if last_kept is not None and last_kept[0] != ord(CLIPPED) and x_max is not None \
                and last_kept[3][2] > x_max - reach \
                and _POINT_ENDED.match("".join(chr(c[0]) for c in kept if c[0] >= 0)):
            # a number that ends in its decimal point right at the edge (``1.`` of ``1.5``, the digit
            # after it not drawn, nor given by the producer): cut there too
            kept.append((ord(CLIPPED), last_kept[1], last_kept[2], last_kept[3]))
        out.append({**span, "chars": kept})
    return out


def _visible_spans(trace: list[dict], s: LayoutSettings) -> list[dict]:
    """The text-trace spans that are drawn, upright and hold glyphs: invisible text (OCR layers,
    hidden text), vertical text and rotated text (decoration in profiles) left out."""
    rot = s.rotation_tol
    spans = []
    for span in trace:
        if span.get("type") == 3 or span.get("opacity", 1) == 0 or span.get("wmode", 0) != 0:
            continue  # invisible text (OCR layers, hidden text) and vertical text
        d = span.get("dir", (1, 0))
        if abs(d[1]) > rot or d[0] <= 0:
            continue  # rotated text is decoration in profiles
        if span["chars"]:
            spans.append(span)
    return spans


def _pymupdf_chars(trace: list[dict], overprints: list[str], s: LayoutSettings) -> list[Char]:
    """Glyphs from MuPDF's text trace (one entry per text run as drawn): visible, horizontal text
    only; a run drawn again within a point of itself (fake bold, producer duplicates) is an
    overprint, kept once and recorded."""
    cell, no_advance = s.overprint_tol, s.no_advance
    out: list[Char] = []
    seen: set[tuple[str, int, int]] = set()
    drawn = _visible_spans(trace, s)
    # a blank ending a span, whose next span starts where it starts, does not advance either
    following = {id(a): b["chars"][0][2] for a, b in zip(drawn, drawn[1:], strict=False)}
    for span in drawn:
        chars = span["chars"]
        text = "".join(chr(c[0]) if c[0] >= 0 else "\ufffd" for c in chars)
        if text.strip():
            ox, oy = chars[0][2]
            gx, gy = int(ox / cell), int(oy / cell)
            if any((text, gx + dx, gy + dy) in seen for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
                overprints.append(text)
                continue
            seen.add((text, gx, gy))
        font, size = span["font"], round(span["size"], 2)
        last = len(chars) - 1
        after = following.get(id(span))  # the origin of the next span's first glyph
        for k, (ch, (_u, _g, origin, bbox)) in enumerate(zip(text, chars, strict=True)):
            if ch in _SUSPECT and (ch in NOT_TEXT or (abs(chars[k + 1][2][0] - origin[0]) < no_advance if k < last else
                                                     after is not None and abs(after[0] - origin[0]) < no_advance
                                                     and abs(after[1] - origin[1]) < no_advance)):
                continue
            out.append(Char(ch, bbox[0], bbox[1], bbox[2], bbox[3], origin[1], font, size))
    return out


def _pymupdf_rects(page: object, s: LayoutSettings, icons: list[Icon] | None = None,
                   unread: list[tuple[float, float, float, float]] | None = None,
                   clips: list[tuple[float, ...]] | None = None) -> Iterable[Rect]:
    # get_cdrawings(): MuPDF's paths as plain tuples (get_drawings() wraps each point and box in an
    # object, which costs more than the paths themselves); extended: the clip paths too (as cheap),
    # whose boxes (``scissor``) go to ``clips``
    drawn = page.get_cdrawings(extended=clips is not None)  # type: ignore[attr-defined]
    if clips is not None:
        clips.extend(_clip_scopes(drawn))
    for d in drawn:
        if d.get("type") in ("clip", "group"):
            continue
        fill = d.get("fill")
        items = d.get("items", ())
        if fill is None:
            if icons is not None and items and d.get("color") is not None and unread is not None:
                # a stroked figure (a line arrow: shaft and barbs): its outline's vertices depend on how
                # the strokes were joined (a shaft ending just short of the tip read as a second tip),
                # so its ink decides, as for glyphs and images
                # (the box from the points and the stroke's width: MuPDF's rect of a stroked path may
                # leave out a barb)
                pts = [pt for it in items if it[0] in ("l", "c") for pt in (it[1], it[-1])] or [
                    (d["rect"][0], d["rect"][1]), (d["rect"][2], d["rect"][3])]
                pad = (d.get("width") or 1.0) / 2
                x0, x1 = min(p[0] for p in pts) - pad, max(p[0] for p in pts) + pad
                y0, y1 = min(p[1] for p in pts) - pad, max(p[1] for p in pts) + pad
                if 0 <= x1 - x0 <= s.icon_max and 0 < y1 - y0 <= s.icon_max:
                    unread.append((x0, y0, x1, y1))
            continue
        if len(items) == 1 and items[0][0] == "re" or _is_axis_box(items, s.axis_tol):
            x0, y0, x1, y1 = d["rect"]
            yield Rect(x0, y0, x1, y1, tuple(round(c, 3) for c in fill))
        elif icons is not None and items:
            _add_icon(icons, d["rect"], items, s, unread)


def _clip_scopes(drawn: list[dict]) -> list[tuple[float, ...]]:
    """Each clip path of a page's extended drawings list as its box and the scope of sequence
    numbers it holds: after the last item drawn before it, before the next item drawn at its own
    nesting level or above (MuPDF gives a clip no sequence number of its own, and no end)."""
    out = []
    for k, d in enumerate(drawn):
        if d.get("type") != "clip" or d.get("scissor") is None:
            continue
        level = d.get("level", 0)
        lo = next((e["seqno"] for e in reversed(drawn[:k]) if e.get("seqno") is not None), -1)
        hi = next((e["seqno"] for e in drawn[k + 1:] if e.get("seqno") is not None and e.get("level", 0) <= level),
                  float("inf"))
        out.append((*d["scissor"], lo, hi))
    return out


def _pymupdf_image_boxes(page: object) -> list[tuple[float, float, float, float]]:
    """Where a page draws its images; none when MuPDF cannot list them (the text is read as it is)."""
    try:
        return [tuple(info["bbox"]) for info in page.get_image_info()]  # type: ignore[attr-defined]
    except Exception:
        return []
_SUSPECT_RE = re.compile("[" + "".join(re.escape(c) for c in sorted(_SUSPECT)) + "]")


def _pymupdf_runs(trace: list[dict], overprints: list[str], width: float, height: float,
                  s: LayoutSettings) -> list[_Run] | list[Char]:
    """The visible glyph runs of a page (the rules of :func:`_pymupdf_chars` and the page-box
    filter), split where a span changes baseline or goes back, or, when glyph boxes of one run
    differ in height, the page's Char list.

    The glyphs of all kept spans are turned into page-wide columns (text, origins, boxes) by a few
    C-level transpositions; spans are slices of them, so no Python code runs per glyph unless a
    glyph has to be dropped (a control character, a blank drawn with no advance, a glyph off the
    page)."""
    cell, no_advance, space_min_width = s.overprint_tol, s.no_advance, s.space_min_width
    spans = _visible_spans(trace, s)
    if not spans:
        return []
    codes, gids, origins, boxes = zip(*chain.from_iterable([span["chars"] for span in spans]), strict=True)
    if min(gids) < 0:  # glyphs that stand for several characters (MuPDF: the rest with no glyph of their own)
        spans = [_shared_boxes(span, no_advance) for span in spans]
        codes, gids, origins, boxes = zip(*chain.from_iterable([span["chars"] for span in spans]), strict=True)
    ptext = "".join(map(chr, codes)) if min(codes) >= 0 else "".join(
        [chr(u) if u >= 0 else "\ufffd" for u in codes])
    oxs, oys = zip(*origins, strict=True)
    x0a, y0a, x1a, y1a = zip(*boxes, strict=True)
    pgaps = list(map(operator.sub, x0a[1:], x1a[:-1]))
    starts = [0]
    for span in spans:
        starts.append(starts[-1] + len(span["chars"]))
    drop: set[int] = set()
    if not _SUSPECT.isdisjoint(ptext):
        # a glyph that is not text, or a blank drawn with no advance (the next glyph of its span starts
        # where it starts)
        bounds = set(starts)
        drop = {k for k in map(re.Match.start, _SUSPECT_RE.finditer(ptext))
                if ptext[k] in NOT_TEXT or k + 1 < len(ptext) and abs(oxs[k + 1] - oxs[k]) < no_advance
                and (k + 1 not in bounds or abs(oys[k + 1] - oys[k]) < no_advance)}
    on_page = min(x1a) > 0 and min(y1a) > 0 and max(x0a) < width and max(y0a) < height
    runs: list[_Run] = []
    seen: set[tuple[str, int, int]] = set()
    seen_texts: set[str] = set()
    for i, span in enumerate(spans):
        a, b = starts[i], starts[i + 1]
        text = ptext[a:b]
        if text.strip():  # a run drawn again within a point of itself is an overprint
            gx, gy = int(oxs[a] / cell), int(oys[a] / cell)
            if text in seen_texts and any((text, gx + dx, gy + dy) in seen for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
                overprints.append(text)
                continue
            seen.add((text, gx, gy))
            seen_texts.add(text)
        keep: list[int] | None = None
        if drop and not drop.isdisjoint(range(a, b)):
            keep = [k for k in range(a, b) if k not in drop]
        if not on_page:
            ks = range(a, b) if keep is None else keep
            if min([x1a[k] for k in ks]) <= 0 or min([y1a[k] for k in ks]) <= 0 \
                    or max([x0a[k] for k in ks]) >= width or max([y0a[k] for k in ks]) >= height:
                keep = [k for k in ks if x1a[k] > 0 and y1a[k] > 0 and x0a[k] < width and y0a[k] < height]
        if keep is None:
            x0s, y0s, x1s, y1s, bases = x0a[a:b], y0a[a:b], x1a[a:b], y1a[a:b], oys[a:b]
            gaps = pgaps[a:b - 1]
        else:
            if not keep:
                continue
            text = "".join([ptext[k] for k in keep])
            x0s, y0s, x1s, y1s, bases = ([col[k] for k in keep] for col in (x0a, y0a, x1a, y1a, oys))
            gaps = list(map(operator.sub, x0s[1:], x1s[:-1]))
        font, size = span["font"], round(span["size"], 2)
        n = len(text)
        if min(bases) == max(bases) and all(map(operator.le, x0s, x0s[1:])):
            cuts = [0, n]
        else:  # one span over several lines or going back: a run per baseline and forward stretch
            cuts = [0, *(k for k in range(1, n) if bases[k] != bases[k - 1] or x0s[k] < x0s[k - 1]), n]
        for a0, e in zip(cuts, cuts[1:], strict=False):
            y0, y1 = y0s[a0], y1s[a0]
            if e - a0 == n:
                if min(y0s) != y0 or max(y0s) != y0 or min(y1s) != y1 or max(y1s) != y1:
                    return _slow_chars(spans, overprints, width, height, s)  # glyph boxes of unequal heights
                runs.append(_Run(len(runs), text, font, size, bases[a0], y0, y1, x0s, x1s, gaps, space_min_width))
            else:
                if min(y0s[a0:e]) != y0 or max(y0s[a0:e]) != y0 or min(y1s[a0:e]) != y1 or max(y1s[a0:e]) != y1:
                    return _slow_chars(spans, overprints, width, height, s)
                runs.append(_Run(len(runs), text[a0:e], font, size, bases[a0], y0, y1, x0s[a0:e], x1s[a0:e],
                                 gaps[a0:e - 1], space_min_width))
    return runs


def _shared_boxes(span: dict, no_advance: float) -> dict:
    """A text-trace span whose glyphs that stand for several characters (a ligature ``fi`` or ``ft``
    mapped to its letters: MuPDF gives the glyph's box to the first character and the others no
    glyph, no width, at the same origin) give each of those characters an equal part of the glyph's
    box, so that the word goes on across it (a soft hyphen among them is not drawn, and left out);
    other spans as they are."""
    chars = span["chars"]
    if all(c[1] >= 0 for c in chars):
        return span
    out: list[tuple] = []
    k, n = 0, len(chars)
    while k < n:
        lead = chars[k]
        j = k + 1
        while j < n and chars[j][1] < 0 and abs(chars[j][2][0] - lead[2][0]) < no_advance \
                and abs(chars[j][2][1] - lead[2][1]) < no_advance:
            j += 1
        if j == k + 1:
            out.append(lead)
        else:
            x0, y0, x1, y1 = lead[3]
            ox, oy = lead[2]
            # a soft hyphen among the characters a glyph stands for (``fi`` + U+00AD: a ligature
            # whose text carries a hyphenation point) has no glyph: it is not drawn
            group = [lead, *(c for c in chars[k + 1:j] if c[0] != 0xAD)]
            step = (x1 - x0) / len(group)
            for m, c in enumerate(group):
                out.append((c[0], lead[1] if m == 0 else c[1], (ox + m * step, oy),
                            (x0 + m * step, y0, x0 + (m + 1) * step, y1)))
        k = j
    return {**span, "chars": out}


def _slow_chars(trace: list[dict], overprints: list[str], width: float, height: float,
                s: LayoutSettings) -> list[Char]:
    overprints.clear()
    return [c for c in _pymupdf_chars(trace, overprints, s) if c.x1 > 0 and c.y1 > 0 and c.x0 < width and c.y0 < height]
