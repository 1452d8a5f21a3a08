"""French number format, shared by the texts the model writes into processed tables (notes, summary fields) and
by the report layer (``helpers.report.plotting`` re-exports these names).

``1234.5`` → ``'1 234,5'``: a narrow no-break space (U+202F) groups the thousands and a comma marks the decimals
(French typography).
"""

from __future__ import annotations

NBSP = "\u202f"  # narrow no-break space, the French thousands separator


def fr_number(value: float | int | None, decimals: int = 0, unit: str = "") -> str:
    """French number format: ``1234.5`` → ``'1 234,5'`` (narrow no-break space, decimal comma).

    ``None`` or NaN gives ``'n.d.'`` (non disponible).
    """
    if value is None or value != value:
        return "n.d."
    text = f"{value:,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    return f"{text}{NBSP}{unit}" if unit else text


def fr_sig(value: float | None, digits: int = 3) -> str:
    """French format with ``digits`` significant digits: ``0.0461`` → ``'0,0461'``, ``748`` → ``'748'``,
    ``12345`` → ``'12 300'``; ``None``/NaN → ``'n.d.'``."""
    import math

    if value is None or value != value or math.isinf(value):
        return "n.d."
    if value == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(value)))
    decimals = max(digits - 1 - magnitude, 0)
    return fr_number(round(float(value), digits - 1 - magnitude), decimals)


def fr_interval(value: float, low: float, high: float, decimals: int = 0, unit: str = "") -> str:
    """``'680 [590 – 790] tCO2e'``: a value with its 95 % interval."""
    core = f"{fr_number(value, decimals)} [{fr_number(low, decimals)} – {fr_number(high, decimals)}]"
    return f"{core}{NBSP}{unit}" if unit else core
