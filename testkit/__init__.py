"""Helpers shared by the tests, the benchmarks and the fuzz run (not shipped in the wheel).

- ``processes``: start real HTTP servers as child processes on a free 127.0.0.1 port and wait until
  they answer (``ServerProcess``, ``free_port``, ``python_module``, ``REPO_ROOT``);
- ``reference``: the reference server's CLI bound to one database and signing secret (``Reference``:
  start servers, seed users, mint tokens; ``fresh_postgres_database``);
- ``events``: request bodies and headers that every caller of the API needs (``event_body``, ``bearer``);
- ``errata``: docs/errata.md as data (its rows and the pages kept verbatim).

The conformance suite never imports this package (it tests servers from the outside, and
``conformance demo`` starts the reference server itself as a subprocess).
"""
