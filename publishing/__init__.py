"""publishing: what the OpenAPI document says, for its readers. It reads the document; it never writes it.

Commands (`python -m publishing --help`, or `sc-publish`):

- `docs`: one self-contained HTML page (no JavaScript, no network): every operation with its access as a
  sentence, curl and JavaScript examples, every schema, and the conformance requirements that check each
  operation, once per membership family (`publishing.docsite`);
- `markdown`: the Docusaurus reference pages again, which `specgen build` reads back into the same
  document (`publishing.markdown_out`, docs/markdown-round-trip.md);
- `diff OLD NEW`: the changes between two versions and which of them break clients
  (`publishing.diff`, docs/breaking-changes.md).

Every input document is validated first (`publishing.specfile`): a malformed one is a message and exit
status 2. The facts come from the contract core (`openapi`): who may call an operation from
`openapi.access`, the requirements and the families they are checked for from `openapi.catalog`. The
Markdown pages are written so that the generator's own prose reader (`specgen.access`) reads them back;
nothing here imports the conformance suite or the reference server.
"""
