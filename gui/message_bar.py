"""Non-blocking messages over the editor: a damaged file, a risky folder, a failed backup."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from emendo.gui.marks import is_dark

# Background hues (light, dark) by severity; text keeps the palette's colour.
_TINTS = {"warning": ("#fff3cd", "#4d3b00"), "error": ("#f8d7da", "#5c1f24"),
          "info": ("#dbeafe", "#1e3a5f")}


class Message(QFrame):
    """One message: an icon-free sentence, optional action buttons, a close button."""

    closed = Signal()

    def __init__(self, key: str, severity: str, text: str,
                 actions: list[tuple[str, Callable[[], None]]], parent: QWidget) -> None:
        super().__init__(parent)
        self.key = key
        self.severity = severity
        self.setObjectName(f"message_{key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.label = QLabel(text, self)
        self.label.setObjectName("messageText")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setAccessibleName(self.tr("Message"))
        # Wrap to the editor's width; never ask the window for more (the docks would
        # be squeezed to make room for a long sentence).
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Maximum)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 4, 4)
        row.addWidget(self.label, 1)
        self.buttons: dict[str, QPushButton] = {}
        for title, slot in actions:
            b = QPushButton(title, self)
            b.setAccessibleName(title.replace("…", ""))
            b.clicked.connect(slot)
            row.addWidget(b, 0, Qt.AlignmentFlag.AlignTop)
            self.buttons[title] = b
        close = QPushButton("✕", self)
        close.setObjectName("messageClose")
        close.setFlat(True)
        close.setFixedWidth(close.fontMetrics().horizontalAdvance("✕") + 18)
        close.setAccessibleName(self.tr("Dismiss this message"))
        close.setToolTip(self.tr("Dismiss"))
        close.clicked.connect(self._close)
        row.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.restyle()

    def restyle(self) -> None:
        """Tint the background for the palette (light or dark) and the severity."""
        pal = self.palette()
        light, dark = _TINTS.get(self.severity, _TINTS["info"])
        pal.setColor(QPalette.ColorRole.Window, QColor(dark if is_dark(pal) else light))
        self.setPalette(pal)

    def text(self) -> str:
        """The message as shown."""
        return self.label.text()

    def _close(self) -> None:
        self.hide()
        self.closed.emit()
        self.deleteLater()


class MessageBar(QWidget):
    """A stack of messages; each key is shown at most once until dismissed or cleared."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Maximum)
        self.setAccessibleName(self.tr("Messages"))
        self._lay = QVBoxLayout(self)
        self._lay.setContentsMargins(4, 4, 4, 0)
        self._lay.setSpacing(4)
        self.messages: dict[str, Message] = {}
        self.hide()

    def show_message(self, key: str, severity: str, text: str,
                     actions: list[tuple[str, Callable[[], None]]] | None = None) -> Message:
        """Show a message (replacing one with the same key)."""
        self.remove(key)
        msg = Message(key, severity, text, actions or [], self)
        msg.closed.connect(lambda k=key: self._closed(k))
        self.messages[key] = msg
        self._lay.addWidget(msg)
        self.show()
        return msg

    def remove(self, key: str) -> None:
        """Take a message away."""
        msg = self.messages.pop(key, None)
        if msg is not None:
            msg.hide()
            msg.deleteLater()
        if not self.messages:
            self.hide()

    def clear(self) -> None:
        """Take every message away."""
        for key in list(self.messages):
            self.remove(key)

    def texts(self) -> list[str]:
        """Every message shown (tests, and the accessible summary)."""
        return [m.text() for m in self.messages.values()]

    def _closed(self, key: str) -> None:
        self.messages.pop(key, None)
        if not self.messages:
            self.hide()
