"""The taxonomy of OCTA-style profiles: pillars, groups, indicators, editions, countries.

This module is the single source of every indicator id, label and heading. Parsers, the
generator, the validator and the exporters all read it; nothing else spells an indicator name.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import regex

FAMILIES: tuple[str, ...] = ("global", "enact")

#: Editions (years) of each family, oldest first.
EDITIONS: dict[str, tuple[int, ...]] = {
    "global": (2021, 2023, 2025),
    "enact": (2019, 2021, 2023, 2025),
}

#: Editions that still use the smaller indicator set (10 markets, 4 actors).
SMALL_SET_EDITIONS: frozenset[int] = frozenset({2019, 2021})

#: The summary metrics, in contract order.
SUMMARY_IDS: tuple[str, ...] = ("criminality", "criminal_markets", "criminal_actors", "resilience")
SUMMARY_LABELS: dict[str, str] = {
    "criminality": "Criminality",
    "criminal_markets": "Criminal markets",
    "criminal_actors": "Criminal actors",
    "resilience": "Resilience",
}

PILLARS: tuple[str, ...] = ("criminal_markets", "criminal_actors", "resilience")


@dataclass(frozen=True)
class Group:
    id: str
    pillar: str
    heading: str  # as printed in profiles (upper case)


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str
    pillar: str
    group: str | None
    small_set: bool  # present in the 2019/2021 editions
    variants: tuple[str, ...] = field(default=())

    def in_edition(self, year: int) -> bool:
        """Whether profiles of edition ``year`` carry this indicator."""
        return self.small_set or year not in SMALL_SET_EDITIONS

    @property
    def all_labels(self) -> tuple[str, ...]:
        """The label and its known variants (``&`` for ``and``, short forms)."""
        out = [self.label, *self.variants]
        if " and " in self.label:
            out.append(self.label.replace(" and ", " & "))
        return tuple(dict.fromkeys(out))


GROUPS: tuple[Group, ...] = (
    Group("people", "criminal_markets", "PEOPLE"),
    Group("trade", "criminal_markets", "TRADE"),
    Group("environment", "criminal_markets", "ENVIRONMENT"),
    Group("drugs", "criminal_markets", "DRUGS"),
    Group("cyber_dependent_crimes", "criminal_markets", "CYBER-DEPENDENT CRIMES"),
    Group("financial_crimes", "criminal_markets", "FINANCIAL CRIMES"),
    Group("leadership_and_governance", "resilience", "LEADERSHIP AND GOVERNANCE"),
    Group("criminal_justice_and_security", "resilience", "CRIMINAL JUSTICE AND SECURITY"),
    Group("economic_and_financial_environment", "resilience", "ECONOMIC AND FINANCIAL ENVIRONMENT"),
    Group("civil_society_and_social_protection", "resilience", "CIVIL SOCIETY AND SOCIAL PROTECTION"),
)
GROUPS_BY_ID: dict[str, Group] = {g.id: g for g in GROUPS}


def _i(id_: str, label: str, pillar: str, group: str | None, small: bool, *variants: str) -> Indicator:
    return Indicator(id_, label, pillar, group, small, tuple(variants))


INDICATORS: tuple[Indicator, ...] = (
    _i("human_trafficking", "Human trafficking", "criminal_markets", "people", True),
    _i("human_smuggling", "Human smuggling", "criminal_markets", "people", True),
    _i("extortion_and_protection_racketeering", "Extortion and protection racketeering",
       "criminal_markets", "people", False, "Extortion & protection racketeering"),
    _i("arms_trafficking", "Arms trafficking", "criminal_markets", "trade", True),
    _i("trade_in_counterfeit_goods", "Trade in counterfeit goods", "criminal_markets", "trade", False),
    _i("illicit_trade_in_excisable_goods", "Illicit trade in excisable goods", "criminal_markets",
       "trade", False),
    _i("flora_crimes", "Flora crimes", "criminal_markets", "environment", True),
    _i("fauna_crimes", "Fauna crimes", "criminal_markets", "environment", True),
    _i("non_renewable_resource_crimes", "Non-renewable resource crimes", "criminal_markets",
       "environment", True, "Non renewable resource crimes"),
    _i("heroin_trade", "Heroin trade", "criminal_markets", "drugs", True),
    _i("cocaine_trade", "Cocaine trade", "criminal_markets", "drugs", True),
    _i("cannabis_trade", "Cannabis trade", "criminal_markets", "drugs", True),
    _i("synthetic_drug_trade", "Synthetic drug trade", "criminal_markets", "drugs", True),
    _i("cyber_dependent_crimes", "Cyber-dependent crimes", "criminal_markets", "cyber_dependent_crimes",
       False, "Cyber dependent crimes"),
    _i("financial_crimes", "Financial crimes", "criminal_markets", "financial_crimes", False),
    _i("mafia_style_groups", "Mafia-style groups", "criminal_actors", None, True, "Mafia style groups"),
    _i("criminal_networks", "Criminal networks", "criminal_actors", None, True),
    _i("state_embedded_actors", "State-embedded actors", "criminal_actors", None, True,
       "State embedded actors"),
    _i("foreign_actors", "Foreign actors", "criminal_actors", None, True),
    _i("private_sector_actors", "Private sector actors", "criminal_actors", None, False,
       "Private-sector actors"),
    _i("political_leadership_and_governance", "Political leadership and governance", "resilience",
       "leadership_and_governance", True),
    _i("government_transparency_and_accountability", "Government transparency and accountability",
       "resilience", "leadership_and_governance", True),
    _i("international_cooperation", "International cooperation", "resilience",
       "leadership_and_governance", True),
    _i("national_policies_and_laws", "National policies and laws", "resilience",
       "leadership_and_governance", True),
    _i("judicial_system_and_detention", "Judicial system and detention", "resilience",
       "criminal_justice_and_security", True),
    _i("law_enforcement", "Law enforcement", "resilience", "criminal_justice_and_security", True),
    _i("territorial_integrity", "Territorial integrity", "resilience", "criminal_justice_and_security", True),
    _i("anti_money_laundering", "Anti-money laundering", "resilience", "economic_and_financial_environment",
       True, "Anti money laundering"),
    _i("economic_regulatory_capacity", "Economic regulatory capacity", "resilience",
       "economic_and_financial_environment", True),
    _i("victim_and_witness_support", "Victim and witness support", "resilience",
       "civil_society_and_social_protection", True),
    _i("prevention", "Prevention", "resilience", "civil_society_and_social_protection", True),
    _i("non_state_actors", "Non-state actors", "resilience", "civil_society_and_social_protection", True,
       "Non state actors"),
)
INDICATORS_BY_ID: dict[str, Indicator] = {i.id: i for i in INDICATORS}


def indicators_for(year: int, pillar: str | None = None) -> tuple[Indicator, ...]:
    """The indicators an edition's profiles carry, in taxonomy order."""
    return tuple(i for i in INDICATORS if i.in_edition(year) and (pillar is None or i.pillar == pillar))


def groups_for(pillar: str) -> tuple[Group, ...]:
    return tuple(g for g in GROUPS if g.pillar == pillar)


def previous_edition(family: str, year: int) -> int | None:
    """The edition before ``year`` in ``family``, or None for the first edition."""
    eds = EDITIONS[family]
    if year not in eds:
        raise ValueError(f"{family} has no {year} edition (editions: {', '.join(map(str, eds))})")
    i = eds.index(year)
    return eds[i - 1] if i > 0 else None


def has_changes(family: str, year: int) -> bool:
    """Profiles print a change column in every edition after a family's first."""
    return previous_edition(family, year) is not None


def is_new_indicator(indicator_id: str, year: int) -> bool:
    """True when an indicator first appears in edition ``year`` (its change prints ``n/a``)."""
    ind = INDICATORS_BY_ID[indicator_id]
    return not ind.small_set and year == 2023


# --------------------------------------------------------------------------------------------
# Label normalisation and matching
# --------------------------------------------------------------------------------------------

_FOLD_DASH = regex.compile(r"[\p{Pd}_/]")
_FOLD_OTHER = regex.compile(r"[^\p{L}\p{N} ]+")
_FOLD_SPACE = regex.compile(r"\s+")


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key: ``'Political leadership & governance'`` →
    ``'political leadership and governance'``."""
    if text.isascii():  # (nothing to decompose)
        t = text
    else:
        t = unicodedata.normalize("NFKD", text)
        t = "".join(c for c in t if not unicodedata.combining(c))
    t = t.replace("&", " and ").lower()
    t = _FOLD_DASH.sub(" ", t)
    t = _FOLD_OTHER.sub("", t)
    return _FOLD_SPACE.sub(" ", t).strip()


@lru_cache(maxsize=1)
def label_index() -> dict[str, str]:
    """Folded label (and variant) → indicator id."""
    out: dict[str, str] = {}
    for ind in INDICATORS:
        for lab in ind.all_labels:
            out[fold(lab)] = ind.id
    return out


@lru_cache(maxsize=1)
def heading_index() -> dict[str, str]:
    """Folded group heading → group id."""
    return {fold(g.heading): g.id for g in GROUPS}


# --------------------------------------------------------------------------------------------
# Countries (name, continent, region) as the official dataset groups them
# --------------------------------------------------------------------------------------------

COUNTRIES: tuple[tuple[str, str, str], ...] = (
    ('Afghanistan', 'Asia', 'Southern Asia'),
    ('Albania', 'Europe', 'Central & Eastern Europe'),
    ('Algeria', 'Africa', 'North Africa'),
    ('Andorra', 'Europe', 'Western Europe'),
    ('Angola', 'Africa', 'Central Africa'),
    ('Antigua and Barbuda', 'Americas', 'Caribbean & Central'),
    ('Argentina', 'Americas', 'South America'),
    ('Armenia', 'Asia', 'Central Asia and the Caucasus'),
    ('Australia', 'Oceania', 'Australia and New Zealand'),
    ('Austria', 'Europe', 'Western Europe'),
    ('Azerbaijan', 'Asia', 'Central Asia and the Caucasus'),
    ('Bahamas', 'Americas', 'Caribbean & Central'),
    ('Bahrain', 'Asia', 'Western Asia'),
    ('Bangladesh', 'Asia', 'Southern Asia'),
    ('Barbados', 'Americas', 'Caribbean & Central'),
    ('Belarus', 'Europe', 'Central & Eastern Europe'),
    ('Belgium', 'Europe', 'Western Europe'),
    ('Belize', 'Americas', 'Caribbean & Central'),
    ('Benin', 'Africa', 'West Africa'),
    ('Bhutan', 'Asia', 'Southern Asia'),
    ('Bolivia', 'Americas', 'South America'),
    ('Bosnia and Herzegovina', 'Europe', 'Central & Eastern Europe'),
    ('Botswana', 'Africa', 'Southern Africa'),
    ('Brazil', 'Americas', 'South America'),
    ('Brunei', 'Asia', 'South-Eastern Asia'),
    ('Bulgaria', 'Europe', 'Central & Eastern Europe'),
    ('Burkina Faso', 'Africa', 'West Africa'),
    ('Burundi', 'Africa', 'Central Africa'),
    ('Cabo Verde', 'Africa', 'West Africa'),
    ('Cambodia', 'Asia', 'South-Eastern Asia'),
    ('Cameroon', 'Africa', 'Central Africa'),
    ('Canada', 'Americas', 'North America'),
    ('Central African Republic', 'Africa', 'Central Africa'),
    ('Chad', 'Africa', 'Central Africa'),
    ('Chile', 'Americas', 'South America'),
    ('China', 'Asia', 'Eastern Asia'),
    ('Colombia', 'Americas', 'South America'),
    ('Comoros', 'Africa', 'Southern Africa'),
    ('Congo, Dem. Rep.', 'Africa', 'Central Africa'),
    ('Congo, Rep.', 'Africa', 'Central Africa'),
    ('Costa Rica', 'Americas', 'Caribbean & Central'),
    ('Croatia', 'Europe', 'Central & Eastern Europe'),
    ('Cuba', 'Americas', 'Caribbean & Central'),
    ('Cyprus', 'Europe', 'Southern Europe'),
    ('Czech Republic', 'Europe', 'Central & Eastern Europe'),
    ("Côte d'Ivoire", 'Africa', 'West Africa'),
    ('Denmark', 'Europe', 'Northern Europe'),
    ('Djibouti', 'Africa', 'East Africa'),
    ('Dominica', 'Americas', 'Caribbean & Central'),
    ('Dominican Republic', 'Americas', 'Caribbean & Central'),
    ('Ecuador', 'Americas', 'South America'),
    ('Egypt', 'Africa', 'North Africa'),
    ('El Salvador', 'Americas', 'Caribbean & Central'),
    ('Equatorial Guinea', 'Africa', 'Central Africa'),
    ('Eritrea', 'Africa', 'East Africa'),
    ('Estonia', 'Europe', 'Northern Europe'),
    ('Eswatini', 'Africa', 'Southern Africa'),
    ('Ethiopia', 'Africa', 'East Africa'),
    ('Fiji', 'Oceania', 'Melanesia'),
    ('Finland', 'Europe', 'Northern Europe'),
    ('France', 'Europe', 'Western Europe'),
    ('Gabon', 'Africa', 'Central Africa'),
    ('Gambia', 'Africa', 'West Africa'),
    ('Georgia', 'Asia', 'Central Asia and the Caucasus'),
    ('Germany', 'Europe', 'Western Europe'),
    ('Ghana', 'Africa', 'West Africa'),
    ('Greece', 'Europe', 'Southern Europe'),
    ('Grenada', 'Americas', 'Caribbean & Central'),
    ('Guatemala', 'Americas', 'Caribbean & Central'),
    ('Guinea', 'Africa', 'West Africa'),
    ('Guinea-Bissau', 'Africa', 'West Africa'),
    ('Guyana', 'Americas', 'South America'),
    ('Haiti', 'Americas', 'Caribbean & Central'),
    ('Honduras', 'Americas', 'Caribbean & Central'),
    ('Hungary', 'Europe', 'Central & Eastern Europe'),
    ('Iceland', 'Europe', 'Northern Europe'),
    ('India', 'Asia', 'Southern Asia'),
    ('Indonesia', 'Asia', 'South-Eastern Asia'),
    ('Iran', 'Asia', 'Western Asia'),
    ('Iraq', 'Asia', 'Western Asia'),
    ('Ireland', 'Europe', 'Western Europe'),
    ('Israel', 'Asia', 'Western Asia'),
    ('Italy', 'Europe', 'Southern Europe'),
    ('Jamaica', 'Americas', 'Caribbean & Central'),
    ('Japan', 'Asia', 'Eastern Asia'),
    ('Jordan', 'Asia', 'Western Asia'),
    ('Kazakhstan', 'Asia', 'Central Asia and the Caucasus'),
    ('Kenya', 'Africa', 'East Africa'),
    ('Kiribati', 'Oceania', 'Melanesia'),
    ('Korea, DPR', 'Asia', 'Eastern Asia'),
    ('Korea, Rep.', 'Asia', 'Eastern Asia'),
    ('Kuwait', 'Asia', 'Western Asia'),
    ('Kyrgyzstan', 'Asia', 'Central Asia and the Caucasus'),
    ('Laos', 'Asia', 'South-Eastern Asia'),
    ('Latvia', 'Europe', 'Northern Europe'),
    ('Lebanon', 'Asia', 'Western Asia'),
    ('Lesotho', 'Africa', 'Southern Africa'),
    ('Liberia', 'Africa', 'West Africa'),
    ('Libya', 'Africa', 'North Africa'),
    ('Liechtenstein', 'Europe', 'Western Europe'),
    ('Lithuania', 'Europe', 'Northern Europe'),
    ('Luxembourg', 'Europe', 'Western Europe'),
    ('Madagascar', 'Africa', 'Southern Africa'),
    ('Malawi', 'Africa', 'Southern Africa'),
    ('Malaysia', 'Asia', 'South-Eastern Asia'),
    ('Maldives', 'Asia', 'Southern Asia'),
    ('Mali', 'Africa', 'West Africa'),
    ('Malta', 'Europe', 'Southern Europe'),
    ('Marshall Islands', 'Oceania', 'Micronesia'),
    ('Mauritania', 'Africa', 'North Africa'),
    ('Mauritius', 'Africa', 'Southern Africa'),
    ('Mexico', 'Americas', 'Caribbean & Central'),
    ('Micronesia (Federated States of)', 'Oceania', 'Micronesia'),
    ('Moldova', 'Europe', 'Central & Eastern Europe'),
    ('Monaco', 'Europe', 'Southern Europe'),
    ('Mongolia', 'Asia', 'Eastern Asia'),
    ('Montenegro', 'Europe', 'Central & Eastern Europe'),
    ('Morocco', 'Africa', 'North Africa'),
    ('Mozambique', 'Africa', 'Southern Africa'),
    ('Myanmar', 'Asia', 'South-Eastern Asia'),
    ('Namibia', 'Africa', 'Southern Africa'),
    ('Nauru', 'Oceania', 'Micronesia'),
    ('Nepal', 'Asia', 'Southern Asia'),
    ('Netherlands', 'Europe', 'Western Europe'),
    ('New Zealand', 'Oceania', 'Australia and New Zealand'),
    ('Nicaragua', 'Americas', 'Caribbean & Central'),
    ('Niger', 'Africa', 'West Africa'),
    ('Nigeria', 'Africa', 'West Africa'),
    ('North Macedonia', 'Europe', 'Central & Eastern Europe'),
    ('Norway', 'Europe', 'Northern Europe'),
    ('Oman', 'Asia', 'Western Asia'),
    ('Pakistan', 'Asia', 'Southern Asia'),
    ('Palau', 'Oceania', 'Micronesia'),
    ('Panama', 'Americas', 'Caribbean & Central'),
    ('Papua New Guinea', 'Oceania', 'Melanesia'),
    ('Paraguay', 'Americas', 'South America'),
    ('Peru', 'Americas', 'South America'),
    ('Philippines', 'Asia', 'South-Eastern Asia'),
    ('Poland', 'Europe', 'Central & Eastern Europe'),
    ('Portugal', 'Europe', 'Southern Europe'),
    ('Qatar', 'Asia', 'Western Asia'),
    ('Romania', 'Europe', 'Central & Eastern Europe'),
    ('Russia', 'Europe', 'Central & Eastern Europe'),
    ('Rwanda', 'Africa', 'Central Africa'),
    ('Samoa', 'Oceania', 'Polynesia'),
    ('San Marino', 'Europe', 'Southern Europe'),
    ('Sao Tome and Principe', 'Africa', 'Central Africa'),
    ('Saudi Arabia', 'Asia', 'Western Asia'),
    ('Senegal', 'Africa', 'West Africa'),
    ('Serbia', 'Europe', 'Central & Eastern Europe'),
    ('Seychelles', 'Africa', 'Southern Africa'),
    ('Sierra Leone', 'Africa', 'West Africa'),
    ('Singapore', 'Asia', 'South-Eastern Asia'),
    ('Slovakia', 'Europe', 'Central & Eastern Europe'),
    ('Slovenia', 'Europe', 'Central & Eastern Europe'),
    ('Solomon Islands', 'Oceania', 'Melanesia'),
    ('Somalia', 'Africa', 'East Africa'),
    ('South Africa', 'Africa', 'Southern Africa'),
    ('South Sudan', 'Africa', 'East Africa'),
    ('Spain', 'Europe', 'Southern Europe'),
    ('Sri Lanka', 'Asia', 'Southern Asia'),
    ('St. Kitts and Nevis', 'Americas', 'Caribbean & Central'),
    ('St. Lucia', 'Americas', 'Caribbean & Central'),
    ('St. Vincent and the Grenadines', 'Americas', 'Caribbean & Central'),
    ('Sudan', 'Africa', 'East Africa'),
    ('Suriname', 'Americas', 'South America'),
    ('Sweden', 'Europe', 'Northern Europe'),
    ('Switzerland', 'Europe', 'Western Europe'),
    ('Syria', 'Asia', 'Western Asia'),
    ('Tajikistan', 'Asia', 'Central Asia and the Caucasus'),
    ('Tanzania', 'Africa', 'East Africa'),
    ('Thailand', 'Asia', 'South-Eastern Asia'),
    ('Timor-Leste', 'Asia', 'South-Eastern Asia'),
    ('Togo', 'Africa', 'West Africa'),
    ('Tonga', 'Oceania', 'Polynesia'),
    ('Trinidad and Tobago', 'Americas', 'Caribbean & Central'),
    ('Tunisia', 'Africa', 'North Africa'),
    ('Turkey', 'Asia', 'Western Asia'),
    ('Turkmenistan', 'Asia', 'Central Asia and the Caucasus'),
    ('Tuvalu', 'Oceania', 'Polynesia'),
    ('Uganda', 'Africa', 'East Africa'),
    ('Ukraine', 'Europe', 'Central & Eastern Europe'),
    ('United Arab Emirates', 'Asia', 'Western Asia'),
    ('United Kingdom', 'Europe', 'Western Europe'),
    ('United States', 'Americas', 'North America'),
    ('Uruguay', 'Americas', 'South America'),
    ('Uzbekistan', 'Asia', 'Central Asia and the Caucasus'),
    ('Vanuatu', 'Oceania', 'Melanesia'),
    ('Venezuela', 'Americas', 'South America'),
    ('Vietnam', 'Asia', 'South-Eastern Asia'),
    ('Yemen', 'Asia', 'Western Asia'),
    ('Zambia', 'Africa', 'Southern Africa'),
    ('Zimbabwe', 'Africa', 'Southern Africa'),)
COUNTRY_INFO: dict[str, tuple[str, str]] = {c: (cont, reg) for c, cont, reg in COUNTRIES}

#: The one country alias table: other spellings of country names met in profiles and in the
#: official workbooks → the canonical name of :data:`COUNTRIES` (the spelling of the 2025 workbook's
#: ``2025_dataset`` sheet). Every reader goes through it (:func:`canonical_country`): the dataset
#: reader (:mod:`octa.dataset`), the validator's reference lookup, the parsers' country detection.
#: Matching is insensitive to case, accents, punctuation and spaces, so ``Congo, Dem, Rep,`` (the
#: 2023 sheets of both workbooks, whose full stops became commas), ``CONGO DEM REP`` and
#: ``Congo, Dem. Rep.`` are one key; the comma spellings are still listed so that the table documents
#: what the workbooks print. Groups: the 2023 sheets' spellings; the names profiles and reports use
#: (``Democratic Republic of the Congo``, ``Türkiye``, ``Ivory Coast``); World Bank and UN spellings
#: that other datasets use (``Egypt, Arab Rep.``, ``Iran (Islamic Republic of)``). A name that is
#: neither canonical nor here is reported, never skipped silently: ``octa reference`` lists a
#: workbook's unknown names, and a profile whose country has no row gets a ``reference_missing``
#: warning naming them.
COUNTRY_ALIASES: dict[str, str] = {
    "Türkiye": "Turkey",
    "Turkiye": "Turkey",
    "Ivory Coast": "Côte d'Ivoire",
    "Cote d'Ivoire": "Côte d'Ivoire",
    "Cape Verde": "Cabo Verde",
    "The Gambia": "Gambia",
    "Gambia, The": "Gambia",
    "The Bahamas": "Bahamas",
    "Bahamas, The": "Bahamas",
    "Swaziland": "Eswatini",
    "eSwatini": "Eswatini",
    "DRC": "Congo, Dem. Rep.",
    "DR Congo": "Congo, Dem. Rep.",
    "Democratic Republic of the Congo": "Congo, Dem. Rep.",
    "Democratic Republic of Congo": "Congo, Dem. Rep.",
    "Congo (DRC)": "Congo, Dem. Rep.",
    "Congo, Dem, Rep,": "Congo, Dem. Rep.",
    "Republic of the Congo": "Congo, Rep.",
    "Republic of Congo": "Congo, Rep.",
    "Congo-Brazzaville": "Congo, Rep.",
    "Congo, Rep,": "Congo, Rep.",
    "South Korea": "Korea, Rep.",
    "Republic of Korea": "Korea, Rep.",
    "Korea, Rep,": "Korea, Rep.",
    "North Korea": "Korea, DPR",
    "Democratic People's Republic of Korea": "Korea, DPR",
    "St, Kitts and Nevis": "St. Kitts and Nevis",
    "Saint Kitts and Nevis": "St. Kitts and Nevis",
    "St, Lucia": "St. Lucia",
    "Saint Lucia": "St. Lucia",
    "St, Vincent and the Grenadines": "St. Vincent and the Grenadines",
    "Saint Vincent and the Grenadines": "St. Vincent and the Grenadines",
    "United States of America": "United States",
    "USA": "United States",
    "UK": "United Kingdom",
    "Czechia": "Czech Republic",
    "Micronesia": "Micronesia (Federated States of)",
    "Federated States of Micronesia": "Micronesia (Federated States of)",
    "Burma": "Myanmar",
    "East Timor": "Timor-Leste",
    "Macedonia": "North Macedonia",
    "Russian Federation": "Russia",
    "Syrian Arab Republic": "Syria",
    "Lao PDR": "Laos",
    "Viet Nam": "Vietnam",
    # World Bank and UN spellings
    "Egypt, Arab Rep.": "Egypt",
    "Iran, Islamic Rep.": "Iran",
    "Iran (Islamic Republic of)": "Iran",
    "Yemen, Rep.": "Yemen",
    "Venezuela, RB": "Venezuela",
    "Venezuela (Bolivarian Republic of)": "Venezuela",
    "Bolivia (Plurinational State of)": "Bolivia",
    "Micronesia, Fed. Sts.": "Micronesia (Federated States of)",
    "Korea, Dem. People's Rep.": "Korea, DPR",
    "Korea, Republic of": "Korea, Rep.",
    "Lao People's Democratic Republic": "Laos",
    "Brunei Darussalam": "Brunei",
    "United Republic of Tanzania": "Tanzania",
    "Republic of Moldova": "Moldova",
    "Slovak Republic": "Slovakia",
    "Kyrgyz Republic": "Kyrgyzstan",
    "Congo (Kinshasa)": "Congo, Dem. Rep.",
    "Congo (Brazzaville)": "Congo, Rep.",
}


def _country_key(name: str) -> str:
    return fold(name).replace(" ", "")


@lru_cache(maxsize=1)
def _country_lookup() -> dict[str, str]:
    out = {_country_key(c): c for c, _, _ in COUNTRIES}
    for alias, canon in COUNTRY_ALIASES.items():
        if canon in COUNTRY_INFO:
            out[_country_key(alias)] = canon
    return out


def canonical_country(name: str) -> str | None:
    """The canonical country name for a spelling (tolerant of case, accents, punctuation)."""
    return _country_lookup().get(_country_key(name))


def country_display_names() -> list[tuple[str, str]]:
    """(spelling, canonical) pairs for every name and alias, longest first (for text search)."""
    pairs = [(c, c) for c, _, _ in COUNTRIES]
    pairs += [(a, c) for a, c in COUNTRY_ALIASES.items() if c in COUNTRY_INFO]
    return sorted(pairs, key=lambda p: (-len(p[0]), p[0]))


# --------------------------------------------------------------------------------------------
# Fuzzy matching of garbled label text to the taxonomy
# --------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _label_choices() -> list[tuple[str, str, str]]:
    """(indicator id, folded label, folded label without spaces) for every label and variant."""
    return [(iid, lab, lab.replace(" ", "")) for lab, iid in label_index().items()]


def label_similarity(text: str, indicator_id: str) -> float:
    """Similarity (0–100) of garbled ``text`` to an indicator's labels: the best of a plain ratio
    on the text without spaces (kerning splits) and a token-sort ratio (interleaved lines)."""
    from rapidfuzz import fuzz

    f = fold(text)
    nospace = f.replace(" ", "")
    best = 0.0
    for iid, lab, lab_ns in _label_choices():
        if iid != indicator_id:
            continue
        best = max(best, fuzz.ratio(nospace, lab_ns), fuzz.token_sort_ratio(f, lab))
    return best


def match_label(text: str, cutoff: float = 86.0, candidates: Iterable[str] | None = None) -> tuple[str, float] | None:
    """The indicator whose label ``text`` most resembles, with the similarity, or None below
    ``cutoff``. Tolerates case, ``&``, kerning splits (``INTERNATION AL COOPERATION``) and
    interleaved two-line labels (``GOVERNMENT AND ACCOUNT TRANSPARENCY FABILITY``)."""
    from rapidfuzz import fuzz

    f = fold(text)
    if not f:
        return None
    exact_id = label_index().get(f)
    allowed = set(candidates) if candidates is not None else None
    if exact_id and (allowed is None or exact_id in allowed):
        return exact_id, 100.0
    nospace = f.replace(" ", "")
    best: tuple[str, float] | None = None
    for iid, lab, lab_ns in _label_choices():
        if allowed is not None and iid not in allowed:
            continue
        if abs(len(lab_ns) - len(nospace)) > max(6, len(lab_ns) // 3):
            continue
        score = max(fuzz.ratio(nospace, lab_ns), fuzz.token_sort_ratio(f, lab))
        if best is None or score > best[1]:
            best = (iid, score)
    if best is None or best[1] < cutoff:
        return None
    return best
