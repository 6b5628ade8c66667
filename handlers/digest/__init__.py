"""The coordinator's digest: /digest and the weekly one."""
