"""The layout layer's thresholds, named: :class:`LayoutSettings` (:data:`DEFAULT_SETTINGS`)."""

from __future__ import annotations

from dataclasses import dataclass

from octa.thresholds import ICON_MAX, documented

_doc = documented


@dataclass(frozen=True, slots=True)
class LayoutSettings:
    """The geometric thresholds of the layout layer, one field each, passed down from :func:`load`
    (or :func:`build_words_and_lines`) to every rule that uses one, the way pdfplumber passes its
    ``TableSettings``. "× size" fields are multiples of the font size (of the larger of the two glyphs
    compared, unless the doc says otherwise); "pt" fields are PDF points. The defaults are the values
    every output of the project was made with; ``dataclasses.replace(DEFAULT_SETTINGS, word_gap=...)``
    makes a variant. Each field's ``metadata["doc"]`` says what it decides."""

    # words: the word-break rule (:func:`_gap_verdict`, :func:`_glyph_break`)
    word_gap: float = _doc(0.12, "× size: a gap between two glyphs wider than the row's tight letter gap plus "
                                 "this separates words")
    tight_gap: float = _doc(0.08, "× size: a gap wider than this is more than a tight letter gap: right after a "
                                  "space glyph it separates words; otherwise, when it joins, it is counted as a "
                                  "joined gap (tracking, kerning: Word.joined_gaps)")
    space_gap: float = _doc(0.25, "× size (in the fast path of whole runs: of the later glyph): a joined gap at "
                                  "least this wide is one a reader cutting at spaces' width would have cut "
                                  "(Word.gapped, recorded as kerning_gap)")
    letter_gap_max: float = _doc(0.5, "× size of the row's first glyph: the row's tight letter gap (the lower "
                                      "quartile of its glyph gaps, raised by tracking) is taken at most this wide")
    tracking_gaps: int = _doc(3, "letter gaps: a stretch of one font and size (no gap in it wider than "
                                 "letter_gap_max) with at least this many gaps between neighbouring letters has "
                                 "its own tight letter gap when wider than its row's (a letter-spaced label in a "
                                 "row of untracked cells)")
    size_change: float = _doc(0.3, "× size: glyphs whose sizes differ by more than this are in different words "
                                   "(except at a ligature drawn from a fallback font)")
    collision: float = _doc(0.08, "× size: a letter and a digit of one text run, or two digits, whose "
                                  "boxes overlap by more than this run into each other (two texts, not kerning) "
                                  "and are split")
    space_min_width: float = _doc(0.05, "× size of the blank: a blank glyph at most this wide is no space (a "
                                        "browser's soft hyphen drawn as a space with no advance)")
    # lines and rows
    line_gap: float = _doc(1.0, "× size: a gap between two words wider than this separates line segments "
                                "(cells, columns)")
    baseline_tol: float = _doc(0.25, "× size: glyphs whose baselines differ by at most this share a row")
    overlaid_baselines: float = _doc(0.1, "× size: glyphs drawn over one another whose baselines are further "
                                          "apart than this are two texts (a label overflowing onto a number), "
                                          "read one baseline at a time")
    overlay_fraction: float = _doc(0.25, "× width of the narrower glyph: a glyph starting more than this before "
                                         "the right edge of the previous one (in x order), from another baseline, "
                                         "is drawn over it")
    layer_overlap: float = _doc(0.05, "× size of the later run: when a run of figures is drawn over letters, a run "
                                      "starting at most this before the end of a layer's last run joins that layer "
                                      "(else it starts another)")
    # glyphs as the engines give them
    overprint_tol: float = _doc(1.0, "pt: a glyph drawn again within this of itself (in x and baseline) is an "
                                     "overprint (fake bold, producer duplicates), kept once; a whole MuPDF text "
                                     "run, when its origin falls in the same or a neighbouring cell of a grid of "
                                     "this step")
    no_advance: float = _doc(0.01, "pt: a blank or non-text glyph whose next glyph starts within this of its "
                                   "origin has no advance and is dropped")
    hyphen_advance: float = _doc(0.15, "× size: a soft hyphen (U+00AD) drawn with at least this advance (to the "
                                       "next glyph of its word, or its own width at a word's end) is a drawn "
                                       "hyphen, read as '-'; with less it is an invisible break point")
    rotation_tol: float = _doc(0.01, "sine of the angle: text whose direction leaves the horizontal by more "
                                     "than this (or runs right to left) is rotated decoration, skipped")
    axis_tol: float = _doc(0.01, "pt: a path of 3-5 lines, each with ends this close in x or in y, is an "
                                 "axis-aligned box (a filled rectangle)")
    # icons (arrows and triangles giving the direction of a change)
    icon_max: float = _doc(ICON_MAX, "pt: largest side of an icon; larger shapes are charts, logos or decoration")
    icon_covered: float = _doc(0.25, "× the icon glyph's box: glyphs of other texts whose boxes cover this much of "
                                     "it, together, make its ink unreadable (the lines of a label overflowing "
                                     "its cell over a change's arrow)")
    icon_point_tol: float = _doc(0.05, "pt: consecutive outline points this close are one vertex")
    icon_max_vertices: int = _doc(12, "count: a shape with more distinct vertices than this (a circle) is no icon")
    icon_min_side: float = _doc(0.2, "pt: a shape this narrow or this flat is a line, no icon")
    icon_tip_tol: float = _doc(0.08, "× the shape's height: vertices this close to its top (bottom) are at "
                                     "its top (bottom); a single one there is a tip")
    icon_barb_zone: float = _doc(0.1, "× the shape's width: vertices this close to its left or right side are "
                                      "the barbs of a line arrow")
    icon_barb_band: float = _doc(0.4, "× the shape's height: a line arrow's barbs whose mean height is within "
                                      "this of its top point up, within this of its bottom point down")
    # icons read from their ink (images, glyphs): see octa.ink
    icon_render_px: float = _doc(40.0, "px: an icon's box (a small image, a glyph) is rendered once, at the zoom "
                                       "that makes its longer side this many pixels, and its ink read")
    clip_cut: float = _doc(0.25, "× glyph width: a glyph that a clip box's edge leaves this much of outside (and "
                                 "more than clip_slack) is cut off (read as the mark of a cut, not as its letter)")
    clip_slack: float = _doc(0.12, "× size: a glyph's box may stand out of a clip box's edge by this much and still "
                                   "be drawn whole (its side bearing and a letter spacing are no ink)")
    icon_renders: int = _doc(400, "count: at most this many icon boxes are rendered on one page (a hostile page "
                                  "of thousands of tiny images or icon glyphs); the rest are read as no icon")
    icon_glyph_reach: float = _doc(2.0, "× size: a glyph that may be an icon (of a symbol or icon font, or a "
                                        "code point that is not text beside a number: an arrow, a shape, a "
                                        "comparison sign, a Private Use Area point, an Arabic letter on a Latin "
                                        "page) is read as one when a digit on its baseline is at most this far")
    icon_tip_ratio: float = _doc(0.4, "ratio: an end of a rendered figure whose slices are at most this × as "
                                      "wide as the slices a quarter to a third of the way in narrows to a point "
                                      "(a tip: a triangle's apex, an arrow's head; a base or a shaft ends flat)")
    icon_tip_px: float = _doc(2.0, "px: the allowance of ``icon_tip_ratio`` for a small figure's apex, which keeps "
                                   "a couple of pixels of width (anti-aliasing, an enlarged image's steps); an "
                                   "end at most 0.6 × as wide as the slices further in is still required")
    icon_axis_tol: float = _doc(0.25, "× the widest slice of a rendered figure: a tip's middle stands at most "
                                      "this far from the figure's axis (else no tip: the point of a ``≥``)")
    icon_diagonal: float = _doc(1.5, "ratio: a rendered figure whose ink spreads this many times further along "
                                     "its main axis than across it, the axis running within 20° of a diagonal, "
                                     "is read along that diagonal (``➚``, ``➘``)")
    icon_max_fill: float = _doc(0.7, "ratio: an upright rendered figure whose silhouette covers more than this "
                                     "share of its box is round or square (a dot, a numbered badge), no pointer "
                                     "(a triangle covers half its box, a disc 0.79)")


#: The settings every caller gets unless it passes its own.
DEFAULT_SETTINGS = LayoutSettings()
