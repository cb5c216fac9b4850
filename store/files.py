"""Writing files so that a crash, a full disk or a planted link never costs what was there:
a temp file beside the target, fsync, `os.replace`, fsync of the folder; folders 0700 and
files 0600 whatever the umask; rotating backups. Every file Weekly writes goes through here."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
from datetime import timedelta
from pathlib import Path

from .errors import StoreError
from .text import visible

BACKUPS_KEPT = 5
BACKUP_EVERY = timedelta(hours=1)
FILE_MODE = 0o600  # whatever the umask: a store is its owner's alone
FOLDER_MODE = 0o700


def fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # some filesystems cannot fsync a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def failure_reason(exc: OSError, what: str = "the store") -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{what} is read-only"
    return exc.strerror or str(exc)


def make_folders(folder: Path) -> None:
    """Create `folder` and any missing parent, each 0700 whatever the umask; existing ones
    are left as they are."""
    missing = []
    for parent in [folder, *folder.parents]:
        if parent.exists() or parent.is_symlink():
            break
        missing.append(parent)
    for parent in reversed(missing):
        try:
            os.mkdir(parent, FOLDER_MODE)
        except FileExistsError:
            continue  # another process made it meanwhile
        os.chmod(parent, FOLDER_MODE)  # mkdir's mode passes through the umask
    if not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(folder))


def check_writable(path: Path, error: type[Exception] = StoreError) -> None:
    """Refuse to replace what is not a plain file: a symlink (it would be followed, or lost),
    a device, pipe or socket (a write would block, or go to a terminal or a disk), a folder.
    Every file a user names or Weekly writes beside the store is checked here first."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode):
        raise error(f"{visible(str(path))}: is a symbolic link; not replaced (remove it, or "
                    f"choose another name)")
    if not stat.S_ISREG(st.st_mode):
        raise error(f"{visible(str(path))}: is not a regular file; not replaced")


def write_file(path: Path, payload: bytes, what: str | None = None, error: type[Exception] = StoreError) -> None:
    """`atomic_write`, after `check_writable`: the one way Weekly writes a file."""
    check_writable(path, error)
    atomic_write(path, payload, what)


def append_text(path: Path, text: str) -> None:
    """Add `text` to the end of `path` (made 0600 if missing), never through a symlink, and
    never blocking: a FIFO or device planted there is refused (O_NONBLOCK opens a FIFO with
    no reader at once, with an error), as is anything but a plain file."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW | os.O_NONBLOCK
                 | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        view = memoryview(text.encode("utf-8"))
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


def keep_beside(path: Path, label: str, text: str) -> Path | None:
    """`text` appended to `PATH.LABEL.txt` beside `path` (what could not be saved, kept); a
    link or FIFO planted at that name is refused and the text goes to a name of this
    process's own. The file written, or None when neither could be."""
    for name in (f"{path.name}.{label}.txt", f"{path.name}.{label}-{os.getpid()}.txt"):
        try:
            append_text(path.with_name(name), text)
        except OSError:
            continue
        return path.with_name(name)
    return None


def write_new(path: Path, payload: bytes) -> bool:
    """Write `payload` to `path` only if nothing is there yet (mode 0600); False if something is."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, FILE_MODE)
    except FileExistsError:
        return False
    try:
        os.fchmod(fd, FILE_MODE)
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    except OSError:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise
    os.close(fd)
    fsync_folder(path.parent)
    return True


def atomic_write(path: Path, payload: bytes, what: str | None = None) -> None:
    """Replace `path` with `payload` so that a crash at any moment leaves old or new, whole.
    A symlink at `path` is replaced, not followed (the store resolves its own links first).
    `what` names what holds the file in a failure message (default: the store)."""
    # os.urandom, not secrets: a unique name needs no hashlib/hmac at start-up
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{os.urandom(3).hex()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        try:
            os.fchmod(fd, FILE_MODE)  # the umask may have taken bits from O_CREAT's mode
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if what is not None:
            raise StoreError(f"could not write {visible(str(path))}: {failure_reason(exc, what)}") from exc
        raise StoreError(f"could not save {visible(path.name)}: {failure_reason(exc)}; nothing was changed") from exc
    fsync_folder(path.parent)


def backup_paths(path: Path) -> list[Path]:
    return [path.with_name(f"{path.name}.bak{i}") for i in range(1, BACKUPS_KEPT + 1)]


def rotate_backups(path: Path, now: float | None = None) -> None:
    """Keep the version about to be replaced, at most once per BACKUP_EVERY. A symlinked
    file's backups sit beside the link, copies of its target's content, never links."""
    if not path.exists():
        return
    real = os.path.realpath(path)
    baks = backup_paths(path)
    now = time.time() if now is None else now
    with contextlib.suppress(FileNotFoundError):
        if now - baks[0].stat().st_mtime < BACKUP_EVERY.total_seconds():
            return
    with contextlib.suppress(FileNotFoundError):
        baks[-1].unlink()
    for older, newer in zip(reversed(baks[1:]), reversed(baks[:-1])):
        with contextlib.suppress(FileNotFoundError):
            os.replace(newer, older)
    try:
        os.link(real, baks[0], follow_symlinks=False)  # the inode survives the coming os.replace
    except OSError:
        import shutil

        shutil.copyfile(real, baks[0])
    os.chmod(baks[0], FILE_MODE)  # an older Weekly (or stock TinyDB) left files 0644
    os.utime(baks[0], (now, now))
