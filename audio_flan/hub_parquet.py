"""The Parquet the export writes for the Hub: the schema, and the writer settings per column.

- The schema carries ``datasets``' feature metadata (in the form every version from 3.6 to 5.x reads), so the
  audio columns read back as ``Audio``.
- Audio bytes are stored uncompressed and PLAIN-encoded (compressing WAV/FLAC gains almost nothing and hides
  identical audio from the Hub's deduplicating storage); every other column is compressed with zstd.
- A page index is written, and pages are cut by content-defined chunking where the installed pyarrow has it
  (>= 21), with the options ``datasets`` 5.x uses, so that audio shared by several configs or re-exports lands
  in identical pages that the Hub's storage (Xet) stores once.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .features import AUDIO_COLUMNS, make_features

TEXT_COMPRESSION = "zstd"
DICTIONARY_COLUMNS = ["config", "domain", "source"]
STATISTICS_COLUMNS = ["id", "config", "domain", "source"]
# datasets 5.x's config.DEFAULT_CDC_OPTIONS
CDC_OPTIONS = {"min_chunk_size": 256 * 1024, "max_chunk_size": 1024 * 1024, "norm_level": 0}


def portable_features_dict(features) -> dict:
    """``features.to_dict()`` in the form every ``datasets`` version reads.

    ``datasets`` >= 4 writes a list feature as ``{"_type": "List", "feature": ...}``, which 3.6 does not know;
    both read the older ``[feature]`` form, so lists without a fixed length are written that way.
    """

    def fix(node):
        if isinstance(node, list):
            return [fix(n) for n in node]
        if isinstance(node, dict):
            if (
                node.get("_type") == "List"
                and node.get("length", -1) in (-1, None)
                and set(node) <= {"_type", "feature", "length"}
            ):
                return [fix(node["feature"])]
            return {k: fix(v) for k, v in node.items()}
        return node

    return fix(features.to_dict())


@functools.lru_cache(maxsize=1)
def arrow_schema() -> pa.Schema:
    """The Arrow schema of every exported file, with ``datasets``' ``huggingface`` metadata."""
    features = make_features()
    meta = {"info": {"features": portable_features_dict(features)}}
    return features.arrow_schema.with_metadata({"huggingface": json.dumps(meta)})


def _leaf_paths(name: str, pa_type: pa.DataType) -> list[str]:
    """Parquet's leaf column paths under a field (``input_audios.list.element.bytes``, ...)."""
    if pa.types.is_struct(pa_type):
        return [leaf for f in pa_type for leaf in _leaf_paths(f"{name}.{f.name}", f.type)]
    if pa.types.is_list(pa_type) or pa.types.is_large_list(pa_type):
        return _leaf_paths(f"{name}.list.element", pa_type.value_type)
    return [name]


def audio_bytes_columns(schema: pa.Schema) -> list[str]:
    return [leaf for c in AUDIO_COLUMNS for leaf in _leaf_paths(c, schema.field(c).type) if leaf.endswith(".bytes")]


def supports_cdc() -> bool:
    """Whether this pyarrow's Parquet writer has content-defined chunking (pyarrow >= 21)."""
    try:
        pq.ParquetWriter(pa.BufferOutputStream(), pa.schema([("x", pa.int8())]), use_content_defined_chunking=True)
    except TypeError:
        return False
    return True


@functools.lru_cache(maxsize=1)
def writer_options() -> dict[str, Any]:
    """Keyword arguments for ``pq.ParquetWriter``: compression and encoding per column, page index, CDC."""
    schema = arrow_schema()
    audio = set(audio_bytes_columns(schema))
    leaves = [leaf for f in schema for leaf in _leaf_paths(f.name, f.type)]
    options: dict[str, Any] = {
        "compression": {leaf: ("none" if leaf in audio else TEXT_COMPRESSION) for leaf in leaves},
        "use_dictionary": DICTIONARY_COLUMNS,
        "write_statistics": STATISTICS_COLUMNS,
        "column_encoding": {leaf: "PLAIN" for leaf in sorted(audio)},
        "write_page_index": True,
    }
    if supports_cdc():
        options["use_content_defined_chunking"] = dict(CDC_OPTIONS)
    return options


def open_writer(sink) -> pq.ParquetWriter:
    """A Parquet writer for ``sink`` (a path or a file object) with the export's schema and settings."""
    options = writer_options()
    writer = pq.ParquetWriter(sink, arrow_schema(), **options)
    if "use_content_defined_chunking" in options:  # as datasets does, so readers can tell
        writer.add_key_value_metadata({"content_defined_chunking": json.dumps(options["use_content_defined_chunking"])})
    return writer
