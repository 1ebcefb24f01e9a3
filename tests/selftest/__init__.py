"""Self-test of the conformance suite: it passes correct servers and fails faulty ones."""
