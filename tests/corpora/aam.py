"""AAM as its Zenodo zips extract into folders named after them (the zips hold their files at the top level):
``0001-1000-annotations-v1.1.0/<id>_{beatinfo,segments,onsets}.arff`` as the generator writes them
(``@RELATION``/``@ATTRIBUTE`` headers, single-quoted strings, sharps-only keys and chords, the ``end`` marker row,
one onsets column per instrument with ``'[+62,66]'`` events; one beatinfo without ``@DATA`` and with a repeated
beat time) and ``0001-1000-audio-mixes/<id>_mix.flac``: a flute melody, a bass and drum clicks rendered at the
annotated times and pitches; for two songs, ``0001-1000-audio-multitracks/<id>_<Instrument>.flac``, one stem per
instrument."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

from audio_flan.sources import _music_labels as music

from .common import Corpus, replace_line

RATE = 8000
ANNOTATIONS = "0001-1000-annotations-v1.1.0"
MIXES = "0001-1000-audio-mixes"
STEMS = "0001-1000-audio-multitracks"
#: songs whose stems the fixture writes (one per instrument); the others have the mix only
WITH_STEMS = ("0001", "0003")
INSTRUMENTS = ["Drums", "ElectricBass", "Flute", "Piano", "Violin"]  # the onsets' columns, alphabetical
#: song -> (BPM, bars, sections as (first bar, mark, key as AAM writes it, instruments))
SONGS = {
    "0001": (
        120,
        12,
        [
            (0, "A", "C#maj", ["Flute", "ElectricBass", "Drums"]),
            (6, "B", "C#maj", ["Flute", "Piano", "ElectricBass", "Drums"]),
        ],
    ),
    "0002": (96, 9, [(0, "A", "Amin", ["Flute", "ElectricBass", "Drums"])]),
    "0004": (100, 5, [(0, "A", "Dmaj", ["Flute", "ElectricBass", "Drums"])]),  # one window
    "0003": (
        150,
        15,
        [
            (0, "A", "Gmaj", ["Flute", "ElectricBass", "Drums"]),
            (5, "B", "A#min", ["Flute", "Piano", "ElectricBass", "Drums"]),
        ],
    ),
}
CHORDS = ["C#maj", "A#min", "F#maj", "N.C."]
MELODY = [0, 2, 4, 7, 9, 7, 4, 2]


def song_events(song: str, spec: tuple | None = None):
    """(notes as (instrument, start, end, pitch), beats as (time, bar, quarter, chord), section rows, end) of a song
    of :data:`SONGS` (or of ``spec``, a (BPM, bars, sections) of the same form)."""
    bpm, bars, sections = spec or SONGS[song]
    beat = 60.0 / bpm
    notes, beats = [], []
    tonic = music.key_parts(music.key(sections[0][2]))[0]
    for bar in range(bars):
        section = [s for s in sections if s[0] <= bar][-1]
        chord = CHORDS[bar % len(CHORDS)]
        t0 = bar * 4 * beat
        notes.append(("ElectricBass", t0, t0 + 4 * beat - 0.01, 36 + tonic))
        if "Piano" in section[3]:
            notes += [("Piano", t0, t0 + 4 * beat - 0.01, 60 + tonic + s) for s in (0, 4, 7)]
        for q in range(4):
            t = t0 + q * beat
            beats.append((round(t, 4), bar + 1, q + 1, chord))
            notes.append(("Drums", t, t + 0.05, 36))
            if q != 3:  # the flute rests on the fourth beat
                notes.append(("Flute", t, t + 0.6 * beat, 72 + tonic + MELODY[(bar * 4 + q) % 8]))
    rows = [(s[0] * 4 * beat, s[1], bpm, s[2], s[3]) for s in sections]
    return notes, beats, rows, bars * 4 * beat


def arff(relation: str, attributes: list[tuple[str, str]], rows: list[str], data: bool = True) -> str:
    head = [f"@RELATION '{relation}'", ""] + [f"@ATTRIBUTE '{n}' {t}" for n, t in attributes] + [""]
    return "\n".join(head + (["@DATA"] if data else []) + rows) + "\n"


def onset_rows(notes) -> list[str]:
    times = sorted({round(t, 4) for _, s, e, _ in notes for t in (s, e)})
    rows = []
    for t in times:
        cells = []
        for instrument in INSTRUMENTS:
            mine = [(s, e, p) for i, s, e, p in notes if i == instrument and round(s, 4) <= t < round(e, 4)]
            cells.append("'[" + ",".join(("+" if round(s, 4) == t else "") + str(p) for s, _, p in mine) + "]'")
        rows.append(f"{t:.4f}," + ",".join(cells))
    return rows


def mix(notes, seconds: float) -> np.ndarray:
    x = np.zeros(int(seconds * RATE) + 1, dtype=np.float32)
    for instrument, s, e, p in notes:
        a, b = int(s * RATE), int(e * RATE)
        t = np.arange(b - a) / RATE
        if instrument == "Drums":
            x[a:b] += 0.4 * np.random.default_rng(a).standard_normal(b - a).astype(np.float32) * np.exp(-t * 60)
        else:
            x[a:b] += 0.15 * np.sin(2 * np.pi * music.frequency(p) * t).astype(np.float32)
    return x


def write_song(root: Path, song: str, flac: bool = True, spec: tuple | None = None) -> dict:
    notes, beats, sections, end = song_events(song, spec)
    folder = root / ANNOTATIONS
    folder.mkdir(parents=True, exist_ok=True)
    beat_rows = [f"{t:.4f},{bar},{q},'{c}'" for t, bar, q, c in beats]
    if song == "0003":
        beat_rows.insert(5, beat_rows[4])  # a repeated beat time, a quirk of some files
    (folder / f"{song}_beatinfo.arff").write_text(
        arff(
            f"Beat information of {song}",
            [
                ("Start time in seconds", "NUMERIC"),
                ("Bar count", "NUMERIC"),
                ("Quarter count", "NUMERIC"),
                ("Chord name", "STRING"),
            ],
            beat_rows,
            data=song != "0002",  # some beatinfo files omit @DATA
        ),
        encoding="utf-8",
    )
    seg_rows = [f"{s:.1f},'{m}',{bpm:.1f},'{k}','[{','.join(i)}]','[MelodyGenerator]'" for s, m, bpm, k, i in sections]
    seg_rows.append(f"{end:.1f},'end',0,'','[]','[]'")
    attributes = [("Start time in seconds", "NUMERIC"), ("Mark", "STRING"), ("Tempo", "NUMERIC"), ("Key", "STRING")]
    attributes += [("Instruments", "STRING"), ("Generator", "STRING")]
    (folder / f"{song}_segments.arff").write_text(
        arff(f"Segment information of {song}", attributes, seg_rows), encoding="utf-8"
    )
    onset_attrs = [("Onset time in seconds", "NUMERIC")] + [(f"Onset events of {i}", "STRING") for i in INSTRUMENTS]
    (folder / f"{song}_onsets.arff").write_text(
        arff(f"Onset information of {song}", onset_attrs, onset_rows(notes)), encoding="utf-8"
    )
    path = root / MIXES / f"{song}_mix.flac"
    path.parent.mkdir(parents=True, exist_ok=True)
    if flac:
        sf.write(path, mix(notes, end), RATE, format="FLAC", subtype="PCM_16")
    if flac and song in WITH_STEMS:
        for instrument in sorted({i for i, _, _, _ in notes}):
            stem = root / STEMS / f"{song}_{instrument}.flac"
            stem.parent.mkdir(parents=True, exist_ok=True)
            sf.write(stem, mix([n for n in notes if n[0] == instrument], end), RATE, format="FLAC", subtype="PCM_16")
    return {"notes": notes, "beats": beats, "sections": sections, "end": end}


def build(base: Path) -> Corpus:
    root = base / "AAM"
    expected = {}
    for song in SONGS:
        truth = write_song(root, song)
        start = 0.0
        while start + 10.0 <= truth["end"] + 1e-9:
            expected[f"{song}@{start:g}"] = {
                "audio": str(root / MIXES / f"{song}_mix.flac"),
                "truth": truth,
                "start": start,
                "split": "train",
            }
            start += 10.0
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / ANNOTATIONS / "0002_segments.arff"
    lines = path.read_text().split("\n")
    line = next(i for i, text in enumerate(lines, 1) if text.startswith("0.0,"))
    replace_line(path, line, lines[line - 1].replace("'Amin'", "'Hmin'"))
    return path, line


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    (corpus.root / MIXES / "0004_mix.flac").unlink()  # a song of one window: one record goes
    return "train", "0004@0"
