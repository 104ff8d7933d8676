"""Records written as the Audio-FLAN paper and card print them: task names with the paper's punctuation and typos,
``domain: "sound"``, absolute scp paths, paths relative to ``audio_files/<domain>/``, nearly-right markers."""

from __future__ import annotations

import os

import pytest
from corpora.release import Release, record
from util import stream

from audio_flan.cli import main
from audio_flan.registry import normalise_task_name
from audio_flan.sources._release_format import ReleaseFormatError
from audio_flan.sources.release import NearMarkerWarning, UnmatchedTaskWarning

LIB = "13_LibriTTS-R"


def test_the_normaliser_ignores_punctuation_and_the_hyphen_of_non_speech():
    assert normalise_task_name("Speech, Silence, Music and Noise Classification") == normalise_task_name(
        "Speech Silence Music and Noise Classification"
    )
    assert normalise_task_name("Speech/Non-speech Detection") == normalise_task_name("speech nonspeech  detection")
    assert normalise_task_name("Beat-level Instrument(s) Recognition") == "beat level instrument s recognition"


@pytest.mark.parametrize(
    "domain, folder, minor, config",
    [
        ("speech", "07_HQ-Conversations", "Device Recognitin", "speech.device_recognition"),
        ("speech", LIB, "Zero-shot Text to Speech/Voice Cloning", "speech.zero_shot_tts"),
        ("music", "26_Opencpop", "Lyrics2song Generation", "music.lyrics_to_song"),
        ("audio", "178_WavCaps", "Speech and Non-speech Detection", "audio.speech_nonspeech_detection"),
        (
            "audio",
            "170_AudioSet",
            "Speech Silence Music and Noise Classification",
            "audio.speech_music_noise_classification",
        ),
    ],
)
def test_the_papers_spellings_reach_their_configs(tmp_path, domain, folder, minor, config):
    rel = Release(tmp_path)
    a = rel.audio(domain, folder, "clip")
    rel.jsonl(domain, folder, [record("p-1", minor, domain=domain, inp=f"audio: <|SOA|>{a}<|EOA|>")])
    assert [e["id"] for e in stream(config, tmp_path)] == ["p-1"]


def test_domain_sound_is_read_as_audio(tmp_path):
    rel = Release(tmp_path)
    a = rel.audio("audio", "172_ESC-50", "dog")
    rel.jsonl(
        "audio", "172_ESC-50", [record("s-1", "Sound Event Recognition", domain="sound", inp=f"<|SOA|>{a}<|EOA|>")]
    )
    (example,) = stream("audio.sound_event_recognition", tmp_path)
    assert example["domain"] == "audio" and example["input_audios"][0]["array"].size > 0


def _one(tmp_path, scp_path: str):
    rel = Release(tmp_path / "Audio-FLAN-Dataset")
    rel.audio("speech", LIB, "x")  # audio_files/speech/13_LibriTTS-R/x.wav and a line we do not use
    rel.scp_line("speech", LIB, f"{LIB}_y {scp_path}")
    rel.jsonl("speech", LIB, [record("r", "ASR", inp=f"audio: <|SOA|>{LIB}_y<|EOA|>")])
    return rel.root


def test_an_absolute_scp_path_resolves_by_its_tail_from_audio_files(tmp_path):
    root = _one(tmp_path, f"/mnt/hkust/Audio-FLAN-Dataset/audio_files/speech/{LIB}/x.wav")
    (example,) = stream("speech.asr", root)
    assert example["input_audios"][0]["path"] == str(root / "audio_files/speech" / LIB / "x.wav")
    assert example["input_audios"][0]["array"].size > 0


@pytest.mark.parametrize(
    "bad",
    [f"/elsewhere/speech/{LIB}/x.wav", f"/x/audio_files/speech/{LIB}/missing.wav", "/x/audio_files/../../etc/passwd"],
)
def test_an_absolute_scp_path_without_a_tail_under_the_root_is_refused(tmp_path, bad):
    root = _one(tmp_path, bad)
    with pytest.raises(ReleaseFormatError, match="leaves the dataset root"):
        stream("speech.asr", root)


def test_an_absolute_tail_through_a_symlink_out_of_the_root_is_refused(tmp_path):
    outside = tmp_path / "outside.wav"
    outside.write_bytes(b"RIFF")
    root = _one(tmp_path, f"/mnt/audio_files/speech/{LIB}/link.wav")
    os.symlink(outside, root / "audio_files/speech" / LIB / "link.wav")
    with pytest.raises(ReleaseFormatError, match="leaves the dataset root"):
        stream("speech.asr", root)


def test_a_path_relative_to_the_domain_folder_resolves(tmp_path):
    root = _one(tmp_path, f"{LIB}/x.wav")
    (example,) = stream("speech.asr", root)
    assert example["input_audios"][0]["path"] == str(root / "audio_files/speech" / LIB / "x.wav")


def test_a_nearly_right_marker_is_counted_and_reported(tmp_path):
    rel = Release(tmp_path)
    a = rel.audio("speech", LIB, "a")
    path = rel.jsonl(
        "speech",
        LIB,
        [record("ok", "ASR", inp=f"audio: <|SOA|>{a}<|EOA|>"), record("near", "ASR", inp=f"audio: <|SOA|{a}<|EOA|>")],
    )
    # a malformed record: an error naming the line by default, counted and reported under on_error="skip"
    with pytest.raises(ReleaseFormatError, match=rf"{path}:2: the input has unbalanced .* nearly right marker"):
        stream("speech.asr", tmp_path)
    with pytest.warns(NearMarkerWarning, match=rf"1 records of speech.asr .* nearly right .* first at {path}:2"):
        examples = stream("speech.asr", tmp_path, on_error="skip")
    assert [e["id"] for e in examples] == ["ok"]


def test_the_report_lists_unknown_spellings_and_a_load_warns_about_them(tmp_path, capsys):
    rel = Release(tmp_path / "Audio-FLAN-Dataset")
    a = rel.audio("speech", LIB, "a")
    path = rel.jsonl(
        "speech",
        LIB,
        [record(f"asr-{i}", "ASR", inp=f"<|SOA|>{a}<|EOA|>") for i in range(3)]
        + [record(f"u-{i}", "Speech Recognitin Plus", inp=f"<|SOA|>{a}<|EOA|>") for i in range(2)]
        + [record("dev-u", "Speech Recognitin Plus", split=["dev"]), record("m", "Key Detection", domain="music")],
    )
    with pytest.warns(
        UnmatchedTaskWarning, match=rf"3 records of the speech domain .*'Speech Recognitin Plus'.* first at {path}:4"
    ):
        assert len(stream("speech.asr", rel.root)) == 3
    assert main(["release-report", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert any(l.split()[:3] == ["3", "speech.asr", "ASR"] for l in lines)
    train = lines[lines.index("speech / train") :]
    assert any(l.split()[:2] == ["2", "NONE"] and "Speech Recognitin Plus" in l and f"{path}:4" in l for l in train)
    dev = lines[lines.index("speech / validation") :]
    assert dev[2].split()[:2] == ["1", "NONE"]
    assert "none: music.key_detection is read from metadata/music/" in out  # a music record in a speech folder
    empty = next(l for l in lines if l.startswith("configs with no records"))
    assert "speech.tts" in empty and "speech.asr" not in empty and "(79)" in empty
