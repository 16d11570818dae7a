"""The harness's own failure: never counted against the agent."""


class HarnessError(RuntimeError):
    """The harness (an app, the proxy or the browser) failed, not the agent."""
