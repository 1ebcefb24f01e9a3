"""specgen package."""
