"""Composition root: settings, engine, i18n, Dispatcher, scheduler and the CLI."""
