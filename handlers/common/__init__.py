"""The pieces every feature's handlers share: callback data, filters, middlewares, access checks, errors, translation, common texts, downloads, menus."""
