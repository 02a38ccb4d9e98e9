"""The one exception type the CLI turns into a one-line error message."""


class FoodcamError(Exception):
    """A user-facing error: bad input, missing file, wrong model. Message names what and where."""


class ModelUnavailable(FoodcamError):
    """A remote model (a Triton server) did not answer a request: the camera loop drops the frame and retries
    with backoff instead of ending the run."""
