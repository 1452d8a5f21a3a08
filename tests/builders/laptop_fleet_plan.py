"""Builders shared by the tests (moved from ``test_actions_laptop_gains_and_costs``, issue 37: no test file imports another)."""
from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from builders.one_laptop_plan import LAPTOP
from builders.one_laptop_plan import models as exact_models
from helpers.io.factors import load_categories
from helpers.model import levers as lv
from helpers.plan import actions as ac

PER_UNIT = sum(LAPTOP.values())  # 185.09 kgCO2e


BASELINE = 100 * PER_UNIT / 5  # 3701.8 kgCO2e/year


G_LIFE = 100 * PER_UNIT * (1 / 5 - 1 / 8)  # 1388.175 kgCO2e/year


def models(seed: int = 20200101, n_draws: int = 400) -> ac.Models:
    """The one-laptop models of ``test_plan_total_counts_selected_actions`` (ADEME laptop factors, 5-year lifetime), 400 draws."""
    return exact_models(seed=seed, n_draws=n_draws)


def laptops(n=100.0, kwh=0.0) -> pd.DataFrame:
    return pd.DataFrame({"line_id": ["L1"], "entity": ["ville"], "category": ["laptop"], "tier": ["terminals"],
                         "factor_item": ["laptop"], "quantity": [n], "purchase_year": [2020.0],
                         "age_years": [0.0], "lifetime_years": [5.0], "power_w": [26.5], "hours_per_day": [7.0],
                         "days_per_year": [220.0], "yearly_kwh": [kwh], "reconditioned": [False],
                         "quality": ["high"], "site": [None]})


def extension_plan() -> pd.DataFrame:
    return pd.DataFrame([{"action_id": "X1", "lever": "lifetime_extension", "param": 3.0, "targets": ["laptop"],
                          "selected": True}])


def territory(agents=1000):
    return SimpleNamespace(reference_year=2020, target_year=2040, milestone_year=2030, agents=agents)


def _storage_study(seed):
    """A 60 TB-year storage service (3 replicas, server room) and the storage purge of one third, selected."""
    from helpers.io.factors import load_factors

    services = pd.DataFrame([{"service_id": "stockage", "name": "Partages", "type": "storage", "annual_volume": 60.0,
                              "volume_unit": "tb_years", "replicas": 3.0, "hosting": "server_room"}])
    m = models(seed=seed)
    m.service_factors, m.categories = load_factors(), load_categories()
    inputs = lv.PlanInputs(inventory=laptops(), services=services)
    plan = pd.DataFrame([{"action_id": "S1", "lever": "storage_purge", "param": 1 / 3, "targets": [],
                          "selected": True}])
    return inputs, m, ac.evaluate(plan, inputs, m)


SERVICES = pd.DataFrame([
    {"service_id": "st", "name": "Partages", "type": "storage", "annual_volume": 60.0, "volume_unit": "tb_years",
     "replicas": 3.0, "hosting": "server_room"},
    {"service_id": "w1", "name": "Site", "type": "website", "annual_volume": 1000.0, "volume_unit": "visits",
     "page_weight_mb": 2.0, "pages_per_visit": 3, "hosting": "colocation"},
    {"service_id": "w2", "name": "Portail", "type": "portal", "annual_volume": 3000.0, "volume_unit": "visits",
     "page_weight_mb": 1.0, "pages_per_visit": 3, "hosting": "colocation"},
    {"service_id": "v", "name": "Visio", "type": "visio", "annual_volume": 100.0, "volume_unit": "participant_hours",
     "video_quality": "sd", "participants": 4, "hosting": "cloud_eu"},
    {"service_id": "s", "name": "Vidéos", "type": "streaming", "annual_volume": 300.0, "volume_unit": "hours",
     "video_quality": "hd", "hosting": "cloud_eu"},
])


