"""Amazon Route 53 (minimal): public hosted zones, record sets, changes."""
