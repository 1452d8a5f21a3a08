"""Builders shared by the tests (moved from ``test_actions_gain_status_and_indicators``, issue 37: no test file imports another)."""
from __future__ import annotations

import pandas as pd

from builders.laptop_fleet_plan import (
    SERVICES,
)

SERVICES_2 = pd.concat([SERVICES, pd.DataFrame([
    {"service_id": "v2", "name": "Visio 2", "type": "visio", "annual_volume": 300.0,
     "volume_unit": "participant_hours", "video_quality": "hd", "participants": 4, "hosting": "cloud_eu",
     "audio_share": 0.5}])], ignore_index=True)


