"""The counter: cash at a branch, and who may handle it."""
