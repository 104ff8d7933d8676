"""The bundled sample's MLS copies: German (FLAC) read by two speakers and Polish (Opus) read by one, spoken by
espeak-ng at 16 kHz, in the layout ``tests/corpora/mls.py`` writes (``mls_<language>[_opus]/metainfo.txt``,
``train/transcripts.txt``, ``train/audio/<spk>/<book>/<id>.flac|opus``)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from tests.corpora import mls as layout

FOLDERS = ("mls_german", "mls_polish_opus")
RATE = 16000
GERMAN_META = [
    ("1844", "F", "train", "931", "Effi Briest", "Kapitel 1"),
    ("2422", "M", "train", "2157", "Faust", "Nacht"),
]
GERMAN = [
    ("train", "1844_931_000001", "guten morgen"),
    ("train", "1844_931_000002", "danke schön"),
    ("train", "2422_2157_000001", "gute nacht"),
    ("train", "2422_2157_000002", "bis morgen"),
]
POLISH_META = [("6892", "M", "train", "10350", "Pan Tadeusz", "Księga I")]
POLISH = [("train", "6892_10350_000001", "dzień dobry"), ("train", "6892_10350_000002", "dziękuję")]


def _crc32_ogg(data: bytes) -> int:
    """Ogg's page checksum: CRC-32, polynomial 0x04C11DB7, no reflection, initial value 0."""
    crc = 0
    for byte in data:
        crc ^= byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else crc << 1
            crc &= 0xFFFFFFFF
    return crc


def fixed_serial(ogg: bytes, serial: int = 1) -> bytes:
    """The Ogg stream with its random serial number replaced (checksums recomputed), so the sample is the same
    bytes every time it is made."""
    out, at = bytearray(), 0
    while at < len(ogg):
        if ogg[at : at + 4] != b"OggS":
            raise ValueError(f"not an Ogg page at byte {at}")
        segments = ogg[at + 26]
        header = 27 + segments
        size = header + sum(ogg[at + 27 : at + header])
        page = bytearray(ogg[at : at + size])
        page[14:18] = serial.to_bytes(4, "little")
        page[22:26] = b"\0\0\0\0"
        page[22:26] = _crc32_ogg(bytes(page)).to_bytes(4, "little")
        out += page
        at += size
    return bytes(out)


def make(sample: Path, tools: ModuleType) -> None:
    def speech(voice: str, fmt: str, subtype: str):
        def audio(utt: str, text: str) -> bytes:
            pitch = 70 if utt.startswith("1844") else 30
            data = layout.encoded(tools.speak(text, voice, RATE, speed=440, pitch=pitch), fmt, subtype)
            return fixed_serial(data) if fmt == "OGG" else data

        return audio

    layout.write(sample / FOLDERS[0], GERMAN_META, GERMAN, speech("de", "FLAC", "PCM_16"))
    layout.write(sample / FOLDERS[1], POLISH_META, POLISH, speech("pl", "OGG", "OPUS"), suffix=".opus")


def check(sample: Path) -> list[str]:
    problems = []
    for folder, rows, suffix in ((FOLDERS[0], GERMAN, ".flac"), (FOLDERS[1], POLISH, ".opus")):
        for split, utt, _ in rows:
            speaker, book, _ = utt.split("_")
            if not (sample / folder / split / "audio" / speaker / book / f"{utt}{suffix}").is_file():
                problems.append(f"no audio for {utt}")
    return problems
