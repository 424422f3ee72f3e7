"""Side-by-side benchmarks: Secrets Lab vs moto vs a no-backend botocore "floor".

These are scripts, not tests (DESIGN.md section 9): nothing here asserts a time. Run
``python benchmarks/run.py`` or one of ``python -m benchmarks.kms_roundtrip``,
``python -m benchmarks.startup`` and ``python -m benchmarks.profile_kms``; see README.md.
This package imports only the standard library at import time, so that the startup benchmark
of the floor measures botocore and nothing else.
"""
