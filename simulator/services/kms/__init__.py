"""AWS Key Management Service (KMS)."""
