"""Secrets Lab: lab."""
