"""WavCaps as Hugging Face ``cvssp/WavCaps`` distributes it, the zips extracted in place:
``json_files/<Subset>/<name>_final.json`` (one line, ``json.dumps`` defaults, no final newline;
``{"num_captions_per_audio": 1, "data": [...]}`` with each subset's own keys), ``json_files/blacklist/*.json``, and
``Zip_files/<Subset>/mnt/fast/nobackup/scratch4weeks/xm00178/WavCaps/data/waveforms/<Subset>_flac/<id>.flac``
(32 kHz mono FLAC). AudioSet_SL ids are ``Y<ytid>.wav`` with files ``Y<ytid>.flac``; SoundBible durations are
sometimes ints; a FreeSound and a SoundBible id coincide; one entry's FLAC is missing and one FLAC has no entry.
The three blacklists of the release (``json.dump(..., indent=4)`` with a final newline, ids as strings) list three
entries of the JSON files (one of them without its FLAC) and ids that no entry has.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from audio_flan.sources.wavcaps import CAPTION_RULE

from .common import Corpus, apple_double
from .librispeech import flac_bytes

RATE = 32000
NESTED = "mnt/fast/nobackup/scratch4weeks/xm00178/WavCaps/data/waveforms"
FILES = {
    "AudioSet_SL": "as_final.json",
    "BBC_Sound_Effects": "bbc_final.json",
    "FreeSound": "fsd_final.json",
    "SoundBible": "sb_final.json",
}

# (subset, id, caption, has audio, the caption's class by the caption rule); the record's ``speech`` is
# ``non-speech`` for a non-speech caption and None otherwise: a caption naming speech labels nothing
ENTRIES = [
    ("FreeSound", "180913", "A dog barks twice in a quiet yard.", True, "non-speech"),
    ("FreeSound", "2219", "A man is speaking into a microphone.", True, "speech"),
    ("FreeSound", "412017", "Rain falls steadily on a metal roof.", True, "non-speech"),
    ("FreeSound", "55021", "A woman talks while traffic passes by.", True, "speech"),
    ("FreeSound", "77777", "A crowd cheers loudly in a stadium.", True, None),
    ("FreeSound", "90001", "Wind blows through trees.", False, "non-speech"),
    ("SoundBible", "2219", "An airplane is landing.", True, "non-speech"),
    ("SoundBible", "2163", "A large crowd is talking at a party or gathering.", True, "speech"),
    ("BBC_Sound_Effects", "07070021", "An engine is idling and then revving.", True, "non-speech"),
    ("BBC_Sound_Effects", "NHU05104155", "A narrator says a few words about birds.", True, "speech"),
    ("AudioSet_SL", "Yr1nicOVtvkQ.wav", "A bell rings several times.", True, "non-speech"),
    ("AudioSet_SL", "Y-0BIyqJj9ZU.wav", "A person speaks and a door closes.", True, "speech"),
]

# (subset, id, caption, has audio): entries on a blacklist (left out, counted as blacklisted)
BLACKLISTED = [
    ("FreeSound", "117790", "Birds sing at dawn near a pond.", True),
    ("FreeSound", "185374", "A car horn honks twice.", False),
    ("AudioSet_SL", "YUDGBjjwyaqE.wav", "Water runs from a tap.", True),
]
# file -> its lists, as the release's blacklists hold them (here a few ids each; the real ones list thousands)
BLACKLISTS = {
    "blacklist_exclude_all_ac.json": {"AudioSet": ["YUDGBjjwyaqE.wav", "Y3eJ9RynJzP8.wav"], "FreeSound": ["117790"]},
    "blacklist_exclude_test_ac.json": {"AudioSet": ["YUDGBjjwyaqE.wav"], "FreeSound": ["117790", "201"]},
    "blacklist_exclude_ub8k_esc50_vggsound.json": {"AudioSet": ["YHpnja1gcKN0.wav"], "FreeSound": ["185374"]},
}


def sound(k: int, seconds: float, rate: int = RATE) -> np.ndarray:
    """A stand-in clip: a tone whose pitch depends on ``k`` under slowly varying noise; float32."""
    t = np.arange(int(seconds * rate)) / rate
    tone = 0.15 * np.sin(2 * np.pi * (180.0 + 55.0 * k) * t)
    noise = 0.03 * np.random.default_rng(k).standard_normal(t.size) * (1 + np.sin(2 * np.pi * 0.5 * t))
    return (tone + noise).astype(np.float32)


def entry(subset: str, clip: str, caption: str, duration: float) -> dict:
    """A JSON entry with the subset's keys, in its order."""
    if subset == "FreeSound":
        return {
            "id": clip,
            "file_name": f"upload {clip}.wav",
            "href": f"https://freesound.org/people/someone/sounds/{clip}/",
            "tags": ["field-recording", "outdoor"],
            "description": f"Recorded with a handheld recorder ({clip}).",
            "author": "someone",
            "duration": duration,
            "download_link": f"https://freesound.org/people/someone/sounds/{clip}/download/",
            "caption": caption,
            "audio": "wav_path",
        }
    if subset == "SoundBible":
        return {
            "title": "Airplane Landing",
            "description": "Large plane landing at an airport.",
            "author": "Someone",
            "href": f"{clip}-Airplane-Landing.html",
            "caption": caption,
            "id": clip,
            "duration": int(duration),
            "audio": "wav_path",
            "download_link": f"https://soundbible.com/grab.php?id={clip}&type=wav",
        }
    if subset == "BBC_Sound_Effects":
        return {
            "id": clip,
            "description": "Engine idling, revving.",
            "category": "['Transport']",
            "caption": caption,
            "duration": duration,
            "audio": "wav_path",
            "download_link": f"https://sound-effects-media.bbcrewind.co.uk/zip/{clip}.wav.zip",
        }
    return {"id": clip, "caption": caption, "duration": duration, "audio": "wav_path"}


def flac_path(root: Path, subset: str, clip: str) -> Path:
    stem = clip[: -len(".wav")] if clip.endswith(".wav") else clip
    return root / "Zip_files" / subset / NESTED / f"{subset}_flac" / f"{stem}.flac"


def write(root: Path, entries: list[tuple[str, str, str, float, bytes | None]]) -> None:
    """The JSON files for (subset, id, caption, duration, FLAC bytes or None) entries, and the FLACs."""
    by_subset: dict[str, list[dict]] = {}
    for subset, clip, caption, duration, flac in entries:
        by_subset.setdefault(subset, []).append(entry(subset, clip, caption, duration))
        if flac is not None:
            path = flac_path(root, subset, clip)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(flac)
    for subset, items in by_subset.items():
        folder = root / "json_files" / subset
        folder.mkdir(parents=True, exist_ok=True)
        (folder / FILES[subset]).write_text(json.dumps({"num_captions_per_audio": 1, "data": items}), encoding="utf-8")
    blacklist = root / "json_files" / "blacklist"
    blacklist.mkdir(parents=True, exist_ok=True)
    for name, lists in BLACKLISTS.items():
        (blacklist / name).write_text(json.dumps(lists, indent=4) + "\n", encoding="utf-8")


def build(base: Path, *, folder: str = "WavCaps", seconds: float = 3.2) -> Corpus:
    root = base / folder
    rows, expected = [], {}
    for k, (subset, clip, caption, present, speech) in enumerate(ENTRIES):
        data = sound(k, seconds)
        rows.append((subset, clip, caption, round(seconds, 2), flac_bytes(data, RATE) if present else None))
        if not present:
            continue
        stem = clip[: -len(".wav")] if clip.endswith(".wav") else clip
        described = entry(subset, clip, caption, seconds)
        expected[f"{subset}_{stem}"] = {
            "audio": str(flac_path(root, subset, clip)),
            "caption": caption,
            "description": described.get("description"),
            "title": described.get("title"),
            "tags": described.get("tags"),
            "duration": float(int(seconds)) if subset == "SoundBible" else round(seconds, 2),
            "subset": subset,
            "speech": "non-speech" if speech == "non-speech" else None,
            "speech_source": CAPTION_RULE if speech == "non-speech" else None,
            "split": "train",
        }
    for k, (subset, clip, caption, present) in enumerate(BLACKLISTED, start=len(ENTRIES)):
        rows.append((subset, clip, caption, round(seconds, 2), flac_bytes(sound(k, 0.5), RATE) if present else None))
    write(root, rows)
    stray = flac_path(root, "FreeSound", "31337")  # a FLAC with no entry: ignored
    stray.write_bytes(flac_bytes(sound(99, 0.5), RATE))
    apple_double(flac_path(root, "FreeSound", "180913"))
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "json_files" / "FreeSound" / FILES["FreeSound"]
    path.write_text(path.read_text(encoding="utf-8").replace('"caption": "Rain falls', '"caption": 12, "x": "'))
    return path, 1


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    rid = "FreeSound_412017"
    Path(corpus.expected[rid]["audio"]).unlink()
    return "train", rid
