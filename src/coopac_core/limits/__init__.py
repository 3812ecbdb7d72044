"""Limits: how much each role may move per operation and per day, per cooperative."""
