"""Regions and recipes: laziness, storage inside datasets' Audio struct, the Arrow cache, export, determinism."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import datasets
import numpy as np
import pytest
import soundfile as sf
from audio_signals import read, room_impulse_response, speechlike, write

from audio_flan import Audio, LazyAudio, decode_audio, dsp, make_features
from audio_flan import audio_values as av
from audio_flan.audio_values import AudioDecodeError, AudioValueError

RATE = 16000


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("values")
    rng = np.random.default_rng(3)
    stereo = np.stack([speechlike(2.0, RATE, seed=4), 0.1 * rng.standard_normal(2 * RATE)], axis=1)
    return {
        "folder": folder,
        "clean": write(folder / "speech" / "clean.wav", speechlike(3.0, RATE, seed=1), RATE),
        "clean24": write(folder / "speech" / "clean24.flac", speechlike(2.0, RATE, seed=5), RATE, "PCM_24"),
        "noise": write(folder / "noise" / "noise.wav", 0.1 * rng.standard_normal(6 * RATE), RATE),
        "rir": write(folder / "rir" / "rir.wav", room_impulse_response(RATE, drr_db=6.0), RATE, "FLOAT"),
        "rir2": write(folder / "rir" / "rir2.wav", room_impulse_response(RATE, 0.7, 8.0, seed=9), RATE, "FLOAT"),
        "stereo": write(folder / "speech" / "stereo.wav", stereo, RATE),
    }


def recipes(files) -> list[av.AudioValue]:
    clean, noise = av.File(files["clean"]), av.Region(files["noise"], 1.5, 3.0)
    return [
        av.Mix(clean, noise, 4.2),
        av.Reverb(clean, av.File(files["rir"])),
        av.Clip(clean, 0.3),
        av.BandLimit(clean, 8000),
        av.Gap(clean, 1.0, 0.25),
        av.Crop(av.Mix(clean, noise, 0.0), 0.5, 2.0),
        av.Sum([clean, av.File(files["clean24"])], [0.5, 1.0], [0.0, 0.5]),
        av.Sum([av.Mix(av.Reverb(av.BandLimit(clean, 4000), av.File(files["rir"])), noise, -2.0)], [0.5]),
        av.Region(files["clean"], 0.25, 1.5),
    ]


# -- regions ------------------------------------------------------------------------------------------------


def _bytes_read() -> int:
    """Bytes this process has read through read(2) and friends so far (Linux's /proc/self/io ``rchar``)."""
    with open("/proc/self/io") as f:
        return int(next(line for line in f if line.startswith("rchar:")).split()[1])


@pytest.mark.skipif(not os.path.exists("/proc/self/io"), reason="counts bytes read with Linux's /proc/self/io")
@pytest.mark.parametrize("subtype,fmt", [("PCM_16", "wav"), ("PCM_16", "flac"), ("PCM_24", "wav")])
def test_a_region_reads_its_own_bytes_not_the_file(tmp_path, subtype, fmt):
    minutes = 10
    rng = np.random.default_rng(0)
    t = np.arange(minutes * 60 * RATE) / RATE
    audio = 0.3 * np.sin(2 * np.pi * 220 * t) + 0.05 * rng.standard_normal(t.size)
    path = str(tmp_path / f"meeting.{fmt}")
    sf.write(path, audio, RATE, subtype=subtype)
    file_size = os.path.getsize(path)
    region_share = file_size * 10 / (minutes * 60)  # what 10 s of this file weighs

    value = Audio().decode_example(av.Region(path, 312.5, 10.0).to_storage())
    before = _bytes_read()
    array = value["array"]
    region_read = _bytes_read() - before
    before = _bytes_read()
    whole = decode_audio(path)["array"]
    whole_read = _bytes_read() - before

    np.testing.assert_array_equal(array, whole[312 * RATE + RATE // 2 : 322 * RATE + RATE // 2])
    assert whole_read >= file_size  # the counter sees soundfile's reads
    assert region_read < 1.5 * region_share + 256 * 1024, (region_read, region_share, file_size)


def test_a_region_is_the_slice_of_its_file(files):
    clean = read(files["clean"])
    assert np.array_equal(decode_audio(av.Region(files["clean"], 0.5, 1.0))["array"], clean[8000:24000])
    assert np.array_equal(decode_audio(av.Region(files["clean"], 2.0))["array"], clean[32000:])
    stereo = sf.read(files["stereo"], dtype="float32", always_2d=True)[0].T
    region = av.Region(files["stereo"], 0.25, 0.5)
    stored = region.to_storage()
    assert np.array_equal(LazyAudio(stored["path"], stored["bytes"], mono=False)["array"], stereo[:, 4000:12000])
    array, rate = region.render(mono=False)
    assert rate == RATE and np.array_equal(array, stereo[:, 4000:12000])
    assert np.allclose(region.render()[0], stereo[:, 4000:12000].mean(axis=0))


def test_a_region_outside_its_file_names_the_file(files):
    with pytest.raises(AudioDecodeError, match="clean.wav.*not inside its 3.000 s"):
        decode_audio(av.Region(files["clean"], 2.5, 1.0))
    with pytest.raises(AudioDecodeError, match="missing.wav"):
        decode_audio(av.Region(str(Path(files["folder"]) / "missing.wav"), 0.0, 1.0))


# -- storage and laziness -----------------------------------------------------------------------------------


def test_every_value_round_trips_through_storage(files, monkeypatch):
    for value in recipes(files):
        stored = value.to_storage()
        assert set(stored) == {"path", "bytes"} and av.is_encoded(stored["bytes"])
        assert av.from_storage(stored) == value  # what this process stored a moment ago: given back as it was
    monkeypatch.setattr(av, "_encoded", av._Bounded(0))  # bytes this process did not store: parsed
    for value in recipes(files):
        stored = value.to_storage()
        parsed = av.from_storage(stored)
        assert parsed == value and parsed is not value
        assert parsed.render()[0].tobytes() == value.render()[0].tobytes()
        assert av.from_dict(json.loads(json.dumps(value.to_dict()))) == value
    assert av.File(files["clean"]).to_storage() == {"path": files["clean"], "bytes": None}  # a file stays a path
    region = av.Region(files["clean"], 0.25, 1.5).to_storage()
    assert region["path"] == files["clean"] + "#t=0.25,1.75"  # a media fragment, not an openable file


def test_stored_values_are_not_audio_to_other_readers(files):
    """A reader that does not know the format fails instead of playing something else."""
    stored = av.Mix(av.File(files["clean"]), av.File(files["noise"]), 1.0).to_storage()
    with pytest.raises(sf.LibsndfileError):
        sf.read(io.BytesIO(stored["bytes"]))


@pytest.mark.parametrize(
    "document,message",
    [
        (b"{not json", "not valid JSON"),
        (json.dumps({"type": "echo", "source": None}).encode(), "unknown audio value type 'echo'"),
        (json.dumps({"type": "clip", "source": {"type": "file", "path": "/a.wav"}}).encode(), "level"),
        (json.dumps({"type": "clip", "source": {"type": "file", "path": "/a.wav"}, "level": 2}).encode(), r"\(0, 1\]"),
        (
            json.dumps({"type": "mix", "clean": {"type": "file", "path": "/a"}, "noise": 3, "snr_db": 1}).encode(),
            "object",
        ),
        (json.dumps({"type": "region", "path": "/a.wav", "offset": -1}).encode(), "offset"),
        (json.dumps({"type": "file", "path": "/a.wav", "gain": 2}).encode(), "unknown fields"),
        (json.dumps({"type": "sum", "stems": [{"type": "file", "path": "/a"}], "gains": [1, 2]}).encode(), "gains"),
    ],
)
def test_a_malformed_value_says_what_is_wrong(document, message):
    with pytest.raises(AudioValueError, match=message):
        av.from_bytes(av.MAGIC + document)


def test_encoding_reads_nothing_and_decoding_waits_for_the_samples(tmp_path, files):
    clean = shutil.copy(files["clean"], tmp_path / "clean.wav")
    value = av.Mix(av.File(str(clean)), av.Region(files["noise"], 0.0, 3.0), 5.0)
    stored = Audio().encode_example(value)
    lazy = Audio().decode_example(stored)
    assert isinstance(lazy, LazyAudio) and not lazy.is_decoded and lazy["path"] is None
    os.remove(clean)  # nothing read yet: only touching the samples finds out
    with pytest.raises(AudioDecodeError, match="clean.wav"):
        lazy["array"]
    assert Audio().encode_example(av.Mix(av.File("/nowhere/a.wav"), av.File("/nowhere/b.wav"), 0.0))["bytes"]


def test_metadata_describes_every_parameter(files):
    value = av.Mix(av.Reverb(av.File(files["clean"]), av.File(files["rir"])), av.Region(files["noise"], 1.5, 3.0), 4.2)
    assert value.describe(str(files["folder"])) == {
        "type": "mix",
        "snr_db": 4.2,
        "clean": {
            "type": "reverb",
            "source": {"type": "file", "path": "speech/clean.wav"},
            "rir": {"type": "file", "path": "rir/rir.wav"},
        },
        "noise": {"type": "region", "path": "noise/noise.wav", "offset": 1.5, "duration": 3.0},
    }
    assert value.describe()["noise"]["path"] == "noise.wav"  # no root: the file name, never the machine's path
    json.dumps(value.describe())
    assert value.files() == (files["clean"], files["rir"], files["noise"])


# -- datasets: streaming, the Arrow cache, decode(False) ----------------------------------------------------


def _examples(files):
    values = recipes(files)
    for i in range(0, len(values), 3):
        yield {
            "id": f"x{i}",
            "config": "speech.denoising",
            "domain": "speech",
            "instruction": "Clean this up.",
            "input": "<|SOA|>a<|EOA|>",
            "output": "<|SOA|>b<|EOA|>",
            "input_audios": [av.to_storage(v) for v in values[i : i + 3]],
            "output_audios": [av.to_storage(files["clean"])],
            "source": "test",
            "language": ["en"],
            "metadata": json.dumps({"recipes": [v.describe() for v in values[i : i + 3]]}),
        }


def _arrays(example) -> list[np.ndarray]:
    return [a["array"] for a in example["input_audios"] + example["output_audios"]]


def test_the_arrow_cache_and_decode_false_give_the_streamed_arrays(files, tmp_path):
    features = make_features()
    streamed = [
        _arrays(ex)
        for ex in datasets.IterableDataset.from_generator(_examples, features=features, gen_kwargs={"files": files})
    ]
    expected = [[v.render()[0] for v in values] for values in [recipes(files)[i : i + 3] for i in (0, 3, 6)]]
    for got, want in zip(streamed, expected):
        for a, b in zip(got, want):
            assert np.array_equal(a, b)

    cached = datasets.Dataset.from_generator(
        _examples, features=features, gen_kwargs={"files": files}, cache_dir=str(tmp_path / "cache")
    )
    assert len(cached.cache_files) == 1  # read back from the Arrow file
    reloaded = datasets.Dataset.from_file(cached.cache_files[0]["filename"])
    raw = reloaded.cast(datasets.Features({**features, "input_audios": [Audio(decode=False)]}))
    for i, want in enumerate(streamed):
        example = cached[i]
        assert all(isinstance(a, LazyAudio) for a in example["input_audios"])
        assert all(np.array_equal(a, b) for a, b in zip(_arrays(example), want))
        stored = raw[i]["input_audios"]
        assert all(av.is_encoded(v["bytes"]) for v in stored)
        assert all(np.array_equal(decode_audio(v)["array"], b) for v, b in zip(stored, want))

    stream_raw = datasets.IterableDataset.from_generator(_examples, features=features, gen_kwargs={"files": files})
    for example, want in zip(stream_raw.decode(False), streamed):
        got = [decode_audio(v)["array"] for v in example["input_audios"] + example["output_audios"]]
        assert all(np.array_equal(a, b) for a, b in zip(got, want))


# -- export -------------------------------------------------------------------------------------------------


def test_export_bytes_are_flac_with_the_same_samples(files):
    for value in recipes(files):
        data, name = av.to_export_bytes(value.to_storage())
        info = sf.info(io.BytesIO(data))
        assert info.format == "FLAC" and name.endswith(".flac")
        expected_bits = 24 if {files["clean24"], files["rir"]} & set(value.files()) else 16  # 24-bit, float
        assert info.subtype == f"PCM_{expected_bits}"
        back, rate = sf.read(io.BytesIO(data), dtype="float32")
        rendered, own_rate = value.render()
        assert rate == own_rate
        np.testing.assert_allclose(back, rendered, atol=2.0 ** -(expected_bits - 1))


_READER = """
import io, sys
import numpy as np, pyarrow.parquet as pq, soundfile as sf
rows = pq.read_table(sys.argv[1]).to_pylist()
arrays = [sf.read(io.BytesIO(a["bytes"]), dtype="float32")[0] for a in rows[0]["audios"]]
assert "audio_flan" not in sys.modules
np.savez(sys.argv[2], *arrays)
"""


def test_exported_parquet_reads_back_without_the_package(files, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    values = recipes(files)
    audios = [dict(zip(("bytes", "path"), av.to_export_bytes(v.to_storage()))) for v in values]
    pq.write_table(pa.table({"audios": [audios]}), tmp_path / "train.parquet")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    subprocess.run(
        [sys.executable, "-I", "-c", _READER, str(tmp_path / "train.parquet"), str(tmp_path / "out.npz")],
        env=env,
        check=True,
        cwd=tmp_path,
    )
    with np.load(tmp_path / "out.npz") as back:
        for i, value in enumerate(values):
            np.testing.assert_allclose(back[f"arr_{i}"], value.render()[0], atol=2.0**-15)


def test_a_region_of_a_16_bit_file_exports_bit_exact(files):
    data, name = av.to_export_bytes(av.Region(files["stereo"], 0.5, 1.0))
    back = sf.read(io.BytesIO(data), dtype="int16", always_2d=True)[0]
    assert np.array_equal(back, sf.read(files["stereo"], dtype="int16", always_2d=True)[0][8000:24000])
    assert name == "stereo_0.500-1.500.flac"


def test_a_file_exports_as_its_own_bytes(files):
    assert av.to_export_bytes({"path": files["clean"], "bytes": None}) == (
        Path(files["clean"]).read_bytes(),
        "clean.wav",
    )
    assert av.to_export_bytes(av.File(files["clean"]))[1] == "clean.wav"
    with pytest.raises(OSError):
        av.to_export_bytes("/nowhere/a.wav")


def test_export_does_not_depend_on_where_the_corpora_sit(files, tmp_path):
    moved = {k: str(shutil.copy(files[k], tmp_path / Path(files[k]).name)) for k in ("clean", "noise", "rir")}
    here = av.Mix(av.Reverb(av.File(files["clean"]), av.File(files["rir"])), av.Region(files["noise"], 1.0, 3.0), 3.0)
    there = av.Mix(av.Reverb(av.File(moved["clean"]), av.File(moved["rir"])), av.Region(moved["noise"], 1.0, 3.0), 3.0)
    assert av.to_export_bytes(here) == av.to_export_bytes(there)
    assert here.describe() == there.describe()


def test_audio_beyond_full_scale_is_clipped_with_a_warning(files):
    loud = av.Sum([av.File(files["clean"])], [4.0])
    with pytest.warns(av.ClippedRenderWarning, match="peaks at 2.0"):
        data, _ = av.to_export_bytes(loud)
    assert np.abs(sf.read(io.BytesIO(data))[0]).max() <= 1.0


# -- determinism --------------------------------------------------------------------------------------------

_SCRIPT = """
import hashlib, json, sys
from audio_flan import audio_values as av, dsp


def regenerate(clean, noise, rirs, seed):
    out = {}
    for i in range(4):
        iid = f"speech.denoising/train/{i}"
        offset = dsp.draw_offset(seed, iid, "noise.offset", 6.0, 3.0)
        start, length = dsp.draw_gap(seed, iid, 3.0)
        reverb = av.Reverb(av.File(clean), av.File(dsp.draw_choice(seed, iid, "rir", rirs.split(","))))
        mix = av.Mix(reverb, av.Region(noise, offset, 3.0), dsp.draw_snr_db(seed, iid))
        value = av.Gap(av.Clip(mix, dsp.draw_clip_level(seed, iid)), start, length)
        array, rate = value.render()
        data, name = av.to_export_bytes(value)
        out[iid] = [value.describe(), hashlib.sha256(array.tobytes()).hexdigest(), hashlib.sha256(data).hexdigest(), name]
    return out


if __name__ == "__main__":
    print(json.dumps(regenerate(*sys.argv[1:4], int(sys.argv[4]))))
"""


def test_same_instance_and_seed_give_identical_audio_in_any_process(files):
    namespace: dict = {}
    exec(compile(_SCRIPT, "regenerate", "exec"), namespace)
    args = [files["clean"], files["noise"], files["rir"] + "," + files["rir2"]]
    here = json.loads(json.dumps(namespace["regenerate"](*args, 11)))
    for hashseed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": hashseed}
        done = subprocess.run([sys.executable, "-c", _SCRIPT, *args, "11"], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout) == here
    other = namespace["regenerate"](*args, 12)
    for iid in here:
        assert other[iid][0] != here[iid][0]  # another seed: other parameters
        assert other[iid][1] != here[iid][1]  # and other audio


def test_recent_reads_are_shared_but_never_stale_or_writable_through(tmp_path):
    """A pair's input recipe and its output read the same clean file once; what users get is their own array,
    and a rewritten file is read again."""
    path = write(tmp_path / "a.wav", speechlike(1.0, RATE, seed=1), RATE)
    first = decode_audio(path)["array"]
    first[:] = 0.0  # the user's own array
    again = decode_audio(path)["array"]
    assert np.array_equal(again, read(path)) and again.any()
    mixed = decode_audio(av.Sum([av.File(path), av.File(path)], [1.0, -1.0]))["array"]
    assert not mixed.any()
    os.remove(path)
    write(tmp_path / "a.wav", speechlike(1.0, RATE, seed=2), RATE)  # same size, new content
    assert np.array_equal(decode_audio(path)["array"], read(path))
    assert not np.array_equal(decode_audio(path)["array"], again)
    value = Audio().decode_example(av.Region(path, 0.0, 0.5).to_storage())
    assert value["array"].flags.writeable


def test_numpy_numbers_become_plain_json_numbers(files):
    value = av.Sum(
        [av.Clip(av.Region(files["clean"], np.float32(0.5), np.int64(1)), np.float64(0.3))],
        [np.float32(0.5)],
        [np.int32(0)],
    )
    document = json.loads(value.to_storage()["bytes"][len(av.MAGIC) :])
    assert document["gains"] == [0.5] and document["offsets"] == [0.0]
    assert document["stems"][0]["source"]["offset"] == 0.5 and document["stems"][0]["source"]["duration"] == 1.0
    assert av.from_storage(value.to_storage()) == value
    assert av.BandLimit(av.File(files["clean"]), np.int64(8000)).to_dict()["low_rate"] == 8000
    with pytest.raises(AudioValueError, match="gains"):
        av.Sum([av.File(files["clean"])], [float("nan")])


def test_the_export_embeds_rendered_recipes(files, tmp_path, monkeypatch):
    """export.run_unit, at the one spot where it reads an audio value's bytes, embeds a recipe as FLAC."""
    import types

    import pyarrow as pa

    from audio_flan import export

    fake = types.SimpleNamespace(
        info=types.SimpleNamespace(features=make_features()),
        _generate_examples=lambda shards, split: ((ex["id"], ex) for ex in _examples(files)),
    )
    monkeypatch.setattr(export, "_builder", lambda config, settings: fake)
    settings = export.Settings(out=str(tmp_path / "out"), data_dir=None)
    unit = export.Unit("speech.denoising", "train", 0, ("test", None, None))
    unit.folder(settings).mkdir(parents=True)
    manifest = export.run_unit((unit, settings))
    rows = pa.ipc.open_file(str(unit.path(settings, "arrow"))).read_all().to_pylist()  # the staged unit
    values = recipes(files)
    assert [len(r["input_audios"]) for r in rows] == [3, 3, 3]
    for stored, value in zip([a for r in rows for a in r["input_audios"]], values):
        assert stored["bytes"][:4] == b"fLaC" and stored["path"].endswith(".flac")
        back = sf.read(io.BytesIO(stored["bytes"]), dtype="float32")[0]
        np.testing.assert_allclose(back, value.render()[0], atol=2.0**-15)
    assert rows[0]["output_audios"][0] == {"bytes": Path(files["clean"]).read_bytes(), "path": "clean.wav"}
    rendered_seconds = sum(v.render()[0].size / RATE for v in values) + 3 * 3.0
    assert manifest["audio_seconds"] == pytest.approx(rendered_seconds, abs=1e-3)


def test_a_whole_file_decode_opens_the_file_once(tmp_path, monkeypatch):
    """The samples and the header bytes of the truncation check come through one open (benchmarks/simulate.py)."""
    path = write(tmp_path / "once.wav", speechlike(0.5, 16000), 16000)
    opened: list[object] = []
    real_os_open, real_sf_init = os.open, sf.SoundFile.__init__

    def counting_os_open(file, *args, **kwargs):
        opened.append(os.fspath(file))
        return real_os_open(file, *args, **kwargs)

    def counting_sf_init(self, file, *args, **kwargs):
        if not isinstance(file, int):  # a file descriptor is an open already counted
            opened.append(os.fspath(file))
        return real_sf_init(self, file, *args, **kwargs)

    monkeypatch.setattr(os, "open", counting_os_open)
    monkeypatch.setattr(sf.SoundFile, "__init__", counting_sf_init)
    array, rate = av.read_file(path)
    assert rate == 16000 and array.shape == (1, 8000)
    assert opened == [path]


@pytest.mark.parametrize("snr_db", [-5.0, 20.0])  # a mixture scaled down to its peak, and one left as it is
def test_a_pair_is_exactly_the_mixture_of_the_files_and_its_halves_are_the_callers(tmp_path, snr_db):
    """Both halves of a denoising pair are, sample for sample, dsp.mix_parts over what soundfile reads; each is
    the caller's own array: writing into it changes neither the other half nor a later render."""
    rate = 16000
    clean_path = write(tmp_path / "clean.wav", 0.5 * speechlike(0.5, rate, 1), rate)
    noise_path = write(tmp_path / "noise.wav", 0.2 * np.random.default_rng(3).standard_normal(rate), rate)
    mixture = av.Mix(av.File(clean_path), av.Region(noise_path, 0.25, 0.5), snr_db, peak=0.3)
    target = av.Mix(mixture.clean, mixture.noise, snr_db, peak=0.3, part="clean")
    clean, _ = sf.read(clean_path, dtype="float32")
    noise, _ = sf.read(noise_path, start=4000, stop=12000, dtype="float32")
    want_mixture, want_target = dsp.mix_parts(clean, noise, snr_db, 0.3)
    for first, second in ((mixture, target), (target, mixture)):
        a, _ = first.render()
        b, _ = second.render()
        got = {first.part: a, second.part: b}
        assert got["mixture"].tobytes() == want_mixture.tobytes()
        assert got["clean"].tobytes() == want_target.tobytes()
        got["clean"][:] = 7.0
        got["mixture"][:] = 7.0
    again, _ = target.render()
    assert again.tobytes() == want_target.tobytes()
    assert av.File(clean_path).render()[0].tobytes() == clean.tobytes()


def _truncated_wav(path: Path, extra_chunk: int) -> str:
    """A 16-bit WAV whose data chunk declares 1000 frames and holds 600, with ``extra_chunk`` bytes of a LIST
    chunk before it (software that writes metadata puts it there)."""
    samples = (0.1 * np.sin(np.arange(600) / 5) * 32767).astype("<i2").tobytes()
    fmt = b"fmt " + (16).to_bytes(4, "little") + bytes.fromhex("0100 0100 803e0000 007d0000 0200 1000")
    chunks = fmt
    if extra_chunk:
        chunks += b"LIST" + extra_chunk.to_bytes(4, "little") + b"\0" * extra_chunk
    chunks += b"data" + (2000).to_bytes(4, "little") + samples
    path.write_bytes(b"RIFF" + (4 + len(chunks)).to_bytes(4, "little") + b"WAVE" + chunks)
    return str(path)


@pytest.mark.parametrize("extra_chunk", [0, 6000])  # the data chunk in the first 4 KB of the file, and beyond them
def test_a_truncated_file_is_an_error_wherever_its_data_chunk_starts(tmp_path, extra_chunk):
    path = _truncated_wav(tmp_path / "cut.wav", extra_chunk)
    with pytest.raises(AudioDecodeError, match=r"cut.wav: truncated, 600 of the 1000 frames its header declares"):
        av.read_file(path)


def test_nan_or_infinite_samples_are_an_error_in_float_files_whole_or_in_part(tmp_path):
    """Float subtypes can hold NaN and infinities (integer ones cannot, and skip the pass over the samples)."""
    signal = 0.1 * np.sin(np.arange(RATE) / 7)
    for bad, name in ((np.nan, "nan"), (np.inf, "inf")):
        data = signal.copy()
        data[12000] = bad
        path = write(tmp_path / f"{name}.wav", data, RATE, subtype="FLOAT")
        with pytest.raises(AudioDecodeError, match=rf"{name}.wav: it holds NaN or infinite samples"):
            av.read_file(path)
        with pytest.raises(AudioDecodeError, match=rf"{name}.wav: it holds NaN or infinite samples"):
            av.read_file(path, 0.5, 0.4)  # a region over the bad sample
        assert av.read_file(path, 0.0, 0.5)[0].shape == (1, 8000)  # a region before it is fine


@pytest.mark.parametrize("fmt,channels", [("WAV", 1), ("WAV", 2), ("FLAC", 1), ("AIFF", 2)])
def test_16_bit_files_decode_to_the_floats_soundfile_gives(tmp_path, fmt, channels):
    """16-bit PCM is read as int16 and scaled with numpy: every sample, the extremes included, is the float32
    that soundfile's own float read gives, whole files and regions alike."""
    rng = np.random.default_rng(5)
    samples = rng.integers(-32768, 32768, size=(RATE, channels), dtype=np.int16)
    samples[:2] = [[-32768] * channels, [32767] * channels]
    path = str(tmp_path / f"full_scale.{fmt.lower()}")
    sf.write(path, samples, RATE, format=fmt, subtype="PCM_16")
    want = sf.read(path, dtype="float32", always_2d=True)[0].T
    whole, rate = av.read_file(path, keep=False)
    assert rate == RATE and whole.dtype == np.float32 and whole.tobytes() == want.tobytes()
    part, _ = av.read_file(path, 0.25, 0.5, keep=False)
    assert part.tobytes() == np.ascontiguousarray(want[:, 4000:12000]).tobytes()


def test_reads_are_their_own_arrays_whatever_their_size(tmp_path, monkeypatch):
    """Reads go through a per-thread int16 buffer (up to a limit; longer ones allocate their own): what a read
    returns never changes when the next one comes."""
    monkeypatch.setattr(av._Scratch, "LIMIT", RATE)  # 1 s
    short = write(tmp_path / "short.wav", speechlike(0.5, RATE, seed=1), RATE)
    long = write(tmp_path / "long.wav", speechlike(2.0, RATE, seed=2), RATE)
    first, _ = av.read_file(short, keep=False)
    kept = first.copy()
    for path in (long, short, long):
        again, _ = av.read_file(path, keep=False)
        assert np.array_equal(again[0], read(path))
    assert first.tobytes() == kept.tobytes()
