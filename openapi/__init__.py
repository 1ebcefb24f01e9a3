"""The OpenAPI document of the SelfCommunity v2 event invitations, as one small package.

``openapi/v2.yaml`` is generated from the reference pages by ``specgen build`` and committed. This
folder is also the package that ships it: a checkout (``python -m …`` from the repository root), an
editable install and an installed wheel all read the document from here, so every consumer
(``reference_impl``, ``conformance``, ``specgen docs``/``markdown``) takes its default from ``SPEC_PATH``.
"""

from __future__ import annotations

from pathlib import Path

# The shipped document: package data of this package, wherever it is installed.
SPEC_PATH = Path(__file__).resolve().with_name("v2.yaml")
# Where `specgen build` writes the document and `specgen check` reads it: relative to a checkout's root.
SOURCE_PATH = Path("openapi") / "v2.yaml"
