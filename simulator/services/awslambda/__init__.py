"""AWS Lambda (minimal): Python functions from zips, run in-process; see service.py."""
