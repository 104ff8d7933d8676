"""Task shapes: how a shard's records become instances. The registry names one shape per task; the release's
finished instances go through the passthrough shape. Simulate covers clipping, band-limiting and gaps over one
corpus, and mixtures with noise and reverberation whose noise or impulse response a task role draws from other
corpora (audio_flan/roles.py). Separate builds mixtures of two records of a shard (or reads a corpus's own
mixture), for extraction and separation tasks; continue crops a recording into a prompt and what follows; place
lays clips of different classes on a timeline. A binding names one of these with ``shape: <name>``."""

from .base import Context, RecordError, Shape
from .compare import Compare
from .continuation import Continue
from .mapped import Mapped
from .passthrough import Passthrough
from .placement import Place
from .separate import Separate
from .simulate import Simulate
from .timeline import Timeline

SHAPES: dict[str, Shape] = {
    shape.name: shape
    for shape in (
        Mapped("label"),
        Mapped("transcribe"),
        Mapped("synthesize"),
        Mapped("condition"),
        Compare(),
        Timeline(),
        Simulate(),
        Separate(),
        Continue(),
        Place(),
    )
}
PASSTHROUGH: Shape = Passthrough()


def shape_named(name: str) -> Shape:
    """The shape a binding names (a registry shape, or the passthrough)."""
    return PASSTHROUGH if name == PASSTHROUGH.name else SHAPES[name]


__all__ = ["PASSTHROUGH", "SHAPES", "Context", "RecordError", "Shape", "shape_named"]
