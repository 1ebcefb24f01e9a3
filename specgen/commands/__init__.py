"""One module per `specgen` subcommand; `specgen.cli` registers them."""
