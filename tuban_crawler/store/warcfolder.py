"""Where an archive's WARC files are: a folder the archive names, so every command finds it from ``--db``.

An archive's WARC folder is, in this order (issue 19):

1. the one asked for (``--warc-dir``, ``WARC_DIR``);
2. of the folders that belong to this archive (their ``tuban-archive-id`` names it): ``warc``
   or ``<name>-warc`` beside the archive (so an archive copied with its folder finds the
   copy), the one the archive records (``crawl_state.warc_dir``, written by the run that
   claimed it), then ``./warc`` in the current folder, where every archive's WARC files went
   before the folder followed the archive;
3. for an archive that has none yet: ``warc`` beside it, unless another archive holds that,
   then ``<name>-warc`` beside it.

So ``wacz --db``, ``warc check --db``, ``replay --db`` run from any folder find the files, and
two archives in one folder each get their own WARC folder without ``--warc-dir``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from tuban_crawler.store.archive import ArchiveStore
from tuban_crawler.store.archivefile import ArchiveFileError

#: The file in a WARC folder naming the archive it belongs to.
WARC_OWNER_FILE = "tuban-archive-id"
#: The WARC folder's name beside the archive (and, before issue 19, in the current folder).
WARC_FOLDER_NAME = "warc"
#: The ``crawl_state`` keys: the folder the archive's WARC files go to, and the archive's own id.
WARC_DIR_STATE = "warc_dir"
ARCHIVE_ID_STATE = "archive_id"


def warc_owner(directory: str | Path) -> str | None:
    """Return the id of the archive whose WARC files DIRECTORY holds, or None when it names none."""
    try:
        return (
            (Path(directory) / WARC_OWNER_FILE)
            .read_text(encoding="ascii", errors="replace")
            .strip()
        )
    except OSError:
        return None


def recorded_state(db_path: str | Path) -> dict[str, str]:
    """Return what the archive at DB_PATH records about its WARC folder (empty for no archive yet)."""
    if not Path(db_path).is_file():
        return {}
    try:
        with ArchiveStore(db_path).open_read_only() as store:
            return {
                key: value
                for key in (WARC_DIR_STATE, ARCHIVE_ID_STATE)
                if (value := store.get_state(key))
            }
    except (sqlite3.Error, ArchiveFileError):
        return {}  # a new, empty or wrong file: the crawl says which


def choose_warc_dir(
    db_path: str | Path,
    asked: str | Path | None,
    recorded: dict[str, str],
    owner_of: Callable[[Path], str | None],
) -> Path:
    """Return the WARC folder of the archive at DB_PATH (see the module's docstring for the order).

    Parameters:
        db_path: the archive file.
        asked: ``--warc-dir`` or ``WARC_DIR`` (empty: not asked).
        recorded: what the archive records (``recorded_state``).
        owner_of: the id of the archive a folder belongs to, if any (``warc_owner``).

    >>> nobody = lambda folder: None
    >>> choose_warc_dir("/data/a.db", None, {}, nobody)
    PosixPath('/data/warc')
    >>> choose_warc_dir("/data/a.db", "mine", {"warc_dir": "/srv/w"}, nobody)
    PosixPath('mine')
    >>> choose_warc_dir("/data/a.db", "", {"warc_dir": "/srv/w", "archive_id": "x"}, lambda f: "x" if f.name == "w" else None)
    PosixPath('/srv/w')
    >>> choose_warc_dir("/data/a.db", None, {"archive_id": "x"}, lambda folder: "x" if folder == Path("warc") else None)
    PosixPath('warc')

    An archive copied with its WARC folder finds the copy; a second archive in a folder gets
    a WARC folder named after it:

    >>> choose_warc_dir("/copy/a.db", None, {"warc_dir": "/data/warc", "archive_id": "x"}, lambda folder: "x")
    PosixPath('/copy/warc')
    >>> choose_warc_dir("/data/b.db", None, {}, lambda folder: "x" if folder.name == "warc" else None)
    PosixPath('/data/b-warc')
    """
    if asked:
        return Path(asked)
    archive_id = recorded.get(ARCHIVE_ID_STATE)
    folder = Path(db_path).parent
    beside, named = folder / WARC_FOLDER_NAME, folder / f"{Path(db_path).stem}-{WARC_FOLDER_NAME}"
    candidates = [beside, named]
    if recorded.get(WARC_DIR_STATE):
        candidates.append(Path(recorded[WARC_DIR_STATE]))
    candidates.append(Path(WARC_FOLDER_NAME))  # ./warc, where archives of before wrote
    for candidate in candidates if archive_id else ():
        if owner_of(candidate) == archive_id:
            return candidate
    return beside if owner_of(beside) is None else named


def find_warc_dir(db_path: str | Path, asked: str | Path | None = None) -> Path:
    """Return the WARC folder of the archive at DB_PATH, or ASKED when given."""
    if asked:
        return Path(asked)
    return choose_warc_dir(db_path, None, recorded_state(db_path), warc_owner)
