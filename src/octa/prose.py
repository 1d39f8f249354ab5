"""Narrative prose for synthetic profiles: one paragraph of plain English per indicator.

Every paragraph opens with a sentence naming the indicator (its label or a synonym), then draws
sentences from a pool written for that indicator and from generic pools for its pillar, until it
holds 60–220 words. All randomness comes from the ``random.Random`` passed in.
"""

from __future__ import annotations

import random
from fractions import Fraction

from octa import taxonomy

#: Names a paragraph may use for an indicator in its opening sentence (label first).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "human_trafficking": ("human trafficking", "trafficking in persons"),
    "human_smuggling": ("human smuggling", "the smuggling of migrants"),
    "extortion_and_protection_racketeering": ("extortion and protection racketeering", "protection racketeering"),
    "arms_trafficking": ("arms trafficking", "the trafficking of firearms"),
    "trade_in_counterfeit_goods": ("the trade in counterfeit goods", "counterfeit goods"),
    "illicit_trade_in_excisable_goods": ("the illicit trade in excisable goods", "excisable goods"),
    "flora_crimes": ("flora crimes", "illegal logging"),
    "fauna_crimes": ("fauna crimes", "wildlife trafficking"),
    "non_renewable_resource_crimes": ("non-renewable resource crimes", "the illicit mining trade"),
    "heroin_trade": ("the heroin trade", "the heroin market"),
    "cocaine_trade": ("the cocaine trade", "the cocaine market"),
    "cannabis_trade": ("the cannabis trade", "the cannabis market"),
    "synthetic_drug_trade": ("the synthetic drug trade", "synthetic drugs"),
    "cyber_dependent_crimes": ("cyber-dependent crimes", "cybercrime"),
    "financial_crimes": ("financial crimes", "financial crime"),
    "mafia_style_groups": ("mafia-style groups", "mafia-style organizations"),
    "criminal_networks": ("criminal networks", "loose criminal networks"),
    "state_embedded_actors": ("state-embedded actors", "corrupt state officials"),
    "foreign_actors": ("foreign actors", "foreign criminal actors"),
    "private_sector_actors": ("private sector actors", "the private sector"),
    "political_leadership_and_governance": ("political leadership and governance", "the political leadership"),
    "government_transparency_and_accountability": ("government transparency and accountability",
                                                   "transparency and accountability"),
    "international_cooperation": ("international cooperation", "cooperation with international partners"),
    "national_policies_and_laws": ("national policies and laws", "the legal framework"),
    "judicial_system_and_detention": ("the judicial system and detention", "the judicial system"),
    "law_enforcement": ("law enforcement", "the police"),
    "territorial_integrity": ("territorial integrity", "border control"),
    "anti_money_laundering": ("anti-money laundering", "the anti-money laundering regime"),
    "economic_regulatory_capacity": ("economic regulatory capacity", "the economic regulatory environment"),
    "victim_and_witness_support": ("victim and witness support", "support for victims and witnesses"),
    "prevention": ("prevention", "prevention efforts"),
    "non_state_actors": ("non-state actors", "civil society organizations"),
}

#: Sentences specific to each indicator ({country}, {region} are filled in).
FACTS: dict[str, tuple[str, ...]] = {
    "human_trafficking": (
        "Victims include men, women and children who are subjected to forced labour and sexual exploitation.",
        "Recruiters often deceive victims with false offers of employment abroad.",
        "Children are exploited in domestic work, agriculture and forced begging in the main cities.",
        "Traffickers rely on corrupt officials at border crossings to move victims across {region}.",
        "Identification of victims remains difficult, and many cases are never reported to the authorities.",
    ),
    "human_smuggling": (
        "Smuggling networks are loosely organized and rely on ad hoc partnerships with local residents.",
        "Migrants pay intermediaries to cross porous borders and avoid official checkpoints.",
        "Bribery of border officials is common along the main cross-border routes.",
        "Routes shift quickly in response to insecurity and new enforcement efforts.",
        "Former migrants often act as brokers, offering knowledge of the terrain and contacts abroad.",
    ),
    "extortion_and_protection_racketeering": (
        "Small businesses and transport operators are the most frequent targets of extortion.",
        "Armed groups impose informal taxes on traders in exchange for protection.",
        "Kidnapping for ransom has become a significant source of illicit profit.",
        "Victims rarely report these offences for fear of reprisals.",
    ),
    "arms_trafficking": (
        "Weapons are diverted from official stockpiles or smuggled across poorly guarded borders.",
        "Demand is sustained by intercommunal violence and the activity of armed groups.",
        "Artisanal production contributes to the local supply of firearms and ammunition.",
        "Seizures remain rare, and the flow of weapons across {region} is difficult to trace.",
    ),
    "trade_in_counterfeit_goods": (
        "Counterfeit medicines are sold in informal markets and by unlicensed street vendors.",
        "Products are imported through regional ports and distributed by land to the main cities.",
        "Weak regulation and limited access to affordable products sustain consumer demand.",
        "Occasional seizures have had little effect on the overall size of the market.",
    ),
    "illicit_trade_in_excisable_goods": (
        "Cigarettes and alcohol are smuggled to avoid taxes and are sold openly in local markets.",
        "{country} serves as a transit hub for goods destined for neighbouring countries in {region}.",
        "Armed groups reportedly profit from taxing convoys that carry contraband.",
        "Fuel smuggling also features in this market, particularly along the borders.",
    ),
    "flora_crimes": (
        "Illicit logging of valuable hardwoods is driven by strong foreign demand.",
        "Corrupt forestry officials enable the trade by accepting bribes and issuing false permits.",
        "Timber is routed through neighbouring countries before export by sea.",
        "The environmental consequences include deforestation and soil erosion.",
    ),
    "fauna_crimes": (
        "Poaching affects protected species, and wildlife products are trafficked across borders.",
        "Ivory, pangolin scales and live animals are among the products most often seized.",
        "Rangers lack the resources to patrol large protected areas effectively.",
        "Local demand for bushmeat also contributes to the decline of wildlife populations.",
    ),
    "non_renewable_resource_crimes": (
        "Artisanal gold mining is largely informal and closely linked to smuggling networks.",
        "Gold is exported illicitly through regional hubs to international markets.",
        "Armed groups impose taxes on mining sites and provide protection in return.",
        "The use of mercury and cyanide causes widespread environmental harm.",
        "Fuel and minerals are also diverted through informal channels to avoid official levies.",
    ),
    "heroin_trade": (
        "Local consumption is limited but documented, particularly in urban centres.",
        "{country} functions mainly as a transit point for heroin destined for other markets.",
        "Seizures are infrequent, which makes the size of the market difficult to estimate.",
    ),
    "cocaine_trade": (
        "Shipments from South America pass through the region on their way to Europe.",
        "Criminal networks use both maritime and overland routes to move the drug.",
        "Traffickers rely on the complicity of officials at ports and airports.",
        "Local consumption appears to be growing in the main cities.",
    ),
    "cannabis_trade": (
        "Cannabis is the most widely used drug in {country} and is cultivated locally.",
        "Resin is trafficked through the country from producers elsewhere in {region}.",
        "Trafficking and consumption are concentrated in the major cities.",
        "Seizures indicate that cannabis is widely available across the country.",
    ),
    "synthetic_drug_trade": (
        "Tramadol and other synthetic opioids are imported through regional ports.",
        "Consumption is prevalent among young people and workers in physically demanding sectors.",
        "The market overlaps with other illicit flows, including arms and fuel smuggling.",
        "Pharmacies and informal vendors both play a role in the distribution of these substances.",
    ),
    "cyber_dependent_crimes": (
        "Ransomware attacks and data breaches have targeted banks and public institutions.",
        "The expansion of digital services has increased the vulnerability of financial institutions.",
        "Law enforcement has limited technical capacity to investigate these offences.",
    ),
    "financial_crimes": (
        "Embezzlement and the misappropriation of public funds are frequently reported.",
        "Tax evasion and fraud cost the state significant revenue each year.",
        "High-profile investigations have been launched, though few have led to convictions.",
        "Financial crime flourishes where oversight of public procurement is weak.",
    ),
    "mafia_style_groups": (
        "These groups display defined leadership, identifiable membership and territorial control.",
        "Armed groups tax licit and illicit markets and provide protection in exchange for loyalty.",
        "Their influence has grown in areas where the state is absent.",
    ),
    "criminal_networks": (
        "These networks are flexible and shift between markets depending on profitability.",
        "Individuals involved frequently engage in several illicit economies at once.",
        "Networks collaborate opportunistically with armed groups that control key routes.",
        "They lack the rigid hierarchies seen in mafia-style groups.",
    ),
    "state_embedded_actors": (
        "Corruption among border and customs officials facilitates smuggling and trafficking.",
        "Officials accept bribes in exchange for allowing illicit activity to proceed unchecked.",
        "Members of the security forces have reportedly diverted weapons from official stockpiles.",
        "Political figures have been implicated in embezzlement and illicit enrichment.",
    ),
    "foreign_actors": (
        "Foreign nationals are involved in trafficking, gold smuggling and illicit logging.",
        "Regional networks from across {region} use {country} as a transit hub.",
        "Foreign companies have been linked to informal mining and the smuggling of goods.",
    ),
    "private_sector_actors": (
        "Some firms operate legally but intersect with illicit economies, particularly in mining.",
        "Logistics companies and importers are used to move counterfeit and smuggled goods.",
        "Private actors also facilitate money laundering through real estate and trade.",
    ),
    "political_leadership_and_governance": (
        "Public confidence in state institutions has declined in recent years.",
        "Elections have been delayed, and the space for political dissent has narrowed.",
        "In the absence of consistent governance, armed groups have filled the void in some areas.",
        "Officials are often perceived as predatory, which further erodes public trust.",
    ),
    "government_transparency_and_accountability": (
        "Anti-corruption institutions exist, but their efforts have yielded limited results.",
        "Bribery persists at all levels of government, particularly in public procurement.",
        "Access to official information is restricted, and prosecutions are rare.",
        "Arrests of senior officials have been selective and politically motivated.",
    ),
    "international_cooperation": (
        "{country} has ratified the main international treaties related to organized crime.",
        "Cooperation with regional partners in {region} has been uneven.",
        "Extradition and mutual legal assistance requests are processed slowly.",
        "Shifting alliances have affected the country's relationship with traditional partners.",
    ),
    "national_policies_and_laws": (
        "The legal framework criminalizes most forms of organized crime, although gaps remain.",
        "Enforcement of existing laws is inconsistent across the country.",
        "New legislation on cybercrime and illicit enrichment has been adopted recently.",
        "National strategies exist on paper but lack dedicated funding.",
    ),
    "judicial_system_and_detention": (
        "Despite constitutional guarantees, the judiciary is not independent of the executive.",
        "Pretrial detention is prolonged, and prisons are severely overcrowded.",
        "Access to justice remains expensive and bureaucratic for most citizens.",
        "Conditions in detention facilities are dire and foster the spread of disease.",
    ),
    "law_enforcement": (
        "Specialized units exist but are hampered by insufficient resources and training.",
        "Frequent staff rotations undermine the efficiency of investigations.",
        "Collusion between officers and traffickers has been documented.",
        "Police presence is limited outside the capital and the main cities.",
    ),
    "territorial_integrity": (
        "The government does not control large parts of its territory.",
        "Porous borders and corruption among customs officials facilitate illicit flows.",
        "Border agents lack equipment and are frequently offered bribes.",
        "Insecurity in remote areas limits the reach of state institutions.",
    ),
    "anti_money_laundering": (
        "The country has adopted legislation in line with international standards.",
        "The financial intelligence unit lacks the capacity to analyse suspicious transactions.",
        "The large informal economy makes it difficult to trace illicit financial flows.",
        "Few money laundering cases have resulted in convictions.",
    ),
    "economic_regulatory_capacity": (
        "The informal sector accounts for a large share of economic activity.",
        "The economy is vulnerable to external shocks and shifting commodity prices.",
        "Smuggled goods undercut legitimate businesses and reduce fiscal revenue.",
        "Regulatory agencies are understaffed and often lack independence.",
    ),
    "victim_and_witness_support": (
        "NGOs and international organizations provide most of the available support.",
        "Shelters and specialized services are inadequate, particularly outside the capital.",
        "Witness protection exists in law but is rarely applied in practice.",
        "Male victims continue to face barriers to accessing care.",
    ),
    "prevention": (
        "Awareness-raising campaigns have been conducted with the support of donors.",
        "Many preventive measures remain underdeveloped and poorly funded.",
        "There is no national strategy on drug prevention.",
        "A new national action plan against trafficking has been adopted.",
    ),
    "non_state_actors": (
        "Civil society organizations face increasing restrictions on their activities.",
        "Journalists reporting on organized crime face intimidation and censorship.",
        "Foreign funding for NGOs has been subjected to state review.",
        "Community groups nonetheless play a role in monitoring illicit activity.",
    ),
}

_MARKET_OPEN = (
    "{Name} in {country} is {level}, and the market has {trend} since the last assessment.",
    "{country} has a {level} market for {name}, which has {trend} in recent years.",
    "{Name} remains {level} in {country}, with effects felt across {region}.",
    "The scale of {name} in {country} is {level}, according to the available evidence.",
    "In {country}, {name} is {level} and closely linked to the wider illicit economy.",
)
_ACTOR_OPEN = (
    "{Name} have a {level} influence on the criminal landscape of {country}.",
    "The role of {name} in {country} is {level}, and their influence has {trend}.",
    "In {country}, {name} are {level} actors in several illicit markets.",
    "{Name} play a {level} role in organized crime in {country}.",
)
_RES_OPEN = (
    "{Name} in {country} is {level}, and the situation has {trend} since the previous edition.",
    "With regard to {name}, {country} shows {level} capacity to respond to organized crime.",
    "The record of {country} on {name} is {level}.",
    "{Name} remains {level} in {country}, which limits the response to illicit flows.",
    "In {country}, {name} is assessed as {level}.",
)
_MARKET_GENERIC = (
    "Criminal networks profit from weak state presence in border areas.",
    "Traffickers adapt their routes quickly in response to enforcement efforts.",
    "Corrupt officials are reported to facilitate the flow of illicit goods.",
    "The market is closely linked to other illicit flows in {region}.",
    "Local communities often depend on these activities for their livelihoods, which complicates the response.",
    "Data remain scarce, and the true scale of the market is difficult to assess.",
    "The effects on security and public health are significant.",
    "Cross-border cooperation against this market has been limited.",
)
_ACTOR_GENERIC = (
    "Their activities are sustained by the complicity of officials and the weakness of oversight.",
    "They operate across several markets and adapt to changing security conditions.",
    "Their links with actors elsewhere in {region} have grown stronger.",
    "The profits they generate are often laundered through legitimate businesses.",
    "Efforts to disrupt them have so far had a limited effect.",
)
_RES_GENERIC = (
    "Limited resources and a lack of trained staff undermine efficiency.",
    "Donor support has helped, but long-term funding is uncertain.",
    "Coordination between agencies remains weak, and responsibilities often overlap.",
    "Progress is uneven across the country, with rural areas the most affected.",
    "Corruption continues to weaken the effectiveness of official responses.",
    "Recent reforms are a positive step, but implementation has been slow.",
    "The response to organized crime in {region} depends heavily on this capacity.",
)

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
    opener_pool = {"criminal_markets": _MARKET_OPEN, "criminal_actors": _ACTOR_OPEN}.get(ind.pillar, _RES_OPEN)
    generic = {"criminal_markets": _MARKET_GENERIC, "criminal_actors": _ACTOR_GENERIC}.get(ind.pillar, _RES_GENERIC)
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
