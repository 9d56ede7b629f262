"""What a return file vouches for: the one place that decides which bytes are hashed and signed.

A return workbook carries two checks over the same *sealed document*:

- ``seal_sha256``, a plain SHA-256: it catches accidents (a damaged copy, a hand edit of the
  hidden sheet) but anyone can recompute it;
- optionally a detached CMS signature (``core.signatures.signing``) made with the unit's certificate: only
  the holder of the private key can make it, so a forger who recomputes the hash is still caught.

The sealed document is the canonical JSON (``core.returns.report_model.canonical_json``) of::

    {"format": 2, "exported_at": "2021-06-18T09:30:00+07:00",
     "content": {…the return as ReturnExport.content() gives it…},
     "package": [{"path": "TaiLieuKiemChung/…", "sha256": "…", "size": 1234}, …]}

so every field that decides whether a file is accepted and which version wins is covered: the
unit, period, form version and status (inside ``content``), and ``exported_at`` (which decides
"newer replaces older"). ``package`` lists the other files of a return package (the PDF report
and the evidence files, ``core.reports.package``) by their SHA-256, so the one signature covers
them too; it is empty for a workbook sent on its own.

``content_sha256`` (the content alone) stays what it was: the same return exported twice has the
same one, which is how a receiving unit recognises a duplicate.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from core.returns.report_model import canonical_json

SEAL_FORMAT = 2


@dataclass(frozen=True)
class PackageFile:
    """A file that travels beside the workbook in a return package, as the seal names it."""

    path: str  # inside the package, "/"-separated
    sha256: str
    size: int

    def as_dict(self) -> dict:
        return {"path": self.path, "sha256": self.sha256, "size": self.size}


def sealed_bytes(content: dict, exported_at: str, package: Iterable[PackageFile] = (), *,
                 content_json: str | None = None) -> bytes:
    """The bytes that ``seal_sha256`` hashes and the signature signs (UTF-8 canonical JSON).

    ``content_json``: ``canonical_json(content)`` when the caller has it already (a province's return
    is megabytes of JSON); the document is then assembled around it, byte for byte the same."""
    if content_json is not None:
        files = canonical_json([p.as_dict() for p in sorted(package, key=lambda p: p.path)])
        # Sorted keys: content, exported_at, format, package.
        return (f'{{"content":{content_json},"exported_at":{canonical_json(exported_at)},'
                f'"format":{SEAL_FORMAT},"package":{files}}}').encode()
    document = {
        "format": SEAL_FORMAT,
        "exported_at": exported_at,
        "content": content,
        "package": [p.as_dict() for p in sorted(package, key=lambda p: p.path)],
    }
    return canonical_json(document).encode("utf-8")


def seal_sha256(content: dict, exported_at: str, package: Iterable[PackageFile] = ()) -> str:
    return hashlib.sha256(sealed_bytes(content, exported_at, package)).hexdigest()
