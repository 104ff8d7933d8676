"""The WavCaps parser on a copy in the published layout, and the five configs it feeds: captioning and text-to-audio
(one clip each), text-guided separation (two captioned clips mixed), continuation (a crop and what follows it) and
speech/non-speech detection (clips placed on a timeline, the segments known from the placement)."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import soxr
from corpora import audioset_strong as strong_fixture
from corpora import librispeech as librispeech_fixture
from corpora import wavcaps as fixture
from test_separate_shape import digest_in_subprocess
from util import metadata, record_id, stream

from audio_flan import dsp
from audio_flan.roles import RoleError
from audio_flan.segments import parse_segments
from audio_flan.shapes.continuation import CONTINUATION_SECONDS, MIN_CONTINUATION_SECONDS, PROMPT_SECONDS
from audio_flan.shapes.placement import CLIP_SECONDS, CLIPS
from audio_flan.shapes.separate import windowed
from audio_flan.sources import wavcaps as parser
from audio_flan.sources.base import CorpusFormatError


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return fixture.build(tmp_path_factory.mktemp("wavcaps"))


def read_all(root: Path) -> dict[str, dict]:
    return {r["id"]: r for shard in parser.list_shards(root)["train"] for r in parser.read_shard(root, shard)}


def samples(path: str) -> np.ndarray:
    return sf.read(path, dtype="float32")[0]


def test_records_per_subset_with_their_own_keys(corpus):
    records = read_all(corpus.root)
    assert set(records) == corpus.ids("train")
    # the same id in two subsets is two clips
    assert records["FreeSound_2219"]["audio"] != records["SoundBible_2219"]["audio"]
    assert records["AudioSet_SL_Yr1nicOVtvkQ"]["audio"].endswith("AudioSet_SL_flac/Yr1nicOVtvkQ.flac")
    assert records["SoundBible_2219"]["duration"] == 3.0 and records["SoundBible_2219"]["title"] == "Airplane Landing"
    assert records["FreeSound_180913"]["tags"] == ["field-recording", "outdoor"]
    assert records["AudioSet_SL_Yr1nicOVtvkQ"]["description"] is None
    for field in ("speech", "speech_source"):
        assert {r: v[field] for r, v in records.items()} == {r: v[field] for r, v in corpus.expected.items()}


def test_a_bare_list_json_is_read_too(corpus, tmp_path):
    copy = fixture.build(tmp_path)
    before = read_all(copy.root)
    path = copy.root / "json_files" / "SoundBible" / "sb_final.json"
    path.write_text(json.dumps(json.loads(path.read_text())["data"]))  # as the early GitHub copy has it
    assert read_all(copy.root) == before


def test_an_entry_without_caption_names_file_and_entry(tmp_path):
    copy = fixture.build(tmp_path)
    path = copy.root / "json_files" / "BBC_Sound_Effects" / "bbc_final.json"
    data = json.loads(path.read_text())
    del data["data"][1]["caption"]
    path.write_text(json.dumps(data))
    with pytest.raises(parser.WavCapsFormatError, match=re.escape(f"{path}:1: data[1] (NHU05104155): 'caption'")):
        read_all(copy.root)


def read_warned(root: Path) -> tuple[dict[str, dict], str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        records = read_all(root)
    return records, "\n".join(str(w.message) for w in caught)


def test_entries_on_a_blacklist_are_left_out_and_counted_under_their_own_reason(corpus):
    records, warned = read_warned(corpus.root)
    assert set(records) == corpus.ids("train")
    assert not {f"{s}_{parser._stem(s, c)}" for s, c, _, _ in fixture.BLACKLISTED} & set(records)
    reason = re.escape(parser.BLACKLISTED)
    # every listed entry counted once, the one without its FLAC as blacklisted, not as missing
    assert re.search(rf"AudioSet_SL shard 1/1 .*: skipped 1 {reason} \(data\[2\]: YUDGBjjwyaqE\)", warned)
    assert re.search(rf"skipped 2 {reason} \(data\[6\]: 117790, data\[7\]: 185374\)", warned)
    assert "185374.flac" not in warned and "skipped 1 entry(ies) whose FLAC is not in the folder" in warned


def test_without_the_blacklists_the_listed_entries_are_read(tmp_path):
    copy = fixture.build(tmp_path)
    for path in (copy.root / "json_files" / "blacklist").iterdir():
        path.unlink()
    records, warned = read_warned(copy.root)
    assert set(records) - copy.ids("train") == {"FreeSound_117790", "AudioSet_SL_YUDGBjjwyaqE"}
    assert parser.BLACKLISTED not in warned and "185374.flac" in warned  # now a missing FLAC like any other


def test_each_blacklist_present_applies(tmp_path):
    copy = fixture.build(tmp_path)
    (copy.root / "json_files" / "blacklist" / "blacklist_exclude_all_ac.json").unlink()
    (copy.root / "json_files" / "blacklist" / "blacklist_exclude_test_ac.json").unlink()
    records, _ = read_warned(copy.root)  # ub8k_esc50_vggsound lists only FreeSound 185374 (no FLAC)
    assert set(records) - copy.ids("train") == {"FreeSound_117790", "AudioSet_SL_YUDGBjjwyaqE"}


@pytest.mark.parametrize(
    "content, message",
    [
        ('["Yr1nicOVtvkQ.wav"]', ":1: a blacklist is a JSON object"),
        ('{"AudioCaps": []}', "key 'AudioCaps' is not AudioSet or FreeSound"),
        ('{"FreeSound": [117790]}', "'FreeSound' is not a list of clip ids (strings)"),
        ('{"FreeSound": ["117790",', ":1"),
    ],
)
def test_a_malformed_blacklist_names_its_file(tmp_path, content, message):
    copy = fixture.build(tmp_path)
    path = copy.root / "json_files" / "blacklist" / "blacklist_exclude_test_ac.json"
    path.write_text(content)
    with pytest.raises(parser.WavCapsFormatError, match=re.escape(f"{path}") + ".*" + re.escape(message)):
        read_all(copy.root)


STRONG_NAMES = {"/m/09x0r": "Speech", "/m/05zppz": "Male speech, man speaking", "/m/0395lw": "Bell", "/m/02dgv": "Door"}


def write_strong(root: Path, events: dict[str, list[str]]) -> None:
    """AudioSet strong-label TSVs (as the download page has them) in json_files/AudioSet_SL/: ytid -> its mids."""
    rows = [(f"{ytid}_30000", 1.0 + k, 2.5 + k, mid) for ytid, mids in events.items() for k, mid in enumerate(mids)]
    strong_fixture.write(root / "json_files" / "AudioSet_SL", STRONG_NAMES, {"train": rows})


def test_audioset_strong_labels_when_given_label_audioset_sl_clips(tmp_path):
    copy = fixture.build(tmp_path)
    write_strong(copy.root, {"r1nicOVtvkQ": ["/m/0395lw"], "-0BIyqJj9ZU": ["/m/05zppz", "/m/02dgv"]})
    records = read_all(copy.root)
    bell, person = records["AudioSet_SL_Yr1nicOVtvkQ"], records["AudioSet_SL_Y-0BIyqJj9ZU"]
    assert (bell["speech"], bell["speech_source"]) == ("non-speech", parser.STRONG_RULE)
    assert (person["speech"], person["speech_source"]) == (None, None)
    # a speech event in the strong labels keeps a clip out, whatever its caption says ("A bell rings ...")
    write_strong(copy.root, {"r1nicOVtvkQ": ["/m/0395lw", "/m/09x0r"]})
    bell = read_all(copy.root)["AudioSet_SL_Yr1nicOVtvkQ"]
    assert (bell["speech"], bell["speech_source"]) == (None, None)
    # a clip without strong-label rows, and the other subsets, keep the caption rule
    write_strong(copy.root, {"zzzzzzzzzzz": ["/m/0395lw"]})
    records = read_all(copy.root)
    assert records["AudioSet_SL_Yr1nicOVtvkQ"]["speech_source"] == parser.CAPTION_RULE
    assert records["FreeSound_180913"]["speech_source"] == parser.CAPTION_RULE


def test_strong_labels_without_their_names_file_or_with_a_bad_row_name_the_file(tmp_path):
    copy = fixture.build(tmp_path)
    write_strong(copy.root, {"r1nicOVtvkQ": ["/m/0395lw"]})
    folder = copy.root / "json_files" / "AudioSet_SL"
    tsv = folder / "audioset_train_strong.tsv"
    tsv.write_text(tsv.read_text().replace("/m/0395lw", "/m/nothing"))
    with pytest.raises(CorpusFormatError, match=re.escape(f"{tsv}:2: label '/m/nothing' is not in")):
        read_all(copy.root)
    (folder / "mid_to_display_name.tsv").unlink()
    with pytest.raises(parser.WavCapsFormatError, match="need mid_to_display_name.tsv"):
        read_all(copy.root)


@pytest.mark.parametrize(
    "caption, expected",
    [
        ("A man is speaking over a radio.", "speech"),
        ("People are talking in a busy cafe.", "speech"),
        ("A dog barks twice.", "non-speech"),
        ("A woman laughs loudly.", None),  # a human voice, maybe speech: not used
        ("A choir sings in a church.", None),
        ("An angry squirrel is chattering.", None),  # chatter: animals as often as people
        ("A baby is speaking gibberish.", None),  # vocal sounds that are not words
    ],
)
def test_speech_class_from_the_caption(caption, expected):
    assert parser.speech_class(caption) == expected


def test_caption_and_text_to_audio_end_to_end(corpus):
    for e in stream("audio.caption", corpus.data_dir):
        assert e["output"].endswith(corpus.expected[record_id(e)]["caption"])
        assert e["input_audios"][0]["sampling_rate"] == fixture.RATE
    for e in stream("audio.text_to_audio", corpus.data_dir):
        assert corpus.expected[record_id(e)]["caption"] in e["input"]
        assert e["output_audios"][0]["path"] == corpus.expected[record_id(e)]["audio"]


def test_text_guided_separation_mixes_two_clips_and_the_caption_names_the_target(corpus):
    examples = stream("audio.text_guided_source_separation", corpus.data_dir)
    assert len(examples) == len(corpus.expected)
    for e in examples:
        sep = metadata(e)["separation"]
        target, other = corpus.expected[sep["target"]], corpus.expected[sep["interferer"]]
        assert target["caption"] != other["caption"]
        assert e["input"].splitlines()[-1].endswith(target["caption"])
        mixture, answer = e["input_audios"][0]["array"], e["output_audios"][0]["array"]
        np.testing.assert_array_equal(answer, samples(target["audio"]))
        interferer = samples(other["audio"])[: answer.size]
        gain = np.sqrt(dsp.power(answer) / (dsp.power(interferer) * 10 ** (sep["tir_db"] / 10)))
        np.testing.assert_allclose(mixture - answer, gain * interferer, atol=1e-6)


def test_a_long_source_is_cut_to_a_window_at_a_drawn_offset(corpus):
    path = corpus.expected["FreeSound_180913"]["audio"]
    whole = samples(path)
    value = windowed(path, 0, "some/instance", "window.target", 1.0)
    array, rate = value.render()
    start = round(value.offset * rate)
    assert array.size == rate and 0 <= value.offset <= whole.size / rate - 1.0
    np.testing.assert_array_equal(array, whole[start : start + rate])
    assert windowed(path, 1, "some/instance", "window.target", 1.0).offset != value.offset
    assert windowed(path, 0, "some/instance", "window.target", 10.0).to_dict() == {"type": "file", "path": path}


def test_continuation_is_the_audio_right_after_the_prompt(corpus):
    examples = stream("audio.continuation", corpus.data_dir)
    assert len(examples) == len(corpus.expected)
    for e in examples:
        cont = metadata(e)["continuation"]
        whole = samples(corpus.expected[record_id(e)]["audio"])
        prompt, follow = e["input_audios"][0]["array"], e["output_audios"][0]["array"]
        start = round(cont["start"] * fixture.RATE)
        np.testing.assert_array_equal(
            np.concatenate([prompt, follow]), whole[start : start + prompt.size + follow.size]
        )
        assert PROMPT_SECONDS[0] <= cont["prompt_seconds"] <= PROMPT_SECONDS[1]
        assert MIN_CONTINUATION_SECONDS <= cont["continuation_seconds"] <= CONTINUATION_SECONDS
        assert prompt.size == round((cont["start"] + cont["prompt_seconds"]) * fixture.RATE) - start


def test_a_clip_too_short_to_continue_is_counted(tmp_path):
    copy = fixture.build(tmp_path)
    short = copy.expected["FreeSound_180913"]["audio"]
    sf.write(short, fixture.sound(0, 2.5), fixture.RATE, subtype="PCM_16", format="FLAC")
    with pytest.warns(UserWarning, match=r"skipped 1 record\(s\) too short to continue \(FreeSound_180913"):
        examples = stream("audio.continuation", copy.data_dir)
    assert sorted(record_id(e) for e in examples) == sorted(set(copy.expected) - {"FreeSound_180913"})


@pytest.fixture(scope="module")
def with_speech(tmp_path_factory):
    """WavCaps beside LibriSpeech (the speech role's corpus), in one data_dir."""
    base = tmp_path_factory.mktemp("wavcaps_speech")
    return fixture.build(base), librispeech_fixture.build(base)


def clip_samples(path: str, offset: float, length: float, rate: int) -> np.ndarray:
    """A placed clip's samples as the placement renders them: the region, resampled to the timeline's rate."""
    array, own = sf.read(path, dtype="float32")
    region = array[round(offset * own) : round((offset + length) * own)]
    return region if own == rate else soxr.resample(region, own, rate, quality="HQ")


def timeline(placement: list[dict], wavcaps, speech, size: int) -> np.ndarray:
    """The placed clips laid end to end, before the peak limit."""
    out = np.zeros(size, dtype=np.float32)
    for item in placement:
        corpus = speech if item["label"] == "speech" else wavcaps
        part = clip_samples(
            corpus.expected[item["id"]]["audio"], item["offset"], item["end"] - item["start"], fixture.RATE
        )
        first = round(item["start"] * fixture.RATE)
        out[first : first + part.size] = part[: size - first]
    return out


def test_speech_nonspeech_segments_are_the_placement_with_each_label_s_provenance(with_speech):
    wavcaps, speech = with_speech
    examples = stream("audio.speech_nonspeech_detection", wavcaps.data_dir)
    nonspeech = [k for k, v in wavcaps.expected.items() if v["speech"] == "non-speech"]
    assert sorted(metadata(e)["placement"][0]["id"] for e in examples) == sorted(nonspeech)
    placed_speech = set()
    for e in examples:
        meta = metadata(e)
        placement = meta["placement"]
        assert CLIPS[0] <= len(placement) <= CLIPS[1]
        audio = e["input_audios"][0]["array"]
        for before, after in zip(placement, placement[1:]):
            assert before["label"] != after["label"] and before["end"] == after["start"]
        for k, item in enumerate(placement):
            if item["label"] == "speech":  # a clip of the speech corpus, never a WavCaps clip
                source = speech.expected[item["id"]]
                assert (item["source"], item["parser"]) == ("LibriSpeech", "librispeech")
                assert item["label_source"] == "role speech: LibriSpeech"
                assert source["split"] == "train"  # WavCaps is all train: speech of the train split only
                assert meta["roles"][f"speech.{k}"]["id"] == item["id"]
                placed_speech.add(item["id"])
            else:
                source = wavcaps.expected[item["id"]]
                assert item["label"] == source["speech"] == "non-speech" and item["source"] == "WavCaps"
                assert item["label_source"] == parser.CAPTION_RULE
            assert item["end"] - item["start"] <= CLIP_SECONDS[1] + 1e-9
        assert audio.size == round(placement[-1]["end"] * fixture.RATE)
        expected = timeline(placement, wavcaps, speech, audio.size)
        k = min(1.0, dsp.MIX_PEAK / float(np.abs(expected).max()))  # the peak limit
        np.testing.assert_allclose(audio, k * expected, atol=1e-5)
        assert meta["simulation"]["peak"] == dsp.MIX_PEAK
        assert meta["licenses"] == {"WavCaps": parser.SOURCE.license, "LibriSpeech": "CC BY 4.0"}
        answer = parse_segments(e["output"])
        assert [(s.start, s.end, s.label) for s in answer] == [
            (round(p["start"] + 1e-9, 2), round(p["end"] + 1e-9, 2), p["label"]) for p in placement
        ]
    assert placed_speech and len(placed_speech) > 1  # drawn from the pool, not one clip over and over


def test_a_caption_that_says_speech_does_not_label_its_clip_speech(with_speech):
    wavcaps, _ = with_speech
    said_speech = {f"{s}_{c.removesuffix('.wav')}" for s, c, _, present, cls in fixture.ENTRIES if cls == "speech"}
    assert "FreeSound_2219" in said_speech  # "A man is speaking into a microphone.": a tone, not a speech corpus clip
    assert all(wavcaps.expected[r]["speech"] is None for r in said_speech if r in wavcaps.expected)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        examples = stream("audio.speech_nonspeech_detection", wavcaps.data_dir)
    placed = {item["id"] for e in examples for item in metadata(e)["placement"]}
    assert placed and not placed & said_speech
    # the clips left out are counted, not dropped silently
    said = "\n".join(str(w.message) for w in caught)
    assert "record(s) without a speech label, not placed" in said and "FreeSound_2219" in said


def test_without_a_speech_corpus_the_error_names_the_corpora_looked_for(corpus):
    with pytest.raises(RoleError, match=r"role 'speech'.*LibriSpeech.*LibriTTS-R"):
        stream("audio.speech_nonspeech_detection", corpus.data_dir)


def test_a_timeline_of_full_scale_clips_is_scaled_below_the_peak_limit(tmp_path):
    wavcaps, speech = fixture.build(tmp_path), librispeech_fixture.build(tmp_path)
    for path in [v["audio"] for v in wavcaps.expected.values()] + [v["audio"] for v in speech.expected.values()]:
        array, rate = sf.read(path, dtype="float32")
        sf.write(path, array / np.abs(array).max(), rate, subtype="PCM_16")  # peaks at full scale
    examples = stream("audio.speech_nonspeech_detection", wavcaps.data_dir)
    assert examples
    for e in examples:
        audio = e["input_audios"][0]["array"]
        unscaled = timeline(metadata(e)["placement"], wavcaps, speech, audio.size)
        assert np.abs(unscaled).max() > dsp.MIX_PEAK  # it would be above the limit
        np.testing.assert_allclose(audio, dsp.MIX_PEAK / np.abs(unscaled).max() * unscaled, atol=1e-5)
        assert float(np.abs(audio).max()) == pytest.approx(dsp.MIX_PEAK, abs=1e-6)


def test_same_timelines_in_other_processes_whatever_the_hash_seed(with_speech):
    assert len(digest_in_subprocess("audio.speech_nonspeech_detection", with_speech[0].data_dir, "wavcaps")) == 1
