"""The spans' JSON is the same text whichever JSON library writes it, and reads back."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emendo.core import codec

SCALARS = (st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.text(max_size=20)
           | st.floats(allow_nan=False, allow_infinity=False))
JSONISH = st.recursive(SCALARS, lambda kids: st.lists(kids, max_size=4)
                       | st.dictionaries(st.text(max_size=8), kids, max_size=4), max_leaves=20)


@settings(max_examples=400, deadline=None)
@given(JSONISH)
def test_compact_dumps_reads_back_and_matches_the_standard_library(value):
    text = codec.dumps_compact(value)
    assert codec.loads(text) == json.loads(text) == value
    if not _has_float(value):  # float spelling may differ (1e-07 / 1e-7); both read back
        assert text == json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _has_float(value) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(_has_float(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_float(v) for v in value)
    return False


def test_what_orjson_refuses_the_standard_library_writes():
    huge = {"n": 2**80, "s": "lone \udc80 surrogate", "ctl": "\x00\x1f"}
    text = codec.dumps_compact(huge)
    assert json.loads(text) == huge and codec.loads(text) == huge


def test_bad_json_raises_a_value_error():
    with pytest.raises(ValueError):
        codec.loads("{not json")
