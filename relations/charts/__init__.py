"""Pure chart builders: (dataset, view) -> Figure, one module per page."""
