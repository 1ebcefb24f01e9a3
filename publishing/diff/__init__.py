"""Breaking-change report between two versions of an OpenAPI document."""

from publishing.diff.compare import compare
from publishing.diff.model import Change
from publishing.diff.rules import RULES

__all__ = ["RULES", "Change", "compare"]
