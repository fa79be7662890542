"""The JSON API (read-only, scoped like the pages), its OpenAPI schema and documentation page,
and personal API tokens for scripts."""
