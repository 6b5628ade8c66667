"""``python -m bot``: the same as ``roadmap-bot``, whose command line lives in ``cli``.

Run as a module rather than imported, so that the composition root depends on nothing above it.
"""

import runpy

runpy.run_module("cli", run_name="__main__", alter_sys=True)
