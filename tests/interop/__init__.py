"""Interop tests: software nobody on the team wrote, talking to the simulator."""
