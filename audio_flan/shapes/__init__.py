"""Task shapes: how a shard's records become instances. The registry names one shape per task; the release's
finished instances go through the passthrough shape. The simulate shape has no implementation yet: only the release feeds it."""

from .base import Context, RecordError, Shape
from .compare import Compare
from .mapped import Mapped
from .passthrough import Passthrough
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
    )
}
PASSTHROUGH: Shape = Passthrough()


def shape_named(name: str) -> Shape:
    """The shape a binding names (a registry shape, or the passthrough)."""
    return PASSTHROUGH if name == PASSTHROUGH.name else SHAPES[name]


__all__ = ["PASSTHROUGH", "SHAPES", "Context", "RecordError", "Shape", "shape_named"]
