"""Target indicators read from a roadmap document: which table (or which columns of the table
of measures) holds them, what each column means, and each indicator's unit, base and targets."""
