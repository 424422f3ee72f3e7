"""Transports: thin adapters from botocore and HTTP to the one dispatcher."""
