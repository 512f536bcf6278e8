"""Language-model adapters: they implement `interp.ports.LanguageModel`."""
