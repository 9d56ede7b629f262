"""Saved import mappings: the column choices a user confirmed for an imported table, remembered per header.

An office sends its plan (or its hand-made return) in the same layout every time. Once the user has said which
column is which (``import-plan --map E=lead``, the plan import dialog, ``import-returns --handmade --columns``),
the mapping is stored under the *signature* of the table's header row — the SHA-256 of its cells, each
normalised (NFC, case folded, spaces collapsed), with their column letters — and offered again for the next file
whose header has the same signature. Mappings are listed and deleted in Cài đặt (``list_mappings``,
``delete_mapping``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import Refused
from core.vnformat import format_datetime, nfc, utc_to_local
from db.models import SavedMapping

__all__ = ["KINDS", "MappingInfo", "delete_mapping", "header_signature", "list_mappings", "remember_mapping",
           "saved_mapping"]

KINDS = {"plan": "Kế hoạch", "handmade": "Biểu điền tay"}


def _norm(text: str | None) -> str:
    return " ".join(nfc(text or "").casefold().split())


def header_signature(headers: list[tuple[str, str]]) -> str:
    """The signature of a header row given as (column letter, text) pairs; empty cells do not count."""
    cells = [f"{letter}={_norm(text)}" for letter, text in headers if _norm(text)]
    return hashlib.sha256("\x1f".join(cells).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class MappingInfo:
    id: int
    kind: str
    kind_label: str
    headers: str  # "A: STT · B: Nhiệm vụ · …"
    mapping: dict[str, str]
    file_name: str
    created: str  # "18/06/2021 09:30"
    used: str
    use_count: int

    @property
    def mapping_text(self) -> str:
        return ", ".join(f"{col}={field}" for col, field in sorted(self.mapping.items()))

    def as_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "headers": self.headers, "mapping": dict(self.mapping),
                "file": self.file_name, "created": self.created, "used": self.used, "use_count": self.use_count}


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise Refused(f"Loại cách chọn cột “{kind}” không có (chỉ có: {', '.join(KINDS)}).")


def saved_mapping(session: Session, kind: str, headers: list[tuple[str, str]]) -> SavedMapping | None:
    """The mapping saved for this header, if any."""
    _check_kind(kind)
    return session.scalar(select(SavedMapping).where(SavedMapping.kind == kind,
                                                     SavedMapping.signature == header_signature(headers)))


def remember_mapping(session: Session, kind: str, headers: list[tuple[str, str]], mapping: dict[str, str], *,
                     file_name: str | None = None, user: str | None = None) -> SavedMapping:
    """Store (or replace) the confirmed ``mapping`` (column letter → field) for this header."""
    _check_kind(kind)
    row = saved_mapping(session, kind, headers)
    if row is None:
        row = SavedMapping(kind=kind, signature=header_signature(headers), use_count=0,
                           created_at=datetime.now(UTC).replace(tzinfo=None))
        session.add(row)
    row.headers = [[letter, nfc(text)] for letter, text in headers if _norm(text)]
    row.mapping = {str(k).upper(): str(v) for k, v in sorted(mapping.items())}
    row.file_name = nfc(file_name) if file_name else None
    row.created_by = user
    session.flush()
    return row


def mark_used(row: SavedMapping) -> None:
    row.use_count = (row.use_count or 0) + 1
    row.used_at = datetime.now(UTC).replace(tzinfo=None)


def _when(value: datetime | None) -> str:
    return format_datetime(utc_to_local(value)) if value else ""


def list_mappings(session: Session) -> list[MappingInfo]:
    rows = session.scalars(select(SavedMapping).order_by(SavedMapping.kind, SavedMapping.id))
    return [MappingInfo(r.id, r.kind, KINDS.get(r.kind, r.kind),
                        " · ".join(f"{letter}: {text}" for letter, text in r.headers),
                        dict(r.mapping), r.file_name or "", _when(r.created_at), _when(r.used_at), r.use_count or 0)
            for r in rows]


def delete_mapping(session: Session, mapping_id: int) -> MappingInfo:
    """Forget one saved mapping; the next file with that header is mapped afresh."""
    info = next((m for m in list_mappings(session) if m.id == mapping_id), None)
    if info is None:
        raise Refused(f"Không có cách chọn cột đã lưu số {mapping_id}.")
    session.delete(session.get(SavedMapping, mapping_id))
    session.flush()
    return info
