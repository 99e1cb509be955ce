"""Uploaded recordings, slides and attachments checked by content (decision 0032).

`check_upload` reads the first bytes of a file and decides what it really is,
whatever its name says: MP4, M4A, WebM and MP3 recordings; PDF, PPTX, DOCX and ODP
documents and PNG, JPEG, GIF and WebP images for slides and attachments. Office and
OpenDocument files are ZIP archives: their entries are listed and one small part read
(`[Content_Types].xml`, or ODF's `mimetype`), nothing is extracted. A refusal is a
`ValidationError` whose message names the problem; the file's read position is the
same afterwards.

Pure Python: no models, no database, no settings (the caller passes the limit).
"""

from __future__ import annotations

import io
import os
import re
import struct
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Literal

from django.core.exceptions import ValidationError

MB = 1024 * 1024
# Bytes read to decide a type: enough for any signature and an EBML header.
HEAD_BYTES = 4096
# Largest [Content_Types].xml read from an Office file (uncompressed): real ones are
# a few KB, so anything near this is a ZIP bomb or not an Office file.
MAX_CONTENT_TYPES_BYTES = 1 * MB
# ODF's `mimetype` entry is one short line.
_MAX_MIMETYPE_BYTES = 100

Category = Literal["audio", "video", "document", "image", "archive"]


@dataclass(frozen=True)
class UploadKind:
    """What an uploaded file is: how to name it to people, serve it and store it."""

    key: str  # "mp4"
    name: str  # "MP4": in "choose an MP4, WebM, MP3 or M4A recording"
    label: str  # "MP4 video": in "This file is an MP4 video"
    article: str  # "an": before both name and label
    mime_type: str
    extension: str  # to store it with, without the dot
    category: Category
    # Extensions a name may have for this content (the stored one first).
    extensions: tuple[str, ...]

    @property
    def is_audio(self) -> bool:
        return self.category == "audio"

    @property
    def is_video(self) -> bool:
        return self.category == "video"

    @property
    def is_document(self) -> bool:
        return self.category == "document"

    @property
    def is_image(self) -> bool:
        return self.category == "image"


def _kind(
    key: str,
    name: str,
    label: str,
    article: str,
    mime_type: str,
    category: Category,
    *extensions: str,
) -> UploadKind:
    return UploadKind(
        key=key,
        name=name,
        label=label,
        article=article,
        mime_type=mime_type,
        extension=extensions[0],
        category=category,
        extensions=extensions,
    )


MP4 = _kind("mp4", "MP4", "MP4 video", "an", "video/mp4", "video", "mp4", "m4v")
WEBM = _kind("webm", "WebM", "WebM video", "a", "video/webm", "video", "webm")
MP3 = _kind("mp3", "MP3", "MP3 audio file", "an", "audio/mpeg", "audio", "mp3")
# An M4A file is an MP4 container with audio only: named .mp4 it is still accepted.
M4A = _kind("m4a", "M4A", "M4A audio file", "an", "audio/mp4", "audio", "m4a", "mp4")
PDF = _kind("pdf", "PDF", "PDF document", "a", "application/pdf", "document", "pdf")
PPTX = _kind(
    "pptx",
    "PPTX",
    "PowerPoint presentation (PPTX)",
    "a",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "document",
    "pptx",
)
DOCX = _kind(
    "docx",
    "DOCX",
    "Word document (DOCX)",
    "a",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "document",
    "docx",
)
ODP = _kind(
    "odp",
    "ODP",
    "OpenDocument presentation (ODP)",
    "an",
    "application/vnd.oasis.opendocument.presentation",
    "document",
    "odp",
)
PNG = _kind("png", "PNG", "PNG image", "a", "image/png", "image", "png")
JPEG = _kind("jpeg", "JPEG", "JPEG image", "a", "image/jpeg", "image", "jpg", "jpeg")
GIF = _kind("gif", "GIF", "GIF image", "a", "image/gif", "image", "gif")
WEBP = _kind("webp", "WebP", "WebP image", "a", "image/webp", "image", "webp")
# Recognised so that a refusal can say what a file is; never among the accepted kinds.
ZIP = _kind("zip", "ZIP", "ZIP archive", "a", "application/zip", "archive", "zip")
MATROSKA = _kind("mkv", "MKV", "Matroska video (MKV)", "a", "video/x-matroska", "video", "mkv")

RECORDING_KINDS: frozenset[UploadKind] = frozenset({MP4, WEBM, MP3, M4A})
SLIDE_KINDS: frozenset[UploadKind] = frozenset({PDF, PPTX, DOCX, ODP, PNG, JPEG, GIF, WEBP})
# The order kinds are listed in messages.
ALL_KINDS: tuple[UploadKind, ...] = (
    MP4,
    WEBM,
    MP3,
    M4A,
    PDF,
    PPTX,
    DOCX,
    ODP,
    PNG,
    JPEG,
    GIF,
    WEBP,
    ZIP,
    MATROSKA,
)
_BY_EXTENSION: dict[str, UploadKind] = {}
for _each in ALL_KINDS:
    for _extension in _each.extensions:
        _BY_EXTENSION.setdefault(_extension, _each)

# ISO BMFF major or compatible brands of an MP4 video.
_MP4_BRANDS = frozenset(
    {
        b"isom",
        b"iso2",
        b"iso3",
        b"iso4",
        b"iso5",
        b"iso6",
        b"mp41",
        b"mp42",
        b"avc1",
        b"M4V ",
        b"M4VH",
        b"M4VP",
        b"dash",
        b"mmp4",
    }
)
_M4A_BRANDS = frozenset({b"M4A "})
_OFFICE_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
}
_OVERRIDE = re.compile(rb"<Override\b([^>]*)>")
_ATTRIBUTE = re.compile(rb"""\b(PartName|ContentType)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# An MPEG audio frame header: sync, version not reserved, Layer III, a bitrate
# index neither free (0) nor bad (15), a sample rate index not reserved (3).
_MPEG_VERSIONS = {0b00, 0b10, 0b11}


def check_upload(
    file: bytes | IO[bytes],
    *,
    kinds: Iterable[UploadKind],
    max_bytes: int,
    name: str | None = None,
) -> UploadKind:
    """The kind of an uploaded file, decided by its content; ValidationError otherwise.

    `file` is a Django `UploadedFile`, a binary file object (seekable) or bytes;
    `name` defaults to the file's own name. Refused, in this order: an empty file,
    one over `max_bytes`, content not recognised, a name whose extension is another
    known type's, a kind not among `kinds`, an Office file whose
    `[Content_Types].xml` is over 1 MB uncompressed. Side effects: none (the read
    position is restored).
    """
    allowed = frozenset(kinds)
    stream: IO[bytes] = io.BytesIO(file) if isinstance(file, (bytes, bytearray)) else file
    if name is None:
        own = getattr(file, "name", None)
        name = PurePath(own).name if isinstance(own, str) and own else None
    position = stream.tell()
    try:
        size = stream.seek(0, os.SEEK_END)
        called = name or "This file"
        if size == 0:
            raise ValidationError(f"{called} is empty.", code="empty")
        if size > max_bytes:
            raise ValidationError(
                f"{called} is {_megabytes(size)}; the limit is {_megabytes(max_bytes)}.",
                code="too_large",
            )
        stream.seek(0)
        head = stream.read(HEAD_BYTES)
        kind = _sniff(head)
        if kind is ZIP:
            kind = _inspect_zip(stream)
        if kind is None:
            raise ValidationError(
                f"The content of {name or 'this file'} is not a type Convene recognises;"
                f" choose {_choices(allowed)}.",
                code="unrecognised",
            )
        extension = PurePath(name).suffix.lower().lstrip(".") if name else ""
        claimed = _BY_EXTENSION.get(extension)
        if claimed is not None and extension not in kind.extensions:
            raise ValidationError(
                f"{name} is not {claimed.article} {claimed.name}: its content is"
                f" {kind.article} {kind.label}.",
                code="mismatch",
            )
        if kind not in allowed:
            raise ValidationError(
                f"{called} is {kind.article} {kind.label}; choose {_choices(allowed)}.",
                code="kind",
            )
        return kind
    finally:
        stream.seek(position)


def _megabytes(size: int) -> str:
    """ "500 MB", "612.4 MB": tenths rounded up, so a file over a limit never shows as equal."""
    tenths = -(-size * 10 // MB)
    return f"{tenths // 10} MB" if tenths % 10 == 0 else f"{tenths / 10:.1f} MB"


def _choices(allowed: frozenset[UploadKind]) -> str:
    """ "an MP4, WebM, MP3 or M4A recording" for the allowed kinds, in a fixed order."""
    listed = [kind for kind in ALL_KINDS if kind in allowed]
    if not listed:
        return "another file"
    names = [kind.name for kind in listed]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    noun = "recording" if all(k.is_audio or k.is_video for k in listed) else "file"
    return f"{listed[0].article} {joined} {noun}"


def _sniff(head: bytes) -> UploadKind | None:
    """The kind the first bytes show (ZIP for any ZIP archive), or None."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return ZIP
    if head[4:8] == b"ftyp":
        return _iso_bmff(head)
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return _ebml(head)
    if _is_id3(head) or _is_mpeg_audio_frame(head):
        return MP3
    return None


def _iso_bmff(head: bytes) -> UploadKind | None:
    """MP4 or M4A by the `ftyp` box's major brand, else its compatible brands."""
    (box_size,) = struct.unpack(">I", head[:4])
    if box_size < 16 or box_size > len(head):
        return None
    major = head[8:12]
    compatible = {head[at : at + 4] for at in range(16, box_size - 3, 4)}
    if major in _M4A_BRANDS:
        return M4A
    if major in _MP4_BRANDS:
        return MP4
    if compatible & _M4A_BRANDS:
        return M4A
    if compatible & _MP4_BRANDS:
        return MP4
    return None


def _vint(data: bytes, at: int, *, keep_marker: bool) -> tuple[int, int]:
    """An EBML variable-length integer at `at`: (value, position after it)."""
    if at >= len(data) or data[at] == 0:
        raise ValueError("not an EBML integer")
    first = data[at]
    length = 8 - first.bit_length() + 1
    if at + length > len(data):
        raise ValueError("EBML integer cut short")
    value = first if keep_marker else first & ((1 << (8 - length)) - 1)
    for byte in data[at + 1 : at + length]:
        value = (value << 8) | byte
    return value, at + length


def _ebml(head: bytes) -> UploadKind | None:
    """WebM or Matroska by the EBML header's DocType."""
    try:
        _, at = _vint(head, 0, keep_marker=True)  # the EBML element's ID
        header_size, at = _vint(head, at, keep_marker=False)
        end = min(at + header_size, len(head))
        while at < end:
            element, at = _vint(head, at, keep_marker=True)
            size, at = _vint(head, at, keep_marker=False)
            if element == 0x4282:  # DocType
                doc_type = head[at : at + size].rstrip(b"\x00")
                return {b"webm": WEBM, b"matroska": MATROSKA}.get(doc_type)
            at += size
    except ValueError:
        return None
    return None


def _is_id3(head: bytes) -> bool:
    """An ID3v2 tag: "ID3", a version 2-4, flags, and a size of 7-bit bytes."""
    return (
        len(head) >= 10
        and head.startswith(b"ID3")
        and head[3] in (2, 3, 4)
        and all(byte < 0x80 for byte in head[6:10])
    )


def _is_mpeg_audio_frame(head: bytes) -> bool:
    """An MPEG audio Layer III frame header at the start."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version = (head[1] >> 3) & 0b11
    layer = (head[1] >> 1) & 0b11
    bitrate = head[2] >> 4
    sample_rate = (head[2] >> 2) & 0b11
    return (
        version in _MPEG_VERSIONS and layer == 0b01 and bitrate not in (0, 15) and sample_rate != 3
    )


def _inspect_zip(stream: IO[bytes]) -> UploadKind:
    """PPTX, DOCX or ODP by the archive's entries; ZIP for any other archive.

    Reads the central directory and at most one small entry; extracts nothing.
    """
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            entries = archive.infolist()
            if entries and entries[0].filename == "mimetype":
                mimetype = _read_entry(archive, entries[0], _MAX_MIMETYPE_BYTES)
                if mimetype is not None and mimetype.strip() == ODP.mime_type.encode():
                    return ODP
                return ZIP
            names = {entry.filename for entry in entries}
            if "[Content_Types].xml" not in names:
                return ZIP
            entry = archive.getinfo("[Content_Types].xml")
            content_types = _read_entry(archive, entry, MAX_CONTENT_TYPES_BYTES)
            if content_types is None:
                raise ValidationError(
                    "This Office file's [Content_Types].xml is larger than"
                    f" {_megabytes(MAX_CONTENT_TYPES_BYTES)} uncompressed: it is not a"
                    " real presentation or document.",
                    code="zip_bomb",
                )
            return _office_kind(content_types, names)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, EOFError, OSError):
        # Damaged, encrypted or cut-short archives: still a ZIP, never an Office file.
        return ZIP


def _read_entry(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, limit: int) -> bytes | None:
    """An entry's bytes, or None when it is over `limit` (declared or actually)."""
    if entry.file_size > limit:
        return None
    with archive.open(entry) as opened:
        data = opened.read(limit + 1)
    return None if len(data) > limit else data


def _office_kind(content_types: bytes, names: set[str]) -> UploadKind:
    """PPTX or DOCX when an Override names an existing part with the main content type."""
    for override in _OVERRIDE.finditer(content_types):
        attributes = {
            match.group(1): (match.group(2) or match.group(3) or b"")
            for match in _ATTRIBUTE.finditer(override.group(1))
        }
        content_type = attributes.get(b"ContentType", b"").decode("utf-8", "replace")
        part = attributes.get(b"PartName", b"").decode("utf-8", "replace").lstrip("/")
        kind = _OFFICE_MAIN_PARTS.get(content_type.strip())
        if kind is not None and part in names:
            return kind
    return ZIP
