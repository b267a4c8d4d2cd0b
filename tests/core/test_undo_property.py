"""Property test: any sequence of typing, deletions and marks undoes and redoes exactly.

The source file and the transcription as first imported stay what they were throughout.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from emendo.core.model import Document, Span
from emendo.core.project import Project

TEXT = "To the Foreign Ministry: Izvestia on April 16th reported [illegible] news."
# A page: the transcription between site chrome, so the source is stored against the text.
SOURCE = f"Skip to content\n\n{TEXT}\nRecord ID\n"


def state(project: Project, doc_id: int) -> tuple:
    doc = project.document(doc_id)
    # The file as imported and the transcription as first imported never change.
    assert (doc.source_text, doc.baseline_text) == (SOURCE, TEXT)
    return doc.text, sorted((s.id, s.kind, s.start, s.end, tuple(sorted(s.attrs.items())))
                            for s in doc.spans)


@st.composite
def operations(draw):
    ops = []
    length = len(TEXT)
    for _ in range(draw(st.integers(1, 12))):
        kind = draw(st.sampled_from(["type", "type", "backspace", "replace", "mark"]))
        if kind == "type":
            pos = draw(st.integers(0, length))
            ch = draw(st.sampled_from(["a", " ", "é", "x"]))
            ops.append(("edit", pos, 0, ch))
            length += 1
        elif kind == "backspace" and length:
            pos = draw(st.integers(0, length - 1))
            ops.append(("edit", pos, 1, ""))
            length -= 1
        elif kind == "replace" and length > 3:
            pos = draw(st.integers(0, length - 3))
            n = draw(st.integers(1, 3))
            new = draw(st.text(alphabet="qrs", min_size=0, max_size=4))
            ops.append(("edit", pos, n, new))
            length += len(new) - n
        elif kind == "mark" and length > 2:
            a = draw(st.integers(0, length - 2))
            b = draw(st.integers(a + 1, length))
            ops.append(("mark", a, b, None))
    return ops


@settings(max_examples=150, deadline=None)
@given(operations())
def test_undo_all_then_redo_all_is_exact(ops):
    with tempfile.TemporaryDirectory() as tmp:
        project = Project.open(Path(tmp) / "p.emendo")
        try:
            doc = Document(title="t", text=TEXT, source_text=SOURCE)
            i = TEXT.index("Izvestia")
            # A name that is its text follows every fix typed in it, and undoes with it.
            doc.spans = [Span("org", i, i + 8, {"name": "Izvestia"}),
                         Span("illegible", TEXT.index("["),
                                                    TEXT.index("]") + 1),
                         Span("note", 0, len(TEXT), {"note": "whole"})]
            doc_id = project.import_documents([doc]).doc_ids[0]
            states = [state(project, doc_id)]
            for op, a, b, c in ops:
                if op == "edit":
                    project.edit_text(doc_id, a, b, c)
                else:
                    project.add_span(doc_id, "unclear", a, b, {"reason": "faded"})
                states.append(state(project, doc_id))
                now = project.document(doc_id)
                org = next((s for s in now.spans if s.kind == "org"), None)
                assert org is None or org.attrs["name"] == now.span_text(org)
            final = states[-1]
            steps = 0
            while project.undo_label() and project.undo_label() != "Import “t”":
                project.undo()
                steps += 1
            assert state(project, doc_id) == states[0]
            for _ in range(steps):
                project.redo()
            assert state(project, doc_id) == final
            assert project.check() == []
        finally:
            project.close()
