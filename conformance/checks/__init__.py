"""The checks, one module per requirement group; importing this package registers them all."""

from . import (
    access,
    auth,
    existence,
    invite,
    media,
    membership,
    model,
    public_access,
    reads,
    spec_conformance,
    tolerance,
    validation,
)
from .outcomes import CheckFailed, CheckSkipped, Observation, expect
from .registry import REGISTRY, requirement

__all__ = [
    "REGISTRY",
    "CheckFailed",
    "CheckSkipped",
    "Observation",
    "access",
    "auth",
    "existence",
    "expect",
    "invite",
    "media",
    "membership",
    "model",
    "public_access",
    "reads",
    "requirement",
    "spec_conformance",
    "tolerance",
    "validation",
]
