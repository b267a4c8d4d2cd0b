"""Emendo's desktop window (PySide6): a thin Qt layer over emendo.core."""
from __future__ import annotations

import sys


def _pin_none() -> None:
    """Keep None alive under PySide6 6.12 on Python 3.11.

    That PySide6 build returns None from every void method without taking a reference
    (harmless on Python 3.12+, where None is immortal).  On 3.11 each call drops None's
    count by one and the interpreter aborts ("none_dealloc") after a few thousand calls,
    i.e. within seconds of using the window.  Adding a huge count once makes None as good
    as immortal, which is what Python 3.12 does itself.
    """
    if sys.version_info >= (3, 12) or getattr(sys, "_emendo_none_pinned", False):
        return
    import ctypes

    if hasattr(sys, "getobjects"):  # a debug build lays PyObject out differently
        return
    for singleton in (None, True, False):  # bool returns leak the same way
        ctypes.c_ssize_t.from_address(id(singleton)).value += 1 << 40
    sys._emendo_none_pinned = True  # type: ignore[attr-defined]


_pin_none()
