"""Setting a document's language: one undoable step; a bad code changes nothing."""
from __future__ import annotations

import pytest

from emendo.core.editions import render
from emendo.core.errors import InvalidEditError
from emendo.core.model import Document
from emendo.core.project import Project


def test_set_language_is_one_step_and_reaches_the_editions(tmp_path):
    with Project.open(tmp_path / "p.emendo") as p:
        (doc_id,) = p.import_documents([Document(title="T", text="Текст")]).doc_ids
        p.set_language(doc_id, "ru")
        assert p.document(doc_id).language == "ru"
        assert 'xml:lang="ru"' in render(p.document(doc_id), "tei")
        p.set_language(doc_id, "")
        assert p.document(doc_id).language is None
        p.undo()
        assert p.document(doc_id).language == "ru"
        with pytest.raises(InvalidEditError):
            p.set_language(doc_id, "Russian!")
        assert p.document(doc_id).language == "ru" and len(p.history()) == 2
