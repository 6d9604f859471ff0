"""The musforms test suite."""
