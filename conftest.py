"""Test-wide set-up: Qt must run headless, before anything imports it."""
from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("EMENDO_AUTHOR", "test")
