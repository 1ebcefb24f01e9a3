"""The kit installed from a wheel into a fresh venv (not named `packaging`: it would shadow the library)."""
