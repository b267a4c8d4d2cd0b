"""Property tests for moving spans with text edits (core/textedit.py)."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from emendo.core.model import Span
from emendo.core.textedit import apply_edit, map_span, shift_spans


def test_insert_before_shifts():
    assert map_span(5, 10, 2, 0, 3) == (8, 13)


def test_insert_at_start_goes_before():
    assert map_span(5, 10, 5, 0, 2) == (7, 12)


def test_insert_at_end_does_not_extend():
    assert map_span(5, 10, 10, 0, 2) == (5, 10)


def test_insert_inside_grows():
    assert map_span(5, 10, 7, 0, 2) == (5, 12)


def test_replace_whole_span_covers_replacement():
    # "forein" -> "foreign"
    assert map_span(10, 16, 10, 6, 7) == (10, 17)


def test_delete_whole_span_drops_it():
    assert map_span(10, 16, 8, 10, 0) is None


def test_overlap_start_cuts():
    assert map_span(10, 20, 8, 4, 1) == (9, 17)


def test_overlap_end_cuts():
    assert map_span(10, 20, 18, 5, 3) == (10, 18)


def test_unanchored_untouched():
    s = Span("stamp", None, None, {"text": "x"}, 1)
    assert shift_spans([s], 0, 3, 0)[0].start is None


texts = st.text(alphabet="abcdefg \n[]", min_size=0, max_size=40)


@st.composite
def scenario(draw):
    text = draw(texts)
    n = len(text)
    spans = []
    for i in range(draw(st.integers(0, 6))):
        if n == 0:
            break
        a = draw(st.integers(0, n - 1))
        b = draw(st.integers(a + 1, n))
        spans.append(Span("note", a, b, {}, i + 1))
    edits = []
    length = n
    for _ in range(draw(st.integers(1, 8))):
        pos = draw(st.integers(0, length))
        removed = draw(st.integers(0, length - pos))
        ins = draw(st.text(alphabet="xyz", max_size=5))
        edits.append((pos, removed, ins))
        length = length - removed + len(ins)
    return text, spans, edits


@settings(max_examples=400, deadline=None)
@given(scenario())
def test_spans_stay_inside_and_untouched_keep_text(data):
    text, spans, edits = data
    # Tag each character with its identity so "untouched" can be tracked exactly.
    ids = list(range(len(text)))
    next_id = len(text)
    original = {s.id: (s.start, s.end) for s in spans}
    touched: set[int] = set()
    for pos, removed, ins in edits:
        for s in spans:
            if s.id in touched:
                continue
            start, end = s.start, s.end
            if removed and pos < end and pos + removed > start:
                touched.add(s.id)
            if not removed and start < pos < end:
                touched.add(s.id)
            if removed and start == pos and pos + removed == end:
                touched.add(s.id)
        spans = shift_spans(spans, pos, removed, len(ins))
        text = apply_edit(text, pos, removed, ins)
        ids = ids[:pos] + list(range(next_id, next_id + len(ins))) + ids[pos + removed :]
        next_id += len(ins)
        for s in spans:
            assert 0 <= s.start < s.end <= len(text)
    for s in spans:
        if s.id not in touched:
            a, b = original[s.id]
            assert ids[s.start : s.end] == list(range(a, b))
    for sid in original:
        if sid not in touched:
            assert any(s.id == sid for s in spans), "an untouched span was dropped"


@settings(max_examples=400, deadline=None)
@given(scenario())
def test_one_pass_equals_shift_then_touched(data):
    from emendo.core.textedit import shift_with_touched, touched_spans

    text, spans, edits = data
    pos, removed, ins = edits[0]
    moved, touched = shift_with_touched(spans, pos, removed, len(ins))
    expect = shift_spans(spans, pos, removed, len(ins))
    assert [(s.id, s.start, s.end) for s in moved] == [(s.id, s.start, s.end) for s in expect]
    assert sorted(s.id for s in touched) == sorted(
        s.id for s in touched_spans(spans, expect, pos, removed, len(ins)))
