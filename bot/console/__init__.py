"""Services behind the staff console and dealer portal (no Flask in here)."""
