"""LibriTTS-P beside a LibriTTS-R copy: a clone's ``data/`` folder (``metadata_w_style_prompt_tags_v230922.csv``
with the README's 17 columns, ``style_prompt_candidates_v230922.csv`` as ``<key>|<prompt>;<prompt>``, with
requests among the descriptions and a request that contradicts its key, ``excluded_spk_list.txt``,
``unannotated_spk_list.txt`` and a speaker-prompt file ``df1_en.csv``) and ``LibriTTS_R/`` as
``tests/corpora/libritts_r.py`` writes it. Some utterances are unannotated, one row is ``invalid``, one speaker
is excluded."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from . import libritts_r
from .common import Corpus, replace_line

TOP = "LibriTTS-P"
VERSION = "230922"
COLUMNS = (
    "item_name", "spk_id", "gender", "pitch", "speaking_speed", "energy", "content_prompt", "style_prompt_key",
    "raw_f0_mean", "raw_f0_scale", "raw_lf0_mean", "raw_lf0_scale", "raw_speaking_rate", "raw_loudness_lufs",
    "raw_loudness_mean", "raw_loudness_scale", "invalid",
)  # fmt: skip
CANDIDATES = {
    "F_p-high_s-normal_e-normal": [
        "A woman with a high-pitched voice speaks at a normal speed and volume",
        "Ask a woman with a high pitch to speak at a normal speed",
        "A high-pitched female voice talks at an ordinary pace and loudness",
    ],
    "M_p-low_s-slow_e-low": [
        "Command a man with a high-pitched voice to speak slowly and with low energy",
        "A man with a low pitch speaks slowly and quietly",
        "ask a man to speak slowly with low volume and low pitch",
    ],
    "F_p-normal_s-fast_e-high": [" A woman speaks fast and loudly with a normal pitch", "Tell a woman to speak fast"],
    "M_p-normal_s-normal_e-normal": ["Ask a man to speak normally"],  # requests only: no description
}
REQUESTS = ("ask", "command", "tell")
DESCRIPTIONS = {k: [p.strip() for p in v if p.split()[0].lower() not in REQUESTS] for k, v in CANDIDATES.items()}
# LibriTTS-R speaker -> style key of its utterances
STYLE_OF_SPEAKER = {
    "14": "F_p-high_s-normal_e-normal",
    "17": "M_p-low_s-slow_e-low",
    "19": "F_p-normal_s-fast_e-high",
    "25": "M_p-normal_s-normal_e-normal",
    "61": "M_p-low_s-slow_e-low",
    "84": "F_p-high_s-normal_e-normal",
    "121": "F_p-normal_s-fast_e-high",
    "174": "M_p-low_s-slow_e-low",
    "26": "M_p-low_s-slow_e-low",
}
EXCLUDED = ("26",)
INVALID = "14_212_000000_000001"
UNANNOTATED = "19_227_000001_000002"


def metadata_csv(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def row(item: str, key: str, text: str, invalid: bool = False) -> dict[str, str]:
    gender, pitch, speed, energy = key[0], key.split("_")[1][2:], key.split("_")[2][2:], key.split("_")[3][2:]
    values = dict.fromkeys(COLUMNS, "0.0")
    values.update(
        item_name=item,
        spk_id=item.split("_")[0],
        gender=gender,
        pitch=pitch,
        speaking_speed=speed,
        energy=energy,
        content_prompt=text,
        style_prompt_key=key,
        invalid="1" if invalid else "0",
    )
    return values


def write(folder: Path, rows: list[dict[str, str]], candidates: dict[str, list[str]], excluded=()) -> None:
    """A LibriTTS-P clone's files under ``folder`` (``README.md`` and ``data/``)."""
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    (folder / "README.md").write_text("# LibriTTS-P\n", encoding="utf-8")
    (data / f"metadata_w_style_prompt_tags_v{VERSION}.csv").write_text(metadata_csv(rows), encoding="utf-8")
    lines = [f"{key}|{';'.join(prompts)}" for key, prompts in candidates.items()]
    (data / f"style_prompt_candidates_v{VERSION}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (data / "excluded_spk_list.txt").write_text("".join(f"{s}\n" for s in excluded), encoding="utf-8")
    (data / "unannotated_spk_list.txt").write_text("", encoding="utf-8")
    speakers = sorted({r["spk_id"] for r in rows}, key=int)
    (data / "df1_en.csv").write_text("".join(f"{s}|feminine,slightly young,clear\n" for s in speakers), "utf-8")


def build(base: Path) -> Corpus:
    from audio_flan.sources._stable_hash import stable_hash  # the choice rule is the parser's documented one

    root = base / "libritts-p-and-r"
    audio = libritts_r.build(root)
    rows, expected = [], {}
    for utt, values in audio.expected.items():
        key = STYLE_OF_SPEAKER.get(values["speaker"])
        annotated = key is not None and utt != UNANNOTATED
        if annotated:
            rows.append(row(utt, key, values["text"], invalid=utt == INVALID))
        valid = annotated and utt != INVALID and values["speaker"] not in EXCLUDED
        options = DESCRIPTIONS[key] if valid else []
        expected[utt] = {
            **values,
            "description": options[stable_hash(utt) % len(options)] if options else None,
            "style_prompt_key": key if valid else None,
        }
    write(root / TOP, rows, CANDIDATES, EXCLUDED)
    return Corpus(root, base, expected)


def malform(corpus: Corpus) -> tuple[Path, int]:
    path = corpus.root / TOP / "data" / f"metadata_w_style_prompt_tags_v{VERSION}.csv"
    replace_line(path, 3, "17_362_000000_000000,17,M,low,slow")
    return path, 3


def drop_audio(corpus: Corpus) -> tuple[str, str]:
    utt = "17_362_000001_000000"
    Path(corpus.expected[utt]["audio"]).unlink()
    return corpus.expected[utt]["split"], utt
