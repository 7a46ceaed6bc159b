"""Board packs in HTML and PDF (models arrive with the board pack issue)."""
