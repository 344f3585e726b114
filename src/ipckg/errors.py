"""Errors the command line reports as one paragraph with exit code 2.

Library modules raise these instead of printing or exiting; the message is
written for the person at the terminal and names the file, line, node,
parameter or endpoint at fault.
"""


class IpckgError(Exception):
    """Base class: bad input, bad usage or an unreachable service."""


class UsageError(IpckgError):
    """A command was called wrongly: unknown query, missing or ill-typed parameter."""


class InputError(IpckgError):
    """A file could not be read: malformed Turtle, SPARQL or query header."""


class EndpointError(IpckgError):
    """A remote SPARQL service failed, could not be reached or answered incompletely."""


class ShapeError(IpckgError):
    """The shapes cannot be run as written: ill-formed, or SPARQL that SHACL forbids (exit code 3)."""
