"""The one error type a bad input raises: it names the file and says what to fix."""


class InputError(Exception):
    """A seed or data file the build cannot use; the message names the file and the problem."""

    def __init__(self, path, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")
