"""Captions, transcripts and chapters in and out (convene.media.captions, decision 0031)."""

from pathlib import Path

import pytest

from convene.media.captions import (
    SRT,
    WEBVTT,
    Captions,
    CaptionsError,
    Chapter,
    Cue,
    chapters_to_webvtt,
    read_captions,
    read_chapters,
    to_text,
    to_webvtt,
)

SAMPLES = Path(__file__).parent / "samples"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def problems(data: bytes, *, chapters: bool = False) -> tuple[str, ...]:
    with pytest.raises(CaptionsError) as caught:
        read_chapters(data) if chapters else read_captions(data)
    return caught.value.problems


# --- Reading -------------------------------------------------------------------------


def test_a_teams_transcript_gives_each_cue_its_speaker_without_the_voice_tags():
    captions = read_captions(sample("teams-transcript.vtt"))

    assert captions == Captions(
        cues=(
            Cue(3120, 6480, "Thank you all for joining this Open Conversation.", "Carol Munt"),
            Cue(6480, 9900, "I'm here as a lived-experience partner.", "Carol Munt"),
            Cue(10250, 14010, "What an AHSN offers & our top tips.", "Joe Sladen"),
            Cue(14500, 17000, "Over to you, Joe.", "Carol Munt"),
        ),
        language=None,
        source_format=WEBVTT,
    )


def test_a_clean_webvtt_skips_notes_and_style_keeps_the_language_and_drops_settings_and_tags():
    captions = read_captions(sample("clean.vtt"))

    assert captions.language == "en-GB"
    assert captions.source_format == WEBVTT
    assert captions.cues == (
        Cue(1000, 4000, "Welcome to the awards showcase."),
        Cue(3723500, 3727250, "The shortlisted entries\npresent their work."),
    )


def test_srt_is_recognised_by_its_content_whatever_the_file_is_called():
    captions = read_captions(sample("captions.srt"), filename="talk.vtt")

    assert captions.source_format == SRT
    assert captions.cues == (
        Cue(1000, 4000, "Welcome to the showcase."),
        Cue(4500, 8250, "The shortlisted entries\npresent their work."),
    )


def test_a_byte_order_mark_and_windows_line_endings_are_accepted():
    data = b"\xef\xbb\xbfWEBVTT\r\n\r\n00:00.500 --> 00:01.000\r\nHello\r\n"

    assert read_captions(data).cues == (Cue(500, 1000, "Hello"),)


def test_a_voice_tag_with_a_class_and_no_closing_tag_still_names_the_speaker():
    data = b"WEBVTT\n\n00:01.000 --> 00:02.000\n<v.loud Esme Ng>Hello <b>there</b>\n"

    assert read_captions(data).cues == (Cue(1000, 2000, "Hello there", "Esme Ng"),)


def test_a_cue_with_two_voices_takes_the_first_speaker_and_keeps_both_texts():
    data = b"WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ann>Yes.</v>\n<v Bob>No.</v>\n"

    assert read_captions(data).cues == (Cue(1000, 2000, "Yes.\nNo.", "Ann"),)


# --- Refusals: every problem, each with its line --------------------------------------


def test_a_bad_timestamp_is_refused_naming_each_line():
    assert problems(sample("bad-timestamp.vtt")) == (
        "line 6: the end time '00:00:4.500' is not a timestamp (hh:mm:ss.ttt)",
        "line 9: the start time '00:00:05,000' is not a timestamp (hh:mm:ss.ttt)",
    )


def test_a_cue_ending_before_it_starts_is_refused():
    assert problems(sample("end-before-start.vtt")) == (
        "line 6: the cue ends (00:00:04.000) before it starts (00:00:05.000)",
    )


def test_a_cue_ending_when_it_starts_is_refused():
    data = b"WEBVTT\n\n00:00:05.000 --> 00:00:05.000\nNo time at all.\n"

    assert problems(data) == (
        "line 3: the cue ends when it starts (00:00:05.000); it must end after it starts",
    )


def test_a_missing_header_is_refused():
    assert problems(sample("missing-header.vtt")) == (
        'line 1: the WEBVTT header is missing (a WebVTT file starts with "WEBVTT")',
    )


def test_cues_out_of_start_order_are_refused():
    assert problems(sample("out-of-order.vtt")) == (
        "line 6: the cue starts (00:00:02.000) before the cue above it "
        "(line 3, 00:00:10.000); cues must be in start order",
    )


def test_bytes_that_are_not_utf8_are_refused_naming_the_line_and_offset():
    with pytest.raises(CaptionsError) as caught:
        read_captions(sample("latin-1.vtt"), filename="latin-1.vtt")

    assert caught.value.problems == (
        "line 4: the file is not UTF-8 (byte 0xE9 at offset 41); "
        "save it as UTF-8 and upload it again",
    )
    assert str(caught.value).startswith("latin-1.vtt could not be read: line 4:")
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\n \n\t\n"])
def test_an_empty_file_is_refused(data):
    assert problems(data) == ("line 1: the file is empty",)


def test_a_file_that_is_neither_webvtt_nor_srt_is_refused():
    assert problems(b"Just some notes\nabout the talk.\n") == (
        "line 1: the file is neither WebVTT nor SRT (no cue times found)",
    )


def test_a_header_without_cues_is_refused():
    assert problems(b"WEBVTT\n\nNOTE nothing here\n") == ("line 1: the file has no cues",)


def test_every_problem_is_listed_at_once():
    data = (
        b"WEBVTT\n"  # 1
        b"\n"
        b"00:00:05.000 --> 00:00:04.000\n"  # 3
        b"Backwards.\n"
        b"\n"
        b"Some text with no times\n"  # 6
        b"\n"
        b"00:00:10.000 --> 00:00:11.000\n"  # 8
        b"\n"
        b"00:00:09.000 --> 00:00:10.000\n"  # 10
        b"Text, then a cue with no blank line above.\n"
        b"00:00:12.000 --> 00:00:13.000\n"  # 12
        b"Blank line missing above.\n"
    )

    assert problems(data) == (
        "line 3: the cue ends (00:00:04.000) before it starts (00:00:05.000)",
        'line 6: a block without cue times ("00:00:01.000 --> 00:00:04.000"); '
        'a comment starts with "NOTE"',
        "line 8: the cue has no text",
        'line 12: cue text cannot contain "-->" (is a blank line missing before this cue?)',
    )


def test_out_of_order_counts_only_cues_that_were_read():
    data = (
        b"WEBVTT\n\n00:00:10.000 --> 00:00:11.000\nA\n\n"
        b"00:00:09.000 --> 00:00:10.000\nB\n\n00:00:08.000 --> 00:00:09.000\nC\n"
    )

    assert problems(data) == (
        "line 6: the cue starts (00:00:09.000) before the cue above it "
        "(line 3, 00:00:10.000); cues must be in start order",
        "line 9: the cue starts (00:00:08.000) before the cue above it "
        "(line 6, 00:00:09.000); cues must be in start order",
    )


def test_a_cue_straight_after_the_header_is_refused():
    assert problems(b"WEBVTT\n00:00:01.000 --> 00:00:02.000\nHi\n") == (
        "line 2: a blank line must follow the WEBVTT header before the first cue",
    )


def test_minutes_or_seconds_over_59_are_not_timestamps():
    assert problems(b"WEBVTT\n\n00:60.000 --> 01:00.000\nHi\n") == (
        "line 3: the start time '00:60.000' is not a timestamp (hh:mm:ss.ttt)",
    )


def test_digits_other_than_ascii_are_not_timestamps():
    data = "WEBVTT\n\n00:\u0660\u0661.000 --> 00:02.000\nHi\n".encode()

    assert problems(data) == (
        "line 3: the start time '00:\u0660\u0661.000' is not a timestamp (hh:mm:ss.ttt)",
    )


def test_srt_problems_name_their_lines_too():
    data = b"1\n00:00:01,000 --> 00:00:02,000\nA\n\nx\n00:00:03,000 --> 00:00:04,000\nB\n\n"
    data += b"3\n00:00:06,000 --> 00:00:05,000\nC\n\n4\n00:00:07.000 --> 00:00:08,000\nD\n"

    assert problems(data) == (
        "line 5: expected the cue's number (SRT), found 'x'",
        "line 10: the cue ends (00:00:05.000) before it starts (00:00:06.000)",
        "line 14: the start time '00:00:07.000' is not a timestamp (hh:mm:ss,ttt)",
    )


# --- Writing -------------------------------------------------------------------------


def test_to_webvtt_writes_clean_webvtt_with_voice_tags():
    captions = read_captions(sample("teams-transcript.vtt"))

    assert to_webvtt(captions) == (
        "WEBVTT\n"
        "\n00:00:03.120 --> 00:00:06.480\n"
        "<v Carol Munt>Thank you all for joining this Open Conversation.\n"
        "\n00:00:06.480 --> 00:00:09.900\n"
        "<v Carol Munt>I'm here as a lived-experience partner.\n"
        "\n00:00:10.250 --> 00:00:14.010\n"
        "<v Joe Sladen>What an AHSN offers &amp; our top tips.\n"
        "\n00:00:14.500 --> 00:00:17.000\n"
        "<v Carol Munt>Over to you, Joe.\n"
    )


@pytest.mark.parametrize("name", ["teams-transcript.vtt", "clean.vtt", "captions.srt"])
def test_reading_what_to_webvtt_wrote_gives_the_same_cues(name):
    captions = read_captions(sample(name))

    again = read_captions(to_webvtt(captions).encode())

    assert again.cues == captions.cues
    assert again.language == captions.language
    assert again.source_format == WEBVTT


def test_text_with_markup_characters_survives_a_round_trip():
    captions = Captions(cues=(Cue(0, 1000, "a < b & c > d --> e", "R&D <team>"),))

    assert read_captions(to_webvtt(captions).encode()).cues == captions.cues


def test_a_hidden_speaker_is_written_as_the_label_and_the_others_by_name():
    captions = read_captions(sample("teams-transcript.vtt"))

    written = to_webvtt(captions, hide={"Carol Munt"}, hidden_label="Lived-experience partner")

    assert [c.speaker for c in read_captions(written.encode()).cues] == [
        "Lived-experience partner",
        "Lived-experience partner",
        "Joe Sladen",
        "Lived-experience partner",
    ]
    assert "Carol" not in written
    assert "<v Speaker>" in to_webvtt(captions, hide={"Joe Sladen"})


def test_to_text_joins_consecutive_cues_of_one_speaker_without_times():
    captions = read_captions(sample("teams-transcript.vtt"))

    assert to_text(captions) == (
        "Carol Munt: Thank you all for joining this Open Conversation. "
        "I'm here as a lived-experience partner.\n"
        "Joe Sladen: What an AHSN offers & our top tips.\n"
        "Carol Munt: Over to you, Joe.\n"
    )
    assert (
        to_text(captions, hide={"Carol Munt"}).splitlines()[0].startswith("Speaker: Thank you all")
    )


def test_to_text_without_speakers_is_a_line_per_cue():
    assert to_text(read_captions(sample("clean.vtt"))) == (
        "Welcome to the awards showcase.\nThe shortlisted entries present their work.\n"
    )


# --- Chapters ------------------------------------------------------------------------


def test_a_chapters_file_gives_titles_and_times():
    assert read_chapters(sample("chapters.vtt")) == (
        Chapter(0, 1_350_000, "Welcome and introductions"),
        Chapter(1_350_000, 1_845_000, "Carol Munt: the lived-experience partner in spread"),
        Chapter(
            1_845_000, 2_700_000, "Joe Sladen: what an AHSN offers, and top tips to enable spread"
        ),
    )


def test_chapters_round_trip_through_webvtt():
    chapters = read_chapters(sample("chapters.vtt"))

    written = chapters_to_webvtt(chapters)

    assert written.startswith(
        "WEBVTT\n\n00:00:00.000 --> 00:22:30.000\nWelcome and introductions\n"
    )
    assert read_chapters(written.encode()) == chapters


def test_a_chapters_file_gets_the_same_checks_and_refuses_srt():
    assert problems(sample("end-before-start.vtt"), chapters=True) == (
        "line 6: the cue ends (00:00:04.000) before it starts (00:00:05.000)",
    )
    assert problems(sample("captions.srt"), chapters=True) == (
        'line 1: the WEBVTT header is missing (a WebVTT file starts with "WEBVTT")',
        "line 2: the start time '00:00:01,000' is not a timestamp (hh:mm:ss.ttt)",
        "line 2: the end time '00:00:04,000' is not a timestamp (hh:mm:ss.ttt)",
        "line 6: the start time '00:00:04,500' is not a timestamp (hh:mm:ss.ttt)",
        "line 6: the end time '00:00:08,250' is not a timestamp (hh:mm:ss.ttt)",
    )
