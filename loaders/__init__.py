"""Converters that turn registries (CSV, Excel, DCAT feeds) into RDF for the store."""
