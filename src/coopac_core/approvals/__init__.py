"""Four eyes: what one person asks and another person decides (docs/ARCHITECTURE.md)."""
