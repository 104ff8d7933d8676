"""Opencpop as its release extracts: ``midis/ textgrids/ wavs/`` per song and ``segments/`` with the utterance WAVs
and the ``|``-separated label files (``transcriptions.txt``, ``train.txt``, ``test.txt``), or ESPnet's arrangement
with the song folders under ``raw_data/``. The quirks: black keys spelled twice (``D#4/Eb4``), ``rest`` notes under
``AP``/``SP``, a slurred final, and a listed utterance whose WAV is absent. The WAVs sing (sine tones) each phoneme
at its note for its duration."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from audio_flan.sources import _music_labels as music

from .common import Corpus, replace_line, wav_bytes

RATE = 44100
ROOT = "Opencpop"
#: utterance id, text, phonemes, notes, phoneme durations, slur flags
UTTERANCES = [
    (
        "2001000001",
        "感受停在",
        "g an sh ou t ing z ai AP",
        "D#4/Eb4 D#4/Eb4 D4 D4 C4 C4 A#3/Bb3 A#3/Bb3 rest",
        "0.05 0.1 0.04 0.11 0.03 0.12 0.05 0.1 0.08",
        "0 0 0 0 0 0 0 0 0",
    ),
    (
        "2001000002",
        "我发端",
        "w o o f a d uan SP",
        "C4 C4 D4 E4 E4 F4 F4 rest",
        "0.04 0.08 0.1 0.05 0.1 0.04 0.12 0.06",
        "0 0 1 0 0 0 0 0",
    ),
    ("2001000003", "的指尖", "d e zh i", "G4 G4 A4 A4", "0.05 0.1 0.05 0.1", "0 0 0 0"),  # WAV absent
    ("2002000001", "天空", "t ian k ong SP", "E4 E4 G#4/Ab4 G#4/Ab4 rest", "0.05 0.12 0.05 0.12 0.05", "0 0 0 0 0"),
]
TEST_SONGS = ("2002",)
ABSENT = "2001000003"
#: the scores the parser must write (initials joined to finals, the slurred "o" a note of its own, rests left out)
SCORES = {
    "2001000001": "0.00-0.15: gan D#4\n0.15-0.30: shou D4\n0.30-0.45: ting C4\n0.45-0.60: zai A#3",
    "2001000002": "0.00-0.12: wo C4\n0.12-0.22: o D4\n0.22-0.37: fa E4\n0.37-0.53: duan F4",
    "2002000001": "0.00-0.17: tian E4\n0.17-0.34: kong G#4",
}


def label_line(utt: str, text: str, phonemes: str, notes: str, ph_durs: str, slurs: str) -> str:
    # the note duration repeats per phoneme of a syllable, as in the release; the parser times by phoneme durations
    note_durs = " ".join("0.4" for _ in phonemes.split())
    return "|".join((utt, text, phonemes, notes, note_durs, ph_durs, slurs))


def sung(notes: str, ph_durs: str) -> np.ndarray:
    parts = []
    for note, seconds in zip(notes.split(), ph_durs.split(), strict=True):
        n = int(float(seconds) * RATE)
        if note == "rest":
            parts.append(np.zeros(n, dtype=np.float32))
        else:
            freq = music.frequency(music.midi_pitch(note.split("/")[0]))
            parts.append((0.3 * np.sin(2 * np.pi * freq * np.arange(n) / RATE)).astype(np.float32))
    return np.concatenate(parts)


def write_corpus(
    root: Path,
    utterances: list[tuple[str, ...]],
    test_songs: tuple[str, ...],
    espnet: bool = False,
    absent: tuple[str, ...] = (),
) -> dict[str, Path]:
    """The release's folders and files for ``utterances``; ``espnet`` puts the song folders under ``raw_data/``.
    Returns the WAV of each utterance (absent ones not written)."""
    songs_root = root / "raw_data" if espnet else root
    segments = root / "segments"
    (segments / "wavs").mkdir(parents=True)
    for sub in ("midis", "textgrids", "wavs"):
        (songs_root / sub).mkdir(parents=True, exist_ok=True)
    wavs = {}
    for utt, _text, _phs, notes, ph_durs, _slurs in utterances:
        song = utt[:4]
        (songs_root / "midis" / f"{song}.midi").write_bytes(b"MThd\x00\x00\x00\x06\x00\x00\x00\x01\x01\xe0")
        (songs_root / "textgrids" / f"{song}.TextGrid").write_text('File type = "ooTextFile"\n', encoding="utf-8")
        (songs_root / "wavs" / f"{song}.wav").write_bytes(wav_bytes(np.zeros(441, dtype=np.float32), RATE))
        if utt in absent:
            continue
        wavs[utt] = segments / "wavs" / f"{utt}.wav"
        wavs[utt].write_bytes(wav_bytes(sung(notes, ph_durs), RATE))
    lines = {u[0]: label_line(*u) for u in utterances}
    test = [u for u in lines if u[:4] in test_songs]
    train = [u for u in lines if u not in test]
    for name, ids in (("transcriptions.txt", list(lines)), ("train.txt", train), ("test.txt", test)):
        (segments / name).write_text("".join(lines[u] + "\n" for u in ids), encoding="utf-8")
    (root / "TERMS_OF_ACCESS").write_text("Opencpop terms of access\n", encoding="utf-8")
    (root / "readme.md").write_text("# Opencpop\n", encoding="utf-8")
    return wavs


def build(base: Path, espnet: bool = False) -> Corpus:
    root = base / ROOT
    wavs = write_corpus(root, UTTERANCES, TEST_SONGS, espnet, absent=(ABSENT,))
    expected = {
        utt: {
            "audio": str(wavs[utt]),
            "song": utt[:4],
            "lyrics": text,
            "notes": SCORES[utt],
            "split": "test" if utt[:4] in TEST_SONGS else "train",
        }
        for utt, text, *_ in UTTERANCES
        if utt != ABSENT
    }
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    """Line 2 of train.txt (2001000002) loses its slur flags."""
    path = corpus.root / "segments" / "train.txt"
    replace_line(path, 2, label_line(*UTTERANCES[1]).rsplit("|", 1)[0])
    return path, 2


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    rid = "2001000001"
    Path(corpus.expected[rid]["audio"]).unlink()
    return "train", rid
