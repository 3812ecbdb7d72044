"""The fiscal year: its close into the year's result (one entry dated 31 December), and
what the general assembly then does with it."""
