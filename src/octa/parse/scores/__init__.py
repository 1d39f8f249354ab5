"""Score parser: summary scores, every indicator's score and change, ranks, country, year, family.

It anchors on the taxonomy's labels (matched fuzzily to garbled, split and interleaved label text)
and on geometry (same row band, nearest numbers in the reading direction), never on coordinates
or fonts of one producer. The same row interpretation serves PDF mode (positioned words from
:mod:`octa.layout`) and text mode (lines of text another tool extracted).

The reader's stages, in the order data flows through them (:data:`STAGES`; a stage imports from
the stages before it only, never from a later one):

1. ``tokens`` — a word's text → a token; a cell's tokens → its score and its change
2. ``results`` — tokens → the result model (``ScoreRead`` … ``ScoreResult``) and the arithmetic of its averages
3. ``metadata`` — text → rank phrases, family, edition, country; a label's text → the summary it names
4. ``words`` — a page's words → its tokens (torn numbers, decorations, running text, change icons)
5. ``labels`` — a page's lines → label segments → label blocks matched to the taxonomy (broken, cut)
6. ``cells`` — label blocks and a page's tokens → each label's cells on either side; change columns
7. ``rows`` — blocks and tokens by page → the reader's state: cells, reading direction, reading order
8. ``placing`` — the reader's state → every label's score placed in a ``ScoreResult``
9. ``changes`` — placed scores → their changes; ambiguous rows and unsigned changes settled
10. ``bars`` — a page's rectangles and the placed scores → each row's bar reading
11. ``document`` — a ``Document`` → its ``ScoreResult`` (:func:`parse_document`): stages 4 to 10, metadata
12. ``text`` — extracted text → its ``ScoreResult`` (:func:`parse_text`): stages 1 to 3 and 9

The thresholds of every stage are one :class:`ScoreTableSettings` (:data:`DEFAULT_SETTINGS` unless
a caller passes others).
"""

from octa.parse.scores.document import parse_document
from octa.parse.scores.metadata import (
    CONTINENTS,
    detect_country,
    detect_family,
    detect_year,
    match_summary,
    parse_rank_text,
    rank_is_tie,
)
from octa.parse.scores.results import RankRead, ScoreRead, ScoreResult, UnreadCell
from octa.parse.scores.text import parse_text
from octa.parse.scores.tokens import (
    DOWN_GLYPHS,
    FLAT_GLYPHS,
    INDEX_SCALE,
    MINUS,
    UP_GLYPHS,
    Token,
    change_token,
    decorated_number,
    interpret_cell,
    parse_token,
    split_glued,
    unread_score,
)
from octa.parse.settings import DEFAULT_SETTINGS, ScoreTableSettings

#: The stage modules, in the order data flows through them.
STAGES = ("tokens", "results", "metadata", "words", "labels", "cells", "rows", "placing", "changes", "bars",
          "document", "text")

__all__ = [
    "CONTINENTS", "DEFAULT_SETTINGS", "DOWN_GLYPHS", "FLAT_GLYPHS", "INDEX_SCALE", "MINUS", "STAGES", "UP_GLYPHS",
    "RankRead", "ScoreRead", "ScoreResult", "ScoreTableSettings", "Token", "UnreadCell",
    "change_token", "decorated_number", "detect_country", "detect_family", "detect_year", "interpret_cell",
    "match_summary", "parse_document", "parse_rank_text", "parse_text", "parse_token", "rank_is_tie",
    "split_glued", "unread_score",
]
