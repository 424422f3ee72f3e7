"""Route 53 service tests."""
