"""Docusaurus reference pages regenerated from the OpenAPI document (the inverse of ``specgen build``)."""
