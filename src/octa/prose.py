"""Narrative prose for synthetic profiles: one paragraph of plain English per indicator.

Every paragraph opens with a sentence naming the indicator (its label or a synonym), then draws
sentences from a pool written for that indicator and from generic pools for its pillar, until it
holds 60–220 words. The pools are data (``prose.toml``). All randomness comes from the
``random.Random`` passed in.
"""

from __future__ import annotations

import random
import tomllib
from fractions import Fraction
from pathlib import Path

from octa import taxonomy


def _pools() -> dict[str, dict[str, tuple[str, ...]]]:
    """The prose pools of ``prose.toml`` (package data), each list as a tuple."""
    data = tomllib.loads((Path(__file__).parent / "prose.toml").read_text(encoding="utf-8"))
    return {part: {k: tuple(v) for k, v in table.items()} for part, table in data.items()}


_POOLS = _pools()
#: Names a paragraph may use for an indicator in its opening sentence (label first).
SYNONYMS: dict[str, tuple[str, ...]] = _POOLS["synonyms"]
#: Sentences written for each indicator.
FACTS: dict[str, tuple[str, ...]] = _POOLS["facts"]
#: Opening and generic sentences per pillar.
OPENING: dict[str, tuple[str, ...]] = _POOLS["opening"]
GENERIC: dict[str, tuple[str, ...]] = _POOLS["generic"]

_MARKET_LEVELS = ((Fraction(7, 2), ("limited", "small", "modest")),
                  (Fraction(13, 2), ("significant", "moderate", "well established")),
                  (Fraction(11), ("pervasive", "entrenched", "widespread")))
_RES_LEVELS = ((Fraction(7, 2), ("weak", "very limited", "fragile")),
               (Fraction(13, 2), ("moderate", "uneven", "partial")),
               (Fraction(11), ("strong", "robust", "effective")))
_ACTOR_LEVELS = ((Fraction(7, 2), ("limited", "minor", "modest")),
                 (Fraction(13, 2), ("significant", "notable", "growing")),
                 (Fraction(11), ("dominant", "pervasive", "major")))


def prose_country(country: str) -> str:
    """A country name as it reads in running text (``Congo, Dem. Rep.`` → ``the Democratic Republic
    of the Congo``)."""
    special = {
        "Congo, Dem. Rep.": "the Democratic Republic of the Congo",
        "Congo, Rep.": "the Republic of the Congo",
        "Korea, Rep.": "South Korea",
        "Korea, DPR": "North Korea",
        "Micronesia (Federated States of)": "Micronesia",
        "Central African Republic": "the Central African Republic",
        "United States": "the United States",
        "United Kingdom": "the United Kingdom",
        "United Arab Emirates": "the United Arab Emirates",
        "Dominican Republic": "the Dominican Republic",
        "Czech Republic": "the Czech Republic",
        "Bahamas": "the Bahamas",
        "Gambia": "the Gambia",
        "Marshall Islands": "the Marshall Islands",
        "Solomon Islands": "the Solomon Islands",
        "Philippines": "the Philippines",
        "Netherlands": "the Netherlands",
    }
    return special.get(country, country)


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _level(pillar: str, score: Fraction, rng: random.Random) -> str:
    table = {"criminal_markets": _MARKET_LEVELS, "criminal_actors": _ACTOR_LEVELS}.get(pillar, _RES_LEVELS)
    for bound, words in table:
        if score < bound:
            return rng.choice(words)
    return rng.choice(table[-1][1])


def _trend(change: Fraction | None, pillar: str, rng: random.Random) -> str:
    if change is None:
        return rng.choice(("been assessed for the first time", "only recently been measured"))
    if change == 0:
        return rng.choice(("remained stable", "changed little"))
    up = change > 0
    if pillar == "resilience":
        return rng.choice(("improved", "strengthened")) if up else rng.choice(("deteriorated", "weakened"))
    return rng.choice(("grown", "expanded")) if up else rng.choice(("declined", "contracted"))


def paragraph(rng: random.Random, indicator_id: str, country: str, region: str, score: Fraction,
              change: Fraction | None, min_words: int = 60, max_words: int = 200) -> str:
    """One paragraph (``min_words``–``max_words`` words, ending with a full stop) on one indicator."""
    ind = taxonomy.INDICATORS_BY_ID[indicator_id]
    name = rng.choice(SYNONYMS[indicator_id])
    ctx = {"country": prose_country(country), "region": region, "name": name, "Name": _cap(name),
           "level": _level(ind.pillar, score, rng), "trend": _trend(change, ind.pillar, rng)}
    opener_pool = OPENING[ind.pillar]
    generic = GENERIC[ind.pillar]
    opener = _cap(rng.choice(opener_pool).format(**ctx))
    facts = list(FACTS[indicator_id])
    rng.shuffle(facts)
    gens = list(generic)
    rng.shuffle(gens)
    pool = facts + gens
    target = rng.randint(min_words + 5, min(max_words - 40, 135))
    sentences = [opener]
    words = len(opener.split())
    for s in pool:
        s = _cap(s.format(**ctx))
        n = len(s.split())
        if words >= target and words >= min_words:
            break
        if words + n > max_words:
            continue
        sentences.append(s)
        words += n
    text = " ".join(sentences)
    if not text.endswith("."):
        text += "."
    return text
