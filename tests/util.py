"""Small helpers the tests share."""

from __future__ import annotations

from itertools import islice
from pathlib import Path

CONTRACT = [
    l.strip()
    for l in (Path(__file__).parent / "contract_configs.txt").read_text().splitlines()
    if l.strip() and not l.startswith("#")
]


def stream(config: str, data_dir=None, split: str = "train", n=None, **config_kwargs) -> list[dict]:
    """The examples of one split of one config, via the builder's streaming path."""
    from audio_flan.builder import AudioFlan

    builder = AudioFlan(config_name=config, data_dir=None if data_dir is None else str(data_dir), **config_kwargs)
    return list(islice(builder.as_streaming_dataset(split=split), n))


def text_fields(example: dict) -> dict:
    return {k: v for k, v in example.items() if k not in ("input_audios", "output_audios")}
