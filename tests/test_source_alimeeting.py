"""AliMeeting on a copy in the OpenSLR layout: meetings and their TextGrids, both Eval/Test folder forms, and
speaker diarization over windows of the long recordings (regions that read only their bytes, segments clipped
to the window, speakers numbered within it), through the builder and an export."""

from __future__ import annotations

import io
import json
import os
import warnings

import numpy as np
import pyarrow.parquet as pq
import pytest
import soundfile as sf
from corpora import alimeeting as fixture
from util import records_of_split, stream

from audio_flan.features import decode_audio
from audio_flan.registry import load_registry
from audio_flan.segments import Segment, merge, parse_segments
from audio_flan.shapes.timeline import DEFAULT_WINDOW
from audio_flan.sources import _textgrid
from audio_flan.sources import alimeeting as parser

CONFIG = "speech.speaker_diarization"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return fixture.build(tmp_path_factory.mktemp("ali") / "data")


@pytest.fixture(scope="module")
def train(corpus):
    return stream(CONFIG, corpus.data_dir, source="alimeeting")


def read(root, split):
    return records_of_split(parser, root, split)


def window(example) -> tuple[float, float]:
    meta = json.loads(example["metadata"])["window"]
    return meta["offset"], meta["offset"] + meta["duration"]


def test_meetings_have_their_utterances_in_every_folder_form(corpus):
    for split in ("train", "validation", "test"):
        records, _ = read(corpus.root, split)
        assert {r["id"]: r["segments"] for r in records} == {
            k: v["segments"] for k, v in corpus.expected.items() if v["split"] == split
        }
        for r in records:
            assert r["speakers"] == corpus.expected[r["id"]]["speakers"] and r["language"] == "zh"
            assert r["session"] == "_".join(r["id"].split("_")[:2])
    assert not parser.detect(corpus.root / "Eval_Ali")  # the wrapper is not a corpus of its own


def test_a_wav_without_its_textgrid_is_counted(corpus):
    _, reports = read(corpus.root, "train")
    assert len(reports) == 1 and f"wav(s) without a TextGrid ({corpus.root}" in reports[0]
    assert fixture.ORPHAN in reports[0]


def test_diarization_windows_cover_each_meeting_and_read_as_regions(corpus, train):
    assert load_registry()[CONFIG].bindings["alimeeting"].slots["window"] == DEFAULT_WINDOW == 30
    spans = sorted((json.loads(e["metadata"])["id"], window(e)) for e in train)
    assert spans == [
        ("R0015_M0151_MS002", (0.0, 30.0)),
        ("R0015_M0151_MS002", (30.0, 60.0)),
        ("R0015_M0151_MS002", (60.0, 62.0)),
        ("R0016_M0153_MS002", (0.0, 8.0)),
    ]
    wav = corpus.expected["R0015_M0151_MS002"]["audio"]
    whole, rate = sf.read(wav, dtype="float32")
    for example in train:
        if json.loads(example["metadata"])["id"] != "R0015_M0151_MS002":
            continue
        start, end = window(example)
        expected = whole[round(start * rate) : round(end * rate)].mean(axis=1)
        np.testing.assert_allclose(example["input_audios"][0]["array"], expected, atol=1e-6)


def test_the_middle_window_clips_its_segments_and_numbers_speakers_in_order(train):
    (middle,) = [e for e in train if window(e) == (30.0, 60.0)]
    body = middle["output"].split("\n")
    if body[0].endswith(":"):  # an output prefix on its own line
        body = body[1:]
    assert body == ["0.00-1.25: speaker 1", "1.00-3.00: speaker 2", "15.00-20.00: speaker 1"]
    (first,) = [e for e in train if window(e) == (0.0, 30.0)]
    assert parse_segments(first["output"])[-1] == Segment(28.5, 30.0, "speaker 1")


def test_windows_never_cut_a_segment_without_clipping_it(corpus, train):
    """Shifted back to meeting time and joined, the windows' segments are exactly the meeting's speech; each
    window names as many speakers as speak in it, numbered in order of first appearance."""
    for meeting in ("R0015_M0151_MS002", "R0016_M0153_MS002"):
        truth = [Segment(s, e, "") for s, e, _ in corpus.expected[meeting]["segments"]]
        heard, count = [], 0
        for example in train:
            if json.loads(example["metadata"])["id"] != meeting:
                continue
            start, end = window(example)
            segments = parse_segments(example["output"])
            heard += [Segment(s.start + start, s.end + start, "") for s in segments]
            order = list(dict.fromkeys(s.label for s in sorted(segments)))
            assert order == [f"speaker {k}" for k in range(1, len(order) + 1)]
            speaking = {n for s, e, n in corpus.expected[meeting]["segments"] if s < end and e > start}
            assert len(order) == len(speaking)
            count += 1
        assert count and merge(heard) == merge(truth)


def test_every_output_parses_back_to_itself(corpus, train):
    examples = train + stream(CONFIG, corpus.data_dir, split="validation", source="alimeeting")
    for example in examples:
        segments = parse_segments(example["output"])
        assert segments == sorted(segments) and segments
        text = "\n".join(f"{s.start:.2f}-{s.end:.2f}: {s.label}" for s in segments)
        assert example["output"].endswith(text)


@pytest.mark.skipif(not os.path.exists("/proc/self/io"), reason="counts bytes read with Linux's /proc/self/io")
def test_decoding_a_window_reads_the_window_not_the_meeting(corpus, tmp_path):
    from audio_flan.builder import AudioFlan

    builder = AudioFlan(config_name=CONFIG, data_dir=str(corpus.data_dir), source="alimeeting")
    raw = builder.as_streaming_dataset(split="train").decode(False)
    (last,) = [e for e in raw if e["id"].endswith("R0015_M0151_MS002/60.00-62.00")]
    wav = corpus.expected["R0015_M0151_MS002"]["audio"]
    copy = tmp_path / "fresh.wav"  # a path no earlier read has cached
    copy.write_bytes(open(wav, "rb").read())
    value = dict(last["input_audios"][0])
    value["bytes"] = value["bytes"].replace(wav.encode(), str(copy).encode())

    def rchar() -> int:
        with open("/proc/self/io") as f:
            return int(next(line for line in f if line.startswith("rchar:")).split()[1])

    before = rchar()
    decoded = decode_audio(value)
    read = rchar() - before
    window_bytes = 2 * fixture.RATE * fixture.CHANNELS * 2
    assert decoded["array"].shape == (2 * fixture.RATE,)
    assert read < window_bytes + 128 * 1024 < os.path.getsize(copy) / 10


def test_malformed_textgrid_names_file_and_line_and_can_be_skipped(tmp_path):
    corpus = fixture.build(tmp_path / "data")
    path, line = fixture.malform(corpus)
    with pytest.raises(parser.AliMeetingFormatError, match=f"{path}:{line}: 'later' is not a TextGrid value"):
        read(corpus.root, "train")
    examples = stream(CONFIG, corpus.data_dir, source="alimeeting", on_error="skip")
    assert {json.loads(e["metadata"])["id"] for e in examples} == {"R0016_M0153_MS002"}


def test_textgrid_short_format_utf16_and_quotes_read_like_the_long_format(tmp_path):
    tiers = {"N_SPK1": [(0.5, 1.5, 'say "hi"')], "N_SPK2": [(1.0, 2.0, "好")]}
    long_form = tmp_path / "long.TextGrid"
    long_form.write_text(fixture.textgrid_text(3.0, tiers), encoding="utf-8")
    short = ['File type = "ooTextFile"', 'Object class = "TextGrid"', "", "0", "3", "<exists>", "2"]
    short += ['"IntervalTier"', '"N_SPK1"', "0", "3", "3", "0", "0.5", '""', "0.5", "1.5", '"say ""hi"""']
    short += ["1.5", "3", '""', '"IntervalTier"', '"N_SPK2"', "0", "3", "3", "0", "1", '""', "1", "2", '"好"']
    short += ["2", "3", '""']
    short_form = tmp_path / "short.TextGrid"
    short_form.write_bytes("\n".join(short).encode("utf-16"))  # with its byte-order mark, as Praat writes it
    error = parser.AliMeetingFormatError
    assert _textgrid.read_textgrid(long_form, error) == _textgrid.read_textgrid(short_form, error)
    grid = _textgrid.read_textgrid(long_form, error)
    assert [i.text for i in grid.tiers[0].intervals] == ["", 'say "hi"', ""]


def test_an_export_embeds_each_window_as_flac_that_reads_back(corpus, train, tmp_path):
    from audio_flan.export import export

    export(tmp_path / "out", configs=[CONFIG], data_dir=corpus.data_dir, progress=False, log=lambda *_: None)
    rows = [r for f in sorted((tmp_path / "out" / CONFIG).glob("*.parquet")) for r in pq.read_table(f).to_pylist()]
    streamed = {e["id"]: e for e in train}
    train_rows = [r for r in rows if r["id"] in streamed]
    assert len(train_rows) == len(streamed)
    for row in train_rows:
        stored = row["input_audios"][0]
        assert stored["bytes"][:4] == b"fLaC"
        back, rate = sf.read(io.BytesIO(stored["bytes"]), dtype="float32")
        assert back.shape[1] == fixture.CHANNELS and rate == fixture.RATE
        np.testing.assert_allclose(back.mean(axis=1), streamed[row["id"]]["input_audios"][0]["array"], atol=1e-6)
        assert row["output"] == streamed[row["id"]]["output"]


def test_segments_annotated_past_the_end_of_the_wav_are_counted(tmp_path):
    corpus = fixture.build(tmp_path / "data")
    tiers = {"N_SPK0160": [(1.0, 3.0, "你好。"), (8.5, 9.5, "再见。")], "N_SPK0161": [(2.5, 6.0, "你好，请坐。")]}
    folder = corpus.root / fixture.FAR["train"]
    grid = folder / "textgrid_dir" / "R0016_M0153.TextGrid"
    grid.write_text(fixture.textgrid_text(10.0, tiers), encoding="utf-8")  # the wav holds 8 s
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        examples = stream(CONFIG, corpus.data_dir, source="alimeeting")
    assert any("segments after the end of their audio" in str(w.message) and "8.50" in str(w.message) for w in caught)
    (short,) = [e for e in examples if json.loads(e["metadata"])["id"] == "R0016_M0153_MS002"]
    assert parse_segments(short["output"])[-1].end == 6.0
