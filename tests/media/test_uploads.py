"""Uploads checked by content, not by name (convene.media.uploads, decision 0032).

Every sample is built here from its format's first bytes: no binaries in the repository.
"""

import io
import struct
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from convene.media.uploads import (
    MAX_CONTENT_TYPES_BYTES,
    MB,
    RECORDING_KINDS,
    SLIDE_KINDS,
    UploadKind,
    check_upload,
)

LIMIT = 5 * MB
PPTX_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
ODP_TYPE = "application/vnd.oasis.opendocument.presentation"


def ftyp(major: bytes, *compatible: bytes) -> bytes:
    body = major + b"\x00\x00\x02\x00" + b"".join(compatible)
    return struct.pack(">I", 8 + len(body)) + b"ftyp" + body + b"\x00\x00\x00\x08free"


def ebml(doc_type: bytes) -> bytes:
    # EBMLVersion 1, then DocType; sizes as one-byte EBML integers (0x80 | n).
    children = b"\x42\x86\x81\x01" + b"\x42\x82" + bytes([0x80 | len(doc_type)]) + doc_type
    return b"\x1a\x45\xdf\xa3" + bytes([0x80 | len(children)]) + children + b"\x18\x53\x80\x67"


def office(main_type: str, part: str, *, named: str | None = None) -> bytes:
    """An Office-like archive whose main part is `part`; `named` is the part its
    [Content_Types].xml names, when that differs."""
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{named or part}" ContentType="{main_type}"/>'
        "</Types>"
    )
    return zip_of({"[Content_Types].xml": types.encode(), part: b"<x/>"})


def zip_of(entries: dict[str, bytes], *, first_stored: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(entries.items()):
            stored = first_stored and index == 0
            archive.writestr(name, data, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def odp() -> bytes:
    return zip_of(
        {"mimetype": ODP_TYPE.encode(), "content.xml": b"<office:document-content/>"},
        first_stored=True,
    )


SAMPLES = {
    "mp4-isom": (ftyp(b"isom", b"isom", b"iso2", b"avc1", b"mp41"), "mp4"),
    "mp4-mp42": (ftyp(b"mp42", b"mp42", b"isom"), "mp4"),
    "mp4-by-compatible-brand": (ftyp(b"XXXX", b"avc1"), "mp4"),
    "m4v": (ftyp(b"M4V ", b"M4V ", b"mp42"), "mp4"),
    "m4a": (ftyp(b"M4A ", b"M4A ", b"mp42", b"isom"), "m4a"),
    "webm": (ebml(b"webm"), "webm"),
    "mp3-id3": (b"ID3\x04\x00\x00\x00\x00\x00\x21" + b"\x00" * 40, "mp3"),
    # MPEG-1 Layer III, 128 kbit/s, 44.1 kHz.
    "mp3-frame": (b"\xff\xfb\x90\x64" + b"\x00" * 40, "mp3"),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "pdf"),
    "pptx": (office(PPTX_MAIN, "ppt/presentation.xml"), "pptx"),
    "docx": (office(DOCX_MAIN, "word/document.xml"), "docx"),
    "odp": (odp(), "odp"),
    "png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 17, "png"),
    "jpeg": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20, "jpeg"),
    "gif": (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "gif"),
    "webp": (b"RIFF\x1a\x00\x00\x00WEBPVP8 " + b"\x00" * 18, "webp"),
}
RECORDINGS = {"mp4", "m4a", "webm", "mp3"}


def refusal(data, *, kinds=RECORDING_KINDS, max_bytes=LIMIT, name=None) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_upload(data, kinds=kinds, max_bytes=max_bytes, name=name)
    return caught.value


@pytest.mark.parametrize("sample", SAMPLES)
def test_each_kind_is_recognised_by_its_content(sample):
    data, key = SAMPLES[sample]
    kinds = RECORDING_KINDS if key in RECORDINGS else SLIDE_KINDS

    kind = check_upload(data, kinds=kinds, max_bytes=LIMIT)

    assert kind.key == key
    assert kind in kinds


@pytest.mark.parametrize("sample", SAMPLES)
def test_a_named_upload_is_accepted_under_its_own_extension(sample):
    data, key = SAMPLES[sample]
    kinds = RECORDING_KINDS if key in RECORDINGS else SLIDE_KINDS
    upload = SimpleUploadedFile(f"talk.{key}", data)

    kind = check_upload(upload, kinds=kinds, max_bytes=LIMIT)

    assert kind.key == key
    assert upload.tell() == 0


def test_the_kinds_say_how_to_store_and_serve_them():
    kinds = {kind.key: kind for kind in RECORDING_KINDS | SLIDE_KINDS}

    assert kinds["mp4"] == UploadKind(
        key="mp4",
        name="MP4",
        label="MP4 video",
        article="an",
        mime_type="video/mp4",
        extension="mp4",
        category="video",
        extensions=("mp4", "m4v"),
    )
    assert (kinds["m4a"].mime_type, kinds["m4a"].extension, kinds["m4a"].is_audio) == (
        "audio/mp4",
        "m4a",
        True,
    )
    assert (kinds["jpeg"].extension, kinds["jpeg"].is_image) == ("jpg", True)
    assert kinds["pptx"].is_document
    assert not kinds["pptx"].is_video
    assert kinds["webm"].is_video
    assert kinds["mp3"].is_audio
    assert {kind.key for kind in RECORDING_KINDS} == RECORDINGS
    assert {kind.key for kind in SLIDE_KINDS} == {
        "pdf",
        "pptx",
        "docx",
        "odp",
        "png",
        "jpeg",
        "gif",
        "webp",
    }


def test_a_kind_not_among_those_allowed_is_refused_naming_both():
    error = refusal(SAMPLES["pdf"][0])

    assert error.code == "kind"
    assert error.messages == [
        "This file is a PDF document; choose an MP4, WebM, MP3 or M4A recording."
    ]


def test_a_recording_offered_as_slides_is_refused():
    error = refusal(SimpleUploadedFile("talk.mp4", SAMPLES["mp4-isom"][0]), kinds=SLIDE_KINDS)

    assert error.messages == [
        "talk.mp4 is an MP4 video; choose a PDF, PPTX, DOCX, ODP, PNG, JPEG, GIF or WebP file."
    ]


def test_a_name_that_says_one_thing_and_content_another_is_refused():
    renamed = SimpleUploadedFile("report.pdf", SAMPLES["docx"][0])

    error = refusal(renamed, kinds=SLIDE_KINDS)

    assert error.code == "mismatch"
    assert error.messages == ["report.pdf is not a PDF: its content is a Word document (DOCX)."]


def test_a_plain_zip_renamed_to_an_office_extension_is_refused():
    archive = zip_of({"notes.txt": b"hello"})

    error = refusal(SimpleUploadedFile("slides.pptx", archive), kinds=SLIDE_KINDS)

    assert error.messages == ["slides.pptx is not a PPTX: its content is a ZIP archive."]


def test_a_pdf_renamed_to_a_recording_is_refused():
    error = refusal(SimpleUploadedFile("talk.mp4", SAMPLES["pdf"][0]))

    assert error.messages == ["talk.mp4 is not an MP4: its content is a PDF document."]


def test_an_m4a_named_mp4_is_accepted_as_audio():
    kind = check_upload(
        SimpleUploadedFile("talk.mp4", SAMPLES["m4a"][0]), kinds=RECORDING_KINDS, max_bytes=LIMIT
    )

    assert kind.key == "m4a"


def test_an_unknown_extension_does_not_decide_the_type():
    kind = check_upload(
        SimpleUploadedFile("talk.bin", SAMPLES["webm"][0]), kinds=RECORDING_KINDS, max_bytes=LIMIT
    )

    assert kind.key == "webm"


def test_content_no_one_recognises_is_refused():
    error = refusal(SimpleUploadedFile("talk.mp4", b"just some text, not a video"))

    assert error.code == "unrecognised"
    assert error.messages == [
        "The content of talk.mp4 is not a type Convene recognises;"
        " choose an MP4, WebM, MP3 or M4A recording."
    ]


@pytest.mark.parametrize(
    "data",
    [
        ebml(b"matroska"),
        ftyp(b"qt  ", b"qt  "),
        b"\xff\xf1\x50\x80" + b"\x00" * 20,  # AAC in ADTS: a frame sync, but not Layer III
        b"ID3\x09\x00\x00\x00\x00\x00\x21",  # not an ID3 version
        zip_of({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<x/>"}),
        # The main part's content type names a part the archive does not have.
        office(PPTX_MAIN, "ppt/presentation.xml", named="ppt/other.xml"),
        zip_of({"mimetype": b"application/vnd.oasis.opendocument.text"}, first_stored=True),
    ],
    ids=["matroska", "quicktime", "adts", "bad-id3", "no-main-part", "missing-part", "odt"],
)
def test_near_misses_are_not_taken_for_an_accepted_kind(data):
    error = refusal(data, kinds=RECORDING_KINDS | SLIDE_KINDS)

    assert error.code in {"kind", "unrecognised"}


def test_matroska_is_named_when_refused():
    error = refusal(ebml(b"matroska"))

    assert error.messages == [
        "This file is a Matroska video (MKV); choose an MP4, WebM, MP3 or M4A recording."
    ]


def test_an_empty_file_is_refused():
    error = refusal(SimpleUploadedFile("talk.mp4", b""))

    assert error.code == "empty"
    assert error.messages == ["talk.mp4 is empty."]


def test_an_over_size_file_is_refused_saying_its_size_and_the_limit():
    data = SAMPLES["mp4-isom"][0] + b"\x00" * (2 * MB + MB // 2)

    error = refusal(SimpleUploadedFile("talk.mp4", data), max_bytes=2 * MB)

    assert error.code == "too_large"
    assert error.messages == ["talk.mp4 is 2.6 MB; the limit is 2 MB."]


def test_a_file_one_byte_over_the_limit_never_shows_as_equal_to_it():
    data = SAMPLES["mp3-id3"][0].ljust(MB + 1, b"\x00")

    assert refusal(data, max_bytes=MB).messages == ["This file is 1.1 MB; the limit is 1 MB."]
    assert check_upload(data[:MB], kinds=RECORDING_KINDS, max_bytes=MB).key == "mp3"


def test_a_zip_bomb_content_types_is_refused_without_reading_it_all():
    # Over a megabyte of spaces compresses to a few kilobytes.
    bloated = b'<Types><Override PartName="/ppt/presentation.xml" ContentType="' + (
        PPTX_MAIN.encode() + b'"/>' + b" " * (MAX_CONTENT_TYPES_BYTES + 1) + b"</Types>"
    )
    data = zip_of({"[Content_Types].xml": bloated, "ppt/presentation.xml": b"<x/>"})
    assert len(data) < 64 * 1024

    error = refusal(SimpleUploadedFile("slides.pptx", data), kinds=SLIDE_KINDS)

    assert error.code == "zip_bomb"
    assert error.messages == [
        "This Office file's [Content_Types].xml is larger than 1 MB uncompressed:"
        " it is not a real presentation or document."
    ]


def test_a_damaged_zip_is_a_zip_not_an_office_file():
    data = office(PPTX_MAIN, "ppt/presentation.xml")[:-30]

    error = refusal(SimpleUploadedFile("slides.pptx", data), kinds=SLIDE_KINDS)

    assert error.messages == ["slides.pptx is not a PPTX: its content is a ZIP archive."]


@pytest.mark.parametrize("outcome", ["accepted", "refused"])
def test_the_read_position_is_restored(outcome):
    data = SAMPLES["pptx"][0] if outcome == "accepted" else SAMPLES["pdf"][0]
    upload = SimpleUploadedFile("slides.pptx" if outcome == "accepted" else "a.pdf", data)
    upload.seek(7)

    if outcome == "accepted":
        check_upload(upload, kinds=SLIDE_KINDS, max_bytes=LIMIT)
    else:
        refusal(upload)

    assert upload.tell() == 7
    assert upload.read() == data[7:]


def test_a_temporary_uploaded_file_on_disk_is_read_and_left_at_its_start():
    data = SAMPLES["odp"][0]
    with TemporaryUploadedFile("deck.odp", ODP_TYPE, len(data), None) as upload:
        upload.write(data)
        upload.seek(0)

        kind = check_upload(upload, kinds=SLIDE_KINDS, max_bytes=LIMIT)

        assert kind.key == "odp"
        assert upload.tell() == 0


def test_the_declared_content_type_of_an_upload_is_not_believed():
    upload = SimpleUploadedFile("talk.webm", SAMPLES["pdf"][0], content_type="video/webm")

    error = refusal(upload)

    assert error.messages == ["talk.webm is not a WebM: its content is a PDF document."]
