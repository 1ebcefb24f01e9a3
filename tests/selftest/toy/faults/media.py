"""Faults of media types: a form refused, any body read as a form, spellings of Content-Type refused."""

from __future__ import annotations

from ..bodies import JSON, MULTIPART, URLENCODED, BodyReader, ParsedBody, form_of
from ..errors import Refusal
from ..registry import fault


@fault(
    "form-refused",
    "form-urlencoded bodies answer 415",
    breaks={"MEDIA-FORM"},
    also={"SPEC-STATUS", "MEDIA-PARAMS", "MEDIA-CASE"},
)
class FormRefused(BodyReader):
    FORMS = frozenset({MULTIPART})


@fault("any-media-type", "a body of any media type is read as a form", breaks={"MEDIA-UNSUPPORTED"})
class AnyMediaType(BodyReader):
    def other_media_type(self, media_type: str, raw: bytes) -> ParsedBody:
        return form_of(raw)


@fault("json-charset-refused", "Content-Type with a charset answers 415", breaks={"MEDIA-PARAMS"})
class MediaTypeParamsRefused(BodyReader):
    """Compares the whole Content-Type header, parameters included."""

    def media_type(self, header: str) -> str:
        media_type = super().media_type(header)
        if media_type in (JSON, URLENCODED) and ";" in header:
            raise Refusal(415, f"Unsupported media type {header}.")
        return media_type


@fault("media-type-case-sensitive", "Application/JSON answers 415", breaks={"MEDIA-CASE"})
class MediaTypeCaseSensitive(BodyReader):
    def media_type(self, header: str) -> str:
        media_type = super().media_type(header)
        if media_type in (JSON, URLENCODED) and header.split(";")[0].strip() != media_type:
            raise Refusal(415, f"Unsupported media type {header}.")
        return media_type
