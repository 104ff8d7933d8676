"""The AAM parser on a tiny copy in the published layout, alone and through the builder: windows of the mixes as
audio regions, with their beats, chords, keys and beat-level instruments and pitches, and one stem per window
for instrument classification."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pytest
from corpora import aam as fixture
from util import metadata, record_id, stream

from audio_flan.audio_values import Region
from audio_flan.segments import parse_segments
from audio_flan.sources import _music_labels as music
from audio_flan.sources import aam as parser
from audio_flan.sources.base import MissingAudioWarning


@pytest.fixture
def corpus(tmp_path):
    return fixture.build(tmp_path / "data")


def read_all(root: Path) -> list[dict]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingAudioWarning)
        return [r for s in parser.list_shards(root)["train"] for r in parser.read_shard(root, s)]


def window_of(corpus, rid: str) -> tuple[dict, float, float]:
    want = corpus.expected[rid]
    return want["truth"], want["start"], want["start"] + parser.WINDOW


def test_windows_are_regions_of_the_mix(corpus):
    records = read_all(corpus.root)
    assert sorted(r["id"] for r in records) == sorted(corpus.expected)
    for r in records:
        assert r["audio"] == Region(corpus.expected[r["id"]]["audio"], r["start"], parser.WINDOW)


def test_zips_extracted_side_by_side_in_one_folder_read_the_same(corpus, tmp_path):
    """The full set's zips hold their files at the top level: unzipped together they share one folder."""
    flat = tmp_path / "AAM"
    flat.mkdir()
    for folder in (fixture.ANNOTATIONS, fixture.MIXES, fixture.STEMS):
        for path in sorted((corpus.root / folder).iterdir()):
            path.rename(flat / path.name)
    assert parser.detect(flat)
    want = {r["id"]: r for r in read_all(fixture.build(tmp_path / "again").root)}
    got = {r["id"]: r for r in read_all(flat)}
    assert sorted(got) == sorted(want)
    for rid, r in got.items():
        assert r["audio"].path == str(flat / Path(want[rid]["audio"].path).name)
        assert (r["stem"] is None) == (want[rid]["stem"] is None)
        same = ("beats", "chords", "key", "beat_question", "beat_instruments", "beat_pitches", "stem_instrument")
        assert {k: r[k] for k in same} == {k: want[rid][k] for k in same}
    annotations_only = tmp_path / "annotations-only"
    annotations_only.mkdir()
    (flat / "0001_segments.arff").rename(annotations_only / "0001_segments.arff")
    assert not parser.detect(annotations_only)  # no mix beside them: not a copy of AAM to read


def test_beats_and_chords_are_retimed_to_the_window(corpus):
    for r in read_all(corpus.root):
        truth, start, stop = window_of(corpus, r["id"])
        inside = [(t, c) for t, _, _, c in truth["beats"] if start <= t < stop]
        assert [round(b[0], 3) for b in r["beats"]] == [round(t - start, 3) for t, _ in inside]
        harte = {"C#maj": "C#:maj", "A#min": "Bb:min", "F#maj": "F#:maj", "N.C.": "N"}
        spans = [c for c in r["chords"]]
        labels = [harte[c] for _, c in inside]
        runs = [lab for i, lab in enumerate(labels) if i == 0 or labels[i - 1] != lab]
        assert [c[2] for c in spans] == runs
        assert spans[0][0] == 0.0 and round(spans[-1][1], 6) == parser.WINDOW


def test_keys_are_spelled_as_everywhere(corpus):
    keys = {r["id"]: r["key"] for r in read_all(corpus.root)}
    assert keys["0001@0"] == "Db major"  # AAM's sharps-only "C#maj"
    assert keys["0002@0"] == "A minor"
    assert keys["0003@0"] is None  # the window spans G major and Bb minor (AAM's "A#min")
    assert keys["0003@10"] == "Bb minor"


def test_beat_level_answers_follow_the_notes(corpus):
    for r in read_all(corpus.root):
        truth, start, _ = window_of(corpus, r["id"])
        match = re.fullmatch(r"beat (\d+) of this clip, from ([\d.]+) s to ([\d.]+) s", r["beat_question"])
        assert match
        a, b = float(match[2]) + start, float(match[3]) + start
        heard = {i for i, s, e, _ in truth["notes"] if s < b - 1e-6 and e > a + 1e-6}
        assert r["beat_instruments"].replace(" and ", ", ").split(", ") == sorted(
            parser.instrument_name(i) for i in heard
        )
        flute = sorted({p for i, s, e, p in truth["notes"] if i == "Flute" and s < b - 1e-6 and e > a + 1e-6})
        want = ", ".join(f"{music.note_name(p)} (MIDI {p})" for p in flute) or None
        assert r["beat_pitches"] == want
        assert r["pitch_question"].startswith("the flute (the melody) on beat")


def test_a_quirky_beatinfo_reads(corpus):
    text = (corpus.root / fixture.ANNOTATIONS / "0002_beatinfo.arff").read_text()
    assert "@DATA" not in text
    beats = parser.read_beats(corpus.root / fixture.ANNOTATIONS / "0003_beatinfo.arff")
    assert [t for t, _ in beats] == sorted({t for t, *_ in fixture.song_events("0003")[1]})


def test_a_bad_key_names_file_and_line(corpus):
    path, line = fixture.malform(corpus)
    with pytest.raises(parser.AAMFormatError, match=re.escape(f"{path}:{line}: 'Hmin' is not a key")):
        read_all(corpus.root)


def test_a_missing_mix_is_counted(corpus):
    fixture.drop_audio(corpus)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ids = [r["id"] for s in parser.list_shards(corpus.root)["train"] for r in parser.read_shard(corpus.root, s)]
    assert not any(i.startswith("0004@") for i in ids) and "0003@0" in ids
    assert "skipped 1 song(s) whose <id>_mix audio is missing (0004)" in str(caught[-1].message)


def test_beat_tracking_end_to_end(corpus):
    examples = stream("music.beat_tracking", corpus.root)
    assert sorted(record_id(e) for e in examples) == sorted(corpus.expected)
    for e in examples:
        truth, start, stop = window_of(corpus, record_id(e))
        points = [s.start for s in parse_segments(e["output"])]
        want = [t - start for t, *_ in truth["beats"] if start <= t < stop]
        assert len(points) == len(want) and all(abs(p - w) <= 0.006 for p, w in zip(points, want))
        audio = e["input_audios"][0]
        assert audio["array"].size == int(parser.WINDOW * fixture.RATE) and audio["sampling_rate"] == fixture.RATE
    first = next(e for e in examples if record_id(e) == "0001@10")["input_audios"][0]["array"]
    beat = 60 / 120
    onsets = np.flatnonzero(np.abs(first) > 0.3)
    assert onsets.size and abs((onsets[0] / fixture.RATE) % beat) < 0.02  # the window starts on the song's grid


def test_chord_estimation_end_to_end(corpus):
    examples = stream("music.chord_estimation", corpus.root)
    for e in examples:
        chords = parse_segments(e["output"])
        assert chords and all(re.fullmatch(r"[A-G][#b]?:(maj|min)|N", c.label) for c in chords)
        assert metadata(e)["song"] == record_id(e).split("@")[0]


def test_beat_level_tasks_end_to_end(corpus):
    instruments = stream("music.beat_level_instrument_recognition", corpus.root)
    records = {r["id"]: r for r in read_all(corpus.root)}
    assert sorted(record_id(e) for e in instruments) == sorted(corpus.expected)
    for e in instruments:
        assert records[record_id(e)]["beat_question"] in e["input"]
        assert e["output"].removesuffix(".").endswith(records[record_id(e)]["beat_instruments"])
    pitches = stream("music.beat_level_pitch_estimation", corpus.root, source="aam")
    assert sorted(record_id(e) for e in pitches) == sorted(k for k, r in records.items() if r["beat_pitches"])
    keys = stream("music.key_detection", corpus.root)
    assert sorted(record_id(e) for e in keys) == sorted(k for k, r in records.items() if r["key"])


def test_each_window_with_stems_gets_one_stem_of_an_instrument_that_plays_in_it(corpus):
    drawn = set()
    for r in read_all(corpus.root):
        song = r["song"]
        if song not in fixture.WITH_STEMS:
            assert r["stem"] is None and r["instrument_family"] is None and r["stem_instrument"] is None
            continue
        truth, start, stop = window_of(corpus, r["id"])
        playing = {i for i, s, e, _ in truth["notes"] if s < stop and e > start}
        instrument = next(i for i in playing if parser.instrument_name(i) == r["stem_instrument"])
        assert instrument != "Drums"  # no family among the options
        assert r["stem"] == Region(str(corpus.root / fixture.STEMS / f"{song}_{instrument}.flac"), start, parser.WINDOW)
        want = {"ElectricBass": "bass", "Flute": "flute", "Piano": "keyboard", "Violin": "string"}[instrument]
        assert r["instrument_family"] == want
        drawn.add(instrument)
    assert len(drawn) >= 2  # the hash draws different instruments across windows


def test_the_instrument_table_covers_the_generators_instruments_with_the_configs_options():
    from audio_flan.registry import load_registry

    options = set(load_registry()["music.instrument_classification"].options)
    assert len(parser.FAMILY) == 30 and "Drums" not in parser.FAMILY  # 31 defaults, drums without a family
    assert set(parser.FAMILY.values()) <= options


def test_instrument_classification_end_to_end(corpus):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        examples = stream("music.instrument_classification", corpus.root, source="aam")
    records = {r["id"]: r for r in read_all(corpus.root)}
    with_stem = sorted(k for k, r in records.items() if r["stem"] is not None)
    assert with_stem and sorted(record_id(e) for e in examples) == with_stem
    for e in examples:
        r = records[record_id(e)]
        assert e["output"].removesuffix(".").endswith(r["instrument_family"])
        (audio,) = e["input_audios"]
        truth, start, _ = window_of(corpus, r["id"])
        assert abs(len(audio["array"]) / audio["sampling_rate"] - parser.WINDOW) < 0.05
        # the stem holds only its instrument: its energy sits at that instrument's pitches
        instrument = next(i for i, *_ in truth["notes"] if parser.instrument_name(i) == r["stem_instrument"])
        spectrum = np.abs(np.fft.rfft(audio["array"]))
        peak = np.argmax(spectrum) * audio["sampling_rate"] / len(audio["array"])
        played = {music.frequency(p) for i, s, e_, p in truth["notes"] if i == instrument}
        assert min(abs(peak - f) for f in played) < 3.0
    reports = " ".join(str(w.message) for w in caught)
    assert any(k.startswith("0002@") for k in records) and "0002@0" in reports  # no stems: left out, counted
