"""One module per `specgen` subcommand, each exposing `command`: a `click.Command` whose callback returns
the exit status (0 passed, 1 failed). Status 2 is click's: a usage error. `specgen.cli` registers the
modules by name."""
