"""aiogram routers: parse the update -> call storage and domain -> commit -> reply.

The router tree is assembled in ``handlers.routing``; importing a module of this package does
not load aiogram unless that module needs it (the command line reuses ``import_texts``)."""
