"""Builders shared by the tests (moved from ``test_maturity``, issue 37: no test file imports another)."""
from __future__ import annotations

import pandas as pd


def mini_questions_table() -> pd.DataFrame:
    """Five questions on two axes, weights 3, 1, 2 | 2, 1; AAA-03 may be answered "not applicable"."""
    return pd.DataFrame({
        "question_id": ["AAA-01", "AAA-02", "AAA-03", "BBB-01", "BBB-02"],
        "axis": ["a", "a", "a", "b", "b"],
        "question_fr": ["q1 ?", "q2 ?", "q3 ?", "q4 ?", "q5 ?"],
        "pillar": ["Planet"] * 5,
        "weight": [3.0, 1.0, 2.0, 2.0, 1.0],
        "na_allowed": [False, False, True, False, False],
        **{f"level_{k}": [f"niveau {k}"] * 5 for k in range(5)},
    })


