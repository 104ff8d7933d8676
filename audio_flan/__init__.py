"""audio-flan: the Audio-FLAN instruction dataset (80 tasks over speech, music and sound) for ``datasets``.

``import audio_flan`` registers the name ``audio-flan`` so that ``datasets.load_dataset("audio-flan",
"speech.asr")`` works; the builder class, the task table and the audio helpers are here too.
"""

from .collate import AudioCollator
from .features import Audio, AudioDecodeError, LazyAudio, decode_audio, make_features
from .messages import attach_audio, messages_map, to_messages
from .mixture import Mixture, mixture
from .registry import RegistryError, Task, task_table
from .sources import SourceError
from .sources.base import CorpusFormatError, MissingAudioWarning
from .version import __version__


def __getattr__(name):
    # The builder imports every parser and reads the registry: only pay for it when asked.
    if name in ("AudioFlan", "AudioFlanConfig"):
        from . import builder

        return getattr(builder, name)
    raise AttributeError(f"module 'audio_flan' has no attribute {name!r}")


def load(config: str = "speech.asr", **kwargs):
    """``datasets.load_dataset("audio-flan", config, **kwargs)``."""
    import datasets

    return datasets.load_dataset("audio-flan", config, **kwargs)


from .hook import try_install as _try_install  # noqa: E402

_try_install()

__all__ = [
    "Audio",
    "AudioCollator",
    "AudioDecodeError",
    "AudioFlan",
    "AudioFlanConfig",
    "CorpusFormatError",
    "LazyAudio",
    "MissingAudioWarning",
    "Mixture",
    "RegistryError",
    "SourceError",
    "Task",
    "__version__",
    "attach_audio",
    "decode_audio",
    "load",
    "make_features",
    "messages_map",
    "mixture",
    "task_table",
    "to_messages",
]
