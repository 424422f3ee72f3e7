"""Tests for simulator.lab, the teaching helpers the notebooks call."""
