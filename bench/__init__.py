"""`make bench`: scripts that print figures (docs/performance.md), outside the served package."""
