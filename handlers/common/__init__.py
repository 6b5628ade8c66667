"""The pieces every feature's handlers share: callback data, filters, middlewares, access
checks, the error handler, translation, common texts, downloads, menus, invitation links, and
telling every coordinator."""
