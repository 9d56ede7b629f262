"""Per-user folders (platformdirs) for the database, backups, evidence files and logs."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "TheoDoiCCHC"
APP_AUTHOR = "PARTracker"
APP_TITLE = "Theo dõi & Báo cáo CCHC"
APP_VERSION = "0.1.0"
DB_FILENAME = "cchc.db"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR, roaming=False))


def default_db_path() -> Path:
    return data_dir() / DB_FILENAME


def log_dir(db_path: Path | None = None) -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def attachments_dir(db_path: Path) -> Path:
    """Evidence files are copied beside the database, in ``<name>.attachments/`` (``db.attachments``:
    backups, restores and ``migrate-db`` carry the folder)."""
    from db.attachments import attachments_dir_for

    return attachments_dir_for(db_path)
