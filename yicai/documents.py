"""Uploaded documents kept beside a record (a scanned case book, a signed agreement): what
they may be, checked by their first bytes, where they are kept (under a random name: the
uploaded one may name a patient or a person), and how they are sent back to whoever may see
the record. MEDIA_ROOT is never served directly."""

import uuid
from pathlib import Path
from typing import Any

from django.core.files import File
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024
# What a document may be, by its first bytes (the name and the browser's type can lie), and
# the suffix it is kept and served with.
KINDS = {b"%PDF-": ".pdf", b"\xff\xd8\xff": ".jpg", b"\x89PNG\r\n\x1a\n": ".png"}


@deconstructible
class KeptUnder:
    """An `upload_to` keeping files in `folder` under random names, with the suffix the
    service gave them from their content (a class, so that migrations can name it)."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def __call__(self, _record: Any, filename: str) -> str:
        return f"{self.folder}/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:8]}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, KeptUnder) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


def checked_suffix(upload: File[bytes], field: str, label: str, errors: dict[str, str]) -> str:
    """The suffix of an upload that is a PDF, JPG or PNG of at most 10 MB; else "" and the
    problem in `errors[field]`, naming the document as `label` (扫描件, 协议文本)."""
    if upload.size is not None and upload.size > MAX_BYTES:
        errors[field] = _("%s不能超过 10 MB。") % label
        return ""
    head = upload.read(8)
    upload.seek(0)
    suffix = next((kind for start, kind in KINDS.items() if head.startswith(start)), "")
    if not suffix:
        errors[field] = _("%s须是 PDF、JPG 或 PNG 文件。") % label
    return suffix


def download(document: FieldFile, name: str) -> FileResponse:
    """The document as an attachment called `name` (plus its suffix); 404 when there is
    none, or its file is gone."""
    if not document:
        raise Http404
    try:
        opened = document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    suffix = Path(document.name or "").suffix
    return FileResponse(opened, as_attachment=True, filename=f"{name}{suffix}")
