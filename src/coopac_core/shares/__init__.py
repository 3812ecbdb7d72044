"""Share capital (aportaciones): equity of the cooperative, owned by its members."""
