"""The contract kit's tests: each folder is a package, so two test modules of one name never collide."""
