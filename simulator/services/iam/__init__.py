"""AWS Identity and Access Management: users, groups, roles, access keys and policies."""
