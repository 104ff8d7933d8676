"""Task shapes: how a shard's records become instances. One module per kind of shape; the registry names one
shape per task. Shapes without an implementation here (timeline, simulate) are fed only by the release."""

from .base import Context, RecordError, Shape
from .compare import Compare
from .mapped import Condition, Label, Synthesize, Transcribe

SHAPES: dict[str, Shape] = {
    shape.name: shape for shape in (Label(), Transcribe(), Synthesize(), Condition(), Compare())
}

__all__ = ["SHAPES", "Context", "RecordError", "Shape"]
