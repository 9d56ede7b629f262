"""Export one return to .xlsx and/or .pdf: the one entry point the GUI and the CLI share.

The snapshot is read in one pass, then each file is written atomically. Progress is
reported as ``progress(done, total)`` over the whole job; raising from the callback
(``ExportCancelled`` when the user presses "Hủy") stops the export and leaves no
file behind under the final name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.export_model import ReturnExport, collect_return_export
from core.pdf_export import export_return_pdf
from core.report_header import ReportHeaderInfo
from core.xlsx_export import export_return_xlsx

__all__ = ["ExportCancelled", "ExportResult", "default_paths", "export_return_files", "write_exports"]

_SCALE = 1000


class ExportCancelled(Exception):
    """The user cancelled an export."""


@dataclass(frozen=True)
class ExportResult:
    xlsx: Path | None
    pdf: Path | None
    content_sha256: str
    unit_code: str
    period_code: str

    @property
    def files(self) -> list[Path]:
        return [p for p in (self.xlsx, self.pdf) if p is not None]


def default_paths(data: ReturnExport, folder: Path) -> tuple[Path, Path]:
    """``<folder>/BaoCao_CCHC_<mã>_<kỳ>.xlsx`` and ``.pdf``."""
    stem = data.file_stem()
    return Path(folder) / f"{stem}.xlsx", Path(folder) / f"{stem}.pdf"


def write_exports(
    data: ReturnExport,
    *,
    xlsx: Path | None = None,
    pdf: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    start: int = 0,
) -> ExportResult:
    """Write the requested files from a snapshot; progress runs from ``start`` to 1000."""
    if xlsx is None and pdf is None:
        raise ValueError("Chưa chọn tệp cần xuất (Excel hoặc PDF).")
    span = _SCALE - start
    xlsx_share = span if pdf is None else (0 if xlsx is None else span * 3 // 10)

    def scaled(offset: int, width: int) -> Callable[[int, int], None]:
        def report(done: int, total: int) -> None:
            if progress is not None:
                progress(offset + (width * done // total if total else width), _SCALE)
        return report

    if xlsx is not None:
        digest = export_return_xlsx(data, Path(xlsx), scaled(start, xlsx_share)).content_sha256
    else:
        digest = data.content_sha256()
    if pdf is not None:
        export_return_pdf(data, Path(pdf), scaled(start + xlsx_share, span - xlsx_share))
    if progress is not None:
        progress(_SCALE, _SCALE)
    return ExportResult(Path(xlsx) if xlsx else None, Path(pdf) if pdf else None, digest, data.unit_code,
                        data.period.code)


def export_return_files(
    db,  # noqa: ANN001 - db.engine.Database
    unit: str | int,
    period_code: str,
    *,
    xlsx: Path | None = None,
    pdf: Path | None = None,
    header: ReportHeaderInfo | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ExportResult:
    """Collect the return of ``unit`` (code or id) for ``period_code`` and write the files.

    Safe to call from a worker thread: it opens its own session.
    """
    if progress is not None:
        progress(0, _SCALE)
    with db.session() as session:
        data = collect_return_export(session, unit, period_code, header=header)
    if progress is not None:
        progress(50, _SCALE)
    return write_exports(data, xlsx=xlsx, pdf=pdf, progress=progress, start=50)
