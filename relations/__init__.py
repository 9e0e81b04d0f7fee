"""Curated, cited country-pair relations and the builders that turn them into views."""
