"""specgen, the generator: Docusaurus API reference pages -> an OpenAPI 3.0.3 document, and its checks.

Commands (`python -m specgen --help`, or `sc-specgen`):

- `build`: read every page under `--docs` and write `--out` (deterministic YAML).
- `check`: exit 1 when the committed spec is not exactly what `build` makes, an `x-access` breaks
  `openapi/x_access.schema.json` (one `METHOD path: problem` line each), or it is not valid OpenAPI.
- `lint`: print every defect of the pages as `file:line: rule-id message [severity]`.

How the pages map to the document:

- endpoint page (has an `## HTTP Request` line `METHOD /path`) -> one operation; `operationId` is the file
  stem in camelCase, tag the top folder, summary the title, description the prose and `:::info` text;
- Parameters table -> path/query/header parameters; `body` rows -> a `requestBody` offered as JSON,
  form-urlencoded and multipart (one row named `body` stands for the whole body);
- Responses table + Response Schema tables (`»` nesting) -> responses (a status in one table per variant,
  such as `### view = edit`, answers any of their schemas: `anyOf`); errors from the errors page are added:
  401 when some clause of `x-access` may require authentication, 403 when some clause names roles, 404 when
  the path has a parameter, 400 with a body or query parameters;
- `schemas/**.md` -> `components.schemas`, named by the file stem in PascalCase, enums from Enumerated Values;
- `:::info` access prose -> `x-access` (docs/access-language.md: default clause, conditional `rules`,
  `options`, `public`, `results`): `specgen.access` reads the prose into the contract core's model
  (`openapi.access`), which writes the value and the `security` that follows from it;
- a join page's introduction ("allows users to join …", "It will request to join the course if the course is
  `private`") -> `x-join` (docs/join-language.md, `specgen.joining`).

Lint severities: an *error* means the document is wrong or incomplete for that page (an operation or schema
lost or renamed, a type that could not be read, a broken link, an example that contradicts the request
line); `lint` exits 1 when there is any. A *warning* points at text worth fixing whose meaning the generator
still captured or approximated safely (access prose partly understood, a missing title...). The rule ids,
their severities and meanings are listed by `python -m specgen lint --rules` (from `specgen.findings.RULES`).

Publishing what the document says (the docs site, Markdown pages, breaking changes) is the `publishing`
package's; the generator imports neither it, the conformance suite nor the reference server.
"""
