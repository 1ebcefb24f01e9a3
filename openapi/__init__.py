"""The contract core: the OpenAPI document of the SelfCommunity v2 membership lifecycle, and its facts.

``openapi/v2.yaml`` is generated from the reference pages by ``specgen build`` and committed. This
package ships it and is the one place that reads facts out of it, for every other package:

- ``openapi.document``: the document as a typed view (``Spec``, ``SpecOperation``), loaded once;
- ``openapi.access``: the ``x-access`` language (docs/access-language.md) as dataclasses, parsed once
  and validated against ``x_access.schema.json``; the authentication ladder;
- ``openapi.extension_schemas``: the JSON Schemas of the extensions, read once, and their problems;
- ``openapi.joining``: the ``x-join`` extension (docs/join-language.md), what joining does, by condition;
- ``openapi.privacy``: what each ``privacy`` value of a family means: who sees it, what joining does, who
  lists the members, what non-members see instead (from ``x-access``, ``x-join`` and the create schema's
  enum);
- ``openapi.states``: a family's states in its own words (the status's enum) and what each means, where
  the resource shows the state, which states the members list lists;
- ``openapi.families``: the membership families (events, groups, courses, …), recognised by what their
  operations do, and their lifecycle actions, in one vocabulary;
- ``openapi.catalog``: the conformance requirements (``catalog.yaml``) and their one loader.

The generator writes what these modules read; the reference server, the conformance suite and the
published docs read it through them and nowhere else.

**Facts, not judgement.** Nothing here decides whether a caller may do something. The reference
server's access gate (``reference_impl.access``) and the suite's expectations
(``conformance.expectations``) are two separate deciders over these same facts, written apart on
purpose: a suite that shared the server's decisions could never catch the server getting them wrong.
Keep it so: a fact belongs here; a decision that uses it belongs to its package.

A checkout (``python -m …`` from the repository root), an editable install and an installed wheel all
read the document from this folder, so ``SPEC_PATH`` is every consumer's default.
"""

from __future__ import annotations

from pathlib import Path

# The shipped document: package data of this package, wherever it is installed.
SPEC_PATH = Path(__file__).resolve().with_name("v2.yaml")
# Where `specgen build` writes the document and `specgen check` reads it: relative to a checkout's root.
SOURCE_PATH = Path("openapi") / "v2.yaml"
