"""The ontology as Turtle files: this marker lets the package ship them as kg.ontology."""
