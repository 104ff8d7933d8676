"""How much of an export a content-addressed store (the Hub's Xet storage) keeps once: bytes of unique chunks.

    python -m benchmarks.dedup --work /tmp/bench-dedup [--out benchmarks/results/dedup.md]

Exports the bundled sample (all 80 configs), then rewrites every Parquet file, row group for row group, with
other writer settings, and cuts each file's bytes into content-defined chunks the way a deduplicating store
does (a 64-byte rolling buzhash, boundaries where its low 16 bits are zero, chunks of 8 to 128 KiB: about
64 KiB on average, as Xet's). The figure is the bytes of distinct chunks against the bytes of the files:

- ``export``: this package's settings (audio uncompressed and PLAIN, text zstd, page index, Parquet CDC);
- ``no-cdc``: the same without Parquet's content-defined chunking;
- ``before``: the settings before issue 15 (snappy on every column, audio included; no page index, no CDC).

Each is measured alone, and together with a second version of every file whose first instance is gone (what
a re-export after a change uploads beside the old files). For measurement only: the chunker here is not used
by the export.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

WINDOW = 64
MASK = (1 << 16) - 1
MIN_CHUNK, MAX_CHUNK = 8 * 1024, 128 * 1024
_TABLE = np.random.default_rng(20250226).integers(0, 2**64, size=256, dtype=np.uint64)


def _rotl(x: np.ndarray, k: int) -> np.ndarray:
    k %= 64
    return x if k == 0 else (x << np.uint64(k)) | (x >> np.uint64(64 - k))


def chunks(data: bytes) -> list[bytes]:
    """Content-defined chunks of ``data``: a buzhash over the last WINDOW bytes decides the boundaries."""
    b = np.frombuffer(data, dtype=np.uint8)
    n = len(b)
    if n <= MIN_CHUNK:
        return [data]
    values = _TABLE[b]
    h = np.zeros(n, dtype=np.uint64)
    for k in range(WINDOW):  # h[i] = XOR over the window of rotl(T[b[i-k]], k)
        h[k:] ^= _rotl(values[: n - k], k)
    candidates = np.flatnonzero((h & np.uint64(MASK)) == 0) + 1
    out, start = [], 0
    for cut in candidates:
        while cut - start > MAX_CHUNK:
            out.append(data[start : start + MAX_CHUNK])
            start += MAX_CHUNK
        if cut - start >= MIN_CHUNK:
            out.append(data[start:cut])
            start = cut
    while n - start > MAX_CHUNK:
        out.append(data[start : start + MAX_CHUNK])
        start += MAX_CHUNK
    if start < n:
        out.append(data[start:])
    return out


def unique_bytes(files: list[Path]) -> tuple[int, int]:
    """(bytes of the files, bytes of their distinct chunks)."""
    seen: dict[bytes, int] = {}
    total = 0
    for path in files:
        data = path.read_bytes()
        total += len(data)
        for chunk in chunks(data):
            seen.setdefault(hashlib.sha256(chunk).digest(), len(chunk))
    return total, sum(seen.values())


def rewrite(files: list[Path], src: Path, dst: Path, options: dict, drop_first: bool = False) -> list[Path]:
    from audio_flan.hub_parquet import arrow_schema

    out = []
    for path in files:
        target = dst / path.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        source = pq.ParquetFile(path)
        with pq.ParquetWriter(target, arrow_schema(), **options) as writer:
            for i in range(source.num_row_groups):
                table = source.read_row_group(i)
                if drop_first and i == 0:  # a new version of the file: its first instance gone
                    table = table.slice(1)
                if table.num_rows:
                    writer.write_table(table, row_group_size=table.num_rows)
        out.append(target)
    return out


def main(argv: list[str] | None = None) -> int:
    from audio_flan.export import export
    from audio_flan.hub_parquet import DICTIONARY_COLUMNS, STATISTICS_COLUMNS, writer_options

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    folder = args.work / "audio-flan"
    if not (folder / "README.md").exists():
        export(folder, progress=False, log=lambda _: None)
    files = sorted(folder.glob("*/*.parquet"))
    no_cdc = {k: v for k, v in writer_options().items() if k != "use_content_defined_chunking"}
    before = {"compression": "snappy", "use_dictionary": DICTIONARY_COLUMNS, "write_statistics": STATISTICS_COLUMNS}
    settings = {"export": writer_options(), "no-cdc": no_cdc, "before": before}
    variants = {
        "export": files,
        "no-cdc": rewrite(files, folder, args.work / "no-cdc", no_cdc),
        "before": rewrite(files, folder, args.work / "before", before),
    }
    # a second version of every file, one instance shorter, stored beside the first (a re-export after a change)
    versions = {
        name: rewrite(files, folder, args.work / f"{name}-v2", settings[name], drop_first=True) for name in variants
    }
    audio = sum(
        len(a["bytes"])
        for path in files
        for column in ("input_audios", "output_audios")
        for row in pq.read_table(path, columns=[column]).column(column).to_pylist()
        for a in row
    )
    lines = [
        f"# Deduplication of the sample export ({len(files)} Parquet files, {audio / 1e6:.1f} MB of embedded audio)",
        "",
        "| writer settings | bytes of the files | bytes of unique chunks | saved | with a second version: bytes | unique | saved |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, paths in variants.items():
        total, unique = unique_bytes(paths)
        total2, unique2 = unique_bytes(paths + versions[name])
        lines.append(
            f"| {name} | {total / 1e6:.2f} MB | {unique / 1e6:.2f} MB | {100 * (1 - unique / total):.1f}% "
            f"| {total2 / 1e6:.2f} MB | {unique2 / 1e6:.2f} MB | {100 * (1 - unique2 / total2):.1f}% |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
