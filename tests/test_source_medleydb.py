"""MedleyDB on a copy in its published layout: melody notes from MELODY2 in both annotation layouts, windows of
the mix for melody extraction, and text-guided separation from real stems (the mix checked against the stems,
silent stems never targets, instruments by display name), through the builder and an export."""

from __future__ import annotations

import io
import json
import os
import re
import warnings

import numpy as np
import pyarrow.parquet as pq
import pytest
import soundfile as sf
from corpora import medleydb as fixture
from util import audio_opened, record_opens, stream

from audio_flan.segments import parse_segments
from audio_flan.sources import _stems
from audio_flan.sources import medleydb as parser
from audio_flan.sources.base import MissingAudioWarning

MELODY, SEPARATION = "music.melody_extraction", "music.text_guided_source_separation"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return fixture.build(tmp_path_factory.mktemp("medleydb") / "data")


@pytest.fixture(scope="module")
def pairs(corpus):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        examples = {
            split: stream(SEPARATION, corpus.data_dir, split=split, source="medleydb")
            for split in ("train", "validation", "test")
        }
    return examples, [str(w.message) for w in caught]


def meta(example) -> dict:
    return json.loads(example["metadata"])


def stem(corpus, track: str, k: int, offset: float, duration: float) -> np.ndarray:
    path = corpus.root / "Audio" / track / f"{track}_STEMS" / f"{track}_STEM_{k:02d}.wav"
    data, rate = sf.read(path, dtype="float32")
    return data[round(offset * rate) : round((offset + duration) * rate)].mean(axis=1)


def test_melody_notes_in_both_annotation_layouts(corpus):
    for track, values in corpus.expected.items():
        (record,) = parser.read_melody_shard(corpus.root, track)
        assert record["audio"] == values["audio"]
        assert [n for *_, n in record["melody"]] == [n for *_, n in values["melody"]]
        np.testing.assert_allclose([t[:2] for t in record["melody"]], [t[:2] for t in values["melody"]])


@pytest.mark.parametrize("f0", ["1e-30", "20000.0"])
def test_an_f0_outside_the_midi_range_names_file_and_line(tmp_path, f0):
    corpus = fixture.build(tmp_path / "data")
    path = corpus.root / "Annotations" / "Melody" / "Melody2" / "MusicDelta_Beethoven_MELODY2.csv"
    lines = path.read_bytes().split(b"\r\n")
    lines[99] = b"0.5747," + f0.encode()
    path.write_bytes(b"\r\n".join(lines))
    message = re.escape(f"{path}:100: f0 {f0} Hz is outside the MIDI range")
    with pytest.raises(parser.MedleyDBFormatError, match=message):
        list(parser.read_melody_shard(corpus.root, "MusicDelta_Beethoven"))


def test_melody_extraction_answers_notes_in_windows_of_the_mix(corpus):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        (example,) = stream(MELODY, corpus.data_dir, source="medleydb")
    assert meta(example)["window"] == {"offset": 0.0, "duration": 10.0}
    notes = parse_segments(example["output"])
    assert [(s.start, s.end, s.label) for s in notes] == [(0.51, 2.0, "A4"), (2.0, 4.01, "C5"), (4.02, 6.0, "G4")]
    assert any("window(s) holding no segment" in str(w.message) and "10.00-12.00" in str(w.message) for w in caught)
    mix, rate = sf.read(corpus.expected["MusicDelta_Beethoven"]["audio"], dtype="float32")
    np.testing.assert_allclose(example["input_audios"][0]["array"], mix[: 10 * rate].mean(axis=1), atol=1e-6)


def test_separation_targets_are_display_names_that_sound_in_the_excerpt(pairs):
    examples, _ = pairs
    asked = sorted((meta(e)["track"], meta(e)["excerpt"]["offset"], meta(e)["instrument"]) for e in examples["train"])
    assert asked == [
        ("MusicDelta_Beethoven", 0.0, "drum set"),
        ("MusicDelta_Beethoven", 0.0, "electric bass"),
        ("MusicDelta_Beethoven", 0.0, "female singer"),
        ("MusicDelta_Beethoven", 0.0, "violin"),
        # the drum stem is annotated inactive from 10 s on (its audio is not silent): not a target
        ("MusicDelta_Beethoven", 10.0, "electric bass"),
        ("MusicDelta_Beethoven", 10.0, "violin"),  # the singer stops at 9.5 s: silent, not a target
    ]
    for e in examples["train"]:
        assert meta(e)["instrument"] in e["input"]
        # one audio id per excerpt's mixture, one per target
        track, offset = meta(e)["track"], meta(e)["excerpt"]["offset"]
        assert f"MedleyDB_{track}_{offset:g}s_mix<|EOA|>" in e["input"]
        assert e["output"] == f"<|SOA|>MedleyDB_{track}_{offset:g}s_{meta(e)['instrument'].replace(' ', '_')}<|EOA|>"
        assert meta(e)["excerpt"]["dbfs"] >= _stems.SILENT_DBFS


def test_the_mix_is_the_sum_of_the_scaled_targets_and_each_target_its_stems(corpus, pairs):
    examples, _ = pairs
    by_excerpt: dict[float, list] = {}
    for e in examples["train"]:
        by_excerpt.setdefault(meta(e)["excerpt"]["offset"], []).append(e)
    gains = meta(examples["train"][0])["mix_check"]["gains"]
    np.testing.assert_allclose(gains, [1.0, 0.8, 1.2, 1.0, 0.9], atol=1e-3)
    assert meta(examples["train"][0])["mix_check"]["mix_used"]
    first = by_excerpt[0.0]
    (violin,) = [e for e in first if meta(e)["instrument"] == "violin"]
    both = gains[3] * stem(corpus, "MusicDelta_Beethoven", 4, 0, 10) + gains[4] * stem(
        corpus, "MusicDelta_Beethoven", 5, 0, 10
    )
    np.testing.assert_allclose(violin["output_audios"][0]["array"], both, atol=1e-5)  # both violin stems
    mixture = first[0]["input_audios"][0]["array"]
    total = sum(e["output_audios"][0]["array"] for e in first)
    residual = np.sum((mixture - total) ** 2) / np.sum(mixture**2)
    assert 10 * np.log10(residual) < _stems.MIX_TOLERANCE_DB  # every stem sounds in the first excerpt


def test_a_mix_that_is_not_its_stems_is_reported_and_replaced_by_their_sum(corpus, pairs):
    examples, reports = pairs
    assert any("DreamersOfTheGhetto_HeavyLove" in r and "not the sum of their stems" in r for r in reports)
    valid = examples["validation"]
    assert {meta(e)["instrument"] for e in valid} == {"clean electric guitar", "male singer"}
    assert not meta(valid[0])["mix_check"]["mix_used"]
    mixture = valid[0]["input_audios"][0]["array"]
    np.testing.assert_allclose(mixture, sum(e["output_audios"][0]["array"] for e in valid), atol=1e-6)
    np.testing.assert_allclose(
        valid[0]["output_audios"][0]["array"] + valid[1]["output_audios"][0]["array"], mixture, atol=1e-6
    )


def test_pairs_are_the_same_on_every_read(corpus, pairs):
    again = stream(SEPARATION, corpus.data_dir, split="test", source="medleydb")
    first = pairs[0]["test"]
    assert [e["id"] for e in again] == [e["id"] for e in first] and len(first) == 2
    for a, b in zip(again, first):
        assert {k: a[k] for k in ("instruction", "input", "output", "metadata")} == {
            k: b[k] for k in ("instruction", "input", "output", "metadata")
        }
        np.testing.assert_array_equal(a["output_audios"][0]["array"], b["output_audios"][0]["array"])


def test_absent_stems_are_counted(tmp_path):
    corpus = fixture.build(tmp_path / "data")
    (corpus.root / "Audio" / "Sweat_Tuesday" / "Sweat_Tuesday_STEMS" / "Sweat_Tuesday_STEM_02.wav").unlink()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert list(parser.read_stems_shard(corpus.root, "Sweat_Tuesday")) == []
    assert any(issubclass(w.category, MissingAudioWarning) and "STEM_02" in str(w.message) for w in caught)


def test_a_bad_stem_entry_names_the_metadata_line(tmp_path):
    corpus = fixture.build(tmp_path / "data")
    path = corpus.root / "Audio" / "Sweat_Tuesday" / "Sweat_Tuesday_METADATA.yaml"
    path.write_text(path.read_text().replace("    instrument: piano\n", "", 1))
    with pytest.raises(parser.MedleyDBFormatError, match=f"{path}:\\d+: stem 'S02' needs"):
        list(parser.read_stems_shard(corpus.root, "Sweat_Tuesday"))


def test_an_export_embeds_mixture_and_target_as_flac(corpus, pairs, tmp_path):
    from audio_flan.export import export

    export(
        tmp_path / "out",
        configs=[SEPARATION],
        data_dir=corpus.data_dir,
        include_restricted=True,
        progress=False,
        log=lambda *_: None,
    )
    rows = [r for f in sorted((tmp_path / "out" / SEPARATION).glob("*.parquet")) for r in pq.read_table(f).to_pylist()]
    streamed = {e["id"]: e for split in pairs[0].values() for e in split}
    assert {r["id"] for r in rows} == set(streamed)
    for row in rows:
        for column in ("input_audios", "output_audios"):
            stored = row[column][0]
            assert stored["bytes"][:4] == b"fLaC"
            back, _ = sf.read(io.BytesIO(stored["bytes"]), dtype="float32")
            back = back.mean(axis=1) if back.ndim == 2 else back
            np.testing.assert_allclose(back, streamed[row["id"]][column][0]["array"], atol=2.0**-14)


def test_under_skip_a_malformed_melody_is_counted_and_the_rest_read(tmp_path):
    from audio_flan.report import Load, LoadReport, active

    corpus = fixture.build(tmp_path / "data")
    path, line = fixture.malform(corpus)
    load = Load("skip", LoadReport("melody"))
    with active(load):
        assert list(parser.read_melody_shard(corpus.root, "MusicDelta_Beethoven")) == []
    assert load.report.total == 1 and f"{path}:{line}" in load.report.text()
    assert len(stream(MELODY, corpus.data_dir, split="test", source="medleydb", on_error="skip")) == 1


def test_activation_annotations_decide_what_sounds_where_a_track_has_one(corpus, pairs):
    examples, _ = pairs
    beethoven = {(m["excerpt"]["offset"], m["instrument"]): m for m in map(meta, examples["train"])}
    assert beethoven[(0.0, "drum set")]["excerpt"]["active_seconds"] >= parser.MIN_ACTIVE_SECONDS
    assert beethoven[(10.0, "electric bass")]["excerpt"]["active_seconds"] == pytest.approx(2.0, abs=0.1)
    # the drum stem is loud enough at 10-12 s by level, but annotated inactive there
    drums = stem(corpus, "MusicDelta_Beethoven", 3, 10, 2)
    assert _stems.dbfs(float(np.sum(drums.astype(np.float64) ** 2)), drums.size) > _stems.SILENT_DBFS
    assert (10.0, "drum set") not in beethoven
    # the flat layout of earlier commits is read too; a track without an annotation is judged by level
    assert all("active_seconds" in meta(e)["excerpt"] for e in examples["test"])
    assert all("active_seconds" not in meta(e)["excerpt"] for e in examples["validation"])
    times, columns = parser.read_activations(
        corpus.root / "Annotations/Activation_Confidence/v2/MusicDelta_Beethoven_ACTIVATION_CONF.lab", ["S01", "S03"]
    )
    assert times[1] == pytest.approx(2048 / 44100, abs=1e-4) and set(columns) == {"S01", "S03"}


@pytest.mark.parametrize(
    "line, message",
    [
        ("0.0929,0.9,0.9,0.9,0.9", "expected 6 comma-separated fields"),
        ("0.0929,0.9,0.9,1.7,0.9,0.9", "a confidence in [0, 1] per stem"),
        ("0.0000,0.9,0.9,0.9,0.9,0.9", "the time (seconds, rising)"),
    ],
)
def test_a_malformed_activation_row_names_file_and_line(tmp_path, line, message):
    copy = fixture.build(tmp_path / "data")
    path = copy.root / "Annotations/Activation_Confidence/v2/MusicDelta_Beethoven_ACTIVATION_CONF.lab"
    lines = path.read_text().split("\n")
    lines[3] = line
    path.write_text("\n".join(lines))
    with pytest.raises(parser.MedleyDBFormatError, match=rf"{re.escape(str(path))}:4: .*{re.escape(message)}"):
        list(parser.read_stems_shard(copy.root, "MusicDelta_Beethoven"))


def test_an_annotation_without_a_stem_s_column_is_refused(tmp_path):
    copy = fixture.build(tmp_path / "data")
    path = copy.root / "Annotations/Activation_Confidence/Sweat_Tuesday_ACTIVATION_CONF.lab"
    path.write_text("\n".join(",".join(r.split(",")[:2]) for r in path.read_text().splitlines()) + "\n")
    with pytest.raises(parser.MedleyDBFormatError, match=rf"{re.escape(str(path))}:1: .*no column for S02"):
        list(parser.read_stems_shard(copy.root, "Sweat_Tuesday"))


def test_a_second_load_opens_no_stem_before_its_first_example(tmp_path, monkeypatch):
    copy = fixture.build(tmp_path / "data")
    stems = {str(p) for p in copy.root.glob("Audio/*/*_STEMS/*.wav")}
    first = next(iter(parser.read_stems_shard(copy.root, "MusicDelta_Beethoven")))  # reads the track once
    opened = record_opens(monkeypatch)
    again = next(iter(parser.read_stems_shard(copy.root, "MusicDelta_Beethoven")))
    assert again == first
    assert not set(audio_opened(opened)) & stems
    # a rewritten stem is read again (the cache is keyed by size and modification time)
    path = copy.root / "Audio/MusicDelta_Beethoven/MusicDelta_Beethoven_STEMS/MusicDelta_Beethoven_STEM_02.wav"
    data, rate = sf.read(path)
    sf.write(path, 0.5 * data, rate, subtype="PCM_16")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    third = next(iter(parser.read_stems_shard(copy.root, "MusicDelta_Beethoven")))
    assert str(path) in audio_opened(opened) and third["mix_check"] != first["mix_check"]


def test_a_second_load_s_first_example_opens_its_own_stems_only(tmp_path, monkeypatch):
    copy = fixture.build(tmp_path / "data")
    stream(SEPARATION, copy.data_dir, split="train", source="medleydb", n=1)
    opened = record_opens(monkeypatch)
    (example,) = stream(SEPARATION, copy.data_dir, split="train", source="medleydb", n=1)
    stems = {str(p) for p in copy.root.glob("Audio/MusicDelta_Beethoven/*_STEMS/*.wav")}
    assert meta(example)["instrument"] == "drum set" and not set(audio_opened(opened)) & stems
    assert example["output_audios"][0]["array"].size  # decoding the answer reads the drum stem alone
    assert set(audio_opened(opened)) & stems == {s for s in stems if s.endswith("_STEM_03.wav")}
