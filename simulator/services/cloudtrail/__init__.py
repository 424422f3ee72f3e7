"""AWS CloudTrail: event history (LookupEvents) over the Cloud's audit trail."""
