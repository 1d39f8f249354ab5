"""The score-table parser's thresholds, named: :class:`ScoreTableSettings`.

Every geometric or heuristic threshold that :mod:`octa.parse.scores` decides by is one field here,
with its meaning and unit. Sizes are font sizes: a field "in sizes" is a multiple of the size of
the text it is measured against (a gap of ``0.9`` sizes beside a 10 pt word is 9 pt); "pt" fields
are absolute (PDF points); similarity fields are in points of a 0-100 fuzzy ratio. The defaults are
the values the parser is tuned with. A caller passes its own (frozen) instance down the way
pdfplumber passes ``TableSettings``::

    from dataclasses import replace
    from octa.parse.scores import DEFAULT_SETTINGS, parse_document

    res = parse_document(doc, settings=replace(DEFAULT_SETTINGS, label_word_gap=1.2))
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from fractions import Fraction

from octa.thresholds import BAR_AGREEMENT, FURNITURE_BAND
from octa.thresholds import documented as _doc


@dataclass(frozen=True, slots=True)
class ScoreTableSettings:
    """The thresholds of the score-table parser (see the module documentation for the units).
    Frozen: derive a variant with :func:`dataclasses.replace`."""

    # --- Tokens and cells ----------------------------------------------------------------------
    sign_reach: float = _doc(1.5, "Sizes (of the number): a sign set apart (``-`` ``0.5``) binds to the "
                                  "next number only when the gap between them is at most this.")
    arrow_reach: float = _doc(1.5, "Sizes (of the arrow): an arrow glyph binds to a number before or after "
                                   "it only when the gap between them is at most this.")
    arrow_nearer_ratio: float = _doc(0.5, "Ratio: an arrow whose gap to the number before it is below this "
                                          "share of its gap to the number after it binds to the number before.")
    headline_ratio: float = _doc(1.15, "Ratio of sizes: a score candidate more than this many times the size "
                                       "of the one nearer the label wins (a headline score beside a small note).")

    # --- Label lines ---------------------------------------------------------------------------
    label_word_gap: float = _doc(0.9, "Sizes: a gap wider than this between two label words of a line "
                                      "ends the label's run (the next words are another cell's).")
    rule_max_width: float = _doc(2.0, "pt: a drawn box at most this wide (and tall enough) is a vertical "
                                      "rule of a grid, separating cells.")
    rule_min_height: float = _doc(4.0, "pt: a drawn box at least this tall (and thin enough) is a vertical "
                                       "rule of a grid.")
    edge_slack: float = _doc(0.5, "pt: slack when comparing box edges (a rule standing between two words, "
                                  "a sign inside a label's word, a change between label and score, a "
                                  "CHANGE header above a number).")
    cut_label_letters: float = _doc(0.5, "Ratio: a label whose last words the page cut off is read when its "
                                          "words begin one indicator's label only and hold at least this part "
                                          "of its letters.")
    join_gap: float = _doc(3.0, "Sizes: label runs side by side on one baseline are also tried joined "
                                "(widely tracked or justified label words) when the gap is at most this.")
    join_baseline: float = _doc(0.3, "Sizes: label runs are on one baseline (for joining) when their "
                                     "baselines differ by at most this.")
    join_blocker_baseline: float = _doc(0.5, "Sizes: a non-label word between two label runs prevents "
                                             "their joining when its baseline is within this of theirs.")
    min_line_step: float = _doc(0.75, "Sizes: a label line continues the one above it (a wrapped label) "
                                      "only when its baseline is at least this far below.")
    max_line_step: float = _doc(1.75, "Sizes: the farthest a label's next line's baseline stands below "
                                      "its line (a wrapped label's line step, or leading).")
    same_size: float = _doc(0.2, "Sizes: two lines are set in one size (one label's lines, one column "
                                 "overleaf) when their sizes differ by at most this.")
    column_alignment: float = _doc(1.0, "Sizes: two lines are in one column (a wrapped label's lines, a "
                                        "label continued overleaf) when their left (or right) edges are "
                                        "closer than this.")
    in_order_bonus: float = _doc(3.0, "Similarity points: a label wrapped over lines scores at most its "
                                      "similarity with the words kept in order plus this (words out of "
                                      "order are a neighbour's lines, not a wrap).")
    wrap_penalty: float = _doc(0.5, "Similarity points taken off a label block per line beyond its "
                                    "first (a one-line match beats an equal wrapped one).")
    max_label_words: int = _doc(9, "Words: a longer run of label words is prose, never a table label.")
    max_label_chars: int = _doc(70, "Letters: a longer label text is prose, never a table label (also in "
                                    "text mode, for labels joined from lines).")
    branching_lines: int = _doc(4, "Lines: a label may wrap over this many lines with any branching "
                                   "(several lines below a line)...")
    max_label_lines: int = _doc(8, "Lines: ...and up to this many when each line has one line under it.")
    broken_part_lines: int = _doc(8, "Lines: the most lines of a label's part on either side of a page "
                                     "break (a label broken by the page): as many as a label may have "
                                     "(max_label_lines), since a narrow cell may put a whole label but its "
                                     "last word on the page before.")
    header_lines: int = _doc(3, "Lines: the most lines of a table header repeated at the head of the next "
                                "page, skipped before a broken label's second part.")

    # --- Numbers on the page -------------------------------------------------------------------
    torn_number_gap: float = _doc(0.8, "Sizes: parts of a number torn by wide tracking (``5`` ``.`` ``5``) "
                                       "are put together when at most this far apart.")
    scale_wrap_reach: float = _doc(0.6, "Sizes: a number's scale wrapped by a narrow cell onto the next line "
                                        "(``4.50 out of`` over ``10``) is joined with it when the scale's digits "
                                        "start within this of the bottom of the number's line")
    decoration_gap: float = _doc(0.8, "Sizes: a number's decoration printed as words of its own (the scale "
                                      "of ``6.5 / 10``, ``6.5 out of 10``, a ``%``) is read with it when each "
                                      "word is at most this far from the one before.")
    unread_column_rows: int = _doc(3, "Rows: a page's score column (an edge, left, right or centre, of the "
                                      "scores read in their rows) is one that at least this many share; a word "
                                      "not understood standing in it in a label's row is that row's score token.")
    unread_column_slack: float = _doc(0.3, "Sizes: how far a word's edge may be from a score column's edge "
                                           "to stand in it.")
    unread_label_similarity: float = _doc(99.0, "Similarity (0-100): text mode, a word after a label (before it, "
                                                "where numbers come first) is a token in the score's place only when "
                                                "the label without it matches its indicator at least this closely.")
    unread_max_chars: int = _doc(16, "Characters: a cell of words not understood longer than this is text "
                                     "beside the table (a sentence), not a score's token.")
    prose_min_words: int = _doc(4, "Words of letters: a row with at least this many may be running text, "
                                   "whose numbers are no table's.")
    prose_run_words: int = _doc(6, "Words of letters: a number at the start or end of a run of at least this "
                                   "many words of letters on its row, each within a word space of the next (more "
                                   "words than any label holds), is running text's.")
    prose_sentence_words: int = _doc(4, "Words of letters: ...or of at least this many when one of them ends a "
                                        "sentence (``assessment. Authorities estimate that roughly 1.5``: no "
                                        "label holds a full stop).")
    prose_fragment_gap: float = _doc(0.15, "Sizes: two words of letters at most this far apart are pieces of one word "
                                          "(a text layer that breaks a word, ``Inter natio nal``), counted once in a "
                                          "run of running text (see prose_run_words): no word space is that narrow.")
    prose_heading_window: int = _doc(3, "Lines: a summary label with a line of running text (see prose_run_words) "
                                        "under it in its column within this many lines, before any line holding "
                                        "a number, is a heading of the narrative, not a table's.")
    prose_gap: float = _doc(0.6, "Sizes: a number between words of letters, each within this gap (or "
                                 "the row's word space, see prose_space_ratio), is inside running text.")
    prose_space_ratio: float = _doc(1.5, "Ratio: a number within this many of the row's word spaces of the "
                                         "words of letters on either side is inside running text.")
    prose_space_max: float = _doc(1.2, "Sizes: a row's word space is trusted (see prose_space_ratio) only "
                                       "when below this.")
    icon_row_slack: float = _doc(0.3, "Heights (of the number): an icon belongs to a number's row when its "
                                      "middle is within the number's height widened by this on either side.")
    icon_reach: float = _doc(2.0, "Heights (of the number): an icon marks a number as a change when at most "
                                  "this far from it.")
    tracking_overhang: float = _doc(0.35, "Sizes (of the label): how far a number may start inside the box "
                                          "of the label beside it (a letter-spaced label's box ends with a "
                                          "letter space).")
    mark_min: float = _doc(1.5, "pt: a drawn shape with a side under this is no mark (a colour square, an "
                                "icon beside a change) but a rule or a bar's track.")

    # --- Rows and cells ------------------------------------------------------------------------
    row_band_pad: float = _doc(0.45, "Sizes: a token is in a label's (or a score's) row band when its "
                                     "middle is within the label's height widened by this on either side.")
    cell_gap: float = _doc(4.5, "Sizes: a gap wider than this (not covered by marks) between two numbers "
                                "of a row ends the label's cell, unless the two stand in the columns of two "
                                "numbers another row of the page joins (see cell_column_align).")
    cell_column_align: float = _doc(0.25, "Sizes: two numbers of a row stand in the columns of two numbers "
                                          "another row joins into its cell when an edge (left, centre or "
                                          "right) of each is this close to the same edge of the other row's "
                                          "(a narrow score in a wide grid cell, ``1 out of 10`` far from its "
                                          "change, where ``1.5 out of 10`` of the row above reaches it).")
    change_header_row: float = _doc(0.5, "Sizes (of the header): CHANGE headers up to this far above the "
                                         "nearest header row over a number also head its column.")
    change_header_pad: float = _doc(0.5, "Sizes (of the header): a CHANGE header's column is its width "
                                         "widened by this on either side.")
    change_header_overlap: float = _doc(0.5, "Share of a number's width that must lie under a CHANGE "
                                             "header's column for the number to be a change.")
    owner_baseline: float = _doc(0.3, "Sizes: a number in the cells of two labels belongs to the one it is "
                                      "printed on a line of (baselines at most this apart; the closer line "
                                      "first, in tenths of a size), else to the nearest (for the change "
                                      "columns: a pillar heading's average on the line of its heading, level "
                                      "with a row of the next table column).")
    change_column_rows: int = _doc(3, "Rows: a column of numbers holding change evidence is a change "
                                      "column only when it has at least this many numbers...")
    change_column_evidence: int = _doc(2, "...and at least this many of them are what a score never is "
                                          "(zero, bracketed, signed or arrowed, n/a)...")
    change_column_share: float = _doc(0.2, "...and those are at least this share of the column.")
    cross_direction_penalty: float = _doc(10.0, "Page widths added to the distance of an indicator's score "
                                                "read against the page's reading direction (any score on the "
                                                "voted side comes first).")

    # --- Scores under their labels -------------------------------------------------------------
    below_top_slack: float = _doc(0.3, "Sizes: a number under a label may start this far above the label's "
                                       "foot (tight leading) and still be on the line under it.")
    below_line_reach: float = _doc(1.2, "Sizes: a number under a label starts at most this far below the "
                                        "label's foot (the next line).")
    below_reach: float = _doc(3.0, "Sizes: how far to the side of its label a score printed under it may "
                                   "stand.")
    same_column: float = _doc(0.5, "Sizes: a label or number this close horizontally (or overlapping) to "
                                   "another stands in its column.")
    below_line_quantum: float = _doc(0.5, "Sizes: numbers under a label are ranked by their distance below "
                                          "it in steps of this (the first line under it before the rest).")

    # --- Changes -------------------------------------------------------------------------------
    shared_height: float = _doc(0.2, "Sizes: height two boxes must share to stand on one row, for the end "
                                     "of a change's run (another label or score stops it).")
    change_run_gap: float = _doc(3.0, "Sizes: a gap wider than this between two tokens ends the run of "
                                      "tokens where a change is looked for.")
    max_unknown_signs: int = _doc(12, "Changes: the most changes of unknown direction in one pillar that "
                                      "the pillar's printed change may decide (2**n assignments tried).")

    # --- Summary scores --------------------------------------------------------------------------
    summary_similarity: float = _doc(88.0, "Similarity points: the least fuzzy ratio for a text to be a "
                                           "summary score's label.")
    summary_max_chars: int = _doc(40, "Letters (folded): a longer text is never a summary score's label.")
    nearby_edge_slack: float = _doc(1.0, "pt: a figure whose foot is up to this below a caption's top still "
                                         "counts as above it (and likewise below its foot).")
    nearby_above_weight: float = _doc(3.0, "Weight of the distance of a summary figure above its caption "
                                           "(less likely than one below or level with it).")
    nearby_reach: float = _doc(4.0, "Sizes: a summary figure stands at most this far above or below its "
                                    "caption.")
    nearby_across_weight: float = _doc(0.1, "Weight of the horizontal distance of a summary figure from its "
                                            "caption (a figure right-aligned in the caption's box).")
    nearby_row: float = _doc(0.6, "Sizes (of the figure): a change beside a summary figure has its middle "
                                  "within this of the figure's.")
    nearby_change_reach: float = _doc(6.0, "Sizes (of the figure): a change beside a summary figure starts "
                                           "at most this far right of it.")

    # --- Bars ----------------------------------------------------------------------------------
    bar_edge_slack: float = _doc(0.6, "pt: a bar and its track start at the same x, and the bar lies "
                                      "within the track's height, within this.")
    bar_max_height: float = _doc(30.0, "pt: a drawn bar is at most this high.")
    bar_min_width: float = _doc(0.5, "pt: a drawn bar is wider than this.")
    bar_grid_fit: float = _doc(0.02, "pt: bar widths that are whole multiples of one step within this are drawn "
                                      "on a grid of that step (a browser's pixel: 0.75 pt)")
    bar_least: float = _doc(0.5, "Ratio: a bar shorter than this part of the lowest score's bar (1.0 on the "
                                 "scale of 10, the lowest on the score grid) is no score's bar (a grid's "
                                 "rule drawn at the left edge of a shaded heading row).")
    bar_width_slack: float = _doc(0.01, "pt: a track is at least as wide as its bar, less this.")
    track_height_ratio: float = _doc(2.0, "Ratio: a bar's track is less high than this many times the "
                                          "bar's height (plus track_height_extra).")
    track_height_extra: float = _doc(2.0, "pt: added to the track's greatest height (see "
                                          "track_height_ratio).")
    track_longer: float = _doc(0.5, "pt: a track longer than its bar by more than this gives the page's "
                                    "track colour.")
    bar_series: int = _doc(3, "A bar chart: at least this many tracks of one length (the full scale, "
                              "within full_bar_slack) in the table pages; fewer track-and-bar pairs are "
                              "other drawings (a highlighted box, a legend) and read no score.")
    full_bar_slack: float = _doc(1.0, "pt: a bar-coloured rect whose x and width match the tracks' within "
                                      "this is a full bar hiding its track.")
    bar_offset_tolerance: float = _doc(0.4, "Row heights (the median): a bar belongs to a row when its "
                                            "offset from the row differs from the page's by less than this.")
    bar_offset_reach: float = _doc(3.0, "Row heights (the median): the page's bar-to-row offsets tried are "
                                        "under this.")
    bar_offset_step: float = _doc(0.5, "pt: the page's bar-to-row offsets tried are rounded to this step.")
    bar_agreement: Fraction = _doc(BAR_AGREEMENT, "Score points: a bar agrees with its row's printed score "
                                                   "within this (the validator's bar tolerance).")

    # --- Table pages ---------------------------------------------------------------------------
    table_pages_limit: int = _doc(8, "Pages: past the first pages read, each next page is read while the "
                                     "table goes on, up to this many pages in all.")
    table_min_labels: int = _doc(3, "Indicator labels: a page holds table rows (the table may go on "
                                    "overleaf) with at least this many...")
    table_label_similarity: float = _doc(95.0, "...each matched with at least this similarity...")
    table_min_numbers: int = _doc(3, "...and at least this many numbers outside running text.")
    page_rows: int = _doc(3, "Indicator rows: a page with fewer reads in the direction and placement voted "
                             "by all the table's pages, not its own.")
    furniture_band: float = _doc(FURNITURE_BAND, "Share of the page's height: a line within this of the page's top or "
                                      "bottom edge that stands at the same height, with the same words but for "
                                      "its figures, on every page but one at most (two at least) is page "
                                      "furniture (a running footer ``PAGE 1 OF 5``): its numbers are no score.")

    # --- Ranks ---------------------------------------------------------------------------------
    rank_line_gap: float = _doc(0.8, "Sizes: lines stacked in one cell (a wrapped rank phrase) are at most "
                                     "this far apart vertically...")
    rank_indent: float = _doc(1.5, "Sizes: ...and their left edges closer than this.")
    metric_across_weight: float = _doc(0.5, "Weight of the horizontal distance from a rank phrase to the "
                                            "summary label it belongs to.")
    rank_above_slack: float = _doc(0.3, "Sizes: a summary caption counts as above a rank line (whose box it "
                                        "is in, see the rank parser) when its bottom is at most this far below "
                                        "the line's top.")
    metric_above_weight: float = _doc(3.0, "Weight of the vertical distance from a rank phrase to a summary "
                                           "label below it (a rank is printed under its metric).")

    # --- Text mode -----------------------------------------------------------------------------
    chart_tick_lines: int = _doc(3, "Lines: a run of at least this many lines of one rising or falling "
                                    "integer each is a chart's axis, blanked.")
    narrative_chars: int = _doc(200, "Characters: a longer line (with narrative_spaces spaces) is prose; "
                                     "score rows come before the first.")
    narrative_spaces: int = _doc(25, "Spaces: a prose line holds more than this many.")


#: The settings the parser uses unless given others.
DEFAULT_SETTINGS = ScoreTableSettings()


def documented(settings_type: type = ScoreTableSettings) -> dict[str, str]:
    """Each field's documentation, by name."""
    return {f.name: f.metadata.get("doc", "") for f in fields(settings_type)}
