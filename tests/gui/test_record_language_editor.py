"""The record panel's language field, and the editor's name asked once a project."""
from __future__ import annotations

from PySide6.QtWidgets import QLineEdit


def test_language_field_shows_and_sets_the_documents_language(win):
    field = win.findChild(QLineEdit, "languageField")
    assert field.text() == "en" and field.toolTip() == "English"
    field.setText("ru")
    field.editingFinished.emit()
    assert win.project.document(win.doc.id).language == "ru"
    assert win.project.history()[-1].label == "Set language"
    win.project.undo()
    assert win.project.document(win.doc.id).language == "en"


def test_a_language_that_is_no_code_is_refused_and_nothing_changes(win, dialogs):
    field = win.findChild(QLineEdit, "languageField")
    history = len(win.project.history())
    field.setText("not a language!")
    field.editingFinished.emit()
    assert dialogs.errors and "not a language code" in dialogs.errors[-1][1]
    assert win.project.document(win.doc.id).language == "en"
    assert field.text() == "en" and len(win.project.history()) == history


def test_the_editors_name_is_asked_once_before_the_first_change(win, dialogs):
    dialogs.answers["editor_name"] = "Ada  Byron"
    field = win.findChild(QLineEdit, "languageField")
    for code in ("ru", "zh"):
        field.setText(code)
        field.editingFinished.emit()
    assert dialogs.asked_editor == 1
    assert win.project.editor_name == "Ada Byron"
    assert [e.author for e in win.project.history()[-2:]] == ["Ada Byron", "Ada Byron"]


def test_a_declined_name_is_not_asked_again(win, dialogs):
    field = win.findChild(QLineEdit, "languageField")
    for code in ("ru", "zh"):
        field.setText(code)
        field.editingFinished.emit()
    assert dialogs.asked_editor == 1 and win.project.editor_name == ""
