"""The federation, its cooperatives and their branches (agencias)."""
