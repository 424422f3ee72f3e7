"""Amazon EventBridge: the default event bus, rules, targets, PutEvents, the pattern language."""
