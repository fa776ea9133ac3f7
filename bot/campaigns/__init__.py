"""Dealer reminder campaigns: templates, schedules, quiet hours, imports and results."""
