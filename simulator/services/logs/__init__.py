"""Amazon CloudWatch Logs (minimal): read the log groups Lambda writes."""
