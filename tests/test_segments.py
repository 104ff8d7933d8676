"""The timed-output text format: every segment list formats to text that parses back to the same segments."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audio_flan.segments import (
    Segment,
    SegmentFormatError,
    anonymise,
    clip,
    format_segments,
    merge,
    parse_segments,
)

times = st.integers(min_value=0, max_value=360_000).map(lambda cs: cs / 100)
labels = st.sampled_from(["", "Speech", "Vehicle horn, car horn, honking", "speaker 2", "C:maj7", "Dog: barking"])


@st.composite
def segments(draw):
    out = []
    for _ in range(draw(st.integers(min_value=0, max_value=8))):
        a, b = sorted((draw(times), draw(times)))
        out.append(Segment(a, b, draw(labels)))
    return out


@settings(max_examples=200, deadline=None)
@given(segments())
def test_format_then_parse_gives_the_segments_back(segs):
    assert parse_segments(format_segments(segs)) == sorted(segs)


def test_times_have_two_decimals_and_labels_follow_a_colon():
    text = format_segments([Segment(1.005, 2.5, "Dog"), Segment(0.0, 0.5)])
    assert text == "0.00-0.50\n1.01-2.50: Dog"
    assert format_segments([Segment(0.5, 0.5), Segment(1.25, 1.25)], points=True) == "0.50\n1.25"


@pytest.mark.parametrize("bad", ["0.5-1.00: x", "1.00-", "start-end", "1.00-2.00 Dog", "-1.00-2.00"])
def test_text_not_in_the_format_is_refused_with_its_line(bad):
    with pytest.raises(SegmentFormatError, match="line 2"):
        parse_segments("0.00-1.00\n" + bad)


def test_a_window_clips_segments_at_its_edges_and_drops_the_rest():
    segs = [Segment(0.0, 4.0, "a"), Segment(9.0, 12.0, "b"), Segment(13.0, 20.0, "c"), Segment(11.0, 11.0, "beat")]
    assert clip(segs, 3.0, 13.0) == [Segment(0.0, 1.0, "a"), Segment(6.0, 9.0, "b"), Segment(8.0, 8.0, "beat")]


def test_speakers_are_named_in_order_of_first_appearance():
    segs = [Segment(5.0, 6.0, "spk_B"), Segment(0.0, 1.0, "spk_Z"), Segment(2.0, 3.0, "spk_B")]
    assert [s.label for s in anonymise(segs)] == ["speaker 1", "speaker 2", "speaker 2"]


def test_overlapping_segments_of_one_label_are_merged():
    segs = [Segment(0.5, 1.0, "Dog"), Segment(0.9, 1.4, "Dog"), Segment(1.0, 2.0, "Cat"), Segment(3.0, 4.0, "Dog")]
    assert merge(segs) == [Segment(0.5, 1.4, "Dog"), Segment(1.0, 2.0, "Cat"), Segment(3.0, 4.0, "Dog")]
