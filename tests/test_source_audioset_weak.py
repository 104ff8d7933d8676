"""AudioSet weak labels on a copy in the published layout: the segments CSVs' comment header and quoted label
lists, the clip naming conventions, absent clips counted, the speech/music/noise/silence mapping, and the configs
they feed (speech/music/noise classification, inpainting, super-resolution), with m4a clips through the video
extra."""

from __future__ import annotations

import shutil
import warnings

import numpy as np
import pytest
from containers import HAVE_AV, write_container
from corpora import audioset_strong as strong_fixture
from corpora import audioset_weak as fixture
from util import corpus_fixture, metadata, record_id, records_of_split, stream

from audio_flan.registry import load_registry
from audio_flan.sources import _audioset_esc50
from audio_flan.sources import audioset_weak as parser
from audio_flan.sources.base import SkippedItemsWarning
from audio_flan.video_decode import MissingExtraError

corpus = corpus_fixture(fixture.build)


def read(root, split):
    return records_of_split(parser, root, split)


def test_records_match_the_csvs_and_absent_clips_are_counted(corpus):
    records, reports = read(corpus.root, "train")
    want = {k: v for k, v in corpus.expected.items() if v["split"] == "train"}
    assert {r["id"]: r["audio"] for r in records} == {k: v["audio"] for k, v in want.items()}
    for r in records:
        assert {k: r[k] for k in ("ytid", "start", "end", "content", "subset")} == {
            k: want[r["id"]][k] for k in ("ytid", "start", "end", "content", "subset")
        }
        assert sorted(r["mids"]) == want[r["id"]]["mids"]
        assert r["labels"] == [fixture.NAMES[m] for m in r["mids"]]
    noise = next(r for r in records if r["ytid"] == "0FMdORf5iGs")
    assert "Vehicle horn, car horn, honking" in noise["labels"]  # a quoted display name with commas
    path = corpus.root / "metadata" / "balanced_train_segments.csv"
    assert reports == [
        f"AudioSet {path} shard 1/1: skipped 1 segment(s) whose clip is not in the folder (zzAbsentClp_0)"
    ]


def test_the_csvs_may_sit_at_the_root_and_detection_wants_the_class_list(corpus, tmp_path):
    before = read(corpus.root, "test")[0]
    for path in (corpus.root / "metadata").iterdir():
        shutil.move(str(path), corpus.root / path.name)
    assert parser.detect(corpus.root) and read(corpus.root, "test")[0] == before
    (corpus.root / "class_labels_indices.csv").unlink()
    assert not parser.detect(corpus.root)
    assert not parser.detect(strong_fixture.build(tmp_path / "strong").root)


@pytest.mark.parametrize(
    "mids, content",
    [
        (["/m/09x0r"], "speech"),
        (["/m/02zsn", "/m/0bt9lr"], "speech"),  # female speech over a dog
        (["/m/09x0r", "/m/07rgkc5"], "speech"),  # speech over static
        (["/m/0l14j_"], "music"),  # a flute without the Music class itself
        (["/t/dd00004", "/m/0k4j"], "music"),  # female singing, a car
        (["/m/09x0r", "/m/015lz1"], None),  # speech and singing
        (["/m/028v0c"], "silence"),
        (["/m/028v0c", "/m/096m7z"], None),
        (["/m/0chx_", "/m/0bt9lr"], "noise"),
        (["/m/0bt9lr", "/m/05tny_"], None),  # sound events only: not noise-like
    ],
)
def test_content_mapping(mids, content):
    assert parser.content_of(mids) == content


def test_speech_music_noise_classification_answers_the_mapped_class(corpus):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        train = stream("audio.speech_music_noise_classification", corpus.data_dir, source="audioset_weak")
        test = stream("audio.speech_music_noise_classification", corpus.data_dir, split="test", source="audioset_weak")
    answers = {record_id(e): e["output"].rstrip(".").split()[-1].lower() for e in train + test}
    assert answers == {
        "--PJHxphWEs_30000": "speech",
        "-0SdAVK79lg_0": "music",
        "0FMdORf5iGs_10000": "noise",
        "UnBal_12345_40000": "noise",
        "Q-w_e_r_t_y_30000": "silence",
    }
    assert all(e["source"] == "AudioSet" and len(e["input_audios"]) == 1 for e in train + test)
    reports = " ".join(str(w.message) for w in caught if issubclass(w.category, SkippedItemsWarning))
    assert "a_b-c_d-e_f_20000" in reports and "rainThunder_0" in reports and "(dogBarks001_0)" in reports


@pytest.mark.parametrize(
    "mids, event",
    [
        (["/m/0bt9lr", "/m/05tny_"], "dog"),  # Dog and Bark name one category
        (["/m/09x0r", "/m/05tny_"], "dog"),  # speech is no option: the bark decides
        (["/m/012n7d", "/m/03kmc9"], "siren"),  # Ambulance (siren), Siren
        (["/m/06mb1", "/m/0ngt1"], None),  # rain and thunder: two categories, left out
        (["/m/03vt0", "/m/09xqv"], "crickets"),  # Insect is a parent of several: not mapped
        (["/m/09b5t"], None),  # Chicken, rooster: hen or rooster
        (["/m/07q0h5t"], None),  # Bleat: goat or sheep
        (["/m/09x0r", "/m/04rlf"], None),
    ],
)
def test_esc50_category_mapping(mids, event):
    assert _audioset_esc50.esc50_category(mids) == event


def test_the_esc50_table_maps_each_class_once_into_the_task_options():
    table = _audioset_esc50._MIDS_OF
    assert sum(len(mids.split()) for mids in table.values()) == len(_audioset_esc50.ESC50_OF)  # no mid twice
    options = set(load_registry()["audio.sound_event_recognition"].options)
    assert set(table) <= options and len(table) == 45
    assert options - set(table) == {
        "mouse click",
        "drinking sipping",
        "door wood creaks",
        "can opening",
        "washing machine",
    }


def test_sound_event_recognition_answers_the_one_mapped_category(corpus):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        train = stream("audio.sound_event_recognition", corpus.data_dir, source="audioset_weak")
        test = stream("audio.sound_event_recognition", corpus.data_dir, split="test", source="audioset_weak")
    answers = {record_id(e): e["output"].rstrip(".").lower() for e in train + test}
    assert set(answers) == {"0FMdORf5iGs_10000", "dogBarks001_0"}
    assert answers["0FMdORf5iGs_10000"].endswith("car horn") and answers["dogBarks001_0"].endswith("dog")
    reports = " ".join(str(w.message) for w in caught if issubclass(w.category, SkippedItemsWarning))
    assert "rainThunder_0" in reports and "a_b-c_d-e_f_20000" in reports  # two categories, none: counted


def test_inpainting_and_super_resolution_from_weak_label_clips(corpus):
    gaps = stream("audio.inpainting", corpus.data_dir, source="audioset_weak")
    assert sorted(record_id(e) for e in gaps) == sorted(corpus.ids("train"))
    for e in gaps:
        clean = e["output_audios"][0]["array"]
        gap = metadata(e)["simulation"]
        assert gap and len(e["input_audios"][0]["array"]) == len(clean)
    limited = stream("audio.super_resolution", corpus.data_dir, split="test", source="audioset_weak")
    assert sorted(record_id(e) for e in limited) == sorted(corpus.ids("test"))


def test_an_m4a_clip_is_found_and_decodes_through_the_video_extra(corpus):
    wav = corpus.root / "audios" / "eval_segments" / "YQ-w_e_r_t_y.wav"
    wav.unlink()
    m4a = wav.with_suffix(".m4a")
    if HAVE_AV:
        write_container(m4a, freq=500.0, seconds=1.0)
    else:
        m4a.write_bytes(b"\x00\x00\x00\x20ftypM4A " + b"\x00" * 64)
    (record,) = [r for r in read(corpus.root, "test")[0] if r["ytid"] == "Q-w_e_r_t_y"]
    assert record["audio"] == str(m4a)
    (example,) = [
        e
        for e in stream(
            "audio.speech_music_noise_classification", corpus.data_dir, split="test", source="audioset_weak"
        )
        if record_id(e) == "Q-w_e_r_t_y_30000"
    ]
    if not HAVE_AV:
        with pytest.raises(MissingExtraError, match=r"audio-flan\[video\]"):
            example["input_audios"][0]["array"]
        return
    audio = example["input_audios"][0]
    assert audio["sampling_rate"] == 16000 and abs(len(audio["array"]) / 16000 - 1.0) < 0.1
    spectrum = np.abs(np.fft.rfft(audio["array"]))
    assert abs(np.argmax(spectrum) * 16000 / len(audio["array"]) - 500.0) < 2.0


@pytest.mark.parametrize(
    "line, message",
    [
        (
            '-0SdAVK79lg, 0.000, 10.000, "/m/04rlf,/m/nonesuch"',
            "label '/m/nonesuch' is not in class_labels_indices.csv",
        ),
        ("-0SdAVK79lg, 0.000, 10.000, /m/04rlf,/m/0342h", "expected 4 fields"),
        ("-0SdAVK79lg, 0.000, 10.000", "expected 4 fields"),
        ('-0SdAVK79lg, ten, 10.000, "/m/04rlf"', "start_seconds is 'ten'"),
        ('-0SdAVK79lg, 10.000, 10.000, "/m/04rlf"', "end_seconds 10.0 is not after start_seconds 10.0"),
        ('short, 0.000, 10.000, "/m/04rlf"', "YTID 'short' is not an 11-character YouTube id"),
    ],
)
def test_a_bad_line_names_file_and_line(corpus, line, message):
    path = corpus.root / "metadata" / "balanced_train_segments.csv"
    fixture.replace_line(path, 5, line)
    with pytest.raises(parser.AudioSetWeakFormatError, match=f"{path}:5: {message}"):
        read(corpus.root, "train")


def test_a_bad_class_list_names_file_and_line(corpus):
    path = corpus.root / "metadata" / "class_labels_indices.csv"
    fixture.replace_line(path, 3, '1,Male speech,"/m/05zppz"')
    with pytest.raises(parser.AudioSetWeakFormatError, match=f"{path}:3: expected"):
        read(corpus.root, "test")
