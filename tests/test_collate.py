"""audio_flan.AudioCollator: resampling, padding, masks, conversation order, the long-audio policy, int16."""

from __future__ import annotations

import itertools
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import soundfile as sf
import soxr

import audio_flan
from audio_flan.builder import AudioFlan
from audio_flan.collate import AudioCollator, to_float32


def tone(seconds: float, rate: int, hz: float = 440.0) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (0.5 * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def example(i: int, inputs: list, outputs: list = ()) -> dict:
    return {
        "id": f"ex{i}",
        "config": "c",
        "instruction": "i",
        "input": "",
        "output": "o",
        "input_audios": list(inputs),
        "output_audios": list(outputs),
    }


def decoded(array: np.ndarray, rate: int) -> dict:
    return {"path": None, "array": array, "sampling_rate": rate}


def test_resamples_pads_and_masks_in_conversation_order():
    a, b, c = tone(0.5, 8000), tone(0.25, 16000), tone(1.0, 22050, hz=1000)
    batch = AudioCollator(sampling_rate=16000)(
        [example(0, [decoded(a, 8000)], [decoded(b, 16000)]), example(1, [decoded(c, 22050)])]
    )
    expected = [soxr.resample(a, 8000, 16000, quality="HQ"), b, soxr.resample(c, 22050, 16000, quality="HQ")]
    assert batch["audio"].dtype == np.float32 and batch["audio"].shape == (3, max(len(e) for e in expected))
    assert batch["audio_lengths"].tolist() == [len(e) for e in expected] == [8000, 4000, 16000]
    for row, want in zip(batch["audio"], expected):
        np.testing.assert_allclose(row[: len(want)], want, atol=1e-6)
        assert not row[len(want) :].any()
    assert batch["audio_attention_mask"].dtype == bool
    assert batch["audio_attention_mask"].sum(axis=1).tolist() == batch["audio_lengths"].tolist()
    assert batch["audio_example"].tolist() == [0, 0, 1]
    assert batch["audio_is_output"].tolist() == [False, True, False]
    assert batch["id"] == ["ex0", "ex1"] and batch["output"] == ["o", "o"] and batch["sampling_rate"] == 16000


def test_reads_lazy_and_undecoded_values_from_the_builder_at_the_collators_rate():
    lazy = list(itertools.islice(AudioFlan(config_name="speech.speaker_verification").as_streaming_dataset("train"), 2))
    raw = list(
        itertools.islice(
            AudioFlan(config_name="speech.speaker_verification").as_streaming_dataset("train").decode(False), 2
        )
    )
    collate = AudioCollator(sampling_rate=8000, pad_to_multiple_of=160)
    one, two = collate(lazy), collate(raw)
    np.testing.assert_array_equal(one["audio"], two["audio"])
    assert one["audio"].shape[1] % 160 == 0
    first = raw[0]["input_audios"][0]
    data, rate = sf.read(first["path"], dtype="float32")
    want = soxr.resample(data, rate, 8000, quality="HQ")
    np.testing.assert_allclose(one["audio"][0, : len(want)], want, atol=1e-6)
    assert one["audio_example"].tolist() == [0, 0, 1, 1]


def test_crop_keeps_the_first_max_seconds_and_counts():
    long, short = tone(2.0, 16000), tone(0.5, 16000)
    collate = AudioCollator(sampling_rate=16000, max_seconds=1.0)
    batch = collate([example(0, [decoded(long, 16000)]), example(1, [decoded(short, 16000)])])
    assert batch["audio_lengths"].tolist() == [16000, 8000]
    np.testing.assert_array_equal(batch["audio"][0], long[:16000])
    assert batch["num_cropped"] == 1 and batch["num_dropped"] == 0 and batch["id"] == ["ex0", "ex1"]
    assert collate.stats["cropped"] == 1


def test_drop_leaves_out_the_whole_example_and_names_it():
    long, short = tone(2.0, 16000), tone(0.5, 16000)
    collate = AudioCollator(sampling_rate=16000, max_seconds=1.0, too_long="drop")
    batch = collate([example(0, [decoded(short, 16000)], [decoded(long, 16000)]), example(1, [decoded(short, 16000)])])
    assert batch["id"] == ["ex1"] and batch["num_dropped"] == 1 and batch["dropped_ids"] == ["ex0"]
    assert batch["audio_example"].tolist() == [0] and batch["audio_lengths"].tolist() == [8000]
    empty = collate([example(2, [decoded(long, 16000)])])
    assert empty["audio"].shape == (0, 0) and empty["num_dropped"] == 1
    assert collate.stats["dropped"] == 2 and collate.stats["examples"] == 1


def test_int16_transfer_round_trips_within_one_step():
    source = np.round(tone(0.3, 16000) * 32768) / 32768  # a 16-bit signal: exact
    resampled = tone(0.3, 22050)  # not 16-bit once resampled: within one step
    batch = AudioCollator(transfer="int16")([example(0, [decoded(source, 16000), decoded(resampled, 22050)])])
    assert batch["audio"].dtype == np.int16
    floats = to_float32(dict(batch))["audio"]
    np.testing.assert_array_equal(floats[0, : len(source)], source)
    want = soxr.resample(resampled, 22050, 16000, quality="HQ")
    assert np.abs(floats[1, : len(want)] - want).max() <= 1 / 32768
    assert not floats[0, len(source) :].any()


def test_a_pickled_batch_travels_packed_and_arrives_the_same():
    import pickle

    arrays = [tone(2.0, 16000), tone(0.2, 16000), tone(0.7, 16000)]
    for transfer in ("float32", "int16"):
        batch = AudioCollator(transfer=transfer)([example(i, [decoded(a, 16000)]) for i, a in enumerate(arrays)])
        data = pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)
        back = pickle.loads(data)
        assert type(back) is type(batch) and set(back) == set(batch)
        for key, value in batch.items():
            if isinstance(value, np.ndarray):
                assert back[key].dtype == value.dtype
                np.testing.assert_array_equal(back[key], value)
            else:
                assert back[key] == value
        # the padding (1.8 s and 1.3 s of zeros) and the mask stay behind
        assert len(data) < 0.6 * len(pickle.dumps(dict(batch), protocol=pickle.HIGHEST_PROTOCOL))
    empty = AudioCollator(max_seconds=0.1, too_long="drop")([example(0, [decoded(arrays[0], 16000)])])
    assert pickle.loads(pickle.dumps(empty))["audio"].shape == (0, 0)


def test_bad_arguments_are_refused():
    for kwargs, message in [
        ({"sampling_rate": 0}, "sampling_rate"),
        ({"too_long": "trim"}, "too_long"),
        ({"transfer": "float16"}, "transfer"),
        ({"return_tensors": "tf"}, "return_tensors"),
        ({"max_seconds": 0}, "max_seconds"),
    ]:
        with pytest.raises(ValueError, match=message):
            AudioCollator(**kwargs)
    with pytest.raises(audio_flan.collate.CollateError, match="ex0"):
        AudioCollator()([example(0, [None])])


def test_text_fn_output_is_merged_into_the_batch():
    batch = AudioCollator(text_fn=lambda kept: {"n_chars": [len(e["output"]) for e in kept]})(
        [example(0, [decoded(tone(0.1, 16000), 16000)])]
    )
    assert batch["n_chars"] == [1]


def test_neither_import_nor_the_default_collator_imports_torch():
    code = textwrap.dedent(
        """
        import sys
        import numpy as np
        import audio_flan
        from audio_flan import AudioCollator
        batch = AudioCollator()([{"id": "a", "input_audios": [{"array": np.zeros(10, "float32"), "sampling_rate": 8000}]}])
        assert batch["audio"].shape == (1, 20), batch["audio"].shape
        assert "torch" not in sys.modules  # in the torch environment too: nothing imported it
        print("ok")
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr
