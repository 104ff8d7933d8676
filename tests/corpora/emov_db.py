"""EmoV-DB as its sorted copy unpacks (``EmoV-DB_sorted/<spk>/<Emotion>/<style>_<first>-<last>_<NNNN>.wav`` with
``cmuarctic.data`` at the root; josh without Angry and Disgusted), or as the OpenSLR 115 archives extract
(``<spk>_<Emotion>/...``), WAVs of 64-bit floats at 44.1 kHz, with the real copies' quirks: capitalised style
words (bea's ``Neutral_...``, sam's ``Disgust_...``), a range written with an underscore, a sentence outside its
file's range, the same sentence recorded twice in one emotion, ``arctic_a0028``'s trailing space, ``arctic_b``
lines, and macOS debris.

Nothing lists the audio (``LISTS_AUDIO = False``: a deleted file is just gone); ``cmuarctic.data`` is the metadata
``malform`` spoils."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .common import APPLEDOUBLE, Corpus, apple_double, replace_line, signal, wav_bytes

RATE = 44100
SUBTYPE = "DOUBLE"
ROOT = "EmoV-DB_sorted"
LISTS_AUDIO = False
# the head of the CMU ARCTIC prompt list, as festvox serves it, and two of its arctic_b lines
PROMPTS = {
    1: "Author of the danger trail, Philip Steels, etc.",
    2: "Not at this particular case, Tom, apologized Whittemore.",
    3: "For the twentieth time that evening the two men shook hands.",
    4: "Lord, but I'm glad to see you again, Phil.",
    5: "Will we ever forget it.",
    14: "Now you're coming down to business, Phil, he exclaimed.",
    23: "A combination of Canadian capital quickly organized and petitioned for the same privileges.",
    24: "It was my reports from the north which chiefly induced people to buy.",
    28: "Robbery, bribery, fraud, ",
    30: "I had faith in them.",
}
B_PROMPTS = {1: "Gad, do I remember it.", 2: "You got out by fighting, and I through a pretty girl."}
SPLITS = {"bea": "train", "sam": "train", "jenie": "test", "josh": "test"}
LABELS = {"Amused": "amused", "Angry": "angry", "Disgusted": "disgusted", "Neutral": "neutral", "Sleepy": "sleepy"}
# speaker -> emotion folder -> file names, as the real copies spell them
FILES = {
    "bea": {
        "Amused": ["amused_1-15_0001.wav", "amused_225_252_0002.wav"],
        "Angry": ["anger_1-28_0024.wav", "anger_197-224_0024.wav"],  # one sentence recorded twice
        "Disgusted": ["disgust_1-28_0005.wav"],
        "Neutral": ["Neutral_1-28_0014.wav", "neutral_113-140_0014.wav", "neutral_1-28_0003.wav"],
        "Sleepy": ["sleepiness_1-28_0028.wav"],
    },
    "sam": {
        "Amused": ["amused_1-28_0001.wav"],
        "Angry": ["anger_1-28_0002.wav"],
        "Disgusted": ["Disgust_29-56_0030.wav", "disgust_1-28_0004.wav"],
        "Neutral": ["neutral_197_224_0003.wav"],  # underscore range, and the sentence is outside it
        "Sleepy": ["sleepiness_1-28_0005.wav"],
    },
    "jenie": {
        "Amused": ["amused_1-28_0001.wav"],
        "Angry": ["anger_1-28_0002.wav"],
        "Disgusted": ["disgust_1-28_0003.wav"],
        "Neutral": ["neutral_1-28_0001.wav", "neutral_1-28_0004.wav"],
        "Sleepy": ["sleepiness_1-28_0030.wav"],
    },
    "josh": {
        "Amused": ["amused_1-28_0023.wav", "amused_197-224_0023.wav"],
        "Neutral": ["neutral_1-28_0002.wav"],
        "Sleepy": ["sleepiness_1-28_0003.wav"],
    },
}


def prompt_list(prompts: dict[int, str] = PROMPTS, b_prompts: dict[int, str] = B_PROMPTS) -> str:
    """``cmuarctic.data``: one ``( arctic_<set><NNNN> "<text>" )`` line per prompt, the a set then the b set."""
    lines = [f'( arctic_a{n:04d} "{t}" )' for n, t in sorted(prompts.items())]
    lines += [f'( arctic_b{n:04d} "{t}" )' for n, t in sorted(b_prompts.items())]
    return "\n".join(lines) + "\n"


def emotion_folder(root: Path, speaker: str, emotion: str, layout: str = "sorted") -> Path:
    """Where one speaker's emotion lives: ``<spk>/<Emotion>`` (sorted copy) or ``<spk>_<Emotion>`` (OpenSLR)."""
    return root / speaker / emotion if layout == "sorted" else root / f"{speaker}_{emotion}"


def write_recordings(root: Path, speaker: str, emotion: str, audio: dict[str, bytes], layout: str = "sorted") -> dict:
    """The WAV bytes of ``audio`` (by file name) in one speaker's emotion folder; returns name -> path."""
    folder = emotion_folder(root, speaker, emotion, layout)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, data in audio.items():
        (folder / name).write_bytes(data)
        paths[name] = folder / name
    return paths


def tone(speaker: str, n: int) -> bytes:
    return wav_bytes(signal(RATE, 0.03, 180.0 + 20 * len(speaker) + 7 * n), RATE, subtype=SUBTYPE)


def build(base: Path, layout: str = "sorted", speech: Callable[[str, str], bytes] | None = None) -> Corpus:
    """The fixture corpus in the sorted copy's layout (or OpenSLR's, ``layout="openslr"``); ``speech(text,
    speaker)`` gives each recording's WAV bytes (tones if None)."""
    root = base / (ROOT if layout == "sorted" else "EmoV-DB")
    root.mkdir(parents=True, exist_ok=True)
    (root / "cmuarctic.data").write_text(prompt_list(), encoding="ascii")
    expected = {}
    for speaker, emotions in FILES.items():
        for emotion, names in emotions.items():
            audio = {}
            for name in names:
                n = int(name[-8:-4])
                audio[name] = speech(PROMPTS[n], speaker) if speech else tone(speaker, n)
            for name, path in write_recordings(root, speaker, emotion, audio, layout).items():
                n = int(name[-8:-4])
                expected[f"{speaker}_{name[:-4]}"] = {
                    "split": SPLITS[speaker],
                    "audio": str(path),
                    "text": PROMPTS[n].strip(),
                    "speaker": speaker,
                    "emotion": LABELS[emotion],
                    "sentence": f"arctic_a{n:04d}",
                }
    apple_double(emotion_folder(root, "bea", "Amused", layout) / "amused_1-15_0001.wav")
    (emotion_folder(root, "sam", "Neutral", layout) / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    if layout == "sorted":
        (root / "._cmuarctic.data").write_bytes(APPLEDOUBLE)
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    """Spoil the prompt of sentence 3 (recorded by bea, sam, jenie and josh): its quotes are gone."""
    path = corpus.root / "cmuarctic.data"
    replace_line(path, 3, "( arctic_a0003 For the twentieth time that evening the two men shook hands. )")
    return path, 3


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    rid = "jenie_anger_1-28_0002"
    Path(corpus.expected[rid]["audio"]).unlink()
    return "test", rid
