"""Span kinds as the window shows them: colours derived from the palette, and mark actions."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor, QPalette


def tr(text: str) -> str:
    """Translate a string in the marks context."""
    return QCoreApplication.translate("marks", text)


@dataclass(frozen=True)
class MarkSpec:
    """One marking action: the span kind, its action name, label, shortcut and icon."""

    kind: str
    name: str  # suffix of the action's objectName: actionMark<name>
    label: str
    shortcut: str
    icon: str
    asks_note: bool = False


# Ctrl+Shift+letter: a passage is marked in two keystrokes (select, mark).
MARK_SPECS: tuple[MarkSpec, ...] = (
    MarkSpec("illegible", "Illegible", "Illegible", "Ctrl+Shift+I", "mark-illegible"),
    MarkSpec("unclear", "Unclear", "Unclear…", "Ctrl+Shift+U", "mark-unclear", True),
    MarkSpec("supplied", "Supplied", "Supplied", "Ctrl+Shift+S", "mark-supplied"),
    MarkSpec("underline", "Underline", "Underlined", "Ctrl+Shift+L", "mark-underline"),
    MarkSpec("handwritten", "Handwritten", "Handwritten", "Ctrl+Shift+H", "mark-handwritten"),
    MarkSpec("stamp", "Stamp", "Stamp", "Ctrl+Shift+T", "mark-stamp"),
    MarkSpec("person", "Person", "Person", "Ctrl+Shift+P", "mark-person"),
    MarkSpec("place", "Place", "Place", "Ctrl+Shift+A", "mark-place"),
    MarkSpec("org", "Org", "Organisation", "Ctrl+Shift+O", "mark-org"),
    MarkSpec("date", "Date", "Date", "Ctrl+Shift+D", "mark-date"),
    MarkSpec("note", "Note", "Note…", "Ctrl+Shift+N", "mark-note", True),
)

# Hue (0-359) per kind; saturation is kept moderate so text stays readable on top.
HUES: dict[str, int] = {
    "illegible": 0, "unclear": 30, "supplied": 210, "omission": 0, "underline": 260,
    "handwritten": 120, "stamp": 285, "sic": 350, "person": 190, "place": 160,
    "org": 240, "date": 50, "note": 55, "noteref": 55,
    "title": 220, "priority": 15, "distribution": 175, "recipient": 175,
    "classification": 15, "origin": 100, "refno": 80, "addressee": 140,
    "closer": 200, "signature": 200, "citation": 30, "translator": 30, "copies": 175,
    "doctype": 80,
}
# Kinds shown only as a faint text colour (large regions, not marks).
QUIET_KINDS = frozenset({"pagemeta", "summary", "rights", "funder", "token", "chrome"})
# Kinds not listed among the marks (they would repeat what the fields panel says).
HIDDEN_IN_LIST = frozenset({"token", "chrome", "pagemeta"})

KIND_LABELS: dict[str, str] = {
    "illegible": "illegible", "unclear": "unclear", "supplied": "supplied",
    "omission": "omission", "underline": "underline", "handwritten": "handwritten",
    "stamp": "stamp", "sic": "sic", "person": "person", "place": "place",
    "org": "organisation", "date": "date", "note": "note", "noteref": "note reference",
    "token": "convention token", "pagemeta": "page metadata", "chrome": "site chrome",
    "title": "title", "doctype": "document type", "priority": "priority",
    "classification": "classification", "origin": "origin", "refno": "reference number",
    "addressee": "addressee", "distribution": "distribution", "recipient": "recipient",
    "copies": "copies printed", "closer": "closer", "signature": "signature",
    "citation": "citation", "translator": "translator", "rights": "rights",
    "funder": "funder", "summary": "summary",
}


def kind_label(kind: str) -> str:
    """The translated human name of a span kind."""
    return tr(KIND_LABELS.get(kind, kind))


def is_dark(palette: QPalette) -> bool:
    """True when the palette's base colour is dark (dark mode)."""
    return palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5


def kind_color(kind: str, palette: QPalette) -> QColor:
    """The background colour of a kind, light tints in light mode, deep shades in dark."""
    hue = HUES.get(kind, 0)
    if is_dark(palette):
        return QColor.fromHslF(hue / 360.0, 0.45, 0.30)
    return QColor.fromHslF(hue / 360.0, 0.75, 0.86)


def kind_accent(kind: str, palette: QPalette) -> QColor:
    """A stronger colour of the kind for underlines and borders."""
    hue = HUES.get(kind, 0)
    if is_dark(palette):
        return QColor.fromHslF(hue / 360.0, 0.70, 0.65)
    return QColor.fromHslF(hue / 360.0, 0.80, 0.40)
