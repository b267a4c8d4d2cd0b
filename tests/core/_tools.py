"""A reader's tool that a test needs: skipped on a developer's machine, a failure in CI."""
from __future__ import annotations

import os

import pytest


def in_ci() -> bool:
    """True when the suite runs in CI (.ci/run exports EMENDO_CI=1), where nothing may skip."""
    return bool(os.environ.get("EMENDO_CI") or os.environ.get("CI"))


def missing_tool(message: str) -> None:
    """Skip the test for want of a tool; in CI fail it, so a green run has checked everything."""
    if in_ci():
        pytest.fail(message)
    pytest.skip(message)
