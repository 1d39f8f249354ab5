from __future__ import annotations

import json
import subprocess
import sys

from octa import taxonomy
from octa.model import json_schema
from tests.conftest import ROOT


def test_indicator_counts_per_edition() -> None:
    for year, (m, a, r) in {2019: (10, 4, 12), 2021: (10, 4, 12), 2023: (15, 5, 12), 2025: (15, 5, 12)}.items():
        assert len(taxonomy.indicators_for(year, "criminal_markets")) == m
        assert len(taxonomy.indicators_for(year, "criminal_actors")) == a
        assert len(taxonomy.indicators_for(year, "resilience")) == r


def test_labels_fold_to_ids() -> None:
    idx = taxonomy.label_index()
    assert idx[taxonomy.fold("Political leadership & governance")] == "political_leadership_and_governance"
    assert idx[taxonomy.fold("NON-RENEWABLE RESOURCE CRIMES")] == "non_renewable_resource_crimes"
    assert len(set(idx.values())) == 32


def test_countries_and_aliases() -> None:
    assert len(taxonomy.COUNTRIES) == 193
    assert taxonomy.canonical_country("Türkiye") == "Turkey"
    assert taxonomy.canonical_country("COTE D'IVOIRE") == "Côte d'Ivoire"
    assert taxonomy.canonical_country("Democratic Republic of the Congo") == "Congo, Dem. Rep."
    assert taxonomy.canonical_country("Atlantis") is None


def test_editions() -> None:
    assert taxonomy.previous_edition("enact", 2025) == 2023
    assert taxonomy.previous_edition("global", 2021) is None
    assert not taxonomy.has_changes("enact", 2019)
    assert taxonomy.is_new_indicator("private_sector_actors", 2023)
    assert not taxonomy.is_new_indicator("private_sector_actors", 2025)


def test_committed_schema_is_current() -> None:
    committed = json.loads((ROOT / "schema" / "profile.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(), "schema/profile.schema.json is stale: run `octa schema -o schema/profile.schema.json`"


def test_cli_version_and_module_entry() -> None:
    out = subprocess.run([sys.executable, "-m", "octa", "--version"], capture_output=True, text=True, check=True)
    assert "octa" in out.stdout and "0.1.0" in out.stdout
