"""Writes project-v2.emendo: a project in format 2, kept as legacy test data.

Format 2 stored every source file zlib-compressed whole.  The file was written with this
script by Emendo at format 2 (commit 988ef0b) and is committed: the model cable fixed by
typing and marked, an undone field change, and a plain note with CRLF line ends whose fix
was undone and redone, so that every later format must read all of it.
"""
from __future__ import annotations

import sys
from pathlib import Path

from emendo.core.importers import import_path, parse_text
from emendo.core.project import Project

HERE = Path(__file__).resolve().parent
CABLE = HERE / "000_prc-moscow-1965-04-17_signs-false-anti-imperialism.txt"
NOTE = "A plain note\r\nwith CRLF line ends – and Кириллица, 中文.\r\n"


def main(path: Path) -> None:
    path.unlink(missing_ok=True)
    with Project.open(path) as p:
        p.import_documents([import_path(CABLE), parse_text(NOTE, "note.txt")])
        text = p.document(1).text
        at = text.index("forein")
        p.edit_text(1, at, len("forein"), "foreign")  # a fix by typing
        at = p.document(1).text.index("Izvestia")
        p.add_span(1, "unclear", at, at + len("Izvestia"), {"reason": "faded"})
        p.set_field(1, "priority", "Very Urgent")
        p.undo()  # the priority change
        at = p.document(2).text.index("plain")
        p.edit_text(2, at, len("plain"), "short")
        p.undo()
        p.redo()  # a redone fix


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "project-v2.emendo")
