"""Saved views: a user's named sets of a table's filters, reopened as links."""
