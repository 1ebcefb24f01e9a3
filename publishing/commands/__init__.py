"""One module per `publishing` subcommand, each exposing `command`: a `click.Command` whose callback
returns the exit status (0 passed, 1 failed: pages that differ, breaking changes). Status 2 is click's: a
usage error, or an input file that cannot be used (`publishing.specfile.SpecFileError`). `publishing.cli`
registers the modules by name."""
