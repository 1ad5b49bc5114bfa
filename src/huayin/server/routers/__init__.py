"""HTTP routes only: parse, call the service, shape the response. No model is touched here."""
