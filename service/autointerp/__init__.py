"""autointerp: automated neuron explanation (Bills et al., 2023) as a service."""

__version__ = "0.1.0"
