"""Warnings about places where an SQLite project file is at risk.

SQLite's locking and durability assume a local disk.  Network filesystems implement
byte-range locks and fsync loosely, and sync clients (Dropbox, OneDrive, …) copy the file
while it is half-written or replace it with a "conflicted copy" — the classic ways a
project gets corrupted.  Emendo cannot prevent that, but it can say so when a project is
opened there.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

# Filesystem types (as /proc/mounts names them) that live on another machine.
NETWORK_FS_TYPES: frozenset[str] = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "sshfs", "fuse.sshfs",
    "9p", "afs", "openafs", "ncpfs", "coda", "ceph", "fuse.ceph", "glusterfs",
    "fuse.glusterfs", "lustre", "gpfs", "davfs", "fuse.davfs2", "fuse.rclone",
    "fuse.s3fs", "fuse.gcsfuse", "fuse.smbnetfs", "fuse.curlftpfs", "virtiofs",
})

# Folder names that sync clients create, each with the service it belongs to.  Matched
# against whole path components (case-insensitive), so "dropbox-notes" does not match.
_SYNC_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^dropbox( \(.+\))?$", re.I), "Dropbox"),
    (re.compile(r"^onedrive( - .+)?$", re.I), "OneDrive"),
    (re.compile(r"^onedrive-.+$", re.I), "OneDrive"),  # macOS CloudStorage/OneDrive-Personal
    (re.compile(r"^google ?drive$", re.I), "Google Drive"),
    (re.compile(r"^googledrive-.+$", re.I), "Google Drive"),  # macOS CloudStorage
    (re.compile(r"^my drive$", re.I), "Google Drive"),
    (re.compile(r"^icloud ?drive$", re.I), "iCloud Drive"),
    (re.compile(r"^mobile documents$", re.I), "iCloud Drive"),
    (re.compile(r"^com~apple~clouddocs$", re.I), "iCloud Drive"),
)

MountsSource = Callable[[], str]


def read_proc_mounts() -> str:
    """The text of /proc/mounts ('' where there is none, e.g. macOS or Windows)."""
    try:
        with open("/proc/mounts", encoding="utf-8", errors="replace") as fh:
            return fh.read()
    except OSError:
        return ""


def _unescape(field: str) -> str:
    # /proc/mounts writes space, tab, newline and backslash as octal escapes.
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def parse_mounts(text: str) -> list[tuple[str, str]]:
    """(mount point, filesystem type) pairs from /proc/mounts text."""
    mounts = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3:
            mounts.append((_unescape(parts[1]), parts[2]))
    return mounts


def filesystem_type(path: Path, mounts_text: str | None = None) -> str | None:
    """The type of the filesystem holding ``path`` (longest matching mount point)."""
    text = read_proc_mounts() if mounts_text is None else mounts_text
    target = _absolute(path)
    best: tuple[int, str] | None = None
    for point, fstype in parse_mounts(text):
        p = Path(point)
        if target == p or p in target.parents:
            depth = len(p.parts)
            # Later lines win at equal depth: they are mounted over the earlier ones.
            if best is None or depth >= best[0]:
                best = (depth, fstype)
    return best[1] if best else None


def sync_service(path: Path) -> str | None:
    """The sync service whose folder holds ``path`` (Dropbox, OneDrive, …), or None."""
    for part in _absolute(path).parts:
        for pattern, service in _SYNC_PATTERNS:
            if pattern.match(part):
                return service
    return None


def risky_location(path: Path, mounts_text: str | None = None) -> str | None:
    """A warning sentence when the project sits somewhere SQLite files get corrupted, else None.

    ``mounts_text`` replaces the contents of /proc/mounts (for tests).
    """
    path = Path(path)
    fstype = filesystem_type(path, mounts_text)
    if fstype is not None and _is_network(fstype):
        return (f"{path.name} is on a network filesystem ({fstype}); SQLite files there can "
                "be corrupted by other computers or a dropped connection. Keep the project "
                "on a local disk and copy it elsewhere as a backup.")
    service = sync_service(path)
    if service is not None:
        return (f"{path.name} is inside a {service} folder; a sync client can copy or replace "
                "the file while Emendo writes it and corrupt the project. Keep the project "
                f"outside {service} and sync a backup instead.")
    return None


def _is_network(fstype: str) -> bool:
    fstype = fstype.lower()
    if fstype in NETWORK_FS_TYPES:
        return True
    # fuse.<tool>: judge by the tool; nfs variants and smb versions by their prefix.
    base = fstype.split(".", 1)[1] if fstype.startswith("fuse.") else fstype
    return base in NETWORK_FS_TYPES or base.startswith(("nfs", "smb", "cifs"))


def _absolute(path: Path) -> Path:
    # resolve() follows symlinks (a link into Dropbox is still in Dropbox); a path that
    # does not exist yet resolves as far as it can.
    try:
        return Path(path).expanduser().resolve()
    except (OSError, RuntimeError):
        return Path(path).expanduser().absolute()
