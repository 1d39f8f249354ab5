"""Small profile-like PDFs drawn here, with reportlab, for the score parser's PDF tests: every value
and place is written by hand in the test that uses them (nothing here comes from octa.synth or from
the code under test). A page is a list of text items ``(x, top, text, size)``, ``top`` the
baseline's distance from the top of the page in points, Helvetica throughout."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

Item = tuple[float, float, str, float]
WIDTH, HEIGHT = A4

#: A global 2023 profile's scores written by hand (the label as printed, the id, score, change).
#: The pillar means: markets 78.5/15 = 5.2333 → 5.23, actors 27.5/5 = 5.50, criminality
#: (5.2333 + 5.5)/2 = 5.3667 → 5.37, resilience 39/12 = 3.25 (tests check them with tests/oracle.py).
MARKETS = [
    ("Human trafficking", "human_trafficking", "7.5", "+0.50"),
    ("Human smuggling", "human_smuggling", "6.0", "-1.00"),
    ("Extortion and protection racketeering", "extortion_and_protection_racketeering", "5.5", "n/a"),
    ("Arms trafficking", "arms_trafficking", "7.0", "+1.50"),
    ("Trade in counterfeit goods", "trade_in_counterfeit_goods", "4.5", "n/a"),
    ("Illicit trade in excisable goods", "illicit_trade_in_excisable_goods", "6.5", "n/a"),
    ("Flora crimes", "flora_crimes", "3.0", "-0.50"),
    ("Fauna crimes", "fauna_crimes", "4.0", "0.00"),
    ("Non-renewable resource crimes", "non_renewable_resource_crimes", "6.5", "+0.50"),
    ("Heroin trade", "heroin_trade", "3.5", "-1.00"),
    ("Cocaine trade", "cocaine_trade", "5.0", "+1.50"),
    ("Cannabis trade", "cannabis_trade", "6.0", "0.00"),
    ("Synthetic drug trade", "synthetic_drug_trade", "4.0", "-0.50"),
    ("Cyber-dependent crimes", "cyber_dependent_crimes", "3.5", "n/a"),
    ("Financial crimes", "financial_crimes", "6.0", "n/a"),
]
ACTORS = [
    ("Mafia-style groups", "mafia_style_groups", "4.0", "+0.50"),
    ("Criminal networks", "criminal_networks", "6.5", "-1.00"),
    ("State-embedded actors", "state_embedded_actors", "7.0", "0.00"),
    ("Foreign actors", "foreign_actors", "5.5", "+1.50"),
    ("Private sector actors", "private_sector_actors", "4.5", "n/a"),
]
RESILIENCE = [
    ("Political leadership and governance", "political_leadership_and_governance", "3.0", "-0.50"),
    ("Government transparency and accountability", "government_transparency_and_accountability", "2.5", "0.00"),
    ("International cooperation", "international_cooperation", "4.0", "+0.50"),
    ("National policies and laws", "national_policies_and_laws", "3.5", "-1.00"),
    ("Judicial system and detention", "judicial_system_and_detention", "2.0", "-1.00"),
    ("Law enforcement", "law_enforcement", "3.0", "0.00"),
    ("Territorial integrity", "territorial_integrity", "4.5", "-0.50"),
    ("Anti-money laundering", "anti_money_laundering", "3.5", "+0.50"),
    ("Economic regulatory capacity", "economic_regulatory_capacity", "2.5", "-1.00"),
    ("Victim and witness support", "victim_and_witness_support", "3.0", "+1.50"),
    ("Prevention", "prevention", "4.0", "0.00"),
    ("Non-state actors", "non_state_actors", "3.5", "-0.50"),
]
ROWS = MARKETS + ACTORS + RESILIENCE
SUMMARY = {"criminality": "5.37", "criminal_markets": "5.23", "criminal_actors": "5.50", "resilience": "3.25"}


#: A filled rectangle: x, top (from the page's top), width, height, fill (r, g, b in 0-1).
Box = tuple[float, float, float, float, tuple[float, float, float]]


def draw(path: Path, pages: list[list[Item]], boxes: list[list[Box]] | None = None) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    for n, items in enumerate(pages):
        for x, top, w, h, fill in (boxes[n] if boxes and n < len(boxes) else []):
            c.setFillColorRGB(*fill)
            c.rect(x, HEIGHT - top - h, w, h, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
        for x, top, text, size in items:
            c.setFont("Helvetica-Bold" if size >= 11 else "Helvetica", size)
            c.drawString(x, HEIGHT - top, text)
        c.showPage()
    c.save()
    return path


def head(country: str = "MALI") -> list[Item]:
    return [(40, 50, country, 20), (40, 68, "Global Organized Crime Index 2023", 9)]


def summary_box(x: float, top: float, label: str, value: str, ranks: list[str]) -> list[Item]:
    """A summary box: its caption and score on one line, its rank lines under it."""
    out: list[Item] = [(x, top, label, 11), (x + 150, top, value, 11)]
    out += [(x, top + 15 + 12 * k, line, 8) for k, line in enumerate(ranks)]
    return out


def table(x: float, top: float, rows: list[tuple[str, str, str, str]], *, pitch: float = 13.0,
          score: str = "{}", score_dx: float = 190.0, change_dx: float = 250.0) -> list[Item]:
    """Indicator rows: label at ``x``, the score (``score`` formats it) and the change to its right."""
    out: list[Item] = []
    for k, (label, _id, value, change) in enumerate(rows):
        y = top + pitch * k
        out += [(x, y, label, 8), (x + score_dx, y, score.format(value), 8), (x + change_dx, y, change, 8)]
    return out


def narrative(x: float, top: float, lines: list[str], pitch: float = 12.0) -> list[Item]:
    return [(x, top + pitch * k, line, 9) for k, line in enumerate(lines)]
