"""The command judges of `toolbox`, one module per family of commands (files, git,
services...). Each registers its handlers with `toolbox.handles`; this package imports
nothing itself, so that loading one family does not load the others.
"""
