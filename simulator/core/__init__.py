"""Secrets Lab: core."""
