"""Test-wide set-up: Qt must run headless, before anything imports it."""
from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("EMENDO_AUTHOR", "test")

# In CI, Hypothesis draws the same examples on every run (derandomize), so that a red run
# is reproducible and a green one does not turn red by chance; on a developer's machine it
# explores new ones each time.
if os.environ.get("EMENDO_CI") or os.environ.get("CI"):
    from hypothesis import settings

    settings.register_profile("ci", derandomize=True, database=None)
    settings.load_profile("ci")
