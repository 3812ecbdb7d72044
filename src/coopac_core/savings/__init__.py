"""Savings: sight savings (ahorro a la vista), term deposits (plazo fijo), holds."""
