"""Musical labels spelled one way across corpora: keys, tempi, genre names, MIDI pitches and note names.

Every music parser maps its corpus's spellings through here, so that "Db major" (GiantSteps), "C#maj" (AAM) and
"C#:major" (JAMS) are one label, and "hiphop" (GTZAN), "Hip-Hop" (FMA) and "hip_hop" are one genre.

Keys: ``"<tonic> <mode>"``, mode ``major`` or ``minor``, the tonic spelled as the key signature with the fewest
accidentals spells it (the key a musician writes): major ``C Db D Eb E F F# G Ab A Bb B``, minor
``C C# D Eb E F F# G G# A Bb B``. The two six-accidental ties are decided for the commoner spelling, F# major
(not Gb) and Eb minor (not D#). So "A#min" reads as "Bb minor" and "Gb major" as "F# major": 24 labels in all
(:data:`KEYS`). Atonal or unannotated material has no key (None), never a made-up one.

Tempo: beats per minute as a float, from 20 to 400 (outside that, an annotation is an error, not a tempo).
"Which is faster" compares annotated tempi and draws only pairs at least :data:`TEMPO_MARGIN_BPM` apart.

Genres: lower case, words separated by spaces, "hip-hop" and "r&b" as written in English (:func:`genre`).

Pitch classes outside a key (a scale's tonic, a chord root): ``C C# D Eb E F F# G Ab A Bb B`` (:func:`pitch_name`).

Pitches: MIDI note numbers 0-127; note names in scientific pitch notation with sharps, middle C (60) = ``C4``,
A4 (69) = 440 Hz. A pitch annotated in Hz is the nearest MIDI number (:func:`midi_from_hz`: equal temperament,
rounded, so 143.7 Hz, 37 cents below D3, is D3).
"""

from __future__ import annotations

import math
import re

PITCH_CLASSES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
#: the spelling of each pitch class as a key tonic, per mode (see the module docstring)
MAJOR_TONICS = ("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
MINOR_TONICS = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "G#", "A", "Bb", "B")
MODES = ("major", "minor")
#: one spelling per pitch class where no key decides it (scale tonics, chord roots): the commoner of the two
#: names, as JazzNet writes them
PITCH_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
KEYS = tuple(f"{t} major" for t in MAJOR_TONICS) + tuple(f"{t} minor" for t in MINOR_TONICS)

#: "which is faster" never asks about tempi closer than this (about 8 % at 120 BPM, a clear difference by ear)
TEMPO_MARGIN_BPM = 10.0
MIN_BPM, MAX_BPM = 20.0, 400.0

_LETTERS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
_ACCIDENTALS = {"": 0, "#": 1, "♯": 1, "b": -1, "♭": -1, "##": 2, "bb": -2}
_MODE_WORDS = {
    "major": "major",
    "maj": "major",
    "ionian": "major",
    "minor": "minor",
    "min": "minor",
    "aeolian": "minor",
}
_KEY = re.compile(r"\s*([A-Ga-g])(##|bb|[#b♯♭]?)\s*[:\s_-]?\s*([A-Za-z]*)\s*")
_NOTE = re.compile(r"([A-Ga-g])(##|bb|[#b♯♭]?)(-?\d+)")


def pitch_class(name: str) -> int:
    """0-11 for a note letter with an optional accidental: ``"Db"`` and ``"C#"`` are both 1."""
    match = re.fullmatch(r"([A-Ga-g])(##|bb|[#b♯♭]?)", name.strip())
    if not match:
        raise ValueError(f"{name!r} is not a note name (a letter A-G and an optional # or b)")
    return (_LETTERS[match[1].upper()] + _ACCIDENTALS[match[2]]) % 12


def pitch_name(name: str) -> str:
    """A pitch class outside a key in its one spelling (:data:`PITCH_NAMES`): ``"G#"`` is ``"Ab"``."""
    return PITCH_NAMES[pitch_class(name)]


def key_label(tonic_class: int, mode: str) -> str:
    """The one spelling of a key: ``key_label(1, "major") == "Db major"``."""
    if mode not in MODES:
        raise ValueError(f"mode {mode!r} is not major or minor")
    tonics = MAJOR_TONICS if mode == "major" else MINOR_TONICS
    return f"{tonics[tonic_class % 12]} {mode}"


def key(text: str) -> str:
    """A key in any usual spelling (``"C minor"``, ``"A#min"``, ``"Fmaj"``, ``"C#:major"``, ``"eb minor"``) as
    its label in :data:`KEYS`. Raises ValueError for anything else (a caller names the file and line)."""
    match = _KEY.fullmatch(text)
    mode = _MODE_WORDS.get(match[3].lower()) if match else None
    if not match or mode is None:
        raise ValueError(f"{text!r} is not a key; expected a tonic A-G (with # or b) and major or minor")
    return key_label(pitch_class(match[1] + match[2]), mode)


def key_parts(label: str) -> tuple[int, str]:
    """(tonic pitch class, mode) of a key label."""
    tonic, mode = label.split(" ")
    return pitch_class(tonic), mode


def key_relation(a: str, b: str) -> str:
    """How two keys relate: ``"the same key"``, ``"relative keys"`` (one key signature, e.g. C major and A
    minor), ``"parallel keys"`` (one tonic, e.g. C major and C minor) or ``"unrelated keys"``."""
    (ta, ma), (tb, mb) = key_parts(a), key_parts(b)
    if (ta, ma) == (tb, mb):
        return "the same key"
    if ma != mb:
        major, minor = (ta, tb) if ma == "major" else (tb, ta)
        if (major - 3) % 12 == minor:
            return "relative keys"
        if major == minor:
            return "parallel keys"
    return "unrelated keys"


def bpm(value: str | float) -> float:
    """A tempo in beats per minute, checked to lie in 20-400; raises ValueError otherwise."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"tempo {value!r} is not a number of beats per minute") from None
    if not (math.isfinite(number) and MIN_BPM <= number <= MAX_BPM):
        raise ValueError(f"tempo {value!r} is not a tempo from {MIN_BPM:g} to {MAX_BPM:g} BPM")
    return number


#: corpus spellings that lower-casing alone does not make agree
_GENRE_ALIASES = {
    "hiphop": "hip-hop",
    "hip hop": "hip-hop",
    "rnb": "r&b",
    "r and b": "r&b",
    "soul-rnb": "soul and r&b",
    "easylistening": "easy listening",
    "old-time / historic": "old-time and historic",
    "drumnbass": "drum and bass",
    "triphop": "trip-hop",
    "trip hop": "trip-hop",
    "poprock": "pop rock",
    "punkrock": "punk rock",
    "popfolk": "pop folk",
    "newage": "new age",
    "alternativerock": "alternative rock",
    "instrumentalpop": "instrumental pop",
    "instrumentalrock": "instrumental rock",
    "worldfusion": "world fusion",
    "darkambient": "dark ambient",
    "acidjazz": "acid jazz",
    "house techno": "house and techno",
    "dnb": "drum and bass",
}


def genre(text: str) -> str:
    """A genre name as every parser spells it: lower case, ``_`` as a space, runs of spaces as one, and the
    spellings of :data:`_GENRE_ALIASES` made one (``"hiphop"``, ``"Hip-Hop"`` and ``"hip_hop"`` are ``"hip-hop"``)."""
    name = re.sub(r"\s+", " ", text.replace("_", " ")).strip().lower()
    if not name:
        raise ValueError("a genre name is empty")
    return _GENRE_ALIASES.get(name, name)


def note_name(midi: int) -> str:
    """Scientific pitch notation with sharps: ``note_name(60) == "C4"``, ``note_name(61) == "C#4"``."""
    if isinstance(midi, bool) or not isinstance(midi, int) or not 0 <= midi <= 127:
        raise ValueError(f"{midi!r} is not a MIDI note number (0-127)")
    return f"{PITCH_CLASSES[midi % 12]}{midi // 12 - 1}"


def midi_pitch(name: str) -> int:
    """The MIDI number of a note name (``"C4"``, ``"Db4"``, ``"A#-1"``); raises ValueError outside 0-127."""
    match = _NOTE.fullmatch(name.strip())
    if not match:
        raise ValueError(f"{name!r} is not a note name such as C4 or F#3")
    number = (int(match[3]) + 1) * 12 + _LETTERS[match[1].upper()] + _ACCIDENTALS[match[2]]
    if not 0 <= number <= 127:
        raise ValueError(f"{name!r} is outside the MIDI range (C-1 to G9)")
    return number


def frequency(midi: float) -> float:
    """Hz of a MIDI pitch, A4 = 440 Hz."""
    return 440.0 * 2 ** ((midi - 69) / 12)


def midi_from_hz(hz: float) -> int:
    """The MIDI number nearest a frequency (A4 = 440 Hz, equal temperament): ``midi_from_hz(143.7) == 50`` (D3).
    Raises ValueError for a frequency that is not positive or lies outside the MIDI range."""
    if not (isinstance(hz, (int, float)) and math.isfinite(hz) and hz > 0):
        raise ValueError(f"{hz!r} Hz is not a positive frequency")
    number = round(69 + 12 * math.log2(hz / 440.0))
    if not 0 <= number <= 127:
        raise ValueError(f"{hz!r} Hz is outside the MIDI range (C-1 to G9)")
    return number
