"""Insights for staff: how each chat turn went (no personal data), unanswered questions grouped by keywords."""
