"""Breaking-change report between two versions of an OpenAPI document."""

from specgen.diff.compare import compare
from specgen.diff.model import Change
from specgen.diff.rules import RULES

__all__ = ["RULES", "Change", "compare"]
