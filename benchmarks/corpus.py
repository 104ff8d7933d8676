"""Benchmark corpora: N utterances in the LibriTTS-R layout, and N records in the Audio-FLAN release layout.

The LibriTTS-R copy follows the layout of the distributed archives (see ``audio_flan/sources/libritts_r.py``
and ``tests/corpora/libritts_r.py``, whose layout writers it uses): root documents and ``SPEAKERS.txt`` (``;`` comments, the
``;ID  |SEX| SUBSET           |MINUTES| NAME`` header, padded ``|`` rows), then
``train-clean-100/<spk>/<chapter>/`` with ``<spk>_<chapter>.trans.tsv`` (id, original, normalized),
``<spk>_<chapter>.book.tsv`` (id, original, normalized, aligned, start, end, SNR) and, per utterance,
``.wav`` (24 kHz mono PCM_16, 2 to 6 s), ``.original.txt`` and ``.normalized.txt``.

The audio is speech-like (a voiced harmonic tone whose pitch glides, cut into syllables at about 4 Hz, over a
little noise). To stay fast, a few waveforms are encoded once and their WAV bytes written to every file.

The release copy holds N ``speech.asr`` records (``task_type.minor`` "ASR", as the release spells it) in
``metadata/speech/understanding/train_dev/13_LibriTTS-R/jsonl/part-NNNN.jsonl`` (2,000 lines a file), one scp
file ``scp_files/speech/13_LibriTTS-R.scp`` and ``audio_files/speech/13_LibriTTS-R/...``: hard links to the
LibriTTS-R copy's WAV files of the same size when it exists (a copy where links are impossible).

A finished corpus has a ``.complete`` marker holding its parameters; asking again for the same corpus in the
same folder reuses it.
"""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import numpy as np
import soundfile as sf

from tests.corpora import libritts_r as layout

RATE = 24000
UTTS_PER_CHAPTER = 20
CHAPTERS_PER_SPEAKER = 2
SENTENCES_PER_PARAGRAPH = 4
WAVEFORMS = 16
RELEASE_LINES_PER_FILE = 2000
GENERATOR_VERSION = 2

WORDS = (
    "the of and to a in that he was it his i with as had for you her not but at she be him on my by all have so "
    "which they me were this from said one there an or are we what no when would out if up them could been into "
    "more now then their very some time little upon man other about its only will any over great than after "
    "before again down old never himself well should long made came hand house night though eyes life think"
).split()


def waveform(seconds: float, seed: int) -> np.ndarray:
    """Speech-like mono audio at 24 kHz: a gliding voiced harmonic sound chopped into syllables, over noise."""
    rng = np.random.default_rng(seed)
    n = int(seconds * RATE)
    t = np.arange(n) / RATE
    f0 = 110.0 + 60.0 * rng.random() + 25.0 * np.sin(2 * np.pi * 0.7 * t + rng.random() * 6.28)
    phase = 2 * np.pi * np.cumsum(f0) / RATE
    voiced = sum(np.sin(k * phase) / k for k in range(1, 9))
    syllables = np.clip(np.sin(2 * np.pi * (3.0 + 2.0 * rng.random()) * t), 0.0, None) ** 0.6
    audio = 0.25 * voiced * syllables + 0.01 * rng.standard_normal(n)
    return (audio / max(1e-9, float(np.abs(audio).max())) * 0.7).astype(np.float32)


def wav_pool(count: int = WAVEFORMS, seed: int = 0) -> list[bytes]:
    """WAV (PCM_16, 24 kHz) bytes of ``count`` waveforms whose durations spread evenly over 2 to 6 s."""
    pool = []
    for i in range(count):
        seconds = 2.0 + 4.0 * i / max(1, count - 1)
        buffer = io.BytesIO()
        sf.write(buffer, waveform(seconds, seed + i), RATE, format="WAV", subtype="PCM_16")
        pool.append(buffer.getvalue())
    return pool


def sentence(rng: np.random.Generator) -> str:
    words = [WORDS[i] for i in rng.integers(0, len(WORDS), int(rng.integers(4, 18)))]
    return " ".join(words).capitalize() + "."


def _layout(n: int) -> list[tuple[str, str, list[str]]]:
    """(speaker, chapter, utterance ids) with ``n`` utterances in all, ids as LibriTTS-R spells them."""
    chapters, made, k = [], 0, 0
    while made < n:
        speaker = str(14 + 7 * k)
        for c in range(CHAPTERS_PER_SPEAKER):
            if made >= n:
                break
            chapter = str(100000 + 37 * k + c)
            count = min(UTTS_PER_CHAPTER, n - made)
            utts = [
                f"{speaker}_{chapter}_{i // SENTENCES_PER_PARAGRAPH:06d}_{i % SENTENCES_PER_PARAGRAPH:06d}"
                for i in range(count)
            ]
            chapters.append((speaker, chapter, utts))
            made += count
        k += 1
    return chapters


def _complete(folder: Path, params: dict) -> bool:
    marker = folder / ".complete"
    return marker.is_file() and json.loads(marker.read_text()) == params


def _mark(folder: Path, params: dict) -> None:
    (folder / ".complete").write_text(json.dumps(params, sort_keys=True))


def make_libritts_r(base: Path, n: int, seed: int = 0) -> Path:
    """``base/libritts_r-<n>/LibriTTS_R`` with ``n`` utterances; returns the folder that holds ``LibriTTS_R``."""
    folder = Path(base) / f"libritts_r-{n}"
    params = {"kind": "libritts_r", "n": n, "seed": seed, "version": GENERATOR_VERSION}
    if _complete(folder, params):
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    root = folder / "LibriTTS_R"
    rng = np.random.default_rng(seed)
    pool = wav_pool(seed=seed)
    seconds = [2.0 + 4.0 * i / max(1, len(pool) - 1) for i in range(len(pool))]
    speakers: dict[str, float] = {}
    for speaker, chapter, utts in _layout(n):
        utterances, clock = [], 0.0
        for utt in utts:
            original = sentence(rng)
            k = int(rng.integers(0, len(pool)))
            snr = 20 + rng.random() * 10
            utterances.append(layout.Utterance(utt, original, original, pool[k], clock, clock + seconds[k], snr))
            clock += seconds[k] + 0.3
            speakers[speaker] = speakers.get(speaker, 0.0) + seconds[k] / 60
        layout.write_chapter(root / "train-clean-100" / speaker / chapter, speaker, chapter, utterances)
    rows = [
        (spk, "F" if int(spk) % 2 else "M", "train-clean-100", f"{minutes:.2f}", f"Reader {spk}")
        for spk, minutes in sorted(speakers.items(), key=lambda kv: int(kv[0]))
    ]
    layout.write_root(root, rows)
    _mark(folder, params)
    return folder


def make_release(base: Path, n: int, seed: int = 0) -> Path:
    """``base/release-<n>/`` with ``n`` speech ASR records in the release layout; returns that folder."""
    folder = Path(base) / f"release-{n}"
    params = {"kind": "release", "n": n, "seed": seed, "version": GENERATOR_VERSION}
    if _complete(folder, params):
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    corpus = Path(base) / f"libritts_r-{n}" / "LibriTTS_R"
    pool = None if (corpus / "SPEAKERS.txt").is_file() else wav_pool(seed=seed)
    rng = np.random.default_rng(seed + 1)
    audio_dir = folder / "audio_files" / "speech" / "13_LibriTTS-R"
    meta_dir = folder / "metadata" / "speech" / "understanding" / "train_dev" / "13_LibriTTS-R" / "jsonl"
    scp_dir = folder / "scp_files" / "speech"
    meta_dir.mkdir(parents=True)
    scp_dir.mkdir(parents=True)
    scp_lines, lines, part = [], [], 0

    def flush():
        nonlocal lines, part
        if lines:
            (meta_dir / f"part-{part:04d}.jsonl").write_text("".join(lines), encoding="utf-8")
            lines, part = [], part + 1

    for speaker, chapter, utts in _layout(n):
        (audio_dir / speaker).mkdir(parents=True, exist_ok=True)
        source_dir = corpus / "train-clean-100" / speaker / chapter
        for utt in utts:
            rel = f"speech/13_LibriTTS-R/{speaker}/{utt}.wav"
            target = folder / "audio_files" / rel
            if pool is None:
                try:
                    os.link(source_dir / f"{utt}.wav", target)
                except OSError:
                    shutil.copyfile(source_dir / f"{utt}.wav", target)
            else:
                target.write_bytes(pool[int(rng.integers(0, len(pool)))])
            audio_id = f"13_LibriTTS-R_{utt}"
            scp_lines.append(f"{audio_id} {rel}\n")
            record = {
                "instruction": "Please transcribe the speech in this recording.",
                "input": f"audio: <|SOA|>{audio_id}<|EOA|>",
                "output": sentence(rng),
                "uuid": f"bench-{utt}",
                "split": ["train"],
                "task_type": {"major": ["Speech Recognition"], "minor": ["ASR"], "U/G": ["U"], "unseen": False},
                "domain": "speech",
                "source": ["audiobook"],
                "other": {"speaker": speaker, "chapter": chapter},
            }
            lines.append(json.dumps(record, ensure_ascii=False) + "\n")
            if len(lines) >= RELEASE_LINES_PER_FILE:
                flush()
    flush()
    (scp_dir / "13_LibriTTS-R.scp").write_text("".join(scp_lines), encoding="utf-8")
    _mark(folder, params)
    return folder


def make_corpora(base: Path, sizes, seed: int = 0) -> dict[int, dict[str, Path]]:
    """Both corpora for every size: ``{n: {"libritts_r": data_dir, "release": data_dir}}``."""
    out = {}
    for n in sizes:
        out[n] = {"libritts_r": make_libritts_r(base, n, seed), "release": make_release(base, n, seed)}
    return out


def audio_bytes(data_dir: Path) -> int:
    """Total size of the WAV files under a corpus folder."""
    return sum(p.stat().st_size for p in Path(data_dir).rglob("*.wav"))
