"""The section parser: the narrative heading tree of DOMAIN §4 and each paragraph's indicator.

Input is the cleaner's output (blocks of headings and paragraphs in reading order, PDF or text
mode), never the PDF. Headings are recognised by the taxonomy (tolerant of case and tracking
splits) — the cleaner has already used typography to tell a heading line from body text.

The tree comes from the taxonomy's data (``octa/taxonomy/global.toml``): each pillar's
``narrative`` path (the criminal markets under the top heading of criminality and the heading of
the markets; the criminal actors' paragraphs directly under their own heading; resilience's groups
under its top heading), and each group's heading under its pillar's path.

Paragraphs are tied to indicators by group order when the number of paragraphs equals the number
of the edition's indicators in the group; otherwise by content (the indicator's label or a
synonym in the opening sentence), keeping taxonomy order. An equal count can hide a paragraph cut
at a break at a sentence end beside two indicators printed as one paragraph: a cut pair is joined
then only when the content ties every paragraph and beats the order's evidence. A paragraph that
cannot be tied stays ``indicator: null``; a missing paragraph is for the validator to report, never
a guess. The words that name an indicator in prose are the taxonomy's ``keywords``.
"""

from __future__ import annotations

import re

from octa import taxonomy
from octa.clean import Block, Cleaned, Log, heading_of, join_cut, narrative_start
from octa.model import Paragraph, Repair, Section
from octa.taxonomy import Edition


def parse_sections(cleaned: Cleaned, edition: Edition, repairs: list[Repair] | None = None) -> list[Section]:
    """Sections of a cleaned document (PDF or text mode). Paragraphs the cleaner marked as cut at a
    column or page break are joined where the group's paragraph count asks for it; those joins
    (``column_break``) are appended to ``repairs`` when given. The cleaner's result is not changed."""
    log = cleaned.log.fork() if cleaned.log is not None else Log()
    sections = build_tree(cleaned.narrative, edition, log)
    if repairs is not None:
        repairs.extend(log.repairs)
    return sections


def parse_sections_text(text: str, edition: Edition) -> list[Section]:
    """Sections of already-cleaned text: blank-line blocks, a heading being a block of one line."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if "\n" not in chunk and heading_of(chunk, edition):
            blocks.append(Block("heading", chunk, []))
        else:
            blocks.append(Block("paragraph", " ".join(x.strip() for x in chunk.splitlines()), []))
    top = edition.narrative_top[0]
    start = narrative_start(len(blocks), lambda i: blocks[i].kind == "heading" and heading_of(blocks[i].text, edition) == top,
                            lambda j: blocks[j].kind == "paragraph", lambda i: blocks[i].kind == "heading", len(blocks))
    return build_tree(blocks[start:], edition)


def build_tree(blocks: list[Block], edition: Edition, log: Log | None = None) -> list[Section]:
    """The heading tree from blocks in reading order, paragraphs tied to indicators."""
    log = log or Log()
    sections: list[Section] = []
    members: dict[int, list[Block]] = {}
    path: list[str] = []
    current: Section | None = None
    started = False
    for b in blocks:
        if b.kind == "heading":
            h = heading_of(b.text, edition)
            if h is None:
                continue
            new_path = edition.place(h)
            if new_path is None:
                continue
            started = True
            path = new_path
            current = Section(path=list(path), heading=h, level=len(path), paragraphs=[],
                              page=b.pages[0] if b.pages else None, bbox=list(b.bbox) if b.bbox else None)
            sections.append(current)
            members[id(current)] = []
            continue
        if b.kind != "paragraph" or not started or current is None:
            continue
        members[id(current)].append(b)
    for sec in sections:
        expected = expected_indicators(sec, edition)
        paras = _join_by_content(_join_by_count(members[id(sec)], len(expected), log), expected, log)
        sec.paragraphs = [Paragraph(text=b.text, indicator=None, pages=list(b.pages)) for b in paras]
        tie_paragraphs(sec, edition)
    return sections


def _join_by_count(paras: list[Block], expected: int, log: Log) -> list[Block]:
    """While a group has more paragraphs than the edition has indicators in it, join the pair split
    at a column or page break that most looks cut (last line filling the column first)."""
    paras = list(paras)
    while expected and len(paras) > expected:
        cands = [i for i in range(len(paras) - 1) if paras[i].cut]
        if not cands:
            break
        i = min(cands, key=lambda i: (paras[i].cut != "full", i))
        paras[i:i + 2] = [join_cut(paras[i], paras[i + 1], log)]
    return paras


def _join_by_content(paras: list[Block], expected: list[str], log: Log) -> list[Block]:
    """A group whose paragraph count equals its indicator count can still hold a paragraph cut at a
    break at a sentence end *and* two indicators printed as one paragraph: the count matches and
    every paragraph after the cut would be tied to the indicator before its own. Join a cut pair
    only when the content then ties every paragraph, and either scores strictly higher than the
    order does (a profile whose paragraphs are in order gains nothing from a join, so it is never
    joined) or the piece after the cut opens on the indicator before it and not on its own (it goes
    on about the indicator of the paragraph it was cut from)."""
    if not expected or len(paras) != len(expected) or not any(b.cut for b in paras[:-1]):
        return paras
    openings = [_opening(b.text) for b in paras]
    best = sum(_score(o, e) for o, e in zip(openings, expected, strict=True))
    pick = None
    goes_on = None
    for i in range(len(paras) - 1):
        if not paras[i].cut:
            continue
        tied, total = _content_tie(openings[:i + 1] + openings[i + 2:], expected)
        if None in tied:
            continue
        if total > best:
            best, pick = total, i
        elif goes_on is None and _score(openings[i + 1], expected[i]) > 0 and _score(openings[i + 1], expected[i + 1]) == 0:
            goes_on = i
    if pick is None:
        pick = goes_on
    if pick is None:
        return paras
    return paras[:pick] + [join_cut(paras[pick], paras[pick + 1], log)] + paras[pick + 2:]


def expected_indicators(section: Section, edition: Edition) -> list[str]:
    """The indicator ids whose paragraphs belong under ``section``, in taxonomy order."""
    inds = edition.indicators
    pillar = edition.narrative_pillar(section.path)
    if pillar is not None:
        return [i.id for i in inds if i.pillar == pillar.id]
    group = edition.group_of_heading(section.heading)
    if group is None:
        return []
    return [i.id for i in inds if i.group == group.id]


def tie_paragraphs(section: Section, edition: Edition) -> None:
    paras = section.paragraphs
    expected = expected_indicators(section, edition)
    if not paras or not expected:
        return
    if len(paras) == len(expected):
        for p, ind in zip(paras, expected, strict=True):
            p.indicator = ind
        return
    for p, ind in zip(paras, _content_tie([_opening(p.text) for p in paras], expected)[0], strict=True):
        p.indicator = ind


def _opening(text: str) -> str:
    m = re.match(r"(.{20,}?[.!?])(\s|$)", text)
    return (m.group(1) if m else text[:300]).lower()


def _score(sentence: str, indicator_id: str) -> float:
    ind = taxonomy.INDICATORS_BY_ID[indicator_id]
    s = " " + re.sub(r"[^a-z0-9\- ]+", " ", sentence) + " "
    score = 0.0
    label = taxonomy.fold(ind.label)
    if label in taxonomy.fold(sentence):
        score += 3.0
    for k, kw in enumerate(ind.keywords):
        if re.search(r"(?<![a-z])" + re.escape(kw), s):
            score += 2.0 if k == 0 else 1.0
    return score


def _content_tie(openings: list[str], expected: list[str]) -> tuple[list[str | None], float]:
    """An order-keeping assignment of paragraphs (by their opening sentences) to indicators that
    maximises the content scores (dynamic programming), and that maximum; a paragraph with no
    evidence for any indicator stays None."""
    n, m = len(openings), len(expected)
    scores = [[_score(o, e) for e in expected] for o in openings]
    neg = float("-inf")
    # best[i][j]: best total for the first i paragraphs using indicators before j
    best = [[neg] * (m + 1) for _ in range(n + 1)]
    choice: dict[tuple[int, int], tuple[int, int, int | None]] = {}
    for j in range(m + 1):
        best[0][j] = 0.0
    for i in range(1, n + 1):
        for j in range(m + 1):
            # paragraph i-1 unassigned
            cand = best[i - 1][j]
            how: tuple[int, int, int | None] = (i - 1, j, None)
            # paragraph i-1 assigned to indicator j-1
            if j >= 1 and scores[i - 1][j - 1] > 0 and best[i - 1][j - 1] + scores[i - 1][j - 1] > cand:
                cand = best[i - 1][j - 1] + scores[i - 1][j - 1]
                how = (i - 1, j - 1, j - 1)
            # indicator j-1 skipped
            if j >= 1 and best[i][j - 1] > cand:
                cand = best[i][j - 1]
                how = (i, j - 1, -1)
            best[i][j] = cand
            choice[(i, j)] = how
    out: list[str | None] = [None] * n
    i, j = n, m
    while i > 0:
        pi, pj, k = choice[(i, j)]
        if k is not None and k >= 0:
            out[i - 1] = expected[k]
        i, j = pi, pj
    return out, best[n][m]
