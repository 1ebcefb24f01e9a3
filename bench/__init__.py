"""Benchmarks of the reference server, the generator and the conformance suite: numbers, not pass/fail."""
