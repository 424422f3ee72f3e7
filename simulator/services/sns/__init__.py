"""Amazon SNS (minimal): topics, e-mail and Lambda subscriptions, Publish."""
