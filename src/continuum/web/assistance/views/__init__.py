"""Pages of the DA workspace, one module per area."""
