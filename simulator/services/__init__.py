"""The simulated AWS services; each lives in its own subpackage."""
