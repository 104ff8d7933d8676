"""Every minor-task name the Audio-FLAN paper (arXiv 2502.16584v1) prints resolves to its config.

The release's ``task_type.minor`` was written by the same authors, so its spellings follow the paper's, which are
not uniform: Table 1 (task category), Appendix A.1 (task definitions), Table 3 (datasets per task) and the records
of Appendix A.3 spell several tasks differently. Each spelling below is quoted as printed, with where it appears.
Left out on purpose: A.1's second "Vocoder Type Classification" (a typo for Device Recognition; the name stays
with speech.vocoder_classification), and names used only in running text for a family of tasks ("Audio Event
Detection", "Audio Source Separation", "Pitch Estimation", "Text-guided Music Generation").
"""

from __future__ import annotations

import pytest

from audio_flan.registry import normalise_task_name, task_table

PRINTED = [
    # Table 1
    ("speech", "Automatic Speech Recognition", "speech.asr"),
    ("speech", "Dialect Automatic Speech Recognition", "speech.dialect_asr"),
    ("speech", "Speech to Text Translation", "speech.speech_translation"),
    ("speech", "Device Recognitin", "speech.device_recognition"),
    ("speech", "Spontaneous Text to speech", "speech.spontaneous_tts"),
    ("speech", "Signal-to-noise Ratio Estimation", "speech.snr_estimation"),
    ("speech", "Speech Bandwidth Extension", "speech.bandwidth_extension"),
    ("speech", "Descriptive Speech Synthesis", "speech.descriptive_tts"),
    ("music", "Music Tagging", "music.tagging"),
    ("music", "Beat-level Instruments Recognition", "music.beat_level_instrument_recognition"),
    ("music", "Music Caption", "music.caption"),
    ("music", "Text-guided Source Separation", "music.text_guided_source_separation"),
    ("music", "Text-to-music Generation", "music.text_to_music"),
    ("music", "Text-guided Music Continuation", "music.text_guided_continuation"),
    ("music", "Lyrics-to-song Generation", "music.lyrics_to_song"),
    ("audio", "Audio Caption", "audio.caption"),
    ("audio", "Deepfake Audio Detection", "audio.deepfake_detection"),
    ("audio", "Speech, Silence, Music and Noise Classification", "audio.speech_music_noise_classification"),
    ("audio", "Speech Nonspeech Detection", "audio.speech_nonspeech_detection"),
    ("audio", "Audio Inpainting", "audio.inpainting"),
    ("audio", "Audio Super-resolution", "audio.super_resolution"),
    ("audio", "Text-guided Audio Source Separation", "audio.text_guided_source_separation"),
    ("audio", "Label-querying Sound Extraction", "audio.label_querying_sound_extraction"),
    ("audio", "Audio-querying Sound Extraction", "audio.audio_querying_sound_extraction"),
    ("audio", "Text-guided Audio Generation", "audio.text_to_audio"),
    ("audio", "Time-grounded Text-to-audio Generation", "audio.time_grounded_text_to_audio"),
    ("audio", "Audio Continuation", "audio.continuation"),
    # Appendix A.1
    ("speech", "Age Prediction", "speech.age_recognition"),
    ("speech", "Zero-shot Text to Speech/Voice Cloning", "speech.zero_shot_tts"),
    ("music", "Instruments Comparison", "music.instrument_comparison"),
    ("music", "Text-to-Music Generation", "music.text_to_music"),
    ("audio", "Speech and Non-speech Detection", "audio.speech_nonspeech_detection"),
    # Table 3
    ("speech", "Device Recognition", "speech.device_recognition"),
    ("speech", "Zero-shot Text to Speech", "speech.zero_shot_tts"),
    ("music", "Beat-level Instrument Recognition", "music.beat_level_instrument_recognition"),
    ("music", "Lyrics2song Generation", "music.lyrics_to_song"),
    # Appendix A.3 (records as the release writes them)
    ("speech", "Speech-to-text Translation", "speech.speech_translation"),
    ("audio", "Sound Super-resolution", "audio.super_resolution"),
]


def _resolve(domain: str, minor: str) -> list[str]:
    key = normalise_task_name(minor)
    return sorted(t.name for t in task_table().values() if t.domain == domain and key in t.release_names)


@pytest.mark.parametrize(("domain", "minor", "config"), PRINTED)
def test_every_spelling_the_paper_prints_resolves_to_its_config(domain, minor, config):
    assert _resolve(domain, minor) == [config]


def test_every_config_minor_name_resolves_to_itself_alone():
    for task in task_table().values():
        assert _resolve(task.domain, task.minor) == [task.name]
