"""``roadmap-bot``: the administrator's command line, one module per command.

Nothing here imports aiogram: a command that talks to a messenger asks ``bot`` for it, inside
the function, so that the others start in a fraction of a second.
"""
