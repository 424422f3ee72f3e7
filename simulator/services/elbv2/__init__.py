"""Elastic Load Balancing v2 (minimal): load balancers, target groups, listeners."""
