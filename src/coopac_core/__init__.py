"""coopac-core: core banking for Peruvian savings-and-credit cooperatives."""

__version__ = "0.1.0"
