"""AWS Security Token Service: caller identity and temporary credentials."""
