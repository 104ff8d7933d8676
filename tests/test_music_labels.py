"""Musical labels spelled one way across corpora (audio_flan/sources/_music_labels.py)."""

from __future__ import annotations

import pytest

from audio_flan.sources import _music_labels as music


@pytest.mark.parametrize(
    "text, label",
    [
        ("C minor", "C minor"),  # GiantSteps
        ("Db major", "Db major"),
        ("C#maj", "Db major"),  # AAM spells sharps only
        ("A#min", "Bb minor"),
        ("Gb major", "F# major"),  # the six-accidental tie goes to F# major
        ("D# minor", "Eb minor"),  # and to Eb minor
        ("C#:minor", "C# minor"),  # JAMS key_mode
        ("eb minor", "Eb minor"),
        ("Fmaj", "F major"),
        ("Ab major", "Ab major"),
        ("G# minor", "G# minor"),
        ("Cb major", "B major"),
        ("E# minor", "F minor"),
    ],
)
def test_keys_have_one_spelling(text, label):
    assert music.key(text) == label
    assert label in music.KEYS


def test_there_are_24_keys_each_read_back_as_itself():
    assert len(set(music.KEYS)) == 24
    assert all(music.key(k) == k for k in music.KEYS)


@pytest.mark.parametrize("text", ["none", "H minor", "C dorian", "", "C", "major"])
def test_what_is_not_a_key_is_refused(text):
    with pytest.raises(ValueError, match="is not a key"):
        music.key(text)


@pytest.mark.parametrize(
    "a, b, relation",
    [
        ("C major", "C major", "the same key"),
        ("C major", "A minor", "relative keys"),
        ("A minor", "C major", "relative keys"),
        ("Eb major", "C minor", "relative keys"),
        ("C major", "C minor", "parallel keys"),
        ("C major", "G major", "unrelated keys"),
        ("A minor", "E minor", "unrelated keys"),
    ],
)
def test_key_relations(a, b, relation):
    assert music.key_relation(a, b) == relation


def test_genres_are_spelled_the_same_across_corpora():
    assert music.genre("hiphop") == music.genre("Hip-Hop") == music.genre("hip_hop") == "hip-hop"
    assert music.genre("Soul-RnB") == "soul and r&b" and music.genre("rnb") == "r&b"
    assert music.genre("  Easy   Listening ") == music.genre("easylistening") == "easy listening"
    with pytest.raises(ValueError):
        music.genre("  ")


def test_tempo_is_checked():
    assert music.bpm("125.87") == 125.87
    for bad in ("fast", "0", "nan", "1000", ""):
        with pytest.raises(ValueError, match="tempo"):
            music.bpm(bad)


def test_midi_pitches_and_note_names():
    assert music.note_name(60) == "C4" and music.note_name(69) == "A4" and music.note_name(61) == "C#4"
    assert music.note_name(0) == "C-1" and music.note_name(127) == "G9"
    assert all(music.midi_pitch(music.note_name(p)) == p for p in range(128))
    assert music.midi_pitch("Db4") == 61
    assert music.frequency(69) == 440.0
    for bad in (-1, 128, True):
        with pytest.raises(ValueError):
            music.note_name(bad)
    with pytest.raises(ValueError):
        music.midi_pitch("G#9")


def test_pitch_classes_outside_keys_have_one_spelling():
    assert [music.pitch_name(n) for n in ("G#", "Ab", "Db", "C#", "A#", "F#", "Gb", "Cb")] == [
        "Ab",
        "Ab",
        "C#",
        "C#",
        "Bb",
        "F#",
        "F#",
        "B",
    ]
    assert len(set(music.PITCH_NAMES)) == 12
