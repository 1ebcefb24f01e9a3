"""A static reference site rendered from the OpenAPI document: no JavaScript, no network."""
