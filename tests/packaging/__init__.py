"""The kit installed from a wheel into a fresh virtual environment."""
