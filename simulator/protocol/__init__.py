"""Secrets Lab: protocol."""
