"""The one exception type the CLI turns into a one-line error message."""


class FoodcamError(Exception):
    """A user-facing error: bad input, missing file, wrong model. Message names what and where."""
