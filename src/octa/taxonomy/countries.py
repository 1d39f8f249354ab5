"""Countries (name, continent, region) as the official dataset groups them, and the one table of
their other spellings."""

from __future__ import annotations

from functools import lru_cache

from octa.taxonomy.text import fold

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


def area_counts() -> tuple[dict[str, int], dict[str, int]]:
    """How many countries each continent and each region has (the ``of`` of a rank in it)."""
    cont: dict[str, int] = {}
    reg: dict[str, int] = {}
    for _, c, r in COUNTRIES:
        cont[c] = cont.get(c, 0) + 1
        reg[r] = reg.get(r, 0) + 1
    return cont, reg


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
# ISO 3166-1 alpha-3 codes
# --------------------------------------------------------------------------------------------

#: The canonical names of :data:`COUNTRIES` that pycountry does not know under that spelling →
#: the name pycountry (the ISO 3166 data of Debian's iso-codes) gives the country. The code itself
#: always comes from pycountry; every other canonical name is one of pycountry's names as it stands
#: (``Bolivia``, ``Iran``, ``Vietnam`` are its common names).
ISO_NAMES: dict[str, str] = {
    "Brunei": "Brunei Darussalam",
    "Congo, Dem. Rep.": "Congo, The Democratic Republic of the",
    "Congo, Rep.": "Congo",
    "Korea, DPR": "Korea, Democratic People's Republic of",
    "Korea, Rep.": "Korea, Republic of",
    "Micronesia (Federated States of)": "Micronesia, Federated States of",
    "Russia": "Russian Federation",
    "St. Kitts and Nevis": "Saint Kitts and Nevis",
    "St. Lucia": "Saint Lucia",
    "St. Vincent and the Grenadines": "Saint Vincent and the Grenadines",
    "Turkey": "Türkiye",
}

#: Places with no ISO 3166-1 code that profiles may still name, with the code convention gives
#: them. Kosovo has no ISO 3166-1 code (ISO has not assigned one); ``XKX`` is the user-assigned
#: code the European Commission, the World Bank and the IMF use for it (the ``X..`` range is
#: reserved by ISO for such private use). It is the only entry: a name that is neither here nor
#: maps to an ISO code has no code (``iso3`` None, and the panel reports it).
NON_ISO_CODES: dict[str, str] = {
    "Kosovo": "XKX",
}


@lru_cache(maxsize=1)
def _iso_by_canonical() -> dict[str, str]:
    import pycountry

    out: dict[str, str] = {}
    for name, _, _ in COUNTRIES:
        try:
            out[name] = pycountry.countries.lookup(ISO_NAMES.get(name, name)).alpha_3
        except LookupError:
            continue  # not expected (tests/test_panel.py checks all 193); no code rather than a guess
    return out


@lru_cache(maxsize=1)
def _iso_by_pycountry_name() -> dict[str, str]:
    """Folded key of every name pycountry gives a country (name, official and common name) → its
    alpha-3 code: the exact spellings of the ISO standard, never a fuzzy match or a code."""
    import pycountry

    out: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                out.setdefault(_country_key(value), c.alpha_3)
    return out


@lru_cache(maxsize=4096)
def iso3(name: str | None) -> str | None:
    """The ISO 3166-1 alpha-3 code of a country name (``Kenya`` → ``KEN``), or None when the name
    maps to no code (never a guess). The name goes through the alias table first
    (:func:`canonical_country`: ``Congo, Dem. Rep.``, ``Côte d'Ivoire``, ``Türkiye``, ``eSwatini``,
    ``St, Lucia`` …) and the canonical name to pycountry; a name that is not the index's but one of
    the ISO standard's own spellings (``Tanzania, United Republic of``) is taken as such;
    :data:`NON_ISO_CODES` gives Kosovo ``XKX``."""
    if not name or not name.strip():
        return None
    canon = canonical_country(name)
    if canon is not None:
        return _iso_by_canonical().get(canon)
    key = _country_key(name)
    for other, code in NON_ISO_CODES.items():
        if _country_key(other) == key:
            return code
    return _iso_by_pycountry_name().get(key)
