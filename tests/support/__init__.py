"""Helpers shared by the test suites: real server processes on 127.0.0.1."""
