"""The study's tunables in one place: every policy choice that is not a physical factor, with its default and why.

Physical and conventional constants (hours per year, a server's power, a factor's value) stay beside the formula that
uses them, with their source. What is here is a *choice* the study makes and a territory or an analyst may change:
the functions of the model and the plan take it as a parameter whose default comes from :data:`DEFAULTS`, and the
run layer passes the territory's value where ``territory.yaml`` sets one (``score_weights``, ``plan_start_year``,
``business_as_usual``, ...). Nothing here reads a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType


def _frozen(mapping: dict) -> MappingProxyType:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class StudyParameters:
    """The tunables of the model and the plan (defaults: :data:`DEFAULTS`)."""

    #: Half-width of the 95 % interval of a declared quantity, by data quality (assumption C-01 of
    #: ``docs/assumptions_caveats.md``: the data-quality classes of the Bilan Carbone practice).
    quality_half_width: MappingProxyType = field(
        default_factory=lambda: _frozen({"high": 0.05, "medium": 0.15, "low": 0.40}))
    #: Discount rate of the annualised investment: 3.2 %, the public-investment rate of France Stratégie (1.2 % +
    #: β × 2 %, β = 1; committee of experts, 21 October 2021), quoted by France Stratégie, « Taux d'actualisation : un
    #: bêta sensible », https://strategie.gouv.fr/infographies/taux-dactualisation-un-beta-sensible . 0 gives the
    #: straight-line annualisation.
    discount_rate: float = 0.032
    #: Weights of the priority score (documented choice; they sum to 1); ``score_weights`` of ``territory.yaml``.
    score_weights: MappingProxyType = field(
        default_factory=lambda: _frozen({"gain": 0.40, "cost": 0.25, "effort": 0.15, "maturity": 0.20}))
    #: Standard French VAT rate, 20 % (Code général des impôts, art. 278), applied to every purchase of the plan.
    vat_rate: float = 0.20
    #: Share of the reference-year footprint at the target year ("neutrality" read as SNBC-2's ÷ 6).
    target_share: float = 1.0 / 6.0
    #: Below this completeness (%) the maturity notebook warns that the score rests on few answers (project choice).
    low_completeness_pct: float = 80.0
    #: Below this completeness (%) no maturity score, level or rank is published (issue 18).
    publish_completeness_pct: float = 60.0
    #: A maturity axis scoring below this (%) is "weak": the start of the level "Structuré", practices organised
    #: across the collectivity (project choice); the catalogue's actions of the weak axes are listed.
    weak_axis_pct: float = 50.0


#: The defaults of the study (one instance, immutable).
DEFAULTS = StudyParameters()
