"""MedleyDB as its audio archives and the ``marl/medleydb`` annotations unpack: ``Audio/<TrackId>/`` with
``<TrackId>_METADATA.yaml`` (yes/no as strings, stems S01.. with filename, instrument, component, raw),
``<TrackId>_MIX.wav`` and ``<TrackId>_STEMS/<TrackId>_STEM_NN.wav`` (stereo), ``<TrackId>_RAW/`` (not read);
MELODY2 CSVs (``time,f0``, no header, CRLF, 17 significant digits, a row every 256/44100 s) under both the
repository's ``Annotations/Melody/Melody2/`` and its 2014 ``Annotations/Melody_Annotations/MELODY2/``;
activation confidences (``time,S01,...`` header, ``%.4f``, LF, a row every 2048/44100 s) under
``Annotations/Activation_Confidence/v2/`` and, flat, ``Annotations/Activation_Confidence/``. The
audio is written at 16 kHz (MedleyDB's is 44.1 kHz: the parser reads rates from the headers) to stay small.

Tracks: one whose mix is the sum of its stems at gains near 1 (two stems share an instrument; the singer stops
before the second excerpt), one whose mix is not the sum of its stems (saturated, with a sound no stem holds),
and a short one in the 2014 annotation layout."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

from .common import Corpus, apple_double

RATE = 16000
HOP = 256 / 44100
CONFIG = "music.melody_extraction"


def tone(seconds: float, freq: float, amp: float, start: float = 0.0, stop: float | None = None) -> np.ndarray:
    """A stereo tone (right channel a little quieter) sounding from ``start`` to ``stop`` seconds."""
    n = round(seconds * RATE)
    t = np.arange(n) / RATE
    mono = amp * np.sin(2 * np.pi * freq * t)
    mono[(t < start) | (t >= (seconds if stop is None else stop))] = 0.0
    return np.stack([mono, 0.8 * mono], axis=1)


def noise(seconds: float, amp: float, seed: int) -> np.ndarray:
    mono = amp * np.random.default_rng(seed).standard_normal(round(seconds * RATE))
    return np.stack([mono, mono], axis=1)


# the predominant melody (start, end, f0 Hz) of the first track; vibrato of +-30 cents on each note
MELODY = [(0.5, 2.0, 440.0), (2.0, 4.0, 523.2511), (4.0, 4.02, 587.33), (4.02, 6.0, 392.0)]


def melody_rows(seconds: float, notes) -> list[tuple[float, float]]:
    rows = []
    for i in range(int(seconds / HOP)):
        t = i * HOP
        f0 = next((f for s, e, f in notes if s <= t < e), 0.0)
        if f0:
            f0 *= 2 ** (0.3 * np.sin(2 * np.pi * 5.5 * t) / 12)
        rows.append((t, float(f0)))
    return rows


def expected_notes(notes) -> list[list]:
    """The note segments the parser should give for ``notes`` (whole-frame edges; short notes dropped)."""
    names = {440.0: "A4", 523.2511: "C5", 392.0: "G4"}
    out = []
    for s, e, f in notes:
        if f not in names:
            continue
        first = int(np.ceil(s / HOP - 1e-9))
        last = int(np.ceil(e / HOP - 1e-9)) - 1
        out.append([first * HOP, last * HOP + HOP, names[f]])
    return out


# TrackId, seconds, stems [(instrument, component, signal)], mix gains (None: a mix that is not the sum),
# melody layout (None: no melody annotation), melody notes
def tracks() -> list[dict]:
    s = 12.0
    return [
        {
            "id": "MusicDelta_Beethoven",
            "seconds": s,
            "genre": "Classical",
            "stems": [
                ("female singer", "melody", tone(s, 440.0, 0.2, 0.5, 9.5)),
                ("electric bass", "bass", tone(s, 55.0, 0.3)),
                ("drum set", "", noise(s, 0.05, 1)),
                ("violin", "", tone(s, 660.0, 0.1, 0.0, 5.0)),
                ("violin", "", tone(s, 990.0, 0.1, 5.0)),
            ],
            "gains": [1.0, 0.8, 1.2, 1.0, 0.9],
            "melody": "Melody/Melody2",
            "notes": MELODY,
            # the v2 activation annotation; the drum stem is annotated inactive from 10 s on (bleed only, say),
            # though its audio is not silent there: the annotation, not the level, decides
            "activation": "Activation_Confidence/v2",
            "inactive": {3: (10.0, 12.0)},
        },
        {
            "id": "DreamersOfTheGhetto_HeavyLove",
            "seconds": 6.0,
            "genre": "Rock",
            "stems": [
                ("clean electric guitar", "", tone(6.0, 330.0, 0.3)),
                ("male singer", "melody", tone(6.0, 220.0, 0.3)),
            ],
            "gains": None,
            "melody": None,
            "notes": [],
            "activation": None,  # no annotation: the stems' levels decide
        },
        {
            "id": "Sweat_Tuesday",
            "seconds": 3.0,
            "genre": "Jazz",
            "stems": [("trumpet", "melody", tone(3.0, 440.0, 0.2)), ("piano", "", tone(3.0, 261.6, 0.2))],
            "gains": [1.0, 1.0],
            "melody": "Melody_Annotations/MELODY2",
            "notes": [(0.0, 2.5, 440.0)],
            "activation": "Activation_Confidence",  # the flat layout of earlier commits
        },
    ]


def metadata_yaml(track: dict) -> str:
    tid = track["id"]
    artist, title = tid.split("_", 1)
    lines = [
        "album: ''",
        f"artist: {artist}",
        "composer: []",
        "excerpt: 'no'",
        f"genre: {track['genre']}",
        "has_bleed: 'no'",
        "instrumental: 'no'",
        f"mix_filename: {tid}_MIX.wav",
        "origin: Dolan Studio",
        "producer: []",
        f"raw_dir: {tid}_RAW",
        f"stem_dir: {tid}_STEMS",
        "stems:",
    ]
    for k, (instrument, component, _) in enumerate(track["stems"], 1):
        lines += [
            f"  S{k:02d}:",
            f"    component: '{component}'" if not component else f"    component: {component}",
            f"    filename: {tid}_STEM_{k:02d}.wav",
            f"    instrument: {instrument}",
            "    raw:",
            "      R01:",
            f"        filename: {tid}_RAW_{k:02d}_01.wav",
            f"        instrument: {instrument}",
        ]
    lines += [f"title: {title}", "version: 1.2", "website: []"]
    return "\n".join(lines) + "\n"


def write_melody(path: Path, rows: list[tuple[float, float]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(f"{t!r},{f!r}\r\n" for t, f in rows)  # repr: 17 significant digits, 0.0 for zero
    path.write_bytes(text.encode("ascii"))


ACTIVATION_HOP = 2048 / 44100  # one row per 2048 samples at 44.1 kHz, as annotate/activation_conf.py writes


def write_activation(path: Path, track: dict) -> None:
    """``<TrackId>_ACTIVATION_CONF.lab`` as ``np.savetxt(header='time,S01,...', delimiter=',', fmt='%.4f',
    comments='')`` writes it (LF): a confidence near 1 in frames where the stem's RMS is above 0.01, near 0 elsewhere,
    and near 0 over the track's ``inactive`` spans (stem number -> (start, end) seconds)."""
    stems = [sig for _, _, sig in track["stems"]]
    lines = ["time," + ",".join(f"S{k:02d}" for k in range(1, len(stems) + 1))]
    frame = round(ACTIVATION_HOP * RATE)
    for i in range(int(track["seconds"] / ACTIVATION_HOP)):
        t = i * ACTIVATION_HOP
        row = [t]
        for k, sig in enumerate(stems, 1):
            block = sig[round(t * RATE) : round(t * RATE) + frame]
            rms = float(np.sqrt(np.mean(block.astype(np.float64) ** 2))) if block.size else 0.0
            start, end = track.get("inactive", {}).get(k, (0.0, 0.0))
            row.append(0.9731 if rms > 0.01 and not start <= t < end else 0.0412)
        lines.append(",".join(f"{v:.4f}" for v in row))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\n".join(lines) + "\n").encode("ascii"))


def write_track(root: Path, track: dict) -> dict:
    tid = track["id"]
    folder = root / "Audio" / tid
    (folder / f"{tid}_STEMS").mkdir(parents=True)
    (folder / f"{tid}_RAW").mkdir()
    (folder / f"{tid}_METADATA.yaml").write_text(metadata_yaml(track), encoding="utf-8")
    stems = [sig for _, _, sig in track["stems"]]
    for k, sig in enumerate(stems, 1):
        sf.write(folder / f"{tid}_STEMS" / f"{tid}_STEM_{k:02d}.wav", sig, RATE, subtype="PCM_16")
    if track["gains"] is not None:
        # the mix of the quantised stems, as MedleyDB's mixes are of its stems
        quantised = [np.round(sig * 32767) / 32767 for sig in stems]
        mix = sum(g * q for g, q in zip(track["gains"], quantised))
    else:
        mix = 0.5 * np.tanh(3 * sum(stems)) + tone(track["seconds"], 1234.0, 0.2)
    sf.write(folder / f"{tid}_MIX.wav", mix, RATE, subtype="PCM_16")
    sf.write(folder / f"{tid}_RAW" / f"{tid}_RAW_01_01.wav", stems[0][:800], RATE, subtype="PCM_16")
    if track.get("activation"):
        write_activation(root / "Annotations" / track["activation"] / f"{tid}_ACTIVATION_CONF.lab", track)
    if track["melody"]:
        rows = melody_rows(track["seconds"], track["notes"])
        write_melody(root / "Annotations" / track["melody"] / f"{tid}_MELODY2.csv", rows)
    return {"audio": str(folder / f"{tid}_MIX.wav"), "melody": expected_notes(track["notes"])}


def build(base: Path) -> Corpus:
    from audio_flan.sources.medleydb import split_of

    root = base / "MedleyDB"
    expected = {}
    for track in tracks():
        written = write_track(root, track)
        if track["melody"]:
            expected[track["id"]] = {"split": split_of(track["id"].split("_")[0]), **written}
    apple_double(root / "Audio" / "MusicDelta_Beethoven" / "MusicDelta_Beethoven_MIX.wav")
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / "Annotations" / "Melody" / "Melody2" / "MusicDelta_Beethoven_MELODY2.csv"
    lines = path.read_bytes().split(b"\r\n")
    lines[99] = b"0.5747,loud"
    path.write_bytes(b"\r\n".join(lines))
    return path, 100


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    Path(corpus.expected["Sweat_Tuesday"]["audio"]).unlink()
    return "test", "Sweat_Tuesday"
