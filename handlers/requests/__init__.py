"""The department's everyday requests: /ask, /requests, forms to fill and their merged answers."""
