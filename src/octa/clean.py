"""The cleaner: turns garbled layout text back into what the author wrote, and explains each repair.

Modelled on ftfy's ``fix_and_explain``: every repair is a small named function, a *plan* applies
them in order, and each change is recorded as a :class:`octa.model.Repair` (rule, before, after,
page) so that a user can audit it. Nothing is dropped silently: a repair that removes text records
what it removed.

Two entry points:

* :func:`clean_document` — PDF mode. Works on the positioned lines of :mod:`octa.layout`
  (glyph runs already joined across kerning gaps and overprints already dropped there; both are
  recorded here), finds running headers and footers by repetition across pages, drops chart
  residue, orders the narrative by column, splits it into headings and paragraphs by typography
  and spacing, joins paragraphs broken by column and page breaks, then applies the textual plan.
  It works in two halves: :func:`plan_document` makes every decision that needs the geometry and
  returns it as plain data (a :class:`DocumentPlan`: the lines in reading order and the blocks they
  form); the blocks are then built from the plan alone by the named text repairs, which is what
  :func:`replay_document` does with a stored plan (the result carries its plan: ``Cleaned.plan``).
* :func:`clean_text` — text mode, for text that another tool already extracted: the same textual
  plan, blank-line paragraphs, furniture and residue dropped by pattern and repetition.

The textual plan (:data:`TEXT_PLAN`), in order: control characters, soft hyphens, ligatures, lost-ligature
splits, split words, torn numbers, symbol-font arrows, numbering, bullets, spaces.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from itertools import repeat
from typing import TYPE_CHECKING

from octa import taxonomy
from octa.layout.page import AS_DRAWN, NOT_TEXT, median
from octa.model import Repair
from octa.taxonomy import Edition
from octa.taxonomy.families import heading_key
from octa.thresholds import FURNITURE_BAND

if TYPE_CHECKING:
    from octa.layout.page import Document, Line, Page

# ----------------------------------------------------------------------------------------------
# Results
# ----------------------------------------------------------------------------------------------


@dataclass
class Block:
    """A cleaned block: ``heading``, ``paragraph`` or ``other`` (text before the narrative, such as
    the score tables), with its typography and where it was read."""

    kind: str
    text: str
    pages: list[int]
    bbox: tuple[float, float, float, float] | None = None
    size: float = 0.0
    bold: bool = False
    #: Set on a paragraph that ends at a column or page break without a textual sign that it goes
    #: on: ``"full"`` when its last line fills the column (likely cut), ``"short"`` otherwise. The
    #: section parser joins such paragraphs only when the taxonomy's paragraph count demands it.
    cut: str | None = None


@dataclass
class Cleaned:
    """What :func:`clean_document` returns: the blocks in reading order and every repair."""

    blocks: list[Block] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    log: Log | None = field(default=None, repr=False)
    #: PDF mode: what the geometry decided (text mode is a function of its text alone)
    plan: DocumentPlan | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks if b.text) + ("\n" if self.blocks else "")

    @property
    def narrative(self) -> list[Block]:
        return [b for b in self.blocks if b.kind != "other"]


#: Every repair rule the cleaner records (the ``rule`` of each entry of a profile's ``cleaning``
#: and of ``octa clean --explain``), with what it repairs. Recording any other name is a bug
#: (:meth:`Log.add` refuses it), and tests/test_clean.py checks that each of these fires.
RULES: dict[str, str] = {
    "control_characters": "control, zero-width and bidirectional characters dropped",
    "soft_hyphen": "soft hyphens (U+00AD) dropped from inside words",
    "ligature": "ligature glyphs (fi, fl, ffi, ...) written as their letters",
    "ligature_split": "a word split where a ligature was lost (e ffective) joined",
    "split_word": "a word split by kerning or tracking (INTERNATION AL, CRI MI NALI TY) joined",
    "kerning_gap": "a word the layout joined across gaps as wide as a space (recorded as it would have read)",
    "torn_number": "a number torn by tracking (5 . 5) joined",
    "symbol_glyph": "a symbol-font glyph (an arrow decoded as a letter or a comparison sign) read as meant",
    "icon_glyph": "a glyph beside a number drawn as an up or down figure, whatever its code point, read as that icon",
    "numbering": "a torn list number (1 . Index) joined",
    "bullet": "a bullet decoded as another character written as a bullet",
    "hyphen_glyph": "a line-end hyphen drawn as another glyph (U+2010) read as a hyphen",
    "code_point": "a code point read as what it draws (text mode): a hyphen U+2010/U+2011 inside a line as '-', "
                  "a fullwidth digit as its digit",
    "hyphenation": "a word hyphenated at a line end joined, or its hyphen kept, by the lexicon and the document",
    "paragraph_break": "a paragraph cut by a page or column break mid-sentence joined",
    "column_break": "a paragraph cut by a break at a sentence end joined, as the paragraph count demands",
    "running_header": "a running header (repeated at the top of pages) dropped",
    "running_footer": "a running footer (page numbers, copyright) dropped",
    "chart_residue": "a chart's axis ticks and year rows dropped",
    "overprint": "text drawn twice at one place (fake bold) read once",
    "duplicate_line": "a line or block repeated by the layout dropped",
    "two_line_heading": "a heading wrapped over two lines (or interleaved with its neighbour) joined",
    "table_label": "a score table's label read as the taxonomy's (text mode)",
}


class Log:
    """Collects repairs; ``page`` is the page the text currently being repaired came from."""

    def __init__(self, texts: Callable[[], Iterable[str]] | None = None) -> None:
        self.repairs: list[Repair] = []
        self.page: int | None = None
        self._texts = texts
        self._words: frozenset[str] | None = None
        self._keeps_hyphens: bool | None = None
        self.plans: list[TextPlan] = []  # each application of the textual plan (see apply_plan)

    @property
    def words(self) -> frozenset[str]:
        """The document's own words (lower case, as printed inside its lines; read on first use
        from ``texts``): the first evidence for a line-end hyphen (``bush-`` | ``meat``:
        ``bushmeat`` or ``bush-meat`` elsewhere)."""
        if self._words is None:
            self._words = _own_words(self._texts()) if self._texts is not None else frozenset()
        return self._words

    @property
    def keeps_hyphens(self) -> bool:
        """Whether the document never breaks a word at a line end: :data:`HARD_HYPHEN_LINES`
        lines or more end in a hyphen after a word of the lexicon (``north-``, ``cash-``) and none
        after a piece that is no word (``compli-``). Such a document's line-end hyphens are its
        text's own (compounds: ``north-`` | ``eastern`` is ``north-eastern``). (A few breaks that
        all fall between words, ``relation-`` | ``ship``, prove nothing.)"""
        if self._keeps_hyphens is None:
            ends = [m.group(1) for t in (self._texts() if self._texts is not None else ())
                    if t.rstrip()[-1:] in _LINE_END_HYPHENS and (m := _LINE_END_PIECE.search(t))]
            self._keeps_hyphens = len(ends) >= HARD_HYPHEN_LINES and all(is_word(a) for a in ends)
        return self._keeps_hyphens

    def fork(self) -> Log:
        """A log of its own (no repairs yet) that reads the same document's words (the section
        parser's, so that its joins are not written into the cleaner's repairs)."""
        other = Log(self._texts)
        other._words = self._words
        other._keeps_hyphens = self._keeps_hyphens
        return other

    def add(self, rule: str, before: str, after: str) -> None:
        if rule not in RULES:
            raise ValueError(f"undeclared repair rule {rule!r} (declare it in octa.clean.RULES)")
        if before != after:
            self.repairs.append(Repair(rule=rule, before=before, after=after, page=self.page))


Fix = Callable[[str, Log], str]

# ----------------------------------------------------------------------------------------------
# Lexicon
# ----------------------------------------------------------------------------------------------

#: A joined word must be at least this frequent (wordfreq Zipf scale) to count as a word.
WORD_ZIPF = 3.0
#: Below this, a fragment is not a word on its own.
FRAGMENT_ZIPF = 2.0
#: Two common words written together less often than this are an open (hyphenated) compound when
#: a line-end hyphen splits them; more often, one closed word. Set on real profile text, where
#: ``large-scale`` (``largescale``: 1.6) keeps its hyphen and ``intercommunal`` (1.71) is one word.
COMPOUND_ZIPF = 1.65


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), "en")


@lru_cache(maxsize=1)
def taxonomy_words() -> frozenset[str]:
    """Every word of every label, heading, summary name and summary wording of the taxonomy, upper case."""
    words: set[str] = set()
    texts = [i.label for i in taxonomy.INDICATORS] + [v for i in taxonomy.INDICATORS for v in i.variants]
    texts += [g.heading for g in taxonomy.GROUPS] + list(taxonomy.SUMMARY_LABELS.values())
    texts += [w for m in taxonomy.SUMMARY for w in m.wordings]
    for t in texts:
        for w in re.split(r"[\s/]+", t.replace("&", " ")):
            w = w.strip("(),.").upper()
            if len(w) >= 2:
                words.add(w)
                for part in w.split("-"):
                    if len(part) >= 2:
                        words.add(part)
    return frozenset(words)


def is_word(token: str) -> bool:
    return zipf(token) >= WORD_ZIPF or token.upper() in taxonomy_words()


# ----------------------------------------------------------------------------------------------
# The textual plan: each fix takes a string (a line or a paragraph) and the log
# ----------------------------------------------------------------------------------------------

#: What text mode drops as control characters: the layout's characters that are not text, and the
#: whitespace controls other than tab and newline (vertical tab, form feed, the separators U+001C-F,
#: next line U+0085), which a text file carries as page breaks or noise, never as words' spaces.
_CONTROL = re.compile("[" + "".join(re.escape(c) for c in sorted(
    NOT_TEXT | {"\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x85"})) + "]")


def _replace(pattern: re.Pattern[str], text: str, log: Log, rule: str, make: Callable[[re.Match[str]], str],
             shown: Callable[[re.Match[str]], str] = lambda m: m.group()) -> str:
    """Each match of ``pattern`` replaced by ``make(match)``, each replacement recorded under ``rule``
    (``shown`` gives what the record says was there)."""
    def repl(m: re.Match[str]) -> str:
        out = make(m)
        log.add(rule, shown(m), out)
        return out
    return pattern.sub(repl, text)


def fix_control_characters(text: str, log: Log) -> str:
    """Drop control, zero-width and bidirectional-override characters (never letters or digits)."""
    if _CONTROL.search(text) is None:  # (a quick test first: most lines hold none)
        return text
    return _replace(_CONTROL, text, log, "control_characters", lambda m: "", lambda m: f"U+{ord(m.group()):04X}")


#: The ligature code points and their letters (the layout's table, :data:`octa.layout.AS_DRAWN`).
LIGATURES = {c: t for c, t in AS_DRAWN.items() if "\ufb00" <= c <= "\ufb06"}
# (?<!…): a match can only start where a word starts (the same matches; linear, not quadratic, on long words)
_LIGATURE_CHARS = frozenset("\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06\ufffd")
_LIGATURE_WORD = re.compile(r"(?<![\w\ufffd])[\w\ufffd]*[\ufb00-\ufb06\ufffd][\w\ufffd]*")


def fix_ligatures(text: str, log: Log) -> str:
    """Expand ligature glyphs (``ﬁ`` → ``fi``); a ligature lost as U+FFFD (``e�ects``) becomes the
    ligature that makes a word (``effects``), else stays; in a word broken at the line's end
    (``o�-``) it stays until the lines are joined, where the whole word decides (``officials``,
    never ``off`` + ``cials``)."""
    if _LIGATURE_CHARS.isdisjoint(text):
        return text

    def repl(m: re.Match[str]) -> str:
        word = m.group()
        out = "".join(LIGATURES.get(c, c) for c in word)
        if "\ufffd" in out:
            if _BROKEN_AT_END.match(m.string, m.end()):
                return word  # a word broken at the line's end (``o�-`` | ``cials``): the whole word decides
            best = None
            for lig in ("ff", "fi", "fl", "ffi", "ffl"):
                cand = out.replace("\ufffd", lig)
                if zipf(cand) >= WORD_ZIPF and (best is None or zipf(cand) > zipf(best)):
                    best = cand
            if best is None:
                if out != word:
                    log.add("ligature", word, out)
                return out
            out = best
        log.add("ligature", word, out)
        return out
    return _LIGATURE_WORD.sub(repl, text)


#: What follows a word broken at the end of a line: its hyphen, and nothing else on the line.
_BROKEN_AT_END = re.compile(r"[-\u2010\u00ad]\s*$")

_LIG_SPLIT = re.compile(r"\b([A-Za-z]*(?:ffi|ffl|ff|fi|fl)) ([a-z]+)\b")


def fix_ligature_splits(text: str, log: Log) -> str:
    """Rejoin words torn after a ligature glyph (``specifi c`` → ``specific``, ``fl ows`` → ``flows``)
    when the joined word is a word."""
    if "ff" not in text and "fi" not in text and "fl" not in text:  # (a quick test first)
        return text

    def repl(m: re.Match[str]) -> str:
        a, b = m.group(1), m.group(2)
        joined = a + b
        if zipf(joined) >= WORD_ZIPF and zipf(joined) > min(zipf(a), zipf(b)):
            log.add("ligature_split", m.group(), joined)
            return joined
        return m.group()
    return _LIG_SPLIT.sub(repl, text)


_PAIR = re.compile(r"(?<![\w-])([A-Za-z]+) ([A-Za-z]+)(?![\w-])")


def _join_candidates(a: str, b: str) -> list[str]:
    cands = [a + b]
    if a.isupper() and b.isupper():
        if a[-1] == b[0]:
            cands.append(a + b[1:])  # RESILIEN NCE: the boundary glyph drawn twice
        cands.append(a + b[1:])  # W VITNESS: a stray glyph at the start of the second run
        cands.append(a[:-1] + b)
    return cands


def _split_join(a: str, b: str) -> str | None:
    """The word ``a`` and ``b`` are the two halves of, or None when they are two words."""
    upper = a.isupper() and b.isupper() and len(a) + len(b) > 3
    vocab = taxonomy_words()
    for cand in _join_candidates(a, b):
        if upper and cand in vocab and not (a in vocab and b in vocab):
            return cand
    if upper and a in vocab and b in vocab:
        return None
    if len(a) + len(b) < 4:
        return None
    joined = a + b
    za, zb, zj = zipf(a), zipf(b), zipf(joined)
    if zj >= WORD_ZIPF and min(za, zb) < FRAGMENT_ZIPF and zj > max(za, zb) - 1.0:
        return joined
    return None


_TOKEN = re.compile(r"\S+")
_ALPHA = re.compile(r"[A-Za-z]+")


@lru_cache(maxsize=65536)
def _maybe_half(t: str) -> bool:
    """Whether a token may be half of a split word: a fragment (not a word on its own) or an
    upper-case run (a pure function of the token, asked for every token of every line)."""
    return t.isalpha() and ((t.isupper() and len(t) > 1) or zipf(t) < FRAGMENT_ZIPF)


def fix_split_words(text: str, log: Log) -> str:
    """Rejoin words split by tracking or kerning gaps (``INTERNATION AL``, ``RESILIEN NCE``), using
    the taxonomy's words and the English lexicon; two real words (``the market``) stay apart."""
    if " " not in text:
        return text
    toks = text.split(" ")
    # Only a fragment (not a word on its own) or an upper-case run can be half of a split word.
    if not any(map(_maybe_half, toks)):
        return text
    out: list[str] = []
    i = 0
    while i < len(toks):
        cur = toks[i]
        while i + 1 < len(toks) and _ALPHA.fullmatch(cur) and _ALPHA.fullmatch(toks[i + 1]) \
                and not (out and out[-1].endswith("-")):
            joined = _split_join(cur, toks[i + 1])
            if joined is None:
                break
            log.add("split_word", f"{cur} {toks[i + 1]}", joined)
            cur = joined
            i += 1
        out.append(cur)
        i += 1
    return _merge_runs(" ".join(out), log)


def _merge_runs(text: str, log: Log) -> str:
    """Upper-case words split into three or more runs (``CRI MI NALI TY``) that only the whole
    join makes a taxonomy word."""
    vocab = taxonomy_words()
    toks = text.split(" ")
    if len(toks) < 3:
        return text
    out: list[str] = []
    i = 0
    while i < len(toks):
        done = False
        if toks[i].isalpha() and toks[i].isupper():
            for n in range(min(6, len(toks) - i), 2, -1):
                run = toks[i:i + n]
                if all(t.isalpha() and t.isupper() for t in run) and "".join(run) in vocab \
                        and sum(t in vocab for t in run) < n:
                    log.add("split_word", " ".join(run), "".join(run))
                    out.append("".join(run))
                    i += n
                    done = True
                    break
        if not done:
            out.append(toks[i])
            i += 1
    return " ".join(out)


_TORN = re.compile(r"(?<![\d.])(\d{1,2})\. (\d)(?![\d.])(?=\s*(?:$|[\d\u2191\u2193≥≤+\-−]))")


def fix_torn_numbers(text: str, log: Log) -> str:
    """``1. 0`` → ``1.0`` where a number was torn apart in a score row (followed by a number, an arrow
    or the end of the line)."""
    if ". " not in text:  # (a quick test first)
        return text
    return _replace(_TORN, text, log, "torn_number", lambda m: f"{m.group(1)}.{m.group(2)}")


_DOWN_BEFORE = re.compile(r"[≥↓▼](\d{1,2}\.\d{1,2})\b")
_DOWN_AFTER = re.compile(r"\b(\d{1,2}\.\d{1,2})[\u062f]")
_UP_BEFORE = re.compile(r"[↑▲](\d{1,2}\.\d{1,2})\b")
_ARROW_CHARS = frozenset("≥↓▼\u062f↑▲")


def fix_symbol_arrows(text: str, log: Log) -> str:
    """Arrow glyphs from symbol fonts, decoded as the wrong characters, to the sign they mean: the
    real ENACT 2025 sample reads a decrease arrow as ``≥`` before a change and as ``د`` after one."""
    if _ARROW_CHARS.isdisjoint(text):  # (a quick test first)
        return text

    def down(m: re.Match[str]) -> str:
        out = f"-{m.group(1)}"
        log.add("symbol_glyph", m.group(), out)
        return out

    def up(m: re.Match[str]) -> str:
        out = f"+{m.group(1)}"
        log.add("symbol_glyph", m.group(), out)
        return out
    text = _DOWN_BEFORE.sub(down, text)
    text = _DOWN_AFTER.sub(down, text)
    return _UP_BEFORE.sub(up, text)


#: What symbol-font glyphs decode to, by engine and encoding, and what they mean. Standard fonts
#: only: Symbol's arrowup/arrowdown (0xAD/0xAF, which StandardEncoding decoders read as › and ﬂ)
#: and ZapfDingbats' triangles a76/a77 (codes s/t; MuPDF reads them as L/M).
SYMBOL_FONT_GLYPHS: dict[str, dict[str, str]] = {
    "symbol": {"↑": "↑", "›": "↑", "\xad": "↑", "↓": "↓", "ﬂ": "↓", "\xaf": "↓", "−": "-", "-": "-", "+": "+"},
    "dingbat": {"▲": "↑", "s": "↑", "L": "↑", "▼": "↓", "t": "↓", "M": "↓"},
}


def symbol_meaning(text: str, font: str) -> str:
    """What the glyphs ``text`` of a symbol font mean (``↑``/``↓``), ``?`` for unknown glyphs."""
    f = font.lower()
    for key, table in SYMBOL_FONT_GLYPHS.items():
        if key in f:
            return "".join(table.get(c, "?") for c in text)
    return "?" * len(text)


def _symbol_text(ln: Line) -> tuple[str, tuple[tuple[str, str, str], ...]]:
    """A line's text with symbol-font words replaced by what they mean (``L`` in ZapfDingbats →
    ``↑``), and those repairs (rule, before, after)."""
    from octa.layout.page import is_symbol_font

    parts = []
    found = []
    for w in ln.words:
        if is_symbol_font(w.font):
            meant = symbol_meaning(w.text, w.font)
            if "?" not in meant:
                found.append(("symbol_glyph", f"{w.text} ({w.font})", meant))
                parts.append(meant)
                continue
        parts.append(w.text)
    return " ".join(parts), tuple(found)


def fix_line_end_hyphen(text: str, log: Log) -> str:
    """A line ending in a hyphen glyph other than ``-`` (U+2010, which a browser draws for a soft
    hyphen's break; U+00AD), or in a hyphen set apart as a word of its own, ends in ``-`` attached
    to its word, so that the line-end hyphen rules apply to it."""
    if not text.endswith(_LINE_END_HYPHENS):
        return text
    fixed = _LINE_END_HYPHEN.sub("-", text)
    if fixed != text:
        log.add("hyphen_glyph", text[-3:], fixed[-2:])
    return fixed


#: Hyphen glyphs other than ``-`` that producers draw at a line-end break (a browser draws a soft
#: hyphen's break as U+2010), sometimes as a word of their own.
_LINE_END_HYPHENS = ("\u2010", "\u00ad")
_LINE_END_HYPHEN = re.compile(r"(?<=[^\W\d_])\s*[\u2010\u00ad]$")


_NUMBERING = re.compile(r"^(\s*)(\d{1,2}) \. (?=\S)")


def fix_numbering(text: str, log: Log) -> str:
    """``1 . Index model`` → ``1. Index model``."""
    if " . " not in text:  # (a quick test first)
        return text
    return _replace(_NUMBERING, text, log, "numbering", lambda m: f"{m.group(1)}{m.group(2)}. ")


_BULLET = re.compile(r"^(\s*)[É\uf0b7\uf0a7\u25aa\u25a0\u25cf\u25e6\u2219\u00b7\u2022o]\s+(?=\S)")


def fix_bullets(text: str, log: Log) -> str:
    """Bullets decoded as other characters (``É``, private-use Symbol bullets, ``▪``) → ``•``."""
    m = _BULLET.match(text)
    if not m or (m.group().strip() == "o" and not text[m.end():m.end() + 1].isupper()):
        return text
    if m.group().strip() == "\u2022" and m.group() == m.group(1) + "\u2022 ":
        return text
    out = f"{m.group(1)}\u2022 "
    log.add("bullet", m.group(), out)
    return out + text[m.end():]


_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def fix_spaces(text: str, log: Log) -> str:
    """Runs of spaces, tabs and no-break spaces → one space; trimmed. (Not recorded: no text changes.)"""
    return _SPACES.sub(" ", text).strip()


#: A soft hyphen (U+00AD) and the spaces an extractor put after it, inside a word.
_SOFT_HYPHEN = re.compile(r"(?<=\w)\u00ad[ \t\u00a0]*(?=\w)|\u00ad")


def fix_soft_hyphens(text: str, log: Log) -> str:
    """Remove soft hyphens (U+00AD): a discretionary break point, never a character of the word
    (``exploita\u00ad tion`` → ``exploitation``)."""
    if "\u00ad" not in text:
        return text

    return _replace(_SOFT_HYPHEN, text, log, "soft_hyphen", lambda m: "")


#: The code points text mode reads as what they draw, by the layout's table (:data:`octa.layout.AS_DRAWN`):
#: hyphens and fullwidth digits. (Ligatures are :func:`fix_ligatures`'s, spaces :func:`fix_spaces`'s; a
#: soft hyphen has no box in text, so text mode cannot see whether it was drawn and removes it.) A
#: hyphen glyph at a line's end is :func:`fix_line_end_hyphen`'s.
_DRAWN_AS = {c: t for c, t in AS_DRAWN.items() if t == "-" or t.isdigit()}
_CODE_POINT = re.compile("[" + "".join(sorted(_DRAWN_AS)) + "](?=\\S)|[" +
                         "".join(c for c in sorted(_DRAWN_AS) if _DRAWN_AS[c].isdigit()) + "]")
_ANY_DRAWN_AS = re.compile("[" + "".join(sorted(_DRAWN_AS)) + "]")


def fix_code_points(text: str, log: Log) -> str:
    """Hyphens drawn as U+2010/U+2011 inside a line (``cross\u2011border``) as ``-``, fullwidth digits
    as digits: what text another tool extracted from a PDF carries, read as the layout reads it."""
    if _ANY_DRAWN_AS.search(text) is None or _CODE_POINT.search(text) is None:  # (one character class first)
        return text
    return _replace(_CODE_POINT, text, log, "code_point", lambda m: _DRAWN_AS[m.group()])


#: The textual repairs, in order. Each is ``fix(text, log) -> text``.
TEXT_PLAN: tuple[Fix, ...] = (
    fix_control_characters,
    fix_soft_hyphens,
    fix_code_points,
    fix_spaces,
    fix_ligatures,
    fix_ligature_splits,
    fix_split_words,
    fix_torn_numbers,
    fix_symbol_arrows,
    fix_numbering,
    fix_bullets,
)


def apply_plan(text: str, log: Log, plan: Iterable[Fix] = TEXT_PLAN) -> str:
    """Apply the plan until nothing changes (at most three rounds), so cleaning is idempotent. The
    fixes that changed the text, in the order they did, are kept in ``log.plans`` with the text they
    started from and the result (:func:`replay_plan` gives that result again)."""
    plan = tuple(plan)
    start, steps = text, []
    for _ in range(3):
        before = text
        for fix in plan:
            changed = fix(text, log)
            if changed != text:
                steps.append(fix.__name__)
            text = changed
        if text == before:
            break
    log.plans.append(TextPlan(start, tuple(steps), text))
    return text


@dataclass(frozen=True)
class TextPlan:
    """One application of the textual plan: the text it started from, the fixes (by name) that
    changed it, in order, and the result."""

    before: str
    steps: tuple[str, ...]
    after: str


_FIXES: dict[str, Fix] = {f.__name__: f for f in TEXT_PLAN}


def replay_plan(text: str, steps: Iterable[str]) -> str:
    """The textual fixes named by ``steps`` applied to ``text`` in order (each a pure function of
    its text: replaying a :class:`TextPlan`'s steps on its ``before`` gives its ``after``)."""
    scratch = Log()
    for name in steps:
        text = _FIXES[name](text, scratch)
    return text


# ----------------------------------------------------------------------------------------------
# Joining lines and paragraphs
# ----------------------------------------------------------------------------------------------

# (a letter, or a ligature lost as U+FFFD inside a word: ``o�-`` | ``cials`` is one word)
_HYPHEN_END = re.compile(r"((?:[^\W\d_]|\ufffd)+)-$")
_LETTER = re.compile(r"[^\W\d_]|\ufffd")


def _hyphen_end(text: str) -> re.Match[str] | None:
    """``_HYPHEN_END.search(text)`` in time proportional to the final word, not to the whole text
    (join_lines calls it once a line on a growing paragraph: quadratic, and worse on long words)."""
    end = len(text) - 1 if text.endswith("-") else len(text) - 2 if text.endswith("-\n") else -1
    if end < 1:
        return None
    start = end
    while start > 0 and _LETTER.match(text, start - 1):
        start -= 1
    return _HYPHEN_END.match(text, start) if start < end else None
_CLOSING = ".!?:;\"”’)»"


#: Prefixes that English writes with a hyphen before a word (``cross-border``, ``non-state``).
COMPOUND_PREFIXES = frozenset({
    "anti", "non", "cross", "self", "well", "long", "short", "high", "low", "multi", "semi", "socio",
    "agro", "narco", "post", "pro", "counter", "ex", "full", "half", "large", "small", "mid", "state", "all",
})


_COMPASS = re.compile(r"(north|south)-?(east|west)", re.IGNORECASE)


def _compass_hyphen(a: str, b: str, words: frozenset[str]) -> bool | None:
    """A compass compound broken at its hyphen (``south-`` | ``western``): None when ``a``/``b`` are
    not one. The lexicon cannot tell (``southwestern`` and ``south-western`` are both English), so
    the document decides by the compass compounds it prints whole inside a line (``north-eastern``
    with a hyphen, or ``northeastern`` without); without any, the index's own house style keeps the
    hyphen (the real ENACT profile text prints ``south-western``)."""
    if a.lower() not in ("north", "south") or not b.lower().startswith(("east", "west")):
        return None
    hyphened = closed = 0
    for w in words:
        m = _COMPASS.match(w)
        if m is not None:
            if "-" in m.group():
                hyphened += 1
            else:
                closed += 1
    return hyphened >= closed


def join_hyphenated(a: str, b: str, words: frozenset[str] = frozenset()) -> tuple[str, bool]:
    """The word a line ending ``a-`` and the next starting ``b`` form: ``(text, dropped_hyphen)``.
    The document decides first: the word printed whole inside a line elsewhere (``bushmeat``) or
    with its hyphen (``bush-meat``) in ``words``. Then the lexicon: the hyphen stays in true
    compounds: ``b`` is a word and ``a`` a prefix written with a hyphen (``cross-`` + ``border``,
    ``non-`` + ``state``) or both are common words whose concatenation is not one (``agro-food``,
    ``state-embedded``); otherwise it was a line-end hyphen (``stockpi-`` + ``les``, ``res-`` +
    ``ponse``) and goes."""
    joined = a + b
    whole, kept = joined.lower() in words, f"{a}-{b}".lower() in words
    if whole != kept:
        return (joined, True) if whole else (f"{a}-{b}", False)
    compass = _compass_hyphen(a, b, words)
    if compass is not None:
        return (f"{a}-{b}", False) if compass else (joined, True)
    if not whole and _document_compound(a, b, words):
        return f"{a}-{b}", False
    zj, za, zb = zipf(joined), zipf(a), zipf(b)
    vocab = taxonomy_words()
    if joined.upper() in vocab and not (a.upper() in vocab and b.upper() in vocab):
        return joined, True
    if zb >= WORD_ZIPF and a.lower() in COMPOUND_PREFIXES and zj < WORD_ZIPF:
        return f"{a}-{b}", False
    if za >= 3.5 and zb >= 3.5 and zj < COMPOUND_ZIPF:
        return f"{a}-{b}", False
    if za >= WORD_ZIPF and zb >= WORD_ZIPF and zj == 0:  # two words, and no word written together
        return f"{a}-{b}", False                         # (``profit-`` | ``maximizing``)
    return joined, True


def _document_compound(a: str, b: str, words: frozenset[str]) -> bool:
    """Whether the document writes compounds like ``a-b`` with their hyphen elsewhere: two words
    of the lexicon, and a compound of the same second part printed with its hyphen inside a line
    (``south-eastern``, for ``north-`` | ``eastern``). (A first part proves nothing: a document
    printing ``cyber-dependent`` writes ``cybercrime`` whole.)"""
    if len(a) < 3 or len(b) < 3 or b.lower() not in _hyphen_tails(words):
        return False
    return zipf(a) >= WORD_ZIPF and zipf(b) >= WORD_ZIPF


@lru_cache(maxsize=8)
def _hyphen_tails(words: frozenset[str]) -> frozenset[str]:
    """The second parts of the hyphenated compounds among ``words`` (``eastern`` of ``south-eastern``)."""
    return frozenset(w.rsplit("-", 1)[1] for w in words if "-" in w)


def join_lines(lines: list[str], log: Log) -> str:
    """Join the lines of one paragraph: a space between lines, line-end hyphens resolved."""
    out = ""
    for ln in lines:
        ln = ln.strip()
        if not ln:
            continue
        if not out:
            out = ln
            continue
        if out.endswith("\u00ad"):  # a soft hyphen at the line end: the word goes on, without it
            log.add("soft_hyphen", f"{out.rsplit(' ', 1)[-1]}|{ln.split(' ', 1)[0]}", "")
            out = out[:-1] + ln
            continue
        if _hard_hyphen(out, ln, log):
            out += ln
            continue
        out, dropped = _join_two(out, ln, log.words)
        if dropped is not None:
            log.add("hyphenation", *dropped)
    return out


#: Count: a document with this many line-end hyphens or more, each after a word of the lexicon, never
#: breaks words (:attr:`Log.keeps_hyphens`): six chances to show a word broken inside, none taken.
HARD_HYPHEN_LINES = 6

#: A line's last piece before a hyphen at its end (letters only: a hyphen beside a digit is hard anyway).
_LINE_END_PIECE = re.compile(r"([^\W\d_]+)[-\u2010\u00ad]\s*$")
_LINE_END_HYPHENS = ("-", "\u2010", "\u00ad")  # (a quick test before the pattern, which scans the whole line)


def _hard_hyphen(a: str, b: str, log: Log) -> bool:
    """Whether the hyphen that ends the line (or text) ``a`` before the line ``b`` is the text's own
    in a document that never breaks words (:attr:`Log.keeps_hyphens`): two words of the lexicon
    that the document never prints as one word."""
    m = _hyphen_end(a)
    nxt = re.match(r"[^\W\d_]+", b)
    if m is None or nxt is None or not b[0].islower() or not log.keeps_hyphens:
        return False
    first, second = m.group(1), nxt.group()
    return is_word(first) and is_word(second) and (first + second).lower() not in log.words


def _join_two(a: str, b: str, words: frozenset[str]) -> tuple[str, tuple[str, str] | None]:
    """A line (or paragraph) ``a`` and the next one ``b`` as one text, with the hyphen that
    dropped at the join (before and after) if one did: a space between them; a line-end hyphen
    before a lower-case word resolved by :func:`join_hyphenated`; before a capital (``South-`` |
    ``Eastern``, ``Guinea-`` | ``Bissau``) a compound of names that keeps its hyphen."""
    if a.endswith("-") and len(a) >= 2 and b and (a[-2].isdigit() and not b[0].isspace()
                                                  or b[0].isdigit() and a[-2].isalnum()):
        return a + b, None  # a hyphen beside a digit is a hard hyphen (``24-`` | ``month``, ``mid-`` | ``2023``)
    m = _hyphen_end(a)
    nxt = re.match(r"[^\W\d_]+", b)
    if m and nxt and b[0].isupper():
        return a + b, None
    if m and nxt and b[0].islower():
        word, dropped = join_hyphenated(m.group(1), nxt.group(), words)
        return a[:m.start()] + word + b[nxt.end():], (f"{m.group(1)}-|{nxt.group()}", word) if dropped else None
    return f"{a} {b}", None


def ends_open(text: str) -> bool:
    """True when a paragraph stops without closing punctuation (it continues elsewhere)."""
    t = text.rstrip()
    return bool(t) and t[-1] not in _CLOSING


def _prose_cut(text: str) -> bool:
    """A paragraph of running text (sentences closed before, not a heading or label in capitals)
    that stops mid-sentence: it goes on after the break whatever the case of the next word
    (``... seized. In`` | ``Mali, the ...``)."""
    t = text.rstrip()
    return ends_open(t) and bool(re.search(r"[.!?]\s+\S", t)) and not t.isupper() and t[-1].isalnum()


def starts_lower(text: str) -> bool:
    t = text.lstrip("\"“‘'(")
    return bool(t) and t[0].islower()


# ----------------------------------------------------------------------------------------------
# Headings
# ----------------------------------------------------------------------------------------------

@lru_cache(maxsize=8192)
def _heading_key(text: str) -> str:
    return "" if len(text) > 60 else heading_key(text)


def heading_of(text: str, edition: Edition) -> str | None:
    """The heading of the edition's narrative tree (DOMAIN §4) that ``text`` is (tolerant of
    tracking splits and case), or None."""
    return edition.heading_keys.get(_heading_key(text))


def narrative_start(count: int, opens: Callable[[int], bool] | None, goes_on: Callable[[int], bool] | None,
                    otherwise: Callable[[int], bool] | None = None, default: int = 0, window: int = 5) -> int:
    """Where the narrative starts among ``count`` items (blocks or lines, in reading order): the
    first item that ``opens`` it (the first pillar's heading) with one of the next ``window`` items
    showing that it ``goes_on`` (prose, or a heading under it); else the first item ``otherwise``
    accepts; else ``default``. Each reader gives the evidence its input has (typography, blocks,
    lines; the score parser's text mode, reading before the edition is known, has no headings and
    gives only ``otherwise``); the rule is this one."""
    if opens is not None and goes_on is not None:
        for i in range(count):
            if opens(i) and any(goes_on(j) for j in range(i + 1, min(count, i + 1 + window))):
                return i
    if otherwise is not None:
        for i in range(count):
            if otherwise(i):
                return i
    return default


# ----------------------------------------------------------------------------------------------
# Text mode
# ----------------------------------------------------------------------------------------------

_FURNITURE = [
    re.compile(r"^\s*page \d+ (?:of|/) \d+\s*$", re.IGNORECASE),
    re.compile(r"^\s*(?:©|\(c\)|copyright)\s*.{0,60}$", re.IGNORECASE),
    re.compile(r"^\s*\S*ocindex\.net\s*$", re.IGNORECASE),
]
# digits and blanks only: the language of "(small integer | year) blanks" repeated, matched in linear time
# (the repeated alternation backtracked exponentially on a long run of digits)
_RESIDUE = re.compile(r"^\s*\d[\d\s]*$")
_YEARLIKE = re.compile(r"^(?:19|20)\d{0,2}$")


def is_furniture(text: str) -> bool:
    return any(p.match(text) for p in _FURNITURE)


def is_chart_residue(text: str) -> bool:
    """Axis ticks (``10``, ``5``, ``0``) and year rows (``2019 2021 2023 202``): a line of small
    integers or (possibly truncated) years only."""
    t = text.strip()
    if not t or not _RESIDUE.match(t):
        return False
    toks = t.split()
    if len(toks) >= 2 and sum(bool(_YEARLIKE.match(x)) for x in toks) >= len(toks) - 1:
        return True
    if len(toks) != 1 or not toks[0].isdigit():
        return False
    digits = toks[0].lstrip("0") or "0"
    return len(digits) <= 3 and int(digits) <= 100  # no int() of a huge digit run (Python refuses > 4300 digits)


_SCORE_NUM = re.compile(r"(?<![\w.])(?:10|\d)[.,]\d{1,2}(?![\w])")


def _table_label(line: str, log: Log) -> str:
    """A score row's garbled label → its taxonomy label, in the row's case."""
    m = _SCORE_NUM.search(line)
    if not m or m.start() == 0:
        return line
    label = line[:m.start()].strip()
    if not re.search(r"[A-Za-z]{2}", label) or len(label) > 80:
        return line
    hit = taxonomy.match_label(label)
    if hit is None:
        return line
    ind = taxonomy.INDICATORS_BY_ID[hit[0]]
    letters = [c for c in label if c.isalpha()]
    upper = sum(c.isupper() for c in letters) > 0.7 * len(letters)
    canon = ind.label.upper() if upper else ind.label
    if label == canon:
        return line
    log.add("table_label", label, canon)
    return canon + " " + line[m.start():]


def clean_text(text: str, edition: Edition) -> tuple[str, list[Repair]]:
    """Clean text that another tool extracted; returns the cleaned text and every repair."""
    cleaned = clean_text_blocks(text, edition)
    return cleaned.text, cleaned.repairs


def clean_text_blocks(text: str, edition: Edition) -> Cleaned:
    """Text mode: blank-line blocks, furniture and chart residue dropped, score-row labels repaired,
    lines of a block joined (hyphens resolved), page-broken paragraphs rejoined, textual plan."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    raw_lines = text.split("\n")
    log = Log(lambda: raw_lines)
    counts = Counter(ln.strip() for ln in raw_lines if ln.strip())
    # Pass 1: per line
    lines: list[str] = []
    for ln in raw_lines:
        ln = fix_control_characters(ln, log)
        ln = fix_spaces(ln, log)
        if not ln:
            lines.append("")
            continue
        if is_furniture(ln) or (counts[ln] >= 3 and len(ln) < 80 and heading_of(ln, edition) is None
                                and not _SCORE_NUM.search(ln) and not is_chart_residue(ln)):
            log.add("running_header", ln, "")
            continue
        if is_chart_residue(ln):
            log.add("chart_residue", ln, "")
            continue
        ln = apply_plan(ln, log)
        ln = _table_label(ln, log)
        lines.append(ln)
    # Pass 2: blocks
    raw_blocks: list[list[str]] = []
    cur: list[str] = []
    for ln in lines:
        if not ln:
            if cur:
                raw_blocks.append(cur)
                cur = []
            continue
        if cur and (heading_of(ln, edition) or heading_of(cur[-1], edition) or _SCORE_NUM.search(ln) or _SCORE_NUM.search(cur[-1])
                    and not re.search(r"[a-z]{3}", ln)):
            raw_blocks.append(cur)
            cur = []
        cur.append(ln)
    if cur:
        raw_blocks.append(cur)
    narrative = _narrative_start_text(raw_blocks, edition)
    blocks: list[Block] = []
    for i, bl in enumerate(raw_blocks):
        if i < narrative:
            blocks.extend(Block("other", ln, []) for ln in bl)
            continue
        if len(bl) == 1 and heading_of(bl[0], edition):
            blocks.append(Block("heading", bl[0], []))
            continue
        blocks.append(Block("paragraph", apply_plan(join_lines(_paragraph_lines(bl, log), log), log), []))
    blocks = join_broken_paragraphs(blocks, log)
    return Cleaned(blocks=blocks, repairs=log.repairs)


def _narrative_start_text(blocks: list[list[str]], edition: Edition) -> int:
    """The first block that is a heading of the first pillar's narrative path (its top heading, or
    the heading under it) followed by prose, else the first prose block (or the heading just before
    it), else 0."""
    first = edition.pillars[0].narrative
    prose = [_is_prose(" ".join(bl)) for bl in blocks] + [False]
    heading = [heading_of(bl[0], edition) if len(bl) == 1 else None for bl in blocks]
    return narrative_start(len(blocks), lambda i: heading[i] in first, prose.__getitem__,
                           lambda i: prose[i] or (heading[i] is not None and prose[i + 1]))


def _is_prose(text: str) -> bool:
    words = text.split()
    return len(words) >= 12 and sum(w[:1].islower() for w in words) >= 0.5 * len(words)


def join_broken_paragraphs(blocks: list[Block], log: Log, breaks: set[int] | None = None,
                           full: set[int] | frozenset[int] = frozenset()) -> list[Block]:
    """Join a paragraph to the next one when a page or column break cut it: it stops without closing
    punctuation and the next starts in lower case (at a known break, also when it stops mid-sentence
    whatever the next word: :func:`_prose_cut`), joined by the rule that joins lines. Headings
    between them prevent a join. In text mode any blank line may be a page break (``breaks`` None);
    in PDF mode ``breaks`` holds the paragraphs known to end at a break, and each of those not
    joined is marked ``cut`` (``"full"`` when in ``full``: its last line fills the column)."""
    out: list[Block] = []
    for i, b in enumerate(blocks):
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == "paragraph" and b.kind == "paragraph"
                and (breaks is None or i - 1 in breaks)):
            if ends_open(prev.text) and (starts_lower(b.text) or breaks is not None and _prose_cut(prev.text)):
                log.page = b.pages[0] if b.pages else None
                log.add("paragraph_break", f"{prev.text[-40:]} ¶ {b.text[:40]}", f"{prev.text[-40:]} {b.text[:40]}")
                out[-1] = Block("paragraph", _join_text(prev.text, b.text, log.words), sorted(set(prev.pages + b.pages)),
                                prev.bbox, prev.size, prev.bold, b.cut)
                continue
            if breaks is not None:
                prev.cut = "full" if i - 1 in full else "short"
        out.append(b)
    return out


# ----------------------------------------------------------------------------------------------
# PDF mode
# ----------------------------------------------------------------------------------------------

#: Fraction of the page height at the top and bottom where running headers and footers live.
_MARGIN_BAND = FURNITURE_BAND
_DIGITS = re.compile(r"\d+")


def _norm_furniture(text: str) -> str:
    return _DIGITS.sub("#", text.strip().lower())


def _furniture_lines(doc: Document) -> set[int]:
    """ids of lines that are running headers or footers: in the top or bottom band of the page and
    repeated (digits ignored; same case and typography) at the same height on at least two pages, or page-number / copyright
    patterns there. (A sentence's last words can fall in the band on two pages too, mostly not at the
    same height; where they do, they stand beside the other column's running text on a page.)"""
    # judged by whole rows: the pieces of a loose justified line that the layout split at its wide
    # gaps are one row (a lone ``in`` at the same height on two pages is no running header)
    band_lines = [[ln for ln in page.lines if _in_band(ln, page)] for page in doc.pages]
    rows_by_page = [_rejoin_rows(sorted(lines, key=lambda ln: (ln.baseline, ln.x0))) for lines in band_lines]
    # (each row's key and height, and how often they repeat, worked out once: the tests below ask
    # again and again)
    keyed = {id(r): (_furniture_key(r), _furniture_height(r)) for rows in rows_by_page for r in rows}
    seen: Counter[tuple[tuple[str, int, bool], int]] = Counter()
    for rows in rows_by_page:
        seen.update({keyed[id(r)] for r in rows})
    counts = {i: seen[(key, h - 1)] + seen[(key, h)] + seen[(key, h + 1)] for i, (key, h) in keyed.items()}

    def count(r: Line) -> int:
        return counts[id(r)]

    # words that repeat at one height but stand, on a page, beside a line of running text (the other
    # column's: six words or more, not repeated, in their size) are a paragraph's end at the top or
    # bottom of a column on each page (the same closing sentence), not a header or footer, which
    # stands alone at its height
    beside = {keyed[id(r)][0] for rows in rows_by_page for r in rows if count(r) >= 2
              and any(o is not r and count(o) < 2 and _running_text(o) and abs(o.size - r.size) <= 0.1 * r.size
                      and min(o.y1, r.y1) - max(o.y0, r.y0) > 0.5 * min(o.y1 - o.y0, r.y1 - r.y0)
                      for o in rows)}
    out: set[int] = set()
    many = len(doc.pages) >= 2
    kept: list[tuple[set[int], dict[int, Line]]] = []  # per page: the rows repeated, the lines by word
    for page, rows, lines in zip(doc.pages, rows_by_page, band_lines, strict=True):
        pieces = {id(w): ln for ln in lines for w in ln.words}  # (a row is made of lines of the band)
        repeated = {id(r) for r in rows if count(r) >= 2 and keyed[id(r)][0] not in beside}
        # a row that runs on from running text is running text, and so is a row running on from it
        # (a paragraph's last two lines can both stand at the same height on another page)
        while True:
            repeated_pieces = {id(pieces[id(w)]) for r in rows if id(r) in repeated for w in r.words}
            flowing = {id(r) for r in rows if id(r) in repeated and _in_flow(r, page.lines, repeated_pieces)}
            if not flowing:
                break
            repeated -= flowing
        kept.append((repeated, pieces))
    # repeated, still, on two pages where it stands alone: a paragraph's last words that run on
    # from its text on one page (``eastern provinces.`` atop a column) are no header on another
    alone: Counter[tuple[tuple[str, int, bool], int]] = Counter()
    for rows, (repeated, _) in zip(rows_by_page, kept, strict=True):
        alone.update({keyed[id(r)] for r in rows if id(r) in repeated})
    for rows, (repeated, pieces) in zip(rows_by_page, kept, strict=True):
        for r in rows:
            key, h = keyed[id(r)]
            twice = id(r) in repeated and alone[(key, h - 1)] + alone[(key, h)] + alone[(key, h + 1)] >= 2
            if is_furniture(r.text) or re.fullmatch(r"#", _norm_furniture(r.text)) or (many and twice):
                out.update(id(pieces[id(w)]) for w in r.words)
    return out


def _running_text(ln: Line) -> bool:
    """A line of running text: six words or more of two letters or more (a letter-spaced heading's
    letters are words of one)."""
    return sum(len(w.text) >= 2 for w in ln.words) >= 6


def _furniture_key(row: Line) -> tuple[str, int, bool]:
    """What a running header or footer repeats on every page: its text (digits aside, for page
    numbers) in the same case and typography. A table's group label and a narrative heading of the
    same words at the same height on two pages (``Cyber-Dependent Crimes``, ``CYBER-DEPENDENT
    CRIMES`` in bold) are not furniture."""
    return _DIGITS.sub("#", row.text.strip()), round(row.size), row.bold


def _in_flow(row: Line, lines: list[Line], repeated: set[int]) -> bool:
    """Whether a row runs on from a line of text that is not repeated (the same words ending a
    paragraph at the same place on two pages are running text, not a header)."""
    own = set(map(id, row.words))
    rb, rs, rx0, rx1 = row.baseline, row.size, row.x0, row.x1
    # (:func:`_adjacent` written out: this runs for every line of the page)
    return any(0 < abs(o.baseline - rb) <= 1.6 * max(o.size, rs, 1.0) and min(o.x1, rx1) - max(o.x0, rx0) > 0
               and id(o) not in repeated and own.isdisjoint(map(id, o.words)) for o in lines)


def _adjacent(a: Line, b: Line) -> bool:
    """Whether two lines stand one under the other at a line's distance, overlapping in x."""
    size = max(a.size, b.size, 1.0)
    return 0 < abs(a.baseline - b.baseline) <= 1.6 * size and min(a.x1, b.x1) - max(a.x0, b.x0) > 0


def _furniture_height(ln: Line) -> int:
    return round(ln.baseline / 4)  # within a few points: the same place on every page


def _in_band(ln: Line, page: Page) -> bool:
    return ln.y1 <= page.height * _MARGIN_BAND or ln.y0 >= page.height * (1 - _MARGIN_BAND)


@dataclass
class _Col:
    lines: list[Line]
    x0: float
    x1: float


def _rejoin_rows(col: list[Line]) -> list[Line]:
    """Pieces of one line of a column that the layout split at wide gaps (a loose justified line:
    ``estimated   flows.   Much   of``) joined again: same baseline, same typography, side by side
    within a few of their sizes. The column's lines are in reading order (baseline, x)."""
    out: list[Line] = []
    # a justified line of few words (a wrapped heading) stretches its gaps far: up to a quarter of
    # the column's width
    width = (max(ln.x1 for ln in col) - min(ln.x0 for ln in col)) if col else 0.0
    # a piece that starts where three lines or more on other baselines start begins a line of a
    # region of its own (a narrative column beside a score table's last column), never the rest of
    # the piece before it: a piece of a justified line starts after that line's first words. The last
    # word of a justified line ends at the column's right edge, so one short word that ends several
    # lines (``and``) starts at one place on each: the lines of a region say three things or more there
    starts = sorted(ln.x0 for ln in col)

    def left_edge(ln: Line) -> bool:
        near = bisect_right(starts, ln.x0 + 0.5) - bisect_left(starts, ln.x0 - 0.5)
        if near < 4:
            return False
        there = [o for o in col if abs(o.x0 - ln.x0) <= 0.5 and o.page == ln.page]
        if len({round(o.baseline) for o in there if abs(o.baseline - ln.baseline) > 0.3 * ln.size}) < 3 \
                or len({o.text for o in there}) < 3:
            return False
        # and they stand one under the other, as a region's lines do (pieces after a line's first word,
        # when several lines start with words of one width, are scattered down the column)
        ys = sorted({round(o.baseline, 1) for o in there})
        return sum(0 < b - a <= 1.6 * ln.size for a, b in zip(ys, ys[1:], strict=False)) >= 2

    for ln in col:
        prev = out[-1] if out else None
        if (prev is not None and prev.page == ln.page and abs(prev.baseline - ln.baseline) <= 0.3 * ln.size
                and abs(prev.size - ln.size) <= 0.1 * ln.size and prev.bold == ln.bold
                and 0 <= ln.x0 - prev.x1 <= max(3.0 * ln.size, 0.25 * width) and not left_edge(ln)):
            out[-1] = type(ln)(prev.words + ln.words, ln.page)
            continue
        out.append(ln)
    return out


def _page_gutter(lines: list[Line], width: float, before: float | None) -> float | None:
    """The page's gutter; on a page with too few lines to show its own (a last page's few lines),
    the gutter of the pages before (``before``) when no line crosses it and text stands on both
    sides of it."""
    gutter = _gutter(lines, width)
    if gutter is None and before is not None and not any(ln.x0 < before < ln.x1 for ln in lines) \
            and any(ln.x0 >= before for ln in lines) and any(ln.x1 <= before for ln in lines):
        return before
    return gutter


def _columns(lines: list[Line], width: float, gutter: float | None = None) -> list[list[Line]]:
    """Lines of one page in reading order: bands separated by lines that span the gutter, and in
    each band the columns left to right, each top to bottom."""
    if not lines:
        return []
    ordered = sorted(lines, key=lambda ln: (ln.baseline, ln.x0))
    if gutter is None:
        return [ordered]
    out: list[list[Line]] = []
    left: list[Line] = []
    right: list[Line] = []
    spanning = False  # the last block of ``out`` is lines that span both columns
    for ln in ordered:
        if ln.x0 < gutter - 0.05 * width and ln.x1 > gutter + 0.05 * width:  # spans both columns: ends the band
            if left or right:
                out.extend(c for c in (left, right) if c)
                left, right = [], []
            elif spanning:  # lines across the gutter one under the other are one column (a narrative
                out[-1].append(ln)  # set in one column under a table of columns)
                continue
            out.append([ln])
            spanning = True
            continue
        spanning = False
        (left if ln.x0 < gutter else right).append(ln)
    out.extend(c for c in (left, right) if c)
    return out


def _spanning_prose(lines: list[Line], gutter: float, width: float) -> list[Line]:
    """The lines of running text (six words or more) that span ``gutter`` as :func:`_columns` sees a
    line spanning both columns. Where there are any, the gutter is the gap between a table's
    columns that the narrative under the table crosses, not the gutter of the page's lower part."""
    return [ln for ln in lines if ln.x0 < gutter - 0.05 * width and ln.x1 > gutter + 0.05 * width
            and len(ln.words) >= 6]


def _lower_single(lines: list[Line], gutter: float, width: float) -> list[tuple[list[Line], float | None]] | None:
    """A page whose gutter runs between a table's columns above running text set across the page
    (the narrative under a table of three columns, in one column): the lines from the first line of
    prose that spans the gutter below the last line right of it. The part above is read by the
    gutter, the part under it as one column (read by the gutter, each long line was a band of its
    own and each short one the left column: a paragraph cut at every line)."""
    right = max(((ln.y0 + ln.y1) / 2 for ln in lines if ln.x0 >= gutter), default=float("-inf"))
    spans = [ln.y0 for ln in _spanning_prose(lines, gutter, width) if ln.y0 > right]
    if not spans:
        return None
    cut = min(spans)
    upper = [ln for ln in lines if (ln.y0 + ln.y1) / 2 < cut]
    if not upper:
        return None
    return [(upper, gutter), ([ln for ln in lines if (ln.y0 + ln.y1) / 2 >= cut], None)]


def _lower_columns(lines: list[Line], width: float) -> tuple[list[Line], list[Line], float] | None:
    """A page with no gutter whose lower part is running text in two columns (a narrative set in
    columns under a table of three, whose middle column stands where the narrative's gutter is):
    the lines above the highest cut that leaves a gutter under it, those under it, and that gutter.
    Under the cut, each side of the gutter holds two lines of prose or more (six words or more;
    a table's labels and numbers are fewer), one side three or more (a column may start with its
    headings and hold two lines of its first paragraph before the page ends), on a third of its
    rows at least; lines in smaller print
    than that prose at the top of the part under it stay above. None when there is no such cut."""
    ordered = sorted(lines, key=lambda ln: ln.y0)
    bottom = ordered[0].y1 if ordered else 0.0  # the lowest bottom of the lines above the cut
    # (a gutter is right of 0.3 of the width: under a cut with fewer than three lines of prose
    # starting there, and under every lower cut, no right side; no gutter looked for)
    right_prose = [0] * (len(ordered) + 1)
    for k in range(len(ordered) - 1, -1, -1):
        ln = ordered[k]
        right_prose[k] = right_prose[k + 1] + (len(ln.words) >= 6 and ln.x0 > 0.3 * width)
    for k in range(1, len(ordered) - 7):
        if right_prose[k] < 3:
            break
        bottom = max(bottom, ordered[k - 1].y1)
        if ordered[k].y0 < bottom - 0.5:
            continue  # a cut between lines that overlap in height cuts nothing
        lower = ordered[k:]
        g = _gutter(lower, width)
        if g is None:
            continue
        sides = ([ln for ln in lower if ln.x1 <= g], [ln for ln in lower if ln.x0 >= g])
        prose = [sum(_running_text(ln) for ln in side) for side in sides]
        # a third of a side's rows (its baselines: a loose justified line that the layout split at
        # its wide gaps is one row of several pieces, none of six words; a letter-spaced label's
        # letters are no words of prose)
        rows = [len({ln.baseline for ln in side}) for side in sides]
        if max(prose) >= 3 and all(n >= 2 and 3 * n >= r for n, r in zip(prose, rows, strict=True)):
            # lines in smaller print than the prose at the top of the lower part (a table's last
            # row, in a column of its own) stay above the cut
            size = median([_line_size(ln) for ln in lower if len(ln.words) >= 6])
            while k < len(ordered) - 1 and _line_size(ordered[k]) < 0.9 * size:
                k += 1
            return ordered[:k], ordered[k:], g
    return None


def _prose_across(lines: list[Line], gutter: float, width: float) -> bool:
    """Whether lines of prose (six words or more) span ``gutter`` (as :func:`_columns` tells a
    line across both columns): a gap between a table's columns, which the narrative under the
    table crosses, is no gutter of the narrative's (its own columns may stand elsewhere)."""
    return sum(len(ln.words) >= 6 and ln.x0 < gutter - 0.05 * width and ln.x1 > gutter + 0.05 * width
               for ln in lines) >= 3


def _one_column_under(lines: list[Line], gutter: float, width: float) -> tuple[list[Line], list[Line]] | None:
    """A page whose lower part is running text in one column under a table of columns (the
    table's gap crossed by the text's lines: :func:`_prose_across`): the lines above the top of the
    first line of prose across the gap, and those from it down, when no line above reaches below
    that top and no line under it starts right of the gap (no column beside the text). None
    otherwise."""
    across = [ln for ln in lines if len(ln.words) >= 6 and ln.x0 < gutter - 0.05 * width
              and ln.x1 > gutter + 0.05 * width]
    if not across:
        return None
    cut = min(ln.y0 for ln in across)
    upper = [ln for ln in lines if ln.y0 < cut - 0.5]
    lower = [ln for ln in lines if ln.y0 >= cut - 0.5]
    if any(ln.y1 > cut + 0.5 for ln in upper) or any(ln.x0 >= gutter for ln in lower):
        return None
    return upper, lower


def _gutter(lines: list[Line], width: float) -> float | None:
    """An x in the middle of the page that no (long) line crosses, with text on both sides (on two
    rows or more of each)."""
    xs = [(ln.x0, ln.x1) for ln in lines]
    # the lines counted by sorted edges (bisect); those of no width or an edge that is not a number
    # one by one
    plain = [(x0, x1) for x0, x1 in xs if x0 < x1]
    odd = [(x0, x1) for x0, x1 in xs if not x0 < x1]
    starts = sorted(x0 for x0, _ in xs if x0 == x0)
    ends = sorted(x1 for _, x1 in xs if x1 == x1)
    plain_starts = sorted(x0 for x0, _ in plain)
    plain_ends = sorted(x1 for _, x1 in plain)
    best = None
    lo, hi = 0.3 * width, 0.7 * width
    cands = sorted({x1 for _, x1 in xs if lo <= x1 <= hi} | _narrow_left_ends(lines, ends, lo, hi))
    for c in cands:
        g = c + 0.5
        # plain lines starting before g, less those also ending at or before it, cross g
        crossing = (bisect_left(plain_starts, g) - bisect_right(plain_ends, g)
                    + sum(1 for x0, x1 in odd if x0 < g < x1))
        if crossing > max(1, len(xs) // 20):
            continue
        left = bisect_right(ends, g)
        k = bisect_left(starts, g)
        right = len(starts) - k
        if left >= 1 and right >= 1 and left + right >= 4:
            nxt = starts[k] if k < len(starts) else g
            clear = nxt - c
            # fewest lines across first (a table's wide gap between its columns, crossed by the
            # narrative's lines under it, is not the page's gutter), then the widest (the rows on
            # both sides, a pass over the lines, asked last)
            # ... and among those, a gap with text right of it before one with a table's column of
            # numbers right of it (the gap between a table's labels and its scores, wider than the
            # gutter before the text beside the table); a column of numbers is the next column's
            # first where no other gap is found
            if clear < 6 or best is not None and (crossing > best[0] or crossing == best[0] and not best[1]
                                                  and clear <= best[2]):
                continue  # (it cannot come first, whatever stands right of it)
            figures = _figures_beyond(lines, nxt, width)
            if (best is None or (crossing, figures, -clear) < (best[0], best[1], -best[2])) \
                    and _rows_both_sides(lines, g):
                best = (crossing, figures, clear, (c + nxt) / 2)
    return best[3] if best else None


def _figures_beyond(lines: list[Line], nxt: float, width: float) -> bool:
    """Whether the lines that start right of a gap, within a twentieth of the page from the first
    of them (``nxt``), are mostly a table's figures (two thirds or more: scores, changes) that end
    their rows, with running text further right: no text follows a figure within two of its sizes
    on its baseline (a table column printed score first, ``7.5`` then its label, starts with
    figures that lead their rows), and a column of text stands beyond them (the narrative beside
    the table; figures at the page's right margin may be right of its gutter)."""
    near = [ln for ln in lines if nxt - 0.5 <= ln.x0 <= nxt + 0.05 * width]
    if len(near) < 3:
        return False
    figures = [ln for ln in near if _NUMBERS_ONLY.fullmatch(ln.text.strip())]
    if 3 * len(figures) < 2 * len(near):
        return False
    right = max(f.x1 for f in figures)
    if not any(o.x0 >= right and _running_text(o) for o in lines):
        return False  # nothing but the page's margin beyond them: the gap may be the page's
    led = sum(1 for f in figures if any(
        abs(o.baseline - f.baseline) <= 0.3 * f.size and 0 <= o.x0 - f.x1 <= 2 * f.size
        and not _NUMBERS_ONLY.fullmatch(o.text.strip()) for o in lines))
    return 3 * (len(figures) - led) >= 2 * len(near)


def _narrow_left_ends(lines: list[Line], ends: list[float], lo: float, hi: float) -> set[float]:
    """Gutter candidates left of the page's middle third: a narrow column (a score table's labels and
    numbers) beside running text ends before ``lo``, so no line ends in the middle of the page and
    only the header above both would offer a candidate there. The highest line end before a line
    start in ``[lo, hi]``, when the gap between them has its middle in ``[lo, hi]`` and the lines
    right of it are running text (three lines or more of six words or more, a third of them at
    least: a table's column of numbers beside its labels is none)."""
    out: set[float] = set()
    for s in sorted({ln.x0 for ln in lines if lo <= ln.x0 <= hi}):
        i = bisect_left(ends, s - 0.5)
        if i == 0 or ends[i - 1] >= lo or not lo <= (ends[i - 1] + s) / 2 <= hi:
            continue
        c = ends[i - 1]
        right = [ln for ln in lines if ln.x0 > c]
        prose = sum(len(ln.words) >= 6 for ln in right)
        if prose >= 3 and 3 * prose >= len(right):
            out.add(c)
    return out


def _rows_both_sides(lines: list[Line], g: float) -> bool:
    """Whether text stands on two rows or more on either side of ``g``: a column is more than the
    pieces of one line (a loose justified line that the layout split at its wide gaps, alone on a
    last page, leaves a gap between its words that no other line crosses)."""
    left = {round(ln.baseline) for ln in lines if ln.x1 <= g}
    right = {round(ln.baseline) for ln in lines if ln.x0 >= g}
    return len(left) >= 2 and len(right) >= 2


def _body_size(doc: Document, skip: set[int]) -> float:
    sizes: Counter[float] = Counter()
    for page in doc.pages:
        for ln in page.lines:
            if id(ln) not in skip:
                sizes[round(min(w.size for w in ln.words), 1)] += len(ln.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _line_size(ln: Line) -> float:
    return ln.median_size  # (median of its words' sizes, computed once per line)


def _is_heading_line(ln: Line, body: float, edition: Edition) -> bool:
    if heading_of(ln.text, edition) is None:
        return False
    return _heading_typography(ln, body)


def _heading_typography(ln: Line, body: float) -> bool:
    return ln.bold or _line_size(ln) > body * 1.05 or (ln.text.isupper() and len(ln.text) > 3)


def _heading_at(seq: list[tuple[Line, bool]], i: int, body: float, edition: Edition) -> int:
    """How many lines (1–3) from ``seq[i]`` form a narrative heading, 0 when none: a heading may
    wrap onto a second or third line in a narrow column (``CYBER-DEPENDENT`` / ``CRIMES``)."""
    ln = seq[i][0]
    if not _heading_typography(ln, body) or len(ln.text) > 60:
        return 0
    if heading_of(ln.text, edition):
        return 1
    text = ln.text
    for n in (2, 3):
        if i + n - 1 >= len(seq):
            break
        nxt = seq[i + n - 1][0]
        overleaf = nxt.page == seq[i + n - 2][0].page + 1 and seq[i + n - 1][1]  # a heading broken by the page
        if not _heading_typography(nxt, body) or (nxt.page != ln.page and not overleaf) \
                or abs(_line_size(nxt) - _line_size(ln)) > 0.5:
            break
        text = f"{text} {nxt.text}"
        if heading_of(text, edition) or heading_of(text.replace("- ", "-"), edition):
            return n
    return 0


def _split_mixed(ln: Line) -> list[Line]:
    """Split a line where the typography changes across a gap: a heading in one column that shares
    its baseline with body text in the next (a group heading's last word, then the text's ``capacity. Coordination``).
    Each part keeps at least three characters on either side of a split."""
    words = ln.words
    if not words:
        return [ln]
    font, size0 = words[0].font, words[0].size
    if size0 >= 0 and all(w.font == font and w.size == size0 for w in words):
        return [ln]  # one typography throughout: no split (the loop below would find none)
    from octa.layout.page import Line as LayoutLine

    out: list[Line] = []
    start = 0
    left = 0  # characters of words[start:j]
    for j in range(1, len(words)):
        a, b = words[j - 1], words[j]
        left += len(a.text)
        if a.font == b.font and a.size == b.size and a.size >= 0:
            continue  # same typography: no split (the test below, short-cut)
        size = a.size if a.size > b.size else b.size
        resized = abs(a.size - b.size) > 0.15 * size
        # across a gap, a change of weight or size; with no gap, both (a heading set up against the
        # next column's text)
        if ((b.x0 - a.x1 > 0.25 * size and (a.bold != b.bold or resized)) or (a.bold != b.bold and resized)) \
                and left >= 3 and sum(len(w.text) for w in words[j:]) >= 3:
            out.append(LayoutLine(words[start:j], ln.page))
            start, left = j, 0
    if not out:
        return [ln]
    out.append(LayoutLine(words[start:], ln.page))
    return out


def _record_layout_repairs(doc: Document, log: Log) -> None:
    for page in doc.pages:
        log.page = page.number
        for text in page.overprints:
            log.add("overprint", text, "")
        for w in page.words:
            if w.gapped:
                log.add("kerning_gap", w.gapped, w.text)
        for ic in page.icons:
            if ic.source == "glyph":
                log.add("icon_glyph", f"{ic.text} ({ic.font})", "\u25b2" if ic.direction > 0 else "\u25bc")


def _own_words(texts: Iterable[str]) -> frozenset[str]:
    """The words printed inside lines (lower case; a line's last word is one too unless it ends in a
    hyphen: then it may be a hyphenated piece)."""
    heads = []  # each line but a last word that ends in a hyphen
    for t in texts:
        parts = t.rsplit(None, 1)
        if len(parts) == 2:
            heads.append(parts[0] if parts[1].endswith(("-", "\u2010", "\u00ad")) else t)
    return frozenset(map(str.strip, " ".join(heads).lower().split(), repeat(_WORD_EDGE)))


_WORD_EDGE = ".,;:!?()[]\"'“”‘’"


@dataclass(frozen=True)
class Span:
    """A block to be, as the geometry decided it: the units (reading-order lines) it is made of,
    its kind (``row``: a line of the score tables before the narrative; ``residue``: a chart's
    ticks inside the narrative, dropped; ``heading``; ``paragraph``) and its provenance. A paragraph
    ending at a column or page break has ``at_break``, and ``full`` when its last line fills the
    column."""

    kind: str
    start: int
    end: int
    pages: tuple[int, ...]
    bbox: tuple[float, float, float, float] | None
    size: float
    bold: bool
    at_break: bool = False
    full: bool = False


@dataclass(frozen=True)
class DocumentPlan:
    """Everything :func:`clean_document` decided from the page geometry, as plain data: the text of
    every laid-out line (``lines``, where the document's own words come from), the lines kept in
    reading order (``units``: running headers and footers left out, columns in order, rows split
    and rejoined; the score tables' symbol-font glyphs read, with those repairs in ``unit_repairs``),
    and the blocks they form (``spans``). :func:`replay_document` rebuilds the cleaned blocks from a
    plan alone, by the same named text repairs: the plan holds no geometry, and serialises to JSON
    (:meth:`to_json`, :meth:`from_json`)."""

    lines: tuple[str, ...]
    units: tuple[str, ...]
    unit_repairs: tuple[tuple[tuple[str, str, str], ...], ...]
    spans: tuple[Span, ...]

    def to_json(self) -> str:
        import json

        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> DocumentPlan:
        import json

        d = json.loads(text)
        return cls(tuple(d["lines"]), tuple(d["units"]),
                   tuple(tuple(tuple(r) for r in rs) for rs in d["unit_repairs"]),
                   tuple(Span(**{**sp, "pages": tuple(sp["pages"]),
                                 "bbox": None if sp["bbox"] is None else tuple(sp["bbox"])}) for sp in d["spans"]))


def clean_document(doc: Document, edition: Edition) -> Cleaned:
    """PDF mode: the cleaned blocks of a laid-out document (see the module docstring). The geometry
    decides a :class:`DocumentPlan` (:func:`plan_document`); the blocks are built from the plan
    alone (:func:`replay_document` does the same from a stored plan)."""
    lines = tuple(ln.text for p in doc.pages for ln in p.lines)
    log = Log(lambda: lines)
    plan = plan_document(doc, edition, log, lines)
    return Cleaned(blocks=_build_blocks(plan, edition, log), repairs=log.repairs, log=log, plan=plan)


def replay_document(plan: DocumentPlan, edition: Edition) -> Cleaned:
    """The cleaned blocks of a :class:`DocumentPlan`, with the repairs made in building them (all
    but the geometry's own: overprints, kerning gaps, glyphs read as icons, running headers and footers, which
    :func:`plan_document` records)."""
    log = Log(lambda: plan.lines)
    return Cleaned(blocks=_build_blocks(plan, edition, log), repairs=log.repairs, log=log, plan=plan)


def plan_document(doc: Document, edition: Edition, log: Log, lines: tuple[str, ...]) -> DocumentPlan:
    """The geometry's decisions (see :class:`DocumentPlan`); the layout's repairs and the running
    headers and footers dropped are recorded in ``log``."""
    _record_layout_repairs(doc, log)
    furniture = _furniture_lines(doc)
    body = _body_size(doc, furniture)
    # reading order, with column/page break positions
    seq: list[tuple[Line, bool]] = []  # (line, starts a new column or page)
    col_edges: dict[int, tuple[float, float]] = {}
    gutter: float | None = None
    for page in doc.pages:
        log.page = page.number
        kept = []
        for ln in page.lines:
            if id(ln) in furniture:
                log.add("running_header" if ln.y1 <= page.height * _MARGIN_BAND else "running_footer", ln.text, "")
            else:
                kept.extend(_split_mixed(ln))
        gutter = _page_gutter(kept, page.width, gutter)
        regions = [(kept, gutter)]
        crossed = gutter is not None and (_prose_across(kept, gutter, page.width)
                                          or bool(_spanning_prose(kept, gutter, page.width)))
        if gutter is None or crossed:
            split = _lower_columns(kept, page.width)
            if split is not None:
                upper, lower, gutter = split
                regions = [(upper, None), (lower, gutter)]
            elif crossed:
                one = _one_column_under(kept, gutter, page.width)
                if one is not None:
                    regions = [(one[0], gutter), (one[1], None)]
                else:
                    regions = _lower_single(kept, gutter, page.width) or regions
        for col in (c for lines, g in regions for c in _columns(lines, page.width, g)):
            col = _rejoin_rows(col)
            body_lines = [c for c in col if len(c.text) > 25] or col
            right = max(c.x1 for c in body_lines)
            left = min(c.x0 for c in body_lines)
            for k, ln in enumerate(col):
                seq.append((ln, k == 0))
                col_edges[id(ln)] = (left, right)
    start = _narrative_start_pdf([ln for ln, _ in seq], body, edition)
    if seq and (start or heading_of(seq[0][0].text, edition) == edition.narrative_top[0]):
        seq, start = _tables_out_of_narrative(seq, start)
    units: list[str] = []
    unit_repairs: list[tuple[tuple[str, str, str], ...]] = []
    for ln, _ in seq[:start]:
        text, found = _symbol_text(ln)
        units.append(text)
        unit_repairs.append(found)
    for ln, _ in seq[start:]:
        units.append(ln.text)
        unit_repairs.append(())
    spans = _row_spans(seq[:start]) + _narrative_spans(seq[start:], start, body, col_edges, edition)
    return DocumentPlan(lines, tuple(units), tuple(unit_repairs), tuple(spans))


#: A footnote or emphasis mark after a table's number (``7.50*``, ``7.50¹``, ``7.50†``).
_FIGURE_MARKS = "[*\u2020\u2021\u00a7\u00b6#\u2070\u00b9\u00b2\u00b3\u2074-\u2079\u1d43\u1d47\u1d9c\u1d48\u1d49]*"
#: A line of a score table's figures only (scores, changes, their signs and arrows; a number with
#: its marks and the index's scale printed after it: ``6.13 / 10``, ``5.5 out of 10``), never prose.
_SCALE = r"\s*(?:/|out\s+of)\s*10" + _FIGURE_MARKS
#: A direction's arrow or triangle, printed before or after its change.
_ARROWS = "\u2191\u2193\u2197\u2198\u25b2\u25bc\u25b4\u25be\u2b06\u2b07\u279a\u2798"
#: What a figure may stand between: its sign or arrow and an opening bracket before it, a closing
#: bracket and an arrow after it.
_FIGURE_OPEN = r"[+\-\u2212\u2013" + _ARROWS + r"]?\s?[(\[]?"
_FIGURE_CLOSE = r"[)\]]?(?:\s?[" + _ARROWS + r"])?\s*"
_FIGURES_ONLY = re.compile(r"(?:" + _FIGURE_OPEN + r"(?:\d{1,2}[.,]\d{1,2}" + _FIGURE_MARKS + r"(?:" + _SCALE
                           + r")?|\d{1,2}" + _FIGURE_MARKS + _SCALE + r")" + _FIGURE_CLOSE + r")+", re.IGNORECASE)
#: A line of a table's numbers only, whole numbers too (``7``: a score printed without decimals).
_NUMBERS_ONLY = re.compile(r"(?:" + _FIGURE_OPEN + r"\d{1,2}(?:[.,]\d{1,2})?" + _FIGURE_MARKS + r"(?:" + _SCALE
                           + r")?" + _FIGURE_CLOSE + r")+", re.IGNORECASE)
#: A change column's word for "no change to print" (an indicator new in the edition): a table's token
#: only where it stands in a column of the table's figures (its line's edge on theirs).
_NO_CHANGE = re.compile(r"n/?a|n\.a\.|new|[\u2013\u2014-]", re.IGNORECASE)
_LABEL_PIECE = re.compile(r"(?:[^\W\d_]|[-&\s])+")
_TRAILING_NO_CHANGE = re.compile(r"(.*\S)\s+(?:n/?a|n\.a\.|new|[\u2013\u2014-])", re.IGNORECASE)


def _figures_then_no_change(text: str) -> bool:
    """A row's score and its change column's "no change" word read as one line (``1/10 n/a``)."""
    m = _TRAILING_NO_CHANGE.fullmatch(text)
    return m is not None and _FIGURES_ONLY.fullmatch(m.group(1)) is not None


@lru_cache(maxsize=1)
def _label_letters() -> frozenset[str]:
    """Every indicator label (and variant) of the taxonomy as its letters only, lower case."""
    return frozenset(re.sub(r"[^a-z]", "", lab) for lab in taxonomy.label_index())


def _label_pieces(ln: Line, page: list[Line], cache: dict[int, tuple[str, float] | None] | None = None) -> list[Line]:
    """The lines of a score table's label that ends with ``ln`` (a label wrapped in a narrow column,
    its last words alone on a line; or a row of figures and a whole label): ``ln`` and the lines
    right above it at its left edge (the label's, after any figures of the row), one under the other
    at the label's pitch, in its size, whose letters from the top one down are those of an
    indicator's label. A single line is a label's only with figures before it (a heading of the
    narrative may name an indicator). Empty when there is none. ``cache``: each line's label words
    found so far (by id; for lines that live as long as it)."""
    if cache is None:
        cache = {}

    def words(x: Line) -> tuple[str, float] | None:
        key = id(x)
        if key in cache:
            return cache[key]
        ws = x.words
        if ws and _FIGURES_ONLY.fullmatch(ws[0].text):
            ws = list(ws)
            while ws and _FIGURES_ONLY.fullmatch(ws[0].text):
                ws = ws[1:]
            text = " ".join(w.text for w in ws)
        else:
            text = x.text  # (the line's text is its words' joined by spaces)
        got = None if not ws or not _LABEL_PIECE.fullmatch(text) else (text, ws[0].x0)
        cache[key] = got
        return got

    ws = ln.words
    if ws and len(ln.text.split()) > 5 and not _FIGURES_ONLY.fullmatch(ws[0].text):
        return []  # (a quick test first: then the label's words would be the line's, more than five)
    own = words(ln)
    if own is None or len(own[0].split()) > 5:
        return []
    labels = _label_letters()
    pieces, text, cur = [ln], own[0], ln
    if len(ln.words) > len(own[0].split()) and re.sub(r"[^a-z]", "", text.lower()) in labels:
        return pieces
    while len(pieces) < 5:
        above = [x for x in page if x is not cur and 0 < cur.baseline - x.baseline <= 1.6 * cur.size
                 and abs(x.size - cur.size) <= 0.1 * cur.size and (w := words(x)) is not None
                 and abs(w[1] - own[1]) <= 0.5]
        if not above:
            return []
        cur = max(above, key=lambda x: x.baseline)
        pieces.append(cur)
        text = words(cur)[0] + " " + text  # type: ignore[index]
        if re.sub(r"[^a-z]", "", text.lower()) in labels:
            return pieces
    return []


def _prose_line(ln: Line) -> bool:
    """A line of prose: six words or more of two letters or more, and no figure (a table's row of
    label and numbers, a rank line ``7th of 17 countries in Central & Eastern Europe``, has one)."""
    return not any(c.isdigit() for c in ln.text) and sum(
        1 for w in ln.words if sum(c.isalpha() for c in w.text) >= 2) >= 6


def _next_line(a: Line, b: Line) -> bool:
    """Whether ``b`` is the line under ``a`` in one paragraph: the same size, one line step or so
    under it, starting where it starts or an indent away."""
    size = a.size
    return abs(b.size - size) <= 0.1 * size and 0 < b.baseline - a.baseline <= 2 * size \
        and abs(b.x0 - a.x0) <= 2.5 * size


def _tables_out_of_narrative(seq: list[tuple[Line, bool]], start: int) -> tuple[list[tuple[Line, bool]], int]:
    """The reading order with the score tables' lines that it put after the narrative's start read
    with the tables (before ``start``, which moves past them): on the page where the narrative
    starts, a line above its first heading and within the height of the tables' lines there (the
    numbers of a table set beside the page's middle, read with the next column); anywhere in the
    narrative, a line of figures only, and its row's label (a table's rows beside the narrative's
    start). A paragraph never holds a table's tokens. A column's first
    line moved, the next line starts the column. (Called only when the narrative's start was found:
    a document with no narrative tree, which is all narrative, keeps its order.)"""
    if start >= len(seq):
        return seq, start
    head = seq[start][0]
    before = [ln for ln, _ in seq[:start] if ln.page == head.page]
    top = min((ln.y0 for ln in before), default=0.0)
    bottom = max((ln.y1 for ln in before), default=0.0)
    after = [ln for ln, _ in seq[start + 1:]]
    # each line's text and whether it is a line of figures only (computed once: asked again and
    # again for the lines of a page)
    pages: dict[int, list[Line]] = {}
    stripped: dict[int, str] = {}
    figures_only: set[int] = set()
    for ln, _ in seq:
        pages.setdefault(ln.page, []).append(ln)
        t = stripped[id(ln)] = ln.text.strip()
        if _FIGURES_ONLY.fullmatch(t):
            figures_only.add(id(ln))
    page_figures = {p: [f for f in lines if id(f) in figures_only] for p, lines in pages.items()}
    # (a line of figures then a "no change" word starts with figures: a quick test first)
    figures = {id(ln) for ln in after if id(ln) in figures_only
               or _FIGURES_ONLY.match(stripped[id(ln)]) and _figures_then_no_change(stripped[id(ln)])}
    # a change column's "no change" word in a column of the table's figures (on the same page)
    for ln in after:
        if _NO_CHANGE.fullmatch(stripped[id(ln)]):
            tol = 0.25 * ln.size
            if any(abs(f.x1 - ln.x1) <= tol or abs(f.x0 - ln.x0) <= tol
                   or abs(f.x0 + f.x1 - ln.x0 - ln.x1) <= 2 * tol for f in page_figures[ln.page]
                   if f is not ln):
                figures.add(id(ln))
    # a table's label (or its last lines) read after the narrative's start
    in_after = {id(ln) for ln in after}
    cache: dict[int, tuple[str, float] | None] = {}
    pieces = {id(x) for ln in after if id(ln) not in figures
              for x in _label_pieces(ln, pages[ln.page], cache) if id(x) in in_after}
    # a column's heading (``SCORE``): a word or two over a column of the table's figures (some of
    # them under it), where no line of running text (six words or more) stands on the page
    for ln in after:
        if id(ln) in figures or len(ln.words) > 2 or not _LABEL_PIECE.fullmatch(stripped[id(ln)]):
            continue
        page = pages[ln.page]
        if any(f.x0 < ln.x1 and ln.x0 < f.x1 and f.y0 >= ln.y1 - 0.25 * ln.size for f in page_figures[ln.page]) \
                and not any(len(x.words) >= 6 and x.x0 < ln.x1 and ln.x0 < x.x1 for x in page):
            pieces.add(id(ln))
    labels: set[int] = set()
    for f in (ln for ln in after if id(ln) in figures):
        # the row's label: the nearest line left of the figures on their baseline, when it is a few
        # words that close no sentence (a line of prose beside a table is not its label)
        left = [ln for ln in pages[f.page] if id(ln) in in_after and abs(ln.baseline - f.baseline) <= 0.25 * f.size
                and ln.x1 <= f.x0 + 0.5 * f.size and ln is not f]
        if left:
            near = max(left, key=lambda ln: ln.x1)
            if id(near) not in figures and len(near.words) <= 5 and not near.text.rstrip().endswith(
                    (".", ";", ":", "!", "?", ",")):
                labels.add(id(near))

    # the tables' lines there reach down to the lowest of their figures and labels, and on through
    # the lines that start inside that height (a label's wrapped last line, ``actors``, under the
    # figures centred on the label)
    # (a line of prose, six words of letters or more and no figure, is no table's line by its
    # height, nor are the lines next to it in its column at its size, one line step apart: the
    # narrative's column beside the tables, running on from the heading at the foot of theirs)
    run = [(ln, starts) for ln, starts in seq[start + 1:] if ln.page == head.page]
    prose = {id(ln) for ln, _ in run if _prose_line(ln)}
    for k in range(1, len(run)):  # the lines under a line of prose (a paragraph's last, with figures)
        (a, _), (b, starts) = run[k - 1], run[k]
        if id(a) in prose and not starts and _next_line(a, b):
            prose.add(id(b))
    for k in range(len(run) - 2, -1, -1):  # and above it (a paragraph's first, with figures)
        (a, _), (b, starts) = run[k], run[k + 1]
        if id(b) in prose and not starts and _next_line(a, b):
            prose.add(id(a))
    above = [ln for ln in after if before and ln.page == head.page and ln.y1 <= head.y0 and id(ln) not in prose]
    inside: set[int] = set()
    reach = max([bottom] + [ln.y1 for ln in above if id(ln) in figures or id(ln) in labels])
    grown = True
    while grown:
        grown = False
        for ln in above:
            if id(ln) not in inside and (top <= (ln.y0 + ln.y1) / 2 <= bottom
                                         or top <= ln.y0 < reach - 0.25 * ln.size):
                inside.add(id(ln))
                if ln.y1 > reach:
                    reach, grown = ln.y1, True

    table = figures | labels | pieces | inside
    moved: list[tuple[Line, bool]] = []
    kept: list[tuple[Line, bool]] = []
    carry = False
    for ln, new_col in seq[start + 1:]:
        if id(ln) in table:
            moved.append((ln, new_col))
            carry = carry or new_col
            continue
        kept.append((ln, new_col or carry))
        carry = False
    if not moved:
        return seq, start
    return [*seq[:start], *moved, seq[start], *kept], start + len(moved)


def _span(kind: str, lines: list[Line], start: int, **kw: bool) -> Span:
    """A span of ``lines`` (units ``start`` onwards): its pages, and the box, size and typography
    of its part on its first page (a heading's or row's: its first line's)."""
    first = lines[0]
    if kind != "paragraph":
        return Span(kind, start, start + len(lines), (first.page,), first.bbox, _line_size(first), first.bold, **kw)
    pages = sorted({c.page for c in lines})
    on_first = [c for c in lines if c.page == pages[0]]
    bbox = (min(c.x0 for c in on_first), min(c.y0 for c in on_first), max(c.x1 for c in on_first),
            max(c.y1 for c in on_first))
    return Span(kind, start, start + len(lines), tuple(pages), bbox, median([_line_size(c) for c in lines]),
                all(c.bold for c in lines), **kw)


def _row_spans(seq: list[tuple[Line, bool]]) -> list[Span]:
    """Before the narrative (the score tables): one span per row (lines on one baseline, left to
    right, on one page)."""
    out: list[Span] = []
    row: list[Line] = []
    first = 0
    for k, (ln, _) in enumerate(seq):
        if row and (ln.page != row[0].page or abs(ln.baseline - row[0].baseline) > 1.0 or ln.x0 < row[-1].x0):
            out.append(_span("row", row, first))
            row, first = [], k
        row.append(ln)
    if row:
        out.append(_span("row", row, first))
    return out


def _narrative_spans(narrative: list[tuple[Line, bool]], offset: int, body: float,
                     col_edges: dict[int, tuple[float, float]], edition: Edition) -> list[Span]:
    """The narrative's spans: chart residue, headings (over up to three lines), and paragraphs
    (split at extra space or a first-line indent; those ending at a column or page break marked)."""
    out: list[Span] = []
    cur: list[Line] = []
    cur_start = 0
    prev_line: Line | None = None
    pitch = _pitch([ln for ln, _ in narrative], body)
    leading = _leadings(narrative)
    indents = _indents(narrative)
    measured: list[_Taller] = []

    def taller() -> _Taller:  # measured on first use (few documents need it)
        if not measured:
            measured.append(_taller_lines(narrative))
        return measured[0]
    k = 0
    while k < len(narrative):
        ln, new_col = narrative[k]
        residue = is_chart_residue(ln.text) and len(ln.text) < 30
        heading_lines = 0 if residue else _heading_at(narrative, k, body, edition)
        if cur and (residue or heading_lines):
            out.append(_span("paragraph", cur, offset + cur_start))
            cur = []
        elif cur and new_col:
            out.append(_span("paragraph", cur, offset + cur_start, at_break=True,
                             full=_fills_column(cur[-1], col_edges.get(id(cur[-1])), ln)))
            cur = []
        elif cur and prev_line is not None and _new_paragraph(
                prev_line, ln, pitch, body, leading, indents,
                lambda: _offset_at(narrative, k, cur, leading, taller()),  # noqa: B023 (called at once)
                lambda: taller().top_after(prev_line, ln)):  # noqa: B023
            out.append(_span("paragraph", cur, offset + cur_start))
            cur = []
        if residue or heading_lines:
            n = heading_lines or 1
            out.append(_span("heading" if heading_lines else "residue", [x for x, _ in narrative[k:k + n]], offset + k))
            prev_line = None
            k += n
            continue
        if not cur:
            cur_start = k
        cur.append(ln)
        prev_line = ln
        k += 1
    if cur:
        out.append(_span("paragraph", cur, offset + cur_start))
    return out


def _build_blocks(plan: DocumentPlan, edition: Edition, log: Log) -> list[Block]:
    """The cleaned blocks of a plan, by the named text repairs alone: rows (symbol glyphs as the
    plan read them, line-end hyphen glyphs, the textual plan; chart residue dropped), headings
    (the textual plan; wrapped headings joined), paragraphs (lines joined, hyphenation resolved, the
    textual plan), then paragraphs cut by a column or page break joined and repeated ones dropped."""
    blocks: list[Block] = []
    breaks: set[int] = set()
    full_breaks: set[int] = set()
    units = plan.units
    for sp in plan.spans:
        log.page = sp.pages[0]
        texts = list(units[sp.start:sp.end])
        if sp.kind == "row":
            for k in range(sp.start, sp.end):
                for rule, before, after in plan.unit_repairs[k]:
                    log.add(rule, before, after)
                texts[k - sp.start] = fix_line_end_hyphen(units[k], log)
            text = " ".join(texts)
            if is_chart_residue(text):
                log.add("chart_residue", text, "")
            else:
                blocks.append(Block("other", apply_plan(text, log), list(sp.pages), sp.bbox, sp.size, sp.bold))
        elif sp.kind == "residue":
            log.add("chart_residue", texts[0], "")
        elif sp.kind == "heading":
            text = " ".join(texts)
            fixed = apply_plan(text, log)
            if len(texts) > 1:
                log.add("two_line_heading", " | ".join(texts), fixed)
            heading = fixed if heading_of(fixed, edition) else heading_of(text, edition) or text
            blocks.append(Block("heading", heading, list(sp.pages), sp.bbox, sp.size, sp.bold))
        else:
            text = apply_plan(join_lines(_paragraph_lines(texts, log), log), log)
            blocks.append(Block("paragraph", text, list(sp.pages), sp.bbox, sp.size, sp.bold))
            if sp.at_break:
                breaks.add(len(blocks) - 1)
            if sp.full:
                full_breaks.add(len(blocks) - 1)
    blocks = join_broken_paragraphs(blocks, log, breaks, full_breaks)
    return _drop_repeated_blocks(blocks, log)


def _drop_repeated_blocks(blocks: list[Block], log: Log) -> list[Block]:
    """Drop a paragraph printed twice in a row (a duplicated layer in publisher PDFs)."""
    out: list[Block] = []
    for b in blocks:
        if out and b.kind == out[-1].kind == "paragraph" and b.text == out[-1].text and len(b.text) >= 20:
            log.page = b.pages[0] if b.pages else None
            log.add("duplicate_line", b.text, "")
            continue
        out.append(b)
    return out


def _paragraph_lines(texts: list[str], log: Log) -> list[str]:
    """A paragraph's lines ready to join, in both modes: a line printed twice in a row dropped,
    line-end hyphens drawn as other glyphs read as hyphens, ligatures written out."""
    return [fix_ligatures(fix_line_end_hyphen(t, log), log) for t in _dedupe_lines(texts, log)]


def _dedupe_lines(texts: list[str], log: Log) -> list[str]:
    """Drop a line printed twice in a row (publisher PDFs duplicate lines on overprinted layers)."""
    out: list[str] = []
    for t in texts:
        if out and t == out[-1] and len(t) >= 20:
            log.add("duplicate_line", t, "")
            continue
        out.append(t)
    return out


def _pitch(lines: list[Line], body: float) -> float:
    """The usual distance between baselines of consecutive body lines."""
    diffs = []
    for a, b in zip(lines, lines[1:], strict=False):
        d = b.baseline - a.baseline
        if a.page == b.page and 0.8 * body < d < 2.2 * body and abs(a.x0 - b.x0) < body * 3:
            diffs.append(round(d, 1))
    return median(diffs) if diffs else body * 1.25


#: Fraction of a font's leading: a step between the baselines of two lines of that font more than this
#: above the leading is a paragraph's extra space, when the line before closes a sentence and the line
#: after does not start in lower case.
PARAGRAPH_SPACE = 0.1

#: Fraction of a font's size: a step between baselines more than this above the largest step of the
#: font's own leading inside sentences (:func:`_leadings`) is a paragraph's extra space (same
#: conditions as above).
PARAGRAPH_STEP = 0.04

#: Fraction of a font's size: the lines after a step above the most frequent step of the leading
#: standing this much lower than the grid of the lines before (:func:`_grid_offset`) is a paragraph's
#: extra space (same conditions as above).
PARAGRAPH_OFFSET = 0.09


def _leadings(narrative: list[tuple[Line, bool]]) -> dict[float, tuple[float, float, float, float]]:
    """The document's own leading per font size (rounded to 0.1 pt), as two figures: the lower
    quartile of the steps between the baselines of consecutive lines of that size in one column
    (lines of a paragraph are most of them, and the lowest; a paragraph's extra space, or a line
    raised by a taller glyph, only adds larger ones); the largest step of the leading itself:
    the second largest step to a line that starts in lower case (inside a sentence: no paragraph
    starts there; a heading's step to its text is no such step), up to 0.15 of the size above the most frequent step.
    A producer that sets baselines on a grid (whole pixels) draws one leading as steps of two or
    three grid values (12.0 and 12.75 pt for 12.5); a paragraph's extra space a little larger than
    the leading is a step above all of them, and steps that size inside sentences show that it is
    not. Then the most frequent step, and the mean of the steps to a line in lower case near it
    (the leading itself, between its grid values). Sizes with fewer than three steps are left out."""
    steps: dict[float, list[float]] = {}
    inside: dict[float, list[float]] = {}
    plain: dict[float, list[float]] = {}  # inside sentences, after a line of one font
    for (a, _), (b, new_col) in zip(narrative, narrative[1:], strict=False):
        if new_col or a.page != b.page:
            continue
        size = b.median_size  # (:func:`_line_size`, for every line of the narrative)
        if abs(a.median_size - size) > 0.05 * size:
            continue
        d = b.baseline - a.baseline
        if 0.8 * size < d < 2.2 * size and abs(a.x0 - b.x0) < 3 * size:
            key = round(size, 1)
            steps.setdefault(key, []).append(d)
            if starts_lower(b.text):
                inside.setdefault(key, []).append(d)
                if not _fonts_mixed(a):
                    plain.setdefault(key, []).append(d)
    out: dict[float, tuple[float, float]] = {}
    for size, ds in steps.items():
        if len(ds) < 3:
            continue
        counts = Counter(map(round, ds, repeat(2)))  # (each step to 0.01 pt)
        mode = max(counts.items(), key=lambda kv: (kv[1], -kv[0]))[0]
        near = sorted(d for d in inside.get(size, []) if abs(d - mode) <= 0.15 * size)
        # the largest step from the lines of one font where there are two: a line holding glyphs of
        # two fonts (a deeper line box) moves the line after it further down, and that step is measured
        # on its own (:func:`_taller_lines`); counted here, it would hide a paragraph's extra space
        # of the same size after a line of one font
        one_font = sorted(d for d in plain.get(size, []) if abs(d - mode) <= 0.15 * size)
        highest = one_font if len(one_font) >= 2 else near
        top = max(mode, highest[-2]) if len(highest) >= 2 else mode
        out[size] = (sorted(ds)[len(ds) // 4], top, mode, sum(near) / len(near) if near else mode)
    return out


def _offset_at(narrative: list[tuple[Line, bool]], k: int, cur: list[Line],
               leading: dict[float, tuple[float, float, float, float]],
               taller: _Taller | None = None) -> float | None:
    """:func:`_grid_offset` at ``narrative[k]`` in its font's leading, None for a font without one;
    with ``taller`` (:func:`_taller_lines`), the taller lines' extra steps taken off."""
    key = round(_line_size(narrative[k][0]), 1)
    lead = leading.get(key)
    if lead is None:
        return None
    if taller is None:
        return _grid_offset(narrative, k, cur, lead[3], lead[2])
    return _grid_offset(narrative, k, cur, taller.pitch.get(key, lead[3]), lead[2], taller.step)


@dataclass(frozen=True)
class _Taller:
    """What :func:`_taller_lines` measured, per font size (rounded to 0.1 pt): the extra step after
    a line holding glyphs of two fonts (``extra``), the leading between lines of one font
    (``pitch``), and the largest step after such a line inside sentences (``top``, seen twice)."""

    extra: dict[float, float]
    pitch: dict[float, float]
    top: dict[float, float]

    def step(self, a: Line, b: Line) -> float:
        """The extra step from ``a`` to the next line ``b`` that ``a``'s taller box makes (0 where
        nothing was measured)."""
        key = round(_line_size(b), 1)
        return self.extra.get(key, 0.0) if round(_line_size(a), 1) == key and _fonts_mixed(a) else 0.0

    def top_after(self, a: Line, b: Line) -> float | None:
        """The largest step the leading takes inside sentences after a line like ``a`` (one holding
        glyphs of two fonts), None when ``a`` is no such line or nothing was measured."""
        key = round(_line_size(b), 1)
        return self.top.get(key) if round(_line_size(a), 1) == key and _fonts_mixed(a) else None


def _taller_lines(narrative: list[tuple[Line, bool]]) -> _Taller:
    """The document's own measure of how much further down a line holding glyphs of two fonts or
    more (a fallback font's hyphen inside a word: a line box as deep as the deeper font's) sets the
    line after it, moving every line after it: per font size, the mean step inside sentences (to a
    line in lower case, or after a line left open) from such a line to a line of one font, less the
    mean of the steps inside sentences between lines of one font, near it; none with fewer than two
    such steps (see :class:`_Taller`)."""
    plain: dict[float, list[float]] = {}
    below: dict[float, list[float]] = {}
    for (a, _), (b, new_col) in zip(narrative, narrative[1:], strict=False):
        size = _line_size(b)
        if new_col or a.page != b.page or abs(_line_size(a) - size) > 0.05 * size \
                or not (starts_lower(b.text) or ends_open(a.text)):
            continue
        d = b.baseline - a.baseline
        if not 0.8 * size < d < 2.2 * size or _fonts_mixed(b):
            continue
        (below if _fonts_mixed(a) else plain).setdefault(round(size, 1), []).append(d)
    extra: dict[float, float] = {}
    pitch: dict[float, float] = {}
    top: dict[float, float] = {}
    for key, ds in plain.items():
        mid = median(ds)
        base = [x for x in ds if abs(x - mid) <= 0.3 * key]
        near = sorted(x for x in below.get(key, []) if abs(x - mid) <= 0.3 * key)
        if len(near) >= 2 and sum(near) / len(near) > sum(base) / len(base):
            pitch[key] = sum(base) / len(base)
            extra[key] = sum(near) / len(near) - pitch[key]
            top[key] = near[-2]
    return _Taller(extra, pitch, top)


def _fonts_mixed(ln: Line) -> bool:
    """Whether a line holds glyphs of more than one font (a word of its own font, or a glyph of
    another inside a word)."""
    font = ln.words[0].font
    return any(w.mixed or w.font != font for w in ln.words)


def _grid_offset(narrative: list[tuple[Line, bool]], k: int, before: list[Line], pitch: float,
                 usual: float, extra: Callable[[Line, Line], float] | None = None) -> float | None:
    """How far the lines from ``narrative[k]`` on (up to three, in one run of one size and column,
    up to a line that may start another paragraph, a step above the ``usual`` one)
    stand below the grid of the lines ``before`` it (the last three of the paragraph so far,
    ``narrative[k - len(before)]`` to ``narrative[k - 1]``), in the font's mean leading ``pitch``:
    the mean residual after less the mean before. A baseline rounded to a grid, or one line raised
    by a taller glyph, moves one step and the next back; a paragraph's extra space moves every
    line after it. None without lines on both sides. A line holding glyphs of two fonts (a fallback
    font's hyphen: a deeper line box) moves every line after it too, by the document's own measure
    of that (``extra``, :func:`_taller_lines`), which is taken off."""
    ln = narrative[k][0]
    size = _line_size(ln)
    prior = [b for b in before[-3:] if b.page == ln.page and abs(_line_size(b) - size) <= 0.05 * size]
    if len(prior) != len(before[-3:]) or not prior:
        return None
    after: list[Line] = []
    j = k
    while j < len(narrative) and len(after) < 3:
        cur, new_col = narrative[j]
        if after and (new_col or cur.page != ln.page or cur.bold != ln.bold
                      or abs(_line_size(cur) - size) > 0.05 * size
                      or not 0 < cur.baseline - after[-1].baseline < 1.6 * size
                      or (cur.baseline - after[-1].baseline - (extra(after[-1], cur) if extra else 0.0)
                          > usual + PARAGRAPH_STEP * size
                          and not ends_open(after[-1].text) and not starts_lower(cur.text))):
            break  # (a line that may start the next paragraph, by its step, ends the lines after)
        after.append(cur)
        j += 1
    first = k - len(prior)
    run = prior + after
    moved = [0.0]  # how far the taller lines before each line of the run moved it
    for a, b in zip(run, run[1:], strict=False):
        moved.append(moved[-1] + (extra(a, b) if extra else 0.0))
    res_before = [b.baseline - (first + i) * pitch - moved[i] for i, b in enumerate(prior)]
    res_after = [a.baseline - (k + i) * pitch - moved[len(prior) + i] for i, a in enumerate(after)]
    return sum(res_after) / len(res_after) - sum(res_before) / len(res_before)


def _indents(narrative: list[tuple[Line, bool]]) -> dict[float, float]:
    """The document's own first-line indent per font size (rounded to 0.1 pt): a step to the right
    (from a fifth of the size to three sizes) from a line that closes a sentence to the next, of
    one width (to half a point) found at least twice, with the step back to the left of that width
    found at least twice too (a paragraph's first line indented, its next line at the column's
    edge). Sizes without such evidence are left out."""
    right: dict[float, Counter[float]] = {}
    back: dict[float, Counter[float]] = {}
    for (a, _), (b, new_col) in zip(narrative, narrative[1:], strict=False):
        if new_col or a.page != b.page:
            continue
        size = _line_size(b)
        if abs(_line_size(a) - size) > 0.05 * size or not 0 < b.baseline - a.baseline < 2.2 * size:
            continue
        d = b.x0 - a.x0
        key = round(size, 1)
        if 0.2 * size < d < 3 * size and not ends_open(a.text):
            right.setdefault(key, Counter())[round(d * 2) / 2] += 1
        elif -3 * size < d < -0.2 * size:
            back.setdefault(key, Counter())[round(-d * 2) / 2] += 1
    out: dict[float, float] = {}
    for key, widths in right.items():
        width, n = max(widths.items(), key=lambda kv: (kv[1], -kv[0]))
        if n >= 2 and sum(back.get(key, Counter())[w] for w in (width - 0.5, width, width + 0.5)) >= 2:
            out[key] = width
    return out


def _new_paragraph(prev: Line, ln: Line, pitch: float, body: float,
                   leading: dict[float, tuple[float, float, float, float]] | None = None,
                   indents: dict[float, float] | None = None,
                   offset: Callable[[], float | None] | None = None,
                   top_after: Callable[[], float | None] | None = None) -> bool:
    """A paragraph starts here: extra space above (more than a quarter of the usual pitch; or, in
    the font's own leading, more than :data:`PARAGRAPH_SPACE` of it, or more than
    :data:`PARAGRAPH_STEP` of the size above the leading's largest step, after a closed sentence), or a
    first-line indent after a closed sentence (more than 0.8 of the body size, or the document's own
    indent for the font, :func:`_indents`). After a line holding glyphs of two fonts, the largest
    step is the one the leading takes after such lines (``top_after``, :meth:`_Taller.top_after`)
    when larger."""
    gap = ln.baseline - prev.baseline
    if gap > pitch * 1.25 or gap < -body:
        return True
    if ln.x0 - prev.x0 > 0.8 * body and not ends_open(prev.text):
        return True
    if (leading or indents) and not ends_open(prev.text) and not starts_lower(ln.text):
        size = _line_size(ln)
        if abs(_line_size(prev) - size) <= 0.05 * size:
            lead = leading.get(round(size, 1)) if leading else None
            # (a step the leading itself takes inside sentences, twice or more, is no extra space,
            # however far above its lower quartile: a producer that snaps baselines to whole pixels
            # draws one leading as steps of three grid values)
            top = lead[1] if lead is not None else 0.0
            if lead is not None and gap > top and top_after is not None:
                top = max(top, top_after() or 0.0)
            if lead is not None and (gap > lead[0] * (1 + PARAGRAPH_SPACE) and gap > top
                                     or gap > top + PARAGRAPH_STEP * size):
                return True
            # a step a grid value above the usual one, and the lines after it all lower by most of
            # a tenth of the size: a paragraph's extra space (a line raised by a taller glyph moves
            # the step after it back)
            if lead is not None and offset is not None and gap > lead[2] + PARAGRAPH_STEP * size:
                lower = offset()
                if lower is not None and lower > PARAGRAPH_OFFSET * size:
                    return True
            indent = indents.get(round(size, 1)) if indents else None
            if indent is not None and abs(ln.x0 - prev.x0 - indent) <= 0.5:
                return True
    return False


def _fills_column(last: Line | None, edges: tuple[float, float] | None, nxt: Line | None = None) -> bool:
    """Does the last line before a column or page break fill its column, as a line of running text
    cut by the break does and a paragraph's last line rarely does? With the first line after the
    break: the room left is too small for that line's first word (the line was ended by its width,
    not by the paragraph's end). Without it: less room left than a long word."""
    if last is None or edges is None or last.text.rstrip().endswith(":"):
        return False
    left, right = edges
    room = right - last.x1
    if nxt is not None and nxt.words:
        first = nxt.words[0]
        return room < (first.x1 - first.x0) + 0.25 * first.size
    return room < 0.09 * (right - left)


def join_cut(a: Block, b: Block, log: Log) -> Block:
    """Join two paragraphs split at a column or page break (called by the section parser when the
    paragraph count shows that ``a`` goes on in ``b``); recorded as ``column_break``."""
    log.page = b.pages[0] if b.pages else None
    log.add("column_break", f"{a.text[-40:]} ¶ {b.text[:40]}", f"{a.text[-40:]} {b.text[:40]}")
    return Block("paragraph", _join_text(a.text, b.text, log.words), sorted(set(a.pages + b.pages)), a.bbox,
                 a.size, a.bold, b.cut)


def _join_text(a: str, b: str, words: frozenset[str] = frozenset()) -> str:
    """Two paragraphs of one cut by a break, joined by the rule that joins lines (``_join_two``;
    before, a name broken at its hyphen across a break kept a space: ``Guinea- Bissau``)."""
    return _join_two(a, b, words)[0]


def _narrative_start_pdf(lines: list[Line], body: float, edition: Edition) -> int:
    """Index of the line where the narrative begins: the first top heading of the edition's
    narrative tree (a standalone heading line) followed by a heading under it (the next heading of
    its pillar's path, or a group's), else 0 (not a profile: all is narrative)."""
    top = edition.narrative_top

    def under(j: int) -> bool:
        h = heading_of(lines[j].text, edition)
        return h is not None and h not in top

    return narrative_start(len(lines), lambda i: heading_of(lines[i].text, edition) == top[0]
                           and _is_heading_line(lines[i], body, edition), under)


def explain(repairs: Iterable[Repair]) -> list[tuple[str, str, str, str]]:
    """Rows (rule, page, before, after) for a table of repairs."""
    return [(r.rule, "" if r.page is None else str(r.page), r.before, r.after) for r in repairs]


def letters_and_digits(text: str) -> Counter[str]:
    """The multiset of letters and digits of ``text`` (NFC), for accounting checks."""
    return Counter(c for c in unicodedata.normalize("NFC", text) if c.isalnum())
