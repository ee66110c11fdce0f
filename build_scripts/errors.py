"""The one error type a bad input raises: it names the file and says what to fix."""


class InputError(Exception):
    """A seed or data file the build cannot use; the message names the file and the problem."""

    def __init__(self, path, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")

    def __reduce__(self):
        """Rebuild from path and problem, so the error survives the trip back from a worker process."""
        return (InputError, (self.path, self.problem))
